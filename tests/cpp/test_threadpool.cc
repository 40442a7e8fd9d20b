// The thread pool: coverage, chunking, nesting, exceptions, concurrent callers.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {
bool covers_each_index_once(int64_t n, int64_t grain) {
  std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
  parallel_for(n, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
  });
  for (auto& h : hits)
    if (h.load() != 1) return false;
  return true;
}

std::set<std::pair<int64_t, int64_t>> chunks_of(int64_t n, int64_t grain) {
  std::mutex mu;
  std::set<std::pair<int64_t, int64_t>> chunks;
  parallel_for(n, grain, [&](int64_t b, int64_t e) {
    std::lock_guard<std::mutex> lock(mu);
    chunks.insert({b, e});
  });
  return chunks;
}
}  // namespace

TEST(thread_count_can_be_set_and_read) {
  int original = num_threads();
  CHECK(original >= 1);
  set_num_threads(3);
  CHECK(num_threads() == 3);
  set_num_threads(0);  // clamped
  CHECK(num_threads() == 1);
  set_num_threads(original);
  CHECK(num_threads() == original);
}

TEST(parallel_for_covers_every_index_once_for_any_size) {
  int original = num_threads();
  for (int threads : {1, 2, 3, 4}) {
    set_num_threads(threads);
    for (int64_t n : {0, 1, 7, 99, 100, 101, 1000, 4097, 100003})
      for (int64_t grain : {1, 10, 100, 50000}) CHECK(covers_each_index_once(n, grain));
  }
  set_num_threads(original);
}

TEST(chunks_are_disjoint_and_reproducible) {
  int original = num_threads();
  set_num_threads(4);
  auto first = chunks_of(100000, 1000);
  CHECK(first.size() == 4);  // one chunk per thread above the grain
  int64_t expected_begin = 0;
  for (auto& c : first) {
    CHECK(c.first == expected_begin && c.second > c.first);
    expected_begin = c.second;
  }
  CHECK(expected_begin == 100000);
  for (int i = 0; i < 10; ++i) CHECK(chunks_of(100000, 1000) == first);
  CHECK(chunks_of(500, 1000).size() == 1);  // below the grain: one inline call
  set_num_threads(original);
}

TEST(nested_parallel_for_does_not_deadlock) {
  int original = num_threads();
  set_num_threads(4);
  std::atomic<int64_t> total{0};
  parallel_for(64, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i)
      parallel_for(1000, 10, [&](int64_t b2, int64_t e2) {
        parallel_for(e2 - b2, 1, [&](int64_t b3, int64_t e3) { total += e3 - b3; });
      });
  });
  CHECK(total.load() == 64000);
  set_num_threads(original);
}

TEST(exceptions_propagate_and_the_pool_stays_usable) {
  int original = num_threads();
  set_num_threads(4);
  for (int64_t bad_chunk_start : {int64_t(0), int64_t(75000)}) {
    bool caught = false;
    try {
      parallel_for(100000, 100, [&](int64_t b, int64_t e) {
        if (b <= bad_chunk_start && bad_chunk_start < e) throw Error("test", "boom");
      });
    } catch (const Error& e) {
      caught = std::string(e.what()) == "test: boom";
    }
    CHECK(caught);
    CHECK(covers_each_index_once(100000, 100));
  }
  set_num_threads(original);
}

TEST(concurrent_callers_from_several_threads) {
  // Only one caller holds the pool at a time; the others run their chunks
  // inline. Every caller must still see every index exactly once.
  int original = num_threads();
  set_num_threads(3);
  std::atomic<int> ok{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int rep = 0; rep < 20; ++rep)
        if (covers_each_index_once(20000, 100)) ++ok;
    });
  for (auto& t : callers) t.join();
  CHECK(ok.load() == 80);
  set_num_threads(original);
}

TEST(large_kernels_match_across_thread_counts) {
  // A reduction and an elementwise op big enough to be split over the pool.
  NDArray x = np::random_uniform(-1, 1, {300001}, DType::Float64);
  int original = num_threads();
  set_num_threads(1);
  double sum1 = np::sum(x).item();
  std::vector<double> exp1 = np::exp(x).to_vector<double>();
  set_num_threads(4);
  double sum4 = np::sum(x).item();
  std::vector<double> exp4 = np::exp(x).to_vector<double>();
  CHECK_NEAR(sum1, sum4, 1e-9);
  CHECK(exp1 == exp4);
  CHECK(np::sum(x).item() == sum4);  // same thread count: bit-identical
  set_num_threads(original);
}

int main() { return check::run_all(); }
