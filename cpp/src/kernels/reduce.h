// mxlite (internal): reductions over any set of axes, as a sequence of
// (outer, reduced, inner) passes over contiguous memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/parallel.h"
#include "mxlite/shape.h"

namespace mxlite {
namespace kernels {

/// The input seen as blocks of kept (K) and reduced (R) dims, merged where
/// adjacent dims share a role and extents of 1 dropped.
struct ReducePlan {
  Dims extents;
  std::vector<bool> reduced;
};

ReducePlan plan_reduce(const Shape& in, const Axes& axes_sorted);

/// Reduces x over the axes described by `plan` into out (shape = kept dims).
/// Op provides: `Acc init()`, `Acc combine(Acc, T)`, `Acc merge(Acc, Acc)` and
/// `R finish(Acc, int64_t count)`. The order of combination depends only on
/// the shapes and the thread count, so results are reproducible.
template <class T, class R, class Op>
void reduce(const T* x, const ReducePlan& plan, R* out, Op op);

// ---------------------------------------------------------------------------

namespace detail {

// out[o*inner + j] = reduce_r x[(o*n_red + r)*inner + j], with a partial
// accumulator per output element.
template <class T, class Acc, class Op>
void reduce_pass(const T* x, int64_t outer, int64_t n_red, int64_t inner, Acc* out, Op op) {
  if (inner == 1) {
    // Rows: several independent accumulators let the loop vectorise.
    constexpr int kLanes = 8;
    auto row = [&](int64_t o) {
      const T* p = x + o * n_red;
      Acc lanes[kLanes];
      for (int l = 0; l < kLanes; ++l) lanes[l] = op.init();
      int64_t r = 0;
      for (; r + kLanes <= n_red; r += kLanes)
        for (int l = 0; l < kLanes; ++l) lanes[l] = op.combine(lanes[l], p[r + l]);
      Acc acc = op.init();
      for (int l = 0; l < kLanes; ++l) acc = op.merge(acc, lanes[l]);
      for (; r < n_red; ++r) acc = op.combine(acc, p[r]);
      out[o] = acc;
    };
    if (outer == 1 && n_red >= 2 * kParallelGrain) {
      // One long row: fixed-size chunks reduced in parallel, merged in order.
      const int64_t chunk = kParallelGrain;
      const int64_t chunks = (n_red + chunk - 1) / chunk;
      std::vector<Acc> partial(chunks);
      for_range(chunks, 1, [&](int64_t c0, int64_t c1) {
        for (int64_t c = c0; c < c1; ++c) {
          int64_t len = std::min(chunk, n_red - c * chunk);
          reduce_pass<T, Acc, Op>(x + c * chunk, 1, len, 1, &partial[c], op);
        }
      });
      Acc acc = op.init();
      for (const Acc& p : partial) acc = op.merge(acc, p);
      out[0] = acc;
      return;
    }
    int64_t grain = kParallelGrain / (n_red > 0 ? n_red : 1);
    for_range(outer, grain < 1 ? 1 : grain, [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; ++o) row(o);
    });
    return;
  }
  // Columns: walk the reduced dim outside so the inner loop is contiguous.
  int64_t grain = kParallelGrain / (n_red * inner > 0 ? n_red * inner : 1);
  for_range(outer, grain < 1 ? 1 : grain, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      Acc* dst = out + o * inner;
      for (int64_t j = 0; j < inner; ++j) dst[j] = op.init();
      const T* src = x + o * n_red * inner;
      for (int64_t r = 0; r < n_red; ++r) {
        const T* s = src + r * inner;
        for (int64_t j = 0; j < inner; ++j) dst[j] = op.combine(dst[j], s[j]);
      }
    }
  });
}

}  // namespace detail

template <class T, class R, class Op>
void reduce(const T* x, const ReducePlan& plan, R* out, Op op) {
  using Acc = decltype(op.init());
  Dims ext = plan.extents;
  std::vector<bool> red = plan.reduced;
  int64_t out_n = 1, count = 1;
  for (size_t i = 0; i < ext.size(); ++i) (red[i] ? count : out_n) *= ext[i];
  if (count == 0 || ext.empty() || std::none_of(red.begin(), red.end(), [](bool r) { return r; })) {
    // Nothing reduced (or nothing to reduce over): each output sees `count` elements.
    for (int64_t i = 0; i < out_n; ++i) out[i] = op.finish(count == 0 ? op.init() : op.combine(op.init(), x[i]), count);
    return;
  }
  // The innermost reduced block first; its partial results feed the next pass
  // as accumulators (merged, not re-combined, so e.g. argmax state survives).
  size_t last = ext.size();
  while (!red[last - 1]) --last;
  int64_t inner = 1;
  for (size_t i = last; i < ext.size(); ++i) inner *= ext[i];
  int64_t outer = 1;
  for (size_t i = 0; i + 1 < last; ++i) outer *= ext[i];
  std::vector<Acc> acc(static_cast<size_t>(outer * inner));
  detail::reduce_pass<T, Acc, Op>(x, outer, ext[last - 1], inner, acc.data(), op);
  ext.erase(last - 1);
  red.erase(red.begin() + (last - 1));
  // Remaining reduced blocks (rare: non-adjacent axes) fold the accumulators.
  while (std::any_of(red.begin(), red.end(), [](bool r) { return r; })) {
    size_t blk = ext.size();
    while (!red[blk - 1]) --blk;
    int64_t in2 = 1, out2 = 1;
    for (size_t i = blk; i < ext.size(); ++i) in2 *= ext[i];
    for (size_t i = 0; i + 1 < blk; ++i) out2 *= ext[i];
    int64_t n2 = ext[blk - 1];
    std::vector<Acc> next(static_cast<size_t>(out2 * in2), op.init());
    for (int64_t o = 0; o < out2; ++o)
      for (int64_t r = 0; r < n2; ++r)
        for (int64_t j = 0; j < in2; ++j)
          next[o * in2 + j] = op.merge(next[o * in2 + j], acc[(o * n2 + r) * in2 + j]);
    acc.swap(next);
    ext.erase(blk - 1);
    red.erase(red.begin() + (blk - 1));
  }
  for (size_t i = 0; i < acc.size(); ++i) out[i] = op.finish(acc[i], count);
}

}  // namespace kernels
}  // namespace mxlite
