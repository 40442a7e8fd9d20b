// Shape family bindings (concatenate, split, squeeze, tile, flip, roll, pad,
// legacy reshape codes, ...): argument conversion only, each a call into
// mxlite::np. Both faces get the same functions; the Python modules
// mxnet/numpy/_shape.py and mxnet/ndarray/_shape.py give them their signatures.
#include <pybind11/stl.h>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

std::vector<NDArray> array_list(py::handle seq, const char* op) {
  std::vector<NDArray> out;
  if (as_array(seq)) throw Error(op, "expected a sequence of arrays, got a single array");
  for (py::handle h : seq) out.push_back(array_arg(h, op));
  return out;
}

py::list wrap_list(const std::vector<NDArray>& arrays, Face face) {
  py::list out;
  for (const NDArray& a : arrays) out.append(wrap(a, face));
  return out;
}

void bind_shape_functions(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };

  // axis=None joins the flattened arrays (NumPy).
  m.def(
      "concatenate",
      [w](py::handle seq, py::handle axis) {
        std::vector<NDArray> arrays = array_list(seq, "concatenate");
        if (axis.is_none()) {
          for (NDArray& a : arrays) a = np::ravel(a);
          return w(np::concatenate(arrays, 0));
        }
        return w(np::concatenate(arrays, int_arg(axis, "concatenate", "axis")));
      },
      py::arg("seq"), py::arg("axis") = 0);
  m.def(
      "stack", [w](py::handle seq, int64_t axis) { return w(np::stack(array_list(seq, "stack"), axis)); },
      py::arg("arrays"), py::arg("axis") = 0);
  // An int gives equal sections, a sequence the split indices.
  m.def(
      "split",
      [face](py::handle a, py::handle sections, int64_t axis) {
        const NDArray& x = array_arg(a, "split");
        if (PyLong_Check(sections.ptr()))
          return wrap_list(np::split(x, int_arg(sections, "split", "sections"), axis), face);
        std::vector<int64_t> at;
        for (py::handle i : sections) at.push_back(int_arg(i, "split", "a split index"));
        return wrap_list(np::split(x, at, axis), face);
      },
      py::arg("ary"), py::arg("indices_or_sections"), py::arg("axis") = 0);
  m.def(
      "expand_dims_axes",
      [w](py::handle a, py::handle axis) {
        Axes axes;
        axes_from_py(axis, axes);
        return w(np::expand_dims(array_arg(a, "expand_dims"), axes));
      },
      py::arg("a"), py::arg("axis"));
  m.def(
      "squeeze",
      [w](py::handle a, py::handle axis) {
        Axes axes;
        if (axes_from_py(axis, axes)) {
          const NDArray x = array_arg(a, "squeeze");
          // Axis 0 or -1 of a 0-d array is the array itself (MXNet, NumPy).
          if (x.ndim() == 0 && axes.size() == 1 && (axes[0] == 0 || axes[0] == -1)) return w(np::squeeze(x));
          return w(np::squeeze(x, axes));
        }
        return w(np::squeeze(array_arg(a, "squeeze")));
      },
      py::arg("a"), py::arg("axis") = py::none());
  m.def("ravel", [w](py::handle a) { return w(np::ravel(array_arg(a, "ravel"))); }, py::arg("a"));
  m.def(
      "swapaxes",
      [w](py::handle a, int64_t axis1, int64_t axis2) {
        return w(np::swapaxes(array_arg(a, "swapaxes"), axis1, axis2));
      },
      py::arg("a"), py::arg("axis1"), py::arg("axis2"));
  m.def(
      "moveaxis",
      [w](py::handle a, py::handle source, py::handle destination) {
        return w(np::moveaxis(array_arg(a, "moveaxis"), shape_from_py(source, "moveaxis"),
                              shape_from_py(destination, "moveaxis")));
      },
      py::arg("a"), py::arg("source"), py::arg("destination"));
  m.def(
      "tile",
      [w](py::handle a, py::handle reps) { return w(np::tile(array_arg(a, "tile"), shape_from_py(reps, "tile"))); },
      py::arg("A"), py::arg("reps"));
  m.def(
      "repeat",
      [w](py::handle a, int64_t repeats, py::handle axis) {
        if (axis.is_none()) return w(np::repeat(array_arg(a, "repeat"), repeats));
        return w(np::repeat(array_arg(a, "repeat"), repeats, int_arg(axis, "repeat", "axis")));
      },
      py::arg("a"), py::arg("repeats"), py::arg("axis") = py::none());
  m.def(
      "flip",
      [w](py::handle a, py::handle axis) {
        Axes axes;
        if (axes_from_py(axis, axes)) return w(np::flip(array_arg(a, "flip"), axes));
        return w(np::flip(array_arg(a, "flip")));
      },
      py::arg("m"), py::arg("axis") = py::none());
  m.def(
      "roll",
      [w](py::handle a, py::handle shift, py::handle axis) {
        Axes axes;
        if (!axes_from_py(axis, axes)) {
          if (PyLong_Check(shift.ptr())) {
            // A shift beyond int64 acts modulo the size, as NumPy's Python-int arithmetic does.
            const NDArray x = array_arg(a, "roll");
            if (x.size() == 0) return w(np::copy(x));
            py::int_ reduced =
                py::reinterpret_steal<py::int_>(PyNumber_Remainder(shift.ptr(), py::int_(x.size()).ptr()));
            if (!reduced) throw py::error_already_set();
            return w(np::roll(x, reduced.cast<int64_t>()));
          }
          // Several shifts of the flattened array add up (NumPy).
          const NDArray& x = array_arg(a, "roll");
          if (x.ndim() == 0) return w(np::copy(x));
          return w(np::reshape(np::roll(np::ravel(x), shape_from_py(shift, "roll"), Axes{0}), x.shape()));
        }
        return w(np::roll(array_arg(a, "roll"), shape_from_py(shift, "roll"), axes));
      },
      py::arg("a"), py::arg("shift"), py::arg("axis") = py::none());
  m.def(
      "pad_constant",
      [w](py::handle a, const std::vector<std::pair<int64_t, int64_t>>& widths, double value) {
        return w(np::pad(array_arg(a, "pad"), widths, value));
      },
      py::arg("array"), py::arg("pad_width"), py::arg("constant_values") = 0.0);
  m.def(
      "pad_mode",
      [w](py::handle a, const std::vector<std::pair<int64_t, int64_t>>& widths, const std::string& mode) {
        static const std::pair<const char*, np::PadMode> modes[] = {
            {"edge", np::PadMode::Edge}, {"reflect", np::PadMode::Reflect}, {"symmetric", np::PadMode::Symmetric},
            {"wrap", np::PadMode::Wrap}, {"maximum", np::PadMode::Maximum}, {"minimum", np::PadMode::Minimum},
            {"mean", np::PadMode::Mean}};
        for (const auto& [name, m] : modes)
          if (mode == name) return w(np::pad(array_arg(a, "pad"), widths, m));
        throw Error("pad", "mode '" + mode + "' is not supported");
      },
      py::arg("array"), py::arg("pad_width"), py::arg("mode"));
  m.def(
      "slice_axis",
      [w](py::handle a, int64_t axis, int64_t begin, py::handle end) {
        const NDArray& x = array_arg(a, "slice_axis");
        int64_t stop = end.is_none() ? np::IndexItem::kNone : int_arg(end, "slice_axis", "end");
        return w(np::slice_axis(x, axis, begin, stop));
      },
      py::arg("data"), py::arg("axis"), py::arg("begin"), py::arg("end"));
  // MXNet's legacy slice: per-axis begin/end/step, None for a default bound.
  m.def(
      "slice",
      [w](py::handle a, py::handle begin, py::handle end, py::handle step) {
        const NDArray& x = array_arg(a, "slice");
        auto bound = [](py::handle seq, size_t i) {
          if (seq.is_none() || i >= py::len(seq)) return np::IndexItem::kNone;
          py::handle v = seq[py::int_(i)];
          return v.is_none() ? np::IndexItem::kNone : int_arg(v, "slice", "a bound");
        };
        const size_t n = py::len(begin);
        MXLITE_CHECK(n == py::len(end) && n <= x.ndim(), "slice", "begin ", py::str(begin).cast<std::string>(),
                     " and end ", py::str(end).cast<std::string>(),
                     " must have equal lengths of at most ndim for shape ", x.shape());
        std::vector<np::IndexItem> items;
        for (size_t i = 0; i < n; ++i) {
          int64_t s = bound(step, i);
          MXLITE_CHECK(s != 0, "slice", "slice step cannot be zero");
          items.push_back(np::IndexItem::slice(bound(begin, i), bound(end, i), s));
        }
        return w(np::basic_index(x, items));
      },
      py::arg("data"), py::arg("begin"), py::arg("end"), py::arg("step") = py::none());
  m.def(
      "legacy_reshape",
      [w](py::handle a, py::handle shape, bool reverse) {
        const NDArray& x = array_arg(a, "reshape");
        return w(np::reshape(x, np::legacy_reshape_shape(x.shape(), shape_from_py(shape, "reshape"), reverse)));
      },
      py::arg("data"), py::arg("shape"), py::arg("reverse") = false);
  if (face == Face::Np)
    m.def(
        "npx_reshape",
        [w](py::handle a, py::handle shape, bool reverse) {
          const NDArray& x = array_arg(a, "npx.reshape");
          // MXNet: npx.reshape always returns a copy.
          return w(
              np::copy(np::reshape(x, np::npx_reshape_shape(x.shape(), shape_from_py(shape, "npx.reshape"), reverse))));
        },
        py::arg("a"), py::arg("newshape"), py::arg("reverse") = false);
}

}  // namespace

void bind_shape(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  py::module_ nd_mod = m.attr("nd");
  bind_shape_functions(np_mod, Face::Np);
  bind_shape_functions(nd_mod, Face::Nd);
}

}  // namespace bind
}  // namespace mxlite
