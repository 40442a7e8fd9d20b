// Module-level functions of mxnet.numpy (np face) and mxnet.ndarray (legacy
// face): argument conversion only, each a call into mxlite::np.
#include <pybind11/stl.h>

#include <cmath>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

void bind_face_functions(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };
  const bool legacy = face == Face::Nd;

  m.def(
      "zeros",
      [w](py::handle shape, py::handle dtype, py::handle, py::handle) {
        return w(np::zeros(shape_from_py(shape, "zeros"), dtype_from_py(dtype)));
      },
      py::arg("shape"), py::arg("dtype") = py::none(), py::arg("order") = "C", py::arg("ctx") = py::none());
  m.def(
      "ones",
      [w](py::handle shape, py::handle dtype, py::handle, py::handle) {
        return w(np::ones(shape_from_py(shape, "ones"), dtype_from_py(dtype)));
      },
      py::arg("shape"), py::arg("dtype") = py::none(), py::arg("order") = "C", py::arg("ctx") = py::none());
  m.def(
      "full",
      [w](py::handle shape, py::handle value, py::handle dtype, py::handle, py::handle) {
        return w(np::full(shape_from_py(shape, "full"), num(value, "full"), dtype_from_py(dtype)));
      },
      py::arg("shape"), py::arg("fill_value"), py::arg("dtype") = py::none(), py::arg("order") = "C",
      py::arg("ctx") = py::none());
  m.def(
      "zeros_like",
      [w](py::handle a, py::handle dtype) {
        const NDArray& x = array_arg(a, "zeros_like");
        return w(np::zeros(x.shape(), dtype.is_none() ? x.dtype() : dtype_from_py(dtype)));
      },
      py::arg("a"), py::arg("dtype") = py::none());
  m.def(
      "ones_like",
      [w](py::handle a, py::handle dtype) {
        const NDArray& x = array_arg(a, "ones_like");
        return w(np::ones(x.shape(), dtype.is_none() ? x.dtype() : dtype_from_py(dtype)));
      },
      py::arg("a"), py::arg("dtype") = py::none());
  m.def(
      "arange",
      [w](py::handle start, py::handle stop, py::handle step, py::handle dtype) {
        double a = num(start, "arange"), b = 0, st = step.is_none() ? 1.0 : num(step, "arange");
        if (stop.is_none()) {
          b = a;
          a = 0;
        } else {
          b = num(stop, "arange");
        }
        return w(np::arange(a, b, st, dtype_from_py(dtype)));
      },
      py::arg("start"), py::arg("stop") = py::none(), py::arg("step") = py::none(), py::arg("dtype") = py::none());

  m.def(
      "dot",
      [w](py::handle a, py::handle b, bool ta, bool tb) {
        const NDArray &x = array_arg(a, "dot"), &y = array_arg(b, "dot");
        if (!ta && !tb) return w(np::dot(x, y));
        MXLITE_CHECK(x.ndim() == 2 && y.ndim() == 2, "dot", "transpose_a/transpose_b need 2-D operands, got shapes ",
                     x.shape(), " and ", y.shape());
        return w(np::matmul2d(x, y, ta, tb));
      },
      py::arg("a"), py::arg("b"), py::arg("transpose_a") = false, py::arg("transpose_b") = false);
  m.def(
      "reshape",
      [w](py::handle a, py::handle shape) {
        return w(np::reshape(array_arg(a, "reshape"), shape_from_py(shape, "reshape")));
      },
      py::arg("a"), py::arg("newshape"));
  m.def(
      "transpose",
      [w](py::handle a, py::handle axes) {
        Axes ax;
        const NDArray x = array_arg(a, "transpose");
        // None reverses the axes; a given permutation must name every axis (so
        // () only for a 0-d array).
        if (axes_from_py(axes, ax, "transpose"))
          MXLITE_CHECK_AS(ValueError, ax.size() == x.ndim(), "transpose", "axes ", ax, " don't match array of shape ",
                          x.shape());
        return w(np::transpose(x, ax));
      },
      py::arg("a"), py::arg("axes") = py::none());
  m.def(
      "expand_dims", [w](py::handle a, int64_t axis) { return w(np::expand_dims(array_arg(a, "expand_dims"), axis)); },
      py::arg("a"), py::arg("axis"));
  m.def(
      "broadcast_to",
      [w](py::handle a, py::handle shape) {
        return w(np::broadcast_to(array_arg(a, "broadcast_to"), shape_from_py(shape, "broadcast_to")));
      },
      py::arg("array"), py::arg("shape"));

  m.def("random_uniform", [w](py::handle low, py::handle high, py::handle size, py::handle dtype) {
    return w(np::random_uniform(num(low, "uniform"), num(high, "uniform"), shape_from_py(size, "uniform"),
                                dtype_from_py(dtype)));
  });
  m.def("random_normal", [w](py::handle loc, py::handle scale, py::handle size, py::handle dtype) {
    return w(np::random_normal(num(loc, "normal"), num(scale, "normal"), shape_from_py(size, "normal"),
                               dtype_from_py(dtype)));
  });
  // array(obj, dtype): the legacy face makes float32 even from NumPy arrays.
  m.def(
      "array",
      [w, legacy](py::handle obj, py::handle dtype) {
        if (const NDArray* a = as_array(obj)) {
          std::optional<DType> dt = opt_dtype(dtype);
          return w(np::astype(*a, dt ? *dt : a->dtype()));  // always a copy
        }
        // MXNet makes array(None) a float32 NaN (NumPy: an object array).
        if (obj.is_none()) return w(np::scalar(std::nan(""), opt_dtype(dtype).value_or(DType::Float32)));
        return w(to_array(obj, opt_dtype(dtype), !legacy));
      },
      py::arg("object"), py::arg("dtype") = py::none());
  // An array sharing a C-contiguous NumPy array's buffer (nd.from_numpy's
  // zero_copy): the NumPy array is kept alive until the last mxlite view of
  // it is gone.
  m.def(
      "wrap_numpy",
      [w](py::array a) {
        MXLITE_CHECK(a.flags() & py::array::c_style, "from_numpy", "only C-contiguous arrays can be shared");
        const DType dt = dtype_from_py(a.dtype());
        Shape shape;
        for (py::ssize_t i = 0; i < a.ndim(); ++i) shape.push_back(a.shape(i));
        auto* owner = new py::object(a);
        return w(NDArray::wrap(a.mutable_data(), shape, dt, [owner] {
          py::gil_scoped_acquire gil;
          delete owner;
        }));
      },
      py::arg("array"));
}

}  // namespace

void bind_ops(py::module_& m) {
  py::module_ np_mod = m.def_submodule("np", "functions of mxnet.numpy");
  bind_face_functions(np_mod, Face::Np);
  py::module_ nd_mod = m.def_submodule("nd", "functions of mxnet.ndarray (legacy)");
  bind_face_functions(nd_mod, Face::Nd);
  m.def("seed", [](uint64_t s) { np::seed(s); });
  m.def("list_ops", &list_ops);
  m.def("num_threads", &num_threads);
  m.def("set_num_threads", &set_num_threads);
  m.def("_live_bytes", &Storage::live_bytes);
  m.attr("max_empty_sections") = kMaxEmptySections;
}

}  // namespace bind
}  // namespace mxlite
