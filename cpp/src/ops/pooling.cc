// Pooling: max, average and sum over windows of 1-, 2- and 3-D data in
// channels-first layout (Lp pooling is composed from sum pooling). Three ops
// close the family under differentiation: `pooling`, its adjoint
// `pooling_backward` (scatters a gradient back into the windows: to each
// window's first maximum for max pooling) and, for max pooling,
// `pooling_gather` (reads a tensor at each window's maximum), the adjoint of
// pooling_backward. Planes (image, channel) are independent and run in
// parallel.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/parallel.h"
#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

struct PoolParams {
  np::PoolType type = np::PoolType::Max;
  int64_t kernel[3], stride[3], pad[3];
  bool count_include_pad = true;
  Shape data_shape, output_shape;  // (N, C, D, H, W) views
};

// One output window along one axis: [lo, hi) inside the data, and the
// extent of the window clipped to the padded data (the divisor of average
// pooling with count_include_pad).
struct Range {
  int64_t lo, hi, padded;
};

Range window(int64_t o, int64_t k, int64_t s, int64_t p, int64_t in) {
  const int64_t start = o * s - p;
  const int64_t end = std::min(start + k, in + p);
  return Range{std::max<int64_t>(start, 0), std::min(end, in), end - start};
}

struct Plane {
  int64_t in[3], out[3], in_size, out_size, planes;
};

Plane plane_of(const PoolParams& p) {
  Plane pl;
  pl.in_size = pl.out_size = 1;
  for (int i = 0; i < 3; ++i) {
    pl.in[i] = p.data_shape[2 + i];
    pl.out[i] = p.output_shape[2 + i];
    pl.in_size *= pl.in[i];
    pl.out_size *= pl.out[i];
  }
  pl.planes = p.data_shape[0] * p.data_shape[1];
  return pl;
}

// The windows of every output position along each axis, computed once per
// call rather than once per output.
struct Windows {
  std::vector<Range> axis[3];
};

Windows windows_of(const PoolParams& p, const Plane& pl) {
  Windows win;
  for (int i = 0; i < 3; ++i) {
    win.axis[i].reserve(static_cast<size_t>(pl.out[i]));
    for (int64_t o = 0; o < pl.out[i]; ++o)
      win.axis[i].push_back(window(o, p.kernel[i], p.stride[i], p.pad[i], pl.in[i]));
  }
  return win;
}

// Calls fn(output offset, window ranges) for every output of one plane.
template <class Fn> void for_windows(const Windows& win, const Plane& pl, Fn fn) {
  int64_t o = 0;
  for (const Range& d : win.axis[0])
    for (const Range& h : win.axis[1])
      for (const Range& w : win.axis[2]) fn(o++, d, h, w);
}

// The maximum of a window (-inf for an empty one; NaN if it holds a NaN, as
// in MXNet). No branch on the data: on real data the comparisons are
// unpredictable, and a mispredicted branch per element dominated.
template <class T> T max_in(const T* x, const Plane& pl, const Range& d, const Range& h, const Range& w) {
  T m = -std::numeric_limits<T>::infinity();
  bool nan = false;
  for (int64_t i = d.lo; i < d.hi; ++i)
    for (int64_t j = h.lo; j < h.hi; ++j) {
      const T* row = x + (i * pl.in[1] + j) * pl.in[2];
      for (int64_t k = w.lo; k < w.hi; ++k) {
        const T v = row[k];
        m = v > m ? v : m;
        nan |= v != v;
      }
    }
  return nan ? std::numeric_limits<T>::quiet_NaN() : m;
}

// Offset in the plane of the first maximum of a window (the first NaN if it
// holds one; -1 for an empty window).
template <class T> int64_t argmax_in(const T* x, const Plane& pl, const Range& d, const Range& h, const Range& w) {
  const T m = max_in(x, pl, d, h, w);
  const bool nan = m != m;
  int64_t best = -1, found = 0;
  for (int64_t i = d.lo; i < d.hi; ++i)
    for (int64_t j = h.lo; j < h.hi; ++j) {
      const int64_t row = (i * pl.in[1] + j) * pl.in[2];
      for (int64_t k = w.lo; k < w.hi; ++k) {
        const T v = x[row + k];
        const int64_t hit = (1 - found) & int64_t(nan ? v != v : v == m);
        best += hit * (row + k - best);
        found |= hit;
      }
    }
  return best;
}

// 2-D max pooling with 2x2 windows at stride 2 and no padding (LeNet's and
// VGG's): every window lies inside the data and none overlap, so a plane is
// two input rows per output row, in loops without per-window set-up that
// vectorise. The results equal the general path's.
bool is_max2x2(const PoolParams& p, const Plane& pl) {
  if (p.type != np::PoolType::Max || pl.in[0] != 1 || p.kernel[0] != 1) return false;
  for (int i = 1; i < 3; ++i)
    if (p.kernel[i] != 2 || p.stride[i] != 2 || p.pad[i] != 0 || 2 * pl.out[i] > pl.in[i]) return false;
  return true;
}

// The bits of v where `keep`, else +0: a select done with integer masks, so
// the loops below vectorise, and an infinite or NaN gradient does not spill
// into the other elements of a window (as 0 * inf would).
template <class T> inline T keep_if(bool keep, T v) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U u;
  std::memcpy(&u, &v, sizeof u);
  u &= U(0) - U(keep);
  std::memcpy(&v, &u, sizeof u);
  return v;
}
template <class T> inline T either(T a, T b) {  // of two keep_if results, at most one non-zero
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U x, y;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  x |= y;
  std::memcpy(&a, &x, sizeof x);
  return a;
}

// One window (v0 v1 / v2 v3): its maximum (NaN if it holds one) and which
// element is the first maximum (the first NaN if any).
template <class T> struct Max4 {
  T m;
  bool h0, h1, h2, h3;
};
template <class T> inline Max4<T> max4(T v0, T v1, T v2, T v3) {
  T m = v0;
  m = v1 > m ? v1 : m;
  m = v2 > m ? v2 : m;
  m = v3 > m ? v3 : m;
  const bool n0 = v0 != v0, n1 = v1 != v1, n2 = v2 != v2, n3 = v3 != v3;
  const bool nan = n0 | n1 | n2 | n3, num = !nan;
  // Bitwise, not short-circuit: no branch on the data.
  const bool h0 = (nan & n0) | (num & (v0 == m));
  const bool h1 = ((nan & n1) | (num & (v1 == m))) & !h0;
  const bool h2 = ((nan & n2) | (num & (v2 == m))) & !(h0 | h1);
  const bool h3 = !(h0 | h1 | h2);
  return {nan ? std::numeric_limits<T>::quiet_NaN() : m, h0, h1, h2, h3};
}

// Calls fn(first input row, second input row, output row index) per output row.
template <class T, class Fn> void for_row_pairs(const T* xp, const Plane& pl, Fn fn) {
  for (int64_t r = 0; r < pl.out[1]; ++r) {
    const T* a = xp + 2 * r * pl.in[2];
    fn(a, a + pl.in[2], r);
  }
}

template <class T> void max2x2_forward(const T* xp, T* yp, const Plane& pl) {
  const int64_t ow = pl.out[2];
  for_row_pairs(xp, pl, [&](const T* __restrict a, const T* __restrict b, int64_t r) {
    T* __restrict y = yp + r * ow;
    for (int64_t c = 0; c < ow; ++c) y[c] = max4(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]).m;
  });
}

// dx of one plane: dy at each window's first maximum, zero elsewhere.
template <class T> void max2x2_backward(const T* xp, const T* dyp, T* dxp, const Plane& pl) {
  const int64_t ow = pl.out[2], iw = pl.in[2];
  if (2 * pl.out[1] != pl.in[1] || 2 * ow != iw) std::fill(dxp, dxp + pl.in_size, T(0));
  for_row_pairs(xp, pl, [&](const T* __restrict a, const T* __restrict b, int64_t r) {
    T* __restrict da = dxp + 2 * r * iw;
    T* __restrict db = da + iw;
    const T* __restrict g = dyp + r * ow;
    for (int64_t c = 0; c < ow; ++c) {
      const Max4<T> q = max4(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]);
      da[2 * c] = keep_if(q.h0, g[c]);
      da[2 * c + 1] = keep_if(q.h1, g[c]);
      db[2 * c] = keep_if(q.h2, g[c]);
      db[2 * c + 1] = keep_if(q.h3, g[c]);
    }
  });
}

// g of one plane read at each window's first maximum.
template <class T> void max2x2_gather(const T* xp, const T* gp, T* yp, const Plane& pl) {
  const int64_t ow = pl.out[2], iw = pl.in[2];
  for_row_pairs(xp, pl, [&](const T* __restrict a, const T* __restrict b, int64_t r) {
    const T* __restrict ga = gp + 2 * r * iw;
    const T* __restrict gb = ga + iw;
    T* __restrict y = yp + r * ow;
    for (int64_t c = 0; c < ow; ++c) {
      const Max4<T> q = max4(a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]);
      y[c] = either(either(keep_if(q.h0, ga[2 * c]), keep_if(q.h1, ga[2 * c + 1])),
                    either(keep_if(q.h2, gb[2 * c]), keep_if(q.h3, gb[2 * c + 1])));
    }
  });
}

double divisor(const PoolParams& p, const Range& d, const Range& h, const Range& w) {
  if (p.type == np::PoolType::Sum) return 1.0;
  if (p.count_include_pad) return double(d.padded) * double(h.padded) * double(w.padded);
  return double(d.hi - d.lo) * double(h.hi - h.lo) * double(w.hi - w.lo);
}

template <class Fn> void for_planes(const Plane& pl, Fn fn) {
  const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, pl.in_size));
  kernels::for_range(pl.planes, grain, [&](int64_t b, int64_t e) {
    for (int64_t q = b; q < e; ++q) fn(q);
  });
}

void pooling_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const PoolParams& p = attrs.params<PoolParams>();
  const Plane pl = plane_of(p);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "pooling", {
    const T* x = in[0].data<T>();
    T* y = out[0].data<T>();
    if (is_max2x2(p, pl)) {
      for_planes(pl, [&](int64_t q) { max2x2_forward(x + q * pl.in_size, y + q * pl.out_size, pl); });
      return;
    }
    const Windows win = windows_of(p, pl);
    for_planes(pl, [&](int64_t q) {
      const T* xp = x + q * pl.in_size;
      T* yp = y + q * pl.out_size;
      for_windows(win, pl, [&](int64_t o, const Range& d, const Range& h, const Range& w) {
        if (p.type == np::PoolType::Max) {
          yp[o] = max_in(xp, pl, d, h, w);
          return;
        }
        double s = 0;
        for (int64_t i = d.lo; i < d.hi; ++i)
          for (int64_t j = h.lo; j < h.hi; ++j)
            for (int64_t k = w.lo; k < w.hi; ++k) s += xp[(i * pl.in[1] + j) * pl.in[2] + k];
        yp[o] = static_cast<T>(s / divisor(p, d, h, w));
      });
    });
  });
}

// inputs x, dy (output shape): dx (data shape).
void pooling_backward_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const PoolParams& p = attrs.params<PoolParams>();
  const Plane pl = plane_of(p);
  MXLITE_FLOAT_SWITCH(in[1].dtype(), T, "pooling", {
    const T* x = in[0].data<T>();
    const T* dy = in[1].data<T>();
    T* dx = out[0].data<T>();
    if (is_max2x2(p, pl)) {
      for_planes(
          pl, [&](int64_t q) { max2x2_backward(x + q * pl.in_size, dy + q * pl.out_size, dx + q * pl.in_size, pl); });
      return;
    }
    const Windows win = windows_of(p, pl);
    for_planes(pl, [&](int64_t q) {
      const T* xp = x + q * pl.in_size;
      const T* dyp = dy + q * pl.out_size;
      T* dxp = dx + q * pl.in_size;
      std::fill(dxp, dxp + pl.in_size, T(0));
      for_windows(win, pl, [&](int64_t o, const Range& d, const Range& h, const Range& w) {
        if (p.type == np::PoolType::Max) {
          const int64_t at = argmax_in(xp, pl, d, h, w);
          if (at >= 0) dxp[at] += dyp[o];
          return;
        }
        const T g = static_cast<T>(dyp[o] / divisor(p, d, h, w));
        for (int64_t i = d.lo; i < d.hi; ++i)
          for (int64_t j = h.lo; j < h.hi; ++j)
            for (int64_t k = w.lo; k < w.hi; ++k) dxp[(i * pl.in[1] + j) * pl.in[2] + k] += g;
      });
    });
  });
}

// inputs x, g (data shape): g at each window's first maximum (output shape).
void pooling_gather_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const PoolParams& p = attrs.params<PoolParams>();
  const Plane pl = plane_of(p);
  MXLITE_FLOAT_SWITCH(in[1].dtype(), T, "pooling", {
    const T* x = in[0].data<T>();
    const T* g = in[1].data<T>();
    T* y = out[0].data<T>();
    if (is_max2x2(p, pl)) {
      for_planes(pl,
                 [&](int64_t q) { max2x2_gather(x + q * pl.in_size, g + q * pl.in_size, y + q * pl.out_size, pl); });
      return;
    }
    const Windows win = windows_of(p, pl);
    for_planes(pl, [&](int64_t q) {
      const T* xp = x + q * pl.in_size;
      const T* gp = g + q * pl.in_size;
      T* yp = y + q * pl.out_size;
      for_windows(win, pl, [&](int64_t o, const Range& d, const Range& h, const Range& w) {
        const int64_t at = argmax_in(xp, pl, d, h, w);
        yp[o] = at < 0 ? T(0) : gp[at];
      });
    });
  });
}

// The text form of PoolParams, so graphs with pooling can be exported.
void encode_pool(const Attrs& attrs, AttrList& out) {
  const PoolParams& p = attrs.params<PoolParams>();
  out.emplace_back("pool_type", std::to_string(static_cast<int>(p.type)));
  out.emplace_back("kernel", ints_text(p.kernel, 3));
  out.emplace_back("stride", ints_text(p.stride, 3));
  out.emplace_back("pad", ints_text(p.pad, 3));
  out.emplace_back("count_include_pad", p.count_include_pad ? "1" : "0");
  out.emplace_back("data_shape", ints_text(p.data_shape.data(), p.data_shape.size()));
  out.emplace_back("output_shape", ints_text(p.output_shape.data(), p.output_shape.size()));
}
void decode_pool(const AttrList& in, Attrs& attrs) {
  const char* op = "Pooling";
  PoolParams p;
  auto ints = [&](const char* key) { return parse_ints(attr_value(in, key, op), op); };
  auto three = [&](const char* key, int64_t* dst) {
    const std::vector<int64_t> v = ints(key);
    MXLITE_CHECK(v.size() == 3, op, "saved attribute '", key, "' must have 3 values");
    std::copy(v.begin(), v.end(), dst);
  };
  const int64_t type = parse_ints("(" + attr_value(in, "pool_type", op) + ")", op).at(0);
  MXLITE_CHECK(type >= 0 && type <= static_cast<int64_t>(np::PoolType::Lp), op, "unknown saved pool_type ", type);
  p.type = static_cast<np::PoolType>(type);
  three("kernel", p.kernel);
  three("stride", p.stride);
  three("pad", p.pad);
  p.count_include_pad = attr_value(in, "count_include_pad", op) == "1";
  for (int64_t v : ints("data_shape")) p.data_shape.push_back(v);
  for (int64_t v : ints("output_shape")) p.output_shape.push_back(v);
  attrs.set_params(p);
}

const OpDef* pool_op = nullptr;
const OpDef* pool_backward_op = nullptr;
const OpDef* pool_gather_op = nullptr;

NDArray call(const OpDef* const& def, Span<NDArray> inputs, const PoolParams& p) {
  Attrs attrs;
  attrs.set_params(p);
  return invoke1(registered(def), inputs, attrs);
}

}  // namespace

void register_pooling_ops() {
  pool_op = &register_op("pooling")
                 .save_inputs({0})
                 .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                   out.push_back(TensorMeta{attrs.params<PoolParams>().output_shape, in[0].dtype()});
                 })
                 .set_kernel(pooling_kernel)
                 .set_params_codec(encode_pool, decode_pool)
                 .set_grad([](const GradCtx& g) -> ArrayList {
                   return {call(pool_backward_op, {g.input(0), g.ograd(0)}, g.attrs().params<PoolParams>())};
                 });
  // inputs x (read by max pooling only), dy.
  pool_backward_op = &register_op("pooling_backward")
                          .inputs(2)
                          .save_inputs({0})
                          .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                            out.push_back(TensorMeta{attrs.params<PoolParams>().data_shape, in[1].dtype()});
                          })
                          .set_kernel(pooling_backward_kernel)
                          .set_grad([](const GradCtx& g) -> ArrayList {
                            // Linear in dy; piecewise constant in x (its derivative there is zero).
                            const PoolParams& p = g.attrs().params<PoolParams>();
                            NDArray ddy = p.type == np::PoolType::Max
                                              ? call(pool_gather_op, {g.input(0), g.ograd(0)}, p)
                                              : call(pool_op, {g.ograd(0)}, p);
                            return {NDArray(), ddy};
                          });
  pool_gather_op =
      &register_op("pooling_gather")
           .inputs(2)
           .save_inputs({0})
           .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
             out.push_back(TensorMeta{attrs.params<PoolParams>().output_shape, in[1].dtype()});
           })
           .set_kernel(pooling_gather_kernel)
           .set_grad([](const GradCtx& g) -> ArrayList {
             return {NDArray(), call(pool_backward_op, {g.input(0), g.ograd(0)}, g.attrs().params<PoolParams>())};
           });
}

}  // namespace ops

namespace np {

NDArray pooling(const NDArray& x, const PoolOptions& opt) {
  const char* name = "Pooling";
  ops::check_float(x, name, "data");
  MXLITE_CHECK(x.ndim() >= 3 && x.ndim() <= 5, name, "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got ",
               x.shape());
  const size_t rank = x.ndim() - 2;
  ops::PoolParams p;
  p.type = opt.type == PoolType::Lp ? PoolType::Sum : opt.type;
  p.count_include_pad = opt.count_include_pad;
  p.data_shape = Shape{x.shape()[0], x.shape()[1]};
  for (size_t i = rank; i < 3; ++i) p.data_shape.push_back(1);
  for (size_t i = 2; i < x.ndim(); ++i) p.data_shape.push_back(x.shape()[i]);
  p.output_shape = Shape{x.shape()[0], x.shape()[1], 1, 1, 1};
  for (size_t i = 0; i < 3; ++i) {
    const int64_t in = p.data_shape[2 + i];
    const bool used = i >= 3 - rank;
    p.kernel[i] = opt.global_pool ? in : (used ? opt.kernel[i] : 1);
    p.stride[i] = opt.global_pool || !used ? 1 : opt.stride[i];
    p.pad[i] = opt.global_pool || !used ? 0 : opt.pad[i];
    MXLITE_CHECK(p.kernel[i] >= 1, name, "kernel extents must be positive (or global_pool=True), got ", p.kernel[i]);
    MXLITE_CHECK(p.stride[i] >= 1 && p.pad[i] >= 0, name, "stride must be positive and pad non-negative, got stride ",
                 p.stride[i], " and pad ", p.pad[i]);
    MXLITE_CHECK(p.pad[i] < p.kernel[i], name, "pad ", p.pad[i], " must be smaller than the kernel extent ",
                 p.kernel[i]);
    MXLITE_CHECK(p.kernel[i] <= in + 2 * p.pad[i], name, "kernel extent ", p.kernel[i],
                 " exceeds the padded data extent ", in + 2 * p.pad[i], " of data of shape ", x.shape());
    const int64_t span = in + 2 * p.pad[i] - p.kernel[i];
    int64_t o = opt.full_convention ? (span + p.stride[i] - 1) / p.stride[i] + 1 : span / p.stride[i] + 1;
    // As in Caffe: the last window must start inside the data or its leading padding.
    if (opt.full_convention && o > 1 && (o - 1) * p.stride[i] >= in + p.pad[i]) --o;
    p.output_shape[2 + i] = o;
  }
  Shape out = Shape{x.shape()[0], x.shape()[1]};
  for (size_t i = 3 - rank; i < 3; ++i) out.push_back(p.output_shape[2 + i]);
  auto pool = [&](const NDArray& a) {
    NDArray a5 = reshape(a, p.data_shape);
    return reshape(ops::call(ops::pool_op, {a5}, p), out);
  };
  if (opt.type != PoolType::Lp) return pool(x);
  // Lp pooling: (sum over the window of x^p)^(1/p), as MXNet (no absolute value).
  switch (opt.p_value) {
    case 1:
      return pool(x);
    case 2:
      return sqrt(pool(square(x)));
    case 3:
      return cbrt(pool(x * x * x));
    default:
      throw Error(name, concat("p_value must be 1, 2 or 3 for Lp pooling, got ", opt.p_value));
  }
}

}  // namespace np
}  // namespace mxlite
