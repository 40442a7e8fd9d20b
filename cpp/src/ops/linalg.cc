// Linear algebra: matmul2d (the one matrix-product kernel) and dot, which is
// written with reshape/transpose/matmul2d so its gradient comes for free.
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// C[M,N] = A[M,K] . B[K,N], all contiguous. Rows of C split over the pool;
// the i-k-j order keeps the inner loop contiguous so it vectorises.
template <class T>
void gemm_nn(const T* a, const T* b, T* c, int64_t m, int64_t k, int64_t n) {
  int64_t grain = kernels::kParallelGrain / std::max<int64_t>(1, k * n);
  kernels::for_range(m, grain < 1 ? 1 : grain, [=](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      T* ci = c + i * n;
      for (int64_t j = 0; j < n; ++j) ci[j] = T(0);
      const T* ai = a + i * k;
      for (int64_t p = 0; p < k; ++p) {
        const T av = ai[p];
        const T* bp = b + p * n;
        for (int64_t j = 0; j < n; ++j) ci[j] += av * bp[j];
      }
    }
  });
}

template <class T>
std::vector<T> transposed(const T* x, int64_t rows, int64_t cols) {
  std::vector<T> t(static_cast<size_t>(rows * cols));
  kernels::permute_copy(x, Shape{rows, cols}, Axes{1, 0}, t.data());
  return t;
}

}  // namespace

void register_linalg_ops() {
  // matmul2d: op(A) . op(B), op = transpose when attrs.transpose_a / _b.
  register_op("matmul2d").inputs(2).save_inputs({0, 1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        const Shape &a = in[0].shape(), &b = in[1].shape();
        MXLITE_CHECK(a.size() == 2 && b.size() == 2, "matmul", "expected 2-D operands, got shapes ", a, " and ", b);
        MXLITE_CHECK(in[0].dtype() == in[1].dtype(), "matmul", "operands have dtypes ", dtype_name(in[0].dtype()),
                     " and ", dtype_name(in[1].dtype()));
        int64_t m = attrs.transpose_a ? a[1] : a[0], ka = attrs.transpose_a ? a[0] : a[1];
        int64_t kb = attrs.transpose_b ? b[1] : b[0], n = attrs.transpose_b ? b[0] : b[1];
        MXLITE_CHECK(ka == kb, "matmul", "shapes ", a, " and ", b, " not aligned: ", ka, " (dim ",
                     attrs.transpose_a ? 0 : 1, ") != ", kb, " (dim ", attrs.transpose_b ? 1 : 0, ")");
        out.push_back(TensorMeta{Shape{m, n}, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray &a = in[0], &b = in[1];
        int64_t m = out[0].shape()[0], n = out[0].shape()[1];
        int64_t k = attrs.transpose_a ? a.shape()[0] : a.shape()[1];
        MXLITE_NUMERIC_SWITCH(a.dtype(), T, "matmul", {
          const T* pa = a.data<T>();
          const T* pb = b.data<T>();
          std::vector<T> ta, tb;
          if (attrs.transpose_a) { ta = transposed(pa, k, m); pa = ta.data(); }
          if (attrs.transpose_b) { tb = transposed(pb, n, k); pb = tb.data(); }
          gemm_nn(pa, pb, out[0].data<T>(), m, k, n);
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &a = g.input(0), &b = g.input(1), &dc = g.ograd(0);
        const bool ta = g.attrs().transpose_a, tb = g.attrs().transpose_b;
        NDArray da, db;
        // C = op(A) op(B): dA and dB are again products of the same three arrays.
        if (g.needs_grad(0))
          da = ta ? np::matmul2d(b, dc, tb, true) : np::matmul2d(dc, b, false, !tb);
        if (g.needs_grad(1))
          db = tb ? np::matmul2d(dc, a, true, ta) : np::matmul2d(a, dc, !ta, false);
        return {da, db};
      });
}

}  // namespace ops

namespace np {

NDArray matmul2d(const NDArray& a, const NDArray& b, bool transpose_a, bool transpose_b) {
  static const OpDef& o = op("matmul2d");
  Attrs attrs;
  attrs.transpose_a = transpose_a;
  attrs.transpose_b = transpose_b;
  DType dt = promote_types(a.dtype(), b.dtype());
  if (dt == DType::Bool) dt = DType::Float32;
  return invoke1(o, {a.dtype() == dt ? a : astype(a, dt), b.dtype() == dt ? b : astype(b, dt)}, attrs);
}

NDArray dot(const NDArray& a, const NDArray& b) {
  if (a.ndim() == 0 || b.ndim() == 0) return multiply(a, b);
  const int64_t k = a.shape().back();
  const size_t bk_axis = b.ndim() == 1 ? 0 : b.ndim() - 2;
  MXLITE_CHECK(b.shape()[bk_axis] == k, "dot", "shapes ", a.shape(), " and ", b.shape(), " not aligned: ", k,
               " (dim ", a.ndim() - 1, ") != ", b.shape()[bk_axis], " (dim ", bk_axis, ")");
  Shape out_shape(a.shape().begin(), a.shape().end() - 1);
  NDArray a2 = reshape(a, Shape{shape_size(out_shape), k});
  NDArray b2;
  if (b.ndim() == 1) {
    b2 = reshape(b, Shape{k, 1});
  } else {
    for (size_t i = 0; i + 2 < b.ndim(); ++i) out_shape.push_back(b.shape()[i]);
    out_shape.push_back(b.shape().back());
    NDArray bt = b;
    if (b.ndim() > 2) {
      // Bring b's contracted axis to the front: (K, leading..., N).
      Axes perm{static_cast<int64_t>(b.ndim() - 2)};
      for (size_t i = 0; i + 2 < b.ndim(); ++i) perm.push_back(static_cast<int64_t>(i));
      perm.push_back(static_cast<int64_t>(b.ndim() - 1));
      bt = transpose(b, perm);
    }
    int64_t cols = 1;
    for (size_t i = 0; i < b.ndim(); ++i)
      if (i != bk_axis) cols *= b.shape()[i];
    b2 = reshape(bt, Shape{k, cols});
  }
  return reshape(matmul2d(a2, b2), out_shape);
}

}  // namespace np
}  // namespace mxlite
