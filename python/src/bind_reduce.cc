// Reductions of mxnet.numpy (np face) and mxnet.ndarray (legacy face):
// prod, max/min, all/any, argmax/argmin, std/var, cumsum and the norms.
// Argument conversion only; the work is in mxlite::np (cpp/src/ops/reduce.cc).
#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

using AllFn = NDArray (*)(const NDArray&, bool);
using SomeFn = NDArray (*)(const NDArray&, const Axes&, bool);

NDArray prod_all(const NDArray& a, bool k) { return np::prod(a, k); }
NDArray prod_some(const NDArray& a, const Axes& ax, bool k) { return np::prod(a, ax, k); }
NDArray max_all(const NDArray& a, bool k) { return np::max(a, k); }
NDArray max_some(const NDArray& a, const Axes& ax, bool k) { return np::max(a, ax, k); }
NDArray min_all(const NDArray& a, bool k) { return np::min(a, k); }
NDArray min_some(const NDArray& a, const Axes& ax, bool k) { return np::min(a, ax, k); }
NDArray all_all(const NDArray& a, bool k) { return np::all(a, k); }
NDArray all_some(const NDArray& a, const Axes& ax, bool k) { return np::all(a, ax, k); }
NDArray any_all(const NDArray& a, bool k) { return np::any(a, k); }
NDArray any_some(const NDArray& a, const Axes& ax, bool k) { return np::any(a, ax, k); }
// Legacy nd.norm: elementwise 1- or 2-norm over the axes.
NDArray norm1_all(const NDArray& a, bool k) { return np::vector_norm(a, 1, k); }
NDArray norm1_some(const NDArray& a, const Axes& ax, bool k) { return np::vector_norm(a, 1, ax, k); }
NDArray norm2_all(const NDArray& a, bool k) { return np::vector_norm(a, 2, k); }
NDArray norm2_some(const NDArray& a, const Axes& ax, bool k) { return np::vector_norm(a, 2, ax, k); }

/// An axis argument that must be None or a single int (argmax, cumsum).
std::optional<int64_t> single_axis(py::handle axis, const char* op) {
  if (axis.is_none()) return std::nullopt;
  MXLITE_CHECK(py::isinstance<py::int_>(axis) && !py::isinstance<py::bool_>(axis), op,
               "axis must be an int or None, got ", py::repr(axis).cast<std::string>());
  return axis.cast<int64_t>();
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

NDArray with_dtype(const NDArray& a, py::handle dtype) {
  std::optional<DType> dt = opt_dtype(dtype);
  return dt && *dt != a.dtype() ? np::astype(a, *dt) : a;
}

void bind_simple_reductions(py::module_& m, Face face) {
  const std::pair<const char*, std::pair<AllFn, SomeFn>> simple[] = {
      {"max", {max_all, max_some}}, {"min", {min_all, min_some}},
      {"all", {all_all, all_some}}, {"any", {any_all, any_some}}};
  for (const auto& [name, fns] : simple) {
    m.def(name, [face, name = name, fns = fns](py::handle a, py::handle axis, bool keepdims, bool exclude) {
      return wrap(reduce(fns.first, fns.second, array_arg(a, name), axis, keepdims, exclude, face), face);
    }, py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false, py::arg("exclude") = false);
  }
  // prod(dtype=...) accumulates in that dtype, as NumPy does.
  m.def("prod", [face](py::handle a, py::handle axis, py::handle dtype, bool keepdims, bool exclude) {
    return wrap(reduce(prod_all, prod_some, with_dtype(array_arg(a, "prod"), dtype), axis, keepdims, exclude, face), face);
  }, py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none(), py::arg("keepdims") = false,
     py::arg("exclude") = false);
}

}  // namespace

void bind_reduce(py::module_& m) {
  py::module_ npm = m.attr("np");
  py::module_ ndm = m.attr("nd");
  bind_simple_reductions(npm, Face::Np);
  bind_simple_reductions(ndm, Face::Nd);

  for (bool is_max : {true, false}) {
    npm.def(is_max ? "argmax" : "argmin", [is_max](py::handle a, py::handle axis, bool keepdims) {
      return wrap(arg_extremum(is_max, array_arg(a, is_max ? "argmax" : "argmin"), axis, keepdims), Face::Np);
    }, py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false);
    // Legacy: positions in the input's dtype (float32 for float32 data), shape (1,) when flattened.
    ndm.def(is_max ? "argmax" : "argmin", [is_max](py::handle a, py::handle axis, bool keepdims) {
      const NDArray& x = array_arg(a, is_max ? "argmax" : "argmin");
      NDArray r = np::astype(arg_extremum(is_max, x, axis, keepdims), x.dtype());
      if (r.ndim() == 0) r = np::reshape(r, Shape{1});
      return wrap(r, Face::Nd);
    }, py::arg("a"), py::arg("axis") = py::none(), py::arg("keepdims") = false);
  }

  for (bool is_std : {true, false}) {
    npm.def(is_std ? "std" : "var", [is_std](py::handle a, py::handle axis, py::handle dtype, double ddof,
                                             bool keepdims) {
      NDArray x = with_dtype(array_arg(a, is_std ? "std" : "var"), dtype);
      Axes axes;
      bool some = axes_from_py(axis, axes);
      NDArray r = is_std ? (some ? np::std(x, axes, ddof, keepdims) : np::std(x, ddof, keepdims))
                         : (some ? np::var(x, axes, ddof, keepdims) : np::var(x, ddof, keepdims));
      return wrap(r, Face::Np);
    }, py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none(), py::arg("ddof") = 0,
       py::arg("keepdims") = false);
  }

  for (Face face : {Face::Np, Face::Nd}) {
    py::module_ mod = face == Face::Np ? npm : ndm;
    mod.def("cumsum", [face](py::handle a, py::handle axis, py::handle dtype) {
      NDArray x = with_dtype(array_arg(a, "cumsum"), dtype);
      std::optional<int64_t> ax = single_axis(axis, "cumsum");
      return wrap(ax ? np::cumsum(x, *ax) : np::cumsum(x), face);
    }, py::arg("a"), py::arg("axis") = py::none(), py::arg("dtype") = py::none());
  }

  npm.def("norm", [](py::handle x, py::handle ord, py::handle axis, bool keepdims) {
    Axes axes;
    bool some = axes_from_py(axis, axes);
    return wrap(np::linalg_norm(array_arg(x, "norm"), norm_ord(ord), some ? &axes : nullptr, keepdims), Face::Np);
  }, py::arg("x"), py::arg("ord") = py::none(), py::arg("axis") = py::none(), py::arg("keepdims") = false);
  ndm.def("norm", [](py::handle x, py::handle ord, py::handle axis, bool keepdims) {
    double o = ord.is_none() ? 2.0 : num(ord, "norm");
    MXLITE_CHECK(o == 1 || o == 2, "norm", "legacy norm only supports ord=1 and ord=2, got ord=", o);
    const bool one = o == 1;
    return wrap(reduce(one ? norm1_all : norm2_all, one ? norm1_some : norm2_some, array_arg(x, "norm"), axis, keepdims,
                       false, Face::Nd), Face::Nd);
  }, py::arg("x"), py::arg("ord") = 2, py::arg("axis") = py::none(), py::arg("keepdims") = false);
}

}  // namespace bind
}  // namespace mxlite
