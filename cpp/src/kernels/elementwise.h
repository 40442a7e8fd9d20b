// mxlite (internal): elementwise loops - unary maps and broadcasting binary
// maps - written so the compiler vectorises the contiguous inner loops.
#pragma once

#include <cstdint>

#include "kernels/parallel.h"
#include "mxlite/shape.h"

namespace mxlite {
namespace kernels {

/// y[i] = f(x[i]).
template <class In, class Out, class F> void map_unary(const In* x, Out* y, int64_t n, F f) {
  for_range(n, kParallelGrain, [=](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) y[i] = f(x[i]);
  });
}

/// The iteration space of a broadcasting binary op after merging dimensions
/// that are contiguous in all three arrays and dropping extents of 1.
struct BroadcastPlan {
  Dims shape;      // collapsed output extents
  Dims a_strides;  // element strides of a per collapsed dim (0 = broadcast)
  Dims b_strides;
};

BroadcastPlan plan_broadcast(const Shape& a, const Shape& b, const Shape& out);

template <class T, class R, class F>
inline void binary_inner(const T* a, int64_t sa, const T* b, int64_t sb, R* out, int64_t n, F f) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (sa == 0 && sb == 1) {
    const T av = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(av, b[i]);
  } else if (sa == 1 && sb == 0) {
    const T bv = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i * sa], b[i * sb]);
  }
}

/// out = f(a, b) with NumPy broadcasting; `out_shape` is the broadcast shape.
template <class T, class R, class F>
void map_binary(const T* a, const Shape& a_shape, const T* b, const Shape& b_shape, R* out, const Shape& out_shape,
                F f) {
  const int64_t n = shape_size(out_shape);
  if (n == 0) return;
  const int64_t na = shape_size(a_shape), nb = shape_size(b_shape);
  if (na == n && nb == n) {
    for_range(n, kParallelGrain, [=](int64_t s, int64_t e) { binary_inner(a + s, 1, b + s, 1, out + s, e - s, f); });
    return;
  }
  if (na == 1 && nb == n) {
    for_range(n, kParallelGrain, [=](int64_t s, int64_t e) { binary_inner(a, 0, b + s, 1, out + s, e - s, f); });
    return;
  }
  if (nb == 1 && na == n) {
    for_range(n, kParallelGrain, [=](int64_t s, int64_t e) { binary_inner(a + s, 1, b, 0, out + s, e - s, f); });
    return;
  }
  BroadcastPlan p = plan_broadcast(a_shape, b_shape, out_shape);
  const size_t nd = p.shape.size();
  const int64_t inner = p.shape[nd - 1];
  const int64_t sa = p.a_strides[nd - 1], sb = p.b_strides[nd - 1];
  const int64_t rows = n / inner;
  int64_t grain = kParallelGrain / inner;
  for_range(rows, grain < 1 ? 1 : grain, [&](int64_t r0, int64_t r1) {
    // Offsets of row r0, then advanced like an odometer over the outer dims.
    Dims idx(nd, 0);
    int64_t rem = r0, oa = 0, ob = 0;
    for (size_t d = nd - 1; d-- > 0;) {
      idx[d] = rem % p.shape[d];
      rem /= p.shape[d];
      oa += idx[d] * p.a_strides[d];
      ob += idx[d] * p.b_strides[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
      binary_inner(a + oa, sa, b + ob, sb, out + r * inner, inner, f);
      for (size_t d = nd - 1; d-- > 0;) {
        oa += p.a_strides[d];
        ob += p.b_strides[d];
        if (++idx[d] < p.shape[d]) break;
        oa -= idx[d] * p.a_strides[d];
        ob -= idx[d] * p.b_strides[d];
        idx[d] = 0;
      }
    }
  });
}

}  // namespace kernels
}  // namespace mxlite

namespace mxlite {
namespace kernels {

/// out = x broadcast to out_shape.
template <class T> void broadcast_copy(const T* x, const Shape& x_shape, T* out, const Shape& out_shape) {
  map_binary(x, x_shape, x, Shape{}, out, out_shape, [](T v, T) { return v; });
}

/// out = x with its axes permuted: out axis i is x axis perm[i].
template <class T> void permute_copy(const T* x, const Shape& x_shape, const Axes& perm, T* out) {
  const size_t nd = perm.size();
  const int64_t n = shape_size(x_shape);
  if (n == 0) return;
  Dims xs = contiguous_strides(x_shape);
  Shape os(nd, 0);
  Dims st(nd, 0);  // input stride of each output axis
  for (size_t i = 0; i < nd; ++i) {
    os[i] = x_shape[perm[i]];
    st[i] = xs[perm[i]];
  }
  if (nd == 0) {
    out[0] = x[0];
    return;
  }
  const int64_t inner = os[nd - 1], inner_stride = st[nd - 1];
  const int64_t rows = n / inner;
  int64_t grain = kParallelGrain / inner;
  for_range(rows, grain < 1 ? 1 : grain, [&](int64_t r0, int64_t r1) {
    Dims idx(nd, 0);
    int64_t rem = r0, off = 0;
    for (size_t d = nd - 1; d-- > 0;) {
      idx[d] = rem % os[d];
      rem /= os[d];
      off += idx[d] * st[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
      T* o = out + r * inner;
      const T* s = x + off;
      for (int64_t j = 0; j < inner; ++j) o[j] = s[j * inner_stride];
      for (size_t d = nd - 1; d-- > 0;) {
        off += st[d];
        if (++idx[d] < os[d]) break;
        off -= idx[d] * st[d];
        idx[d] = 0;
      }
    }
  });
}

}  // namespace kernels
}  // namespace mxlite
