// Indexing. Basic indexing: `slice` selects a strided region (a view when
// contiguous), `slice_backward` scatters a gradient into zeros; each is the
// other's gradient. Gathers: `take` picks index entries along an axis and
// `scatter_add` adds them back (each the other's gradient); advanced indexing,
// pick, take_along_axis and the values of sort/topk are all `take` over the
// flattened array at computed element offsets. `argsort` and `one_hot` are
// not differentiable.
//
// Both encode the region in attrs.axes as (begin, end, step) per input axis,
// normalised like Python's slice.indices(); attrs.shape is the output shape
// of `slice` (the region's extents with indexed axes dropped and new axes
// added) and the full input shape for `slice_backward`.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "kernels/parallel.h"
#include "mxlite/autograd.h"
#include "mxlite/cached_graph.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {

/// Number of elements a normalised (begin, end, step) selects.
int64_t slice_extent(int64_t begin, int64_t end, int64_t step) {
  // Written so that steps near the int64 limits cannot overflow.
  if (step > 0) return end > begin ? (end - begin - 1) / step + 1 : 0;
  return begin > end ? (begin - end - 1) / (0 - step) + 1 : 0;
}

struct Region {
  Shape extents;
  Dims strides;  // element strides in the full array, steps included
  int64_t offset = 0;
  bool contiguous = true;
};

Region region_of(const Attrs& attrs, const Shape& full) {
  Region r;
  Dims st = contiguous_strides(full);
  bool leading_single = true;  // all axes so far select one element
  bool tail_must_be_full = false;
  for (size_t i = 0; i < full.size(); ++i) {
    int64_t b = attrs.axes[3 * i], e = attrs.axes[3 * i + 1], s = attrs.axes[3 * i + 2];
    int64_t n = slice_extent(b, e, s);
    r.extents.push_back(n);
    r.strides.push_back(st[i] * s);
    r.offset += (n > 0 ? b : 0) * st[i];
    bool full_axis = b == 0 && n == full[i] && s == 1;
    if (tail_must_be_full) {
      if (!full_axis) r.contiguous = false;
    } else if (!(leading_single && n == 1)) {
      // The first axis selecting more than one element: a unit step keeps the
      // block contiguous as long as every later axis is taken whole.
      if (s != 1 && n > 1) r.contiguous = false;
      tail_must_be_full = true;
    }
    leading_single = leading_single && n == 1;
  }
  if (shape_size(r.extents) == 0) r.contiguous = true;
  return r;
}

// Visits the region in row-major order: fn(offset_in_full, index_in_region).
template <class Fn> void for_each_in_region(const Region& r, Fn fn) {
  const int64_t n = shape_size(r.extents);
  if (n == 0) return;
  const size_t nd = r.extents.size();
  if (nd == 0 || r.contiguous) {
    // One run: the innermost loop is a plain copy the compiler vectorises.
    for (int64_t k = 0; k < n; ++k) fn(r.offset + k, k);
    return;
  }
  // Rows along the last axis, with an odometer over the outer axes.
  const int64_t inner = r.extents[nd - 1], step = r.strides[nd - 1];
  const int64_t rows = n / inner;
  Dims idx(nd, 0);
  int64_t off = r.offset;
  for (int64_t row = 0, k = 0; row < rows; ++row, k += inner) {
    if (step == 1) {
      for (int64_t j = 0; j < inner; ++j) fn(off + j, k + j);
    } else {
      for (int64_t j = 0; j < inner; ++j) fn(off + j * step, k + j);
    }
    for (size_t d = nd - 1; d-- > 0;) {
      off += r.strides[d];
      if (++idx[d] < r.extents[d]) break;
      off -= idx[d] * r.strides[d];
      idx[d] = 0;
    }
  }
}

namespace {

// Splits `shape` around `axis` into (outer, n, inner) extents.
void split_at_axis(const Shape& shape, size_t axis, int64_t& outer, int64_t& n, int64_t& inner) {
  outer = 1;
  inner = 1;
  for (size_t i = 0; i < axis; ++i) outer *= shape[i];
  n = shape[axis];
  for (size_t i = axis + 1; i < shape.size(); ++i) inner *= shape[i];
}

Shape take_shape(const Shape& a, const Shape& idx, size_t axis) {
  Shape out;
  for (size_t i = 0; i < axis; ++i) out.push_back(a[i]);
  for (int64_t d : idx) out.push_back(d);
  for (size_t i = axis + 1; i < a.size(); ++i) out.push_back(a[i]);
  return out;
}

// NaN orders as the largest value, so it sorts last ascending (as NumPy).
template <class T> bool sorts_before(T x, T y) {
  if constexpr (std::is_floating_point<T>::value) {
    if (std::isnan(y)) return !std::isnan(x);
  }
  return x < y;
}

}  // namespace

void register_gather_ops() {
  // take: inputs (a, indices int64 already in range); attrs.axis normalised.
  register_op("take")
      .inputs(2)
      .set_flags(kFloat16Native)
      .save_inputs({1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        MXLITE_CHECK(in[1].dtype() == DType::Int64, "take", "indices must be int64 here, got ",
                     dtype_name(in[1].dtype()));
        out.push_back(
            TensorMeta{take_shape(in[0].shape(), in[1].shape(), static_cast<size_t>(attrs.axis)), in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        int64_t outer, n, inner;
        split_at_axis(in[0].shape(), static_cast<size_t>(attrs.axis), outer, n, inner);
        const int64_t m = in[1].size();
        const int64_t* idx = in[1].data<int64_t>();
        MXLITE_ANY_DTYPE_SWITCH(in[0].dtype(), T, {
          const T* src = in[0].data<T>();
          T* dst = out[0].data<T>();
          if (inner == 1 && outer == 1) {
            kernels::for_range(m, kernels::kParallelGrain, [&](int64_t b, int64_t e) {
              for (int64_t j = b; j < e; ++j) dst[j] = src[idx[j]];
            });
          } else {
            const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(inner, 1));
            kernels::for_range(outer * m, grain, [&](int64_t b, int64_t e) {
              for (int64_t r = b; r < e; ++r) {
                const T* from = src + ((r / m) * n + idx[r % m]) * inner;
                std::copy(from, from + inner, dst + r * inner);
              }
            });
          }
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {np::scatter_add(g.ograd(0), g.input(1), g.attrs().axis, g.input_meta(0).shape), NDArray()};
      });
  // scatter_add: inputs (values, indices int64 in range); zeros(attrs.shape)
  // plus values at the indices along attrs.axis. Serial, so repeated indices
  // accumulate in a fixed order.
  register_op("scatter_add")
      .inputs(2)
      .save_inputs({1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        MXLITE_CHECK(take_shape(attrs.shape, in[1].shape(), static_cast<size_t>(attrs.axis)) == in[0].shape(),
                     "scatter_add", "values of shape ", in[0].shape(), " do not match indices of shape ", in[1].shape(),
                     " into shape ", attrs.shape, " along axis ", attrs.axis);
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        int64_t outer, n, inner;
        split_at_axis(attrs.shape, static_cast<size_t>(attrs.axis), outer, n, inner);
        const int64_t m = in[1].size();
        const int64_t* idx = in[1].data<int64_t>();
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const T* src = in[0].data<T>();
          T* dst = out[0].data<T>();
          std::fill(dst, dst + out[0].size(), T(0));
          for (int64_t o = 0; o < outer; ++o)
            for (int64_t j = 0; j < m; ++j) {
              T* to = dst + (o * n + idx[j]) * inner;
              const T* from = src + (o * m + j) * inner;
              for (int64_t i = 0; i < inner; ++i) to[i] = static_cast<T>(to[i] + from[i]);
            }
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& take = op("take");
        Attrs attrs;
        attrs.axis = g.attrs().axis;
        return {invoke1(take, {g.ograd(0), g.input(1)}, attrs), NDArray()};
      });
  // scatter_nd: inputs (values (k, rest...), rows int64 (k,) in range); zeros
  // of attrs.shape (rows, rest...) with each values row written at its row.
  // Serial, so of repeated rows the last one wins (MXNet leaves it undefined).
  register_op("scatter_nd")
      .inputs(2)
      .save_inputs({1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const int64_t k = in[1].size();
        const int64_t row = k == 0 ? 0 : in[0].size() / k;
        const int64_t* idx = in[1].data<int64_t>();
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const T* src = in[0].data<T>();
          T* dst = out[0].data<T>();
          std::fill(dst, dst + out[0].size(), T(0));
          for (int64_t j = 0; j < k; ++j) std::copy(src + j * row, src + (j + 1) * row, dst + idx[j] * row);
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& take = op("take");
        Attrs attrs;
        attrs.axis = 0;
        return {invoke1(take, {g.ograd(0), g.input(1)}, attrs), NDArray()};
      });
  // argsort: int64 positions that stably sort each lane along attrs.axis;
  // attrs.reverse sorts descending, attrs.index keeps the first k.
  register_op("argsort")
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape s = in[0].shape();
        s[static_cast<size_t>(attrs.axis)] = attrs.index;
        out.push_back(TensorMeta{s, DType::Int64});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        int64_t outer, n, inner;
        split_at_axis(in[0].shape(), static_cast<size_t>(attrs.axis), outer, n, inner);
        const int64_t k = attrs.index;
        const bool descending = attrs.reverse;
        int64_t* dst = out[0].data<int64_t>();
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const T* src = in[0].data<T>();
          const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(n, 1));
          kernels::for_range(outer * inner, grain, [&](int64_t b, int64_t e) {
            std::vector<int64_t> perm(static_cast<size_t>(n));
            for (int64_t lane = b; lane < e; ++lane) {
              const int64_t o = lane / inner, i = lane % inner;
              const T* x = src + o * n * inner + i;
              std::iota(perm.begin(), perm.end(), int64_t(0));
              if (descending)
                std::stable_sort(perm.begin(), perm.end(),
                                 [&](int64_t p, int64_t q) { return sorts_before(x[q * inner], x[p * inner]); });
              else
                std::stable_sort(perm.begin(), perm.end(),
                                 [&](int64_t p, int64_t q) { return sorts_before(x[p * inner], x[q * inner]); });
              int64_t* y = dst + o * k * inner + i;
              for (int64_t j = 0; j < k; ++j) y[j * inner] = perm[static_cast<size_t>(j)];
            }
          });
        });
      });
  // one_hot: indices.shape + (attrs.index,), attrs.scalar where the index
  // matches, attrs.scalar2 elsewhere, dtype attrs.dtype.
  register_op("one_hot")
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape s = in[0].shape();
        s.push_back(attrs.index);
        out.push_back(TensorMeta{s, attrs.dtype});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const int64_t depth = attrs.index, m = in[0].size();
        MXLITE_DTYPE_SWITCH(in[0].dtype(), I, {
          const I* idx = in[0].data<I>();
          MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
            T* y = out[0].data<T>();
            const T on = static_cast<T>(attrs.scalar), off = static_cast<T>(attrs.scalar2);
            std::fill(y, y + out[0].size(), off);
            for (int64_t j = 0; j < m; ++j) {
              const double v = static_cast<double>(idx[j]);
              if (v >= 0 && v < static_cast<double>(depth)) y[j * depth + static_cast<int64_t>(v)] = on;
            }
          });
        });
      });
}

void register_indexing_ops() {
  register_gather_ops();
  register_op("slice")
      .set_flags(kAllocatesOutputs | kFloat16Native)
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        Region r = region_of(attrs, x.shape());
        if (r.contiguous) {
          // A view: same storage, shifted start.
          auto impl = std::make_shared<NDArrayImpl>();
          impl->shape = attrs.shape;
          impl->dtype = x.dtype();
          impl->offset = x.offset() + static_cast<size_t>(r.offset) * itemsize(x.dtype());
          impl->storage = x.storage();
          out.push_back(NDArray(std::move(impl)));
          return;
        }
        NDArray y = NDArray::empty(attrs.shape, x.dtype());
        MXLITE_ANY_DTYPE_SWITCH(x.dtype(), T, {
          const T* src = x.data<T>();
          T* dst = y.data<T>();
          for_each_in_region(r, [&](int64_t off, int64_t k) { dst[k] = src[off]; });
        });
        out.push_back(y);
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& back = op("slice_backward");
        Attrs attrs = g.attrs();
        attrs.shape = g.input_meta(0).shape;
        return {invoke1(back, {g.ograd(0)}, attrs)};
      });
  register_op("slice_backward")
      .set_flags(kFloat16Native)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        NDArray& y = out[0];
        Region r = region_of(attrs, y.shape());
        MXLITE_ANY_DTYPE_SWITCH(y.dtype(), T, {
          T* dst = y.data<T>();
          std::fill(dst, dst + y.size(), T(0));
          const T* src = in[0].data<T>();
          for_each_in_region(r, [&](int64_t off, int64_t k) { dst[off] = src[k]; });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& fwd = op("slice");
        Attrs attrs = g.attrs();
        attrs.shape = g.input_meta(0).shape;
        return {invoke1(fwd, {g.ograd(0)}, attrs)};
      });
}

}  // namespace ops

namespace np {

namespace {
// Python's slice.indices(n): normalised (begin, end, step).
void normalise_slice(const IndexItem& it, int64_t n, int64_t& b, int64_t& e, int64_t& step) {
  step = it.step == IndexItem::kNone ? 1 : it.step;
  MXLITE_CHECK(step != 0, "index", "slice step cannot be zero");
  int64_t lo = step > 0 ? 0 : -1, hi = step > 0 ? n : n - 1;
  auto clamp = [&](int64_t v, int64_t dflt) {
    if (v == IndexItem::kNone) return dflt;
    if (v < 0) v += n;
    return v < lo ? lo : (v > hi ? hi : v);
  };
  b = clamp(it.start, step > 0 ? 0 : n - 1);
  e = clamp(it.stop, step > 0 ? n : -1);
}

// The attrs of `slice` for a NumPy basic index.
Attrs slice_attrs(const NDArray& a, const std::vector<IndexItem>& items) {
  const Shape& shape = a.shape();
  size_t consumed = 0, ellipses = 0;
  for (const IndexItem& it : items) {
    if (it.kind == IndexItem::Int || it.kind == IndexItem::Slice) ++consumed;
    if (it.kind == IndexItem::Ellipsis) ++ellipses;
  }
  MXLITE_CHECK(ellipses <= 1, "index", "an index can only have a single ellipsis ('...')");
  if (consumed > a.ndim())
    throw IndexError("index", concat("too many indices for array: array is ", a.ndim(), "-dimensional, but ", consumed,
                                     " were indexed"));
  Attrs attrs;
  Shape out_shape;
  size_t axis = 0;
  auto take_full = [&](size_t n) {
    for (size_t k = 0; k < n; ++k, ++axis) {
      attrs.axes.push_back(0);
      attrs.axes.push_back(shape[axis]);
      attrs.axes.push_back(1);
      out_shape.push_back(shape[axis]);
    }
  };
  for (const IndexItem& it : items) {
    switch (it.kind) {
      case IndexItem::NewAxis:
        out_shape.push_back(1);
        break;
      case IndexItem::Ellipsis:
        take_full(a.ndim() - consumed);
        break;
      case IndexItem::Int: {
        int64_t n = shape[axis], i = it.index;
        if (i < -n || i >= n)
          throw IndexError("index", concat("index ", i, " is out of bounds for axis ", axis, " with size ", n));
        if (i < 0) i += n;
        attrs.axes.push_back(i);
        attrs.axes.push_back(i + 1);
        attrs.axes.push_back(1);
        ++axis;
        break;
      }
      case IndexItem::Array:
        throw Error("index", "internal: an index array reached basic indexing");
      case IndexItem::Slice: {
        int64_t b, e, step;
        normalise_slice(it, shape[axis], b, e, step);
        const int64_t extent = ops::slice_extent(b, e, step);
        // At most one element: the step is moot, and a unit step keeps the
        // strides (stride * step) from overflowing for huge steps.
        if (extent <= 1) {
          step = 1;
          e = b + extent;
        }
        attrs.axes.push_back(b);
        attrs.axes.push_back(e);
        attrs.axes.push_back(step);
        out_shape.push_back(extent);
        ++axis;
        break;
      }
    }
  }
  take_full(a.ndim() - axis);
  MXLITE_CHECK_AS(ValueError, out_shape.size() <= kMaxNdim, "index", "the result would have ", out_shape.size(),
                  " dimensions; the maximum supported dimension for an ndarray is ", kMaxNdim);
  attrs.shape = out_shape;
  return attrs;
}
}  // namespace

NDArray basic_index(const NDArray& a, const std::vector<IndexItem>& items) {
  static const OpDef& o = op("slice");
  return invoke1(o, {a}, slice_attrs(a, items));
}

namespace {
bool has_array(const std::vector<IndexItem>& items);
void assign_advanced(const NDArray& a, const std::vector<IndexItem>& items, const NDArray& value);

// A value for a slot of `ndim` dimensions without its extra leading size-1
// dimensions (NumPy and MXNet accept a[0] = ones((1, 3)) for a 2-D a).
NDArray without_leading_units(const NDArray& value, size_t ndim) {
  size_t drop = 0;
  while (value.ndim() - drop > ndim && value.shape()[drop] == 1) ++drop;
  if (drop == 0) return value;
  return reshape(value, Shape(value.shape().begin() + drop, value.shape().end()));
}
}  // namespace

namespace {
bool is_scalar_bool(const IndexItem& it) {
  return it.kind == IndexItem::Array && it.array.dtype() == DType::Bool && it.array.ndim() == 0;
}

// NumPy's 0-d boolean indices (True/False as index items, MXNet agrees). They
// are advanced indices, as are the integers beside them, and broadcast to one
// new axis: of length 1 if all are True, else 0. It stands where the advanced
// items are when they are adjacent, else in front (NumPy's rule). Returns the
// items with that axis as a new axis, and in `emptied` its position when
// it is empty. Supported beside basic items (ints, slices, None, ...).
std::vector<IndexItem> scalar_bools_as_new_axes(size_t ndim, const std::vector<IndexItem>& items,
                                                std::vector<size_t>& emptied) {
  size_t consumed = 0, first = items.size(), last = 0, advanced = 0;
  bool all_true = true;
  for (size_t k = 0; k < items.size(); ++k) {
    const IndexItem& it = items[k];
    MXLITE_CHECK(!(it.kind == IndexItem::Array && !is_scalar_bool(it)), "index",
                 "a 0-d boolean index (True/False) combined with index arrays is not supported");
    if (it.kind == IndexItem::Int || it.kind == IndexItem::Slice) ++consumed;
    if (is_scalar_bool(it) || it.kind == IndexItem::Int) {
      first = std::min(first, k);
      last = k;
      ++advanced;
    }
    if (is_scalar_bool(it)) all_true = all_true && it.array.item() != 0;
  }
  const size_t insert_at = last - first + 1 == advanced ? first : 0;
  std::vector<IndexItem> out;
  size_t position = 0;  // result axes produced so far
  for (size_t k = 0; k < items.size(); ++k) {
    if (k == insert_at) {
      if (!all_true) emptied.push_back(position);
      out.push_back(IndexItem::new_axis());
      ++position;
    }
    const IndexItem& it = items[k];
    if (is_scalar_bool(it)) continue;
    if (it.kind == IndexItem::Slice || it.kind == IndexItem::NewAxis) ++position;
    if (it.kind == IndexItem::Ellipsis && ndim > consumed) position += ndim - consumed;
    out.push_back(it);
  }
  return out;
}
}  // namespace

void index_assign(const NDArray& a, const std::vector<IndexItem>& items, const NDArray& value) {
  autograd::check_inplace_allowed(a, value, "setitem");
  if (capture_active()) {
    // A hybridized forward's write: replayed with the arrays of each run,
    // index arrays included; the write itself is not captured op by op.
    std::vector<NDArray> args{a, value};
    std::vector<size_t> array_items;
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].kind == IndexItem::Array) {
        array_items.push_back(i);
        args.push_back(items[i].array);
      }
    capture_write(args, [items, array_items](Span<NDArray> in) {
      std::vector<IndexItem> now = items;
      for (size_t k = 0; k < array_items.size(); ++k) now[array_items[k]].array = in[2 + k];
      index_assign(in[0], now, in[1]);
    });
    CapturePause paused;
    index_assign(a, items, value);
    return;
  }
  if (std::any_of(items.begin(), items.end(), is_scalar_bool)) {
    std::vector<size_t> emptied;
    std::vector<IndexItem> plain = scalar_bools_as_new_axes(a.ndim(), items, emptied);
    if (emptied.empty()) index_assign(a, plain, value);  // a False selects nothing to assign
    return;
  }
  if (has_array(items)) return assign_advanced(a, items, value);
  Attrs attrs = slice_attrs(a, items);
  NDArray src;
  {
    autograd::Pause pause;
    const NDArray v = without_leading_units(value, attrs.shape.size());
    MXLITE_CHECK(broadcast_shapes(v.shape(), attrs.shape, "setitem") == attrs.shape, "setitem",
                 "could not broadcast input array from shape ", value.shape(), " into shape ", attrs.shape);
    src = broadcast_to(v.dtype() == a.dtype() ? v : astype(v, a.dtype()), attrs.shape);
  }
  {
    // A value that shares memory with the target (x[1:] = x[:-1]) is read
    // from a copy, as NumPy does, so the writes cannot clobber it.
    const char* a0 = static_cast<const char*>(a.raw_data());
    const char* s0 = static_cast<const char*>(src.raw_data());
    if (src.nbytes() > 0 && a.nbytes() > 0 && s0 < a0 + a.nbytes() && a0 < s0 + src.nbytes()) {
      autograd::Pause pause;
      src = copy(src);
    }
  }
  ops::Region r = ops::region_of(attrs, a.shape());
  MXLITE_ANY_DTYPE_SWITCH(a.dtype(), T, {
    T* dst = static_cast<T*>(a.raw_data());
    const T* from = src.data<T>();
    if (r.contiguous && src.shape() == attrs.shape) {
      // x[...] = same-shaped value into one block (SGD's p[:] = ...): a plain copy.
      T* to = dst + r.offset;
      kernels::for_range(src.size(), kernels::kParallelGrain,
                         [=](int64_t b, int64_t e) { std::copy(from + b, from + e, to + b); });
    } else {
      ops::for_each_in_region(r, [&](int64_t off, int64_t k) { dst[off] = from[k]; });
    }
  });
  a.bump_version();
}

NDArray index(const NDArray& a, int64_t i) {
  MXLITE_CHECK(a.ndim() >= 1, "index", "too many indices for array: array is 0-dimensional, but 1 were indexed");
  return basic_index(a, {IndexItem::integer(i)});
}

namespace {

bool has_array(const std::vector<IndexItem>& items) {
  for (const IndexItem& it : items)
    if (it.kind == IndexItem::Array) return true;
  return false;
}

[[noreturn]] void out_of_bounds(const char* opname, int64_t i, size_t axis, int64_t n) {
  throw IndexError(opname, concat("index ", i, " is out of bounds for axis ", axis, " with size ", n));
}

// `indices` as a new int64 array with every entry in [0, n) by `mode`.
NDArray normalise_indices(const NDArray& indices, int64_t n, size_t axis, TakeMode mode, const char* opname) {
  NDArray idx;
  {
    autograd::Pause pause;
    idx = indices.dtype() == DType::Int64 ? indices.copy() : astype(indices, DType::Int64);
  }
  int64_t* p = idx.data<int64_t>();
  const int64_t m = idx.size();
  if (m > 0 && n == 0) throw IndexError(opname, concat("cannot do a non-empty take from an empty axis ", axis));
  for (int64_t j = 0; j < m; ++j) {
    int64_t i = p[j];
    switch (mode) {
      case TakeMode::Raise:
        if (i < -n || i >= n) out_of_bounds(opname, i, axis, n);
        p[j] = i < 0 ? i + n : i;
        break;
      case TakeMode::Clip:
        p[j] = i < 0 ? 0 : (i >= n ? n - 1 : i);
        break;
      case TakeMode::Wrap:
        p[j] = ((i % n) + n) % n;
        break;
    }
  }
  return idx;
}

// a.flat[offsets] (offsets int64, in range): recorded, gradient scatter_add.
NDArray gather_flat(const NDArray& a, const NDArray& offsets) {
  static const OpDef& take_op = op("take");
  Attrs attrs;
  attrs.axis = 0;
  return invoke1(take_op, {reshape(a, Shape{-1}), offsets}, attrs);
}

// Element offsets of a[..., idx, ...] along `axis` for take_along_axis-style
// indices (int64, in range, a's shape except along axis).
NDArray along_axis_offsets(const Shape& shape, const NDArray& idx, size_t axis) {
  int64_t outer, n, inner, m_outer, m, m_inner;
  ops::split_at_axis(shape, axis, outer, n, inner);
  ops::split_at_axis(idx.shape(), axis, m_outer, m, m_inner);
  NDArray off = NDArray::empty(idx.shape(), DType::Int64);
  const int64_t* ip = idx.data<int64_t>();
  int64_t* op = off.data<int64_t>();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < m; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t k = (o * m + j) * inner + i;
        op[k] = (o * n + ip[k]) * inner + i;
      }
  return off;
}

// An advanced index resolved to element offsets into the (contiguous) array.
struct Resolved {
  Shape shape;      // the result's shape
  NDArray offsets;  // int64, `shape`, row-major element offsets into a
};

// NumPy's advanced indexing: integer arrays and masks (masks become the
// integer arrays of their true positions) broadcast together to S; integer
// items count as 0-d index arrays. S goes where the first advanced item is
// when all advanced items are adjacent in the index, else in front.
Resolved resolve_advanced(const Shape& shape, const std::vector<IndexItem>& items) {
  const size_t ndim = shape.size();
  size_t consumed = 0, ellipses = 0;
  for (const IndexItem& it : items) {
    if (it.kind == IndexItem::Int || it.kind == IndexItem::Slice) ++consumed;
    if (it.kind == IndexItem::Array) {
      if (it.array.dtype() == DType::Bool) {
        MXLITE_CHECK(it.array.ndim() > 0, "index",
                     "a 0-d boolean index (True/False as an index item) is not supported");
        consumed += it.array.ndim();
      } else {
        ++consumed;
      }
    }
    if (it.kind == IndexItem::Ellipsis) ++ellipses;
  }
  MXLITE_CHECK(ellipses <= 1, "index", "an index can only have a single ellipsis ('...')");
  if (consumed > ndim)
    throw IndexError("index", concat("too many indices for array: array is ", ndim, "-dimensional, but ", consumed,
                                     " were indexed"));
  const Dims strides = contiguous_strides(shape);

  // One output dimension, or (table set) the block of advanced dimensions.
  struct Dim {
    int64_t extent = 1, stride = 0;
    bool block = false;
  };
  std::vector<Dim> dims;
  int64_t base = 0;
  bool empty = false;
  std::vector<NDArray> adv;      // normalised int64 index arrays
  std::vector<size_t> adv_axis;  // the input axis of each
  int64_t first_adv_item = -1, last_adv_item = -1, adv_items = 0;
  size_t first_adv_dim = 0;
  size_t axis = 0;
  auto basic = [&](int64_t b, int64_t e, int64_t step) {
    int64_t n = ops::slice_extent(b, e, step);
    if (n == 0)
      empty = true;
    else
      base += b * strides[axis];
    dims.push_back(Dim{n, strides[axis] * step, false});
    ++axis;
  };
  auto note_adv = [&](size_t item) {
    if (first_adv_item < 0) {
      first_adv_item = static_cast<int64_t>(item);
      first_adv_dim = dims.size();
    }
    last_adv_item = static_cast<int64_t>(item);
    ++adv_items;
  };
  for (size_t k = 0; k < items.size(); ++k) {
    const IndexItem& it = items[k];
    switch (it.kind) {
      case IndexItem::NewAxis:
        dims.push_back(Dim{1, 0, false});
        break;
      case IndexItem::Ellipsis:
        for (size_t r = ndim - consumed; r > 0; --r) basic(0, shape[axis], 1);
        break;
      case IndexItem::Slice: {
        int64_t b, e, step;
        normalise_slice(it, shape[axis], b, e, step);
        basic(b, e, step);
        break;
      }
      case IndexItem::Int: {
        note_adv(k);
        int64_t n = shape[axis], i = it.index;
        if (i < -n || i >= n) out_of_bounds("index", i, axis, n);
        adv.push_back(scalar(static_cast<double>(i < 0 ? i + n : i), DType::Int64));
        adv_axis.push_back(axis++);
        break;
      }
      case IndexItem::Array: {
        note_adv(k);
        const NDArray& arr = it.array;
        if (arr.dtype() != DType::Bool) {
          adv.push_back(normalise_indices(arr, shape[axis], axis, TakeMode::Raise, "index"));
          adv_axis.push_back(axis++);
          break;
        }
        // A mask covers arr.ndim() axes; it selects its true positions.
        for (size_t j = 0; j < arr.ndim(); ++j)
          if (arr.shape()[j] != shape[axis + j])
            throw IndexError(
                "index", concat("boolean index did not match indexed array along axis ", axis + j, "; size of axis is ",
                                shape[axis + j], " but size of corresponding boolean axis is ", arr.shape()[j]));
        const bool* m = arr.data<bool>();
        const int64_t count = std::count(m, m + arr.size(), true);
        const Dims mstrides = contiguous_strides(arr.shape());
        for (size_t j = 0; j < arr.ndim(); ++j) {
          NDArray pos = NDArray::empty(Shape{count}, DType::Int64);
          int64_t* p = pos.data<int64_t>();
          for (int64_t f = 0, c = 0; f < arr.size(); ++f)
            if (m[f]) p[c++] = (f / mstrides[j]) % arr.shape()[j];
          adv.push_back(pos);
          adv_axis.push_back(axis + j);
        }
        axis += arr.ndim();
        break;
      }
    }
  }
  while (axis < ndim) basic(0, shape[axis], 1);

  // The broadcast shape of the index arrays.
  Shape block_shape;
  try {
    for (const NDArray& x : adv) block_shape = broadcast_shapes(block_shape, x.shape(), "index");
  } catch (const Error&) {
    std::string shapes;
    for (const NDArray& x : adv) shapes += concat(x.shape(), " ");
    throw IndexError("index", "shape mismatch: indexing arrays could not be broadcast together with shapes " + shapes);
  }
  const int64_t block_size = shape_size(block_shape);
  if (block_size == 0) empty = true;
  // Offset contributed by each position of the block.
  std::vector<int64_t> table(static_cast<size_t>(block_size), 0);
  for (size_t k = 0; k < adv.size(); ++k) {
    NDArray full = broadcast_to(adv[k], block_shape);
    const int64_t* p = full.data<int64_t>();
    for (int64_t j = 0; j < block_size; ++j) table[j] += p[j] * strides[adv_axis[k]];
  }
  const bool adjacent = last_adv_item - first_adv_item + 1 == adv_items;
  dims.insert(dims.begin() + static_cast<std::ptrdiff_t>(adjacent ? first_adv_dim : 0), Dim{block_size, 0, true});

  Resolved r;
  for (const Dim& d : dims) {
    if (d.block) {
      for (int64_t e : block_shape) r.shape.push_back(e);
    } else {
      r.shape.push_back(d.extent);
    }
  }
  r.offsets = NDArray::empty(r.shape, DType::Int64);
  if (empty) return r;
  // Row-major walk over the dims, keeping the running offset.
  int64_t* out = r.offsets.data<int64_t>();
  const int64_t total = r.offsets.size();
  const size_t nd = dims.size();
  std::vector<int64_t> at(nd, 0);
  auto contrib = [&](size_t d, int64_t i) { return dims[d].block ? table[i] : i * dims[d].stride; };
  int64_t off = base;
  for (size_t d = 0; d < nd; ++d) off += contrib(d, 0);
  for (int64_t k = 0; k < total; ++k) {
    out[k] = off;
    for (size_t d = nd; d-- > 0;) {
      off -= contrib(d, at[d]);
      if (++at[d] < dims[d].extent) {
        off += contrib(d, at[d]);
        break;
      }
      at[d] = 0;
      off += contrib(d, 0);
    }
  }
  return r;
}

// a[items] = value for an advanced index: each selected element is written
// in row-major order of the selection (for repeated indices the last wins).
void assign_advanced(const NDArray& a, const std::vector<IndexItem>& items, const NDArray& value) {
  Resolved r = resolve_advanced(a.shape(), items);
  NDArray src;
  {
    autograd::Pause pause;
    // NumPy drops extra leading unit dims of the value for integer-array
    // indices but not for boolean masks (they take 0-d or 1-d values).
    bool has_mask = false;
    for (const IndexItem& it : items)
      has_mask = has_mask || (it.kind == IndexItem::Array && it.array.dtype() == DType::Bool);
    const NDArray v = has_mask ? value : without_leading_units(value, r.shape.size());
    MXLITE_CHECK(broadcast_shapes(v.shape(), r.shape, "setitem") == r.shape, "setitem",
                 "could not broadcast input array from shape ", value.shape(), " into shape ", r.shape);
    src = broadcast_to(v.dtype() == a.dtype() ? v : astype(v, a.dtype()), r.shape);
  }
  const int64_t* off = r.offsets.data<int64_t>();
  const int64_t n = r.offsets.size();
  MXLITE_ANY_DTYPE_SWITCH(a.dtype(), T, {
    T* dst = static_cast<T*>(a.raw_data());
    const T* from = src.data<T>();
    for (int64_t k = 0; k < n; ++k) dst[off[k]] = from[k];
  });
  a.bump_version();
}

}  // namespace

NDArray getitem(const NDArray& a, const std::vector<IndexItem>& items) {
  if (std::any_of(items.begin(), items.end(), is_scalar_bool)) {
    std::vector<size_t> emptied;
    NDArray r = getitem(a, scalar_bools_as_new_axes(a.ndim(), items, emptied));
    for (size_t axis : emptied) {
      std::vector<IndexItem> empty(axis, IndexItem::slice());
      empty.push_back(IndexItem::slice(0, 0));
      r = basic_index(r, empty);
    }
    return r;
  }
  if (!has_array(items)) return basic_index(a, items);
  Resolved r = resolve_advanced(a.shape(), items);
  return gather_flat(a, r.offsets);
}

NDArray take(const NDArray& a, const NDArray& indices, int64_t axis, TakeMode mode) {
  static const OpDef& take_op = op("take");
  MXLITE_CHECK_AS(AxisError, a.ndim() > 0, "take", "axis ", axis, " is out of bounds for array of dimension 0");
  Attrs attrs;
  attrs.axis = normalize_axis(axis, a.ndim(), "take");
  const size_t ax = static_cast<size_t>(attrs.axis);
  NDArray idx = normalise_indices(indices, a.shape()[ax], ax, mode, "take");
  return invoke1(take_op, {a, idx}, attrs);
}

NDArray take(const NDArray& a, const NDArray& indices, TakeMode mode) {
  return take(reshape(a, Shape{-1}), indices, 0, mode);
}

NDArray scatter_add(const NDArray& values, const NDArray& indices, int64_t axis, const Shape& shape) {
  static const OpDef& o = op("scatter_add");
  Attrs attrs;
  attrs.axis = normalize_axis(axis, shape.size(), "scatter_add");
  attrs.shape = shape;
  return invoke1(o,
                 {values, normalise_indices(indices, shape[static_cast<size_t>(attrs.axis)],
                                            static_cast<size_t>(attrs.axis), TakeMode::Raise, "scatter_add")},
                 attrs);
}

namespace {
// The gather_nd/scatter_nd view of `shape` under `indices` (m, y...): the
// first m axes of shape collapse into rows, the result has y... + rest.
struct NdRows {
  Shape rows_shape;  // (rows, rest...)
  Shape out_shape;   // y... + rest
  NDArray rows;      // int64, y..., the row of each index column
};

NdRows nd_rows(const Shape& shape, const NDArray& indices, const char* opname) {
  MXLITE_CHECK(indices.ndim() >= 1, opname, "indices must have at least 1 dimension, got shape ", indices.shape());
  MXLITE_CHECK(indices.dtype() != DType::Bool, opname, "indices must be numeric, got bool");
  const int64_t m = indices.shape()[0];
  MXLITE_CHECK(m >= 1 && static_cast<size_t>(m) <= shape.size(), opname, "indices of shape ", indices.shape(),
               " index ", m, " axes but the data has shape ", shape, " (indices.shape[0] must be in [1, ", shape.size(),
               "])");
  NdRows r;
  int64_t nrows = 1;
  for (int64_t a = 0; a < m; ++a) nrows *= shape[a];
  r.rows_shape.push_back(nrows);
  for (size_t a = 1; a < indices.ndim(); ++a) r.out_shape.push_back(indices.shape()[a]);
  for (size_t a = static_cast<size_t>(m); a < shape.size(); ++a) {
    r.rows_shape.push_back(shape[a]);
    r.out_shape.push_back(shape[a]);
  }
  NDArray idx;
  {
    autograd::Pause pause;
    idx = indices.dtype() == DType::Int64 ? indices : astype(indices, DType::Int64);
  }
  const int64_t cols = m == 0 ? 0 : idx.size() / m;
  Shape ys(indices.shape().begin() + 1, indices.shape().end());
  r.rows = NDArray::empty(ys, DType::Int64);
  const int64_t* ip = idx.data<int64_t>();
  int64_t* rp = r.rows.data<int64_t>();
  for (int64_t c = 0; c < cols; ++c) {
    int64_t row = 0;
    for (int64_t a = 0; a < m; ++a) {
      int64_t i = ip[a * cols + c];
      const int64_t n = shape[a];
      if (i < -n || i >= n) out_of_bounds(opname, i, static_cast<size_t>(a), n);
      row = row * n + (i < 0 ? i + n : i);
    }
    rp[c] = row;
  }
  return r;
}
}  // namespace

NDArray gather_nd(const NDArray& data, const NDArray& indices) {
  static const OpDef& take_op = op("take");
  NdRows r = nd_rows(data.shape(), indices, "gather_nd");
  Attrs attrs;
  attrs.axis = 0;
  return reshape(invoke1(take_op, {reshape(data, r.rows_shape), r.rows}, attrs), r.out_shape);
}

NDArray scatter_nd(const NDArray& data, const NDArray& indices, const Shape& shape) {
  static const OpDef& scatter_op = op("scatter_nd");
  NdRows r = nd_rows(shape, indices, "scatter_nd");
  MXLITE_CHECK(data.shape() == r.out_shape, "scatter_nd", "data of shape ", data.shape(),
               " does not match indices of shape ", indices.shape(), " into shape ", shape, " (expected data shape ",
               r.out_shape, ")");
  Shape values_shape = r.rows_shape;
  values_shape[0] = r.rows.size();
  Attrs attrs;
  attrs.shape = r.rows_shape;
  return reshape(invoke1(scatter_op, {reshape(data, values_shape), reshape(r.rows, Shape{-1})}, attrs), shape);
}

NDArray take_along_axis(const NDArray& a, const NDArray& indices, int64_t axis) {
  const size_t ax = static_cast<size_t>(normalize_axis(axis, a.ndim(), "take_along_axis"));
  bool ok = indices.ndim() == a.ndim();
  for (size_t i = 0; ok && i < a.ndim(); ++i) ok = i == ax || indices.shape()[i] == a.shape()[i];
  MXLITE_CHECK(ok, "take_along_axis", "indices of shape ", indices.shape(), " do not match array of shape ", a.shape(),
               " outside axis ", ax);
  NDArray idx = normalise_indices(indices, a.shape()[ax], ax, TakeMode::Raise, "take_along_axis");
  return gather_flat(a, along_axis_offsets(a.shape(), idx, ax));
}

NDArray pick(const NDArray& data, const NDArray& index, int64_t axis, bool keepdims, TakeMode mode) {
  MXLITE_CHECK(data.ndim() > 0, "pick", "data must have at least one dimension, got shape ", data.shape());
  const size_t ax = static_cast<size_t>(normalize_axis(axis, data.ndim(), "pick"));
  Shape kept = data.shape(), dropped;
  kept[ax] = 1;
  for (size_t i = 0; i < data.ndim(); ++i)
    if (i != ax) dropped.push_back(data.shape()[i]);
  MXLITE_CHECK(index.shape() == dropped || index.shape() == kept, "pick", "index of shape ", index.shape(),
               " does not match data of shape ", data.shape(), " along axis ", ax, " (expected ", dropped, ")");
  NDArray idx = normalise_indices(index, data.shape()[ax], ax, mode, "pick");
  NDArray out = gather_flat(data, along_axis_offsets(data.shape(), idx.view(kept), ax));
  return keepdims ? out : reshape(out, dropped);
}

NDArray one_hot(const NDArray& indices, int64_t depth, double on_value, double off_value, DType dtype) {
  static const OpDef& o = op("one_hot");
  MXLITE_CHECK(depth >= 0, "one_hot", "depth must be non-negative, got ", depth);
  Attrs attrs;
  attrs.index = depth;
  attrs.scalar = on_value;
  attrs.scalar2 = off_value;
  attrs.dtype = dtype;
  return invoke1(o, {indices}, attrs);
}

namespace {
NDArray sort_indices(const NDArray& a, int64_t axis, int64_t k, bool ascending, const char* opname) {
  static const OpDef& o = op("argsort");
  MXLITE_CHECK_AS(AxisError, a.ndim() > 0, opname, "axis ", axis, " is out of bounds for array of dimension 0");
  Attrs attrs;
  attrs.axis = normalize_axis(axis, a.ndim(), opname);
  const int64_t n = a.shape()[static_cast<size_t>(attrs.axis)];
  attrs.index = k < 0 ? n : k;
  attrs.reverse = !ascending;
  return invoke1(o, {a}, attrs);
}
}  // namespace

NDArray argsort(const NDArray& a, int64_t axis, bool ascending) {
  return sort_indices(a, axis, -1, ascending, "argsort");
}

NDArray sort(const NDArray& a, int64_t axis, bool ascending) {
  NDArray idx = sort_indices(a, axis, -1, ascending, "sort");
  const size_t ax = static_cast<size_t>(normalize_axis(axis, a.ndim(), "sort"));
  return gather_flat(a, along_axis_offsets(a.shape(), idx, ax));
}

TopK topk(const NDArray& a, int64_t axis, int64_t k, bool ascending) {
  MXLITE_CHECK(a.ndim() > 0, "topk", "data must have at least one dimension, got shape ", a.shape());
  const size_t ax = static_cast<size_t>(normalize_axis(axis, a.ndim(), "topk"));
  const int64_t n = a.shape()[ax];
  MXLITE_CHECK(k <= n, "topk", "k must be smaller than or equal to ", n, " (the size of axis ", ax, " of shape ",
               a.shape(), "), got k = ", k);
  TopK r;
  r.indices = sort_indices(a, static_cast<int64_t>(ax), k < 1 ? n : k, ascending, "topk");
  r.values = gather_flat(a, along_axis_offsets(a.shape(), r.indices, ax));
  return r;
}

NDArray topk_mask(const NDArray& a, int64_t axis, int64_t k, bool ascending) {
  TopK t = topk(a, axis, k, ascending);
  const size_t ax = static_cast<size_t>(normalize_axis(axis, a.ndim(), "topk"));
  autograd::Pause pause;
  NDArray ones_at = ones(t.indices.shape(), a.dtype() == DType::Bool ? DType::Float32 : a.dtype());
  NDArray mask =
      reshape(scatter_add(reshape(ones_at, Shape{-1}), reshape(along_axis_offsets(a.shape(), t.indices, ax), Shape{-1}),
                          0, Shape{a.size()}),
              a.shape());
  return a.dtype() == DType::Bool ? astype(mask, DType::Bool) : mask;
}

}  // namespace np
}  // namespace mxlite
