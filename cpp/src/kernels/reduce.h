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
template <class T, class R, class Op> void reduce(const T* x, const ReducePlan& plan, R* out, Op op);

/// Like reduce(), but every output combines its elements one at a time in the
/// input's row-major order, starting from op.init() (merge is never called):
/// the order NumPy multiplies in, which decides where a floating-point product
/// overflows and meets 0 (inf * 0). Parallel over outputs only.
template <class T, class R, class Op> void reduce_in_order(const T* x, const ReducePlan& plan, R* out, Op op);

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

template <class T, class R, class Op> void reduce(const T* x, const ReducePlan& plan, R* out, Op op) {
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
        for (int64_t j = 0; j < in2; ++j) next[o * in2 + j] = op.merge(next[o * in2 + j], acc[(o * n2 + r) * in2 + j]);
    acc.swap(next);
    ext.erase(blk - 1);
    red.erase(red.begin() + (blk - 1));
  }
  for (size_t i = 0; i < acc.size(); ++i) out[i] = op.finish(acc[i], count);
}

template <class T, class R, class Op> void reduce_in_order(const T* x, const ReducePlan& plan, R* out, Op op) {
  using Acc = decltype(op.init());
  const Dims& ext = plan.extents;
  const size_t nd = ext.size();
  int64_t out_n = 1, count = 1;
  for (size_t i = 0; i < nd; ++i) (plan.reduced[i] ? count : out_n) *= ext[i];
  if (out_n == 0) return;
  if (count == 0 || count == 1 || nd == 0) {
    // Each output sees no element, or exactly one.
    for (int64_t i = 0; i < out_n; ++i) out[i] = op.finish(count == 0 ? op.init() : op.combine(op.init(), x[i]), count);
    return;
  }
  // Element strides of every block in the input and in the output (0 for reduced blocks).
  std::vector<int64_t> in_stride(nd), out_stride(nd);
  int64_t is = 1, os = 1;
  for (size_t d = nd; d-- > 0;) {
    in_stride[d] = is;
    is *= ext[d];
    out_stride[d] = plan.reduced[d] ? 0 : os;
    if (!plan.reduced[d]) os *= ext[d];
  }
  // Threads split the first kept block: each output belongs to one of its
  // indices, so every output still sees its elements in order.
  size_t split = 0;
  while (split < nd && plan.reduced[split]) ++split;
  std::vector<Acc> acc(static_cast<size_t>(out_n), op.init());
  auto visit = [&](auto&& self, size_t d, int64_t lo, int64_t hi, const T* in, Acc* o) -> void {
    if (d + 1 == nd) {
      if (plan.reduced[d]) {
        Acc a = *o;
        for (int64_t r = lo; r < hi; ++r) a = op.combine(a, in[r]);
        *o = a;
      } else {
        for (int64_t j = lo; j < hi; ++j) o[j] = op.combine(o[j], in[j]);
      }
      return;
    }
    for (int64_t i = lo; i < hi; ++i) self(self, d + 1, 0, ext[d + 1], in + i * in_stride[d], o + i * out_stride[d]);
  };
  // Runs blocks [0, d) whole and block d over [i0, i1).
  auto run = [&](auto&& self, size_t d, size_t target, int64_t i0, int64_t i1, const T* in, Acc* o) -> void {
    if (d == target) {
      visit(visit, d, i0, i1, in, o);
      return;
    }
    for (int64_t i = 0; i < ext[d]; ++i)
      self(self, d + 1, target, i0, i1, in + i * in_stride[d], o + i * out_stride[d]);
  };
  if (split == nd) {
    visit(visit, 0, 0, ext[0], x, acc.data());
  } else {
    const int64_t per_index = std::max<int64_t>(1, (out_n * count) / ext[split]);
    const int64_t grain = std::max<int64_t>(1, kParallelGrain / per_index);
    for_range(ext[split], grain, [&](int64_t i0, int64_t i1) { run(run, 0, split, i0, i1, x, acc.data()); });
  }
  for (int64_t i = 0; i < out_n; ++i) out[i] = op.finish(acc[static_cast<size_t>(i)], count);
}

}  // namespace kernels
}  // namespace mxlite
