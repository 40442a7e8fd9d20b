// MXNet's linear-algebra operators (la_op: linalg_gemm, linalg_potrf, ...,
// the legacy mx.nd.linalg namespace) on LAPACK (kernels/lapack.h). Every
// op works on the last two axes and is batched over the leading ones; inputs
// are float32 or float64. The decompositions (potrf, gelqf, syevd, inverse,
// det, slogdet) are registered ops with gradients written with registered
// ops, among them the triangular solve (trsm: BLAS, or own loops without it);
// the rest (gemm, gemm2, potri, trmm, syrk, sumlogdiag, the diagonal and
// triangle packers) are compositions of those and of the products in
// linalg.cc, so their gradients come for free.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/lapack.h"
#include "kernels/parallel.h"
#include "mxlite/linalg_ops.h"
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

// ---- triangular solve (BLAS's trsm; own loops in builds without BLAS) -------------

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
  if (kernels::have_blas()) {  // BLAS's blocked solve, B's columns/rows over the pool
    std::copy(pb, pb + batches * rows * cols, px);
    for_each_batch(batches, n, [&](int64_t bi) {
      kernels::trsm<T>(p.rightside, p.lower, p.transpose, rows, cols, static_cast<T>(p.alpha), pa + bi * n * n, n,
                       px + bi * rows * cols, cols);
    });
    return;
  }
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

// Looked up on use: registration runs on the first op lookup.
const OpDef& g_trsm() {
  static const OpDef& o = op("linalg_trsm");
  return o;
}
// Looked up on use: registration runs on the first op lookup.
const OpDef& g_inverse() {
  static const OpDef& o = op("linalg_inverse");
  return o;
}
// Looked up on use: registration runs on the first op lookup.
const OpDef& g_extracttrian() {
  static const OpDef& o = op("linalg_extracttrian");
  return o;
}
// Looked up on use: registration runs on the first op lookup.
const OpDef& g_maketrian() {
  static const OpDef& o = op("linalg_maketrian");
  return o;
}

NDArray trsm_call(const NDArray& a, const NDArray& b, bool transpose, bool rightside, bool lower, double alpha) {
  Attrs attrs;
  attrs.set_params(TrsmParams{transpose, rightside, lower, alpha});
  return invoke1(g_trsm(), {a, b}, attrs);
}

NDArray trian_call(const OpDef& o, const NDArray& a, const TrianParams& p) {
  Attrs attrs;
  attrs.set_params(p);
  return invoke1(o, {a}, attrs);
}

NDArray inverse_call(const NDArray& a) { return invoke1(g_inverse(), {a}); }

// The inverse, zeros for a singular matrix (attrs.index 1): the gradients of
// det and slogdet pass nothing back through a singular matrix, as in MXNet.
NDArray inverse_or_zero(const NDArray& a) {
  Attrs attrs;
  attrs.index = 1;
  return invoke1(g_inverse(), {a}, attrs);
}

// x with two unit axes appended (a per-matrix scalar broadcast over its matrix).
NDArray per_matrix(const NDArray& x) {
  Shape s = x.shape();
  s.push_back(1);
  s.push_back(1);
  return np::reshape(x, s);
}

}  // namespace

void register_np_linalg_ops();  // below: the mx.np.linalg decompositions

void register_la_ops() {
  register_np_linalg_ops();
  // linalg_trsm: inputs A (..., n, n) triangular, B (..., m, k); solves
  // op(A) X = alpha B (or X op(A) = alpha B with rightside), reading only
  // A's lower (or upper) triangle. Saves A and X.
  register_op("linalg_trsm")
      .inputs(2)
      .save_inputs({0})
      .save_outputs({0})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        const TrsmParams& p = attrs.params<TrsmParams>();
        const char* name = "linalg_trsm";
        check_square(name, in[0]);
        check_matrices(name, in[1]);
        MXLITE_CHECK(in[0].dtype() == in[1].dtype(), name, "A and B have dtypes ", dtype_name(in[0].dtype()), " and ",
                     dtype_name(in[1].dtype()));
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
  // error (zeros instead with attrs.index 1, for gradients). Saves the inverse.
  register_op("linalg_inverse")
      .save_outputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_square("linalg_inverse", in[0]);
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
        const bool zero_if_singular = attrs.index == 1;
        Failure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "linalg_inverse", {
          kernels::require_lapack("linalg_inverse");
          const T* a = in[0].data<T>();
          T* x = out[0].data<T>();
          std::copy(a, a + in[0].size(), x);
          for_each_batch(batches, n, [&](int64_t i) {
            T* xi = x + i * n * n;
            const int info = kernels::inverse<T>("linalg_inverse", xi, n);
            if (info != 0 && zero_if_singular)
              std::fill(xi, xi + n * n, T(0));
            else
              fail.note(i, info);
          });
        });
        MXLITE_CHECK(fail.index < 0, "linalg_inverse", "matrix ", fail.index.load(), " of the batch (shape ",
                     in[0].shape(), ") is singular");
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
        // d det = det * A^-T (A invertible; nothing for a singular A, as MXNet).
        return {per_matrix(g.ograd(0) * g.output(0)) * mT(inverse_or_zero(g.input(0)))};
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
        return {per_matrix(g.ograd(1)) * mT(inverse_or_zero(g.input(0)))};  // d log|det| = A^-T
      });

  // linalg_extracttrian / linalg_maketrian: a triangle of each n x n matrix
  // packed into a vector (trian_positions' order) and back, zeros elsewhere;
  // each is the other's gradient.
  register_op("linalg_extracttrian")
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
        return {trian_call(g_maketrian(), g.ograd(0), g.attrs().params<TrianParams>())};
      });
  register_op("linalg_maketrian")
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
        return {trian_call(g_extracttrian(), g.ograd(0), g.attrs().params<TrianParams>())};
      });
}

// ---- mx.np.linalg decompositions ----------------------------------------------------

namespace {

struct QrParams {
  bool complete = false;
};

// MXNet's SVD signs: row i of V gets its largest-magnitude entry positive
// (the first on ties), column i of UT flipping with it.
template <class T> void fix_svd_signs(T* ut, T* v, int64_t m, int64_t n) {
  for (int64_t i = 0; i < m; ++i) {
    T* row = v + i * n;
    int64_t best = 0;
    for (int64_t j = 1; j < n; ++j)
      if (std::fabs(row[j]) > std::fabs(row[best])) best = j;
    if (row[best] < 0) {
      for (int64_t j = 0; j < n; ++j) row[j] = -row[j];
      for (int64_t r = 0; r < m; ++r) ut[r * m + i] = -ut[r * m + i];
    }
  }
}

// Looked up on use: registration runs on the first op lookup.
const OpDef& g_solve() {
  static const OpDef& o = op("linalg_solve");
  return o;
}

NDArray solve_call(const NDArray& a, const NDArray& b) { return invoke1(g_solve(), {a, b}); }

// Off-diagonal 1 / (x_j - x_i) of the last axis of x as (..., n, n), 0 on the diagonal.
NDArray inverse_gaps(const NDArray& x) {
  const int64_t n = x.shape().back();
  NDArray eye = np::astype(np::eye(n), x.dtype());
  NDArray diff = np::expand_dims(x, -2) - np::expand_dims(x, -1);
  return (1.0 - eye) / (diff + eye);
}

NDArray diag_of(const NDArray& v, const Shape& like) {
  const int64_t nd = static_cast<int64_t>(like.size());
  return np::diagonal_backward(v, like, 0, nd - 2, nd - 1);
}

// QR backward for A = Q R with Q (m x k) and R (k x k) square-topped (m >= n):
// M = R dR^T - dQ^T Q; dA = (dQ + Q copyltu(M)) R^-T.
NDArray qr_backward_tall(const NDArray& q, const NDArray& r, const NDArray& dq, const NDArray& dr) {
  const int64_t k = r.shape()[r.ndim() - 2];
  NDArray mm = np::matmul_t(r, dr, false, true) - np::matmul_t(dq, q, true, false);
  NDArray sym = mm * tri_mask(k, true, r.dtype()) + mT(mm * tri_mask(k, true, r.dtype(), 0.0));
  NDArray x = dq + np::matmul_t(q, sym);
  return trsm_call(r, x, true, true, false, 1.0);  // X R^-T
}

}  // namespace

void register_np_linalg_ops() {
  // linalg_svd: A (..., m, n), m <= n, = UT diag(L) V: UT (..., m, m), L
  // (..., m) descending, V (..., m, n) orthonormal rows (MXNet's signs).
  register_op("linalg_svd")
      .save_outputs({0, 1, 2})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const char* name = "svd";
        check_matrices(name, in[0]);
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back();
        MXLITE_CHECK(m <= n, name, "expected matrices with no more rows than columns (MXNet's svd), got shape ", s);
        out.push_back(TensorMeta{with_last(s, 1, {m}), in[0].dtype()});
        out.push_back(TensorMeta{with_last(s, 2, {m}), in[0].dtype()});
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back(), batches = batches_of(s, 2);
        Failure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "svd", {
          kernels::require_lapack("svd");
          const T* a = in[0].data<T>();
          T *ut = out[0].data<T>(), *l = out[1].data<T>(), *v = out[2].data<T>();
          for_each_batch(batches, n, [&](int64_t i) {
            fail.note(i, kernels::svd<T>("svd", a + i * m * n, m, n, l + i * m, ut + i * m * m, v + i * m * n, false));
            fix_svd_signs(ut + i * m * m, v + i * m * n, m, n);
          });
        });
        MXLITE_CHECK_AS(ValueError, fail.index < 0, "svd", "SVD did not converge for matrix ", fail.index.load(),
                        " of the batch (shape ", s, ")");
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // A = U S Vt, U square: dA = U [F o (U^T dU - dU^T U) S + diag(dS)
        //   + S F o (Vt dVt^T - dVt Vt^T)] Vt + U S^-1 dVt (I - Vt^T Vt),
        // F_ij = 1 / (s_j^2 - s_i^2) off the diagonal.
        const NDArray &u = g.output(0), &s = g.output(1), &vt = g.output(2);
        const NDArray &du = g.ograd(0), &ds = g.ograd(1), &dvt = g.ograd(2);
        NDArray f = inverse_gaps(s * s);
        NDArray srow = np::expand_dims(s, -2);  // X * srow: X S;  scol: S X
        NDArray scol = np::expand_dims(s, -1);
        NDArray ju = f * (np::matmul_t(u, du, true, false) - np::matmul_t(du, u, true, false));
        NDArray jv = f * (np::matmul_t(vt, dvt, false, true) - np::matmul_t(dvt, vt, false, true));
        NDArray core = ju * srow + diag_of(ds, u.shape()) + scol * jv;
        NDArray da = np::matmul_t(u, np::matmul_t(core, vt));
        NDArray proj = dvt - np::matmul_t(np::matmul_t(dvt, vt, false, true), vt);
        da = da + np::matmul_t(u, proj / scol);
        return {da};
      });

  // linalg_qr: A (..., m, n) = Q R, k = min(m, n): Q (..., m, k), R (..., k,
  // n); complete: Q (..., m, m), R (..., m, n). LAPACK's signs.
  register_op("linalg_qr")
      .save_outputs({0, 1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        check_matrices("qr", in[0]);
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back(), k = std::min(m, n);
        const int64_t cols = attrs.params<QrParams>().complete ? m : k;
        out.push_back(TensorMeta{with_last(s, 1, {cols}), in[0].dtype()});
        out.push_back(TensorMeta{with_last(s, 2, {cols, n}), in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back(), batches = batches_of(s, 2);
        const bool complete = attrs.params<QrParams>().complete;
        const int64_t cols = complete ? m : std::min(m, n);
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "qr", {
          kernels::require_lapack("qr");
          const T* a = in[0].data<T>();
          T *q = out[0].data<T>(), *r = out[1].data<T>();
          for_each_batch(batches, std::max(m, n), [&](int64_t i) {
            kernels::qr<T>("qr", a + i * m * n, m, n, q + i * m * cols, r + i * cols * n, complete);
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &q = g.output(0), &r = g.output(1), &dq = g.ograd(0), &dr = g.ograd(1);
        const int64_t m = q.shape()[q.ndim() - 2], n = r.shape().back();
        MXLITE_CHECK(!g.attrs().params<QrParams>().complete || m <= n, "qr",
                     "the gradient of mode='complete' with more rows than columns is not defined (shape ", m, " x ", n,
                     "); use mode='reduced'");
        if (m >= n) return {qr_backward_tall(q, r, dq, dr)};
        // Wide A = [X | Y], R = [U | V]: X = Q U is square; Y = Q V.
        NDArray u = np::slice_axis(r, -1, 0, m), v = np::slice_axis(r, -1, m, n);
        NDArray du = np::slice_axis(dr, -1, 0, m), dv = np::slice_axis(dr, -1, m, n);
        NDArray y = np::matmul_t(q, v);
        NDArray dx = qr_backward_tall(q, u, dq + np::matmul_t(y, dv, false, true), du);
        NDArray dy = np::matmul_t(q, dv);
        return {np::concatenate({dx, dy}, -1)};
      });

  // linalg_solve: X with A X = B, A (..., n, n), B (..., n, k), the same
  // batch dims; a singular A is an error. Saves A and X.
  register_op("linalg_solve")
      .inputs(2)
      .save_inputs({0})
      .save_outputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const char* name = "solve";
        check_square(name, in[0]);
        check_matrices(name, in[1]);
        MXLITE_CHECK(in[0].dtype() == in[1].dtype(), name, "a and b have dtypes ", dtype_name(in[0].dtype()), " and ",
                     dtype_name(in[1].dtype()));
        const Shape &as = in[0].shape(), &bs = in[1].shape();
        MXLITE_CHECK(as.size() == bs.size() && std::equal(as.begin(), as.end() - 1, bs.begin()), name,
                     "the shapes of a ", as, " and b ", bs, " do not match");
        out.push_back(TensorMeta{bs, in[1].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const Shape& bs = in[1].shape();
        const int64_t n = bs[bs.size() - 2], k = bs.back(), batches = batches_of(bs, 2);
        Failure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "solve", {
          kernels::require_lapack("solve");
          const T* a = in[0].data<T>();
          T* x = out[0].data<T>();
          std::copy(in[1].data<T>(), in[1].data<T>() + in[1].size(), x);
          for_each_batch(batches, n, [&](int64_t i) {
            fail.note(i, kernels::solve<T>("solve", a + i * n * n, n, x + i * n * k, k));
          });
        });
        MXLITE_CHECK(fail.index < 0, "solve", "matrix ", fail.index.load(), " of a (shape ", in[0].shape(),
                     ") is singular");
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // dB = A^-T dX, dA = -dB X^T.
        NDArray db = solve_call(mT(g.input(0)), g.ograd(0));
        NDArray da;
        if (g.needs_grad(0)) da = np::negative(np::matmul_t(db, g.output(0), false, true));
        return {da, db};
      });

  // linalg_eig: eigenvalues w (..., n) and right eigenvectors v (..., n, n)
  // (columns) of general square matrices; real spectra only, as in MXNet.
  register_op("linalg_eig")
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_square("eig", in[0]);
        out.push_back(TensorMeta{with_last(in[0].shape(), 1, {}), in[0].dtype()});
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const int64_t n = in[0].shape().back(), batches = batches_of(in[0].shape(), 2);
        Failure fail, complex;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "eig", {
          kernels::require_lapack("eig");
          const T* a = in[0].data<T>();
          T *w = out[0].data<T>(), *v = out[1].data<T>();
          for_each_batch(batches, n, [&](int64_t i) {
            std::vector<T> wi(static_cast<size_t>(n));
            fail.note(i, kernels::eig<T>("eig", a + i * n * n, n, w + i * n, wi.data(), v + i * n * n));
            for (T x : wi)
              if (x != T(0)) complex.note(i, 1);
          });
        });
        MXLITE_CHECK(fail.index < 0, "eig", "the eigenvalue computation did not converge for matrix ",
                     fail.index.load(), " (shape ", in[0].shape(), ")");
        MXLITE_CHECK(complex.index < 0, "eig", "matrix ", complex.index.load(), " of shape ", in[0].shape(),
                     " has complex eigenvalues, which are not supported (as in MXNet)");
      });

  // linalg_lstsq: for A (m, n) and B (m, k): X (n, k), singular values
  // (min(m, n)) and the rank, singular values <= attrs.scalar * s[0] dropped.
  register_op("linalg_lstsq")
      .inputs(2)
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const char* name = "lstsq";
        check_matrices(name, in[0]);
        check_matrices(name, in[1]);
        MXLITE_CHECK(in[0].ndim() == 2 && in[1].ndim() == 2, name, "expected a 2-D a and a 1-D or 2-D b, got shapes ",
                     in[0].shape(), " and ", in[1].shape());
        MXLITE_CHECK(in[0].dtype() == in[1].dtype(), name, "a and b have dtypes ", dtype_name(in[0].dtype()), " and ",
                     dtype_name(in[1].dtype()));
        const int64_t m = in[0].shape()[0], n = in[0].shape()[1];
        MXLITE_CHECK(in[1].shape()[0] == m, name, "incompatible dimensions: a has shape ", in[0].shape(),
                     " and b has shape ", in[1].shape());
        out.push_back(TensorMeta{Shape{n, in[1].shape()[1]}, in[0].dtype()});
        out.push_back(TensorMeta{Shape{std::min(m, n)}, in[0].dtype()});
        out.push_back(TensorMeta{Shape{}, DType::Int64});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const int64_t m = in[0].shape()[0], n = in[0].shape()[1], k = in[1].shape()[1];
        int info = 0;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "lstsq", {
          kernels::require_lapack("lstsq");
          int64_t rank = 0;
          info = kernels::lstsq<T>("lstsq", in[0].data<T>(), m, n, in[1].data<T>(), k, static_cast<T>(attrs.scalar),
                                   out[0].data<T>(), out[1].data<T>(), &rank);
          *out[2].data<int64_t>() = rank;
        });
        MXLITE_CHECK_AS(ValueError, info == 0, "lstsq", "SVD did not converge in linear least squares (shape ",
                        in[0].shape(), ")");
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
  return ops::trian_call(ops::g_extracttrian(), a, ops::TrianParams{offset, lower, n});
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
  return ops::trian_call(ops::g_maketrian(), a, ops::TrianParams{offset, lower, n});
}

// ---- mx.np.linalg ----------------------------------------------------------------------

NDArray linalg_cholesky(const NDArray& a) { return linalg_potrf(a, true); }

std::vector<NDArray> linalg_svd(const NDArray& a) {
  static const OpDef& o = op("linalg_svd");
  ArrayList r = invoke(o, {a});
  return {r[0], r[1], r[2]};
}

std::vector<NDArray> linalg_qr(const NDArray& a, const std::string& mode) {
  MXLITE_CHECK_AS(ValueError, mode == "reduced" || mode == "complete" || mode == "r", "qr", "unrecognized mode '", mode,
                  "' (expected 'reduced', 'complete' or 'r')");
  static const OpDef& o = op("linalg_qr");
  Attrs attrs;
  attrs.set_params(ops::QrParams{mode == "complete"});
  ArrayList r = invoke(o, {a}, attrs);
  if (mode == "r") return {r[1]};
  return {r[0], r[1]};
}

NDArray linalg_solve(const NDArray& a, const NDArray& b) {
  check_square("solve", a);
  // b holds vectors when it has one dimension less than a (NumPy).
  const bool vectors = b.ndim() + 1 == a.ndim();
  NDArray b2 = vectors ? expand_dims(b, -1) : b;
  NDArray x = ops::solve_call(a, b2);
  return vectors ? squeeze(x, Axes{-1}) : x;
}

std::vector<NDArray> linalg_eig(const NDArray& a) {
  static const OpDef& o = op("linalg_eig");
  ArrayList r = invoke(o, {a});
  return {r[0], r[1]};
}

NDArray linalg_eigvals(const NDArray& a) { return linalg_eig(a)[0]; }

namespace {
NDArray uplo_input(const NDArray& a, const std::string& uplo, const char* name) {
  MXLITE_CHECK_AS(ValueError, uplo == "L" || uplo == "U", name, "UPLO must be 'L' or 'U', got '", uplo, "'");
  check_square(name, a);
  return uplo == "L" ? a : mT(a);  // the upper triangle of A is the lower one of A^T
}
}  // namespace

std::vector<NDArray> linalg_eigh(const NDArray& a, const std::string& uplo) {
  std::vector<NDArray> uw = linalg_syevd(uplo_input(a, uplo, "eigh"));
  return {uw[1], mT(uw[0])};  // eigenvalues, eigenvectors as columns
}

NDArray linalg_eigvalsh(const NDArray& a, const std::string& uplo) {
  return linalg_syevd(uplo_input(a, uplo, "eigvalsh"))[1];
}

std::vector<NDArray> linalg_lstsq(const NDArray& a, const NDArray& b, std::optional<double> rcond) {
  const char* name = "lstsq";
  MXLITE_CHECK(a.ndim() == 2, name, "expected a 2-D a, got shape ", a.shape());
  MXLITE_CHECK(b.ndim() == 1 || b.ndim() == 2, name, "expected a 1-D or 2-D b, got shape ", b.shape());
  const int64_t m = a.shape()[0], n = a.shape()[1];
  ops::check_la_dtype(name, a);
  // rcond None: machine precision times max(m, n), as NumPy.
  const double eps = a.dtype() == DType::Float32 ? 1.1920929e-07 : 2.220446049250313e-16;
  const double rc = rcond ? *rcond : eps * static_cast<double>(std::max(m, n));
  static const OpDef& o = op("linalg_lstsq");
  Attrs attrs;
  attrs.scalar = rc;
  NDArray b2 = b.ndim() == 1 ? expand_dims(b, -1) : b;
  ArrayList r = invoke(o, {a, b2}, attrs);
  NDArray x = b.ndim() == 1 ? squeeze(r[0], Axes{-1}) : r[0];
  const int64_t rank = *r[2].data<int64_t>();
  // Residuals: squared norms of b - a x per column when a has full column
  // rank and more rows than columns, else empty.
  NDArray res = rank == n && m > n ? sum(square(b - matmul(a, x)), Axes{0}) : zeros(Shape{0}, a.dtype());
  if (res.ndim() == 0) res = reshape(res, Shape{1});
  return {x, res, r[2], r[1]};
}

NDArray linalg_pinv(const NDArray& a, double rcond) {
  check_matrices("pinv", a);
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back();
  if (m > n) return mT(linalg_pinv(mT(a), rcond));
  // A = UT diag(s) V  =>  A+ = V^T diag(1/s) UT^T, singular values at or
  // below rcond * max(s) dropped.
  std::vector<NDArray> usv = linalg_svd(a);
  const NDArray &ut = usv[0], &s = usv[1], &v = usv[2];
  NDArray cutoff = expand_dims(max(s, Axes{-1}), -1) * rcond;
  NDArray keep = np::astype(greater(s, stop_gradient(cutoff)), s.dtype());
  NDArray inv_s = keep / (s + (1.0 - keep));
  return matmul_t(v * expand_dims(inv_s, -1), ut, true, true);
}

NDArray linalg_matrix_rank(const NDArray& a, std::optional<double> tol, bool hermitian) {
  const char* name = "matrix_rank";
  ops::check_la_dtype(name, a);
  if (a.ndim() < 2) return astype(any(not_equal(a, 0.0)), DType::Int64);  // NumPy: a vector's rank is 0 or 1
  const int64_t m = a.shape()[a.ndim() - 2], n = a.shape().back();
  if (hermitian) check_square(name, a);
  NDArray s =
      stop_gradient(hermitian ? abs(linalg_eigvalsh(a, "L")) : (m <= n ? linalg_svd(a)[1] : linalg_svd(mT(a))[1]));
  NDArray t;
  if (tol) {
    t = scalar(*tol, s.dtype());
  } else {
    const double eps = a.dtype() == DType::Float32 ? 1.1920929e-07 : 2.220446049250313e-16;
    t = expand_dims(max(s, Axes{-1}), -1) * (eps * static_cast<double>(std::max(m, n)));
  }
  return sum(astype(greater(s, t), DType::Int64), Axes{-1});
}

NDArray linalg_matrix_power(const NDArray& a, int64_t n) {
  const char* name = "matrix_power";
  MXLITE_CHECK(a.ndim() >= 2, name, "expected an input with at least 2 dimensions, got shape ", a.shape());
  const Shape& s = a.shape();
  MXLITE_CHECK(s[s.size() - 2] == s.back(), name, "expected square matrices in the last two axes, got shape ", s);
  if (n == 0) return broadcast_to(astype(eye(s.back()), a.dtype()), s) + zeros_like(a) * a;
  NDArray base = a;
  if (n < 0) {
    ops::check_la_dtype(name, a);
    base = linalg_inverse(a);
    n = -n;
  }
  // Binary powering: result = prod of base^(2^i) over the set bits of n.
  NDArray result;
  while (n > 0) {
    if (n & 1) result = result.defined() ? matmul_t(result, base) : base;
    n >>= 1;
    if (n > 0) base = matmul_t(base, base);
  }
  return result;
}

NDArray linalg_multi_dot(const std::vector<NDArray>& arrays) {
  MXLITE_CHECK(arrays.size() >= 2, "multi_dot", "expected at least two arrays, got ", arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) {
    const bool end = i == 0 || i + 1 == arrays.size();
    MXLITE_CHECK(arrays[i].ndim() == 2 || (end && arrays[i].ndim() == 1), "multi_dot", "array ", i, " has shape ",
                 arrays[i].shape(), ": the first and last arrays must be 1-D or 2-D, the others 2-D");
  }
  NDArray r = arrays[0];
  for (size_t i = 1; i < arrays.size(); ++i) r = matmul(r, arrays[i]);
  return r;
}

NDArray linalg_cond(const NDArray& a, const NormOrd& p) {
  const char* name = "cond";
  check_square(name, a);
  const int64_t nd = static_cast<int64_t>(a.ndim());
  if (p.kind == NormOrd::Default || (p.kind == NormOrd::Number && (p.p == 2 || p.p == -2))) {
    NDArray s = linalg_svd(a)[1];
    NDArray big = max(s, Axes{-1}), small = min(s, Axes{-1});
    return p.kind == NormOrd::Number && p.p == -2 ? small / big : big / small;
  }
  return matrix_norm(a, p, nd - 2, nd - 1) * matrix_norm(linalg_inverse(a), p, nd - 2, nd - 1);
}

NDArray linalg_tensorinv(const NDArray& a, int64_t ind) {
  const char* name = "tensorinv";
  MXLITE_CHECK_AS(ValueError, ind > 0 && ind <= static_cast<int64_t>(a.ndim()), name,
                  "ind must be a positive int "
                  "at most the number of dimensions, got ind=",
                  ind, " for shape ", a.shape());
  const Shape& s = a.shape();
  Shape outer(s.begin(), s.begin() + ind), inner(s.begin() + ind, s.end());
  const int64_t rows = shape_size(outer), cols = shape_size(inner);
  MXLITE_CHECK(rows == cols, name, "the first ", ind, " dimensions of shape ", s,
               " must hold as many elements as the rest (", rows, " != ", cols, ")");
  NDArray inv = linalg_inverse(reshape(a, Shape{rows, cols}));
  Shape out = inner;
  for (int64_t v : outer) out.push_back(v);
  return reshape(inv, out);
}

NDArray linalg_tensorsolve(const NDArray& a, const NDArray& b, const std::optional<Axes>& axes) {
  const char* name = "tensorsolve";
  NDArray a2 = a;
  if (axes) {
    // The named axes of a move to the end, in order (NumPy).
    const Axes ax = normalize_axes(*axes, a.ndim(), name);
    Axes perm;
    for (int64_t i = 0; i < static_cast<int64_t>(a.ndim()); ++i)
      if (std::find(ax.begin(), ax.end(), i) == ax.end()) perm.push_back(i);
    for (int64_t v : ax) perm.push_back(v);
    a2 = transpose(a, perm);
  }
  MXLITE_CHECK(a2.ndim() >= b.ndim() && std::equal(b.shape().begin(), b.shape().end(), a2.shape().begin()), name,
               "the leading dimensions of a (shape ", a2.shape(), ") must be b's shape ", b.shape());
  Shape rest(a2.shape().begin() + static_cast<std::ptrdiff_t>(b.ndim()), a2.shape().end());
  const int64_t rows = static_cast<int64_t>(b.size()), cols = shape_size(rest);
  MXLITE_CHECK(rows == cols, name, "a of shape ", a2.shape(), " does not give a square system for b of shape ",
               b.shape(), " (", rows, " != ", cols, ")");
  NDArray x = linalg_solve(reshape(a2, Shape{rows, cols}), reshape(b, Shape{rows}));
  return reshape(x, rest);
}

}  // namespace np
}  // namespace mxlite
