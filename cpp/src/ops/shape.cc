// Shape ops: reshape (a view), broadcast_to, transpose, flip, concatenate and
// split (kernels of their own), and the functions built from them and from
// basic slicing: squeeze, swapaxes, moveaxis, stack, tile, repeat, roll, pad.
#include <algorithm>
#include <cstring>

#include "kernels/parallel.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {

namespace {

// out = in with the axes marked in `flipped` reversed, one row of the last
// axis at a time (rows are independent, so large arrays go over the pool).
template <class T> void flip_copy(const T* src, T* dst, const Shape& shape, const std::vector<bool>& flipped) {
  const size_t nd = shape.size();
  if (nd == 0) {
    dst[0] = src[0];
    return;
  }
  const int64_t inner = shape[nd - 1];
  if (inner == 0 || shape_size(shape) == 0) return;
  const int64_t rows = shape_size(shape) / inner;
  const Dims strides = contiguous_strides(shape);
  const bool reverse_rows = flipped[nd - 1];
  kernels::for_range(rows, std::max<int64_t>(1, kernels::kParallelGrain / inner), [&](int64_t r0, int64_t r1) {
    Dims idx(nd - 1, 0);
    for (int64_t rem = r0, d = static_cast<int64_t>(nd) - 2; d >= 0; --d) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
      int64_t off = 0;
      for (size_t d = 0; d + 1 < nd; ++d) off += (flipped[d] ? shape[d] - 1 - idx[d] : idx[d]) * strides[d];
      const T* in = src + off;
      T* out = dst + r * inner;
      if (reverse_rows) {
        for (int64_t k = 0; k < inner; ++k) out[k] = in[inner - 1 - k];
      } else {
        std::copy(in, in + inner, out);
      }
      for (size_t d = nd - 1; d-- > 0;) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
  });
}

}  // namespace

void register_shape_ops() {
  // reshape: a view of the input's storage with attrs.shape (already resolved).
  register_op("reshape")
      .set_flags(kAllocatesOutputs | kFloat16Native)
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) { out.push_back(in[0].view(attrs.shape)); })
      .set_grad([](const GradCtx& g) -> ArrayList { return {np::reshape(g.ograd(0), g.input_meta(0).shape)}; });
  // broadcast_to: attrs.shape, NumPy rules.
  register_op("broadcast_to")
      .set_flags(kFloat16Native)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape b = broadcast_shapes(in[0].shape(), attrs.shape, "broadcast_to");
        MXLITE_CHECK(b == attrs.shape, "broadcast_to", "cannot broadcast an array of shape ", in[0].shape(),
                     " to shape ", attrs.shape);
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        MXLITE_ANY_DTYPE_SWITCH(
            in[0].dtype(), T,
            kernels::broadcast_copy(in[0].data<T>(), in[0].shape(), out[0].data<T>(), out[0].shape()));
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {np::sum_to(g.ograd(0), g.input_meta(0).shape)}; });
  // transpose: out axis i is input axis attrs.axes[i] (a full permutation).
  register_op("transpose")
      .set_flags(kFloat16Native)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape s;
        for (int64_t a : attrs.axes) s.push_back(in[0].shape()[a]);
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        MXLITE_ANY_DTYPE_SWITCH(in[0].dtype(), T,
                                kernels::permute_copy(in[0].data<T>(), in[0].shape(), attrs.axes, out[0].data<T>()));
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const Axes& perm = g.attrs().axes;
        Axes inverse(perm.size(), 0);
        for (size_t i = 0; i < perm.size(); ++i) inverse[perm[i]] = static_cast<int64_t>(i);
        return {np::transpose(g.ograd(0), inverse)};
      });
  // flip: reverses the axes listed in attrs.axes (normalised); its own gradient.
  register_op("flip")
      .set_flags(kFloat16Native)
      .set_infer(infer_like_input)
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        std::vector<bool> flipped(in[0].ndim(), false);
        for (int64_t ax : attrs.axes) flipped[static_cast<size_t>(ax)] = true;
        MXLITE_ANY_DTYPE_SWITCH(in[0].dtype(), T, flip_copy(in[0].data<T>(), out[0].data<T>(), in[0].shape(), flipped));
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {np::flip(g.ograd(0), g.attrs().axes)}; });
  // concatenate: inputs (one dtype, equal extents except attrs.axis) joined
  // along attrs.axis.
  register_op("concatenate")
      .inputs(-1)
      .set_flags(kFloat16Native)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        MXLITE_CHECK(in.size() > 0, "concatenate", "need at least one array to concatenate");
        const size_t axis = static_cast<size_t>(attrs.axis);
        Shape s = in[0].shape();
        for (size_t i = 1; i < in.size(); ++i) {
          const Shape& t = in[i].shape();
          bool ok = t.size() == s.size();
          for (size_t d = 0; ok && d < s.size(); ++d) ok = d == axis || t[d] == s[d];
          MXLITE_CHECK(ok, "concatenate", "all input array dimensions except for the concatenation axis ", axis,
                       " must match exactly, but array 0 has shape ", in[0].shape(), " and array ", i, " has shape ",
                       t);
          MXLITE_CHECK(in[i].dtype() == in[0].dtype(), "concatenate", "inputs have dtypes ", dtype_name(in[0].dtype()),
                       " and ", dtype_name(in[i].dtype()));
          s[axis] += t[axis];
        }
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const Shape& os = out[0].shape();
        const size_t axis = static_cast<size_t>(attrs.axis);
        int64_t outer = 1, inner = 1;
        for (size_t d = 0; d < axis; ++d) outer *= os[d];
        for (size_t d = axis + 1; d < os.size(); ++d) inner *= os[d];
        const size_t item = itemsize(out[0].dtype());
        const size_t row = static_cast<size_t>(os[axis] * inner) * item;  // bytes of one output row
        char* dst = static_cast<char*>(out[0].raw_data());
        // Rows are independent: split them over the pool when the copy is large.
        const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, os[axis] * inner));
        kernels::for_range(outer, grain, [&](int64_t r0, int64_t r1) {
          size_t at = 0;
          for (size_t i = 0; i < in.size(); ++i) {
            const size_t block = static_cast<size_t>(in[i].shape()[axis] * inner) * item;
            const char* src = static_cast<const char*>(in[i].raw_data());
            if (block > 0)
              for (int64_t r = r0; r < r1; ++r) std::memcpy(dst + r * row + at, src + r * block, block);
            at += block;
          }
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // Each input's gradient is its slice of the output gradient.
        ArrayList grads;
        int64_t at = 0;
        for (size_t i = 0; i < g.num_inputs(); ++i) {
          int64_t n = g.input_meta(i).shape[g.attrs().axis];
          grads.push_back(g.needs_grad(i) ? np::slice_axis(g.ograd(0), g.attrs().axis, at, at + n) : NDArray());
          at += n;
        }
        return grads;
      });
  // split: pieces [attrs.axes[k], attrs.axes[k+1]) along attrs.axis (the
  // boundaries are already clipped and increasing). Views when only leading
  // size-1 axes precede the split axis, copies otherwise.
  register_op("split")
      .set_flags(kAllocatesOutputs | kFloat16Native)
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        const Shape& xs = x.shape();
        const size_t axis = static_cast<size_t>(attrs.axis);
        int64_t outer = 1, inner = 1;
        for (size_t d = 0; d < axis; ++d) outer *= xs[d];
        for (size_t d = axis + 1; d < xs.size(); ++d) inner *= xs[d];
        const size_t item = itemsize(x.dtype());
        const size_t row = static_cast<size_t>(xs[axis] * inner) * item;
        for (size_t k = 0; k + 1 < attrs.axes.size(); ++k) {
          Shape ps = xs;
          ps[axis] = attrs.axes[k + 1] - attrs.axes[k];
          const size_t start = static_cast<size_t>(attrs.axes[k] * inner) * item;
          if (outer == 1) {
            auto impl = std::make_shared<NDArrayImpl>();
            impl->shape = ps;
            impl->dtype = x.dtype();
            impl->offset = x.offset() + (shape_size(ps) > 0 ? start : 0);
            impl->storage = x.storage();
            out.push_back(NDArray(std::move(impl)));
            continue;
          }
          NDArray piece = NDArray::empty(ps, x.dtype());
          const size_t block = static_cast<size_t>(ps[axis] * inner) * item;
          const char* src = static_cast<const char*>(x.raw_data()) + start;
          char* dst = static_cast<char*>(piece.raw_data());
          if (block > 0)
            for (int64_t r = 0; r < outer; ++r) std::memcpy(dst + r * block, src + r * row, block);
          out.push_back(piece);
        }
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // The pieces' gradients joined back; zeros for pieces that got none.
        std::vector<NDArray> parts;
        for (size_t k = 0; k < g.num_outputs(); ++k) {
          if (g.ograd(k).defined()) {
            parts.push_back(g.ograd(k));
          } else {
            Shape ps = g.input_meta(0).shape;
            ps[g.attrs().axis] = g.attrs().axes[k + 1] - g.attrs().axes[k];
            parts.push_back(np::zeros(ps, g.input_meta(0).dtype));
          }
        }
        return {np::concatenate(parts, g.attrs().axis)};
      });
}

}  // namespace ops

namespace np {

NDArray reshape(const NDArray& a, const Shape& shape) {
  static const OpDef& o = op("reshape");
  Shape resolved = shape;
  int64_t known = 1, unknown = -1;
  bool overflow = false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      MXLITE_CHECK_AS(ValueError, unknown < 0, "reshape", "can only specify one unknown dimension in shape ", shape);
      unknown = static_cast<int64_t>(i);
    } else {
      MXLITE_CHECK_AS(ValueError, shape[i] >= 0, "reshape", "invalid dimension ", shape[i], " in shape ", shape);
      overflow = overflow || __builtin_mul_overflow(known, shape[i], &known);
    }
  }
  MXLITE_CHECK_AS(ValueError, !overflow, "reshape", "cannot reshape array of size ", a.size(), " (shape ", a.shape(),
                  ") into shape ", shape);
  if (unknown >= 0) {
    MXLITE_CHECK_AS(ValueError, known != 0 && a.size() % known == 0, "reshape", "cannot reshape array of size ",
                    a.size(), " (shape ", a.shape(), ") into shape ", shape);
    resolved[unknown] = a.size() / known;
  }
  MXLITE_CHECK_AS(ValueError, checked_size(resolved, itemsize(a.dtype()), "reshape") == a.size(), "reshape",
                  "cannot reshape array of size ", a.size(), " (shape ", a.shape(), ") into shape ", shape);
  Attrs attrs;
  attrs.shape = resolved;
  return invoke1(o, {a}, attrs);
}

NDArray broadcast_to(const NDArray& a, const Shape& shape) {
  static const OpDef& o = op("broadcast_to");
  if (a.shape() == shape) return a;
  Attrs attrs;
  attrs.shape = shape;
  return invoke1(o, {a}, attrs);
}

NDArray transpose(const NDArray& a, const Axes& axes) {
  static const OpDef& o = op("transpose");
  Attrs attrs;
  if (axes.empty()) {
    for (size_t i = a.ndim(); i-- > 0;) attrs.axes.push_back(static_cast<int64_t>(i));
  } else {
    MXLITE_CHECK(axes.size() == a.ndim(), "transpose", "axes ", axes, " don't match array of shape ", a.shape());
    attrs.axes = normalize_axes(axes, a.ndim(), "transpose");
  }
  return invoke1(o, {a}, attrs);
}

NDArray expand_dims(const NDArray& a, int64_t axis) {
  int64_t ax = normalize_axis(axis, a.ndim() + 1, "expand_dims");
  Shape s = a.shape();
  s.insert(static_cast<size_t>(ax), 1);
  return reshape(a, s);
}

NDArray expand_dims(const NDArray& a, const Axes& axes) {
  const size_t out_ndim = a.ndim() + axes.size();
  Axes at = normalize_axes(axes, out_ndim, "expand_dims");
  std::vector<bool> is_new(out_ndim, false);
  for (int64_t ax : at) is_new[static_cast<size_t>(ax)] = true;
  Shape s;
  size_t next = 0;
  for (size_t d = 0; d < out_ndim; ++d) s.push_back(is_new[d] ? 1 : a.shape()[next++]);
  return reshape(a, s);
}

NDArray squeeze(const NDArray& a) {
  Shape s;
  for (int64_t d : a.shape())
    if (d != 1) s.push_back(d);
  return reshape(a, s);
}

NDArray squeeze(const NDArray& a, const Axes& axes) {
  Axes at = normalize_axes(axes, a.ndim(), "squeeze");
  std::vector<bool> drop(a.ndim(), false);
  for (int64_t ax : at) {
    MXLITE_CHECK(a.shape()[ax] == 1, "squeeze", "cannot select an axis to squeeze out which has size not equal to one",
                 " (axis ", ax, " of shape ", a.shape(), ")");
    drop[static_cast<size_t>(ax)] = true;
  }
  Shape s;
  for (size_t d = 0; d < a.ndim(); ++d)
    if (!drop[d]) s.push_back(a.shape()[d]);
  return reshape(a, s);
}

NDArray ravel(const NDArray& a) { return reshape(a, Shape{a.size()}); }

NDArray swapaxes(const NDArray& a, int64_t axis1, int64_t axis2) {
  int64_t i = normalize_axis(axis1, a.ndim(), "swapaxes"), j = normalize_axis(axis2, a.ndim(), "swapaxes");
  Axes perm;
  for (size_t d = 0; d < a.ndim(); ++d) perm.push_back(static_cast<int64_t>(d));
  std::swap(perm[i], perm[j]);
  return transpose(a, perm);
}

NDArray moveaxis(const NDArray& a, const Axes& source, const Axes& destination) {
  MXLITE_CHECK(source.size() == destination.size(), "moveaxis",
               "source and destination arguments must have the same number of elements, got ", source, " and ",
               destination);
  Axes src = normalize_axes(source, a.ndim(), "moveaxis"), dst = normalize_axes(destination, a.ndim(), "moveaxis");
  // Fill the destination slots first, then the remaining axes in order.
  Axes perm(a.ndim(), -1);
  std::vector<bool> used(a.ndim(), false);
  for (size_t k = 0; k < src.size(); ++k) {
    perm[dst[k]] = src[k];
    used[src[k]] = true;
  }
  size_t next = 0;
  for (int64_t& p : perm) {
    if (p >= 0) continue;
    while (used[next]) ++next;
    p = static_cast<int64_t>(next++);
  }
  return transpose(a, perm);
}

NDArray concatenate(const std::vector<NDArray>& arrays, int64_t axis) {
  static const OpDef& o = op("concatenate");
  MXLITE_CHECK(!arrays.empty(), "concatenate", "need at least one array to concatenate");
  MXLITE_CHECK(arrays[0].ndim() > 0, "concatenate", "zero-dimensional arrays cannot be concatenated");
  Attrs attrs;
  attrs.axis = normalize_axis(axis, arrays[0].ndim(), "concatenate");
  DType dt = arrays[0].dtype();
  for (const NDArray& x : arrays) dt = promote_types(dt, x.dtype());
  std::vector<NDArray> cast;
  cast.reserve(arrays.size());
  for (const NDArray& x : arrays) cast.push_back(x.dtype() == dt ? x : astype(x, dt));
  return invoke1(o, Span<NDArray>(cast.data(), cast.size()), attrs);
}

NDArray stack(const std::vector<NDArray>& arrays, int64_t axis) {
  MXLITE_CHECK(!arrays.empty(), "stack", "need at least one array to stack");
  const Shape& s0 = arrays[0].shape();
  for (size_t i = 1; i < arrays.size(); ++i)
    MXLITE_CHECK(arrays[i].shape() == s0, "stack", "all input arrays must have the same shape, but array 0 has shape ",
                 s0, " and array ", i, " has shape ", arrays[i].shape());
  int64_t ax = normalize_axis(axis, arrays[0].ndim() + 1, "stack");
  std::vector<NDArray> expanded;
  for (const NDArray& x : arrays) expanded.push_back(expand_dims(x, ax));
  return concatenate(expanded, ax);
}

std::vector<NDArray> split(const NDArray& a, const std::vector<int64_t>& indices, int64_t axis) {
  static const OpDef& o = op("split");
  MXLITE_CHECK(a.ndim() > 0, "split", "cannot split a zero-dimensional array");
  Attrs attrs;
  attrs.axis = normalize_axis(axis, a.ndim(), "split");
  const int64_t n = a.shape()[attrs.axis];
  // NumPy's rule: piece k is a[bound_k : bound_k+1] with Python slice
  // semantics, so unordered indices give empty or overlapping pieces. When
  // the pieces tile the axis in order (the usual case) one split op makes
  // them all; otherwise each is a slice of its own.
  auto clip = [n](int64_t i) { return std::min(std::max(i < 0 ? i + n : i, int64_t(0)), n); };
  std::vector<int64_t> bounds{0};
  for (int64_t i : indices) bounds.push_back(i);
  bounds.push_back(n);
  bool tiles = true;
  int64_t prev_end = 0;
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    int64_t b = clip(bounds[k]), e = std::max(clip(bounds[k + 1]), b);
    tiles = tiles && b == prev_end;
    prev_end = e;
  }
  if (!tiles) {
    std::vector<NDArray> pieces;
    for (size_t k = 0; k + 1 < bounds.size(); ++k) {
      int64_t b = clip(bounds[k]);
      pieces.push_back(slice_axis(a, attrs.axis, b, std::max(clip(bounds[k + 1]), b)));
    }
    return pieces;
  }
  for (size_t k = 0; k < bounds.size(); ++k)
    attrs.axes.push_back(k == 0 ? 0 : std::max(clip(bounds[k]), attrs.axes.back()));
  ArrayList pieces = invoke(o, {a}, attrs);
  return std::vector<NDArray>(pieces.begin(), pieces.end());
}

std::vector<NDArray> split(const NDArray& a, int64_t sections, int64_t axis) {
  MXLITE_CHECK(a.ndim() > 0, "split", "cannot split a zero-dimensional array");
  int64_t ax = normalize_axis(axis, a.ndim(), "split");
  const int64_t n = a.shape()[ax];
  MXLITE_CHECK_AS(ValueError, sections > 0, "split", "number of sections must be larger than 0, got ", sections);
  MXLITE_CHECK_AS(ValueError, sections <= std::max(n, kMaxEmptySections), "split", sections,
                  " sections for an axis of length ", n, ": at most max(length, ", kMaxEmptySections,
                  ") are supported (the extra ones would all be empty)");
  MXLITE_CHECK(n % sections == 0, "split", "array split does not result in an equal division: axis ", ax, " of shape ",
               a.shape(), " into ", sections, " sections");
  std::vector<int64_t> at;
  for (int64_t k = 1; k < sections; ++k) at.push_back(k * (n / sections));
  return split(a, at, ax);
}

NDArray slice_axis(const NDArray& a, int64_t axis, int64_t begin, int64_t end) {
  int64_t ax = normalize_axis(axis, a.ndim(), "slice_axis");
  std::vector<IndexItem> items(static_cast<size_t>(ax), IndexItem::slice());
  items.push_back(IndexItem::slice(begin, end));
  return basic_index(a, items);
}

namespace {
// Repeats a along axis ax: block-wise (each element `times` times, as
// repeat) or whole (the axis `times` times over, as tile). Works on a 4-D
// view (before, n, after) whatever a's rank, so no temporary gets more
// dimensions than the result.
NDArray repeat_axis(const NDArray& a, size_t ax, int64_t times, bool whole, const char* op) {
  int64_t before = 1, after = 1;
  for (size_t d = 0; d < ax; ++d) before *= a.shape()[d];
  for (size_t d = ax + 1; d < a.ndim(); ++d) after *= a.shape()[d];
  const int64_t n = a.shape()[ax];
  Shape result = a.shape();
  result[ax] = checked_mul(n, times, op, "the repeated axis length");
  checked_size(result, itemsize(a.dtype()), op);
  Shape unit = whole ? Shape{before, 1, n, after} : Shape{before, n, 1, after};
  Shape wide = whole ? Shape{before, times, n, after} : Shape{before, n, times, after};
  return reshape(broadcast_to(reshape(a, unit), wide), result);
}
}  // namespace

NDArray tile(const NDArray& a, const Shape& reps) {
  for (int64_t r : reps) MXLITE_CHECK_AS(ValueError, r >= 0, "tile", "negative repetition ", r, " in reps ", reps);
  // Both padded with leading 1s to one length, then each axis repeated whole.
  const size_t nd = std::max(a.ndim(), reps.size());
  MXLITE_CHECK_AS(ValueError, nd <= kMaxNdim, "tile", "maximum supported dimension for an ndarray is ", kMaxNdim,
                  ", found ", nd);
  Shape s(nd - a.ndim(), 1), r(nd - reps.size(), 1);
  for (int64_t d : a.shape()) s.push_back(d);
  for (int64_t d : reps) r.push_back(d);
  Shape result;
  for (size_t d = 0; d < nd; ++d) result.push_back(checked_mul(s[d], r[d], "tile", "the tiled shape"));
  checked_size(result, itemsize(a.dtype()), "tile");
  NDArray out = reshape(a, s);
  bool copied = false;
  for (size_t d = 0; d < nd; ++d) {
    if (r[d] == 1) continue;
    out = repeat_axis(out, d, r[d], true, "tile");
    copied = true;
  }
  return copied ? out : copy(out);
}

NDArray repeat(const NDArray& a, int64_t repeats) { return repeat(ravel(a), repeats, 0); }

NDArray repeat(const NDArray& a, int64_t repeats, int64_t axis) {
  MXLITE_CHECK_AS(ValueError, repeats >= 0, "repeat", "repeats may not be negative, got ", repeats);
  MXLITE_CHECK_AS(AxisError, a.ndim() > 0, "repeat", "axis ", axis, " is out of bounds for a zero-dimensional array");
  const size_t ax = static_cast<size_t>(normalize_axis(axis, a.ndim(), "repeat"));
  return repeat_axis(a, ax, repeats, false, "repeat");
}

NDArray flip(const NDArray& a) {
  Axes all;
  for (size_t d = 0; d < a.ndim(); ++d) all.push_back(static_cast<int64_t>(d));
  return flip(a, all);
}

NDArray flip(const NDArray& a, const Axes& axes) {
  static const OpDef& o = op("flip");
  Attrs attrs;
  attrs.axes = normalize_axes(axes, a.ndim(), "flip");
  if (attrs.axes.empty()) return copy(a);
  return invoke1(o, {a}, attrs);
}

NDArray roll(const NDArray& a, int64_t shift) {
  if (a.ndim() == 0) return copy(a);
  return reshape(roll(ravel(a), Dims{shift}, Axes{0}), a.shape());
}

NDArray roll(const NDArray& a, const Dims& shifts, const Axes& axes) {
  // shifts and axes broadcast against each other (NumPy): one shift for many
  // axes, or many shifts for one axis.
  const size_t count = std::max(shifts.size(), axes.size());
  MXLITE_CHECK(shifts.size() == axes.size() || shifts.size() == 1 || axes.size() == 1, "roll", "shift ", shifts,
               " and axis ", axes, " must have the same number of elements");
  NDArray out = a;
  // Per axis, the total shift: NumPy adds shifts given for a repeated axis.
  Dims total(a.ndim(), 0);
  for (size_t k = 0; k < count; ++k)
    total[normalize_axis(axes[axes.size() == 1 ? 0 : k], a.ndim(), "roll")] += shifts[shifts.size() == 1 ? 0 : k];
  for (size_t d = 0; d < a.ndim(); ++d) {
    const int64_t n = a.shape()[d];
    if (n == 0) continue;
    const int64_t s = ((total[d] % n) + n) % n;
    if (s == 0) continue;
    const int64_t ax = static_cast<int64_t>(d);
    out = concatenate({slice_axis(out, ax, n - s, n), slice_axis(out, ax, 0, n - s)}, ax);
  }
  return out.is_same(a) ? copy(a) : out;
}

NDArray pad(const NDArray& a, const std::vector<std::pair<int64_t, int64_t>>& widths, double value) {
  MXLITE_CHECK(widths.size() == a.ndim(), "pad", "pad widths for ", widths.size(), " axes given for array of shape ",
               a.shape());
  Shape result = a.shape();
  for (size_t d = 0; d < a.ndim(); ++d) {
    const auto [before, after] = widths[d];
    MXLITE_CHECK_AS(ValueError, before >= 0 && after >= 0, "pad", "index can't contain negative values: (", before,
                    ", ", after, ") for axis ", d);
    result[d] =
        checked_add(checked_add(result[d], before, "pad", "the padded shape"), after, "pad", "the padded shape");
  }
  checked_size(result, itemsize(a.dtype()), "pad");
  NDArray out = a;
  for (size_t d = 0; d < a.ndim(); ++d) {
    const auto [before, after] = widths[d];
    if (before == 0 && after == 0) continue;
    std::vector<NDArray> parts;
    Shape edge = out.shape();
    if (before > 0) {
      edge[d] = before;
      parts.push_back(full(edge, value, a.dtype()));
    }
    parts.push_back(out);
    if (after > 0) {
      edge[d] = after;
      parts.push_back(full(edge, value, a.dtype()));
    }
    out = concatenate(parts, static_cast<int64_t>(d));
  }
  return out.is_same(a) ? copy(a) : out;
}

namespace {
// Source index along an axis of extent n for padded position p (p < 0 before
// the data, p >= n after it), by NumPy's rules for the index-based modes.
int64_t pad_source(int64_t p, int64_t n, PadMode mode) {
  if (p >= 0 && p < n) return p;
  switch (mode) {
    case PadMode::Edge:
      return p < 0 ? 0 : n - 1;
    case PadMode::Wrap:
      return ((p % n) + n) % n;
    case PadMode::Reflect: {  // period 2(n-1), the edge not repeated
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);
      int64_t q = ((p % period) + period) % period;
      return q < n ? q : period - q;
    }
    case PadMode::Symmetric: {  // period 2n, the edge repeated
      const int64_t period = 2 * n;
      int64_t q = ((p % period) + period) % period;
      return q < n ? q : period - 1 - q;
    }
    default:
      return p;
  }
}
}  // namespace

NDArray pad(const NDArray& a, const std::vector<std::pair<int64_t, int64_t>>& widths, PadMode mode) {
  MXLITE_CHECK(widths.size() == a.ndim(), "pad", "pad widths for ", widths.size(), " axes given for array of shape ",
               a.shape());
  for (size_t d = 0; d < a.ndim(); ++d) {
    const auto [before, after] = widths[d];
    MXLITE_CHECK_AS(ValueError, before >= 0 && after >= 0, "pad", "index can't contain negative values: (", before,
                    ", ", after, ") for axis ", d);
    MXLITE_CHECK_AS(ValueError, a.shape()[d] > 0 || (before == 0 && after == 0), "pad", "can't extend empty axis ", d,
                    " using modes other than 'constant' or 'empty'");
  }
  NDArray out = a;
  for (size_t d = 0; d < a.ndim(); ++d) {
    const auto [before, after] = widths[d];
    if (before == 0 && after == 0) continue;
    const int64_t n = a.shape()[d], ax = static_cast<int64_t>(d);
    if (mode == PadMode::Maximum || mode == PadMode::Minimum || mode == PadMode::Mean) {
      // Each lane padded with its own statistic (NumPy's stat_length=None).
      NDArray stat = mode == PadMode::Maximum   ? max(out, Axes{ax}, true)
                     : mode == PadMode::Minimum ? min(out, Axes{ax}, true)
                                                : mean(out, Axes{ax}, true);
      if (stat.dtype() != out.dtype())  // NumPy rounds an integer array's mean
        stat = astype(is_floating(out.dtype()) ? stat : rint(stat), out.dtype());
      std::vector<NDArray> parts;
      Shape edge = out.shape();
      if (before > 0) {
        edge[d] = before;
        parts.push_back(broadcast_to(stat, edge));
      }
      parts.push_back(out);
      if (after > 0) {
        edge[d] = after;
        parts.push_back(broadcast_to(stat, edge));
      }
      out = concatenate(parts, ax);
      continue;
    }
    // Index modes gather along the axis: the gradient scatter-adds back.
    NDArray source = NDArray::empty(Shape{n + before + after}, DType::Int64);
    int64_t* s = source.data<int64_t>();
    for (int64_t p = -before; p < n + after; ++p) s[p + before] = pad_source(p, n, mode);
    out = take(out, source, ax);
  }
  return out.is_same(a) ? copy(a) : out;
}

namespace {
// The reshape codes' shared steps. Fills the -1 at `at` so that `out` holds
// `total` elements; false when the other extents do not divide it.
bool infer_extent(Shape& out, int64_t at, int64_t total) {
  int64_t known = 1;
  for (size_t d = 0; d < out.size(); ++d)
    if (static_cast<int64_t>(d) != at) known *= out[d];
  if (known == 0 || total % known != 0) return false;
  out[at] = total / known;
  return true;
}

// Splits extent n into d1 x d2, one of which may be -1 (inferred); false when impossible.
bool split_extent(int64_t n, int64_t& d1, int64_t& d2) {
  if (d1 == -1) d1 = d2 != 0 && n % d2 == 0 ? n / d2 : -1;
  if (d2 == -1) d2 = d1 != 0 && n % d1 == 0 ? n / d1 : -1;
  return d1 >= 0 && d2 >= 0 && d1 * d2 == n;
}
}  // namespace

Shape legacy_reshape_shape(const Shape& input, const Shape& spec, bool reverse) {
  Shape in = input, codes = spec;
  if (reverse) {
    std::reverse(in.begin(), in.end());
    std::reverse(codes.begin(), codes.end());
  }
  auto bad = [&](const std::string& why) {
    return Error("reshape", concat(why, ": cannot reshape array of shape ", input, " into shape ", spec,
                                   reverse ? " (reverse=True)" : ""));
  };
  Shape out;
  size_t src = 0;
  int64_t infer_at = -1;
  for (size_t i = 0; i < codes.size(); ++i) {
    const int64_t c = codes[i];
    if (c > 0) {
      out.push_back(c);
      ++src;
    } else if (c == 0) {
      if (src >= in.size()) throw bad("code 0 has no input axis to copy");
      out.push_back(in[src++]);
    } else if (c == -1) {
      if (infer_at >= 0) throw bad("only one dimension can be inferred (-1)");
      infer_at = static_cast<int64_t>(out.size());
      out.push_back(-1);
      ++src;
    } else if (c == -2) {
      while (src < in.size()) out.push_back(in[src++]);
    } else if (c == -3) {
      if (src + 2 > in.size()) throw bad("code -3 needs two input axes to merge");
      out.push_back(in[src] * in[src + 1]);
      src += 2;
    } else if (c == -4) {
      if (i + 2 >= codes.size()) throw bad("code -4 must be followed by two extents");
      if (src >= in.size()) throw bad("code -4 has no input axis to split");
      int64_t d1 = codes[i + 1], d2 = codes[i + 2];
      const int64_t n = in[src++];
      if (d1 < -1 || d2 < -1 || d1 == 0 || d2 == 0 || (d1 == -1 && d2 == -1))
        throw bad("code -4 takes two positive extents, at most one of them -1");
      if (!split_extent(n, d1, d2)) throw bad(concat("code -4 cannot split extent ", n));
      out.push_back(d1);
      out.push_back(d2);
      i += 2;
    } else {
      throw bad(concat("invalid code ", c));
    }
  }
  if (infer_at >= 0 && !infer_extent(out, infer_at, shape_size(in))) throw bad("the size does not divide");
  // MXNet 1.x: too few elements is a ValueError, too many an MXNetError.
  if (shape_size(out) < shape_size(in))
    throw ValueError("reshape", concat("Cannot reshape array of size ", shape_size(in), " into shape ", out,
                                       " (input shape ", in, ")"));
  if (shape_size(out) != shape_size(in)) throw bad(concat("size ", shape_size(in), " does not match"));
  if (reverse) std::reverse(out.begin(), out.end());
  return out;
}

Shape npx_reshape_shape(const Shape& input, const Shape& spec, bool reverse) {
  Shape in = input, codes = spec;
  if (reverse) {
    std::reverse(in.begin(), in.end());
    std::reverse(codes.begin(), codes.end());
  }
  auto bad = [&](const std::string& why) {
    return Error("npx.reshape", concat(why, ": cannot reshape array of shape ", input, " into shape ", spec,
                                       reverse ? " (reverse=True)" : ""));
  };
  Shape out;
  size_t src = 0;
  int64_t infer_at = -1;
  for (size_t i = 0; i < codes.size(); ++i) {
    const int64_t c = codes[i];
    if (c >= 0) {  // an extent, standing for one input axis
      out.push_back(c);
      ++src;
    } else if (c == -1) {
      if (infer_at >= 0) throw bad("only one dimension can be inferred (-1)");
      infer_at = static_cast<int64_t>(out.size());
      out.push_back(-1);
      ++src;
    } else if (c == -2) {
      if (src >= in.size()) throw bad("code -2 has no input axis to copy");
      out.push_back(in[src++]);
    } else if (c == -3) {
      if (src >= in.size() || in[src] != 1) throw bad("code -3 skips only an input axis of extent 1");
      ++src;
    } else if (c == -4) {
      while (src < in.size()) out.push_back(in[src++]);
    } else if (c == -5) {
      if (src + 2 > in.size()) throw bad("code -5 needs two input axes to merge");
      out.push_back(in[src] * in[src + 1]);
      src += 2;
    } else if (c == -6) {
      if (i + 2 >= codes.size()) throw bad("code -6 must be followed by two extents");
      if (src >= in.size()) throw bad("code -6 has no input axis to split");
      int64_t d1 = codes[i + 1], d2 = codes[i + 2];
      const int64_t n = in[src++];
      if (d1 < -1 || d2 < -1 || (d1 == -1 && d2 == -1)) throw bad("code -6 takes two extents, at most one of them -1");
      if (!split_extent(n, d1, d2)) throw bad(concat("code -6 cannot split extent ", n));
      out.push_back(d1);
      out.push_back(d2);
      i += 2;
    } else {
      throw bad(concat("invalid code ", c));
    }
  }
  if (infer_at >= 0 && !infer_extent(out, infer_at, shape_size(in))) throw bad("the size does not divide");
  if (shape_size(out) != shape_size(in)) throw bad(concat("size ", shape_size(in), " does not match"));
  if (reverse) std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace np
}  // namespace mxlite
