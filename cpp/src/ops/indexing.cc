// Basic indexing: `slice` selects a strided region (a view when contiguous),
// `slice_backward` scatters a gradient into zeros; each is the other's gradient.
//
// Both encode the region in attrs.axes as (begin, end, step) per input axis,
// normalised like Python's slice.indices(); attrs.shape is the output shape
// of `slice` (the region's extents with indexed axes dropped and new axes
// added) and the full input shape for `slice_backward`.
#include <cmath>

#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {

/// Number of elements a normalised (begin, end, step) selects.
int64_t slice_extent(int64_t begin, int64_t end, int64_t step) {
  if (step > 0) return end > begin ? (end - begin + step - 1) / step : 0;
  return begin > end ? (begin - end - step - 1) / (-step) : 0;
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
template <class Fn>
void for_each_in_region(const Region& r, Fn fn) {
  const int64_t n = shape_size(r.extents);
  if (n == 0) return;
  const size_t nd = r.extents.size();
  if (nd == 0) {
    fn(r.offset, 0);
    return;
  }
  Dims idx(nd, 0);
  int64_t off = r.offset;
  for (int64_t k = 0; k < n; ++k) {
    fn(off, k);
    for (size_t d = nd; d-- > 0;) {
      off += r.strides[d];
      if (++idx[d] < r.extents[d]) break;
      off -= idx[d] * r.strides[d];
      idx[d] = 0;
    }
  }
}

void register_indexing_ops() {
  register_op("slice").set_flags(kAllocatesOutputs)
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
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
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
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        NDArray& y = out[0];
        Region r = region_of(attrs, y.shape());
        MXLITE_DTYPE_SWITCH(y.dtype(), T, {
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
    throw IndexError("index", concat("too many indices for array: array is ", a.ndim(), "-dimensional, but ",
                                     consumed, " were indexed"));
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
      case IndexItem::Slice: {
        int64_t n = shape[axis];
        int64_t step = it.step == IndexItem::kNone ? 1 : it.step;
        MXLITE_CHECK(step != 0, "index", "slice step cannot be zero");
        int64_t lo = step > 0 ? 0 : -1, hi = step > 0 ? n : n - 1;
        auto clamp = [&](int64_t v, int64_t dflt) {
          if (v == IndexItem::kNone) return dflt;
          if (v < 0) v += n;
          return v < lo ? lo : (v > hi ? hi : v);
        };
        int64_t b = clamp(it.start, step > 0 ? 0 : n - 1);
        int64_t e = clamp(it.stop, step > 0 ? n : -1);
        attrs.axes.push_back(b);
        attrs.axes.push_back(e);
        attrs.axes.push_back(step);
        out_shape.push_back(ops::slice_extent(b, e, step));
        ++axis;
        break;
      }
    }
  }
  take_full(a.ndim() - axis);
  attrs.shape = out_shape;
  return attrs;
}
}  // namespace

NDArray basic_index(const NDArray& a, const std::vector<IndexItem>& items) {
  static const OpDef& o = op("slice");
  return invoke1(o, {a}, slice_attrs(a, items));
}

void index_assign(const NDArray& a, const std::vector<IndexItem>& items, const NDArray& value) {
  autograd::check_inplace_allowed(a, value, "setitem");
  Attrs attrs = slice_attrs(a, items);
  NDArray src;
  {
    autograd::Pause pause;
    MXLITE_CHECK(broadcast_shapes(value.shape(), attrs.shape, "setitem") == attrs.shape, "setitem",
                 "could not broadcast input array from shape ", value.shape(), " into shape ", attrs.shape);
    src = broadcast_to(value.dtype() == a.dtype() ? value : astype(value, a.dtype()), attrs.shape);
  }
  ops::Region r = ops::region_of(attrs, a.shape());
  MXLITE_DTYPE_SWITCH(a.dtype(), T, {
    T* dst = static_cast<T*>(a.raw_data());
    const T* from = src.data<T>();
    ops::for_each_in_region(r, [&](int64_t off, int64_t k) { dst[off] = from[k]; });
  });
  a.bump_version();
}

NDArray index(const NDArray& a, int64_t i) {
  MXLITE_CHECK(a.ndim() >= 1, "index", "too many indices for array: array is 0-dimensional, but 1 were indexed");
  return basic_index(a, {IndexItem::integer(i)});
}

}  // namespace np
}  // namespace mxlite
