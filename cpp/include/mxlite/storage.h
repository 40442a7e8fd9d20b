// mxlite: reference-counted, 64-byte aligned buffers with a version counter.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "mxlite/context.h"

namespace mxlite {

/// One block of memory that arrays (and their views) share. Every in-place
/// write bumps `version`, so the autograd engine can tell when an array it
/// saved for a gradient was changed behind its back.
class Storage {
 public:
  /// A fresh, uninitialised buffer of at least `nbytes` bytes, 64-byte aligned.
  /// Freed buffers are cached by size class and handed out again, which keeps
  /// the page-fault cost of large temporaries off the hot path.
  static std::shared_ptr<Storage> allocate(size_t nbytes, Context ctx = Context::cpu());
  /// Wraps memory owned elsewhere; `release` runs when the last user is gone.
  static std::shared_ptr<Storage> wrap(void* data, size_t nbytes, std::function<void()> release);

  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage();

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Context context() const { return ctx_; }
  uint64_t version() const { return version_.load(std::memory_order_relaxed); }
  void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

  /// Drops every cached free block (tests use it to check memory is returned).
  static void release_cached();
  /// Bytes currently held by live Storage objects allocated by mxlite.
  static size_t live_bytes();

  Storage(void* data, size_t nbytes, size_t bucket, Context ctx, std::function<void()> release);

 private:
  void* data_;
  size_t nbytes_;
  size_t bucket_;  // size class for the cache; SIZE_MAX for wrapped memory
  Context ctx_;
  std::atomic<uint64_t> version_{0};
  std::function<void()> release_;
};

}  // namespace mxlite
