// mxlite (internal): LAPACK wrappers for one row-major matrix (lapack.h).
// LAPACK is column-major: a row-major m x n buffer is, to LAPACK, the n x m
// matrix A^T. Each wrapper either works on that transposed view directly
// (when the decomposition of A^T gives A's, e.g. Cholesky, LU determinants,
// inverses, SVD) or copies into a column-major buffer first.
#include "kernels/lapack.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "kernels/gemm.h"
#include "mxlite/base.h"

#if defined(MXLITE_HAVE_LAPACK)
#define MXLITE_LAPACK_CAT2(a, b) a##b
#define MXLITE_LAPACK_CAT(a, b) MXLITE_LAPACK_CAT2(a, b)
#define MXLITE_LAPACK_FN(name) MXLITE_LAPACK_CAT(MXLITE_BLAS_PREFIX, name)
// Fortran prototypes (LP64 integers). The trailing size_t parameters are the
// hidden lengths of the character arguments that gfortran passes.
extern "C" {
#define MXLITE_LAPACK_DECLARE(T, p)                                                                                  \
  void MXLITE_LAPACK_FN(p##potrf_)(const char*, const int*, T*, const int*, int*, size_t);                           \
  void MXLITE_LAPACK_FN(p##geqrf_)(const int*, const int*, T*, const int*, T*, T*, const int*, int*);                \
  void MXLITE_LAPACK_FN(p##orgqr_)(const int*, const int*, const int*, T*, const int*, const T*, T*, const int*,     \
                                   int*);                                                                            \
  void MXLITE_LAPACK_FN(p##syevd_)(const char*, const char*, const int*, T*, const int*, T*, T*, const int*, int*,   \
                                   const int*, int*, size_t, size_t);                                                \
  void MXLITE_LAPACK_FN(p##getrf_)(const int*, const int*, T*, const int*, int*, int*);                              \
  void MXLITE_LAPACK_FN(p##getri_)(const int*, T*, const int*, const int*, T*, const int*, int*);                    \
  void MXLITE_LAPACK_FN(p##getrs_)(const char*, const int*, const int*, const T*, const int*, const int*, T*,        \
                                   const int*, int*, size_t);                                                        \
  void MXLITE_LAPACK_FN(p##gesdd_)(const char*, const int*, const int*, T*, const int*, T*, T*, const int*, T*,      \
                                   const int*, T*, const int*, int*, int*, size_t);                                  \
  void MXLITE_LAPACK_FN(p##geev_)(const char*, const char*, const int*, T*, const int*, T*, T*, T*, const int*, T*,  \
                                  const int*, T*, const int*, int*, size_t, size_t);                                 \
  void MXLITE_LAPACK_FN(p##gelsd_)(const int*, const int*, const int*, T*, const int*, T*, const int*, T*, const T*, \
                                   int*, T*, const int*, int*, int*);
MXLITE_LAPACK_DECLARE(float, s)
MXLITE_LAPACK_DECLARE(double, d)
#undef MXLITE_LAPACK_DECLARE
}
#endif

namespace mxlite {
namespace kernels {

bool have_lapack() {
#if defined(MXLITE_HAVE_LAPACK)
  return true;
#else
  return false;
#endif
}

void require_lapack(const char* op) {
  MXLITE_CHECK(have_lapack(), op,
               "this build of mxlite has no LAPACK (configured with MXLITE_BLAS=none or a BLAS without LAPACK); "
               "rebuild with scipy-openblas32 or a system LAPACK to use it");
  // LAPACK runs on one OpenBLAS thread, as GEMM does: batches are split over
  // the pool, and OpenBLAS's own threads measured several times slower on a
  // loaded machine (benchmarks/linalg_lapack.py).
  blas_single_threaded_once();
}

#if defined(MXLITE_HAVE_LAPACK)
namespace {

// One name per routine for both precisions.
template <class T> struct Lapack;
#define MXLITE_LAPACK_TRAITS(T, p)                                                                                   \
  template <> struct Lapack<T> {                                                                                     \
    static void potrf(const char* u, const int* n, T* a, const int* lda, int* info) {                                \
      MXLITE_LAPACK_FN(p##potrf_)(u, n, a, lda, info, 1);                                                            \
    }                                                                                                                \
    static void geqrf(const int* m, const int* n, T* a, const int* lda, T* tau, T* w, const int* lw, int* info) {    \
      MXLITE_LAPACK_FN(p##geqrf_)(m, n, a, lda, tau, w, lw, info);                                                   \
    }                                                                                                                \
    static void orgqr(const int* m, const int* n, const int* k, T* a, const int* lda, const T* tau, T* w,            \
                      const int* lw, int* info) {                                                                    \
      MXLITE_LAPACK_FN(p##orgqr_)(m, n, k, a, lda, tau, w, lw, info);                                                \
    }                                                                                                                \
    static void syevd(const char* jz, const char* u, const int* n, T* a, const int* lda, T* w, T* wk, const int* lw, \
                      int* iw, const int* liw, int* info) {                                                          \
      MXLITE_LAPACK_FN(p##syevd_)(jz, u, n, a, lda, w, wk, lw, iw, liw, info, 1, 1);                                 \
    }                                                                                                                \
    static void getrf(const int* m, const int* n, T* a, const int* lda, int* piv, int* info) {                       \
      MXLITE_LAPACK_FN(p##getrf_)(m, n, a, lda, piv, info);                                                          \
    }                                                                                                                \
    static void getri(const int* n, T* a, const int* lda, const int* piv, T* w, const int* lw, int* info) {          \
      MXLITE_LAPACK_FN(p##getri_)(n, a, lda, piv, w, lw, info);                                                      \
    }                                                                                                                \
    static void getrs(const char* t, const int* n, const int* k, const T* a, const int* lda, const int* piv, T* b,   \
                      const int* ldb, int* info) {                                                                   \
      MXLITE_LAPACK_FN(p##getrs_)(t, n, k, a, lda, piv, b, ldb, info, 1);                                            \
    }                                                                                                                \
    static void gesdd(const char* jz, const int* m, const int* n, T* a, const int* lda, T* s, T* u, const int* ldu,  \
                      T* vt, const int* ldvt, T* w, const int* lw, int* iw, int* info) {                             \
      MXLITE_LAPACK_FN(p##gesdd_)(jz, m, n, a, lda, s, u, ldu, vt, ldvt, w, lw, iw, info, 1);                        \
    }                                                                                                                \
    static void geev(const char* jl, const char* jr, const int* n, T* a, const int* lda, T* wr, T* wi, T* vl,        \
                     const int* ldvl, T* vr, const int* ldvr, T* w, const int* lw, int* info) {                      \
      MXLITE_LAPACK_FN(p##geev_)(jl, jr, n, a, lda, wr, wi, vl, ldvl, vr, ldvr, w, lw, info, 1, 1);                  \
    }                                                                                                                \
    static void gelsd(const int* m, const int* n, const int* k, T* a, const int* lda, T* b, const int* ldb, T* s,    \
                      const T* rcond, int* rank, T* w, const int* lw, int* iw, int* info) {                          \
      MXLITE_LAPACK_FN(p##gelsd_)(m, n, k, a, lda, b, ldb, s, rcond, rank, w, lw, iw, info);                         \
    }                                                                                                                \
  };
MXLITE_LAPACK_TRAITS(float, s)
MXLITE_LAPACK_TRAITS(double, d)
#undef MXLITE_LAPACK_TRAITS

// LAPACK takes 32-bit extents.
int ext(const char* op, int64_t v) {
  MXLITE_CHECK(v <= INT_MAX / 2, op, "matrix extent ", v, " is too large for LAPACK");
  return static_cast<int>(v);
}

// The optimal workspace size LAPACK reported in a query (work[0]).
template <class T> int work_size(T w) { return std::max(1, static_cast<int>(w) + 1); }

// Column-major copy (m x n, leading dimension ld >= m) of the row-major m x n a.
template <class T> std::vector<T> to_col(const T* a, int64_t m, int64_t n, int64_t ld) {
  std::vector<T> c(static_cast<size_t>(std::max<int64_t>(1, ld * n)), T(0));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) c[static_cast<size_t>(j * ld + i)] = a[i * n + j];
  return c;
}

// Row-major m x n from the column-major c (leading dimension ld).
template <class T> void from_col(const T* c, int64_t m, int64_t n, int64_t ld, T* a) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) a[i * n + j] = c[j * ld + i];
}

// Householder QR of the column-major m x n matrix in c (leading dimension
// ld), tau receiving min(m, n) factors; returns info.
template <class T> int geqrf(int m, int n, T* c, int ld, std::vector<T>& tau) {
  tau.assign(static_cast<size_t>(std::max(1, std::min(m, n))), T(0));
  int info = 0, lw = -1;
  T q = 0;
  Lapack<T>::geqrf(&m, &n, c, &ld, tau.data(), &q, &lw, &info);
  lw = work_size(q);
  std::vector<T> w(static_cast<size_t>(lw));
  Lapack<T>::geqrf(&m, &n, c, &ld, tau.data(), w.data(), &lw, &info);
  return info;
}

// The first `cols` columns of Q from geqrf's k reflectors, in place.
template <class T> int orgqr(int m, int cols, int k, T* c, int ld, const std::vector<T>& tau) {
  int info = 0, lw = -1;
  T q = 0;
  Lapack<T>::orgqr(&m, &cols, &k, c, &ld, tau.data(), &q, &lw, &info);
  lw = work_size(q);
  std::vector<T> w(static_cast<size_t>(lw));
  Lapack<T>::orgqr(&m, &cols, &k, c, &ld, tau.data(), w.data(), &lw, &info);
  return info;
}

}  // namespace

template <class T> int cholesky(const char* op, T* a, int64_t n64) {
  if (n64 == 0) return 0;
  int n = ext(op, n64), info = 0;
  // The row-major lower triangle is the column-major upper one: A^T = U^T U
  // there, and U read row-major is L.
  Lapack<T>::potrf("U", &n, a, &n, &info);
  for (int64_t i = 0; i < n64; ++i)
    for (int64_t j = i + 1; j < n64; ++j) a[i * n64 + j] = T(0);
  return info;
}

template <class T> int lq(const char* op, const T* a, int64_t m64, int64_t n64, T* q, T* l) {
  if (m64 == 0) return 0;
  // Row-major A (m x n) is the column-major n x m matrix A^T = Q1 R, so
  // A = R^T Q1^T: L = R^T and Q = Q1^T, which is Q1's buffer read row-major.
  int m = ext(op, m64), n = ext(op, n64);
  std::copy(a, a + m64 * n64, q);
  std::vector<T> tau;
  int info = geqrf(n, m, q, n, tau);
  if (info != 0) return info;
  for (int64_t j = 0; j < m64; ++j)
    for (int64_t i = 0; i < m64; ++i) l[j * m64 + i] = i <= j ? q[j * n64 + i] : T(0);
  return orgqr(n, m, m, q, n, tau);
}

template <class T> int qr(const char* op, const T* a, int64_t m64, int64_t n64, T* q, T* r, bool complete) {
  const int64_t k64 = std::min(m64, n64), qcols = complete ? m64 : k64, rrows = complete ? m64 : k64;
  std::fill(r, r + rrows * n64, T(0));
  if (m64 == 0) return 0;
  if (k64 == 0) {  // n == 0: Q is the identity (complete) or empty
    for (int64_t i = 0; i < m64; ++i)
      for (int64_t j = 0; j < qcols; ++j) q[i * qcols + j] = i == j ? T(1) : T(0);
    return 0;
  }
  int m = ext(op, m64), n = ext(op, n64), k = static_cast<int>(k64);
  std::vector<T> c = to_col(a, m64, n64, m64);
  std::vector<T> tau;
  int info = geqrf(m, n, c.data(), m, tau);
  if (info != 0) return info;
  for (int64_t i = 0; i < k64; ++i)
    for (int64_t j = i; j < n64; ++j) r[i * n64 + j] = c[static_cast<size_t>(j * m64 + i)];
  std::vector<T> qc(static_cast<size_t>(m64 * qcols), T(0));
  std::copy(c.begin(), c.begin() + m64 * std::min(qcols, n64), qc.begin());
  info = orgqr(m, static_cast<int>(qcols), k, qc.data(), m, tau);
  from_col(qc.data(), m64, qcols, m64, q);
  return info;
}

template <class T> int syevd(const char* op, const T* a, int64_t n64, T* u, T* w) {
  if (n64 == 0) return 0;
  int n = ext(op, n64), info = 0, lw = -1, liw = -1, iq = 0;
  std::copy(a, a + n64 * n64, u);  // column-major A^T: its upper triangle is A's lower
  T q = 0;
  Lapack<T>::syevd("V", "U", &n, u, &n, w, &q, &lw, &iq, &liw, &info);
  lw = work_size(q);
  liw = std::max(1, iq);
  std::vector<T> work(static_cast<size_t>(lw));
  std::vector<int> iwork(static_cast<size_t>(liw));
  Lapack<T>::syevd("V", "U", &n, u, &n, w, work.data(), &lw, iwork.data(), &liw, &info);
  return info;  // eigenvector columns, read row-major: rows
}

template <class T> int lu_det(const char* op, const T* a, int64_t n64, T* det, int* sign, T* log_abs) {
  *det = T(1);
  *sign = 1;
  *log_abs = T(0);
  if (n64 == 0) return 0;
  int n = ext(op, n64), info = 0;
  std::vector<T> c(a, a + n64 * n64);  // A^T: the same determinant
  std::vector<int> piv(static_cast<size_t>(n));
  Lapack<T>::getrf(&n, &n, c.data(), &n, piv.data(), &info);
  // det = (sign of the row permutation) * (product of U's diagonal).
  int perm = 1, diag_sign = 1;
  T prod = T(1), log_abs_sum = T(0);
  for (int i = 0; i < n; ++i) {
    const T d = c[static_cast<size_t>(i) * n + i];
    if (piv[static_cast<size_t>(i)] != i + 1) perm = -perm;
    if (d < 0) diag_sign = -diag_sign;
    prod *= d;
    log_abs_sum += std::log(std::fabs(d));
  }
  *det = perm < 0 ? -prod : prod;
  *sign = info > 0 ? 0 : perm * diag_sign;
  *log_abs = info > 0 ? -std::numeric_limits<T>::infinity() : log_abs_sum;
  return info;
}

template <class T> int inverse(const char* op, T* a, int64_t n64) {
  if (n64 == 0) return 0;
  int n = ext(op, n64), info = 0;
  std::vector<int> piv(static_cast<size_t>(n));
  Lapack<T>::getrf(&n, &n, a, &n, piv.data(), &info);  // of A^T, whose inverse read row-major is A^-1
  if (info != 0) return info;
  int lw = -1;
  T q = 0;
  Lapack<T>::getri(&n, a, &n, piv.data(), &q, &lw, &info);
  lw = work_size(q);
  std::vector<T> w(static_cast<size_t>(lw));
  Lapack<T>::getri(&n, a, &n, piv.data(), w.data(), &lw, &info);
  return info;
}

template <class T> int solve(const char* op, const T* a, int64_t n64, T* b, int64_t k64) {
  if (n64 == 0 || k64 == 0) return 0;
  int n = ext(op, n64), k = ext(op, k64), info = 0;
  std::vector<T> c(a, a + n64 * n64);  // A^T column-major; getrs with 'T' solves A Y = B
  std::vector<int> piv(static_cast<size_t>(n));
  Lapack<T>::getrf(&n, &n, c.data(), &n, piv.data(), &info);
  if (info != 0) return info;
  std::vector<T> bc = to_col(b, n64, k64, n64);
  Lapack<T>::getrs("T", &n, &k, c.data(), &n, piv.data(), bc.data(), &n, &info);
  from_col(bc.data(), n64, k64, n64, b);
  return info;
}

template <class T> int svd(const char* op, const T* a, int64_t m64, int64_t n64, T* s, T* u, T* vt, bool full) {
  const int64_t k64 = std::min(m64, n64);
  if (k64 == 0) {  // empty: the full factors are identities
    if (u && full)
      for (int64_t i = 0; i < m64 * m64; ++i) u[i] = i % (m64 + 1) == 0 ? T(1) : T(0);
    if (vt && full)
      for (int64_t i = 0; i < n64 * n64; ++i) vt[i] = i % (n64 + 1) == 0 ? T(1) : T(0);
    return 0;
  }
  // The row-major buffer is the column-major n x m matrix A^T = U' S V'^T:
  // A's U is V' (gesdd's VT buffer read row-major) and A's Vt is U'^T (its
  // U buffer read row-major).
  int m = ext(op, n64), n = ext(op, m64), info = 0;  // LAPACK's m x n is A^T's
  std::vector<T> c(a, a + m64 * n64);
  const char* jobz = u == nullptr ? "N" : full ? "A" : "S";
  int ldu = m, ldvt = full ? n : static_cast<int>(k64), lw = -1;
  T dummy_u = 0, dummy_vt = 0, q = 0;
  T* lu = u ? vt : &dummy_u;   // LAPACK's U: A's Vt
  T* lvt = u ? u : &dummy_vt;  // LAPACK's VT: A's U
  if (!u) ldu = ldvt = 1;
  std::vector<int> iw(static_cast<size_t>(8 * k64));
  Lapack<T>::gesdd(jobz, &m, &n, c.data(), &m, s, lu, &ldu, lvt, &ldvt, &q, &lw, iw.data(), &info);
  lw = work_size(q);
  std::vector<T> w(static_cast<size_t>(lw));
  Lapack<T>::gesdd(jobz, &m, &n, c.data(), &m, s, lu, &ldu, lvt, &ldvt, w.data(), &lw, iw.data(), &info);
  return info;
}

template <class T> int eig(const char* op, const T* a, int64_t n64, T* wr, T* wi, T* v) {
  if (n64 == 0) return 0;
  int n = ext(op, n64), info = 0, lw = -1, one = 1;
  std::vector<T> c = to_col(a, n64, n64, n64);
  std::vector<T> vr(static_cast<size_t>(v ? n64 * n64 : 1));
  T q = 0, dummy = 0;
  const char* jobvr = v ? "V" : "N";
  int ldvr = v ? n : 1;
  Lapack<T>::geev("N", jobvr, &n, c.data(), &n, wr, wi, &dummy, &one, vr.data(), &ldvr, &q, &lw, &info);
  lw = work_size(q);
  std::vector<T> w(static_cast<size_t>(lw));
  Lapack<T>::geev("N", jobvr, &n, c.data(), &n, wr, wi, &dummy, &one, vr.data(), &ldvr, w.data(), &lw, &info);
  if (v) from_col(vr.data(), n64, n64, n64, v);
  return info;
}

template <class T>
int lstsq(const char* op, const T* a, int64_t m64, int64_t n64, const T* b, int64_t k64, T rcond, T* x, T* s,
          int64_t* rank) {
  const int64_t mn = std::min(m64, n64);
  *rank = 0;
  if (mn == 0 || k64 == 0) {
    std::fill(x, x + n64 * k64, T(0));
    if (mn > 0 && k64 == 0) {  // still the singular values and rank
      svd(op, a, m64, n64, s, static_cast<T*>(nullptr), static_cast<T*>(nullptr), false);
      for (int64_t i = 0; i < mn; ++i)
        if (s[i] > rcond * s[0]) ++*rank;
    }
    return 0;
  }
  int m = ext(op, m64), n = ext(op, n64), k = ext(op, k64), info = 0, lw = -1, rk = 0, iq = 0;
  const int64_t ldb64 = std::max(m64, n64);
  int lda = m, ldb = static_cast<int>(ldb64);
  std::vector<T> ac = to_col(a, m64, n64, m64);
  std::vector<T> bc(static_cast<size_t>(ldb64 * k64), T(0));
  for (int64_t i = 0; i < m64; ++i)
    for (int64_t j = 0; j < k64; ++j) bc[static_cast<size_t>(j * ldb64 + i)] = b[i * k64 + j];
  T q = 0;
  Lapack<T>::gelsd(&m, &n, &k, ac.data(), &lda, bc.data(), &ldb, s, &rcond, &rk, &q, &lw, &iq, &info);
  lw = work_size(q);
  std::vector<T> w(static_cast<size_t>(lw));
  std::vector<int> iw(static_cast<size_t>(std::max(1, iq)));
  Lapack<T>::gelsd(&m, &n, &k, ac.data(), &lda, bc.data(), &ldb, s, &rcond, &rk, w.data(), &lw, iw.data(), &info);
  *rank = rk;
  for (int64_t i = 0; i < n64; ++i)
    for (int64_t j = 0; j < k64; ++j) x[i * k64 + j] = bc[static_cast<size_t>(j * ldb64 + i)];
  return info;
}

#else  // no LAPACK: every entry point refuses, naming the op

template <class T> int cholesky(const char* op, T*, int64_t) { return require_lapack(op), 0; }
template <class T> int lq(const char* op, const T*, int64_t, int64_t, T*, T*) { return require_lapack(op), 0; }
template <class T> int qr(const char* op, const T*, int64_t, int64_t, T*, T*, bool) { return require_lapack(op), 0; }
template <class T> int syevd(const char* op, const T*, int64_t, T*, T*) { return require_lapack(op), 0; }
template <class T> int lu_det(const char* op, const T*, int64_t, T*, int*, T*) { return require_lapack(op), 0; }
template <class T> int inverse(const char* op, T*, int64_t) { return require_lapack(op), 0; }
template <class T> int solve(const char* op, const T*, int64_t, T*, int64_t) { return require_lapack(op), 0; }
template <class T> int svd(const char* op, const T*, int64_t, int64_t, T*, T*, T*, bool) {
  return require_lapack(op), 0;
}
template <class T> int eig(const char* op, const T*, int64_t, T*, T*, T*) { return require_lapack(op), 0; }
template <class T> int lstsq(const char* op, const T*, int64_t, int64_t, const T*, int64_t, T, T*, T*, int64_t*) {
  return require_lapack(op), 0;
}

#endif

#define MXLITE_LAPACK_INSTANTIATE(T)                                              \
  template int cholesky<T>(const char*, T*, int64_t);                             \
  template int lq<T>(const char*, const T*, int64_t, int64_t, T*, T*);            \
  template int qr<T>(const char*, const T*, int64_t, int64_t, T*, T*, bool);      \
  template int syevd<T>(const char*, const T*, int64_t, T*, T*);                  \
  template int lu_det<T>(const char*, const T*, int64_t, T*, int*, T*);           \
  template int inverse<T>(const char*, T*, int64_t);                              \
  template int solve<T>(const char*, const T*, int64_t, T*, int64_t);             \
  template int svd<T>(const char*, const T*, int64_t, int64_t, T*, T*, T*, bool); \
  template int eig<T>(const char*, const T*, int64_t, T*, T*, T*);                \
  template int lstsq<T>(const char*, const T*, int64_t, int64_t, const T*, int64_t, T, T*, T*, int64_t*);
MXLITE_LAPACK_INSTANTIATE(float)
MXLITE_LAPACK_INSTANTIATE(double)
#undef MXLITE_LAPACK_INSTANTIATE

}  // namespace kernels
}  // namespace mxlite
