// mxnet._core bindings of the linear-algebra family (np and legacy nd faces):
// argument conversion only, each a call into mxlite::np.
#include <pybind11/stl.h>

#include <cstdint>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

// tensordot's axes: an int n, or a pair (axes_a, axes_b) of ints or sequences.
NDArray tensordot_py(const NDArray& a, const NDArray& b, py::handle axes) {
  if (as_scalar(axes)) return np::tensordot(a, b, static_cast<int64_t>(num(axes, "tensordot")));
  py::sequence pair = py::reinterpret_borrow<py::sequence>(axes);
  MXLITE_CHECK(py::len(pair) == 2, "tensordot", "axes must be an int or a pair of axis lists");
  Axes ax_a, ax_b;
  axes_from_py(pair[0], ax_a);
  axes_from_py(pair[1], ax_b);
  return np::tensordot(a, b, ax_a, ax_b);
}

void bind_face(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };
  m.def(
      "matmul",
      [w](py::handle a, py::handle b) { return w(np::matmul(array_arg(a, "matmul"), array_arg(b, "matmul"))); },
      py::arg("a"), py::arg("b"));
  m.def(
      "tensordot",
      [w](py::handle a, py::handle b, py::handle axes) {
        return w(tensordot_py(array_arg(a, "tensordot"), array_arg(b, "tensordot"), axes));
      },
      py::arg("a"), py::arg("b"), py::arg("axes") = 2);
  m.def(
      "inner", [w](py::handle a, py::handle b) { return w(np::inner(array_arg(a, "inner"), array_arg(b, "inner"))); },
      py::arg("a"), py::arg("b"));
  m.def(
      "outer", [w](py::handle a, py::handle b) { return w(np::outer(array_arg(a, "outer"), array_arg(b, "outer"))); },
      py::arg("a"), py::arg("b"));
  m.def(
      "vdot", [w](py::handle a, py::handle b) { return w(np::vdot(array_arg(a, "vdot"), array_arg(b, "vdot"))); },
      py::arg("a"), py::arg("b"));
  m.def(
      "einsum",
      [w](const std::string& subscripts, py::args operands) {
        std::vector<NDArray> arrays;
        for (py::handle o : operands) arrays.push_back(array_arg(o, "einsum"));
        return w(np::einsum(subscripts, arrays));
      },
      py::arg("subscripts"));
  // Offsets are C ints in NumPy: beyond them it raises OverflowError.
  auto offset_arg = [](py::handle v, const char* fn, const char* what) {
    const int64_t k = int_arg(v, fn, what);
    MXLITE_CHECK_AS(OverflowError, k >= INT32_MIN && k <= INT32_MAX, fn, what, " ", k, " is out of the int32 range");
    return k;
  };
  m.def(
      "diagonal",
      [w, offset_arg](py::handle a, py::handle offset, py::handle axis1, py::handle axis2) {
        return w(np::diagonal(array_arg(a, "diagonal"), offset_arg(offset, "diagonal", "offset"),
                              int_arg(axis1, "diagonal", "axis1"), int_arg(axis2, "diagonal", "axis2")));
      },
      py::arg("a"), py::arg("offset") = 0, py::arg("axis1") = 0, py::arg("axis2") = 1);
  m.def(
      "trace",
      [w, offset_arg](py::handle a, py::handle offset, py::handle axis1, py::handle axis2) {
        return w(np::trace(array_arg(a, "trace"), offset_arg(offset, "trace", "offset"),
                           int_arg(axis1, "trace", "axis1"), int_arg(axis2, "trace", "axis2")));
      },
      py::arg("a"), py::arg("offset") = 0, py::arg("axis1") = 0, py::arg("axis2") = 1);
  m.def(
      "diag",
      [w, offset_arg](py::handle a, py::handle k) {
        return w(np::diag(array_arg(a, "diag"), offset_arg(k, "diag", "k")));
      },
      py::arg("a"), py::arg("k") = 0);
  m.def(
      "batch_dot",
      [w](py::handle a, py::handle b, bool ta, bool tb) {
        return w(np::batch_dot(array_arg(a, "batch_dot"), array_arg(b, "batch_dot"), ta, tb));
      },
      py::arg("a"), py::arg("b"), py::arg("transpose_a") = false, py::arg("transpose_b") = false);
  m.def(
      "legacy_dot",
      [w](py::handle a, py::handle b, bool ta, bool tb) {
        return w(np::legacy_dot(array_arg(a, "dot"), array_arg(b, "dot"), ta, tb));
      },
      py::arg("lhs"), py::arg("rhs"), py::arg("transpose_a") = false, py::arg("transpose_b") = false);
}

}  // namespace

void bind_linalg(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  py::module_ nd_mod = m.attr("nd");
  bind_face(np_mod, Face::Np);
  bind_face(nd_mod, Face::Nd);
  m.def("gemm_uses_blas", &np::gemm_uses_blas);
}

}  // namespace bind
}  // namespace mxlite
