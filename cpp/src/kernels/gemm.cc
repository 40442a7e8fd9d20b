// mxlite (internal): GEMM through BLAS for float32/float64 when the build has
// one, a portable loop kernel otherwise and for integer dtypes.
#include "kernels/gemm.h"

#include <algorithm>
#include <climits>
#include <mutex>
#include <vector>

#include "kernels/parallel.h"
#include "mxlite/threadpool.h"

#if defined(MXLITE_HAVE_BLAS)
// Our own CBLAS prototypes (enums passed as int, the CBLAS ABI): the wheel's
// cblas.h has prefixed names and a system BLAS may ship no header at all.
#define MXLITE_BLAS_CAT2(a, b) a##b
#define MXLITE_BLAS_CAT(a, b) MXLITE_BLAS_CAT2(a, b)
#define MXLITE_BLAS_FN(name) MXLITE_BLAS_CAT(MXLITE_BLAS_PREFIX, name)
extern "C" {
void MXLITE_BLAS_FN(cblas_sgemm)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a,
                                 int lda, const float* b, int ldb, float beta, float* c, int ldc);
void MXLITE_BLAS_FN(cblas_dgemm)(int order, int trans_a, int trans_b, int m, int n, int k, double alpha,
                                 const double* a, int lda, const double* b, int ldb, double beta, double* c, int ldc);
void MXLITE_BLAS_FN(cblas_strsm)(int order, int side, int uplo, int trans, int diag, int m, int n, float alpha,
                                 const float* a, int lda, float* b, int ldb);
void MXLITE_BLAS_FN(cblas_dtrsm)(int order, int side, int uplo, int trans, int diag, int m, int n, double alpha,
                                 const double* a, int lda, double* b, int ldb);
// OpenBLAS's thread control; weak so that another BLAS without it still links.
void MXLITE_BLAS_FN(openblas_set_num_threads)(int n) __attribute__((weak));
}
#endif

namespace mxlite {
namespace kernels {
namespace {

constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;  // CBLAS enum values
constexpr int kUpper = 121, kLower = 122, kNonUnit = 131, kLeft = 141, kRight = 142;

// Rows [r0, r1) of C = alpha * A . B + beta * C with A (M x K, row stride lda)
// and B (K x N, row stride ldb) not transposed. The i-p-j order keeps the inner
// loop contiguous so it vectorises; B is walked in panels of columns so a
// panel stays in cache across rows.
template <class T>
void loop_rows(int64_t r0, int64_t r1, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb,
               T beta, T* c, int64_t ldc) {
  constexpr int64_t kPanel = 256;
  for (int64_t i = r0; i < r1; ++i) {
    T* ci = c + i * ldc;
    if (beta == T(0))
      std::fill(ci, ci + n, T(0));
    else if (beta != T(1))
      for (int64_t j = 0; j < n; ++j) ci[j] *= beta;
  }
  for (int64_t j0 = 0; j0 < n; j0 += kPanel) {
    const int64_t j1 = std::min(n, j0 + kPanel);
    for (int64_t i = r0; i < r1; ++i) {
      T* ci = c + i * ldc;
      const T* ai = a + i * lda;
      for (int64_t p = 0; p < k; ++p) {
        const T av = alpha * ai[p];
        const T* bp = b + p * ldb;
        for (int64_t j = j0; j < j1; ++j) ci[j] += av * bp[j];
      }
    }
  }
}

// A copy of the rows x cols matrix x (row stride ld) transposed, contiguous.
template <class T> std::vector<T> transposed(const T* x, int64_t rows, int64_t cols, int64_t ld) {
  std::vector<T> t(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) t[static_cast<size_t>(c * rows + r)] = x[r * ld + c];
  return t;
}

template <class T>
void loop_gemm(bool parallel, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
               int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  std::vector<T> ta, tb;
  if (trans_a) {
    ta = transposed(a, k, m, lda);
    a = ta.data();
    lda = k;
  }
  if (trans_b) {
    tb = transposed(b, n, k, ldb);
    b = tb.data();
    ldb = n;
  }
  auto rows = [=](int64_t r0, int64_t r1) { loop_rows(r0, r1, n, k, alpha, a, lda, b, ldb, beta, c, ldc); };
  if (!parallel) {
    rows(0, m);
    return;
  }
  int64_t grain = kParallelGrain / std::max<int64_t>(1, k * n);
  for_range(m, std::max<int64_t>(1, grain), rows);
}

#if defined(MXLITE_HAVE_BLAS)
// BLAS always runs single-threaded; large products are split over our own
// pool instead (blas_gemm_split). Two thread pools spinning on the same
// cores, ours between ops and OpenBLAS's after each call, made threaded
// products several times slower than single-threaded ones on a busy machine.
void sync_blas_threads_once() { blas_single_threaded_once(); }

bool blas_fits(int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb, int64_t ldc) {
  for (int64_t v : {m, n, k, lda, ldb, ldc})
    if (v > INT_MAX) return false;
  return true;
}

inline void blas_gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                      int ldb, float beta, float* c, int ldc) {
  MXLITE_BLAS_FN(cblas_sgemm)(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, m, n, k, alpha, a, lda, b, ldb,
                              beta, c, ldc);
}
inline void blas_gemm(bool ta, bool tb, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
                      int ldb, double beta, double* c, int ldc) {
  MXLITE_BLAS_FN(cblas_dgemm)(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, m, n, k, alpha, a, lda, b, ldb,
                              beta, c, ldc);
}
#endif

#if defined(MXLITE_HAVE_BLAS)
// Products of at least this many multiply-adds are split over the pool.
constexpr int64_t kSplitWork = int64_t(1) << 21;

// C = alpha op(A) op(B) + beta C as independent blocks of C's rows (or of
// its columns when C is wide), one single-threaded BLAS call per block. Each
// element of C is computed by exactly one call, so the result does not
// depend on timing.
template <class T>
void blas_gemm_split(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
                     int64_t ldb, T beta, T* c, int64_t ldc) {
  const bool by_rows = m >= n;
  const int64_t extent = by_rows ? m : n;
  // Blocks of at least 16 rows/columns keep the BLAS micro-kernels fed.
  const int64_t grain = std::max<int64_t>(16, kSplitWork / std::max<int64_t>(1, (by_rows ? n : m) * k));
  parallel_for(extent, grain, [=](int64_t i0, int64_t i1) {
    if (by_rows) {
      const T* ai = ta ? a + i0 : a + i0 * lda;
      blas_gemm(ta, tb, int(i1 - i0), int(n), int(k), alpha, ai, int(std::max<int64_t>(1, lda)), b,
                int(std::max<int64_t>(1, ldb)), beta, c + i0 * ldc, int(std::max<int64_t>(1, ldc)));
    } else {
      const T* bj = tb ? b + i0 * ldb : b + i0;
      blas_gemm(ta, tb, int(m), int(i1 - i0), int(k), alpha, a, int(std::max<int64_t>(1, lda)), bj,
                int(std::max<int64_t>(1, ldb)), beta, c + i0, int(std::max<int64_t>(1, ldc)));
    }
  });
}
#endif

template <class T>
void gemm_impl(bool parallel, bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a,
               int64_t lda, const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
#if defined(MXLITE_HAVE_BLAS)
  if constexpr (std::is_same<T, float>::value || std::is_same<T, double>::value) {
    // BLAS requires leading dimensions >= 1 even for empty operands.
    if (k > 0 && blas_fits(m, n, k, lda, ldb, ldc)) {
      sync_blas_threads_once();
      if (parallel && num_threads() > 1 && m * n * k >= 2 * kSplitWork) {
        blas_gemm_split(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
      }
      blas_gemm(trans_a, trans_b, int(m), int(n), int(k), alpha, a, int(std::max<int64_t>(1, lda)), b,
                int(std::max<int64_t>(1, ldb)), beta, c, int(std::max<int64_t>(1, ldc)));
      return;
    }
  }
#endif
  loop_gemm(parallel, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace

template <class T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
          int64_t ldb, T beta, T* c, int64_t ldc) {
  gemm_impl(true, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

template <class T>
void gemm_serial(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
                 const T* b, int64_t ldb, T beta, T* c, int64_t ldc) {
  // Only used for small products: OpenBLAS runs those on the calling thread.
  gemm_impl(false, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

#if defined(MXLITE_HAVE_BLAS)
namespace {
inline void blas_trsm(bool right, bool lower, bool trans, int m, int n, float alpha, const float* a, int lda, float* b,
                      int ldb) {
  MXLITE_BLAS_FN(cblas_strsm)(kRowMajor, right ? kRight : kLeft, lower ? kLower : kUpper, trans ? kTrans : kNoTrans,
                              kNonUnit, m, n, alpha, a, lda, b, ldb);
}
inline void blas_trsm(bool right, bool lower, bool trans, int m, int n, double alpha, const double* a, int lda,
                      double* b, int ldb) {
  MXLITE_BLAS_FN(cblas_dtrsm)(kRowMajor, right ? kRight : kLeft, lower ? kLower : kUpper, trans ? kTrans : kNoTrans,
                              kNonUnit, m, n, alpha, a, lda, b, ldb);
}
}  // namespace
#endif

template <class T>
bool trsm(bool right, bool lower, bool trans, int64_t m, int64_t n, T alpha, const T* a, int64_t lda, T* b,
          int64_t ldb) {
#if defined(MXLITE_HAVE_BLAS)
  if (m <= 0 || n <= 0) return true;
  if (!blas_fits(m, n, 1, std::max<int64_t>(1, lda), std::max<int64_t>(1, ldb), 1)) return false;
  sync_blas_threads_once();
  // The right-hand sides are independent: B's columns (left) or rows (right)
  // split over the pool, one single-threaded BLAS call per block.
  const int64_t tri = right ? n : m, sides = right ? m : n;
  const int64_t grain = std::max<int64_t>(16, kSplitWork / std::max<int64_t>(1, tri * tri));
  const int la = int(std::max<int64_t>(1, lda)), lb = int(std::max<int64_t>(1, ldb));
  parallel_for(sides, grain, [=](int64_t i0, int64_t i1) {
    if (right)
      blas_trsm(true, lower, trans, int(i1 - i0), int(n), alpha, a, la, b + i0 * ldb, lb);
    else
      blas_trsm(false, lower, trans, int(m), int(i1 - i0), alpha, a, la, b + i0, lb);
  });
  return true;
#else
  (void)right, (void)lower, (void)trans, (void)m, (void)n, (void)alpha, (void)a, (void)lda, (void)b, (void)ldb;
  return false;
#endif
}
template bool trsm<float>(bool, bool, bool, int64_t, int64_t, float, const float*, int64_t, float*, int64_t);
template bool trsm<double>(bool, bool, bool, int64_t, int64_t, double, const double*, int64_t, double*, int64_t);

#define MXLITE_GEMM_INSTANTIATE(T)                                                                                    \
  template void gemm<T>(bool, bool, int64_t, int64_t, int64_t, T, const T*, int64_t, const T*, int64_t, T, T*,        \
                        int64_t);                                                                                     \
  template void gemm_serial<T>(bool, bool, int64_t, int64_t, int64_t, T, const T*, int64_t, const T*, int64_t, T, T*, \
                               int64_t);
MXLITE_GEMM_INSTANTIATE(float)
MXLITE_GEMM_INSTANTIATE(double)
MXLITE_GEMM_INSTANTIATE(int64_t)
MXLITE_GEMM_INSTANTIATE(int32_t)
MXLITE_GEMM_INSTANTIATE(int8_t)
MXLITE_GEMM_INSTANTIATE(uint8_t)
#undef MXLITE_GEMM_INSTANTIATE

bool have_blas() {
#if defined(MXLITE_HAVE_BLAS)
  return true;
#else
  return false;
#endif
}

void blas_single_threaded_once() {
#if defined(MXLITE_HAVE_BLAS)
  static std::once_flag once;
  std::call_once(once, [] { blas_set_num_threads(1); });
#endif
}

void blas_set_num_threads(int n) {
#if defined(MXLITE_HAVE_BLAS)
  // Our pool does the threading (see sync_blas_threads_once): BLAS stays at one thread.
  (void)n;
  if (MXLITE_BLAS_FN(openblas_set_num_threads)) MXLITE_BLAS_FN(openblas_set_num_threads)(1);
#else
  (void)n;
#endif
}

}  // namespace kernels
}  // namespace mxlite
