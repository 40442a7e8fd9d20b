// Core implementations of the plain unary ops (rows of mxlite/unary_ops.inc),
// one per face: "np.<name>"(x, out, where, casting, order, dtype, subok),
// "npx.<name>" and "nd.<name>"(data, out, name).
#include <string_view>

#include "function.h"

namespace mxlite {
namespace bind {
namespace {

using UnaryOutFn = NDArray (*)(const NDArray&, const NDArray&);

void def_unary(const char* name, const char* doc, UnaryOutFn fn, bool predicate) {
  def_impl(std::string("np.") + name, doc,
           [name, fn](py::handle x, py::handle out, py::handle where, py::handle casting, py::handle order,
                      py::handle dtype, py::handle subok) {
             check_ufunc_options(name, where, casting, order, dtype, subok);
             if (out.is_none() && is_number(x))
               if (py::handle numpy_fn = numpy_function(name)) return numpy_fn(x);
             return deliver(fn(array_arg(x, name), out_arg(out, Face::Np, name)), out, Face::Np);
           });
  // `name` only names symbols in MXNet; it has no effect on arrays.
  def_impl(std::string("npx.") + name, doc, [name, fn](py::handle data, py::handle out, py::handle) {
    return deliver(fn(array_arg(data, name), out_arg(out, Face::Np, name)), out, Face::Np);
  });
  // Legacy predicates (logical_not) give 0/1 in the operand's dtype, as MXNet 1.x.
  def_impl(std::string("nd.") + name, doc, [name, fn, predicate](py::handle data, py::handle out, py::handle) {
    const NDArray x = array_arg(data, name), o = out_arg(out, Face::Nd, name);
    return deliver(predicate ? nd::as_truth_values(fn(x, NDArray()), x.dtype(), o) : fn(x, o), out, Face::Nd);
  });
}

}  // namespace

void bind_unary(py::module_& m) {
  py::list names;
#define MXLITE_UNARY(name, F, policy, saves, doc)                             \
  def_unary(#name, doc, &np::name, std::string_view(#policy) == "Predicate"); \
  names.append(#name);
#include "mxlite/unary_ops.inc"
#undef MXLITE_UNARY
  m.attr("unary_ops") = py::tuple(names);
}

}  // namespace bind
}  // namespace mxlite
