#include "mxlite/threadpool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "kernels/gemm.h"

namespace mxlite {
namespace {

thread_local bool t_inside_pool_task = false;

int threads_from_env() {
  for (const char* var : {"MXLITE_NUM_THREADS", "OMP_NUM_THREADS"}) {
    if (const char* v = std::getenv(var)) {
      int n = std::atoi(v);
      if (n >= 1) return n;
    }
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? static_cast<int>(hw) : 1;
}

// Waits by spinning a short while before sleeping: back-to-back ops (an MLP
// step issues hundreds) then find their workers awake, instead of paying a
// futex wake-up of tens of microseconds per op.
template <class Pred> bool spin_until(Pred ready) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::microseconds(50);
  for (int i = 0;; ++i) {
    if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if ((i & 63) == 63 && clock::now() > deadline) return ready();
  }
}

// One job at a time: the caller takes chunks too, workers take the rest.
class Pool {
 public:
  explicit Pool(int threads) : threads_(threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_.store(true);
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }
  int threads() const { return threads_; }

  // Returns false (and runs nothing) when another job holds the pool.
  bool try_run(int64_t n, int64_t chunk, int chunks, const std::function<void(int64_t, int64_t)>& fn) {
    std::unique_lock<std::mutex> submit(submit_mu_, std::try_to_lock);
    if (!submit.owns_lock()) return false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_.store(&fn);
      n_.store(n);
      chunk_.store(chunk);
      chunks_.store(chunks);
      pending_.store(chunks);
      error_ = nullptr;
      next_.store(0);  // last: a worker that claims a chunk sees the job's fields
      job_.fetch_add(1);
    }
    wake_.notify_all();
    run_chunks();
    if (!spin_until([this] { return pending_.load() == 0; })) {
      std::unique_lock<std::mutex> lock(mu_);
      done_.wait(lock, [this] { return pending_.load() == 0; });
    }
    if (error_) std::rethrow_exception(error_);
    return true;
  }

 private:
  void run_chunks() {
    bool was_inside = t_inside_pool_task;
    t_inside_pool_task = true;
    int c;
    while ((c = next_.fetch_add(1)) < chunks_.load()) {
      const int64_t chunk = chunk_.load();
      int64_t begin = c * chunk, end = std::min(n_.load(), begin + chunk);
      try {
        (*fn_.load())(begin, end);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mu_);
        if (!error_) error_ = std::current_exception();
      }
      if (pending_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_.notify_all();
      }
    }
    t_inside_pool_task = was_inside;
  }

  void work() {
    uint64_t seen = 0;
    for (;;) {
      if (!spin_until([&] { return stop_.load() || job_.load() != seen; })) {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return stop_.load() || job_.load() != seen; });
      }
      if (stop_.load()) return;
      seen = job_.load();
      run_chunks();
    }
  }

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex submit_mu_, mu_, error_mu_;
  std::condition_variable wake_, done_;
  std::atomic<const std::function<void(int64_t, int64_t)>*> fn_{nullptr};
  std::atomic<int64_t> n_{0}, chunk_{0};
  std::atomic<int> chunks_{0}, next_{0}, pending_{0};
  std::exception_ptr error_;
  std::atomic<uint64_t> job_{0};
  std::atomic<bool> stop_{false};
};

std::mutex g_pool_mu;
Pool* g_pool = nullptr;  // deliberately never destroyed at exit: workers may be parked

Pool& pool() {
  std::lock_guard<std::mutex> lock(g_pool_mu);
  if (!g_pool) g_pool = new Pool(threads_from_env());
  return *g_pool;
}

}  // namespace

int num_threads() { return pool().threads(); }

void set_num_threads(int n) {
  if (n < 1) n = 1;
  std::lock_guard<std::mutex> lock(g_pool_mu);
  delete g_pool;
  g_pool = new Pool(n);
  kernels::blas_set_num_threads(n);  // BLAS threads follow the pool: no oversubscription
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  Pool& p = pool();
  int threads = p.threads();
  if (n < 2 * grain || threads == 1 || t_inside_pool_task) {
    fn(0, n);
    return;
  }
  int chunks = static_cast<int>(std::min<int64_t>(threads, n / grain));
  int64_t chunk = (n + chunks - 1) / chunks;
  chunks = static_cast<int>((n + chunk - 1) / chunk);
  if (p.try_run(n, chunk, chunks, fn)) return;
  // The pool is busy with another caller's job: same chunks, on this thread.
  for (int c = 0; c < chunks; ++c) fn(c * chunk, std::min(n, (c + 1) * chunk));
}

}  // namespace mxlite
