// Linear algebra. One registered product op, "matmul" (batched, broadcasting
// batch dims, optional transposes, GEMM through kernels/gemm.h), and every
// other product (dot, tensordot, inner, outer, vdot, einsum, batch_dot) written
// with it and shape ops, so their gradients come for free.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "kernels/gemm.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// Batch dims of a >= 2-D operand: all but the last two.
Shape batch_of(const Shape& s) { return Shape(s.begin(), s.end() - 2); }

// For each output batch index, the batch index of an operand whose batch dims
// broadcast to out_batch (right-aligned, size-1 dims repeat).
std::vector<int64_t> batch_sources(const Shape& operand_batch, const Shape& out_batch) {
  const int64_t total = shape_size(out_batch);
  std::vector<int64_t> src(static_cast<size_t>(total), 0);
  const size_t nd = out_batch.size(), off = nd - operand_batch.size();
  Dims stride(nd, 0);
  int64_t st = 1;
  for (size_t d = nd; d-- > off;) {
    const int64_t ext = operand_batch[d - off];
    stride[d] = ext == 1 ? 0 : st;
    st *= ext;
  }
  Dims idx(nd, 0);
  int64_t cur = 0;
  for (int64_t i = 0; i < total; ++i) {
    src[static_cast<size_t>(i)] = cur;
    for (size_t d = nd; d-- > 0;) {  // odometer step over out_batch
      cur += stride[d];
      if (++idx[d] < out_batch[d]) break;
      cur -= stride[d] * idx[d];
      idx[d] = 0;
    }
  }
  return src;
}

// Products at or below this many multiply-adds run single-threaded inside
// BLAS, so a batch of them is split over our pool instead.
constexpr int64_t kSmallProduct = 1 << 16;

template <class T> void batched_gemm(const NDArray& a, const NDArray& b, NDArray& c, bool ta, bool tb) {
  const Shape &as = a.shape(), &bs = b.shape(), &cs = c.shape();
  const int64_t m = cs[cs.size() - 2], n = cs.back();
  const int64_t k = ta ? as[as.size() - 2] : as.back();
  const int64_t lda = as.back(), ldb = bs.back();
  const Shape a_batch = batch_of(as), b_batch = batch_of(bs), c_batch = batch_of(cs);
  const int64_t batches = shape_size(c_batch);
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* pc = c.data<T>();
  if (batches == 0 || m == 0 || n == 0) return;
  const int64_t a_count = shape_size(a_batch), b_count = shape_size(b_batch);
  // One shared right operand and a plain left one: a single tall GEMM.
  if (b_count == 1 && a_count == batches && !ta) {
    kernels::gemm<T>(false, tb, batches * m, n, k, T(1), pa, lda, pb, ldb, T(0), pc, n);
    return;
  }
  const std::vector<int64_t> a_src = batch_sources(a_batch, c_batch), b_src = batch_sources(b_batch, c_batch);
  const int64_t a_step = as[as.size() - 2] * as.back(), b_step = bs[bs.size() - 2] * bs.back();
  auto one = [&](int64_t i, bool serial) {
    const T* ai = pa + a_src[static_cast<size_t>(i)] * a_step;
    const T* bi = pb + b_src[static_cast<size_t>(i)] * b_step;
    T* ci = pc + i * m * n;
    if (serial)
      kernels::gemm_serial<T>(ta, tb, m, n, k, T(1), ai, lda, bi, ldb, T(0), ci, n);
    else
      kernels::gemm<T>(ta, tb, m, n, k, T(1), ai, lda, bi, ldb, T(0), ci, n);
  };
  const int64_t work = m * n * std::max<int64_t>(k, 1);
  if (work <= kSmallProduct && batches > 1) {
    kernels::for_range(batches, std::max<int64_t>(1, kernels::kParallelGrain / work), [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) one(i, true);
    });
  } else {
    for (int64_t i = 0; i < batches; ++i) one(i, false);
  }
}

// Where a diagonal lies in a row-major array: every combination of the axes
// other than axis1/axis2 ("rest", in order) starts a run of `length` elements
// `step` apart, the first at the rest's base plus `start`.
struct DiagonalPlan {
  Shape rest;
  Dims rest_strides;
  int64_t length = 0, start = 0, step = 0;
};

DiagonalPlan plan_diagonal(const Shape& s, int64_t offset, int64_t axis1, int64_t axis2) {
  const Dims strides = contiguous_strides(s);
  DiagonalPlan p;
  for (size_t d = 0; d < s.size(); ++d)
    if (static_cast<int64_t>(d) != axis1 && static_cast<int64_t>(d) != axis2) {
      p.rest.push_back(s[d]);
      p.rest_strides.push_back(strides[d]);
    }
  const int64_t n1 = s[axis1], n2 = s[axis2];
  // offset > 0 starts at [0, offset], offset < 0 at [-offset, 0].
  p.length = std::max<int64_t>(0, offset >= 0 ? std::min(n1, n2 - offset) : std::min(n1 + offset, n2));
  p.start = p.length == 0 ? 0 : (offset >= 0 ? offset * strides[axis2] : -offset * strides[axis1]);
  p.step = strides[axis1] + strides[axis2];
  return p;
}

Shape diagonal_shape(const DiagonalPlan& p) {
  Shape s = p.rest;
  s.push_back(p.length);
  return s;
}

// Calls f(diagonal_index, array_index) for every diagonal element, the
// diagonal laid out as diagonal_shape(p); rows of the rest split over the pool.
template <class F> void for_each_diagonal(const DiagonalPlan& p, F f) {
  const int64_t rows = shape_size(p.rest), len = p.length;
  if (len == 0) return;
  const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / len);
  kernels::for_range(rows, grain, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t base = p.start, rem = r;
      for (size_t d = p.rest.size(); d-- > 0;) {
        base += (rem % p.rest[d]) * p.rest_strides[d];
        rem /= p.rest[d];
      }
      for (int64_t k = 0; k < len; ++k) f(r * len + k, base + k * p.step);
    }
  });
}

}  // namespace

void register_linalg_ops() {
  // diagonal: attrs.axes = {axis1, axis2} (normalised, distinct), attrs.index
  // = offset; those axes are dropped and the diagonal becomes the last axis.
  register_op("diagonal")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        const DiagonalPlan p = plan_diagonal(in[0].shape(), attrs.index, attrs.axes[0], attrs.axes[1]);
        out.push_back(TensorMeta{diagonal_shape(p), in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const DiagonalPlan p = plan_diagonal(in[0].shape(), attrs.index, attrs.axes[0], attrs.axes[1]);
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const T* x = in[0].data<T>();
          T* y = out[0].data<T>();
          for_each_diagonal(p, [x, y](int64_t o, int64_t i) { y[o] = x[i]; });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const Attrs& a = g.attrs();
        return {np::diagonal_backward(g.ograd(0), g.input_meta(0).shape, a.index, a.axes[0], a.axes[1])};
      });
  // diagonal_backward: zeros of attrs.shape holding input 0 on the diagonal
  // that "diagonal" with the same attrs reads (so each is the other's gradient).
  register_op("diagonal_backward")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        const DiagonalPlan p = plan_diagonal(attrs.shape, attrs.index, attrs.axes[0], attrs.axes[1]);
        MXLITE_CHECK(in[0].shape() == diagonal_shape(p), "diagonal_backward", "expected a diagonal of shape ",
                     diagonal_shape(p), " for shape ", attrs.shape, ", got ", in[0].shape());
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const DiagonalPlan p = plan_diagonal(attrs.shape, attrs.index, attrs.axes[0], attrs.axes[1]);
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const T* x = in[0].data<T>();
          T* y = out[0].data<T>();
          std::fill(y, y + out[0].size(), T(0));
          for_each_diagonal(p, [x, y](int64_t o, int64_t i) { y[i] = x[o]; });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const Attrs& a = g.attrs();
        return {np::diagonal(g.ograd(0), a.index, a.axes[0], a.axes[1])};
      });
  // matmul: op(A) . op(B) over the last two axes, batch axes broadcast (NumPy
  // matmul on >= 2-D operands); op = transpose when attrs.transpose_a / _b.
  register_op("matmul")
      .inputs(2)
      .save_inputs({0, 1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        const Shape &a = in[0].shape(), &b = in[1].shape();
        MXLITE_CHECK(a.size() >= 2 && b.size() >= 2, "matmul",
                     "expected operands with at least 2 dimensions, got shapes ", a, " and ", b);
        MXLITE_CHECK(in[0].dtype() == in[1].dtype(), "matmul", "operands have dtypes ", dtype_name(in[0].dtype()),
                     " and ", dtype_name(in[1].dtype()));
        const size_t ra = a.size(), rb = b.size();
        int64_t m = attrs.transpose_a ? a[ra - 1] : a[ra - 2], ka = attrs.transpose_a ? a[ra - 2] : a[ra - 1];
        int64_t kb = attrs.transpose_b ? b[rb - 1] : b[rb - 2], n = attrs.transpose_b ? b[rb - 2] : b[rb - 1];
        MXLITE_CHECK(ka == kb, "matmul", "shapes ", a, " and ", b, " not aligned: ", ka, " (dim ",
                     attrs.transpose_a ? ra - 2 : ra - 1, ") != ", kb, " (dim ", attrs.transpose_b ? rb - 1 : rb - 2,
                     ")");
        const Shape ba = batch_of(a), bb = batch_of(b);
        for (size_t i = 1; i <= std::min(ba.size(), bb.size()); ++i) {
          const int64_t x = ba[ba.size() - i], y = bb[bb.size() - i];
          MXLITE_CHECK(x == y || x == 1 || y == 1, "matmul", "batch dimensions of shapes ", a, " and ", b,
                       " do not broadcast");
        }
        Shape s = broadcast_shapes(ba, bb, "matmul");
        s.push_back(m);
        s.push_back(n);
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        MXLITE_NUMERIC_SWITCH(in[0].dtype(), T, "matmul",
                              batched_gemm<T>(in[0], in[1], out[0], attrs.transpose_a, attrs.transpose_b));
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &a = g.input(0), &b = g.input(1), &dc = g.ograd(0);
        const bool ta = g.attrs().transpose_a, tb = g.attrs().transpose_b;
        NDArray da, db;
        // C = op(A) op(B): dA and dB are again products of the same three
        // arrays, summed over the batch dims that were broadcast.
        if (g.needs_grad(0))
          da = reduce_to(ta ? np::matmul_t(b, dc, tb, true) : np::matmul_t(dc, b, false, !tb), a.shape());
        if (g.needs_grad(1))
          db = reduce_to(tb ? np::matmul_t(dc, a, true, ta) : np::matmul_t(a, dc, !ta, false), b.shape());
        return {da, db};
      });
}

}  // namespace ops

namespace np {
namespace {

// Mixed operands of products are promoted (NumPy); two bool operands
// multiply-add in int64, and the result says whether any product was true.
DType product_dtype(const NDArray& a, const NDArray& b) {
  DType dt = promote_types(a.dtype(), b.dtype());
  return dt == DType::Bool ? DType::Int64 : dt;
}

NDArray as(const NDArray& a, DType dt) { return a.dtype() == dt ? a : astype(a, dt); }

NDArray flat(const NDArray& a) { return reshape(a, Shape{static_cast<int64_t>(a.size())}); }

}  // namespace

bool gemm_uses_blas() { return kernels::have_blas(); }

NDArray matmul_t(const NDArray& a, const NDArray& b, bool transpose_a, bool transpose_b) {
  static const OpDef& o = op("matmul");
  Attrs attrs;
  attrs.transpose_a = transpose_a;
  attrs.transpose_b = transpose_b;
  const DType dt = product_dtype(a, b);
  NDArray c = invoke1(o, {as(a, dt), as(b, dt)}, attrs);
  return promote_types(a.dtype(), b.dtype()) == DType::Bool ? astype(c, DType::Bool) : c;
}

NDArray matmul2d(const NDArray& a, const NDArray& b, bool transpose_a, bool transpose_b) {
  MXLITE_CHECK(a.ndim() == 2 && b.ndim() == 2, "matmul", "expected 2-D operands, got shapes ", a.shape(), " and ",
               b.shape());
  return matmul_t(a, b, transpose_a, transpose_b);
}

NDArray matmul(const NDArray& a, const NDArray& b) {
  MXLITE_CHECK(a.ndim() >= 1 && b.ndim() >= 1, "matmul", "operands must have at least 1 dimension, got shapes ",
               a.shape(), " and ", b.shape());
  const int64_t ka = a.shape().back(), kb = b.ndim() == 1 ? b.shape()[0] : b.shape()[b.ndim() - 2];
  MXLITE_CHECK(ka == kb, "matmul", "shapes ", a.shape(), " and ", b.shape(), " not aligned: ", ka, " (dim ",
               a.ndim() - 1, ") != ", kb, " (dim ", b.ndim() == 1 ? 0 : b.ndim() - 2, ")");
  // 1-D operands become a row (left) or column (right) matrix whose unit axis
  // is dropped from the result again.
  NDArray a2 = a.ndim() == 1 ? reshape(a, Shape{1, ka}) : a;
  NDArray b2 = b.ndim() == 1 ? reshape(b, Shape{kb, 1}) : b;
  NDArray c = matmul_t(a2, b2);
  if (a.ndim() > 1 && b.ndim() > 1) return c;
  Shape s(c.shape().begin(), c.shape().end() - 2);
  if (a.ndim() > 1) s.push_back(c.shape()[c.ndim() - 2]);
  if (b.ndim() > 1) s.push_back(c.shape().back());
  return reshape(c, s);
}

NDArray batch_dot(const NDArray& a, const NDArray& b, bool transpose_a, bool transpose_b) {
  MXLITE_CHECK(a.ndim() >= 3 && a.ndim() == b.ndim(), "batch_dot",
               "expected operands of the same rank >= 3, got shapes ", a.shape(), " and ", b.shape());
  for (size_t i = 0; i + 2 < a.ndim(); ++i)
    MXLITE_CHECK(a.shape()[i] == b.shape()[i], "batch_dot", "the leading batch dimensions must be equal, got shapes ",
                 a.shape(), " and ", b.shape());
  const Shape &as_ = a.shape(), &bs = b.shape();
  const int64_t ka = transpose_a ? as_[as_.size() - 2] : as_.back();
  const int64_t kb = transpose_b ? bs.back() : bs[bs.size() - 2];
  MXLITE_CHECK(ka == kb, "batch_dot", "shapes ", as_, " and ", bs, " not aligned: ", ka, " != ", kb,
               " (transpose_a=", transpose_a, ", transpose_b=", transpose_b, ")");
  return matmul_t(a, b, transpose_a, transpose_b);
}

NDArray dot(const NDArray& a, const NDArray& b) {
  if (a.ndim() == 0 || b.ndim() == 0) return multiply(a, b);
  const int64_t k = a.shape().back();
  const size_t bk_axis = b.ndim() == 1 ? 0 : b.ndim() - 2;
  MXLITE_CHECK(b.shape()[bk_axis] == k, "dot", "shapes ", a.shape(), " and ", b.shape(), " not aligned: ", k, " (dim ",
               a.ndim() - 1, ") != ", b.shape()[bk_axis], " (dim ", bk_axis, ")");
  if (b.ndim() <= 2) return matmul(a, b);  // the same contraction for these ranks
  // b's contracted axis is its second-to-last: move it to the front and
  // contract a (P, K) matrix with a (K, rest of b) one.
  Axes perm{static_cast<int64_t>(b.ndim() - 2)};
  for (size_t i = 0; i < b.ndim(); ++i)
    if (i != bk_axis) perm.push_back(static_cast<int64_t>(i));
  Shape out_shape(a.shape().begin(), a.shape().end() - 1);
  for (size_t i = 0; i < b.ndim(); ++i)
    if (i != bk_axis) out_shape.push_back(b.shape()[i]);
  int64_t q = 1;
  for (size_t i = 0; i < b.ndim(); ++i)
    if (i != bk_axis) q *= b.shape()[i];
  NDArray a2 = reshape(a, Shape{shape_size(Shape(a.shape().begin(), a.shape().end() - 1)), k});
  NDArray b2 = reshape(transpose(b, perm), Shape{k, q});
  return reshape(matmul_t(a2, b2), out_shape);
}

NDArray legacy_dot(const NDArray& a, const NDArray& b, bool transpose_a, bool transpose_b) {
  MXLITE_CHECK(a.ndim() >= 1 && b.ndim() >= 1, "dot", "operands must have at least 1 dimension, got shapes ", a.shape(),
               " and ", b.shape());
  // Each operand is viewed as a matrix split after its first axis (the side
  // that is contracted when transposed) or before its last one.
  auto split = [](const NDArray& x, bool after_first) {
    const Shape& s = x.shape();
    const int64_t head = after_first ? s[0] : shape_size(Shape(s.begin(), s.end() - 1));
    const int64_t tail = after_first ? shape_size(Shape(s.begin() + 1, s.end())) : s.back();
    return std::make_pair(head, tail);
  };
  const auto [ar, ac] = split(a, transpose_a);
  const auto [br, bc] = split(b, !transpose_b);
  const int64_t ka = transpose_a ? ar : ac, kb = transpose_b ? bc : br;
  MXLITE_CHECK(ka == kb, "dot", "shapes ", a.shape(), " and ", b.shape(), " not aligned: ", ka, " != ", kb,
               " (transpose_a=", transpose_a, ", transpose_b=", transpose_b, ")");
  Shape out_shape;
  const Shape &as_ = a.shape(), &bs = b.shape();
  for (size_t i = transpose_a ? 1 : 0; i < (transpose_a ? as_.size() : as_.size() - 1); ++i)
    out_shape.push_back(as_[i]);
  for (size_t i = transpose_b ? 0 : 1; i < (transpose_b ? bs.size() - 1 : bs.size()); ++i) out_shape.push_back(bs[i]);
  if (out_shape.empty()) out_shape.push_back(1);  // MXNet's legacy 1-D . 1-D is shape (1,)
  NDArray c = matmul_t(reshape(a, Shape{ar, ac}), reshape(b, Shape{br, bc}), transpose_a, transpose_b);
  return reshape(c, out_shape);
}

NDArray tensordot(const NDArray& a, const NDArray& b, const Axes& axes_a, const Axes& axes_b) {
  MXLITE_CHECK(axes_a.size() == axes_b.size(), "tensordot", "axes lists of different lengths: ", axes_a, " and ",
               axes_b);
  const Axes ax_a = normalize_axes(axes_a, a.ndim(), "tensordot"), ax_b = normalize_axes(axes_b, b.ndim(), "tensordot");
  int64_t k = 1;
  for (size_t i = 0; i < ax_a.size(); ++i) {
    const int64_t ea = a.shape()[ax_a[i]], eb = b.shape()[ax_b[i]];
    MXLITE_CHECK(ea == eb, "tensordot", "shape mismatch for sum: shapes ", a.shape(), " and ", b.shape(),
                 " differ on axes ", ax_a[i], " and ", ax_b[i], " (", ea, " != ", eb, ")");
    k *= ea;
  }
  // a -> (free_a..., summed...) as (P, K); b -> (summed..., free_b...) as (K, Q).
  Axes perm_a, perm_b = ax_b;
  Shape out_shape;
  int64_t p = 1, q = 1;
  for (size_t i = 0; i < a.ndim(); ++i)
    if (std::find(ax_a.begin(), ax_a.end(), int64_t(i)) == ax_a.end()) {
      perm_a.push_back(static_cast<int64_t>(i));
      out_shape.push_back(a.shape()[i]);
      p *= a.shape()[i];
    }
  for (int64_t x : ax_a) perm_a.push_back(x);
  for (size_t i = 0; i < b.ndim(); ++i)
    if (std::find(ax_b.begin(), ax_b.end(), int64_t(i)) == ax_b.end()) {
      perm_b.push_back(static_cast<int64_t>(i));
      out_shape.push_back(b.shape()[i]);
      q *= b.shape()[i];
    }
  NDArray a2 = reshape(a.ndim() ? transpose(a, perm_a) : a, Shape{p, k});
  NDArray b2 = reshape(b.ndim() ? transpose(b, perm_b) : b, Shape{k, q});
  return reshape(matmul_t(a2, b2), out_shape);
}

NDArray tensordot(const NDArray& a, const NDArray& b, int64_t n) {
  MXLITE_CHECK(n >= 0 && n <= static_cast<int64_t>(std::min(a.ndim(), b.ndim())), "tensordot", "axes=", n,
               " is out of range for shapes ", a.shape(), " and ", b.shape());
  Axes ax_a, ax_b;
  for (int64_t i = 0; i < n; ++i) {
    ax_a.push_back(static_cast<int64_t>(a.ndim()) - n + i);
    ax_b.push_back(i);
  }
  return tensordot(a, b, ax_a, ax_b);
}

NDArray inner(const NDArray& a, const NDArray& b) {
  if (a.ndim() == 0 || b.ndim() == 0) return multiply(a, b);
  MXLITE_CHECK(a.shape().back() == b.shape().back(), "inner", "shapes ", a.shape(), " and ", b.shape(),
               " not aligned: last dimensions ", a.shape().back(), " != ", b.shape().back());
  return tensordot(a, b, Axes{-1}, Axes{-1});
}

NDArray outer(const NDArray& a, const NDArray& b) {
  const int64_t m = static_cast<int64_t>(a.size()), n = static_cast<int64_t>(b.size());
  return multiply(reshape(a, Shape{m, 1}), reshape(b, Shape{1, n}));
}

NDArray vdot(const NDArray& a, const NDArray& b) {
  MXLITE_CHECK(a.size() == b.size(), "vdot", "operands must have the same number of elements, got shapes ", a.shape(),
               " and ", b.shape());
  return matmul(flat(a), flat(b));
}

namespace {

// The two axes of a diagonal of an array of `shape`, normalised: they must
// be distinct and within range of an array of at least 2 dims.
Axes diagonal_axes(const Shape& shape, int64_t axis1, int64_t axis2, const char* op_name) {
  const int64_t nd = static_cast<int64_t>(shape.size());
  MXLITE_CHECK(nd >= 2, op_name, "the input must have at least 2 dimensions, got shape ", shape);
  for (int64_t ax : {axis1, axis2})
    MXLITE_CHECK_AS(AxisError, ax >= -nd && ax < nd, op_name, "axis ", ax, " is out of bounds for shape ", shape);
  const int64_t ax1 = axis1 < 0 ? axis1 + nd : axis1, ax2 = axis2 < 0 ? axis2 + nd : axis2;
  MXLITE_CHECK(ax1 != ax2, op_name, "axis1 (", axis1, ") and axis2 (", axis2, ") name the same axis of shape ", shape);
  return Axes{ax1, ax2};
}

}  // namespace

NDArray diagonal(const NDArray& a, int64_t offset, int64_t axis1, int64_t axis2) {
  static const OpDef& o = op("diagonal");
  Attrs attrs;
  attrs.index = offset;
  attrs.axes = diagonal_axes(a.shape(), axis1, axis2, "diagonal");
  return invoke1(o, {a}, attrs);
}

NDArray diagonal_backward(const NDArray& d, const Shape& shape, int64_t offset, int64_t axis1, int64_t axis2) {
  static const OpDef& o = op("diagonal_backward");
  Attrs attrs;
  attrs.index = offset;
  attrs.axes = diagonal_axes(shape, axis1, axis2, "diagonal_backward");
  attrs.shape = shape;
  return invoke1(o, {d}, attrs);
}

NDArray diag(const NDArray& a, int64_t k) {
  MXLITE_CHECK(a.ndim() == 1 || a.ndim() == 2, "diag", "the input must be 1-D or 2-D, got shape ", a.shape());
  if (a.ndim() == 2) return diagonal(a, k, 0, 1);
  const int64_t n = a.shape()[0] + (k < 0 ? -k : k);
  return diagonal_backward(a, Shape{n, n}, k, 0, 1);
}

NDArray trace(const NDArray& a, int64_t offset, int64_t axis1, int64_t axis2) {
  const Axes axes = diagonal_axes(a.shape(), axis1, axis2, "trace");
  return sum(diagonal(a, offset, axes[0], axes[1]), Axes{-1});
}

// ---- einsum --------------------------------------------------------------------
// Every contraction is reduced to sums, transposes, reshapes and the batched
// matmul op: operands are folded left to right; at each step the labels shared
// by the running result and the next operand are either batch labels (still
// needed later) or contracted ones.
namespace {

using Labels = std::string;

bool has(const Labels& l, char c) { return l.find(c) != Labels::npos; }

// Transposes `a` (labelled `from`) so its labels read `to` (same set).
NDArray permute_labels(const NDArray& a, const Labels& from, const Labels& to) {
  Axes perm;
  bool identity = true;
  for (size_t i = 0; i < to.size(); ++i) {
    perm.push_back(static_cast<int64_t>(from.find(to[i])));
    identity = identity && perm.back() == static_cast<int64_t>(i);
  }
  return identity ? a : transpose(a, perm);
}

int64_t extent_product(const Labels& l, const std::map<char, int64_t>& extent) {
  int64_t p = 1;
  for (char c : l) p *= extent.at(c);
  return p;
}

}  // namespace

NDArray einsum(const std::string& subscripts, const std::vector<NDArray>& operands) {
  std::string spec;
  for (char c : subscripts)
    if (c != ' ') spec += c;
  const size_t arrow = spec.find("->");
  const std::string lhs = spec.substr(0, arrow);
  std::vector<std::string> raw(1);
  for (char c : lhs) {
    if (c == ',')
      raw.emplace_back();
    else
      raw.back() += c;
  }
  MXLITE_CHECK(raw.size() == operands.size() && !operands.empty(), "einsum", "'", subscripts, "' names ", raw.size(),
               " operands but ", operands.size(), " were given");
  // '...' stands for the leading dims a term does not name; those of all
  // operands broadcast against each other (right-aligned) and get placeholder
  // labels below 'A' (chars 1, 2, ...), so they sort first in implicit output.
  std::vector<size_t> ell_dims(raw.size(), 0);
  size_t ell = 0;
  for (size_t t = 0; t < raw.size(); ++t) {
    const size_t pos = raw[t].find("...");
    const size_t named = raw[t].size() - (pos == std::string::npos ? 0 : 3);
    if (pos != std::string::npos) {
      MXLITE_CHECK(raw[t].find("...", pos + 3) == std::string::npos, "einsum", "more than one '...' in operand ", t,
                   ": '", subscripts, "'");
      MXLITE_CHECK(operands[t].ndim() >= named, "einsum", "operand ", t, " has shape ", operands[t].shape(),
                   " but subscripts '", raw[t], "' name ", named, " dimensions");
      ell_dims[t] = operands[t].ndim() - named;
      ell = std::max(ell, ell_dims[t]);
    }
  }
  auto placeholders = [](size_t from, size_t to) {
    Labels l;
    for (size_t i = from; i < to; ++i) l += static_cast<char>(1 + i);
    return l;
  };
  auto expand = [&](const std::string& r, size_t dims) {
    const size_t pos = r.find("...");
    return pos == std::string::npos ? r : r.substr(0, pos) + placeholders(ell - dims, ell) + r.substr(pos + 3);
  };
  std::vector<Labels> terms;
  for (size_t t = 0; t < raw.size(); ++t) {
    for (size_t i = 0; i < raw[t].size(); ++i)
      MXLITE_CHECK(std::isalpha(static_cast<unsigned char>(raw[t][i])) || raw[t].compare(i, 3, "...") == 0 ||
                       (i >= 1 && raw[t].compare(i - 1, 3, "...") == 0) ||
                       (i >= 2 && raw[t].compare(i - 2, 3, "...") == 0),
                   "einsum", "invalid subscript '", raw[t][i], "' in '", subscripts, "'");
    terms.push_back(expand(raw[t], ell_dims[t]));
  }
  // Implicit output counts every occurrence, repeats within an operand too
  // ("ii" is a trace), so count before diagonals merge them.
  std::map<char, int> occurrences;
  for (const Labels& l : terms)
    for (char c : l) ++occurrences[c];
  // A label repeated within an operand selects that operand's diagonal over
  // those axes (which becomes the last axis); three repeats take it twice.
  // Operands of different dtypes contract in their common one (NumPy); bool
  // operands in int64, the result then telling whether any product was true.
  DType common = operands[0].dtype();
  for (const NDArray& x : operands) common = promote_types(common, x.dtype());
  const DType work = common == DType::Bool ? DType::Int64 : common;
  std::vector<NDArray> ops;
  for (const NDArray& x : operands) ops.push_back(as(x, work));
  for (size_t t = 0; t < terms.size(); ++t) {
    Labels& l = terms[t];
    const Shape& s = ops[t].shape();
    MXLITE_CHECK(l.size() == s.size(), "einsum", "operand ", t, " has shape ", s, " but subscripts '", raw[t],
                 "' name ", l.size(), " dimensions");
    for (size_t i = 0; i < l.size();) {
      const size_t j = l.find(l[i], i + 1);
      if (j == Labels::npos) {
        ++i;
        continue;
      }
      const Shape& cur = ops[t].shape();
      MXLITE_CHECK(cur[i] == cur[j], "einsum", "subscript '", l[i], "' is repeated in operand ", t, " (shape ",
                   operands[t].shape(), ") over dimensions of different extents ", cur[i], " and ", cur[j]);
      ops[t] = diagonal(ops[t], 0, static_cast<int64_t>(i), static_cast<int64_t>(j));
      const char c = l[i];
      l.erase(j, 1);
      l.erase(i, 1);
      l += c;
    }
  }
  // Extents: equal per label, or 1 in some operands (broadcast, as NumPy does).
  std::map<char, int64_t> extent;
  std::map<char, int> count;  // operands naming each label
  for (size_t t = 0; t < terms.size(); ++t) {
    const Labels& l = terms[t];
    const Shape& s = ops[t].shape();
    for (size_t i = 0; i < l.size(); ++i) {
      auto it = extent.find(l[i]);
      const bool ok = it == extent.end() || it->second == s[i] || it->second == 1 || s[i] == 1;
      MXLITE_CHECK(ok, "einsum", "subscript '", l[i] < 'A' ? std::string("...") : std::string(1, l[i]), "' has extent ",
                   it == extent.end() ? 0 : it->second, " in one operand and ", s[i], " in operand ", t, " (shape ",
                   operands[t].shape(), ")");
      extent[l[i]] = it == extent.end() ? s[i] : std::max(it->second, s[i]);
      ++count[l[i]];
    }
  }
  Labels out;
  if (arrow == std::string::npos) {
    out = placeholders(0, ell);  // implicit output: '...' dims, then labels used once in ASCII order
    for (const auto& kv : occurrences)
      if (kv.second == 1 && kv.first >= 'A') out += kv.first;
  } else {
    const std::string raw_out = spec.substr(arrow + 2);
    MXLITE_CHECK(ell == 0 || raw_out.find("...") != std::string::npos, "einsum", "the output of '", subscripts,
                 "' needs '...' for the dimensions the inputs' '...' stand for");
    out = expand(raw_out, ell);
    for (size_t i = 0; i < out.size(); ++i) {
      MXLITE_CHECK(extent.count(out[i]) && out.find(out[i]) == i, "einsum", "output subscript '", out[i],
                   "' is repeated or names no input dimension: '", subscripts, "'");
    }
  }
  for (size_t t = 0; t < terms.size(); ++t) {  // stretch size-1 dims that broadcast
    Shape target;
    for (char c : terms[t]) target.push_back(extent[c]);
    if (target != ops[t].shape()) ops[t] = broadcast_to(ops[t], target);
  }
  // Labels needed after operand t: the output's and those of later operands.
  auto needed_after = [&](size_t t) {
    Labels need = out;
    for (size_t u = t + 1; u < terms.size(); ++u) need += terms[u];
    return need;
  };
  // Sum away labels that occur in one operand only and not in the output.
  for (size_t t = 0; t < terms.size(); ++t) {
    Axes axes;
    Labels kept;
    for (size_t i = 0; i < terms[t].size(); ++i) {
      const char c = terms[t][i];
      if (count[c] == 1 && !has(out, c))
        axes.push_back(static_cast<int64_t>(i));
      else
        kept += c;
    }
    if (!axes.empty()) {
      ops[t] = sum(ops[t], axes);
      terms[t] = kept;
    }
  }
  NDArray cur = ops[0];
  Labels cur_l = terms[0];
  for (size_t t = 1; t < terms.size(); ++t) {
    const Labels& x_l = terms[t];
    const Labels need = needed_after(t);
    Labels batch, left, contracted, right;
    for (char c : cur_l) {
      if (!has(x_l, c))
        left += c;
      else if (has(need, c))
        batch += c;
      else
        contracted += c;
    }
    for (char c : x_l)
      if (!has(cur_l, c)) right += c;
    const int64_t nb = extent_product(batch, extent), m = extent_product(left, extent),
                  k = extent_product(contracted, extent), n = extent_product(right, extent);
    NDArray a3 = reshape(permute_labels(cur, cur_l, batch + left + contracted), Shape{nb, m, k});
    NDArray b3 = reshape(permute_labels(ops[t], x_l, batch + contracted + right), Shape{nb, k, n});
    // Nothing to contract: a broadcast product beats a batch of 1x1 GEMMs.
    NDArray c3 = contracted.empty() ? multiply(a3, b3) : matmul_t(a3, b3);
    cur_l = batch + left + right;
    Shape s;
    for (char c : cur_l) s.push_back(extent[c]);
    cur = reshape(c3, s);
  }
  // Labels of the result that the output does not keep (single operand case
  // handled above; with several operands every such label was contracted).
  Axes rest;
  Labels kept;
  for (size_t i = 0; i < cur_l.size(); ++i) {
    if (has(out, cur_l[i]))
      kept += cur_l[i];
    else
      rest.push_back(static_cast<int64_t>(i));
  }
  if (!rest.empty()) {
    cur = sum(cur, rest);
    cur_l = kept;
  }
  cur = permute_labels(cur, cur_l, out);
  return common == DType::Bool ? astype(cur, DType::Bool) : cur;
}

}  // namespace np
}  // namespace mxlite
