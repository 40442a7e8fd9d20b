// mxlite (internal): the one matrix-product kernel the engine calls. float32
// and float64 go to BLAS when the build has one (cmake/MxliteBlas.cmake);
// other dtypes, and builds without BLAS, use a portable loop kernel.
#pragma once

#include <cstdint>
#include <vector>

namespace mxlite {
namespace kernels {

/// C = alpha * op(A) . op(B) + beta * C, row-major; op(X) = X^T when trans_x.
/// op(A) is M x K, op(B) is K x N, C is M x N; lda/ldb/ldc are row strides.
/// Large products are split into blocks of C over the pool, each block one
/// single-threaded BLAS call (or loop kernel); inside a pool task it runs on
/// the calling thread alone.
template <class T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
          int64_t ldb, T beta, T* c, int64_t ldc);

/// Single-threaded variant for callers that already split work over the pool
/// (many small products in a batch).
template <class T>
void gemm_serial(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda,
                 const T* b, int64_t ldb, T beta, T* c, int64_t ldc);

/// The B (k x n, row-major; B = b^T when trans) of C = A . B + beta C for a
/// recurrence that multiplies a few rows of A by the same B at every step:
/// packed once here (float32 on AVX-512 CPUs) instead of by BLAS at each
/// call; other cases call gemm. Keeps a pointer to b, which must outlive it.
template <class T> class RowsOperand {
 public:
  RowsOperand(const T* b, int64_t k, int64_t n, int64_t ldb, bool trans);
  /// C (m x n) = A (m x k) . B + beta C; C's columns split over the pool;
  /// with beta = 0, C is not read.
  void multiply(int64_t m, const T* a, int64_t lda, T beta, T* c, int64_t ldc) const;

 private:
  const T* b_;
  int64_t k_, n_, ldb_;
  bool trans_;
  std::vector<T> panels_;  // empty: multiply calls gemm
};

/// Triangular solve in place, row-major: op(A) X = alpha B (left) or
/// X op(A) = alpha B (right), op(A) = A^T when trans, A read from its lower
/// (or upper) triangle with a non-unit diagonal; B is m x n, A is m x m
/// (left) or n x n (right). Large solves split B's independent columns (left)
/// or rows (right) over the pool. float32/float64 only; returns false (and
/// does nothing) in builds without BLAS, for the caller's own loops.
template <class T>
bool trsm(bool right, bool lower, bool trans, int64_t m, int64_t n, T alpha, const T* a, int64_t lda, T* b,
          int64_t ldb);

/// True when float32/float64 products go to a BLAS library.
bool have_blas();
/// Keeps BLAS single-threaded whatever the pool size `n` (the pool does the
/// threading, so two pools never oversubscribe the cores). No-op without BLAS.
void blas_set_num_threads(int n);
/// Sets BLAS to one thread the first time it is called (every GEMM and
/// LAPACK entry calls it, so none runs before OpenBLAS is single-threaded).
void blas_single_threaded_once();

}  // namespace kernels
}  // namespace mxlite
