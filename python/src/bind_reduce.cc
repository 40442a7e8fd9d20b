// Core implementations of the reductions of mxnet.numpy (np face) and
// mxnet.ndarray (legacy face): sum, mean, prod, max/min, all/any,
// argmax/argmin, std/var, cumsum and the norms; their public names and
// signatures are python/mxnet/_api/reduce.py. Argument conversion only; the
// work is in mxlite::np (cpp/src/ops/reduce.cc). out= takes the result through
// the recorded copy op (np::copy(r, out)): same shape and dtype, gradients
// flow through out as MXNet's do.
#include <algorithm>

#include "function.h"

namespace mxlite {
namespace bind {
namespace {

/// MXNet (and NumPy for argmax, squeeze) takes axis 0 or -1 of a 0-d array as
/// the array itself: np.sum(np.array(0.5), axis=0) is array(0.5).
bool is_own_axis_of_scalar(const Axes& axes) { return axes.size() == 1 && (axes[0] == 0 || axes[0] == -1); }

/// The axes a reduction runs over (nullopt: all of them) from MXNet's
/// arguments: axis None, an int or a tuple; `exclude` reduces over the other
/// axes. On the legacy face an empty tuple means every axis, as in MXNet 1.x.
std::optional<Axes> reduced_axes(py::handle axis, const NDArray& a, bool exclude, Face face, const char* fn) {
  Axes axes;
  if (!axes_from_py(axis, axes, fn)) return std::nullopt;
  if (face == Face::Nd && axes.empty()) return std::nullopt;
  if (a.ndim() == 0 && !exclude && is_own_axis_of_scalar(axes)) return std::nullopt;
  if (!exclude) return axes;
  Axes keep = normalize_axes(axes, a.ndim(), fn), rest;
  for (size_t i = 0; i < a.ndim(); ++i)
    if (std::find(keep.begin(), keep.end(), static_cast<int64_t>(i)) == keep.end())
      rest.push_back(static_cast<int64_t>(i));
  return rest;
}

/// The result, or `out` holding it. The legacy face has no 0-d arrays: a
/// full reduction gives shape (1,).
py::object deliver_reduced(NDArray r, py::handle out, Face face, const char* fn) {
  if (face == Face::Nd && r.ndim() == 0) r = np::reshape(r, Shape{1});
  if (out.is_none()) return wrap(std::move(r), face);
  np::copy(r, out_arg(out, face, fn));
  return py::reinterpret_borrow<py::object>(out);
}

bool flag(py::handle h) {
  const int v = PyObject_IsTrue(h.ptr());
  if (v < 0) throw py::error_already_set();
  return v == 1;
}

/// NumPy's where= (mxlite reduces over every selected element only).
void check_where(py::handle where, const char* fn) {
  if (!where.is_none() && where.ptr() != Py_True) unsupported_argument(fn, "where");
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
  if (ax && x.ndim() == 0 && is_own_axis_of_scalar(Axes{*ax})) ax.reset();
  if (is_max) return ax ? np::argmax(x, *ax, keepdims) : np::argmax(x, keepdims);
  return ax ? np::argmin(x, *ax, keepdims) : np::argmin(x, keepdims);
}

using ReduceFn = NDArray (*)(const NDArray&, const Axes*, bool, const np::ReduceOptions&);

/// One reduction call: the axes, the options, out, the legacy (1,) shape.
py::object reduction(ReduceFn fn, const char* name, py::handle a, py::handle axis, bool keepdims, bool exclude,
                     const np::ReduceOptions& options, py::handle out, Face face) {
  const NDArray x = array_arg(a, name);
  std::optional<Axes> axes = reduced_axes(axis, x, exclude, face, name);
  return deliver_reduced(fn(x, axes ? &*axes : nullptr, keepdims, options), out, face, name);
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

void def_np_reductions() {
  for (const char* name : {"sum", "prod"}) {
    const ReduceFn fn = std::string(name) == "sum" ? static_cast<ReduceFn>(np::sum) : static_cast<ReduceFn>(np::prod);
    def_impl(std::string("np.") + name, "",
             [fn, name](py::handle a, py::handle axis, py::handle dtype, py::handle out, py::handle keepdims,
                        py::handle initial, py::handle where) {
               check_where(where, name);
               return reduction(fn, name, a, axis, flag(keepdims), false, options_of(dtype, initial, name), out,
                                Face::Np);
             });
  }
  def_impl("np.mean", "",
           [](py::handle a, py::handle axis, py::handle dtype, py::handle out, py::handle keepdims, py::handle where) {
             check_where(where, "mean");
             return reduction(np::mean, "mean", a, axis, flag(keepdims), false, options_of(dtype, py::none(), "mean"),
                              out, Face::Np);
           });
  for (bool is_max : {true, false}) {
    const char* name = is_max ? "max" : "min";
    const ReduceFn fn = is_max ? static_cast<ReduceFn>(np::max) : static_cast<ReduceFn>(np::min);
    def_impl(std::string("np.") + name, "",
             [fn, name](py::handle a, py::handle axis, py::handle out, py::handle keepdims, py::handle initial,
                        py::handle where) {
               check_where(where, name);
               return reduction(fn, name, a, axis, flag(keepdims), false, options_of(py::none(), initial, name), out,
                                Face::Np);
             });
  }
  for (bool is_all : {true, false}) {
    const char* name = is_all ? "all" : "any";
    def_impl(std::string("np.") + name, "",
             [is_all, name](py::handle a, py::handle axis, py::handle out, py::handle keepdims, py::handle where) {
               check_where(where, name);
               const NDArray x = array_arg(a, name);
               std::optional<Axes> axes = reduced_axes(axis, x, false, Face::Np, name);
               const bool keep = flag(keepdims);
               NDArray r = is_all ? (axes ? np::all(x, *axes, keep) : np::all(x, keep))
                                  : (axes ? np::any(x, *axes, keep) : np::any(x, keep));
               return deliver_reduced(std::move(r), out, Face::Np, name);
             });
  }
  for (bool is_max : {true, false}) {
    const char* name = is_max ? "argmax" : "argmin";
    def_impl(std::string("np.") + name, "",
             [is_max, name](py::handle a, py::handle axis, py::handle out, py::handle keepdims) {
               return deliver_reduced(arg_extremum(is_max, array_arg(a, name), axis, flag(keepdims)), out, Face::Np,
                                      name);
             });
  }
  for (bool is_std : {true, false}) {
    const char* name = is_std ? "std" : "var";
    def_impl(std::string("np.") + name, "",
             [is_std, name](py::handle a, py::handle axis, py::handle dtype, py::handle out, py::handle ddof,
                            py::handle keepdims, py::handle where) {
               check_where(where, name);
               // NumPy's std/var in an integral dtype truncate the mean and each squared
               // deviation, MXNet's give other values again: mxlite computes in floats only.
               std::optional<DType> dt = opt_dtype(dtype);
               if (dt && !is_floating(*dt)) unsupported_argument(name, "dtype", py::str(dtype_name(*dt)));
               const NDArray x = array_arg(a, name);
               Axes axes;
               const Axes* ax = axes_from_py(axis, axes, name) ? &axes : nullptr;
               const double d = num(ddof, name);
               const bool keep = flag(keepdims);
               return deliver_reduced(is_std ? np::std(x, ax, d, keep, dt) : np::var(x, ax, d, keep, dt), out, Face::Np,
                                      name);
             });
  }
}

// The norms: np.linalg.norm (mxnet/numpy/linalg.py) and the legacy nd.norm.
void bind_np_norm(py::module_& m) {
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

// `name` only names symbols in MXNet; it has no effect on arrays.
void def_nd_reductions() {
  const std::pair<const char*, ReduceFn> simple[] = {
      {"sum", np::sum}, {"mean", np::mean}, {"prod", np::prod}, {"max", np::max}, {"min", np::min}};
  for (const auto& [name, fn] : simple) {
    def_impl(std::string("nd.") + name, "",
             [name = name, fn = fn](py::handle data, py::handle axis, py::handle keepdims, py::handle exclude,
                                    py::handle out, py::handle) {
               return reduction(fn, name, data, axis, flag(keepdims), flag(exclude), legacy_options(name, data), out,
                                Face::Nd);
             });
  }
  for (bool is_max : {true, false}) {
    // Positions in the input's dtype (float32 for float32 data), shape (1,) when flattened.
    const char* name = is_max ? "argmax" : "argmin";
    def_impl(std::string("nd.") + name, "",
             [is_max, name](py::handle data, py::handle axis, py::handle keepdims, py::handle out, py::handle) {
               const NDArray x = array_arg(data, name);
               // Positions in bool make no sense; MXNet 1.x refuses bool input too.
               MXLITE_CHECK_AS(TypeError, x.dtype() != DType::Bool, name, "legacy ", name,
                               " takes no bool array (positions are given in the input's dtype); cast it first");
               return deliver_reduced(np::astype(arg_extremum(is_max, x, axis, flag(keepdims)), x.dtype()), out,
                                      Face::Nd, name);
             });
  }
  def_impl("nd.norm", "",
           [](py::handle data, py::handle ord, py::handle axis, py::handle out_dtype, py::handle keepdims,
              py::handle out, py::handle) {
             if (!out_dtype.is_none()) unsupported_argument("norm", "out_dtype", out_dtype);
             double o = ord.is_none() ? 2.0 : num(ord, "norm");
             MXLITE_CHECK(o == 1 || o == 2, "norm", "legacy norm only supports ord=1 and ord=2, got ord=", o);
             const NDArray a = array_arg(data, "norm");
             std::optional<Axes> axes = reduced_axes(axis, a, false, Face::Nd, "norm");
             return deliver_reduced(legacy_norm(a, axes ? &*axes : nullptr, flag(keepdims), o), out, Face::Nd, "norm");
           });
}

}  // namespace

void bind_reduce(py::module_& m) {
  py::module_ npm = m.attr("np");
  bind_np_norm(npm);
  def_np_reductions();
  def_nd_reductions();
  for (Face face : {Face::Np, Face::Nd}) {
    def_impl(face == Face::Np ? "np.cumsum" : "nd.cumsum", "",
             [face](py::handle a, py::handle axis, py::handle dtype, py::handle out, py::handle) {
               std::optional<int64_t> ax = single_axis(axis, "cumsum");
               return deliver_reduced(np::cumsum(array_arg(a, "cumsum"), ax ? &*ax : nullptr, opt_dtype(dtype)), out,
                                      face, "cumsum");
             });
  }
}

}  // namespace bind
}  // namespace mxlite
