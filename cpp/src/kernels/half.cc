// mxlite (internal): bulk float16 <-> float32 conversions. With F16C (every
// x86-64 CPU since 2013) eight elements convert per instruction; otherwise
// the portable bit code of mxlite/half.h runs.
#include "mxlite/half.h"

#include "kernels/parallel.h"

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define MXLITE_HALF_DISPATCH 1
#include <immintrin.h>
#define MXLITE_TARGET_F16C __attribute__((target("avx,f16c")))
#endif

namespace mxlite {
namespace {

void to_float_base(const half* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = half_bits_to_float(x[i].bits);
}
void from_float_base(const float* x, half* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i].bits = float_to_half_bits(x[i]);
}

#ifdef MXLITE_HALF_DISPATCH
MXLITE_TARGET_F16C void to_float_f16c(const half* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i));
    _mm256_storeu_ps(y + i, _mm256_cvtph_ps(h));
  }
  for (; i < n; ++i) y[i] = _cvtsh_ss(x[i].bits);
}
MXLITE_TARGET_F16C void from_float_f16c(const float* x, half* y, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), h);
  }
  for (; i < n; ++i) y[i].bits = _cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
bool has_f16c() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
  }();
  return yes;
}
#endif

using ToFloat = void (*)(const half*, float*, int64_t);
using FromFloat = void (*)(const float*, half*, int64_t);

ToFloat pick_to_float() {
#ifdef MXLITE_HALF_DISPATCH
  if (has_f16c()) return to_float_f16c;
#endif
  return to_float_base;
}
FromFloat pick_from_float() {
#ifdef MXLITE_HALF_DISPATCH
  if (has_f16c()) return from_float_f16c;
#endif
  return from_float_base;
}

}  // namespace

void half_to_float(const half* x, float* y, int64_t n) {
  static const ToFloat f = pick_to_float();
  kernels::for_range(n, kernels::kParallelGrain * 4, [=](int64_t b, int64_t e) { f(x + b, y + b, e - b); });
}

void float_to_half(const float* x, half* y, int64_t n) {
  static const FromFloat f = pick_from_float();
  kernels::for_range(n, kernels::kParallelGrain * 4, [=](int64_t b, int64_t e) { f(x + b, y + b, e - b); });
}

}  // namespace mxlite
