// mxlite (internal): the LAPACK decompositions the linalg ops call, for one
// row-major float32/float64 matrix at a time (the ops loop over batches).
// Builds without LAPACK (cmake/MxliteBlas.cmake) compile these too: every
// function then throws Error naming the op (`op`) and saying the build has no
// LAPACK. Each returns LAPACK's info (0: success, > 0: the decomposition
// failed, e.g. not positive definite or singular).
#pragma once

#include <cstdint>

namespace mxlite {
namespace kernels {

/// True when the build links LAPACK.
bool have_lapack();
/// Throws Error(op, "... built without LAPACK") unless have_lapack(); every
/// op calls it before its first LAPACK call (it also keeps OpenBLAS at one thread).
void require_lapack(const char* op);

/// Cholesky factor of the n x n matrix a, reading its lower triangle: on
/// return a holds L (lower, zeros above) with A = L L^T.
template <class T> int cholesky(const char* op, T* a, int64_t n);

/// LQ of the m x n (m <= n) matrix a: q (m x n, orthonormal rows) and l
/// (m x m, lower) with A = L Q, LAPACK's signs (no normalisation).
template <class T> int lq(const char* op, const T* a, int64_t m, int64_t n, T* q, T* l);

/// QR of the m x n matrix a, k = min(m, n): q (m x k) and r (k x n, upper),
/// A = Q R. When complete, q is m x m and r is m x n instead.
template <class T> int qr(const char* op, const T* a, int64_t m, int64_t n, T* q, T* r, bool complete);

/// Eigen-decomposition of the symmetric n x n matrix a reading its lower
/// triangle: w ascending, u's row i the unit eigenvector of w[i].
template <class T> int syevd(const char* op, const T* a, int64_t n, T* u, T* w);

/// LU of the n x n matrix a: the product of U's diagonal (det) and the sign
/// of the permutation; info > 0 when singular (det is then 0).
template <class T> int lu_det(const char* op, const T* a, int64_t n, T* det_mantissa, int* perm_sign, T* log_abs);

/// Inverse of the n x n matrix a in place; info > 0 when singular.
template <class T> int inverse(const char* op, T* a, int64_t n);

/// Solves A X = B for the n x n a and the n x k b (row-major, b overwritten
/// by X); info > 0 when singular.
template <class T> int solve(const char* op, const T* a, int64_t n, T* b, int64_t k);

/// SVD of the m x n matrix a, k = min(m, n): s descending (k); when u/vt are
/// not null, u (m x k, or m x m when full) and vt (k x n, or n x n when full).
template <class T> int svd(const char* op, const T* a, int64_t m, int64_t n, T* s, T* u, T* vt, bool full);

/// Eigenvalues (wr + i wi) and right eigenvectors (columns of v, n x n
/// row-major; LAPACK's packing for complex pairs) of the general n x n a.
template <class T> int eig(const char* op, const T* a, int64_t n, T* wr, T* wi, T* v);

/// Least squares min |A X - B| for the m x n a and the m x k b by SVD:
/// x (n x k), s (min(m, n)), *rank; singular values <= rcond * s[0] count as 0.
template <class T>
int lstsq(const char* op, const T* a, int64_t m, int64_t n, const T* b, int64_t k, T rcond, T* x, T* s, int64_t* rank);

}  // namespace kernels
}  // namespace mxlite
