// The helper behind the rows of mxlite/unary_ops.inc: one dtype policy, one
// registration and one entry point for every plain unary op.
#pragma once

#include <type_traits>

#include "ops/common.h"

namespace mxlite {
namespace ops {

enum class UnaryPolicy { Float, Numeric, NotBool, IntKeep, Predicate, IntOrBool, Any };
enum class UnarySaves { SaveNone, SaveInput, SaveOutput, SaveBoth };

template <class F, class = void> struct HasContiguous : std::false_type {};
template <class F> struct HasContiguous<F, std::void_t<decltype(&F::template contiguous<float>)>> : std::true_type {};

// The kernel instantiates F only for the dtypes its policy lets through.
template <class F, UnaryPolicy P> void unary_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const NDArray &x = in[0], &y = out[0];
  const int64_t n = x.size();
  if constexpr (HasContiguous<F>::value) {
    MXLITE_FLOAT_SWITCH(x.dtype(), T, "unary", F::contiguous(x.data<T>(), y.data<T>(), n));
  } else if constexpr (P == UnaryPolicy::Float) {
    MXLITE_FLOAT_SWITCH(x.dtype(), T, "unary", kernels::map_unary(x.data<T>(), y.data<T>(), n, F()));
  } else if constexpr (P == UnaryPolicy::Numeric || P == UnaryPolicy::NotBool || P == UnaryPolicy::IntKeep) {
    MXLITE_NUMERIC_SWITCH(x.dtype(), T, "unary", kernels::map_unary(x.data<T>(), y.data<T>(), n, F()));
  } else if constexpr (P == UnaryPolicy::Predicate) {
    MXLITE_DTYPE_SWITCH(x.dtype(), T, kernels::map_unary(x.data<T>(), y.data<bool>(), n, F()));
  } else {
    MXLITE_DTYPE_SWITCH(x.dtype(), T, kernels::map_unary(x.data<T>(), y.data<T>(), n, F()));
  }
}

/// Registers one row's op: shape rule from the policy, kernel from F, the
/// gradient F::grad (none: not differentiable).
template <class F, UnaryPolicy P> OpDef& register_unary(const char* name, UnarySaves saves) {
  OpDef& o = register_op(name).set_kernel(unary_kernel<F, P>).set_flags(kElementwise);
  o.set_infer(P == UnaryPolicy::Predicate ? infer_bool_like_input : infer_like_input);
  if (saves == UnarySaves::SaveInput || saves == UnarySaves::SaveBoth) o.save_inputs({0});
  if (saves == UnarySaves::SaveOutput || saves == UnarySaves::SaveBoth) o.save_outputs({0});
  if constexpr (HasGrad<F>::value)
    o.set_grad(&F::grad);
  else
    o.set_flags(kNotDifferentiable);
  return o;
}

/// The dtype the op computes in for input dtype `dt` (throws for refused dtypes).
DType unary_compute_dtype(const OpDef& o, UnaryPolicy policy, DType dt, const char* bool_error);

/// A row's np:: entry point: the policy's dtype, then the op (into `out` when
/// it is defined, see invoke1).
NDArray unary_entry(const OpDef& o, UnaryPolicy policy, const char* bool_error, const NDArray& a, const NDArray& out);

}  // namespace ops
}  // namespace mxlite
