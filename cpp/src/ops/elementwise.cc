// Elementwise ops: arithmetic, comparisons, logical and bitwise ops, where,
// clip, casts and copies (the plain unary ops are rows, see ops/unary.cc).
// Each op: functor (the math), registration (shape rule, kernel, gradient)
// and its typed np:: function, side by side.
#include <cmath>
#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/vmath.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// ---- functors -------------------------------------------------------------------
struct Add { template <class T> auto operator()(T a, T b) const { return a + b; } };
struct Sub { template <class T> auto operator()(T a, T b) const { return a - b; } };
struct Mul { template <class T> auto operator()(T a, T b) const { return a * b; } };
struct Div { template <class T> auto operator()(T a, T b) const { return a / b; } };
struct Pow {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point<T>::value) {
      return std::pow(a, b);
    } else if constexpr (std::is_same<T, bool>::value) {
      return a || !b;
    } else {
      // Integer power by squaring, as NumPy does for integer arrays. A
      // negative exponent gives MXNet's result: 1 and -1 keep their (signed)
      // powers, 0 gives the integer that inf converts to, others round to 0.
      if constexpr (std::is_signed<T>::value) {
        if (b < 0) {
          if (a == 1) return 1;
          if (a == -1) return (b & 1) ? T(-1) : T(1);
          return a == 0 ? std::numeric_limits<T>::lowest() : T(0);
        }
      }
      T r = 1;
      for (T base = a, e = b; e; e >>= 1, base *= base)
        if (e & 1) r *= base;
      return r;
    }
  }
};
template <class T>
bool is_nan(T v) { return v != v; }
struct Max { template <class T> T operator()(T a, T b) const { return (a > b || is_nan(a)) ? a : b; } };
struct Min { template <class T> T operator()(T a, T b) const { return (a < b || is_nan(a)) ? a : b; } };
struct Equal { template <class T> bool operator()(T a, T b) const { return a == b; } };
struct NotEqual { template <class T> bool operator()(T a, T b) const { return a != b; } };
struct Less { template <class T> bool operator()(T a, T b) const { return a < b; } };
struct LessEqual { template <class T> bool operator()(T a, T b) const { return a <= b; } };
struct Greater { template <class T> bool operator()(T a, T b) const { return a > b; } };
struct GreaterEqual { template <class T> bool operator()(T a, T b) const { return a >= b; } };

struct Abs {
  template <class T>
  T operator()(T a) const {
    if constexpr (std::is_unsigned<T>::value) return a;
    else if constexpr (std::is_floating_point<T>::value) return std::fabs(a);  // abs(-0.0) is +0.0
    else return a < 0 ? static_cast<T>(-a) : a;
  }
};
// Rounding is the identity on integers.

// ---- more binary math (mod, floor_divide, hypot, arctan2, logical, bitwise) ------
// Python's modulo: the result takes the sign of the divisor.
struct Mod {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point<T>::value) {
      T r = std::fmod(a, b);
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    } else if constexpr (std::is_same<T, bool>::value) {
      return b ? false : a;
    } else {
      if (b == 0) return 0;  // NumPy gives 0 (with a warning) for integer x % 0
      if constexpr (std::is_signed<T>::value) {
        if (b == -1) return 0;  // avoids INT_MIN % -1 overflow
      }
      T r = static_cast<T>(a % b);
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
      return r;
    }
  }
};
// floor(a / b), with NumPy's care for floats: computed from the exact
// remainder so that 1 // 0.1 is 9 (as 1 % 0.1 is 0.0999...), not 10.
struct FloorDivide {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point<T>::value) {
      if (b == 0) return a / b;
      T r = std::fmod(a, b);
      T q = (a - r) / b;
      if (r != 0 && ((b < 0) != (r < 0))) q -= T(1);
      if (q == 0) return std::copysign(T(0), a / b);
      T fq = std::floor(q);
      if (q - fq > T(0.5)) fq += T(1);
      return fq;
    } else if constexpr (std::is_same<T, bool>::value) {
      return a && b;
    } else {
      if (b == 0) return 0;
      if constexpr (std::is_signed<T>::value) {
        if (b == -1) return static_cast<T>(0 - static_cast<typename std::make_unsigned<T>::type>(a));
      }
      T q = static_cast<T>(a / b);
      if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
      return q;
    }
  }
};
struct Hypot { template <class T> T operator()(T a, T b) const { return std::hypot(a, b); } };
struct Arctan2 { template <class T> T operator()(T a, T b) const { return std::atan2(a, b); } };
struct Copysign { template <class T> T operator()(T a, T b) const { return std::copysign(a, b); } };
struct Gcd {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value) {
      using U = typename std::make_unsigned<T>::type;
      U x = a < 0 ? U(0) - U(a) : U(a), y = b < 0 ? U(0) - U(b) : U(b);
      while (y) { U t = x % y; x = y; y = t; }
      return static_cast<T>(x);
    } else {
      return a;  // not reached: the np:: functions accept integers only
    }
  }
};
struct Lcm {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value) {
      // NumPy's order: |a| / gcd * |b| in wrapping arithmetic (an lcm beyond
      // the dtype wraps, possibly negative, as NumPy's does).
      using U = typename std::make_unsigned<T>::type;
      const T g = Gcd()(a, b);
      if (g == 0) return 0;
      const U ua = a < 0 ? U(0) - U(a) : U(a), ub = b < 0 ? U(0) - U(b) : U(b);
      return static_cast<T>(static_cast<U>(ua / static_cast<U>(g)) * ub);
    } else {
      return a;
    }
  }
};
struct LogicalAnd { template <class T> bool operator()(T a, T b) const { return (a != T(0)) && (b != T(0)); } };
struct LogicalOr { template <class T> bool operator()(T a, T b) const { return (a != T(0)) || (b != T(0)); } };
struct LogicalXor { template <class T> bool operator()(T a, T b) const { return (a != T(0)) != (b != T(0)); } };
// Bitwise ops exist for bool and integers; the np:: functions refuse floats.
struct BitAnd {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value) return static_cast<T>(a & b); else return a;
  }
};
struct BitOr {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value) return static_cast<T>(a | b); else return a;
  }
};
struct BitXor {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value) return static_cast<T>(a ^ b); else return a;
  }
};

// ---- dtype rules -------------------------------------------------------------------
// What an arithmetic op does with two bool operands (NumPy's answer; MXNet
// 1.9.1 agrees where it has the op): add/multiply/maximum/minimum/power stay
// bool (or, and, ...), mod/floor_divide compute in int8, subtract refuses.
enum class BoolPair { Stays, Int8, Refused };

NDArray cast_if(const NDArray& a, DType dt) { return a.dtype() == dt ? a : np::astype(a, dt); }

// MXNet's rule for a scalar operand (mxlite::scalar_operand_dtype); a C++
// double is a float scalar, so a bool array computes in float32 beside it.
// The Python bindings pass Python ints and bools beside bool arrays as int64.
DType arith_scalar_dtype(DType a) { return scalar_operand_dtype(a, ScalarKind::Float); }

// Comparisons must still be exact, so a fractional scalar, or one outside the
// range of an integral array's dtype, compares in float64.
DType compare_scalar_dtype(DType a, double s) {
  if (is_floating(a)) return a;
  if (std::floor(s) != s) return DType::Float64;
  try {
    scalar_in_dtype(s, a == DType::Bool ? DType::UInt8 : a, "compare");
  } catch (const OverflowError&) {
    return DType::Float64;
  }
  return a;
}

const OpDef& op_add() { static const OpDef& o = op("add"); return o; }
const OpDef& op_sub() { static const OpDef& o = op("subtract"); return o; }
const OpDef& op_mul() { static const OpDef& o = op("multiply"); return o; }
const OpDef& op_div() { static const OpDef& o = op("divide"); return o; }

// Non-broadcastable operands, checked before a dtype check so that the shape
// error comes first (invoke() names the op in shape errors of its own).
void check_broadcast(const OpDef& o, const NDArray& a, const NDArray& b) {
  if (a.shape() != b.shape()) broadcast_shapes(a.shape(), b.shape(), o.name.c_str());
}

// Arithmetic between arrays: NumPy promotion; two bool operands as NumPy
// (and MXNet where it has the op) treat them.
NDArray binary(const OpDef& o, const NDArray& a, const NDArray& b, BoolPair bools) {
  DType dt = promote_types(a.dtype(), b.dtype());
  if (dt == DType::Bool) {
    if (bools == BoolPair::Refused) {
      check_broadcast(o, a, b);
      throw TypeError(o.name, "numpy boolean subtract, the `-` operator, is not supported for two bool arrays; use "
                              "the bitwise_xor, the `^` operator, or the logical_xor function instead");
    }
    if (bools == BoolPair::Int8) dt = DType::Int8;
  }
  return invoke1(o, {cast_if(a, dt), cast_if(b, dt)});
}

NDArray with_scalar(const OpDef& o, const NDArray& a, double s, bool reverse) {
  const DType dt = arith_scalar_dtype(a.dtype());
  Attrs attrs;
  attrs.scalar = scalar_in_dtype(s, dt, o.name.c_str());
  attrs.reverse = reverse;
  return invoke1(o, {cast_if(a, dt)}, attrs);
}

NDArray compare(const OpDef& o, const NDArray& a, const NDArray& b) {
  DType dt = promote_types(a.dtype(), b.dtype());
  return invoke1(o, {cast_if(a, dt), cast_if(b, dt)});
}

NDArray compare_scalar(const OpDef& o, const NDArray& a, double s) {
  Attrs attrs;
  attrs.scalar = s;
  return invoke1(o, {cast_if(a, compare_scalar_dtype(a.dtype(), s))}, attrs);
}

// Mask of where `cond` holds, in g's dtype, for gradients that route g.
NDArray as_mask(const NDArray& cond, DType dt) { return np::astype(cond, dt); }

// Gradient pieces for ops whose inputs were broadcast.
NDArray zero_grad_for(const GradCtx& g, size_t i) { return np::zeros(g.input_meta(i).shape, g.input_meta(i).dtype); }

void register_more_elementwise_ops() {
  // ---- mod / floor_divide: d(a % b) = (da, -floor(a / b) db); floor_divide is flat ----
  register_op("mod").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Mod>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        return {g.needs_grad(0) ? reduce_to(dy, g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? reduce_to(-(dy * np::floor_divide(a, b)), g.input_meta(1).shape) : NDArray()};
      });
  register_op("floor_divide").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<FloorDivide>)
      .set_grad([](const GradCtx& g) -> ArrayList { return {zero_grad_for(g, 0), zero_grad_for(g, 1)}; });
  // ---- float-valued binary math ------------------------------------------------------
  register_op("hypot").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Hypot>)
      .save_inputs({0, 1}).save_outputs({0})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1), &h = g.output(0);
        return {g.needs_grad(0) ? reduce_to(dy * a / h, g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? reduce_to(dy * b / h, g.input_meta(1).shape) : NDArray()};
      });
  register_op("arctan2").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Arctan2>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        // d atan2(a, b) = (b da - a db) / (a^2 + b^2)
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        NDArray scaled = dy / (np::square(a) + np::square(b));
        return {g.needs_grad(0) ? reduce_to(scaled * b, g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? reduce_to(-(scaled * a), g.input_meta(1).shape) : NDArray()};
      });
  register_op("copysign").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Copysign>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        // copysign(a, b) = |a| * s(b): d/da = sign(a) * s(b), nothing for b.
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        NDArray sign_b = np::copysign(np::ones(Shape{}, b.dtype()), b);
        return {g.needs_grad(0) ? reduce_to(dy * np::sign(a) * sign_b, g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? zero_grad_for(g, 1) : NDArray()};
      });
  // ---- integer-only and logical ops: no gradient ---------------------------------------
  register_op("gcd").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Gcd>).set_flags(kNotDifferentiable);
  register_op("lcm").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Lcm>).set_flags(kNotDifferentiable);
  register_op("bitwise_and").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<BitAnd>).set_flags(kNotDifferentiable);
  register_op("bitwise_or").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<BitOr>).set_flags(kNotDifferentiable);
  register_op("bitwise_xor").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<BitXor>).set_flags(kNotDifferentiable);
  register_op("logical_and").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<LogicalAnd>).set_flags(kNotDifferentiable);
  register_op("logical_or").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<LogicalOr>).set_flags(kNotDifferentiable);
  register_op("logical_xor").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<LogicalXor>).set_flags(kNotDifferentiable);

  // ---- where(cond, x, y): all three already broadcast to one shape; cond is bool -------
  register_op("where").inputs(3).save_inputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        MXLITE_CHECK(in[0].shape() == in[1].shape() && in[1].shape() == in[2].shape() && in[0].dtype() == DType::Bool &&
                         in[1].dtype() == in[2].dtype(),
                     "where", "internal: operands must be broadcast and promoted first, got shapes ", in[0].shape(), " ",
                     in[1].shape(), " ", in[2].shape());
        out.push_back(TensorMeta{in[1].shape(), in[1].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const bool* c = in[0].data<bool>();
        MXLITE_DTYPE_SWITCH(in[1].dtype(), T, {
          const T *x = in[1].data<T>(), *y = in[2].data<T>();
          T* o = out[0].data<T>();
          kernels::for_range(out[0].size(), kernels::kParallelGrain, [=](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) o[i] = c[i] ? x[i] : y[i];
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &cond = g.input(0);
        NDArray zero = np::zeros(Shape{}, dy.dtype());
        return {NDArray(), g.needs_grad(1) ? np::where(cond, dy, zero) : NDArray(),
                g.needs_grad(2) ? np::where(cond, zero, dy) : NDArray()};
      });

  // ---- clip: attrs.scalar / scalar2 are the bounds (+-inf when absent) -------------------
  register_op("clip").set_infer(infer_like_input).save_inputs({0})
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const double lo = attrs.scalar, hi = attrs.scalar2;
          if constexpr (std::is_integral<T>::value) {
            // MXNet's rule: a value outside [lo, hi] becomes the bound converted
            // to T (a bound outside T's range wraps like a cast through int64).
            // Compared in long double, which holds every int64 exactly.
            auto to_t = [](double c) {
              const int64_t i = c >= 9.2233720368547758e18 ? INT64_MAX
                                : c < -9.2233720368547758e18 ? INT64_MIN : static_cast<int64_t>(c);
              return static_cast<T>(static_cast<uint64_t>(i));
            };
            const T at_lo = to_t(lo), at_hi = to_t(hi);
            const long double llo = lo, lhi = hi;
            kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(), [=](T v) {
              const long double c = static_cast<long double>(v);
              // NumPy's order, minimum(maximum(v, lo), hi): hi wins when lo > hi.
              if (c > lhi || (c < llo && llo > lhi)) return at_hi;
              return c < llo ? at_lo : v;
            });
          } else {
            const T tlo = static_cast<T>(lo), thi = static_cast<T>(hi);
            kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(), [=](T v) {
              v = v < tlo ? tlo : v;
              return v > thi ? thi : v;
            });
          }
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray& x = g.input(0);
        NDArray inside = np::logical_and(np::greater_equal(x, g.attrs().scalar), np::less_equal(x, g.attrs().scalar2));
        return {g.ograd(0) * as_mask(inside, g.ograd(0).dtype())};
      });
}

}  // namespace

void register_elementwise_ops() {
  // ---- binary arithmetic (same dtype after promotion) ------------------------------
  register_op("add").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Add>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {reduce_to(g.ograd(0), g.input_meta(0).shape), reduce_to(g.ograd(0), g.input_meta(1).shape)};
      });
  register_op("subtract").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Sub>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {reduce_to(g.ograd(0), g.input_meta(0).shape),
                g.needs_grad(1) ? reduce_to(np::negative(g.ograd(0)), g.input_meta(1).shape) : NDArray()};
      });
  register_op("multiply").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Mul>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray& dy = g.ograd(0);
        return {g.needs_grad(0) ? reduce_to(dy * g.input(1), g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? reduce_to(dy * g.input(0), g.input_meta(1).shape) : NDArray()};
      });
  register_op("divide").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Div>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        return {g.needs_grad(0) ? reduce_to(dy / b, g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? reduce_to(-(dy * a) / (b * b), g.input_meta(1).shape) : NDArray()};
      });
  register_op("power").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Pow>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        return {g.needs_grad(0) ? reduce_to(dy * b * np::power(a, b - 1.0), g.input_meta(0).shape) : NDArray(),
                g.needs_grad(1) ? reduce_to(dy * np::power(a, b) * np::log(a), g.input_meta(1).shape) : NDArray()};
      });
  register_op("maximum").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Max>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        NDArray take_a = as_mask(np::greater_equal(a, b), dy.dtype());
        return {reduce_to(dy * take_a, g.input_meta(0).shape), reduce_to(dy * (1.0 - take_a), g.input_meta(1).shape)};
      });
  register_op("minimum").inputs(2).set_infer(infer_broadcast).set_kernel(binary_kernel<Min>).save_inputs({0, 1})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
        NDArray take_a = as_mask(np::less_equal(a, b), dy.dtype());
        return {reduce_to(dy * take_a, g.input_meta(0).shape), reduce_to(dy * (1.0 - take_a), g.input_meta(1).shape)};
      });

  // ---- with a scalar operand (attrs.scalar; attrs.reverse puts it on the left) ------
  register_op("add_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Add>)
      .set_grad([](const GradCtx& g) -> ArrayList { return {g.ograd(0)}; });
  register_op("subtract_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Sub>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {g.attrs().reverse ? np::negative(g.ograd(0)) : g.ograd(0)};
      });
  register_op("multiply_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Mul>)
      .set_grad([](const GradCtx& g) -> ArrayList { return {g.ograd(0) * g.attrs().scalar}; });
  register_op("divide_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Div>).save_inputs({0})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const double s = g.attrs().scalar;
        if (!g.attrs().reverse) return {g.ograd(0) / s};
        const NDArray& x = g.input(0);  // d(s/x) = -s/x^2
        return {g.ograd(0) * (-s) / (x * x)};
      });
  register_op("power_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Pow>).save_inputs({0})
      .set_grad([](const GradCtx& g) -> ArrayList {
        const double s = g.attrs().scalar;
        const NDArray& x = g.input(0);
        if (!g.attrs().reverse) return {g.ograd(0) * s * np::power(x, s - 1.0)};
        return {g.ograd(0) * np::power(s, x) * std::log(s)};  // d(s^x) = s^x ln s
      });
  register_op("maximum_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Max>).save_inputs({0})
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {g.ograd(0) * as_mask(np::greater_equal(g.input(0), g.attrs().scalar), g.ograd(0).dtype())};
      });
  register_op("minimum_scalar").set_infer(infer_like_input).set_kernel(scalar_kernel<Min>).save_inputs({0})
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {g.ograd(0) * as_mask(np::less_equal(g.input(0), g.attrs().scalar), g.ograd(0).dtype())};
      });

  // ---- comparisons: bool results, no gradient ------------------------------------------
  register_op("equal").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<Equal>).set_flags(kNotDifferentiable);
  register_op("not_equal").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<NotEqual>).set_flags(kNotDifferentiable);
  register_op("less").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<Less>).set_flags(kNotDifferentiable);
  register_op("less_equal").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<LessEqual>).set_flags(kNotDifferentiable);
  register_op("greater").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<Greater>).set_flags(kNotDifferentiable);
  register_op("greater_equal").inputs(2).set_infer(infer_compare).set_kernel(binary_kernel<GreaterEqual>).set_flags(kNotDifferentiable);
  register_op("equal_scalar").set_infer(infer_bool_like_input).set_kernel(scalar_kernel<Equal>).set_flags(kNotDifferentiable);
  register_op("not_equal_scalar").set_infer(infer_bool_like_input).set_kernel(scalar_kernel<NotEqual>).set_flags(kNotDifferentiable);
  register_op("less_scalar").set_infer(infer_bool_like_input).set_kernel(scalar_kernel<Less>).set_flags(kNotDifferentiable);
  register_op("less_equal_scalar").set_infer(infer_bool_like_input).set_kernel(scalar_kernel<LessEqual>).set_flags(kNotDifferentiable);
  register_op("greater_scalar").set_infer(infer_bool_like_input).set_kernel(scalar_kernel<Greater>).set_flags(kNotDifferentiable);
  register_op("greater_equal_scalar").set_infer(infer_bool_like_input).set_kernel(scalar_kernel<GreaterEqual>).set_flags(kNotDifferentiable);

  // ---- casts and copies ----------------------------------------------------------------------
  register_op("astype")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{in[0].shape(), attrs.dtype});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(in[0].dtype(), S, {
          MXLITE_DTYPE_SWITCH(out[0].dtype(), D, {
            kernels::map_unary(in[0].data<S>(), out[0].data<D>(), in[0].size(), [](S v) {
              if constexpr (std::is_same<D, bool>::value) return v != S(0);
              else return static_cast<D>(v);
            });
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        DType src = g.input_meta(0).dtype;
        return {is_floating(src) ? np::astype(g.ograd(0), src) : NDArray()};
      });
  register_op("copy").set_infer(infer_like_input)
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        std::memcpy(out[0].raw_data(), in[0].raw_data(), in[0].nbytes());
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {g.ograd(0)}; });

  register_more_elementwise_ops();
}

}  // namespace ops

namespace np {
using ops::binary;
using ops::compare;
using ops::compare_scalar;
using ops::with_scalar;

NDArray add(const NDArray& a, const NDArray& b) { return binary(ops::op_add(), a, b, ops::BoolPair::Stays); }
NDArray subtract(const NDArray& a, const NDArray& b) { return binary(ops::op_sub(), a, b, ops::BoolPair::Refused); }
NDArray multiply(const NDArray& a, const NDArray& b) { return binary(ops::op_mul(), a, b, ops::BoolPair::Stays); }
NDArray divide(const NDArray& a, const NDArray& b) {
  DType dt = promote_types(a.dtype(), b.dtype());
  if (!is_floating(dt)) dt = DType::Float32;  // true division of integers
  return invoke1(ops::op_div(), {ops::cast_if(a, dt), ops::cast_if(b, dt)});
}
NDArray power(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("power");
  // float32 with an int32/int64 operand: float32 cannot hold the exponent
  // (2**31 - 1 rounds to an even 2**31), so compute in float64 as NumPy and
  // MXNet do, then round the result.
  auto wide_int = [](DType d) { return d == DType::Int32 || d == DType::Int64; };
  if (promote_types(a.dtype(), b.dtype()) == DType::Float32 && (wide_int(a.dtype()) || wide_int(b.dtype())))
    return astype(binary(o, astype(a, DType::Float64), astype(b, DType::Float64), ops::BoolPair::Stays),
                  DType::Float32);
  return binary(o, a, b, ops::BoolPair::Stays);
}
NDArray maximum(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("maximum");
  return binary(o, a, b, ops::BoolPair::Stays);
}
NDArray minimum(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("minimum");
  return binary(o, a, b, ops::BoolPair::Stays);
}

NDArray add(const NDArray& a, double s) { static const OpDef& o = op("add_scalar"); return with_scalar(o, a, s, false); }
NDArray subtract(const NDArray& a, double s) { static const OpDef& o = op("subtract_scalar"); return with_scalar(o, a, s, false); }
NDArray subtract(double s, const NDArray& a) { static const OpDef& o = op("subtract_scalar"); return with_scalar(o, a, s, true); }
NDArray multiply(const NDArray& a, double s) { static const OpDef& o = op("multiply_scalar"); return with_scalar(o, a, s, false); }
NDArray divide(const NDArray& a, double s) {
  static const OpDef& o = op("divide_scalar");
  return with_scalar(o, is_floating(a.dtype()) ? a : astype(a, DType::Float32), s, false);
}
NDArray divide(double s, const NDArray& a) {
  static const OpDef& o = op("divide_scalar");
  return with_scalar(o, is_floating(a.dtype()) ? a : astype(a, DType::Float32), s, true);
}
NDArray power(const NDArray& a, double s) { static const OpDef& o = op("power_scalar"); return with_scalar(o, a, s, false); }
NDArray power(double s, const NDArray& a) { static const OpDef& o = op("power_scalar"); return with_scalar(o, a, s, true); }
NDArray maximum(const NDArray& a, double s) { static const OpDef& o = op("maximum_scalar"); return with_scalar(o, a, s, false); }
NDArray minimum(const NDArray& a, double s) { static const OpDef& o = op("minimum_scalar"); return with_scalar(o, a, s, false); }

NDArray equal(const NDArray& a, const NDArray& b) { static const OpDef& o = op("equal"); return compare(o, a, b); }
NDArray not_equal(const NDArray& a, const NDArray& b) { static const OpDef& o = op("not_equal"); return compare(o, a, b); }
NDArray less(const NDArray& a, const NDArray& b) { static const OpDef& o = op("less"); return compare(o, a, b); }
NDArray less_equal(const NDArray& a, const NDArray& b) { static const OpDef& o = op("less_equal"); return compare(o, a, b); }
NDArray greater(const NDArray& a, const NDArray& b) { static const OpDef& o = op("greater"); return compare(o, a, b); }
NDArray greater_equal(const NDArray& a, const NDArray& b) { static const OpDef& o = op("greater_equal"); return compare(o, a, b); }
NDArray equal(const NDArray& a, double s) { static const OpDef& o = op("equal_scalar"); return compare_scalar(o, a, s); }
NDArray not_equal(const NDArray& a, double s) { static const OpDef& o = op("not_equal_scalar"); return compare_scalar(o, a, s); }
NDArray less(const NDArray& a, double s) { static const OpDef& o = op("less_scalar"); return compare_scalar(o, a, s); }
NDArray less_equal(const NDArray& a, double s) { static const OpDef& o = op("less_equal_scalar"); return compare_scalar(o, a, s); }
NDArray greater(const NDArray& a, double s) { static const OpDef& o = op("greater_scalar"); return compare_scalar(o, a, s); }
NDArray greater_equal(const NDArray& a, double s) { static const OpDef& o = op("greater_equal_scalar"); return compare_scalar(o, a, s); }



NDArray astype(const NDArray& a, DType dtype) {
  static const OpDef& o = op("astype");
  Attrs attrs;
  attrs.dtype = dtype;
  return invoke1(o, {a}, attrs);
}
NDArray copy(const NDArray& a) { static const OpDef& o = op("copy"); return invoke1(o, {a}); }

// ---- more binary math, logical and bitwise ops, where, clip, special functions ------
namespace {
// Promotes like binary() but computes in float32 when the common type is not
// floating (hypot, arctan2 of integers).
NDArray float_binary(const OpDef& o, const NDArray& a, const NDArray& b) {
  DType dt = promote_types(a.dtype(), b.dtype());
  if (!is_floating(dt)) dt = DType::Float32;
  return invoke1(o, {ops::cast_if(a, dt), ops::cast_if(b, dt)});
}
// The scalar operand as a 0-d array of the dtype the array computes in.
NDArray scalar_operand(const NDArray& a, double s, const char* op_name) {
  const DType dt = ops::arith_scalar_dtype(a.dtype());
  return scalar(scalar_in_dtype(s, dt, op_name), dt);
}
// Bitwise ops and gcd/lcm: integers (and bool for the bitwise ones) only.
NDArray integer_binary(const OpDef& o, const NDArray& a, const NDArray& b, bool allow_bool) {
  ops::check_broadcast(o, a, b);
  DType dt = promote_types(a.dtype(), b.dtype());
  MXLITE_CHECK(is_integral(dt) || (allow_bool && dt == DType::Bool), o.name.c_str(),
               "not supported for the input types ", dtype_name(a.dtype()), " and ", dtype_name(b.dtype()),
               allow_bool ? " (integer or bool arrays only)" : " (integer arrays only)");
  return invoke1(o, {ops::cast_if(a, dt), ops::cast_if(b, dt)});
}
}  // namespace

NDArray mod(const NDArray& a, const NDArray& b) { static const OpDef& o = op("mod"); return binary(o, a, b, ops::BoolPair::Int8); }
NDArray mod(const NDArray& a, double s) { return mod(a, scalar_operand(a, s, "mod")); }
NDArray mod(double s, const NDArray& a) { return mod(scalar_operand(a, s, "mod"), a); }
NDArray floor_divide(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("floor_divide");
  return binary(o, a, b, ops::BoolPair::Int8);
}
NDArray floor_divide(const NDArray& a, double s) { return floor_divide(a, scalar_operand(a, s, "floor_divide")); }
NDArray floor_divide(double s, const NDArray& a) { return floor_divide(scalar_operand(a, s, "floor_divide"), a); }
NDArray hypot(const NDArray& a, const NDArray& b) { static const OpDef& o = op("hypot"); return float_binary(o, a, b); }
NDArray arctan2(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("arctan2");
  return float_binary(o, a, b);
}
NDArray copysign(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("copysign");
  return float_binary(o, a, b);
}
NDArray gcd(const NDArray& a, const NDArray& b) { static const OpDef& o = op("gcd"); return integer_binary(o, a, b, false); }
NDArray lcm(const NDArray& a, const NDArray& b) { static const OpDef& o = op("lcm"); return integer_binary(o, a, b, false); }
NDArray bitwise_and(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("bitwise_and");
  return integer_binary(o, a, b, true);
}
NDArray bitwise_or(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("bitwise_or");
  return integer_binary(o, a, b, true);
}
NDArray bitwise_xor(const NDArray& a, const NDArray& b) {
  static const OpDef& o = op("bitwise_xor");
  return integer_binary(o, a, b, true);
}
NDArray logical_and(const NDArray& a, const NDArray& b) { static const OpDef& o = op("logical_and"); return compare(o, a, b); }
NDArray logical_or(const NDArray& a, const NDArray& b) { static const OpDef& o = op("logical_or"); return compare(o, a, b); }
NDArray logical_xor(const NDArray& a, const NDArray& b) { static const OpDef& o = op("logical_xor"); return compare(o, a, b); }

NDArray where(const NDArray& cond, const NDArray& x, const NDArray& y) {
  static const OpDef& o = op("where");
  Shape shape = broadcast_shapes(broadcast_shapes(cond.shape(), x.shape(), "where"), y.shape(), "where");
  DType dt = promote_types(x.dtype(), y.dtype());
  auto prepare = [&](const NDArray& v, DType want) {
    NDArray r = ops::cast_if(v, want);
    return r.shape() == shape ? r : broadcast_to(r, shape);  // recorded: gradients sum back
  };
  return invoke1(o, {prepare(cond, DType::Bool), prepare(x, dt), prepare(y, dt)});
}

NDArray clip(const NDArray& a, double a_min, double a_max) {
  static const OpDef& o = op("clip");
  MXLITE_CHECK(!std::isnan(a_min) && !std::isnan(a_max), "clip", "bounds must not be NaN");
  Attrs attrs;
  attrs.scalar = a_min;
  attrs.scalar2 = a_max;
  // A bool array computes in the bounds' dtype (float32 beside C++ doubles;
  // the bindings pass bool arrays with integer bounds as int64).
  return invoke1(o, {ops::cast_if(a, ops::arith_scalar_dtype(a.dtype()))}, attrs);
}

}  // namespace np
}  // namespace mxlite
