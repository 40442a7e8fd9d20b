// mxlite (internal): per-thread scratch for kernels, so that a kernel run
// allocates nothing per step or task.
#pragma once

#include <cstdint>
#include <vector>

namespace mxlite {
namespace kernels {

/// At least n elements of this thread's scratch of type T: grow-only, kept
/// between calls, never zero-filled. One buffer per thread and T, shared by
/// every caller, so the pointer is valid until this thread's next call.
template <class T> T* thread_scratch(int64_t n) {
  thread_local std::vector<T> buf;
  if (buf.size() < static_cast<size_t>(n)) buf.resize(static_cast<size_t>(n));
  return buf.data();
}

}  // namespace kernels
}  // namespace mxlite
