// The op registry (lookup, arity, invoke) and broadcasting.
#include <algorithm>
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

TEST(list_ops_is_sorted_and_has_the_builtins) {
  auto names = list_ops();
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
  for (const char* n : {"add", "multiply", "sum", "reshape", "matmul", "exp"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
}

TEST(unknown_op_names_the_op) {
  CHECK_THROWS_WITH(op("no_such_op"), "no_such_op");
  bool right_op = false;
  try {
    op("no_such_op");
  } catch (const Error& e) {
    right_op = e.op() == "op" && e.message().find("no_such_op") != std::string::npos;
  }
  CHECK(right_op);
}

TEST(registering_a_name_twice_fails) { CHECK_THROWS_WITH(register_op("add"), "add"); }

TEST(invoke_checks_arity) {
  const OpDef& add = op("add");
  NDArray a = np::ones({2});
  CHECK_THROWS_WITH(invoke(add, {a}), "expected 2 inputs, got 1");
  CHECK_THROWS_WITH(invoke(add, {a, a, a}), "expected 2 inputs, got 3");
  CHECK(invoke1(add, {a, a}).to_vector<float>() == std::vector<float>({2, 2}));
}

TEST(invoke_runs_a_registered_op_by_lookup) {
  const OpDef& mul = op("multiply");
  CHECK(mul.name == "multiply" && mul.num_inputs == 2 && mul.grad != nullptr);
  NDArray x = NDArray::from_vector<float>({1, 2, 3});
  ArrayList out = invoke(mul, {x, x});
  CHECK(out.size() == 1);
  CHECK(out[0].to_vector<float>() == std::vector<float>({1, 4, 9}));
}

TEST(a_new_op_can_be_registered_and_invoked) {
  // An op registered by an embedding program: doubles its input.
  register_op("test_double")
      .inputs(1)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const float* x = in[0].data<float>();
        float* y = out[0].data<float>();
        for (int64_t i = 0; i < in[0].size(); ++i) y[i] = 2 * x[i];
      })
      .set_grad([](const GradCtx& g) {
        ArrayList r;
        r.push_back(np::multiply(g.ograd(0), 2.0));
        return r;
      });
  NDArray x = NDArray::from_vector<float>({1, -3});
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = invoke1(op("test_double"), {x});
  }
  CHECK(y.to_vector<float>() == std::vector<float>({2, -6}));
  y.backward();
  CHECK(x.grad().to_vector<float>() == std::vector<float>({2, 2}));
}

TEST(broadcast_shapes_follow_numpy) {
  CHECK(broadcast_shapes({2, 3}, {3}, "t") == Shape({2, 3}));
  CHECK(broadcast_shapes({4, 1, 3}, {2, 1}, "t") == Shape({4, 2, 3}));
  CHECK(broadcast_shapes({}, {2, 2}, "t") == Shape({2, 2}));
  CHECK(broadcast_shapes({0, 1}, {1, 5}, "t") == Shape({0, 5}));
  CHECK_THROWS_WITH(broadcast_shapes({2, 3}, {2}, "myop"), "myop");
  CHECK_THROWS_WITH(broadcast_shapes({2, 3}, {2}, "myop"), "(2, 3)");
}

TEST(broadcasting_binary_values) {
  NDArray col = NDArray::from_vector<float>({1, 2}, {2, 1});
  NDArray row = NDArray::from_vector<float>({10, 20, 30}, {1, 3});
  NDArray outer = col * row;
  CHECK(outer.shape() == Shape({2, 3}));
  CHECK(outer.to_vector<float>() == std::vector<float>({10, 20, 30, 20, 40, 60}));
  NDArray s = np::scalar(5.0);
  CHECK((row - s).to_vector<float>() == std::vector<float>({5, 15, 25}));
  CHECK((s - row).shape() == Shape({1, 3}));
  NDArray empty = np::zeros({0, 3});
  CHECK((empty + row).shape() == Shape({0, 3}));
  // 3-D against 1-D: the last axis lines up.
  NDArray cube = np::ones({2, 2, 3});
  CHECK((cube + NDArray::from_vector<float>({1, 2, 3})).to_vector<float>()[5] == 4.0f);
}

TEST(broadcast_gradient_sums_back) {
  NDArray b = NDArray::from_vector<double>({1, 2, 3});
  b.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = np::sum(np::ones({4, 3}, DType::Float64) * b);
  }
  y.backward();
  CHECK(b.grad().to_vector<double>() == std::vector<double>({4, 4, 4}));
}

TEST(dtype_promotion) {
  NDArray i = NDArray::from_vector<int32_t>({1, 2});
  NDArray f = NDArray::from_vector<float>({0.5f, 0.5f});
  CHECK((i + f).dtype() == DType::Float32);
  CHECK((i / i).dtype() == DType::Float32);  // true division of ints
  CHECK((i + 1.0).dtype() == DType::Int32);  // scalars keep the array dtype (MXNet)
  CHECK((i * 0.5).dtype() == DType::Int32);
  CHECK((i < 2.0).dtype() == DType::Bool);
}

int main() { return check::run_all(); }
