#include "mxlite/storage.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "mxlite/base.h"

namespace mxlite {
namespace {

constexpr size_t kAlign = 64;
constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kNotCached = SIZE_MAX;

// Size classes: multiples of 64 below 1 KiB, then four classes per power of
// two (at most 25% slack), so a freed buffer fits the next request of about
// the same size.
size_t size_class(size_t n) {
  if (n <= 1024) return (n + kAlign - 1) / kAlign * kAlign + (n == 0 ? kAlign : 0);
  size_t p = size_t(1) << (63 - __builtin_clzll(n - 1));  // largest power of two < n
  size_t step = p / 4;
  return (n + step - 1) / step * step;
}

size_t cache_limit() {
  static const size_t limit = [] {
    const char* env = std::getenv("MXLITE_CACHE_BYTES");
    return env ? static_cast<size_t>(std::strtoull(env, nullptr, 10)) : (size_t(1) << 30);
  }();
  return limit;
}

// Freed buffers by size class. Large blocks dominate the cost of fresh
// allocations (page faults on first touch), so reusing them pays off.
struct BlockCache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_blocks;
  size_t cached_bytes = 0;
  std::atomic<size_t> live_bytes{0};

  void* take(size_t cls) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = free_blocks.find(cls);
    if (it == free_blocks.end() || it->second.empty()) return nullptr;
    void* p = it->second.back();
    it->second.pop_back();
    cached_bytes -= cls;
    return p;
  }
  bool give(void* p, size_t cls) {
    std::lock_guard<std::mutex> lock(mu);
    if (cached_bytes + cls > cache_limit()) return false;
    free_blocks[cls].push_back(p);
    cached_bytes += cls;
    return true;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& kv : free_blocks)
      for (void* p : kv.second) std::free(p);
    free_blocks.clear();
    cached_bytes = 0;
  }
  ~BlockCache() { clear(); }
};

BlockCache& cache() {
  static BlockCache* c = new BlockCache();  // never destroyed: storages may outlive static teardown
  return *c;
}

void* fresh_block(size_t cls) {
  size_t align = cls >= kHugePage ? kHugePage : kAlign;
  void* p = std::aligned_alloc(align, (cls + align - 1) / align * align);
  if (!p) throw OutOfMemoryError("allocate", concat("out of memory allocating ", cls, " bytes"));
#ifdef MADV_HUGEPAGE
  // Fewer page faults on the first touch of large buffers.
  if (cls >= kHugePage) madvise(p, cls, MADV_HUGEPAGE);
#endif
  return p;
}

}  // namespace

Storage::Storage(void* data, size_t nbytes, size_t bucket, Context ctx, std::function<void()> release)
    : data_(data), nbytes_(nbytes), bucket_(bucket), ctx_(ctx), release_(std::move(release)) {}

namespace {
thread_local Context current_default_context = Context::cpu();
}  // namespace

Context default_context() { return current_default_context; }

ContextScope::ContextScope(Context ctx) : previous_(current_default_context) { current_default_context = ctx; }
ContextScope::~ContextScope() { current_default_context = previous_; }

std::shared_ptr<Storage> Storage::allocate(size_t nbytes, Context ctx) {
  size_t cls = size_class(nbytes);
  void* p = cache().take(cls);
  if (!p) p = fresh_block(cls);
  cache().live_bytes.fetch_add(cls, std::memory_order_relaxed);
  return std::make_shared<Storage>(p, nbytes, cls, ctx, nullptr);
}

std::shared_ptr<Storage> Storage::wrap(void* data, size_t nbytes, std::function<void()> release) {
  return std::make_shared<Storage>(data, nbytes, kNotCached, default_context(), std::move(release));
}

Storage::~Storage() {
  if (bucket_ == kNotCached) {
    if (release_) release_();
    return;
  }
  cache().live_bytes.fetch_sub(bucket_, std::memory_order_relaxed);
  if (!cache().give(data_, bucket_)) std::free(data_);
}

void Storage::release_cached() { cache().clear(); }

size_t Storage::live_bytes() { return cache().live_bytes.load(std::memory_order_relaxed); }

}  // namespace mxlite
