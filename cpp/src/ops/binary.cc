// The plain binary ops: one functor per op (its math and, as static grad() /
// scalar_grad(), its gradients written with registered ops), and the rows of
// mxlite/binary_ops.inc, from which one helper registers each op (and its
// `_scalar` form) and defines its np:: entry points. The dtype rules of the
// family are binary_compute_dtype() and scalar_compute_dtype() below.
#include <cmath>
#include <limits>
#include <type_traits>

#include "ops/common.h"

namespace mxlite {
namespace ops {

enum class BinaryPolicy { Arith, NoBoolPair, Int8Bools, TrueDivide, Power, Float, Integer, IntOrBool, Compare };
enum class BinarySaves { SaveNone, SaveInputs, SaveAll };
enum class BinaryScalar { ScalarOp, ScalarArray };

namespace {

constexpr double kLn2 = 0.6931471805599453;

template <class T> constexpr bool is_float_v = std::is_floating_point<T>::value;
template <class T> bool is_nan(T v) { return v != v; }

// The gradient for input i, summed back to its shape when it was broadcast;
// computed only when that input needs one.
template <class Fn> NDArray part(const GradCtx& g, size_t i, Fn&& fn) {
  return g.needs_grad(i) ? reduce_to(fn(), g.input_meta(i).shape) : NDArray();
}
NDArray zeros_for(const GradCtx& g, size_t i) { return np::zeros(g.input_meta(i).shape, g.input_meta(i).dtype); }
ArrayList zero_gradients(const GradCtx& g) { return {zeros_for(g, 0), zeros_for(g, 1)}; }

// The gradient of a choice between the operands: to the first where `take_first`
// holds, else to the second (the scalar form has only the first).
ArrayList routed(const GradCtx& g, const NDArray& take_first) {
  const NDArray& dy = g.ograd(0);
  const NDArray take = mask(take_first, dy.dtype());
  if (g.num_inputs() == 1) return {dy * take};
  return {part(g, 0, [&] { return dy * take; }), part(g, 1, [&] { return dy * (1.0 - take); })};
}

// ---- arithmetic --------------------------------------------------------------------
struct Add {
  template <class T> T operator()(T a, T b) const { return static_cast<T>(a + b); }
  static ArrayList grad(const GradCtx& g) {
    return {part(g, 0, [&] { return g.ograd(0); }), part(g, 1, [&] { return g.ograd(0); })};
  }
  static ArrayList scalar_grad(const GradCtx& g) { return {g.ograd(0)}; }
};
struct Subtract {
  static constexpr const char* kBoolError =
      "numpy boolean subtract, the `-` operator, is not supported for two bool arrays; use the bitwise_xor, the `^` "
      "operator, or the logical_xor function instead";
  template <class T> T operator()(T a, T b) const { return static_cast<T>(a - b); }
  static ArrayList grad(const GradCtx& g) {
    return {part(g, 0, [&] { return g.ograd(0); }), part(g, 1, [&] { return np::negative(g.ograd(0)); })};
  }
  static ArrayList scalar_grad(const GradCtx& g) { return {g.attrs().reverse ? np::negative(g.ograd(0)) : g.ograd(0)}; }
};
struct Multiply {
  template <class T> T operator()(T a, T b) const { return static_cast<T>(a * b); }
  static ArrayList grad(const GradCtx& g) {
    return {part(g, 0, [&] { return g.ograd(0) * g.input(1); }), part(g, 1, [&] { return g.ograd(0) * g.input(0); })};
  }
  static ArrayList scalar_grad(const GradCtx& g) { return {g.ograd(0) * g.attrs().scalar}; }
};
struct Divide {
  static constexpr bool kScalarGradReadsInput = true;
  template <class T> T operator()(T a, T b) const { return static_cast<T>(a / b); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
    return {part(g, 0, [&] { return dy / b; }), part(g, 1, [&] { return -(dy * a) / (b * b); })};
  }
  static ArrayList scalar_grad(const GradCtx& g) {
    const double s = g.attrs().scalar;
    if (!g.attrs().reverse) return {g.ograd(0) / s};
    const NDArray& x = g.input(0);  // d(s/x) = -s/x^2
    return {g.ograd(0) * (-s) / (x * x)};
  }
};
struct Power {
  static constexpr bool kScalarGradReadsInput = true;
  template <class T> T operator()(T a, T b) const {
    if constexpr (is_float_v<T>) {
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
  static ArrayList grad(const GradCtx& g) {
    const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
    return {part(g, 0, [&] { return dy * b * np::power(a, b - 1.0); }),
            part(g, 1, [&] { return dy * np::power(a, b) * np::log(a); })};
  }
  static ArrayList scalar_grad(const GradCtx& g) {
    const double s = g.attrs().scalar;
    const NDArray& x = g.input(0);
    if (!g.attrs().reverse) return {g.ograd(0) * s * np::power(x, s - 1.0)};
    return {g.ograd(0) * np::power(s, x) * std::log(s)};  // d(s^x) = s^x ln s
  }
};
// NaN wins (NumPy's maximum/minimum); the gradient goes to the larger
// (smaller) operand, to the first on ties.
struct Maximum {
  static constexpr bool kScalarGradReadsInput = true;
  template <class T> T operator()(T a, T b) const { return (a > b || is_nan(a)) ? a : b; }
  static ArrayList grad(const GradCtx& g) { return routed(g, np::greater_equal(g.input(0), g.input(1))); }
  static ArrayList scalar_grad(const GradCtx& g) { return routed(g, np::greater_equal(g.input(0), g.attrs().scalar)); }
};
struct Minimum {
  static constexpr bool kScalarGradReadsInput = true;
  template <class T> T operator()(T a, T b) const { return (a < b || is_nan(a)) ? a : b; }
  static ArrayList grad(const GradCtx& g) { return routed(g, np::less_equal(g.input(0), g.input(1))); }
  static ArrayList scalar_grad(const GradCtx& g) { return routed(g, np::less_equal(g.input(0), g.attrs().scalar)); }
};

// ---- remainders and floor division -----------------------------------------------------
// Integer a / b toward zero, defined everywhere: x / 0 is 0 (NumPy's integer
// result) and INT_MIN / -1 wraps.
template <class T> T truncated_quotient(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed<T>::value) {
    if (b == -1) return static_cast<T>(0 - static_cast<typename std::make_unsigned<T>::type>(a));
  }
  return static_cast<T>(a / b);
}

// Python's modulo: the result takes the sign of the divisor.
// d(a % b) = (da, -floor(a / b) db).
struct Mod {
  template <class T> T operator()(T a, T b) const {
    if constexpr (is_float_v<T>) {
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
  static ArrayList grad(const GradCtx& g) {
    const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
    return {part(g, 0, [&] { return dy; }), part(g, 1, [&] { return -(dy * np::floor_divide(a, b)); })};
  }
};
// floor(a / b), with NumPy's care for floats: computed from the exact
// remainder so that 1 // 0.1 is 9 (as 1 % 0.1 is 0.0999...), not 10.
struct FloorDivide {
  template <class T> T operator()(T a, T b) const {
    if constexpr (is_float_v<T>) {
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
      const T q = truncated_quotient(a, b);
      if constexpr (std::is_signed<T>::value) {
        if (b != 0 && b != -1 && a % b != 0 && ((a < 0) != (b < 0))) return static_cast<T>(q - 1);
      }
      return q;
    }
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradients(g); }
};

// C's division for integers (MXNet 1.x legacy NDArrays): toward zero.
struct TruncateDivide {
  template <class T> T operator()(T a, T b) const {
    if constexpr (is_float_v<T>) {
      return a / b;
    } else if constexpr (std::is_same<T, bool>::value) {
      return a && b;
    } else {
      return truncated_quotient(a, b);
    }
  }
};

// ---- float-valued math ---------------------------------------------------------------------
struct Hypot {
  template <class T> T operator()(T a, T b) const { return std::hypot(a, b); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray &dy = g.ograd(0), &h = g.output(0);
    return {part(g, 0, [&] { return dy * g.input(0) / h; }), part(g, 1, [&] { return dy * g.input(1) / h; })};
  }
};
// d atan2(a, b) = (b da - a db) / (a^2 + b^2)
struct Arctan2 {
  template <class T> T operator()(T a, T b) const { return std::atan2(a, b); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray &a = g.input(0), &b = g.input(1);
    NDArray scaled = g.ograd(0) / (np::square(a) + np::square(b));
    return {part(g, 0, [&] { return scaled * b; }), part(g, 1, [&] { return -(scaled * a); })};
  }
};
// copysign(a, b) = |a| * s(b): d/da = sign(a) * s(b), nothing for b.
struct Copysign {
  template <class T> T operator()(T a, T b) const { return std::copysign(a, b); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray &a = g.input(0), &b = g.input(1);
    return {part(g, 0, [&] { return g.ograd(0) * np::sign(a) * np::copysign(np::ones(Shape{}, b.dtype()), b); }),
            g.needs_grad(1) ? zeros_for(g, 1) : NDArray()};
  }
};
// a * 2**b; MXNet keeps integer operands integral.
struct Ldexp {
  template <class T> T operator()(T a, T b) const {
    if constexpr (is_float_v<T>)
      return a * std::pow(T(2), b);
    else
      return static_cast<T>(static_cast<double>(a) * std::pow(2.0, static_cast<double>(b)));
  }
  static ArrayList grad(const GradCtx& g) {
    const NDArray &dy = g.ograd(0), &a = g.input(0), &b = g.input(1);
    NDArray scale = np::power(2.0, b);
    return {part(g, 0, [&] { return dy * scale; }), part(g, 1, [&] { return dy * a * scale * kLn2; })};
  }
};
struct Heaviside {
  template <class T> T operator()(T a, T b) const {
    if (is_nan(a)) return a;
    return a < T(0) ? T(0) : (a > T(0) ? T(1) : b);
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradients(g); }
};

// ---- integer, bitwise and logical ops: no gradient ---------------------------------------
struct Gcd {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value && !std::is_same<T, bool>::value) {
      using U = typename std::make_unsigned<T>::type;
      U x = a < 0 ? U(0) - U(a) : U(a), y = b < 0 ? U(0) - U(b) : U(b);
      while (y) {
        U t = x % y;
        x = y;
        y = t;
      }
      return static_cast<T>(x);
    } else {
      return a;  // not reached: the Integer policy lets integers through only
    }
  }
};
struct Lcm {
  template <class T> T operator()(T a, T b) const {
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
// Bitwise ops exist for bool and integers; the IntOrBool policy refuses floats.
struct BitwiseAnd {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value)
      return static_cast<T>(a & b);
    else
      return a;
  }
};
struct BitwiseOr {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value)
      return static_cast<T>(a | b);
    else
      return a;
  }
};
struct BitwiseXor {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral<T>::value)
      return static_cast<T>(a ^ b);
    else
      return a;
  }
};
struct LogicalAnd {
  template <class T> bool operator()(T a, T b) const { return (a != T(0)) && (b != T(0)); }
};
struct LogicalOr {
  template <class T> bool operator()(T a, T b) const { return (a != T(0)) || (b != T(0)); }
};
struct LogicalXor {
  template <class T> bool operator()(T a, T b) const { return (a != T(0)) != (b != T(0)); }
};
struct Equal {
  template <class T> bool operator()(T a, T b) const { return a == b; }
};
struct NotEqual {
  template <class T> bool operator()(T a, T b) const { return a != b; }
};
struct Less {
  template <class T> bool operator()(T a, T b) const { return a < b; }
};
struct LessEqual {
  template <class T> bool operator()(T a, T b) const { return a <= b; }
};
struct Greater {
  template <class T> bool operator()(T a, T b) const { return a > b; }
};
struct GreaterEqual {
  template <class T> bool operator()(T a, T b) const { return a >= b; }
};

// ---- traits of a functor -------------------------------------------------------------------
template <class F, class = void> struct HasScalarGrad : std::false_type {};
template <class F> struct HasScalarGrad<F, std::void_t<decltype(&F::scalar_grad)>> : std::true_type {};
template <class F, class = void> struct ScalarGradReadsInput : std::false_type {};
template <class F> struct ScalarGradReadsInput<F, std::void_t<decltype(F::kScalarGradReadsInput)>> : std::true_type {};

/// Registers one row's op (and its `_scalar` form): shape rule from the
/// policy, kernel from F, gradients F::grad / F::scalar_grad (none: not
/// differentiable). Returns the two OpDefs (the second null for ScalarArray).
template <class F, BinaryPolicy P>
std::pair<const OpDef*, const OpDef*> register_binary(const char* name, BinarySaves saves, BinaryScalar scalar) {
  const bool compare = P == BinaryPolicy::Compare;
  OpDef& o = register_op(name).inputs(2).set_kernel(binary_kernel<F>).set_flags(kElementwise);
  o.set_infer(compare ? infer_compare : infer_broadcast);
  if (saves != BinarySaves::SaveNone) o.save_inputs({0, 1});
  if (saves == BinarySaves::SaveAll) o.save_outputs({0});
  if constexpr (HasGrad<F>::value)
    o.set_grad(&F::grad);
  else
    o.set_flags(kNotDifferentiable);
  if (scalar == BinaryScalar::ScalarArray) return {&o, nullptr};
  OpDef& s =
      register_op(std::string(name) + "_scalar").set_kernel(scalar_kernel<F>).set_flags(kElementwise | kScalarOperand);
  s.set_infer(compare ? infer_bool_like_input : infer_like_input);
  if constexpr (ScalarGradReadsInput<F>::value) s.save_inputs({0});
  if constexpr (HasScalarGrad<F>::value)
    s.set_grad(&F::scalar_grad);
  else
    s.set_flags(kNotDifferentiable);
  return {&o, &s};
}

// Non-broadcastable operands, checked before a dtype check so that the shape
// error comes first (invoke() names the op in shape errors of its own).
void check_broadcast(const OpDef& o, const NDArray& a, const NDArray& b) {
  if (a.shape() != b.shape()) broadcast_shapes(a.shape(), b.shape(), o.name.c_str());
}

bool wide_int(DType d) { return d == DType::Int32 || d == DType::Int64; }

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

}  // namespace

DType binary_compute_dtype(const OpDef& o, BinaryPolicy policy, const NDArray& a, const NDArray& b,
                           const char* bool_error) {
  const DType dt = promote_types(a.dtype(), b.dtype());
  switch (policy) {
    case BinaryPolicy::Arith:
    case BinaryPolicy::Power:
    case BinaryPolicy::Compare:
      return dt;
    case BinaryPolicy::NoBoolPair:
      if (dt == DType::Bool) {
        check_broadcast(o, a, b);
        throw TypeError(o.name, bool_error);
      }
      return dt;
    case BinaryPolicy::Int8Bools:
      return dt == DType::Bool ? DType::Int8 : dt;
    case BinaryPolicy::TrueDivide:
    case BinaryPolicy::Float:
      return is_floating(dt) ? dt : DType::Float32;
    case BinaryPolicy::Integer:
    case BinaryPolicy::IntOrBool: {
      const bool ok = is_integral(dt) || (policy == BinaryPolicy::IntOrBool && dt == DType::Bool);
      if (!ok) {
        check_broadcast(o, a, b);
        throw Error(
            o.name,
            concat("not supported for the input types ", dtype_name(a.dtype()), " and ", dtype_name(b.dtype()),
                   policy == BinaryPolicy::IntOrBool ? " (integer or bool arrays only)" : " (integer arrays only)"));
      }
      return dt;
    }
  }
  return dt;
}

NDArray binary_entry(const OpDef& o, BinaryPolicy policy, const char* bool_error, const NDArray& a, const NDArray& b,
                     const NDArray& out) {
  const DType dt = binary_compute_dtype(o, policy, a, b, bool_error);
  // float32 with an int32/int64 operand: float32 cannot hold the exponent
  // (2**31 - 1 rounds to an even 2**31), so compute in float64 as NumPy and
  // MXNet do, then round the result.
  if (policy == BinaryPolicy::Power && dt == DType::Float32 && (wide_int(a.dtype()) || wide_int(b.dtype()))) {
    static const OpDef& astype_op = op("astype");
    Attrs to_float32;
    to_float32.dtype = DType::Float32;
    NDArray wide = invoke1(o, {cast_if(a, DType::Float64), cast_if(b, DType::Float64)});
    return invoke1(astype_op, {wide}, to_float32, out);
  }
  return invoke1(o, {cast_if(a, dt), cast_if(b, dt)}, Attrs(), out);
}

NDArray scalar_entry(const OpDef& o, const OpDef* scalar_op, BinaryPolicy policy, const char* bool_error,
                     const NDArray& a, double s, bool reverse, const NDArray& out) {
  const bool integral_only = policy == BinaryPolicy::Integer || policy == BinaryPolicy::IntOrBool;
  if (integral_only)
    MXLITE_CHECK_AS(TypeError, std::floor(s) == s, o.name.c_str(), "not supported between an array and the float ", s,
                    " (integer operands only)");
  if (!scalar_op) {
    // A 0-d operand in the dtype the array computes in beside a scalar
    // (MXNet's rule; bool arrays take int64 for the integer-only ops).
    const DType dt = integral_only && a.dtype() == DType::Bool ? DType::Int64 : arith_scalar_dtype(a.dtype());
    NDArray operand = np::scalar(scalar_in_dtype(s, dt, o.name.c_str()), dt);
    return reverse ? binary_entry(o, policy, bool_error, operand, a, out)
                   : binary_entry(o, policy, bool_error, a, operand, out);
  }
  Attrs attrs;
  attrs.reverse = reverse;
  DType dt;
  if (policy == BinaryPolicy::Compare) {
    dt = compare_scalar_dtype(a.dtype(), s);
    attrs.scalar = s;
  } else {
    dt = arith_scalar_dtype(a.dtype());
    if (policy == BinaryPolicy::TrueDivide && !is_floating(dt)) dt = DType::Float32;
    attrs.scalar = scalar_in_dtype(s, dt, o.name.c_str());
  }
  return invoke1(*scalar_op, {cast_if(a, dt)}, attrs, out);
}

// One OpDef pair per row, set when the family registers.
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc) \
  const OpDef* binary_def_##name = nullptr;                \
  const OpDef* binary_scalar_def_##name = nullptr;
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY

void register_binary_ops() {
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc) \
  std::tie(binary_def_##name, binary_scalar_def_##name) =  \
      register_binary<F, BinaryPolicy::policy>(#name, BinarySaves::saves, BinaryScalar::scalar);
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY
}

}  // namespace ops

namespace np {
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc)                                           \
  NDArray name(const NDArray& a, const NDArray& b, const NDArray& out) {                             \
    static const OpDef& o = ops::registered(ops::binary_def_##name);                                 \
    return ops::binary_entry(o, ops::BinaryPolicy::policy, ops::bool_error_of<ops::F>(), a, b, out); \
  }                                                                                                  \
  NDArray name(const NDArray& a, double s, const NDArray& out) {                                     \
    static const OpDef& o = ops::registered(ops::binary_def_##name);                                 \
    return ops::scalar_entry(o, ops::binary_scalar_def_##name, ops::BinaryPolicy::policy,            \
                             ops::bool_error_of<ops::F>(), a, s, false, out);                        \
  }                                                                                                  \
  NDArray name(double s, const NDArray& a, const NDArray& out) {                                     \
    static const OpDef& o = ops::registered(ops::binary_def_##name);                                 \
    return ops::scalar_entry(o, ops::binary_scalar_def_##name, ops::BinaryPolicy::policy,            \
                             ops::bool_error_of<ops::F>(), a, s, true, out);                         \
  }
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY
}  // namespace np

namespace nd {
NDArray as_truth_values(const NDArray& truth, DType dtype, const NDArray& out) {
  static const OpDef& astype_op = op("astype");
  if (!out.defined() && truth.dtype() == dtype) return truth;
  Attrs attrs;
  attrs.dtype = dtype;
  return invoke1(astype_op, {truth}, attrs, out);
}

namespace {
bool both_integral(DType a, DType b) { return is_integral(a) && is_integral(b); }
}  // namespace

NDArray divide(const NDArray& a, const NDArray& b, const NDArray& out) {
  return both_integral(a.dtype(), b.dtype()) ? np::truncate_divide(a, b, out) : np::divide(a, b, out);
}
NDArray divide(const NDArray& a, double s, const NDArray& out) {
  return is_integral(a.dtype()) && std::floor(s) == s ? np::truncate_divide(a, s, out) : np::divide(a, s, out);
}
NDArray divide(double s, const NDArray& a, const NDArray& out) {
  return is_integral(a.dtype()) && std::floor(s) == s ? np::truncate_divide(s, a, out) : np::divide(s, a, out);
}
}  // namespace nd
}  // namespace mxlite
