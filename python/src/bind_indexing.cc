// Indexing and ordering functions (take, pick, one_hot, sort, argsort, topk)
// for both faces: argument conversion only. The Python modules
// mxnet/numpy/_indexing.py, numpy_extension/_indexing.py and
// ndarray/_indexing.py give them their NumPy / MXNet signatures and defaults.
#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

np::TakeMode take_mode(const std::string& mode, const char* opname) {
  if (mode == "raise") return np::TakeMode::Raise;
  if (mode == "clip") return np::TakeMode::Clip;
  if (mode == "wrap") return np::TakeMode::Wrap;
  throw Error(opname, "mode must be 'raise', 'clip' or 'wrap', got '" + mode + "'");
}

int64_t axis_arg(py::handle axis, const char* opname) {
  if (PyLong_Check(axis.ptr()) && !PyBool_Check(axis.ptr())) return int_arg(axis, "axis", "axis");
  throw Error(opname, "axis must be an integer, got " + py::repr(axis).cast<std::string>());
}

void bind_indexing_functions(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };
  const bool legacy = face == Face::Nd;

  // axis None: over the flattened array.
  m.def(
      "take",
      [w](py::handle a, py::handle indices, py::handle axis, const std::string& mode) {
        const NDArray x = array_arg(a, "take"), idx = array_arg(indices, "take");
        np::TakeMode md = take_mode(mode, "take");
        if (axis.is_none()) return w(np::take(x, idx, md));
        return w(np::take(x, idx, axis_arg(axis, "take"), md));
      },
      py::arg("a"), py::arg("indices"), py::arg("axis"), py::arg("mode"));
  m.def(
      "gather_nd",
      [w](py::handle data, py::handle indices) {
        return w(np::gather_nd(array_arg(data, "gather_nd"), array_arg(indices, "gather_nd")));
      },
      py::arg("data"), py::arg("indices"));
  // MXNet 1.9.1 has scatter_nd in nd only.
  if (legacy)
    m.def(
        "scatter_nd",
        [w](py::handle data, py::handle indices, py::handle shape) {
          return w(np::scatter_nd(array_arg(data, "scatter_nd"), array_arg(indices, "scatter_nd"),
                                  shape_from_py(shape, "scatter_nd")));
        },
        py::arg("data"), py::arg("indices"), py::arg("shape"));
  m.def(
      "pick",
      [w](py::handle data, py::handle index, py::handle axis, bool keepdims, const std::string& mode) {
        const NDArray x = array_arg(data, "pick"), idx = array_arg(index, "pick");
        np::TakeMode md = take_mode(mode, "pick");
        MXLITE_CHECK(!axis.is_none(), "pick", "axis=None (picking from the flattened array) is not supported");
        return w(np::pick(x, idx, axis_arg(axis, "pick"), keepdims, md));
      },
      py::arg("data"), py::arg("index"), py::arg("axis"), py::arg("keepdims"), py::arg("mode"));
  m.def(
      "one_hot",
      [w](py::handle indices, int64_t depth, double on, double off, py::handle dtype) {
        return w(np::one_hot(array_arg(indices, "one_hot"), depth, on, off, dtype_from_py(dtype)));
      },
      py::arg("indices"), py::arg("depth"), py::arg("on_value"), py::arg("off_value"), py::arg("dtype"));
  m.def(
      "sort",
      [w](py::handle a, py::handle axis, bool ascending) {
        const NDArray x = array_arg(a, "sort");
        if (axis.is_none()) return w(np::sort(np::reshape(x, Shape{-1}), 0, ascending));
        return w(np::sort(x, axis_arg(axis, "sort"), ascending));
      },
      py::arg("a"), py::arg("axis"), py::arg("ascending"));
  // dtype None: int64 (np) or float32 (legacy), as MXNet.
  m.def(
      "argsort",
      [w, legacy](py::handle a, py::handle axis, bool ascending, py::handle dtype) {
        const NDArray x = array_arg(a, "argsort");
        NDArray r = axis.is_none() ? np::argsort(np::reshape(x, Shape{-1}), 0, ascending)
                                   : np::argsort(x, axis_arg(axis, "argsort"), ascending);
        DType dt = dtype.is_none() ? (legacy ? DType::Float32 : DType::Int64) : dtype_from_py(dtype);
        return w(dt == DType::Int64 ? r : np::astype(r, dt));
      },
      py::arg("a"), py::arg("axis"), py::arg("ascending"), py::arg("dtype"));
  // ret_typ: 'indices' | 'value' | 'both' ([values, indices]) | 'mask'.
  m.def(
      "topk",
      [w](py::handle data, py::handle axis, int64_t k, const std::string& ret_typ, bool is_ascend,
          py::handle dtype) -> py::object {
        NDArray x = array_arg(data, "topk");
        int64_t ax = -1;
        if (axis.is_none())
          x = np::reshape(x, Shape{-1});
        else
          ax = axis_arg(axis, "topk");
        if (ret_typ == "mask") return w(np::topk_mask(x, ax, k, is_ascend));
        MXLITE_CHECK(ret_typ == "indices" || ret_typ == "value" || ret_typ == "both", "topk",
                     "ret_typ must be 'indices', 'value', 'both' or 'mask', got '", ret_typ, "'");
        np::TopK t = np::topk(x, ax, k, is_ascend);
        if (ret_typ == "value") return w(t.values);
        DType dt = dtype.is_none() ? DType::Float32 : dtype_from_py(dtype);
        py::object idx = w(dt == DType::Int64 ? t.indices : np::astype(t.indices, dt));
        if (ret_typ == "indices") return idx;
        py::list both;
        both.append(w(t.values));
        both.append(idx);
        return std::move(both);
      },
      py::arg("data"), py::arg("axis"), py::arg("k"), py::arg("ret_typ"), py::arg("is_ascend"), py::arg("dtype"));
}

}  // namespace

void bind_indexing(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  bind_indexing_functions(np_mod, Face::Np);
  py::module_ nd_mod = m.attr("nd");
  bind_indexing_functions(nd_mod, Face::Nd);
}

}  // namespace bind
}  // namespace mxlite
