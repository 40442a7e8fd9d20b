// Graph capture and replay (mxlite/cached_graph.h) as an embedding program
// uses it: replay on new inputs and parameters, autograd through a replay,
// in-place steps, constants, and the errors.
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {
// y = relu(dot(x, w) * 2 - 1), flattened.
NDArray forward(const NDArray& x, const NDArray& w) {
  return np::reshape(np::maximum(np::dot(x, w) * 2.0 - 1.0, 0.0), Shape{-1});
}
std::vector<float> values(const NDArray& a) { return a.to_vector<float>(); }
}  // namespace

TEST(replay_equals_running_the_code_again) {
  NDArray x = np::ones({2, 3}), w = np::full({3, 4}, 0.5);
  std::shared_ptr<CachedGraph> g;
  {
    GraphCapture capture({x});
    CHECK(capture_active());
    NDArray y = forward(x, w);
    g = capture.finish({y}, {w});
  }
  CHECK(!capture_active());
  CHECK(g->num_inputs() == 1 && g->num_params() == 1 && g->steps().size() >= 4);
  NDArray x2 = np::reshape(np::arange(0, 6, 1), Shape{2, 3});
  NDArray w2 = np::full({3, 4}, -0.25);
  CHECK(values(g->run({x2}, {w2})[0]) == values(forward(x2, w2)));
  CHECK(values(g->run({x2}, {w})[0]) == values(forward(x2, w)));
}

TEST(autograd_records_the_replayed_ops) {
  NDArray x = np::ones({2, 3}), w = np::full({3, 4}, 0.5);
  GraphCapture capture({x});
  std::shared_ptr<CachedGraph> g = capture.finish({forward(x, w)}, {w});
  NDArray x2 = np::reshape(np::arange(0, 6, 1), Shape{2, 3});
  w.attach_grad();
  {
    autograd::Record rec;
    np::sum(g->run({x2}, {w})[0]).backward();
  }
  std::vector<float> replayed = values(w.grad());
  w.attach_grad();
  {
    autograd::Record rec;
    np::sum(forward(x2, w)).backward();
  }
  CHECK(replayed == values(w.grad()));
}

TEST(in_place_writes_and_constants_are_steps) {
  NDArray x = np::ones({3});
  NDArray offset = np::full({3}, 10.0);  // neither input nor parameter: a constant
  GraphCapture capture({x});
  NDArray y = x * 1.0;
  y.fill(2.0);
  NDArray z = x + offset;
  z += y;
  std::shared_ptr<CachedGraph> g = capture.finish({z}, {});
  CHECK(g->constants().size() == 1);
  NDArray x2 = np::full({3}, 5.0);
  CHECK(values(g->run({x2}, {})[0]) == std::vector<float>({17, 17, 17}));
}

TEST(bad_use_is_refused_with_a_clear_error) {
  NDArray x = np::ones({2, 3}), w = np::full({3, 4}, 0.5);
  std::shared_ptr<CachedGraph> g;
  {
    GraphCapture capture({x});
    CHECK_THROWS_WITH(GraphCapture inner({x}), "captures do not nest");
    NDArray y = forward(x, w);
    CHECK_THROWS_WITH(check_host_read(y, "asnumpy"), "asnumpy is not implemented for Symbol");
    check_host_read(w, "asnumpy");  // a parameter may be read
    {
      CapturePause pause;
      CHECK(!capture_active());
      check_host_read(y, "asnumpy");
    }
    g = capture.finish({y}, {w});
  }
  CHECK_THROWS_WITH(g->run({np::ones({4, 3})}, {w}), "must have shape (2, 3)");
  CHECK_THROWS_WITH(g->run({x}, {}), "captured with 1 inputs and 1 parameters");
  CHECK(values(g->run({x}, {w})[0]).size() == 8);  // still usable
}

int main() { return check::run_all(); }
