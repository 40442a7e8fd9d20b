// RowsOperand (gemm.h): the B of C = A . B + beta C when a recurrence
// multiplies a few rows of A by the same B at every step. OpenBLAS packs B
// into its panel layout at each call, about a sixth of an LSTM step's
// product here; RowsOperand packs it once, into strips of 64 columns laid
// out row after row, and each product streams a strip from L2 while every
// block of 4 rows of A passes over it, with 16 AVX-512 accumulators.
#include <algorithm>

#include "kernels/gemm.h"
#include "kernels/isa.h"
#include "kernels/parallel.h"

#ifdef MXLITE_X86_DISPATCH
#include <immintrin.h>
#endif

namespace mxlite {
namespace kernels {
namespace {

constexpr int64_t kStrip = 64;  // columns per strip: four vectors of 16 floats

#ifdef MXLITE_X86_DISPATCH
// Rows [0, MR) of C's strip (c at its first column) from panel (k x 64);
// mask[j]: the valid lanes of the strip's vector j in C.
template <int MR>
MXLITE_TARGET_AVX512 inline void block_avx512(int64_t k, const float* a, int64_t lda, const float* panel, float beta,
                                              float* c, int64_t ldc, const __mmask16 (&mask)[4]) {
  __m512 acc[MR][4];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < 4; ++j) acc[i][j] = _mm512_setzero_ps();
  for (int64_t p = 0; p < k; ++p) {
    const float* bp = panel + p * kStrip;
    const __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
    const __m512 b2 = _mm512_loadu_ps(bp + 32), b3 = _mm512_loadu_ps(bp + 48);
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i * lda + p]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
      acc[i][2] = _mm512_fmadd_ps(ai, b2, acc[i][2]);
      acc[i][3] = _mm512_fmadd_ps(ai, b3, acc[i][3]);
    }
  }
  const __m512 vbeta = _mm512_set1_ps(beta);
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < 4; ++j) {
      float* cp = c + i * ldc + 16 * j;
      __m512 r = acc[i][j];
      if (beta != 0.0f) r = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(mask[j], cp), r);  // C unread when beta = 0
      _mm512_mask_storeu_ps(cp, mask[j], r);
    }
}

MXLITE_TARGET_AVX512 void strips_avx512(int64_t s0, int64_t s1, int64_t m, int64_t n, int64_t k, const float* a,
                                        int64_t lda, const float* panels, float beta, float* c, int64_t ldc) {
  for (int64_t s = s0; s < s1; ++s) {
    const int64_t col = s * kStrip, width = std::min(kStrip, n - col);
    __mmask16 mask[4];
    for (int j = 0; j < 4; ++j) {
      const int64_t lanes = std::max<int64_t>(0, std::min<int64_t>(16, width - 16 * j));
      mask[j] = static_cast<__mmask16>((1u << lanes) - 1u);
    }
    const float* panel = panels + s * k * kStrip;
    float* cs = c + col;
    int64_t i = 0;
    for (; i + 4 <= m; i += 4) block_avx512<4>(k, a + i * lda, lda, panel, beta, cs + i * ldc, ldc, mask);
    switch (m - i) {
      case 3:
        block_avx512<3>(k, a + i * lda, lda, panel, beta, cs + i * ldc, ldc, mask);
        break;
      case 2:
        block_avx512<2>(k, a + i * lda, lda, panel, beta, cs + i * ldc, ldc, mask);
        break;
      case 1:
        block_avx512<1>(k, a + i * lda, lda, panel, beta, cs + i * ldc, ldc, mask);
        break;
      default:
        break;
    }
  }
}
#endif

bool use_panels(int64_t k, int64_t n, bool is_float) {
#ifdef MXLITE_X86_DISPATCH
  return is_float && isa_level() == 2 && k > 0 && n > 0;
#else
  (void)k, (void)n, (void)is_float;
  return false;
#endif
}

}  // namespace

template <class T>
RowsOperand<T>::RowsOperand(const T* b, int64_t k, int64_t n, int64_t ldb, bool trans)
    : b_(b), k_(k), n_(n), ldb_(ldb), trans_(trans) {
  if (!use_panels(k, n, std::is_same<T, float>::value)) return;
  const int64_t strips = (n + kStrip - 1) / kStrip;
  panels_.assign(static_cast<size_t>(strips * k * kStrip), T(0));  // the last strip's unused columns stay 0
  T* out = panels_.data();
  for_range(strips, 1, [=](int64_t s0, int64_t s1) {
    for (int64_t s = s0; s < s1; ++s)
      for (int64_t p = 0; p < k; ++p)
        for (int64_t j = s * kStrip; j < std::min(n, (s + 1) * kStrip); ++j)
          out[(s * k + p) * kStrip + j - s * kStrip] = trans ? b[j * ldb + p] : b[p * ldb + j];
  });
}

template <class T> void RowsOperand<T>::multiply(int64_t m, const T* a, int64_t lda, T beta, T* c, int64_t ldc) const {
  if (m <= 0 || n_ <= 0) return;
#ifdef MXLITE_X86_DISPATCH
  if constexpr (std::is_same<T, float>::value) {
    if (!panels_.empty()) {
      const int64_t strips = (n_ + kStrip - 1) / kStrip;
      // Strips per task: at least kParallelGrain multiply-adds, so small products stay on one thread.
      const int64_t grain = std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(1, m * k_ * kStrip));
      const float* panels = panels_.data();
      const int64_t n = n_, k = k_;
      for_range(strips, grain,
                [=](int64_t s0, int64_t s1) { strips_avx512(s0, s1, m, n, k, a, lda, panels, beta, c, ldc); });
      return;
    }
  }
#endif
  gemm<T>(false, trans_, m, n_, k_, T(1), a, lda, b_, ldb_, beta, c, ldc);
}

template class RowsOperand<float>;
template class RowsOperand<double>;

}  // namespace kernels
}  // namespace mxlite
