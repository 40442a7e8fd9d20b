// The public C++ API as an embedding program uses it: operators, custom
// functions, printing.
#include <cmath>
#include <memory>
#include <sstream>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {
struct Sigmoid : autograd::Function {
  int backward_calls = 0;
  std::vector<NDArray> forward(const std::vector<NDArray>& x) override {
    CHECK(!autograd::is_recording());  // forward runs paused
    NDArray y = 1.0 / (1.0 + np::exp(-x[0]));
    save_for_backward({y});
    return {y};
  }
  std::vector<NDArray> backward(const std::vector<NDArray>& dy) override {
    ++backward_calls;
    const NDArray& y = saved_tensors()[0];
    return {dy[0] * y * (1.0 - y)};
  }
  std::string name() const override { return "sigmoid"; }
};

// Two inputs, two outputs: (a + b, a * b).
struct SumProduct : autograd::Function {
  std::vector<NDArray> forward(const std::vector<NDArray>& in) override {
    save_for_backward(in);
    return {in[0] + in[1], in[0] * in[1]};
  }
  std::vector<NDArray> backward(const std::vector<NDArray>& g) override {
    const NDArray &a = saved_tensors()[0], &b = saved_tensors()[1];
    return {g[0] + g[1] * b, g[0] + g[1] * a};
  }
};

struct WrongCount : autograd::Function {
  std::vector<NDArray> forward(const std::vector<NDArray>& in) override { return {in[0] * 2.0}; }
  std::vector<NDArray> backward(const std::vector<NDArray>& g) override { return {g[0], g[0]}; }
  std::string name() const override { return "wrong_count"; }
};

std::string text(const NDArray& a) {
  std::ostringstream os;
  os << a;
  return os.str();
}
}  // namespace

TEST(arithmetic_and_comparison_operators_on_both_sides) {
  NDArray a = NDArray::from_vector<float>({1, 2, 4});
  NDArray b = NDArray::from_vector<float>({4, 2, 1});
  CHECK((a + b).to_vector<float>() == std::vector<float>({5, 4, 5}));
  CHECK((a - b).to_vector<float>() == std::vector<float>({-3, 0, 3}));
  CHECK((a * b).to_vector<float>() == std::vector<float>({4, 4, 4}));
  CHECK((a / b).to_vector<float>() == std::vector<float>({0.25f, 1, 4}));
  CHECK((1.0 + a).to_vector<float>() == std::vector<float>({2, 3, 5}));
  CHECK((a + 1.0).to_vector<float>() == std::vector<float>({2, 3, 5}));
  CHECK((8.0 - a).to_vector<float>() == std::vector<float>({7, 6, 4}));
  CHECK((a - 1.0).to_vector<float>() == std::vector<float>({0, 1, 3}));
  CHECK((2.0 * a).to_vector<float>() == std::vector<float>({2, 4, 8}));
  CHECK((8.0 / a).to_vector<float>() == std::vector<float>({8, 4, 2}));
  CHECK((a / 2.0).to_vector<float>() == std::vector<float>({0.5f, 1, 2}));
  CHECK((-a).to_vector<float>() == std::vector<float>({-1, -2, -4}));
  using B = std::vector<bool>;
  CHECK((a < b).to_vector<bool>() == B({true, false, false}));
  CHECK((a <= b).to_vector<bool>() == B({true, true, false}));
  CHECK((a > b).to_vector<bool>() == B({false, false, true}));
  CHECK((a >= b).to_vector<bool>() == B({false, true, true}));
  CHECK((a == b).to_vector<bool>() == B({false, true, false}));
  CHECK((a != b).to_vector<bool>() == B({true, false, true}));
  CHECK((a < 2.0).to_vector<bool>() == B({true, false, false}));
  CHECK((2.0 < a).to_vector<bool>() == B({false, false, true}));
  CHECK((2.0 <= a).to_vector<bool>() == B({false, true, true}));
  CHECK((2.0 > a).to_vector<bool>() == B({true, false, false}));
  CHECK((2.0 >= a).to_vector<bool>() == B({true, true, false}));
  CHECK((2.0 == a).to_vector<bool>() == B({false, true, false}));
  CHECK((2.0 != a).to_vector<bool>() == B({true, false, true}));
  CHECK((a == b).dtype() == DType::Bool);
}

TEST(in_place_operators_write_through_and_refuse_graphs) {
  NDArray a = NDArray::from_vector<double>({1, 2, 3});
  NDArray alias = a;  // handles share the array
  a += 1.0;
  a *= NDArray::from_vector<double>({2, 2, 2});
  a -= np::scalar(1.0, DType::Float64);
  a /= 2.0;
  CHECK(alias.to_vector<double>() == std::vector<double>({1.5, 2.5, 3.5}));
  NDArray i = NDArray::from_vector<int32_t>({1, 2});
  i += 0.5;  // keeps int32, like NumPy's casting='unsafe' in-place on MXNet
  CHECK(i.dtype() == DType::Int32);
  CHECK_THROWS_WITH(a += np::ones({2, 3}, DType::Float64), "+=");  // cannot grow a

  NDArray w = NDArray::from_vector<double>({1.0});
  w.attach_grad();
  {
    autograd::Record rec;
    CHECK_THROWS_WITH(w -= 0.1, "computational graph");
    autograd::Pause pause;
    w -= 0.5;  // parameter updates belong in a pause scope
  }
  CHECK_NEAR(w.item(), 0.5, 0);
}

TEST(function_class_with_saved_tensors) {
  NDArray x = NDArray::from_vector<double>({-1.0, 0.0, 2.0});
  x.attach_grad();
  auto sig = std::make_shared<Sigmoid>();
  NDArray y;
  {
    autograd::Record rec;
    y = (*sig)(x) * 2.0;
  }
  CHECK(y.requires_grad());
  y.backward();
  CHECK(sig->backward_calls == 1);
  std::vector<double> g = x.grad().to_vector<double>();
  for (size_t k = 0; k < g.size(); ++k) {
    double s = 1.0 / (1.0 + std::exp(-x.to_vector<double>()[k]));
    CHECK_NEAR(g[k], 2.0 * s * (1.0 - s), 1e-12);
  }
}

TEST(function_with_several_inputs_and_outputs) {
  NDArray a = NDArray::from_vector<double>({2.0}), b = NDArray::from_vector<double>({5.0});
  a.attach_grad();
  b.attach_grad();
  std::vector<NDArray> out;
  {
    autograd::Record rec;
    out = autograd::apply<SumProduct>({a, b});
  }
  CHECK(out.size() == 2);
  CHECK_NEAR(out[0].item(), 7.0, 0);
  CHECK_NEAR(out[1].item(), 10.0, 0);
  autograd::backward({out[0], out[1]}, {np::ones({1}, DType::Float64), np::full({1}, 3.0, DType::Float64)});
  CHECK_NEAR(a.grad().item(), 1.0 + 3.0 * 5.0, 0);
  CHECK_NEAR(b.grad().item(), 1.0 + 3.0 * 2.0, 0);
}

TEST(function_outside_record_is_just_forward) {
  NDArray x = NDArray::from_vector<double>({0.0});
  NDArray y = autograd::apply<Sigmoid>({x})[0];
  CHECK_NEAR(y.item(), 0.5, 0);
  CHECK(!y.requires_grad());
}

TEST(function_errors_name_the_function) {
  Sigmoid on_stack;  // not owned by a shared_ptr: the graph could not keep it alive
  CHECK_THROWS_WITH(on_stack(NDArray::from_vector<double>({1.0})), "shared_ptr");
  NDArray x = NDArray::from_vector<double>({1.0});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = autograd::apply<WrongCount>({x})[0];
  }
  CHECK_THROWS_WITH(y.backward(), "wrong_count");
}

TEST(custom_function_with_lambdas_and_higher_level_use) {
  NDArray x = NDArray::from_vector<double>({1.0, 2.0});
  x.attach_grad();
  int calls = 0;
  NDArray loss;
  {
    autograd::Record rec;
    NDArray cube = autograd::custom_function(
        "cube", {x}, [](const std::vector<NDArray>& in) { return std::vector<NDArray>{in[0] * in[0] * in[0]}; },
        [&calls](const std::vector<NDArray>& in, const std::vector<NDArray>& out, const std::vector<NDArray>& g) {
          ++calls;
          CHECK(!in[0].requires_grad() && !out[0].requires_grad());  // saved without history
          return std::vector<NDArray>{g[0] * 3.0 * in[0] * in[0]};
        })[0];
    loss = np::sum(cube * 2.0);
  }
  loss.backward();
  CHECK(calls == 1);
  CHECK(x.grad().to_vector<double>() == std::vector<double>({6.0, 24.0}));
  CHECK_THROWS_WITH(autograd::custom_function("half", {x}, nullptr, nullptr), "half");
}

TEST(custom_function_gradient_shape_is_checked) {
  NDArray x = NDArray::from_vector<double>({1.0, 2.0});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = autograd::custom_function(
        "bad_shape", {x}, [](const std::vector<NDArray>& in) { return std::vector<NDArray>{in[0] + 0.0}; },
        [](const std::vector<NDArray>&, const std::vector<NDArray>&, const std::vector<NDArray>&) {
          return std::vector<NDArray>{np::ones({3}, DType::Float64)};
        })[0];
  }
  CHECK_THROWS_WITH(y.backward(), "bad_shape");
}

TEST(operator_stream_prints_values_shape_and_dtype) {
  CHECK(text(NDArray::from_vector<int32_t>({1, 2, 3, 4}, {2, 2})) ==
        "[[1, 2],\n [3, 4]]\n<NDArray (2, 2) int32 cpu(0)>");
  CHECK(text(NDArray::from_vector<float>({0.5f, -1.25f})) == "[0.5, -1.25]\n<NDArray (2,) float32 cpu(0)>");
  CHECK(text(np::scalar(3.0)) == "3\n<NDArray () float32 cpu(0)>");
  CHECK(text(NDArray::from_vector(std::vector<bool>{true, false})) == "[true, false]\n<NDArray (2,) bool cpu(0)>");
  CHECK(text(np::zeros({0})) == "[]\n<NDArray (0,) float32 cpu(0)>");
  CHECK(text(NDArray()) == "NDArray(undefined)");
}

TEST(operator_stream_summarizes_large_arrays) {
  CHECK(text(np::arange(0, 2000, 1, DType::Int64)) ==
        "[0, 1, 2, ..., 1997, 1998, 1999]\n<NDArray (2000,) int64 cpu(0)>");
  std::string m = text(np::reshape(np::arange(0, 1400, 1, DType::Int32), {200, 7}));
  CHECK(m.rfind("[[0, 1, 2, ..., 4, 5, 6],\n [7, 8, 9, ..., 11, 12, 13],\n [14, 15, 16, ..., 18, 19, 20],\n ...,\n "
                "[1379, 1380, 1381, ..., 1383, 1384, 1385],",
                0) == 0);
  CHECK(m.find("[1393, 1394, 1395, ..., 1397, 1398, 1399]]\n<NDArray (200, 7) int32 cpu(0)>") != std::string::npos);
  // At the threshold everything is printed.
  CHECK(text(np::arange(0, 1000, 1, DType::Int32)).find("...") == std::string::npos);
}

TEST(umbrella_header_exposes_version_and_threads) {
  CHECK(MXLITE_VERSION_MAJOR == 0 && MXLITE_VERSION_MINOR >= 1);
  CHECK(num_threads() >= 1);
}

int main() { return check::run_all(); }

// Reductions with NumPy's dtype= and initial= (np::ReduceOptions).
TEST(reduce_options_dtype_and_initial) {
  NDArray small = NDArray::from_vector<uint8_t>({200, 100}, {2});
  np::ReduceOptions wide;
  wide.dtype = DType::Int32;
  NDArray s = np::sum(small, nullptr, false, wide);
  CHECK(s.dtype() == DType::Int32 && s.to_vector<int32_t>()[0] == 300);
  CHECK(np::sum(small).to_vector<uint8_t>()[0] == 44);  // MXNet's default keeps uint8 (wrapping)

  np::ReduceOptions initial;
  initial.initial = 5.0;
  NDArray empty = NDArray::from_vector<float>({}, {2, 0});
  const Axes last{1};
  std::vector<float> e = np::max(empty, &last, false, initial).to_vector<float>();
  CHECK(e.size() == 2 && e[0] == 5.0f && e[1] == 5.0f);
  CHECK(np::prod(NDArray::from_vector<int32_t>({-2, 3}, {2}), nullptr, false, initial).to_vector<int32_t>()[0] == -30);
  np::ReduceOptions bad;
  bad.initial = -1.0;
  CHECK_THROWS_WITH(np::sum(small, nullptr, false, bad), "out of bounds for uint8");

  np::ReduceOptions integral;
  integral.dtype = DType::Int64;
  NDArray m = np::mean(NDArray::from_vector<int64_t>({-2, -1, 0, 1}, {4}), nullptr, false, integral);
  CHECK(m.dtype() == DType::Int64 && m.to_vector<int64_t>()[0] == 0);  // -0.5 truncated toward zero
}

// Floating products multiply in order: a 0 before an overflow wins.
TEST(prod_multiplies_in_order) {
  std::vector<float> v(32, 1e20f);
  v[0] = 0.0f;
  CHECK(np::prod(NDArray::from_vector<float>(v, {32})).to_vector<float>()[0] == 0.0f);
  v[0] = 1e20f;
  v[31] = 0.0f;
  CHECK(std::isnan(np::prod(NDArray::from_vector<float>(v, {32})).to_vector<float>()[0]));
}

// std's gradient where there is no deviation is 0 (not 0 * inf).
TEST(std_gradient_without_deviation) {
  NDArray x = NDArray::from_vector<double>({1.5, 2.5, 4.0}, {3, 1});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = np::sum(np::std(x, Axes{1}));
  }
  y.backward();
  for (double g : x.grad().to_vector<double>()) CHECK(g == 0.0);
}

TEST(context_scope_places_new_arrays_and_op_results_follow_their_first_input) {
  using mxlite::Context;
  CHECK(mxlite::default_context() == Context::cpu(0));
  NDArray on_one;
  {
    mxlite::ContextScope scope(Context::cpu(1));
    on_one = mxlite::np::ones({2, 2});
    CHECK(on_one.context() == Context::cpu(1));
  }
  CHECK(mxlite::default_context() == Context::cpu(0));
  NDArray on_zero = mxlite::np::ones({2, 2});
  CHECK((on_one + on_zero).context() == Context::cpu(1));
  CHECK((on_zero + on_one).context() == Context::cpu(0));
  NDArray moved = mxlite::np::copy_to(on_one, Context::cpu(3));
  CHECK(moved.context() == Context::cpu(3));
  CHECK(moved.data<float>()[3] == 1.0f);
}
