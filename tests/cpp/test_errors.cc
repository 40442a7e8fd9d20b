// Bad calls raise mxlite::Error naming the op and the shapes, and leave the
// library usable.
#include <vector>

#include "check.h"
#include "mxlite/mxlite.h"

using namespace mxlite;

namespace {
// The op an Error names, or "" when nothing (or something else) was thrown.
template <class Fn> std::string op_of_error(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.op();
  }
  return "";
}
}  // namespace

TEST(bad_shapes_name_the_op_and_the_shapes) {
  NDArray a = np::ones({2, 3}), b = np::ones({4});
  CHECK_THROWS_WITH(a + b, "add: operands could not be broadcast together with shapes (2, 3) (4,)");
  CHECK(op_of_error([&] { a* b; }) == "multiply");
  CHECK(op_of_error([&] { a < b; }) == "less");
  CHECK_THROWS_WITH(np::reshape(a, {4}), "reshape");
  CHECK_THROWS_WITH(np::reshape(a, {4}), "(2, 3)");
  CHECK_THROWS_WITH(np::dot(a, a), "dot: shapes (2, 3) and (2, 3) not aligned");
  CHECK_THROWS_WITH(np::broadcast_to(a, {3, 3}), "broadcast_to");
  CHECK_THROWS_WITH(np::matmul2d(a, np::ones({2, 2})), "(2, 3)");
}

TEST(bad_axes_and_indices) {
  NDArray a = np::ones({2, 3});
  CHECK_THROWS_WITH(np::sum(a, Axes{2}), "sum: axis 2 is out of bounds");
  CHECK_THROWS_WITH(np::mean(a, Axes{-3}), "mean");
  CHECK_THROWS_WITH(np::sum(a, Axes{0, 0}), "sum");
  CHECK_THROWS_WITH(np::transpose(a, Axes{0, 0}), "transpose");
  CHECK_THROWS_WITH(np::expand_dims(a, 5), "expand_dims");
  bool index_error = false;
  try {
    np::index(a, 5);
  } catch (const IndexError& e) {
    index_error = std::string(e.what()).find("index 5 is out of bounds") != std::string::npos;
  }
  CHECK(index_error);
  CHECK_THROWS_WITH(
      np::basic_index(a, {np::IndexItem::integer(0), np::IndexItem::integer(0), np::IndexItem::integer(0)}), "index");
}

TEST(bad_values_and_dtypes) {
  CHECK_THROWS_WITH(np::ones({2, -1}), "negative dimensions");
  CHECK_THROWS_WITH(np::ones({2}).item(), "item");
  CHECK_THROWS_WITH(dtype_from_name("complex128"), "complex128");
  CHECK_THROWS_WITH(NDArray::from_vector<float>({1, 2, 3}).data<int32_t>(), "float32");
}

TEST(autograd_misuse) {
  NDArray x = np::ones({2});
  CHECK_THROWS_WITH(x.backward(), "backward");  // never recorded
  CHECK_THROWS_WITH(x.drop_grad(), "drop_grad");
  CHECK_THROWS_WITH(autograd::backward({}), "no heads");
  CHECK_THROWS_WITH(autograd::grad({x}, {}), "no variables");
  x.attach_grad();
  NDArray y;
  {
    autograd::Record rec;
    y = x * 2.0;
  }
  CHECK_THROWS_WITH(autograd::backward({y}, {NDArray(), NDArray()}), "head gradients");
  NDArray w = np::ones({2});
  CHECK_THROWS_WITH(autograd::grad({y}, {w}), "does not require gradient");
}

TEST(library_stays_usable_after_errors) {
  for (int i = 0; i < 100; ++i) {
    try {
      np::ones({2, 3}) + np::ones({3, 2});
    } catch (const Error&) {
    }
  }
  NDArray x = NDArray::from_vector<double>({1, 2});
  x.attach_grad();
  {
    autograd::Record rec;
    try {
      np::sum(x, Axes{3});
    } catch (const Error&) {
    }
    NDArray y = np::sum(x * x);
    y.backward();
  }
  CHECK(x.grad().to_vector<double>() == std::vector<double>({2, 4}));
  CHECK(!autograd::is_recording());
}

int main() { return check::run_all(); }
