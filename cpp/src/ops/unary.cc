// The plain unary ops: one functor per op (its math and, as a static grad(),
// its gradient written with registered ops), and the rows of
// mxlite/unary_ops.inc, from which one helper registers each op and defines
// its np:: entry point. Adding an op: a row there, a functor here, a test row
// in tests/python/optable/unary.py (docs/adding-an-op.md).
#include "ops/unary.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/vmath.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

constexpr double kLn2 = 0.6931471805599453, kLn10 = 2.302585092994046;
constexpr double kDegPerRad = 57.29577951308232, kRadPerDeg = 0.017453292519943295;

ArrayList zero_gradient(const GradCtx& g) { return {np::zeros_like(g.ograd(0))}; }

template <class T> constexpr bool is_float_v = std::is_floating_point<T>::value;

// ---- sign and magnitude ------------------------------------------------------------
struct Negative {
  static constexpr const char* kBoolError =
      "the boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not "
      "function instead";
  template <class T> T operator()(T a) const { return static_cast<T>(-a); }
  static ArrayList grad(const GradCtx& g) { return {np::negative(g.ograd(0))}; }
};
struct Positive {
  static constexpr const char* kBoolError = "not supported for bool arrays (as in NumPy)";
  template <class T> T operator()(T a) const { return a; }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0)}; }
};
struct Abs {
  template <class T> T operator()(T a) const {
    if constexpr (std::is_unsigned<T>::value)
      return a;
    else if constexpr (is_float_v<T>)
      return std::fabs(a);  // abs(-0.0) is +0.0
    else
      return a < 0 ? static_cast<T>(-a) : a;
  }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::sign(g.input(0))}; }
};
struct Sign {
  template <class T> T operator()(T a) const { return static_cast<T>((T(0) < a) - (a < T(0))); }
  static ArrayList grad(const GradCtx& g) { return zero_gradient(g); }
};
struct Square {
  template <class T> T operator()(T a) const { return static_cast<T>(a * a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * g.input(0) * 2.0}; }
};

// ---- exponentials, logarithms, roots -------------------------------------------------
struct Exp {
  template <class T> T operator()(T a) const { return std::exp(a); }
  // The vectorised kernel (kernels/vmath) instead of the scalar loop.
  template <class T> static void contiguous(const T* x, T* y, int64_t n) { kernels::exp_contiguous(x, y, n); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * g.output(0)}; }
};
struct Expm1 {
  template <class T> T operator()(T a) const { return std::expm1(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::exp(g.input(0))}; }
};
struct Log {
  template <class T> T operator()(T a) const { return std::log(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / g.input(0)}; }
};
struct Log1p {
  template <class T> T operator()(T a) const { return std::log1p(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (g.input(0) + 1.0)}; }
};
struct Log2 {
  template <class T> T operator()(T a) const { return std::log2(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (g.input(0) * kLn2)}; }
};
struct Log10 {
  template <class T> T operator()(T a) const { return std::log10(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (g.input(0) * kLn10)}; }
};
struct Sqrt {
  template <class T> T operator()(T a) const { return std::sqrt(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (g.output(0) * 2.0)}; }
};
struct Cbrt {
  template <class T> T operator()(T a) const { return std::cbrt(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (np::square(g.output(0)) * 3.0)}; }
};
// d(x^-1/2) = -1/2 x^-3/2 = -y^3 / 2
struct Rsqrt {
  template <class T> T operator()(T a) const { return T(1) / std::sqrt(a); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray& y = g.output(0);
    return {g.ograd(0) * y * np::square(y) * -0.5};
  }
};
// d(x^-1/3) = -1/3 x^-4/3 = -y^4 / 3
struct Rcbrt {
  template <class T> T operator()(T a) const { return T(1) / std::cbrt(a); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray y2 = np::square(g.output(0));
    return {g.ograd(0) * y2 * y2 * (-1.0 / 3.0)};
  }
};
// Integers: NumPy's 1 / a in integer arithmetic (0 for |a| > 1); 1 / 0 gives
// what NumPy gives: the lowest value of int32/int64, 0 for the 8-bit types.
struct Reciprocal {
  template <class T> T operator()(T a) const {
    if constexpr (is_float_v<T>) {
      return T(1) / a;
    } else {
      if (a == 0) return (std::is_signed<T>::value && sizeof(T) >= 4) ? std::numeric_limits<T>::lowest() : T(0);
      return static_cast<T>(a == 1 ? 1 : (std::is_signed<T>::value && a == static_cast<T>(-1)) ? -1 : 0);
    }
  }
  static ArrayList grad(const GradCtx& g) { return {-(g.ograd(0) * g.output(0) * g.output(0))}; }
};

// ---- trigonometric and hyperbolic ----------------------------------------------------
struct Sin {
  template <class T> T operator()(T a) const { return std::sin(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::cos(g.input(0))}; }
};
struct Cos {
  template <class T> T operator()(T a) const { return std::cos(a); }
  static ArrayList grad(const GradCtx& g) { return {-(g.ograd(0) * np::sin(g.input(0)))}; }
};
struct Tan {
  template <class T> T operator()(T a) const { return std::tan(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * (np::square(g.output(0)) + 1.0)}; }
};
struct Arcsin {
  template <class T> T operator()(T a) const { return std::asin(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / np::sqrt(1.0 - np::square(g.input(0)))}; }
};
struct Arccos {
  template <class T> T operator()(T a) const { return std::acos(a); }
  static ArrayList grad(const GradCtx& g) { return {-(g.ograd(0) / np::sqrt(1.0 - np::square(g.input(0))))}; }
};
struct Arctan {
  template <class T> T operator()(T a) const { return std::atan(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (np::square(g.input(0)) + 1.0)}; }
};
struct Sinh {
  template <class T> T operator()(T a) const { return std::sinh(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::cosh(g.input(0))}; }
};
struct Cosh {
  template <class T> T operator()(T a) const { return std::cosh(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::sinh(g.input(0))}; }
};
struct Tanh {
  template <class T> static void contiguous(const T* x, T* y, int64_t n) { kernels::tanh_contiguous(x, y, n); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray& y = g.output(0);
    return {g.ograd(0) * (1.0 - y * y)};
  }
};
struct Arcsinh {
  template <class T> T operator()(T a) const { return std::asinh(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / np::sqrt(np::square(g.input(0)) + 1.0)}; }
};
struct Arccosh {
  template <class T> T operator()(T a) const { return std::acosh(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / np::sqrt(np::square(g.input(0)) - 1.0)}; }
};
struct Arctanh {
  template <class T> T operator()(T a) const { return std::atanh(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / (1.0 - np::square(g.input(0)))}; }
};
struct Degrees {
  template <class T> T operator()(T a) const { return a * T(kDegPerRad); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * kDegPerRad}; }
};
struct Radians {
  template <class T> T operator()(T a) const { return a * T(kRadPerDeg); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * kRadPerDeg}; }
};

// ---- rounding: the identity on integers, zero gradient ---------------------------------
struct Floor {
  template <class T> T operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::floor(a);
    else
      return a;
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradient(g); }
};
struct Ceil {
  template <class T> T operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::ceil(a);
    else
      return a;
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradient(g); }
};
struct Rint {
  template <class T> T operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::nearbyint(a);
    else
      return a;
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradient(g); }
};
struct Round {
  template <class T> T operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::round(a);
    else
      return a;
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradient(g); }
};
struct Trunc {
  template <class T> T operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::trunc(a);
    else
      return a;
  }
  static ArrayList grad(const GradCtx& g) { return zero_gradient(g); }
};

// ---- predicates (bool results, no gradient) ---------------------------------------------
struct IsNan {
  template <class T> bool operator()(T a) const { return a != a; }
};
struct IsInf {
  template <class T> bool operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::isinf(a);
    else
      return false;
  }
};
struct IsFinite {
  template <class T> bool operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::isfinite(a);
    else
      return true;
  }
};
struct IsPosInf {
  template <class T> bool operator()(T a) const {
    if constexpr (is_float_v<T>)
      return a == std::numeric_limits<T>::infinity();
    else
      return false;
  }
};
struct IsNegInf {
  template <class T> bool operator()(T a) const {
    if constexpr (is_float_v<T>)
      return a == -std::numeric_limits<T>::infinity();
    else
      return false;
  }
};
struct SignBit {
  template <class T> bool operator()(T a) const {
    if constexpr (is_float_v<T>)
      return std::signbit(a);
    else if constexpr (std::is_signed<T>::value)
      return a < 0;
    else
      return false;
  }
};
struct LogicalNot {
  template <class T> bool operator()(T a) const { return a == T(0); }
};
// Bitwise not exists for bool and integers; the IntOrBool policy refuses floats.
struct Invert {
  template <class T> T operator()(T a) const {
    if constexpr (std::is_same<T, bool>::value)
      return !a;
    else if constexpr (std::is_integral<T>::value)
      return static_cast<T>(~a);
    else
      return a;
  }
};

// ---- special functions --------------------------------------------------------------------
// Inverse error function: a closed-form first guess (max error ~2e-3),
// then Newton steps on erf (or on erfc near +-1, where 1 - x is exact and
// erf(y) - x would cancel).
double erfinv_double(double x) {
  if (std::isnan(x) || x < -1 || x > 1) return std::nan("");
  if (x == 1) return INFINITY;
  if (x == -1) return -INFINITY;
  if (x == 0) return x;
  const double sign = x < 0 ? -1.0 : 1.0, ax = std::fabs(x);
  const double a = 0.147, ln = std::log((1 - ax) * (1 + ax));
  const double t = 2.0 / (M_PI * a) + ln / 2;
  double y = std::sqrt(std::sqrt(t * t - ln / a) - t);
  const double scale = 2.0 / std::sqrt(M_PI);
  for (int it = 0; it < 4; ++it) {
    double deriv = scale * std::exp(-y * y);
    if (deriv == 0) break;
    double f = ax > 0.5 ? -(std::erfc(y) - (1 - ax)) : std::erf(y) - ax;
    y -= f / deriv;
  }
  return sign * y;
}
// Digamma (psi): reflection for x < 0.5, the recurrence psi(x) = psi(x+1) - 1/x
// up to x >= 12, then the asymptotic series (error < 1e-15). Poles (0, -1, -2, ...) give NaN.
double digamma_double(double x) {
  if (std::isnan(x)) return x;
  if (x <= 0 && std::floor(x) == x) return std::nan("");
  if (x < 0.5) return digamma_double(1 - x) - M_PI / std::tan(M_PI * x);
  double acc = 0;
  while (x < 12) {
    acc -= 1 / x;
    x += 1;
  }
  const double r = 1 / (x * x);
  double series = r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132)))));
  return acc + std::log(x) - 0.5 / x - series;
}
// Trigamma (psi'): reflection psi1(x) = pi^2 / sin^2(pi x) - psi1(1 - x),
// the recurrence psi1(x) = psi1(x+1) + 1/x^2, then the asymptotic series.
double trigamma_double(double x) {
  if (std::isnan(x)) return x;
  if (x <= 0 && std::floor(x) == x) return std::nan("");
  if (x < 0.5) {
    double s = std::sin(M_PI * x);
    return M_PI * M_PI / (s * s) - trigamma_double(1 - x);
  }
  double acc = 0;
  while (x < 12) {
    acc += 1 / (x * x);
    x += 1;
  }
  const double r = 1 / (x * x);
  double series = 1 / x + r / 2 + r / x * (1.0 / 6 - r * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30))));
  return acc + series;
}
struct Erf {
  template <class T> T operator()(T a) const { return std::erf(a); }
  // 2/sqrt(pi) exp(-x^2)
  static ArrayList grad(const GradCtx& g) {
    return {g.ograd(0) * np::exp(-np::square(g.input(0))) * 1.1283791670955126};
  }
};
struct Erfinv {
  template <class T> T operator()(T a) const { return static_cast<T>(erfinv_double(a)); }
  // sqrt(pi)/2 exp(erfinv(x)^2)
  static ArrayList grad(const GradCtx& g) {
    return {g.ograd(0) * np::exp(np::square(g.output(0))) * 0.88622692545275801};
  }
};
struct Gamma {
  template <class T> T operator()(T a) const { return std::tgamma(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * g.output(0) * np::digamma(g.input(0))}; }
};
struct Gammaln {
  template <class T> T operator()(T a) const { return std::lgamma(a); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::digamma(g.input(0))}; }
};
struct Digamma {
  template <class T> T operator()(T a) const { return static_cast<T>(digamma_double(a)); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) * np::trigamma(g.input(0))}; }
};
struct Trigamma {
  template <class T> T operator()(T a) const { return static_cast<T>(trigamma_double(a)); }
  static ArrayList grad(const GradCtx&) {
    throw Error("trigamma", "the gradient of trigamma (a fourth derivative of gammaln) is not implemented");
  }
};

// ---- activations ----------------------------------------------------------------------------
struct Relu {
  // NaN stays NaN (MXNet): only values below zero become zero.
  template <class T> T operator()(T a) const {
    if constexpr (std::is_unsigned<T>::value)
      return a;
    else
      return a < T(0) ? T(0) : a;
  }
  static ArrayList grad(const GradCtx& g) {
    return {g.ograd(0) * mask(np::greater(g.input(0), 0.0), g.ograd(0).dtype())};
  }
};
struct Sigmoid {
  template <class T> static void contiguous(const T* x, T* y, int64_t n) { kernels::sigmoid_contiguous(x, y, n); }
  static ArrayList grad(const GradCtx& g) {
    const NDArray& y = g.output(0);
    return {g.ograd(0) * y * (1.0 - y)};
  }
};
// d(x / (1 + |x|)) = 1 / (1 + |x|)^2
struct Softsign {
  template <class T> T operator()(T a) const { return a / (T(1) + std::fabs(a)); }
  static ArrayList grad(const GradCtx& g) { return {g.ograd(0) / np::square(np::abs(g.input(0)) + 1.0)}; }
};

}  // namespace

DType unary_compute_dtype(const OpDef& o, UnaryPolicy policy, DType dt, const char* bool_error) {
  switch (policy) {
    case UnaryPolicy::Float:
      return is_floating(dt) ? dt : DType::Float32;
    case UnaryPolicy::NotBool:
      MXLITE_CHECK_AS(TypeError, dt != DType::Bool, o.name.c_str(), bool_error);
      return dt;
    case UnaryPolicy::Numeric:
      MXLITE_CHECK_AS(TypeError, dt != DType::Bool, o.name.c_str(), "not supported for bool arrays");
      return dt;
    case UnaryPolicy::IntKeep:
      return dt == DType::Bool ? DType::Int8 : dt;
    case UnaryPolicy::IntOrBool:
      MXLITE_CHECK_AS(TypeError, !is_floating(dt), o.name.c_str(), "not supported for the input type ", dtype_name(dt),
                      " (integer or bool arrays only)");
      return dt;
    case UnaryPolicy::Predicate:
    case UnaryPolicy::Any:
      return dt;
  }
  return dt;
}

NDArray unary_entry(const OpDef& o, UnaryPolicy policy, const char* bool_error, const NDArray& a, const NDArray& out) {
  const DType dt = unary_compute_dtype(o, policy, a.dtype(), bool_error);
  return invoke1(o, {dt == a.dtype() ? a : np::astype(a, dt)}, Attrs(), out);
}

// One OpDef per row, set when the family registers.
#define MXLITE_UNARY(name, F, policy, saves, doc) const OpDef* unary_def_##name = nullptr;
#include "mxlite/unary_ops.inc"
#undef MXLITE_UNARY

void register_unary_ops() {
#define MXLITE_UNARY(name, F, policy, saves, doc) \
  unary_def_##name = &register_unary<F, UnaryPolicy::policy>(#name, UnarySaves::saves);
#include "mxlite/unary_ops.inc"
#undef MXLITE_UNARY
}

}  // namespace ops

namespace np {
#define MXLITE_UNARY(name, F, policy, saves, doc)                                               \
  NDArray name(const NDArray& a, const NDArray& out) {                                          \
    static const OpDef& o = ops::registered(ops::unary_def_##name);                             \
    return ops::unary_entry(o, ops::UnaryPolicy::policy, ops::bool_error_of<ops::F>(), a, out); \
  }
#include "mxlite/unary_ops.inc"
#undef MXLITE_UNARY
}  // namespace np
}  // namespace mxlite
