// The autograd state and the backward executor: recording scopes, dependency
// counts, execution and accumulation order, retain_graph, grad_req.
#include <cmath>
#include <string>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {
// y = k * x as a custom function that logs when its backward runs.
NDArray logged_scale(const NDArray& x, double k, const std::string& tag, std::vector<std::string>& log) {
  return autograd::custom_function(
      tag, {x}, [k](const std::vector<NDArray>& in) { return std::vector<NDArray>{in[0] * k}; },
      [k, tag, &log](const std::vector<NDArray>&, const std::vector<NDArray>&, const std::vector<NDArray>& g) {
        log.push_back(tag);
        return std::vector<NDArray>{g[0] * k};
      })[0];
}
}  // namespace

TEST(record_and_pause_scopes_nest_and_restore) {
  CHECK(!autograd::is_recording() && !autograd::is_training());
  {
    autograd::Record rec;
    CHECK(autograd::is_recording() && autograd::is_training());
    {
      autograd::Pause pause;
      CHECK(!autograd::is_recording() && !autograd::is_training());
      {
        autograd::Record inner(/*train_mode=*/false);
        CHECK(autograd::is_recording() && !autograd::is_training());
      }
      CHECK(!autograd::is_recording());
    }
    CHECK(autograd::is_recording() && autograd::is_training());
  }
  CHECK(!autograd::is_recording() && !autograd::is_training());
}

TEST(only_recorded_ops_build_a_graph) {
  NDArray x = NDArray::from_vector<double>({1, 2});
  x.attach_grad();
  CHECK(!(x * 2.0).requires_grad());  // outside record
  NDArray y, z, w;
  {
    autograd::Record rec;
    y = x * 2.0;
    {
      autograd::Pause pause;
      z = x * 2.0;
    }
    w = np::ones({2}) * 3.0;  // no input needs a gradient
  }
  CHECK(y.requires_grad() && !z.requires_grad() && !w.requires_grad());
  CHECK_THROWS_WITH(z.backward(), "not in a computational graph");
}

TEST(diamond_graph_runs_each_node_once_after_its_consumers) {
  // x -> a -> {b, c} -> d: a's backward may only run once both b and c
  // delivered their gradients (its dependency count is 2).
  std::vector<std::string> log;
  NDArray x = NDArray::from_vector<double>({1.0});
  x.attach_grad();
  NDArray d;
  {
    autograd::Record rec;
    NDArray a = logged_scale(x, 2.0, "a", log);
    NDArray b = logged_scale(a, 3.0, "b", log);
    NDArray c = logged_scale(a, 5.0, "c", log);
    d = b + c;
  }
  d.backward();
  CHECK(log == std::vector<std::string>({"c", "b", "a"}));  // latest recorded first, a last
  CHECK_NEAR(x.grad().item(), 2.0 * (3.0 + 5.0), 0);
}

TEST(independent_branches_run_in_waves_latest_recorded_first) {
  std::vector<std::string> log;
  NDArray x = NDArray::from_vector<double>({1.0});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    NDArray p = logged_scale(x, 1.0, "p", log);
    NDArray q = logged_scale(x, 1.0, "q", log);
    NDArray r = logged_scale(x, 1.0, "r", log);
    y = p + r + q;
  }
  y.backward();
  // y = (p + r) + q: the wave after the last add holds the first add and q
  // (q runs: its consumer is done); p and r form the next wave, latest first.
  CHECK(log == std::vector<std::string>({"q", "r", "p"}));
  CHECK_NEAR(x.grad().item(), 3.0, 0);
}

TEST(gradient_accumulation_is_deterministic) {
  // Many contributions of very different magnitude into one leaf: the sum
  // depends on the order, which must be the same on every run.
  auto run = [] {
    NDArray x = NDArray::from_vector<float>({1.0f});
    x.attach_grad();
    NDArray y;
    {
      autograd::Record rec;
      y = x * 1e8f;
      for (int i = 0; i < 20; ++i) y = y + x * (0.37 + i);
      y = y + x * -1e8;
    }
    y.backward();
    return x.grad().item();
  };
  double first = run();
  for (int i = 0; i < 5; ++i) CHECK(run() == first);
}

TEST(retain_graph_allows_a_second_backward) {
  NDArray x = NDArray::from_vector<double>({2.0});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = x * x * x;
  }
  y.backward(NDArray(), /*retain_graph=*/true);
  CHECK_NEAR(x.grad().item(), 12.0, 1e-12);
  y.backward(NDArray(), /*retain_graph=*/true);
  CHECK_NEAR(x.grad().item(), 12.0, 1e-12);  // grad_req write: overwritten, not summed
  y.backward();
  CHECK_THROWS_WITH(y.backward(), "retain_graph");
}

TEST(grad_req_write_add_null) {
  NDArray a = NDArray::from_vector<double>({1.0}), b = NDArray::from_vector<double>({1.0}),
          c = NDArray::from_vector<double>({1.0});
  a.attach_grad(GradReq::Write);
  b.attach_grad(GradReq::Add);
  c.attach_grad(GradReq::Null);
  CHECK(a.grad_req() == GradReq::Write && b.grad_req() == GradReq::Add && c.grad_req() == GradReq::Null);
  for (int step = 1; step <= 3; ++step) {
    NDArray y;
    {
      autograd::Record rec;
      y = a * 2.0 + b * 3.0 + c * 4.0;
    }
    y.backward();
    CHECK_NEAR(a.grad().item(), 2.0, 0);
    CHECK_NEAR(b.grad().item(), 3.0 * step, 0);
    CHECK(!c.grad().defined());  // MXNet: a 'null' variable has no gradient after backward
  }
  CHECK(a.fresh_grad() && !c.fresh_grad());
  CHECK_THROWS_WITH(c.grad().item(), "undefined");
}

TEST(head_gradients_scale_and_must_match) {
  NDArray x = NDArray::from_vector<double>({1, 2, 3});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = x * x;
  }
  CHECK_THROWS_WITH(y.backward(np::ones({2}, DType::Float64), true), "head gradient");
  y.backward(NDArray::from_vector<double>({1, 0, -1}));
  CHECK(x.grad().to_vector<double>() == std::vector<double>({2, 0, -6}));
}

TEST(grad_returns_values_without_touching_buffers) {
  NDArray x = NDArray::from_vector<double>({3.0});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = x * x;
  }
  auto g = autograd::grad({y}, {x});
  CHECK_NEAR(g[0].item(), 6.0, 0);
  CHECK_NEAR(x.grad().item(), 0.0, 0);
  CHECK(!g[0].requires_grad());
  NDArray unrelated = NDArray::from_vector<double>({1.0});
  CHECK_THROWS_WITH(autograd::grad({y}, {unrelated}), "does not require gradient");
}

TEST(create_graph_gives_third_derivative) {
  NDArray x = NDArray::from_vector<double>({0.7});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = np::exp(x * 2.0);
  }
  auto g1 = autograd::grad({y}, {x}, {}, /*create_graph=*/true);
  CHECK(g1[0].requires_grad());
  auto g2 = autograd::grad({g1[0]}, {x}, {}, /*create_graph=*/true);
  auto g3 = autograd::grad({g2[0]}, {x});
  CHECK_NEAR(g3[0].item(), 8.0 * std::exp(1.4), 1e-9);
}

TEST(mark_variables_with_own_buffers) {
  NDArray x = NDArray::from_vector<double>({1, 2});
  NDArray buffer = np::zeros({2}, DType::Float64);
  autograd::mark_variables({x}, {buffer}, {GradReq::Write});
  NDArray y;
  {
    autograd::Record rec;
    y = np::sum(x * x);
  }
  y.backward();
  CHECK(buffer.to_vector<double>() == std::vector<double>({2, 4}));
  CHECK_THROWS_WITH(autograd::mark_variables({x}, {np::zeros({3})}, {GradReq::Write}), "mark_variables");
}

TEST(attach_grad_inside_record_cuts_history) {
  NDArray x = NDArray::from_vector<double>({2.0});
  x.attach_grad();
  NDArray y, z;
  {
    autograd::Record rec;
    y = x * 3.0;
    y.attach_grad();
    z = y * y;
  }
  z.backward();
  CHECK_NEAR(y.grad().item(), 12.0, 0);
  CHECK_NEAR(x.grad().item(), 0.0, 0);  // the cut: nothing flows past y
}

int main() { return check::run_all(); }
