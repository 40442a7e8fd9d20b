// mxlite (internal): run a loop inline when small, over the pool when large.
#pragma once

#include <cstdint>
#include <functional>

#include "mxlite/threadpool.h"

namespace mxlite {
namespace kernels {

/// Elements below which a loop runs on the calling thread: waking workers
/// costs more than it saves for less work than this.
constexpr int64_t kParallelGrain = int64_t(1) << 15;

/// Calls fn(begin, end) over [0, n), in parallel when n is large. Small loops
/// never build a std::function, so tiny ops pay nothing for the pool.
template <class Fn> inline void for_range(int64_t n, int64_t grain, Fn&& fn) {
  if (n < 2 * grain) {
    if (n > 0) fn(int64_t(0), n);
    return;
  }
  parallel_for(n, grain, std::function<void(int64_t, int64_t)>(fn));
}

/// parts[0, size) += parts[q * size, (q + 1) * size) for q = 1 .. count - 1,
/// in that order: the per-task partial sums of a reduction added so that the
/// result does not depend on scheduling.
template <class T> inline void sum_partials(T* parts, int64_t count, int64_t size) {
  for (int64_t q = 1; q < count; ++q)
    for (int64_t i = 0; i < size; ++i) parts[i] += parts[q * size + i];
}

}  // namespace kernels
}  // namespace mxlite
