// Bindings of copy, where, clip, empty/linspace/eye and randint/choice/shuffle:
// argument conversion only (the binary ops are rows, see bind_binary.cc).
#include <pybind11/stl.h>

#include <cmath>
#include <limits>

#include "function.h"

namespace mxlite {
namespace bind {
namespace {

// where's x / y: a scalar takes the other branch's dtype (float32 if both are scalars).
NDArray where_branch(py::handle v, py::handle other) {
  if (const NDArray* a = as_array(v)) return *a;
  if (auto s = as_scalar(v)) {
    const NDArray* o = as_array(other);
    const DType dt = o ? o->dtype() : DType::Float32;
    return np::scalar(scalar_in_dtype(*s, dt, "where"), dt);
  }
  return array_arg(v, "where");
}

double bound(py::handle h, double if_none) { return h.is_none() ? if_none : num(h, "clip"); }

void bind_face(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };
  // out: the result written into that array (same shape and dtype), recorded
  // so that gradients flow through it; the out= of composed Python functions.
  m.def(
      "copy",
      [face](py::handle a, py::handle out, const std::string& fn) {
        const NDArray target = out_arg(out, face, fn.c_str()), result = array_arg(a, fn.c_str());
        MXLITE_CHECK(!target.defined() || (target.shape() == result.shape() && target.dtype() == result.dtype()),
                     fn.c_str(), "out= has shape ", target.shape(), " and dtype ", dtype_name(target.dtype()),
                     ", but the result has shape ", result.shape(), " and dtype ", dtype_name(result.dtype()));
        return deliver(np::copy(result, target), out, face);
      },
      py::arg("a"), py::arg("out") = py::none(), py::arg("fn") = "copy");

  m.def(
      "where",
      [w](py::handle cond, py::handle x, py::handle y) {
        return w(np::where(array_arg(cond, "where"), where_branch(x, y), where_branch(y, x)));
      },
      py::arg("condition"), py::arg("x"), py::arg("y"));
  m.def(
      "clip",
      [face](py::handle a, py::handle a_min, py::handle a_max, py::handle out) {
        constexpr double inf = std::numeric_limits<double>::infinity();
        NDArray x = array_arg(a, "clip");
        // A bool array takes its bounds' dtype: int64 beside integer bounds.
        const bool float_bound = (!a_min.is_none() && scalar_kind(a_min) == ScalarKind::Float) ||
                                 (!a_max.is_none() && scalar_kind(a_max) == ScalarKind::Float);
        if (x.dtype() == DType::Bool && !float_bound) x = np::astype(x, DType::Int64);
        return deliver(np::clip(x, bound(a_min, -inf), bound(a_max, inf), out_arg(out, face, "clip")), out, face);
      },
      py::arg("a"), py::arg("a_min"), py::arg("a_max"), py::arg("out") = py::none());
  m.def(
      "empty",
      [w](py::handle shape, py::handle dtype) {
        return w(np::empty(shape_from_py(shape, "empty"), dtype_from_py(dtype)));
      },
      py::arg("shape"), py::arg("dtype") = py::none());
  m.def(
      "linspace",
      [w](py::handle start, py::handle stop, py::handle num_samples, bool endpoint, py::handle dtype) {
        const int64_t n = int_arg(num_samples, "linspace", "num");
        MXLITE_CHECK_AS(ValueError, n >= 0, "linspace", "number of samples, ", n, ", must be non-negative");
        return w(np::linspace(num(start, "linspace"), num(stop, "linspace"), n, endpoint, dtype_from_py(dtype)));
      },
      py::arg("start"), py::arg("stop"), py::arg("num") = 50, py::arg("endpoint") = true,
      py::arg("dtype") = py::none());
  m.def(
      "eye",
      [w](py::handle n, py::handle m_cols, py::handle k, py::handle dtype) {
        const int64_t rows = int_arg(n, "eye", "N");
        const int64_t cols = m_cols.is_none() ? rows : int_arg(m_cols, "eye", "M");
        MXLITE_CHECK_AS(ValueError, rows >= 0 && cols >= 0, "eye", "negative dimensions are not allowed: N=", rows,
                        ", M=", cols);
        return w(np::eye(rows, cols, int_arg(k, "eye", "k"), dtype_from_py(dtype)));
      },
      py::arg("N"), py::arg("M") = py::none(), py::arg("k") = 0, py::arg("dtype") = py::none());

  m.def("random_randint", [w](int64_t low, int64_t high, py::handle size, py::handle dtype) {
    return w(np::random_randint(low, high, shape_from_py(size, "randint"), dtype_from_py(dtype)));
  });
  // a: an int (population 0..a-1) or a 1-D array-like; p: probabilities or None.
  m.def("random_choice", [w](py::handle a, py::handle size, bool replace, py::handle p) {
    NDArray population;
    int64_t n = 0;
    if (PyLong_Check(a.ptr()) && !PyBool_Check(a.ptr())) {
      n = int_arg(a, "choice", "a");
      MXLITE_CHECK(n >= 0, "choice", "a must be a positive integer, got ", n);
    } else {
      population = array_arg(a, "choice");
    }
    NDArray probs = p.is_none() ? NDArray() : array_arg(p, "choice");
    return w(np::random_choice(population, n, shape_from_py(size, "choice"), replace, probs));
  });
  m.def("shuffle", [](py::handle x) {
    const NDArray* a = as_array(x);
    if (!a) unsupported_type(x, "shuffle");
    np::shuffle(*a);
  });
}

}  // namespace

void bind_elementwise(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  bind_face(np_mod, Face::Np);
  py::module_ nd_mod = m.attr("nd");
  bind_face(nd_mod, Face::Nd);
}

}  // namespace bind
}  // namespace mxlite
