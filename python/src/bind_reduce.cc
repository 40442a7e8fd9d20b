// Reductions of mxnet.numpy (np face) and mxnet.ndarray (legacy face): sum,
// mean, prod, max/min, all/any, argmax/argmin, std/var, cumsum and the norms.
// Argument conversion only; the work is in mxlite::np (cpp/src/ops/reduce.cc).
// Arguments mxlite does not implement (out=, where=) are refused in Python
// (python/mxnet/numpy/_reduce.py) before these are called.
#include <algorithm>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

/// The axes a reduction runs over (nullopt: all of them) from MXNet's
/// arguments: axis None, an int or a tuple; `exclude` reduces over the other
/// axes. On the legacy face an empty tuple means every axis, as in MXNet 1.x.
std::optional<Axes> reduced_axes(py::handle axis, const NDArray& a, bool exclude, Face face, const char* fn) {
  Axes axes;
  if (!axes_from_py(axis, axes, fn)) return std::nullopt;
  if (face == Face::Nd && axes.empty()) return std::nullopt;
  if (!exclude) return axes;
  Axes keep = normalize_axes(axes, a.ndim(), fn), rest;
  for (size_t i = 0; i < a.ndim(); ++i)
    if (std::find(keep.begin(), keep.end(), static_cast<int64_t>(i)) == keep.end())
      rest.push_back(static_cast<int64_t>(i));
  return rest;
}

/// The legacy face has no 0-d arrays: a full reduction gives shape (1,).
py::object wrap_reduced(NDArray r, Face face) {
  if (face == Face::Nd && r.ndim() == 0) r = np::reshape(r, Shape{1});
  return wrap(std::move(r), face);
}

/// initial=: None, or a number (a 0-d array too, as NumPy takes it).
std::optional<double> initial_arg(py::handle initial, const char* fn) {
  if (initial.is_none()) return std::nullopt;
  if (auto s = as_scalar(initial)) return s;
  if (const NDArray* arr = as_array(initial); arr && arr->size() == 1)
    return np::astype(*arr, DType::Float64).to_vector<double>()[0];
  throw py::type_error(std::string(fn) + ": initial must be a number or None, got " +
                       py::repr(initial).cast<std::string>());
}

/// An axis argument that must be None or a single int (argmax, cumsum).
std::optional<int64_t> single_axis(py::handle axis, const char* op) {
  if (axis.is_none()) return std::nullopt;
  PyObject* o = axis.ptr();
  MXLITE_CHECK(PyIndex_Check(o) && !PyBool_Check(o) && !as_array(axis), op, "axis must be an int or None, got ",
               py::repr(axis).cast<std::string>());
  return int_arg(axis, op, "axis");
}

np::NormOrd norm_ord(py::handle ord) {
  np::NormOrd o;
  if (ord.is_none()) return o;
  if (py::isinstance<py::str>(ord)) {
    std::string s = ord.cast<std::string>();
    MXLITE_CHECK(s == "fro" || s == "nuc", "norm", "invalid norm order '", s, "'");
    o.kind = s == "fro" ? np::NormOrd::Fro : np::NormOrd::Nuc;
    return o;
  }
  o.kind = np::NormOrd::Number;
  o.p = num(ord, "norm");
  return o;
}

NDArray arg_extremum(bool is_max, const NDArray& x, py::handle axis, bool keepdims) {
  std::optional<int64_t> ax = single_axis(axis, is_max ? "argmax" : "argmin");
  if (is_max) return ax ? np::argmax(x, *ax, keepdims) : np::argmax(x, keepdims);
  return ax ? np::argmin(x, *ax, keepdims) : np::argmin(x, keepdims);
}

using ReduceFn = NDArray (*)(const NDArray&, const Axes*, bool, const np::ReduceOptions&);

/// One reduction call: the axes, the options, the legacy (1,) shape.
py::object reduction(ReduceFn fn, const char* name, py::handle a, py::handle axis, bool keepdims, bool exclude,
                     const np::ReduceOptions& options, Face face) {
  const NDArray x = array_arg(a, name);
  std::optional<Axes> axes = reduced_axes(axis, x, exclude, face, name);
  return wrap_reduced(fn(x, axes ? &*axes : nullptr, keepdims, options), face);
}

np::ReduceOptions options_of(py::handle dtype, py::handle initial, const char* fn) {
  np::ReduceOptions o;
  o.dtype = opt_dtype(dtype);
  o.initial = initial_arg(initial, fn);
  return o;
}

// Legacy NDArray reductions keep the input's dtype where MXNet 1.x does: a
// bool sum or product is bool, an integral mean is integral (the wrapped sum
// divided and truncated); np:: gives these with dtype = the input's.
np::ReduceOptions legacy_options(const char* name, py::handle a) {
  np::ReduceOptions o;
  const NDArray* x = as_array(a);
  if (!x) return o;
  const std::string n = name;
  if ((n == "sum" || n == "prod") && x->dtype() == DType::Bool) o.dtype = DType::Bool;
  if (n == "mean" && !is_floating(x->dtype())) o.dtype = x->dtype();
  return o;
}

void bind_np_reductions(py::module_& m) {
  m.def(
      "sum",
      [](py::handle a, py::handle axis, py::handle dtype, bool keepdims, py::handle initial) {
        return reduction(np::sum, "sum", a, axis, keepdims, false, options_of(dtype, initial, "sum"), Face::Np);
      },
      py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none(), py::arg("keepdims") = false,
      py::arg("initial") = py::none());
  m.def(
      "prod",
      [](py::handle a, py::handle axis, py::handle dtype, bool keepdims, py::handle initial) {
        return reduction(np::prod, "prod", a, axis, keepdims, false, options_of(dtype, initial, "prod"), Face::Np);
      },
      py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none(), py::arg("keepdims") = false,
      py::arg("initial") = py::none());
  m.def(
      "mean",
      [](py::handle a, py::handle axis, py::handle dtype, bool keepdims) {
        return reduction(np::mean, "mean", a, axis, keepdims, false, options_of(dtype, py::none(), "mean"), Face::Np);
      },
      py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none(), py::arg("keepdims") = false);
  for (bool is_max : {true, false}) {
    const char* name = is_max ? "max" : "min";
    m.def(
        name,
        [is_max, name](py::handle a, py::handle axis, bool keepdims, py::handle initial) {
          const ReduceFn fn = is_max ? static_cast<ReduceFn>(np::max) : static_cast<ReduceFn>(np::min);
          return reduction(fn, name, a, axis, keepdims, false, options_of(py::none(), initial, name), Face::Np);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false, py::arg("initial") = py::none());
  }
  for (bool is_all : {true, false}) {
    const char* name = is_all ? "all" : "any";
    m.def(
        name,
        [is_all, name](py::handle a, py::handle axis, bool keepdims) {
          const NDArray x = array_arg(a, name);
          std::optional<Axes> axes = reduced_axes(axis, x, false, Face::Np, name);
          if (is_all) return wrap(axes ? np::all(x, *axes, keepdims) : np::all(x, keepdims), Face::Np);
          return wrap(axes ? np::any(x, *axes, keepdims) : np::any(x, keepdims), Face::Np);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false);
  }
  for (bool is_max : {true, false}) {
    m.def(
        is_max ? "argmax" : "argmin",
        [is_max](py::handle a, py::handle axis, bool keepdims) {
          return wrap(arg_extremum(is_max, array_arg(a, is_max ? "argmax" : "argmin"), axis, keepdims), Face::Np);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false);
  }
  for (bool is_std : {true, false}) {
    const char* name = is_std ? "std" : "var";
    m.def(
        name,
        [is_std, name](py::handle a, py::handle axis, py::handle dtype, double ddof, bool keepdims) {
          const NDArray x = array_arg(a, name);
          Axes axes;
          const Axes* ax = axes_from_py(axis, axes, name) ? &axes : nullptr;
          return wrap(is_std ? np::std(x, ax, ddof, keepdims, opt_dtype(dtype))
                             : np::var(x, ax, ddof, keepdims, opt_dtype(dtype)),
                      Face::Np);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none(), py::arg("ddof") = 0,
        py::arg("keepdims") = false);
  }
  m.def(
      "norm",
      [](py::handle x, py::handle ord, py::handle axis, bool keepdims) {
        Axes axes;
        bool some = axes_from_py(axis, axes, "norm");
        return wrap(np::linalg_norm(array_arg(x, "norm"), norm_ord(ord), some ? &axes : nullptr, keepdims), Face::Np);
      },
      py::arg("x"), py::arg("ord") = py::none(), py::arg("axis") = py::none(), py::arg("keepdims") = false);
}

// Legacy nd.norm: elementwise 1- or 2-norm over the axes.
NDArray legacy_norm(const NDArray& a, const Axes* axes, bool keepdims, double ord) {
  return axes ? np::vector_norm(a, ord, *axes, keepdims) : np::vector_norm(a, ord, keepdims);
}

void bind_nd_reductions(py::module_& m) {
  const std::pair<const char*, ReduceFn> simple[] = {
      {"sum", np::sum}, {"mean", np::mean}, {"prod", np::prod}, {"max", np::max}, {"min", np::min}};
  for (const auto& [name, fn] : simple) {
    m.def(
        name,
        [name = name, fn = fn](py::handle a, py::handle axis, bool keepdims, bool exclude) {
          return reduction(fn, name, a, axis, keepdims, exclude, legacy_options(name, a), Face::Nd);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false, py::arg("exclude") = false);
  }
  for (bool is_max : {true, false}) {
    // Positions in the input's dtype (float32 for float32 data), shape (1,) when flattened.
    m.def(
        is_max ? "argmax" : "argmin",
        [is_max](py::handle a, py::handle axis, bool keepdims) {
          const char* name = is_max ? "argmax" : "argmin";
          const NDArray x = array_arg(a, name);
          // Positions in bool make no sense; MXNet 1.x refuses bool input too.
          MXLITE_CHECK_AS(TypeError, x.dtype() != DType::Bool, name, "legacy ", name,
                          " takes no bool array (positions are given in the input's dtype); cast it first");
          return wrap_reduced(np::astype(arg_extremum(is_max, x, axis, keepdims), x.dtype()), Face::Nd);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false);
  }
  m.def(
      "norm",
      [](py::handle x, py::handle ord, py::handle axis, bool keepdims) {
        double o = ord.is_none() ? 2.0 : num(ord, "norm");
        MXLITE_CHECK(o == 1 || o == 2, "norm", "legacy norm only supports ord=1 and ord=2, got ord=", o);
        const NDArray a = array_arg(x, "norm");
        std::optional<Axes> axes = reduced_axes(axis, a, false, Face::Nd, "norm");
        return wrap_reduced(legacy_norm(a, axes ? &*axes : nullptr, keepdims, o), Face::Nd);
      },
      py::arg("x"), py::arg("ord") = 2, py::arg("axis") = py::none(), py::arg("keepdims") = false);
}

}  // namespace

void bind_reduce(py::module_& m) {
  py::module_ npm = m.attr("np");
  py::module_ ndm = m.attr("nd");
  bind_np_reductions(npm);
  bind_nd_reductions(ndm);
  for (Face face : {Face::Np, Face::Nd}) {
    py::module_ mod = face == Face::Np ? npm : ndm;
    mod.def(
        "cumsum",
        [face](py::handle a, py::handle axis, py::handle dtype) {
          std::optional<int64_t> ax = single_axis(axis, "cumsum");
          return wrap(np::cumsum(array_arg(a, "cumsum"), ax ? &*ax : nullptr, opt_dtype(dtype)), face);
        },
        py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none());
  }
}

}  // namespace bind
}  // namespace mxlite
