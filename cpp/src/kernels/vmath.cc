#include "kernels/vmath.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "kernels/isa.h"
#include "kernels/parallel.h"

namespace mxlite {
namespace kernels {
namespace {

// exp(x) = 2^n * exp(r) with n = round(x / ln2), r = x - n*ln2 split into a
// high and a low part so r is exact enough, exp(r) by a Taylor polynomial on
// |r| <= ln2/2, and 2^n applied as two halves so results in the subnormal
// range come out right instead of flushing to zero.

inline float pow2_f32(int32_t n) {  // 2^n for n in [-126, 127]
  uint32_t bits = static_cast<uint32_t>(n + 127) << 23;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline double pow2_f64(int64_t n) {  // 2^n for n in [-1022, 1023]
  uint64_t bits = static_cast<uint64_t>(n + 1023) << 52;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

inline float exp_value(float v) {
  const float log2e = 1.44269504088896341f, ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
  const float round_magic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  // Clamped so the exponent arithmetic stays in range; the ends are fixed up below.
  const float c = v < -104.0f ? -104.0f : (v > 89.0f ? 89.0f : v);
  const float t = c * log2e + round_magic;
  const float k = t - round_magic;
  const float r = (c - k * ln2_hi) - k * ln2_lo;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t ki = static_cast<int32_t>(k);
  const int32_t k1 = ki / 2, k2 = ki - k1;
  float out = p * pow2_f32(k1) * pow2_f32(k2);
  out = v > 88.7228394f ? std::numeric_limits<float>::infinity() : out;
  out = v < -103.972084f ? 0.0f : out;
  return v != v ? v : out;  // NaN stays NaN
}

inline double exp_value(double v) {
  const double log2e = 1.4426950408889634074, ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  const double round_magic = 6755399441055744.0;  // 1.5 * 2^52
  const double c = v < -746.0 ? -746.0 : (v > 710.0 ? 710.0 : v);
  const double t = c * log2e + round_magic;
  const double k = t - round_magic;
  const double r = (c - k * ln2_hi) - k * ln2_lo;
  // Taylor terms to r^13/13!: below 1e-17 relative on |r| <= ln2/2.
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const int64_t ki = static_cast<int64_t>(k);
  const int64_t k1 = ki / 2, k2 = ki - k1;
  double out = p * pow2_f64(k1) * pow2_f64(k2);
  out = v > 709.782712893384 ? std::numeric_limits<double>::infinity() : out;
  out = v < -745.1332191019412 ? 0.0 : out;
  return v != v ? v : out;
}

// The functions mapped elementwise; tanh and the logistic function from
// one exp each (vmath.h), inside the same loop so that it vectorises whole.
struct ExpFn {
  template <class T> static T value(T v) { return exp_value(v); }
};
struct TanhFn {
  template <class T> static T value(T v) { return tanh_from_exp(v, exp_value(T(-2) * std::abs(v))); }
};
struct SigmoidFn {
  template <class T> static T value(T v) { return sigmoid_from_exp(v, exp_value(-std::abs(v))); }
};

// One loop body instantiated per instruction set (Level keeps the copies
// apart): the target attribute of the caller lets the inlined loop use the
// wider registers.
template <int Level, class F, class T> inline void map_block(const T* __restrict x, T* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = F::value(x[i]);
}
template <class T> using MapFn = void (*)(const T*, T*, int64_t);
template <class F, class T> void map_base(const T* x, T* y, int64_t n) { map_block<0, F>(x, y, n); }
#ifdef MXLITE_X86_DISPATCH
template <class F, class T> MXLITE_TARGET_AVX2 void map_avx2(const T* x, T* y, int64_t n) { map_block<1, F>(x, y, n); }
template <class F, class T> MXLITE_TARGET_AVX512 void map_avx512(const T* x, T* y, int64_t n) {
  map_block<2, F>(x, y, n);
}
#endif

template <class F, class T> MapFn<T> pick_map() {
#ifdef MXLITE_X86_DISPATCH
  if (isa_level() == 2) return map_avx512<F, T>;
  if (isa_level() == 1) return map_avx2<F, T>;
#endif
  return map_base<F, T>;
}

template <class F, class T> void map_contiguous(const T* x, T* y, int64_t n) {
  static const MapFn<T> body = pick_map<F, T>();
  for_range(n, kParallelGrain, [=](int64_t b, int64_t e) { body(x + b, y + b, e - b); });
}

}  // namespace

void exp_contiguous(const float* x, float* y, int64_t n) { map_contiguous<ExpFn>(x, y, n); }
void exp_contiguous(const double* x, double* y, int64_t n) { map_contiguous<ExpFn>(x, y, n); }
void tanh_contiguous(const float* x, float* y, int64_t n) { map_contiguous<TanhFn>(x, y, n); }
void tanh_contiguous(const double* x, double* y, int64_t n) { map_contiguous<TanhFn>(x, y, n); }
void sigmoid_contiguous(const float* x, float* y, int64_t n) { map_contiguous<SigmoidFn>(x, y, n); }
void sigmoid_contiguous(const double* x, double* y, int64_t n) { map_contiguous<SigmoidFn>(x, y, n); }

}  // namespace kernels
}  // namespace mxlite
