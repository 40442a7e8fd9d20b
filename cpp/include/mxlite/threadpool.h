// mxlite: a fixed pool of worker threads for splitting large kernels.
#pragma once

#include <cstdint>
#include <functional>

namespace mxlite {

/// Number of threads kernels may use (workers + the calling thread). Read once
/// from MXLITE_NUM_THREADS, else OMP_NUM_THREADS, else the number of cores.
int num_threads();
/// Changes the pool size (>= 1). Not to be called while kernels are running.
void set_num_threads(int n);

/// Calls fn(begin, end) over disjoint chunks that together cover [0, n).
/// Runs inline, as one call, when n < grain, when the pool has one thread, or
/// when already called from inside a pool task (nested use never deadlocks).
/// Chunk boundaries depend only on n, grain and the thread count, so results
/// of per-chunk work are reproducible. The first exception thrown by any chunk
/// is rethrown on the calling thread after all chunks finish.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace mxlite
