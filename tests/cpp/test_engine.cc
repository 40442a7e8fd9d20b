// Engine tests that need no Python: storage and views, the registry,
// broadcasting, the backward executor and the thread pool.
#include <atomic>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

TEST(views_share_storage_and_versions) {
  NDArray x = np::arange(0, 6);
  NDArray v = np::reshape(x, {2, 3});
  CHECK(v.shares_storage(x));
  uint64_t before = x.storage()->version();
  v.fill(1.0);
  CHECK(x.storage()->version() > before);
  CHECK(x.to_vector<float>() == std::vector<float>(6, 1.0f));
}

TEST(registry_lists_and_rejects) {
  auto names = list_ops();
  CHECK(std::find(names.begin(), names.end(), "multiply") != names.end());
  CHECK_THROWS(op("no_such_op"));
  CHECK_THROWS(register_op("add"));
}

TEST(broadcasting_binary) {
  NDArray a = NDArray::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  NDArray b = NDArray::from_vector<float>({10, 20, 30}, {3});
  NDArray c = a + b;
  CHECK(c.shape() == Shape({2, 3}));
  CHECK(c.to_vector<float>() == std::vector<float>({11, 22, 33, 14, 25, 36}));
  NDArray col = NDArray::from_vector<float>({1, 2}, {2, 1});
  CHECK((a * col).to_vector<float>() == std::vector<float>({1, 2, 3, 8, 10, 12}));
  CHECK_THROWS(a + np::ones({4}));
}

TEST(backward_fan_out_and_retain_graph) {
  NDArray x = NDArray::from_vector<double>({3.0}, {1});
  x.attach_grad(GradReq::Add);
  NDArray y;
  {
    autograd::Record rec;
    y = x * x + x * 2.0 + x;  // dy/dx = 2x + 3 = 9
  }
  y.backward(NDArray(), /*retain_graph=*/true);
  CHECK_NEAR(x.grad().item(), 9.0, 1e-12);
  y.backward();
  CHECK_NEAR(x.grad().item(), 18.0, 1e-12);  // accumulated
  CHECK_THROWS(y.backward());                // graph freed
}

TEST(grad_with_create_graph_gives_second_derivative) {
  NDArray x = NDArray::from_vector<double>({0.5}, {1});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = np::sin(x) * x;
  }
  auto g = autograd::grad({y}, {x}, {}, /*create_graph=*/true);
  // d/dx (x sin x) = sin x + x cos x; again: 2 cos x - x sin x.
  CHECK_NEAR(g[0].item(), std::sin(0.5) + 0.5 * std::cos(0.5), 1e-12);
  auto g2 = autograd::grad({g[0]}, {x});
  CHECK_NEAR(g2[0].item(), 2 * std::cos(0.5) - 0.5 * std::sin(0.5), 1e-12);
}

TEST(custom_function_backward) {
  NDArray x = NDArray::from_vector<double>({1.0, 2.0}, {2});
  x.attach_grad();
  std::vector<NDArray> out;
  {
    autograd::Record rec;
    NDArray forward;
    {
      autograd::Pause pause;
      forward = x * 3.0;
    }
    out = autograd::record_custom("triple", {x}, {forward},
                                  [](const std::vector<NDArray>& g) { return std::vector<NDArray>{g[0] * 3.0}; });
  }
  out[0].backward();
  CHECK(x.grad().to_vector<double>() == std::vector<double>({3.0, 3.0}));
}

TEST(saved_array_modified_in_place_is_caught) {
  NDArray x = NDArray::from_vector<double>({1.0, 2.0}, {2});
  x.attach_grad();
  NDArray w = NDArray::from_vector<double>({5.0, 6.0}, {2});
  NDArray y;
  {
    autograd::Record rec;
    y = x * w;
  }
  w.fill(0.0);  // the gradient of x needs w
  CHECK_THROWS(y.backward());
}

TEST(parallel_for_covers_every_index_once) {
  const int64_t n = 1000003;
  std::vector<std::atomic<int>> hits(n);
  parallel_for(n, 1000, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) hits[i]++;
  });
  bool all_once = true;
  for (auto& h : hits) all_once = all_once && h.load() == 1;
  CHECK(all_once);
}

TEST(nested_parallel_for_does_not_deadlock) {
  std::atomic<int64_t> total{0};
  parallel_for(64, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) parallel_for(1000, 10, [&](int64_t b2, int64_t e2) { total += e2 - b2; });
  });
  CHECK(total.load() == 64000);
}

TEST(parallel_for_rethrows) {
  bool caught = false;
  try {
    parallel_for(100000, 100, [](int64_t b, int64_t) {
      if (b == 0) throw Error("test", "boom");
    });
  } catch (const Error&) {
    caught = true;
  }
  CHECK(caught);
}

int main() { return check::run_all(); }
