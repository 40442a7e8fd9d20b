// MXNet's linear-algebra operators (la_op: linalg_gemm, linalg_potrf, ...,
// the legacy mx.nd.linalg namespace) on LAPACK (kernels/lapack.h). Every
// op works on the last two axes and is batched over the leading ones; inputs
// are float32 or float64. The decompositions (potrf, gelqf, syevd, inverse,
// det, slogdet) are registered ops with gradients written with registered
// ops, among them the triangular solve (trsm, own loops, no LAPACK needed);
// the rest (gemm, gemm2, potri, trmm, syrk, sumlogdiag, the diagonal and
// triangle packers) are compositions of those and of the products in
// linalg.cc, so their gradients come for free.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/lapack.h"
#include "kernels/parallel.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// ---- shared checks and batch loops ------------------------------------------------

void check_la_dtype(const char* name, const NDArray& a) {
  MXLITE_CHECK(a.dtype() == DType::Float32 || a.dtype() == DType::Float64, name,
               "only float32 and float64 inputs are supported, got ", dtype_name(a.dtype()), " (shape ", a.shape(),
               ")");
}

void check_matrices(const char* name, const NDArray& a) {
  check_la_dtype(name, a);
  MXLITE_CHECK(a.ndim() >= 2, name, "expected an input with at least 2 dimensions, got shape ", a.shape());
}

void check_square(const char* name, const NDArray& a) {
  check_matrices(name, a);
  const Shape& s = a.shape();
  MXLITE_CHECK(s[s.size() - 2] == s.back(), name, "expected square matrices in the last two axes, got shape ", s);
}

Shape with_last(const Shape& s, size_t drop, std::initializer_list<int64_t> add) {
  Shape r(s.begin(), s.end() - static_cast<std::ptrdiff_t>(drop));
  for (int64_t v : add) r.push_back(v);
  return r;
}

int64_t batches_of(const Shape& s, size_t matrix_dims) {
  return shape_size(Shape(s.begin(), s.end() - static_cast<std::ptrdiff_t>(matrix_dims)));
}

// fn(i) for every matrix i of a batch; small matrices split over the pool.
template <class Fn> void for_each_batch(int64_t batches, int64_t n, Fn&& fn) {
  const int64_t work = std::max<int64_t>(1, n * n * n);
  kernels::for_range(batches, std::max<int64_t>(1, kernels::kParallelGrain / work), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) fn(i);
  });
}

// The first failing matrix of a batch (LAPACK info > 0), reported after the
// loop so that the error names the op and the batch index.
struct Failure {
  std::atomic<int64_t> index{-1};
  std::atomic<int> info{0};
  void note(int64_t i, int inf) {
    int64_t expected = -1;
    if (inf != 0 && index.compare_exchange_strong(expected, i)) info = inf;
  }
};

// A constant n x n mask (1 where kept) of the matrix's triangle: lower (j <=
// i + offset) or upper (j >= i + offset); the diagonal entries (offset 0)
// weigh `diag`.
NDArray tri_mask(int64_t n, bool lower, DType dt, double diag = 1.0) {
  std::vector<double> m(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j)
      if (i == j)
        m[static_cast<size_t>(i * n + j)] = diag;
      else if (lower ? j < i : j > i)
        m[static_cast<size_t>(i * n + j)] = 1.0;
  return np::astype(NDArray::from_vector(m, Shape{n, n}), dt);
}

NDArray mT(const NDArray& a) { return np::swapaxes(a, -1, -2); }

// ---- triangular solve (own loops) -------------------------------------------------

struct TrsmParams {
  bool transpose = false, rightside = false, lower = true;
  double alpha = 1.0;
};

// Solves T X = alpha B in place (B: n x k, row-major) for the n x n
// triangular T given by its entries t(i, j) (lower when `lower`).
template <class T, class Get> void solve_left(int64_t n, int64_t k, Get t, bool lower, T alpha, T* b) {
  for (int64_t step = 0; step < n; ++step) {
    const int64_t i = lower ? step : n - 1 - step;
    T* bi = b + i * k;
    for (int64_t c = 0; c < k; ++c) bi[c] *= alpha;
    for (int64_t s = 0; s < step; ++s) {
      const int64_t p = lower ? s : n - 1 - s;
      const T f = t(i, p);
      if (f == T(0)) continue;
      const T* bp = b + p * k;
      for (int64_t c = 0; c < k; ++c) bi[c] -= f * bp[c];
    }
    const T d = t(i, i);
    for (int64_t c = 0; c < k; ++c) bi[c] /= d;
  }
}

template <class T> void trsm_kernel(const TrsmParams& p, const NDArray& a, const NDArray& b, NDArray& x) {
  const Shape& bs = b.shape();
  const int64_t rows = bs[bs.size() - 2], cols = bs.back(), n = a.shape().back();
  const int64_t batches = batches_of(bs, 2);
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* px = x.data<T>();
  // op(A) = A or A^T, read from A's `lower` triangle; it is lower triangular
  // when lower != transpose.
  const bool op_lower = p.lower != p.transpose;
  for_each_batch(batches, n, [&](int64_t bi) {
    const T* ai = pa + bi * n * n;
    auto tri = [&](int64_t i, int64_t j) -> T {  // op(A)[i, j] inside the triangle
      return p.transpose ? ai[j * n + i] : ai[i * n + j];
    };
    const T* bb = pb + bi * rows * cols;
    T* xb = px + bi * rows * cols;
    if (!p.rightside) {
      std::copy(bb, bb + rows * cols, xb);
      solve_left<T>(n, cols, tri, op_lower, static_cast<T>(p.alpha), xb);
      return;
    }
    // X op(A) = alpha B  <=>  op(A)^T X^T = alpha B^T.
    std::vector<T> xt(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) xt[static_cast<size_t>(c * rows + r)] = bb[r * cols + c];
    auto tri_t = [&](int64_t i, int64_t j) -> T { return tri(j, i); };
    solve_left<T>(n, rows, tri_t, !op_lower, static_cast<T>(p.alpha), xt.data());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) xb[r * cols + c] = xt[static_cast<size_t>(c * rows + r)];
  });
}

// ---- packed triangles -------------------------------------------------------------

struct TrianParams {
  int64_t offset = 0;
  bool lower = true;
  int64_t n = 0;  // matrix extent
};

// Flat positions (in an n x n matrix) of the packed triangle, in MXNet's
// order: a lower triangle (offset < 0, or 0 with lower) row by row, an upper
// one (offset > 0, or 0 without lower) column by column.
std::vector<int64_t> trian_positions(int64_t n, int64_t offset, bool lower) {
  const bool use_lower = offset < 0 || (offset == 0 && lower);
  const int64_t k = offset < 0 ? -offset : offset;
  std::vector<int64_t> pos;
  for (int64_t i = k; i < n; ++i)
    for (int64_t j = 0; j <= i - k; ++j) pos.push_back(use_lower ? i * n + j : j * n + i);
  return pos;
}

// ---- the syevd sign rule ----------------------------------------------------------

// MXNet's deterministic eigenvector signs: each row u gets u_k > 0 at
// k = argmax |u_j| (the first such k on ties).
template <class T> void fix_row_signs(T* u, int64_t n) {
  for (int64_t r = 0; r < n; ++r) {
    T* row = u + r * n;
    int64_t best = 0;
    for (int64_t j = 1; j < n; ++j)
      if (std::fabs(row[j]) > std::fabs(row[best])) best = j;
    if (row[best] < 0)
      for (int64_t j = 0; j < n; ++j) row[j] = -row[j];
  }
}

const OpDef* g_trsm = nullptr;
const OpDef* g_inverse = nullptr;
const OpDef* g_extracttrian = nullptr;
const OpDef* g_maketrian = nullptr;

NDArray trsm_call(const NDArray& a, const NDArray& b, bool transpose, bool rightside, bool lower, double alpha) {
  Attrs attrs;
  attrs.set_params(TrsmParams{transpose, rightside, lower, alpha});
  return invoke1(*g_trsm, {a, b}, attrs);
}

NDArray trian_call(const OpDef& o, const NDArray& a, const TrianParams& p) {
  Attrs attrs;
  attrs.set_params(p);
  return invoke1(o, {a}, attrs);
}

NDArray inverse_call(const NDArray& a) { return invoke1(*g_inverse, {a}); }

// x with two unit axes appended (a per-matrix scalar broadcast over its matrix).
NDArray per_matrix(const NDArray& x) {
  Shape s = x.shape();
  s.push_back(1);
  s.push_back(1);
  return np::reshape(x, s);
}

}  // namespace

void register_la_ops() {
  // linalg_trsm: inputs A (..., n, n) triangular, B (..., m, k); solves
  // op(A) X = alpha B (or X op(A) = alpha B with rightside), reading only
  // A's lower (or upper) triangle. Saves A and X.
  g_trsm = &register_op("linalg_trsm")
                .inputs(2)
                .save_inputs({0})
                .save_outputs({0})
                .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                  const TrsmParams& p = attrs.params<TrsmParams>();
                  const char* name = "linalg_trsm";
                  check_square(name, in[0]);
                  check_matrices(name, in[1]);
                  MXLITE_CHECK(in[0].dtype() == in[1].dtype(), name, "A and B have dtypes ", dtype_name(in[0].dtype()),
                               " and ", dtype_name(in[1].dtype()));
                  const Shape &as = in[0].shape(), &bs = in[1].shape();
                  MXLITE_CHECK(as.size() == bs.size() && std::equal(as.begin(), as.end() - 2, bs.begin()), name,
                               "A and B must have the same leading (batch) dimensions, got shapes ", as, " and ", bs);
                  const int64_t need = p.rightside ? bs.back() : bs[bs.size() - 2];
                  MXLITE_CHECK(as.back() == need, name, "A of shape ", as, " does not fit B of shape ", bs,
                               p.rightside ? " from the right" : " from the left");
                  out.push_back(TensorMeta{bs, in[1].dtype()});
                })
                .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
                  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_trsm",
                                      trsm_kernel<T>(attrs.params<TrsmParams>(), in[0], in[1], out[0]));
                })
                .set_grad([](const GradCtx& g) -> ArrayList {
                  // X = alpha op(A)^-1 B: with Y = op(A)^-T dX, dB = alpha Y and
                  // d op(A) = -Y X^T (left); rightside: Y = dX op(A)^-T,
                  // d op(A) = -X^T Y. Then back through op and the triangle.
                  const TrsmParams& p = g.attrs().params<TrsmParams>();
                  const NDArray &a = g.input(0), &x = g.output(0), &dx = g.ograd(0);
                  NDArray y = trsm_call(a, dx, !p.transpose, p.rightside, p.lower, 1.0);
                  NDArray da, db;
                  if (g.needs_grad(1)) db = p.alpha == 1.0 ? y : y * p.alpha;
                  if (g.needs_grad(0)) {
                    NDArray dop = p.rightside ? np::matmul_t(x, y, true, false) : np::matmul_t(y, x, false, true);
                    if (p.transpose) dop = mT(dop);
                    da = np::negative(dop) * tri_mask(a.shape().back(), p.lower, a.dtype());
                  }
                  return {da, db};
                });

  // linalg_potrf: the lower Cholesky factor L of each matrix (..., n, n),
  // reading its lower triangle; A = L L^T. Saves L.
  register_op("linalg_potrf")
      .save_outputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_square("linalg_potrf", in[0]);
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
        Failure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_potrf", {
          kernels::require_lapack("linalg_potrf");
          const T* a = in[0].data<T>();
          T* l = out[0].data<T>();
          std::copy(a, a + in[0].size(), l);
          for_each_batch(batches, n,
                         [&](int64_t i) { fail.note(i, kernels::cholesky<T>("linalg_potrf", l + i * n * n, n)); });
        });
        MXLITE_CHECK(fail.index < 0, "linalg_potrf", "matrix ", fail.index.load(), " of the batch (shape ",
                     in[0].shape(), ") is not positive definite (its leading minor of order ", fail.info.load(),
                     " is not positive); the input must be symmetric positive definite");
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // dA = sym(L^-T Phi(L^T dL) L^-1), Phi: the lower triangle with the
        // diagonal halved; sym(X) = (X + X^T) / 2 (A is symmetric).
        const NDArray &l = g.output(0), &dl = g.ograd(0);
        const int64_t n = l.shape().back();
        NDArray phi = np::matmul_t(l, dl, true, false) * tri_mask(n, true, l.dtype(), 0.5);
        NDArray s = trsm_call(l, trsm_call(l, phi, true, false, true, 1.0), false, true, true, 1.0);
        return {(s + mT(s)) * 0.5};
      });

  // linalg_gelqf: A (..., m, n), m <= n, = L Q with Q (..., m, n) of
  // orthonormal rows and L (..., m, m) lower triangular. Saves Q and L.
  register_op("linalg_gelqf")
      .save_outputs({0, 1})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const char* name = "linalg_gelqf";
        check_matrices(name, in[0]);
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back();
        MXLITE_CHECK(m <= n, name, "expected matrices with no more rows than columns, got shape ", s);
        out.push_back(TensorMeta{s, in[0].dtype()});
        out.push_back(TensorMeta{with_last(s, 1, {m}), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back(), batches = batches_of(s, 2);
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_gelqf", {
          kernels::require_lapack("linalg_gelqf");
          const T* a = in[0].data<T>();
          T *q = out[0].data<T>(), *l = out[1].data<T>();
          for_each_batch(batches, n, [&](int64_t i) {
            kernels::lq<T>("linalg_gelqf", a + i * m * n, m, n, q + i * m * n, l + i * m * m);
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // M = L^T dL - dQ Q^T; dA = L^-T (dQ + copyltu(M) Q), copyltu(M)
        // the symmetric matrix with M's lower triangle.
        const NDArray &q = g.output(0), &l = g.output(1), &dq = g.ograd(0), &dl = g.ograd(1);
        const int64_t m = l.shape().back();
        NDArray mm = np::matmul_t(l, dl, true, false) - np::matmul_t(dq, q, false, true);
        NDArray low = mm * tri_mask(m, true, l.dtype());
        NDArray sym = low + mT(mm * tri_mask(m, true, l.dtype(), 0.0));
        return {trsm_call(l, dq + np::matmul_t(sym, q), true, false, true, 1.0)};
      });

  // linalg_syevd: the symmetric A (..., n, n), its lower triangle read, =
  // U^T diag(w) U: U (..., n, n) eigenvectors as rows (MXNet's signs), w
  // (..., n) ascending. Saves U and w.
  register_op("linalg_syevd")
      .save_outputs({0, 1})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_square("linalg_syevd", in[0]);
        const Shape& s = in[0].shape();
        out.push_back(TensorMeta{s, in[0].dtype()});
        out.push_back(TensorMeta{with_last(s, 1, {}), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
        Failure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_syevd", {
          kernels::require_lapack("linalg_syevd");
          const T* a = in[0].data<T>();
          T *u = out[0].data<T>(), *w = out[1].data<T>();
          for_each_batch(batches, n, [&](int64_t i) {
            fail.note(i, kernels::syevd<T>("linalg_syevd", a + i * n * n, n, u + i * n * n, w + i * n));
            fix_row_signs(u + i * n * n, n);
          });
        });
        MXLITE_CHECK(fail.index < 0, "linalg_syevd", "the eigen-decomposition of matrix ", fail.index.load(),
                     " of the batch (shape ", in[0].shape(), ") did not converge");
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // dA = sym(U^T (diag(dw) + F o (U dU^T)) U), F_ij = 1 / (w_j - w_i) off the diagonal.
        const NDArray &u = g.output(0), &w = g.output(1), &du = g.ograd(0), &dw = g.ograd(1);
        const int64_t n = w.shape().back();
        NDArray eye = np::astype(np::eye(n), w.dtype());
        NDArray diff = np::expand_dims(w, -2) - np::expand_dims(w, -1);
        NDArray f = (1.0 - eye) / (diff + eye);
        NDArray inner = f * np::matmul_t(u, du, false, true) +
                        np::diagonal_backward(dw, u.shape(), 0, static_cast<int64_t>(u.ndim()) - 2,
                                              static_cast<int64_t>(u.ndim()) - 1);
        NDArray r = np::matmul_t(u, np::matmul_t(inner, u), true, false);
        return {(r + mT(r)) * 0.5};
      });

  // linalg_inverse: A^-1 of each square matrix; singular matrices are an
  // error. Saves the inverse.
  g_inverse = &register_op("linalg_inverse")
                   .save_outputs({0})
                   .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
                     check_square("linalg_inverse", in[0]);
                     out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
                   })
                   .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
                     const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
                     Failure fail;
                     MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_inverse", {
                       kernels::require_lapack("linalg_inverse");
                       const T* a = in[0].data<T>();
                       T* x = out[0].data<T>();
                       std::copy(a, a + in[0].size(), x);
                       for_each_batch(batches, n, [&](int64_t i) {
                         fail.note(i, kernels::inverse<T>("linalg_inverse", x + i * n * n, n));
                       });
                     });
                     MXLITE_CHECK(fail.index < 0, "linalg_inverse", "matrix ", fail.index.load(),
                                  " of the batch (shape ", in[0].shape(), ") is singular");
                   })
                   .set_grad([](const GradCtx& g) -> ArrayList {
                     const NDArray &x = g.output(0), &dx = g.ograd(0);  // dA = -X^T dX X^T
                     return {np::negative(np::matmul_t(x, np::matmul_t(dx, x, false, true), true, false))};
                   });

  // linalg_det: the determinant of each square matrix (..., n, n) -> (...),
  // by LU. Saves A and det.
  register_op("linalg_det")
      .save_inputs({0})
      .save_outputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_square("linalg_det", in[0]);
        out.push_back(TensorMeta{with_last(in[0].shape(), 2, {}), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_det", {
          kernels::require_lapack("linalg_det");
          const T* a = in[0].data<T>();
          T* d = out[0].data<T>();
          for_each_batch(batches, n, [&](int64_t i) {
            int sign = 0;
            T log_abs = 0;
            kernels::lu_det<T>("linalg_det", a + i * n * n, n, d + i, &sign, &log_abs);
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // d det = det * A^-T (A invertible).
        return {per_matrix(g.ograd(0) * g.output(0)) * mT(inverse_call(g.input(0)))};
      });

  // linalg_slogdet: sign and log|det| of each square matrix; sign 0 and
  // -inf for a singular one. Only log|det| has a gradient. Saves A.
  register_op("linalg_slogdet")
      .save_inputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_square("linalg_slogdet", in[0]);
        const Shape s = with_last(in[0].shape(), 2, {});
        out.push_back(TensorMeta{s, in[0].dtype()});
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_slogdet", {
          kernels::require_lapack("linalg_slogdet");
          const T* a = in[0].data<T>();
          T *sg = out[0].data<T>(), *la = out[1].data<T>();
          for_each_batch(batches, n, [&](int64_t i) {
            int sign = 0;
            T det = 0;
            kernels::lu_det<T>("linalg_slogdet", a + i * n * n, n, &det, &sign, la + i);
            sg[i] = static_cast<T>(sign);
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {per_matrix(g.ograd(1)) * mT(inverse_call(g.input(0)))};  // d log|det| = A^-T
      });

  // linalg_extracttrian / linalg_maketrian: a triangle of each n x n matrix
  // packed into a vector (trian_positions' order) and back, zeros elsewhere;
  // each is the other's gradient.
  g_extracttrian = &register_op("linalg_extracttrian")
                        .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                          const TrianParams& p = attrs.params<TrianParams>();
                          const int64_t m = p.n - (p.offset < 0 ? -p.offset : p.offset);
                          out.push_back(TensorMeta{with_last(in[0].shape(), 2, {m * (m + 1) / 2}), in[0].dtype()});
                        })
                        .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
                          const TrianParams& p = attrs.params<TrianParams>();
                          const std::vector<int64_t> pos = trian_positions(p.n, p.offset, p.lower);
                          const int64_t batches = batches_of(in[0].shape(), 2), len = static_cast<int64_t>(pos.size());
                          MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_extracttrian", {
                            const T* a = in[0].data<T>();
                            T* v = out[0].data<T>();
                            for (int64_t b = 0; b < batches; ++b)
                              for (int64_t t = 0; t < len; ++t) v[b * len + t] = a[b * p.n * p.n + pos[t]];
                          });
                        })
                        .set_grad([](const GradCtx& g) -> ArrayList {
                          return {trian_call(*g_maketrian, g.ograd(0), g.attrs().params<TrianParams>())};
                        });
  g_maketrian = &register_op("linalg_maketrian")
                     .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                       const TrianParams& p = attrs.params<TrianParams>();
                       out.push_back(TensorMeta{with_last(in[0].shape(), 1, {p.n, p.n}), in[0].dtype()});
                     })
                     .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
                       const TrianParams& p = attrs.params<TrianParams>();
                       const std::vector<int64_t> pos = trian_positions(p.n, p.offset, p.lower);
                       const int64_t batches = batches_of(in[0].shape(), 1), len = static_cast<int64_t>(pos.size());
                       MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_maketrian", {
                         const T* v = in[0].data<T>();
                         T* a = out[0].data<T>();
                         std::fill(a, a + out[0].size(), T(0));
                         for (int64_t b = 0; b < batches; ++b)
                           for (int64_t t = 0; t < len; ++t) a[b * p.n * p.n + pos[t]] = v[b * len + t];
                       });
                     })
                     .set_grad([](const GradCtx& g) -> ArrayList {
                       return {trian_call(*g_extracttrian, g.ograd(0), g.attrs().params<TrianParams>())};
                     });
}

}  // namespace ops

namespace np {
namespace {

using ops::check_matrices;
using ops::check_square;
using ops::mT;

void check_same_dtype(const char* name, const NDArray& a, const NDArray& b) {
  MXLITE_CHECK(a.dtype() == b.dtype(), name, "inputs have different dtypes ", dtype_name(a.dtype()), " and ",
               dtype_name(b.dtype()), " (shapes ", a.shape(), " and ", b.shape(), ")");
}

// The triangle of A (lower or upper) as a dense matrix, zeros elsewhere.
NDArray triangle(const NDArray& a, bool lower) { return a * ops::tri_mask(a.shape().back(), lower, a.dtype()); }

// Identity matrices with a's batch dims and last extent.
NDArray batch_eye(const NDArray& a) {
  const int64_t n = a.shape().back();
  Shape s(a.shape().begin(), a.shape().end() - 2);
  s.push_back(n);
  s.push_back(n);
  return broadcast_to(astype(eye(n), a.dtype()), s);
}

}  // namespace

bool have_lapack() { return kernels::have_lapack(); }

NDArray linalg_gemm2(const NDArray& a, const NDArray& b, bool transpose_a, bool transpose_b, double alpha,
                     int64_t axis) {
  const char* name = "linalg_gemm2";
  check_matrices(name, a);
  check_matrices(name, b);
  check_same_dtype(name, a, b);
  const int64_t nd = static_cast<int64_t>(a.ndim());
  MXLITE_CHECK(static_cast<int64_t>(b.ndim()) == nd, name,
               "A and B must have the same number of dimensions, got shapes ", a.shape(), " and ", b.shape());
  MXLITE_CHECK(axis >= -nd && axis < nd - 1 && axis != -1, name, "axis ", axis,
               " (the matrix rows) must be an axis before the last of shape ", a.shape());
  const int64_t ax = axis < 0 ? axis + nd : axis;
  NDArray a2 = ax == nd - 2 ? a : moveaxis(a, Axes{ax}, Axes{-2});
  NDArray b2 = ax == nd - 2 ? b : moveaxis(b, Axes{ax}, Axes{-2});
  const Shape &as = a2.shape(), &bs = b2.shape();
  MXLITE_CHECK(std::equal(as.begin(), as.end() - 2, bs.begin()), name,
               "the shapes of A and B must agree except on the row and column axes, got ", a.shape(), " and ",
               b.shape());
  const int64_t ka = transpose_a ? as[as.size() - 2] : as.back(), kb = transpose_b ? bs.back() : bs[bs.size() - 2];
  MXLITE_CHECK(ka == kb, name, "incompatible matrix dimensions for multiplication: shapes ", a.shape(), " and ",
               b.shape(), " (transpose_a=", transpose_a, ", transpose_b=", transpose_b, ", axis=", axis, ")");
  NDArray c = matmul_t(a2, b2, transpose_a, transpose_b);
  if (alpha != 1.0) c = c * alpha;
  return ax == nd - 2 ? c : moveaxis(c, Axes{-2}, Axes{ax});
}

NDArray linalg_gemm(const NDArray& a, const NDArray& b, const NDArray& c, bool transpose_a, bool transpose_b,
                    double alpha, double beta, int64_t axis) {
  check_matrices("linalg_gemm", c);
  check_same_dtype("linalg_gemm", a, c);
  NDArray ab;
  try {
    ab = linalg_gemm2(a, b, transpose_a, transpose_b, alpha, axis);
  } catch (const Error& e) {
    throw Error("linalg_gemm", e.what());
  }
  MXLITE_CHECK(ab.shape() == c.shape(), "linalg_gemm", "C of shape ", c.shape(), " does not match the product of A ",
               a.shape(), " and B ", b.shape(), " (shape ", ab.shape(), ")");
  return beta == 0.0 ? ab : ab + c * beta;
}

NDArray linalg_potrf(const NDArray& a, bool lower) {
  static const OpDef& o = op("linalg_potrf");
  if (lower) return invoke1(o, {a});
  check_square("linalg_potrf", a);
  return mT(invoke1(o, {mT(a)}));  // the upper triangle of A is the lower one of A^T
}

NDArray linalg_trsm(const NDArray& a, const NDArray& b, bool transpose, bool rightside, bool lower, double alpha) {
  return ops::trsm_call(a, b, transpose, rightside, lower, alpha);
}

NDArray linalg_potri(const NDArray& a, bool lower) {
  check_square("linalg_potri", a);
  // lower: A^-T A^-1; upper: A^-1 A^-T, with A^-1 from a triangular solve.
  NDArray x = linalg_trsm(a, batch_eye(a), false, false, lower, 1.0);
  return lower ? matmul_t(x, x, true, false) : matmul_t(x, x, false, true);
}

NDArray linalg_trmm(const NDArray& a, const NDArray& b, bool transpose, bool rightside, bool lower, double alpha) {
  const char* name = "linalg_trmm";
  check_square(name, a);
  check_matrices(name, b);
  check_same_dtype(name, a, b);
  const Shape &as = a.shape(), &bs = b.shape();
  MXLITE_CHECK(as.size() == bs.size() && std::equal(as.begin(), as.end() - 2, bs.begin()), name,
               "A and B must have the same leading (batch) dimensions, got shapes ", as, " and ", bs);
  const int64_t need = rightside ? bs.back() : bs[bs.size() - 2];
  MXLITE_CHECK(as.back() == need, name, "A of shape ", as, " does not fit B of shape ", bs,
               rightside ? " from the right" : " from the left");
  NDArray t = triangle(a, lower);
  NDArray c = rightside ? matmul_t(b, t, false, transpose) : matmul_t(t, b, transpose, false);
  return alpha == 1.0 ? c : c * alpha;
}

NDArray linalg_sumlogdiag(const NDArray& a) {
  check_square("linalg_sumlogdiag", a);
  const int64_t nd = static_cast<int64_t>(a.ndim());
  return sum(log(diagonal(a, 0, nd - 2, nd - 1)), Axes{-1});
}

NDArray linalg_syrk(const NDArray& a, bool transpose, double alpha) {
  check_matrices("linalg_syrk", a);
  NDArray c = transpose ? matmul_t(a, a, true, false) : matmul_t(a, a, false, true);
  return alpha == 1.0 ? c : c * alpha;
}

std::vector<NDArray> linalg_gelqf(const NDArray& a) {
  static const OpDef& o = op("linalg_gelqf");
  ArrayList r = invoke(o, {a});
  return {r[0], r[1]};
}

std::vector<NDArray> linalg_syevd(const NDArray& a) {
  static const OpDef& o = op("linalg_syevd");
  ArrayList r = invoke(o, {a});
  return {r[0], r[1]};
}

NDArray linalg_inverse(const NDArray& a) { return ops::inverse_call(a); }

NDArray linalg_det(const NDArray& a) {
  static const OpDef& o = op("linalg_det");
  return invoke1(o, {a});
}

std::vector<NDArray> linalg_slogdet(const NDArray& a) {
  static const OpDef& o = op("linalg_slogdet");
  ArrayList r = invoke(o, {a});
  return {r[0], r[1]};
}

NDArray linalg_extractdiag(const NDArray& a, int64_t offset) {
  check_square("linalg_extractdiag", a);
  const int64_t nd = static_cast<int64_t>(a.ndim()), n = a.shape().back();
  MXLITE_CHECK(offset > -n && offset < n, "linalg_extractdiag", "offset ", offset,
               " names no diagonal of matrices of shape ", a.shape());
  return diagonal(a, offset, nd - 2, nd - 1);
}

NDArray linalg_makediag(const NDArray& a, int64_t offset) {
  ops::check_la_dtype("linalg_makediag", a);
  MXLITE_CHECK(a.ndim() >= 1, "linalg_makediag", "expected an input with at least 1 dimension, got shape ", a.shape());
  const int64_t n = a.shape().back() + (offset < 0 ? -offset : offset);
  Shape s(a.shape().begin(), a.shape().end() - 1);
  s.push_back(n);
  s.push_back(n);
  const int64_t nd = static_cast<int64_t>(s.size());
  return diagonal_backward(a, s, offset, nd - 2, nd - 1);
}

NDArray linalg_extracttrian(const NDArray& a, int64_t offset, bool lower) {
  check_square("linalg_extracttrian", a);
  const int64_t n = a.shape().back();
  MXLITE_CHECK(offset > -n && offset < n, "linalg_extracttrian", "offset ", offset,
               " names no diagonal of matrices of shape ", a.shape());
  return ops::trian_call(*ops::g_extracttrian, a, ops::TrianParams{offset, lower, n});
}

NDArray linalg_maketrian(const NDArray& a, int64_t offset, bool lower) {
  ops::check_la_dtype("linalg_maketrian", a);
  MXLITE_CHECK(a.ndim() >= 1, "linalg_maketrian", "expected an input with at least 1 dimension, got shape ", a.shape());
  const int64_t len = a.shape().back();
  int64_t m = 0;
  while ((m + 1) * (m + 2) / 2 <= len) ++m;
  MXLITE_CHECK(m * (m + 1) / 2 == len, "linalg_maketrian", "the last axis of shape ", a.shape(),
               " holds no packed triangle (its length must be m*(m+1)/2 for some m)");
  const int64_t n = m + (offset < 0 ? -offset : offset);
  return ops::trian_call(*ops::g_maketrian, a, ops::TrianParams{offset, lower, n});
}

}  // namespace np
}  // namespace mxlite
