// mxlite: the typed functional API over the op registry - what embedding
// programs, the Python bindings and gradient definitions all call.
#pragma once

#include <cstdint>
#include <climits>
#include <vector>

#include "mxlite/op.h"

namespace mxlite {
namespace np {

// ---- creation --------------------------------------------------------------
NDArray zeros(const Shape& shape, DType dtype = DType::Float32);
NDArray ones(const Shape& shape, DType dtype = DType::Float32);
NDArray full(const Shape& shape, double value, DType dtype = DType::Float32);
NDArray zeros_like(const NDArray& a);
NDArray ones_like(const NDArray& a);
NDArray arange(double start, double stop, double step = 1.0, DType dtype = DType::Float32);
/// A 0-d array holding `value`.
NDArray scalar(double value, DType dtype = DType::Float32);
/// An array to be overwritten; mxlite fills it with zeros (deterministic).
NDArray empty(const Shape& shape, DType dtype = DType::Float32);
/// `num` evenly spaced values from start to stop (included when `endpoint`).
NDArray linspace(double start, double stop, int64_t num, bool endpoint = true, DType dtype = DType::Float32);
/// A rows x cols matrix with ones on diagonal k (cols < 0: square).
NDArray eye(int64_t rows, int64_t cols = -1, int64_t k = 0, DType dtype = DType::Float32);

// ---- casting and copies ----------------------------------------------------
NDArray astype(const NDArray& a, DType dtype);
/// A new array with the same values (recorded: gradient passes through).
NDArray copy(const NDArray& a);

// ---- elementwise -----------------------------------------------------------
// Binary ops broadcast (NumPy rules) and promote dtypes. The scalar forms keep
// the array's dtype unless the scalar is fractional and the array integral, in
// which case the result is float32 (MXNet's default float type).
NDArray add(const NDArray& a, const NDArray& b);
NDArray subtract(const NDArray& a, const NDArray& b);
NDArray multiply(const NDArray& a, const NDArray& b);
NDArray divide(const NDArray& a, const NDArray& b);  ///< true division
NDArray power(const NDArray& a, const NDArray& b);
NDArray maximum(const NDArray& a, const NDArray& b);
NDArray minimum(const NDArray& a, const NDArray& b);
NDArray add(const NDArray& a, double s);
NDArray subtract(const NDArray& a, double s);
NDArray subtract(double s, const NDArray& a);
NDArray multiply(const NDArray& a, double s);
NDArray divide(const NDArray& a, double s);
NDArray divide(double s, const NDArray& a);
NDArray power(const NDArray& a, double s);
NDArray power(double s, const NDArray& a);
NDArray maximum(const NDArray& a, double s);
NDArray minimum(const NDArray& a, double s);

// Comparisons return bool arrays.
NDArray equal(const NDArray& a, const NDArray& b);
NDArray not_equal(const NDArray& a, const NDArray& b);
NDArray less(const NDArray& a, const NDArray& b);
NDArray less_equal(const NDArray& a, const NDArray& b);
NDArray greater(const NDArray& a, const NDArray& b);
NDArray greater_equal(const NDArray& a, const NDArray& b);
NDArray equal(const NDArray& a, double s);
NDArray not_equal(const NDArray& a, double s);
NDArray less(const NDArray& a, double s);
NDArray less_equal(const NDArray& a, double s);
NDArray greater(const NDArray& a, double s);
NDArray greater_equal(const NDArray& a, double s);

NDArray negative(const NDArray& a);
NDArray abs(const NDArray& a);
NDArray sign(const NDArray& a);
NDArray exp(const NDArray& a);
NDArray log(const NDArray& a);
NDArray sqrt(const NDArray& a);
NDArray square(const NDArray& a);
NDArray sin(const NDArray& a);
NDArray cos(const NDArray& a);
NDArray tanh(const NDArray& a);
NDArray positive(const NDArray& a);
NDArray reciprocal(const NDArray& a);
NDArray expm1(const NDArray& a);
NDArray log1p(const NDArray& a);
NDArray log2(const NDArray& a);
NDArray log10(const NDArray& a);
NDArray cbrt(const NDArray& a);
NDArray tan(const NDArray& a);
NDArray arcsin(const NDArray& a);
NDArray arccos(const NDArray& a);
NDArray arctan(const NDArray& a);
NDArray sinh(const NDArray& a);
NDArray cosh(const NDArray& a);
NDArray arcsinh(const NDArray& a);
NDArray arccosh(const NDArray& a);
NDArray arctanh(const NDArray& a);
NDArray degrees(const NDArray& a);
NDArray radians(const NDArray& a);
// Rounding: integral arrays pass through unchanged; the gradient is zero.
NDArray floor(const NDArray& a);
NDArray ceil(const NDArray& a);
NDArray rint(const NDArray& a);
NDArray trunc(const NDArray& a);
// Bool results, not differentiable.
NDArray isnan(const NDArray& a);
NDArray isinf(const NDArray& a);
NDArray isfinite(const NDArray& a);

// Python-style modulo (sign of the divisor) and floor division. Scalars take
// the array's dtype, as in MXNet (int32 % 2.5 computes int32 % 2).
NDArray mod(const NDArray& a, const NDArray& b);
NDArray mod(const NDArray& a, double s);
NDArray mod(double s, const NDArray& a);
NDArray floor_divide(const NDArray& a, const NDArray& b);  ///< zero gradient
NDArray floor_divide(const NDArray& a, double s);
NDArray floor_divide(double s, const NDArray& a);
// Float results (integers compute in float32).
NDArray hypot(const NDArray& a, const NDArray& b);
NDArray arctan2(const NDArray& a, const NDArray& b);
NDArray copysign(const NDArray& a, const NDArray& b);
// Integer arrays only; not differentiable.
NDArray gcd(const NDArray& a, const NDArray& b);
NDArray lcm(const NDArray& a, const NDArray& b);
// Integer or bool arrays; not differentiable. invert is logical not on bool.
NDArray bitwise_and(const NDArray& a, const NDArray& b);
NDArray bitwise_or(const NDArray& a, const NDArray& b);
NDArray bitwise_xor(const NDArray& a, const NDArray& b);
NDArray invert(const NDArray& a);
// Truth of each element (non-zero); bool results, not differentiable.
NDArray logical_and(const NDArray& a, const NDArray& b);
NDArray logical_or(const NDArray& a, const NDArray& b);
NDArray logical_xor(const NDArray& a, const NDArray& b);
NDArray logical_not(const NDArray& a);
/// x where cond is non-zero, else y; all three broadcast. The gradient goes to
/// the chosen branch, none to cond.
NDArray where(const NDArray& cond, const NDArray& x, const NDArray& y);
/// Limits values to [a_min, a_max] (+-infinity: no bound). Gradient passes
/// where a_min <= a <= a_max.
NDArray clip(const NDArray& a, double a_min, double a_max);
// Special functions (float results). digamma's gradient is trigamma, whose own
// gradient raises Error (not implemented).
NDArray erf(const NDArray& a);
NDArray erfinv(const NDArray& a);
NDArray gamma(const NDArray& a);
NDArray gammaln(const NDArray& a);  ///< log|gamma(a)|
NDArray digamma(const NDArray& a);
NDArray trigamma(const NDArray& a);
NDArray relu(const NDArray& a);
NDArray sigmoid(const NDArray& a);

// ---- reductions ------------------------------------------------------------
/// Sum over every element (a 0-d result unless keepdims).
NDArray sum(const NDArray& a, bool keepdims = false);
/// Sum over the given axes (negative axes count from the end).
NDArray sum(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray mean(const NDArray& a, bool keepdims = false);
NDArray mean(const NDArray& a, const Axes& axes, bool keepdims = false);
/// The 2-norm of all elements (Frobenius for matrices).
NDArray norm(const NDArray& a, bool keepdims = false);
NDArray norm(const NDArray& a, const Axes& axes, bool keepdims = false);
/// Sums `a` down to `shape`, undoing a broadcast (the gradient of broadcast_to).
NDArray sum_to(const NDArray& a, const Shape& shape);

// ---- shape -----------------------------------------------------------------
/// A view with another shape; one extent may be -1.
NDArray reshape(const NDArray& a, const Shape& shape);
NDArray broadcast_to(const NDArray& a, const Shape& shape);
/// Permutes axes; an empty list reverses them (NumPy's transpose()).
NDArray transpose(const NDArray& a, const Axes& axes = {});
NDArray expand_dims(const NDArray& a, int64_t axis);

// ---- indexing --------------------------------------------------------------
/// One item of a basic index: an integer, a slice (unset bounds are
/// `kNone`), a new axis (None) or an ellipsis, as in NumPy's a[...].
struct IndexItem {
  static constexpr int64_t kNone = INT64_MIN;
  enum Kind { Int, Slice, NewAxis, Ellipsis } kind = Int;
  int64_t index = 0;
  int64_t start = kNone, stop = kNone, step = kNone;

  static IndexItem integer(int64_t i) { return IndexItem{Int, i}; }
  static IndexItem slice(int64_t start = kNone, int64_t stop = kNone, int64_t step = kNone) {
    return IndexItem{Slice, 0, start, stop, step};
  }
  static IndexItem new_axis() { return IndexItem{NewAxis}; }
  static IndexItem ellipsis() { return IndexItem{Ellipsis}; }
};
/// NumPy basic indexing (integers, slices with steps, None, ...). The result
/// is a view when the selection is contiguous in memory, otherwise a copy;
/// either way it is recorded for autograd.
NDArray basic_index(const NDArray& a, const std::vector<IndexItem>& items);
/// a[items] = value, in place (value broadcasts; its dtype is cast to a's).
/// Not recordable: inside autograd.record() it raises if a or value is part
/// of a graph, as MXNet does.
void index_assign(const NDArray& a, const std::vector<IndexItem>& items, const NDArray& value);
/// a[i] along axis 0 (negative i counts from the end).
NDArray index(const NDArray& a, int64_t i);

// ---- linear algebra --------------------------------------------------------
/// NumPy dot: inner product for 1-D, matrix product for 2-D, and for N-D a sum
/// over the last axis of a and the second-to-last of b.
NDArray dot(const NDArray& a, const NDArray& b);
/// Matrix product of two 2-D arrays, either optionally transposed.
NDArray matmul2d(const NDArray& a, const NDArray& b, bool transpose_a = false, bool transpose_b = false);

// ---- random ----------------------------------------------------------------
void seed(uint64_t seed);
NDArray random_uniform(double low, double high, const Shape& shape, DType dtype = DType::Float32);
NDArray random_normal(double loc, double scale, const Shape& shape, DType dtype = DType::Float32);
/// Integers uniform in [low, high); dtype int32 or int64.
NDArray random_randint(int64_t low, int64_t high, const Shape& shape, DType dtype = DType::Int64);
/// `shape` samples of `population` (1-D; undefined: the indices 0..n-1 as
/// int64), with or without replacement, optionally with probabilities p.
NDArray random_choice(const NDArray& population, int64_t n, const Shape& shape, bool replace = true,
                      const NDArray& p = NDArray());
/// Shuffles `a` in place along axis 0 (its storage is overwritten).
void shuffle(const NDArray& a);

}  // namespace np

// Operators on arrays and scalars, as NumPy spells them.
inline NDArray operator+(const NDArray& a, const NDArray& b) { return np::add(a, b); }
inline NDArray operator-(const NDArray& a, const NDArray& b) { return np::subtract(a, b); }
inline NDArray operator*(const NDArray& a, const NDArray& b) { return np::multiply(a, b); }
inline NDArray operator/(const NDArray& a, const NDArray& b) { return np::divide(a, b); }
inline NDArray operator+(const NDArray& a, double s) { return np::add(a, s); }
inline NDArray operator+(double s, const NDArray& a) { return np::add(a, s); }
inline NDArray operator-(const NDArray& a, double s) { return np::subtract(a, s); }
inline NDArray operator-(double s, const NDArray& a) { return np::subtract(s, a); }
inline NDArray operator*(const NDArray& a, double s) { return np::multiply(a, s); }
inline NDArray operator*(double s, const NDArray& a) { return np::multiply(a, s); }
inline NDArray operator/(const NDArray& a, double s) { return np::divide(a, s); }
inline NDArray operator/(double s, const NDArray& a) { return np::divide(s, a); }
inline NDArray operator-(const NDArray& a) { return np::negative(a); }
inline NDArray operator==(const NDArray& a, const NDArray& b) { return np::equal(a, b); }
inline NDArray operator!=(const NDArray& a, const NDArray& b) { return np::not_equal(a, b); }
inline NDArray operator<(const NDArray& a, const NDArray& b) { return np::less(a, b); }
inline NDArray operator<=(const NDArray& a, const NDArray& b) { return np::less_equal(a, b); }
inline NDArray operator>(const NDArray& a, const NDArray& b) { return np::greater(a, b); }
inline NDArray operator>=(const NDArray& a, const NDArray& b) { return np::greater_equal(a, b); }
inline NDArray operator==(const NDArray& a, double s) { return np::equal(a, s); }
inline NDArray operator!=(const NDArray& a, double s) { return np::not_equal(a, s); }
inline NDArray operator<(const NDArray& a, double s) { return np::less(a, s); }
inline NDArray operator<=(const NDArray& a, double s) { return np::less_equal(a, s); }
inline NDArray operator>(const NDArray& a, double s) { return np::greater(a, s); }
inline NDArray operator>=(const NDArray& a, double s) { return np::greater_equal(a, s); }

}  // namespace mxlite
