// mxlite (internal): helpers shared by the op families - shape/dtype rules,
// kernel templates and the functions that register each family.
#pragma once

#include <cmath>
#include <type_traits>

#include "kernels/elementwise.h"
#include "mxlite/ops.h"

namespace mxlite {
namespace ops {

// Each family registers its ops when the registry is first used.
/// Registers every built-in family once (the first op look-up does it too).
void ensure_builtin_ops();
void register_creation_ops();
void register_unary_ops();
void register_binary_ops();
void register_elementwise_ops();
void register_reduce_ops();
void register_shape_ops();
void register_indexing_ops();
void register_linalg_ops();
void register_la_ops();
void register_random_ops();
void register_gradient_control_ops();
void register_nn_ops();
void register_loss_output_ops();
void register_conv_ops();
void register_pooling_ops();
void register_ctc_ops();
void register_vision_ops();
void register_optimizer_ops();

/// Throws naming the op unless `a` is float32 or float64 (`what`: "input", "weight", ...).
void check_float(const NDArray& a, const char* op, const char* what);

// ---- the op-table rows (unary_ops.inc, binary_ops.inc) -------------------------
/// The OpDef a row registered (registering the built-in families first if no
/// op has been looked up yet).
const OpDef& registered(const OpDef* const& def);

/// Whether a row's functor has a gradient (static ArrayList grad(const GradCtx&)).
template <class F, class = void> struct HasGrad : std::false_type {};
template <class F> struct HasGrad<F, std::void_t<decltype(&F::grad)>> : std::true_type {};
template <class F, class = void> struct HasBoolError : std::false_type {};
template <class F> struct HasBoolError<F, std::void_t<decltype(F::kBoolError)>> : std::true_type {};
/// The functor's own TypeError text for bool inputs, or nullptr.
template <class F> constexpr const char* bool_error_of() {
  if constexpr (HasBoolError<F>::value)
    return F::kBoolError;
  else
    return nullptr;
}

/// A float32 copy of float16 `a` (not recorded: the registry's float16 path).
NDArray half_as_float(const NDArray& a);
/// Rounds float32 `src` into float16 `dst` of the same size (not recorded).
void float_into_half(const NDArray& src, const NDArray& dst);

/// `a` in dtype `dt` (itself when it already is; recorded otherwise).
inline NDArray cast_if(const NDArray& a, DType dt) { return a.dtype() == dt ? a : np::astype(a, dt); }
/// A bool condition as 0/1 in `dt`, to route a gradient.
inline NDArray mask(const NDArray& cond, DType dt) { return np::astype(cond, dt); }

/// MXNet's rule for a C++ double beside an array (mxlite::scalar_operand_dtype
/// with a float scalar): the array's dtype, float32 for a bool array.
inline DType arith_scalar_dtype(DType a) { return scalar_operand_dtype(a, ScalarKind::Float); }

// ---- shape/dtype rules -------------------------------------------------------
/// Output like input 0.
void infer_like_input(const Attrs&, Span<NDArray> in, MetaList& out);
/// Broadcast of inputs 0 and 1, which must share a dtype (callers promote first).
void infer_broadcast(const Attrs&, Span<NDArray> in, MetaList& out);
/// Broadcast of inputs 0 and 1, bool result.
void infer_compare(const Attrs&, Span<NDArray> in, MetaList& out);
/// Bool array shaped like input 0.
void infer_bool_like_input(const Attrs&, Span<NDArray> in, MetaList& out);
/// attrs.shape and attrs.dtype (creation ops).
void infer_from_attrs(const Attrs&, Span<NDArray> in, MetaList& out);

/// Sums a gradient down to `shape` when the forward broadcast its input.
inline NDArray reduce_to(const NDArray& g, const Shape& shape) { return g.shape() == shape ? g : np::sum_to(g, shape); }

// ---- kernels -------------------------------------------------------------------
/// out = F(in) elementwise for floating dtypes.
template <class F> void float_unary_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "unary",
                      kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(), F()));
}

/// out = F(a, b) with broadcasting; a and b share a dtype; out has it too
/// unless R says otherwise (bool for comparisons).
template <class F> void binary_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const NDArray &a = in[0], &b = in[1];
  MXLITE_DTYPE_SWITCH(a.dtype(), T, {
    using R = decltype(F()(T(), T()));
    if constexpr (std::is_same<R, bool>::value) {
      kernels::map_binary(a.data<T>(), a.shape(), b.data<T>(), b.shape(), out[0].data<bool>(), out[0].shape(), F());
    } else {
      kernels::map_binary(a.data<T>(), a.shape(), b.data<T>(), b.shape(), out[0].data<T>(), out[0].shape(),
                          [](T x, T y) { return static_cast<T>(F()(x, y)); });
    }
  });
}

/// out = F(x, s) or, with attrs.reverse, F(s, x).
template <class F> void scalar_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray& a = in[0];
  MXLITE_DTYPE_SWITCH(a.dtype(), T, {
    using R = decltype(F()(T(), T()));
    const T s = static_cast<T>(attrs.scalar);
    const T* x = a.data<T>();
    if constexpr (std::is_same<R, bool>::value) {
      bool* y = out[0].data<bool>();
      if (attrs.reverse)
        kernels::map_unary(x, y, a.size(), [s](T v) { return F()(s, v); });
      else
        kernels::map_unary(x, y, a.size(), [s](T v) { return F()(v, s); });
    } else {
      T* y = out[0].data<T>();
      if (attrs.reverse)
        kernels::map_unary(x, y, a.size(), [s](T v) { return static_cast<T>(F()(s, v)); });
      else
        kernels::map_unary(x, y, a.size(), [s](T v) { return static_cast<T>(F()(v, s)); });
    }
  });
}

}  // namespace ops
}  // namespace mxlite
