// Fits y = X w + b to noisy synthetic data by full-batch gradient descent,
// using mxlite's C++ API only (no Python): attach_grad, a recording scope,
// backward, and parameter updates in a pause scope.
//
// Prints "epoch <n> loss <value>" lines, then the fitted parameters.
#include <mxlite/mxlite.h>

#include <cstdio>
#include <iostream>
#include <vector>

using namespace mxlite;

int main() {
  try {
    np::seed(42);
    const int64_t samples = 1000, features = 3;
    const std::vector<float> true_w = {2.0f, -3.4f, 1.5f};
    const float true_b = 4.2f;

    // Synthetic data: y = X true_w + true_b + noise.
    NDArray X = np::random_normal(0.0, 1.0, {samples, features});
    NDArray w_true = NDArray::from_vector(true_w, {features, 1});
    NDArray y = np::dot(X, w_true) + true_b + np::random_normal(0.0, 0.01, {samples, 1});

    // Parameters, marked for gradients.
    NDArray w = np::random_normal(0.0, 0.01, {features, 1});
    NDArray b = np::zeros({1});
    w.attach_grad();
    b.attach_grad();

    const double learning_rate = 0.1;
    for (int epoch = 0; epoch <= 100; ++epoch) {
      NDArray loss;
      {
        autograd::Record record;  // ops in this scope are recorded
        NDArray error = np::dot(X, w) + b - y;
        loss = np::mean(error * error) / 2.0;
      }
      loss.backward();  // fills w.grad() and b.grad()
      {
        autograd::Pause pause;  // updates are not part of the model
        w -= learning_rate * w.grad();
        b -= learning_rate * b.grad();
      }
      if (epoch % 10 == 0) std::printf("epoch %d loss %.6f\n", epoch, loss.item());
    }

    std::cout << "w =\n" << w << "\nb =\n" << b << "\n";
    std::vector<float> fitted = w.to_vector<float>();
    std::printf("true w = [%.2f, %.2f, %.2f], b = %.2f\n", true_w[0], true_w[1], true_w[2], true_b);
    std::printf("fit  w = [%.2f, %.2f, %.2f], b = %.2f\n", fitted[0], fitted[1], fitted[2], b.item());
    std::printf("threads: %d\n", num_threads());
  } catch (const Error& e) {
    std::cerr << "mxlite error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
