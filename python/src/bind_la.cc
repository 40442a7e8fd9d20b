// mxnet._core bindings of MXNet's la_op family (mx.nd.linalg, and the
// decompositions under mx.np.linalg): argument conversion only, each a call
// into mxlite::np. The legacy face gives a 0-d result shape (1,), as MXNet 1.x.
#include <pybind11/stl.h>

#include <cstdint>
#include <vector>

#include "convert.h"

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

}  // namespace

void bind_la(py::module_& m) {
  py::module_ nd_mod = m.attr("nd");
  bind_face(nd_mod, Face::Nd);
  m.def("have_lapack", &np::have_lapack);
}

}  // namespace bind
}  // namespace mxlite
