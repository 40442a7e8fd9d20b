// mxnet._core bindings of MXNet's la_op family (mx.nd.linalg, and the
// decompositions under mx.np.linalg): argument conversion only, each a call
// into mxlite::np. The legacy face gives a 0-d result shape (1,), as MXNet 1.x.
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "convert.h"
#include "mxlite/linalg_ops.h"

namespace mxlite {
namespace bind {
namespace {

void bind_face(py::module_& m, Face face) {
  // MXNet's legacy NDArrays have no 0-d shape: a per-matrix scalar of a
  // single matrix is shape (1,).
  auto w = [face](NDArray a) {
    if (face == Face::Nd && a.ndim() == 0) a = np::reshape(a, Shape{1});
    return wrap(std::move(a), face);
  };
  auto many = [w](const std::vector<NDArray>& r) {
    py::list l;
    for (const NDArray& a : r) l.append(w(a));
    return l;
  };
  auto arg = [](py::handle h, const char* fn) { return array_arg(h, fn); };
  m.def(
      "linalg_gemm",
      [w, arg](py::handle a, py::handle b, py::handle c, bool ta, bool tb, double alpha, double beta, int64_t axis) {
        return w(np::linalg_gemm(arg(a, "linalg_gemm"), arg(b, "linalg_gemm"), arg(c, "linalg_gemm"), ta, tb, alpha,
                                 beta, axis));
      },
      py::arg("A"), py::arg("B"), py::arg("C"), py::arg("transpose_a") = false, py::arg("transpose_b") = false,
      py::arg("alpha") = 1.0, py::arg("beta") = 1.0, py::arg("axis") = -2);
  m.def(
      "linalg_gemm2",
      [w, arg](py::handle a, py::handle b, bool ta, bool tb, double alpha, int64_t axis) {
        return w(np::linalg_gemm2(arg(a, "linalg_gemm2"), arg(b, "linalg_gemm2"), ta, tb, alpha, axis));
      },
      py::arg("A"), py::arg("B"), py::arg("transpose_a") = false, py::arg("transpose_b") = false,
      py::arg("alpha") = 1.0, py::arg("axis") = -2);
  m.def(
      "linalg_potrf", [w, arg](py::handle a, bool lower) { return w(np::linalg_potrf(arg(a, "linalg_potrf"), lower)); },
      py::arg("A"), py::arg("lower") = true);
  m.def(
      "linalg_potri", [w, arg](py::handle a, bool lower) { return w(np::linalg_potri(arg(a, "linalg_potri"), lower)); },
      py::arg("A"), py::arg("lower") = true);
  m.def(
      "linalg_trmm",
      [w, arg](py::handle a, py::handle b, bool transpose, bool rightside, bool lower, double alpha) {
        return w(np::linalg_trmm(arg(a, "linalg_trmm"), arg(b, "linalg_trmm"), transpose, rightside, lower, alpha));
      },
      py::arg("A"), py::arg("B"), py::arg("transpose") = false, py::arg("rightside") = false, py::arg("lower") = true,
      py::arg("alpha") = 1.0);
  m.def(
      "linalg_trsm",
      [w, arg](py::handle a, py::handle b, bool transpose, bool rightside, bool lower, double alpha) {
        return w(np::linalg_trsm(arg(a, "linalg_trsm"), arg(b, "linalg_trsm"), transpose, rightside, lower, alpha));
      },
      py::arg("A"), py::arg("B"), py::arg("transpose") = false, py::arg("rightside") = false, py::arg("lower") = true,
      py::arg("alpha") = 1.0);
  m.def(
      "linalg_sumlogdiag", [w, arg](py::handle a) { return w(np::linalg_sumlogdiag(arg(a, "linalg_sumlogdiag"))); },
      py::arg("A"));
  m.def(
      "linalg_syrk",
      [w, arg](py::handle a, bool transpose, double alpha) {
        return w(np::linalg_syrk(arg(a, "linalg_syrk"), transpose, alpha));
      },
      py::arg("A"), py::arg("transpose") = false, py::arg("alpha") = 1.0);
  m.def(
      "linalg_gelqf", [many, arg](py::handle a) { return many(np::linalg_gelqf(arg(a, "linalg_gelqf"))); },
      py::arg("A"));
  m.def(
      "linalg_syevd", [many, arg](py::handle a) { return many(np::linalg_syevd(arg(a, "linalg_syevd"))); },
      py::arg("A"));
  m.def(
      "linalg_inverse", [w, arg](py::handle a) { return w(np::linalg_inverse(arg(a, "linalg_inverse"))); },
      py::arg("A"));
  m.def("linalg_det", [w, arg](py::handle a) { return w(np::linalg_det(arg(a, "linalg_det"))); }, py::arg("A"));
  m.def(
      "linalg_slogdet", [many, arg](py::handle a) { return many(np::linalg_slogdet(arg(a, "linalg_slogdet"))); },
      py::arg("A"));
  m.def(
      "linalg_extractdiag",
      [w, arg](py::handle a, int64_t offset) {
        return w(np::linalg_extractdiag(arg(a, "linalg_extractdiag"), offset));
      },
      py::arg("A"), py::arg("offset") = 0);
  m.def(
      "linalg_makediag",
      [w, arg](py::handle a, int64_t offset) { return w(np::linalg_makediag(arg(a, "linalg_makediag"), offset)); },
      py::arg("A"), py::arg("offset") = 0);
  m.def(
      "linalg_extracttrian",
      [w, arg](py::handle a, int64_t offset, bool lower) {
        return w(np::linalg_extracttrian(arg(a, "linalg_extracttrian"), offset, lower));
      },
      py::arg("A"), py::arg("offset") = 0, py::arg("lower") = true);
  m.def(
      "linalg_maketrian",
      [w, arg](py::handle a, int64_t offset, bool lower) {
        return w(np::linalg_maketrian(arg(a, "linalg_maketrian"), offset, lower));
      },
      py::arg("A"), py::arg("offset") = 0, py::arg("lower") = true);
}

// mx.np.linalg: NumPy's results (tuples, 0-d scalars).
void bind_np_linalg(py::module_& m) {
  auto w = [](NDArray a) { return wrap(std::move(a), Face::Np); };
  auto tup = [w](const std::vector<NDArray>& r) {
    py::tuple t(r.size());
    for (size_t i = 0; i < r.size(); ++i) t[i] = w(r[i]);
    return t;
  };
  auto opt = [](py::handle v, const char* fn, const char* what) -> std::optional<double> {
    if (v.is_none()) return std::nullopt;
    return num(v, fn);
  };
  m.def("linalg_cholesky", [w](py::handle a) { return w(np::linalg_cholesky(array_arg(a, "cholesky"))); });
  m.def("linalg_det", [w](py::handle a) { return w(np::linalg_det(array_arg(a, "det"))); });
  m.def("linalg_slogdet", [tup](py::handle a) { return tup(np::linalg_slogdet(array_arg(a, "slogdet"))); });
  m.def("linalg_inv", [w](py::handle a) { return w(np::linalg_inverse(array_arg(a, "inv"))); });
  m.def("linalg_svd", [tup](py::handle a) { return tup(np::linalg_svd(array_arg(a, "svd"))); });
  m.def("linalg_qr", [tup, w](py::handle a, const std::string& mode) -> py::object {
    std::vector<NDArray> r = np::linalg_qr(array_arg(a, "qr"), mode);
    if (mode == "r") return w(r[0]);
    return tup(r);
  });
  m.def("linalg_solve",
        [w](py::handle a, py::handle b) { return w(np::linalg_solve(array_arg(a, "solve"), array_arg(b, "solve"))); });
  m.def("linalg_eig", [tup](py::handle a) { return tup(np::linalg_eig(array_arg(a, "eig"))); });
  m.def("linalg_eigvals", [w](py::handle a) { return w(np::linalg_eigvals(array_arg(a, "eigvals"))); });
  m.def("linalg_eigh",
        [tup](py::handle a, const std::string& uplo) { return tup(np::linalg_eigh(array_arg(a, "eigh"), uplo)); });
  m.def("linalg_eigvalsh",
        [w](py::handle a, const std::string& uplo) { return w(np::linalg_eigvalsh(array_arg(a, "eigvalsh"), uplo)); });
  m.def("linalg_lstsq", [w, opt](py::handle a, py::handle b, py::handle rcond) {
    std::vector<NDArray> r =
        np::linalg_lstsq(array_arg(a, "lstsq"), array_arg(b, "lstsq"), opt(rcond, "lstsq", "rcond"));
    // rank is a Python int, as in NumPy and MXNet
    return py::make_tuple(w(r[0]), w(r[1]), py::int_(*r[2].data<int64_t>()), w(r[3]));
  });
  m.def("linalg_pinv", [w](py::handle a, double rcond) { return w(np::linalg_pinv(array_arg(a, "pinv"), rcond)); });
  m.def("linalg_matrix_rank", [w, opt](py::handle a, py::handle tol, bool hermitian) {
    return w(np::linalg_matrix_rank(array_arg(a, "matrix_rank"), opt(tol, "matrix_rank", "tol"), hermitian));
  });
  m.def("linalg_matrix_power",
        [w](py::handle a, int64_t n) { return w(np::linalg_matrix_power(array_arg(a, "matrix_power"), n)); });
  m.def("linalg_multi_dot", [w](py::sequence arrays) {
    std::vector<NDArray> v;
    for (py::handle h : arrays) v.push_back(array_arg(h, "multi_dot"));
    return w(np::linalg_multi_dot(v));
  });
  m.def("linalg_cond", [w](py::handle a, py::handle p) {
    np::NormOrd o;
    if (py::isinstance<py::str>(p)) {
      const std::string s = p.cast<std::string>();
      MXLITE_CHECK_AS(ValueError, s == "fro" || s == "nuc", "cond", "invalid norm order '", s, "'");
      o.kind = s == "fro" ? np::NormOrd::Fro : np::NormOrd::Nuc;
    } else if (!p.is_none()) {
      o.kind = np::NormOrd::Number;
      o.p = num(p, "cond");
    }
    return w(np::linalg_cond(array_arg(a, "cond"), o));
  });
  m.def("linalg_tensorinv",
        [w](py::handle a, int64_t ind) { return w(np::linalg_tensorinv(array_arg(a, "tensorinv"), ind)); });
  m.def("linalg_tensorsolve", [w](py::handle a, py::handle b, py::handle axes) {
    std::optional<Axes> ax;
    if (!axes.is_none()) {
      Axes v;
      axes_from_py(axes, v);
      ax = v;
    }
    return w(np::linalg_tensorsolve(array_arg(a, "tensorsolve"), array_arg(b, "tensorsolve"), ax));
  });
}

}  // namespace

void bind_la(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  bind_np_linalg(np_mod);
  py::module_ nd_mod = m.attr("nd");
  bind_face(nd_mod, Face::Nd);
  m.def("have_lapack", &np::have_lapack);
}

}  // namespace bind
}  // namespace mxlite
