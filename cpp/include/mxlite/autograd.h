// mxlite: recording state, backward and gradients (MXNet's mxnet.autograd).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mxlite/ndarray.h"

namespace mxlite {
namespace autograd {

// Recording and training flags are per thread, as in MXNet.
bool is_recording();
bool is_training();
/// Sets the flag and returns its previous value.
bool set_recording(bool on);
bool set_training(bool on);

/// RAII scope: record operations (MXNet autograd.record(train_mode)).
class Record {
 public:
  explicit Record(bool train_mode = true);
  ~Record();
  Record(const Record&) = delete;
  Record& operator=(const Record&) = delete;

 private:
  bool prev_recording_, prev_training_;
};

/// RAII scope: stop recording (MXNet autograd.pause(train_mode)).
class Pause {
 public:
  explicit Pause(bool train_mode = false);
  ~Pause();
  Pause(const Pause&) = delete;
  Pause& operator=(const Pause&) = delete;

 private:
  bool prev_recording_, prev_training_;
};

/// Throws MXNet's error for an in-place write (`what`: "+=", "setitem", ...)
/// while recording, when the target or the operand is part of a graph.
void check_inplace_allowed(const NDArray& target, const NDArray& operand, const char* what);

/// Marks arrays as leaves with the given gradient buffers and requests.
void mark_variables(const std::vector<NDArray>& variables, const std::vector<NDArray>& gradients,
                    const std::vector<GradReq>& reqs);

/// Back-propagates from `heads` into the gradient buffers of every marked
/// array they depend on. A missing (undefined) head gradient means ones, so a
/// non-scalar head behaves as its sum. Without retain_graph the recorded
/// history is freed and a second backward raises.
void backward(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads = {},
              bool retain_graph = false, bool train_mode = true);

/// Returns d(sum of heads)/d(variable) for each variable without touching any
/// .grad buffer. With create_graph the result is recorded, so it can be
/// differentiated again. retain_graph defaults to create_graph.
std::vector<NDArray> grad(const std::vector<NDArray>& heads, const std::vector<NDArray>& variables,
                          const std::vector<NDArray>& head_grads = {}, bool create_graph = false,
                          int retain_graph = -1, bool train_mode = true);

/// The backward of a custom function: receives one gradient per output and
/// returns one gradient per input (undefined = zero).
using CustomBackward = std::function<std::vector<NDArray>(const std::vector<NDArray>& output_grads)>;

/// Records a custom operation whose forward already ran (outside recording):
/// returns handles to `outputs` that autograd connects to `inputs` through
/// `backward`. The returned arrays share the outputs' data. Requires recording
/// to be on and some input to require a gradient; otherwise returns `outputs`.
std::vector<NDArray> record_custom(const std::string& name, const std::vector<NDArray>& inputs,
                                   const std::vector<NDArray>& outputs, CustomBackward backward);

// ---- custom functions (the C++ counterpart of mxnet.autograd.Function) ------

/// The forward of a custom function: runs with recording paused (as MXNet's
/// Function does), so its ops build no graph.
using FunctionForward = std::function<std::vector<NDArray>(const std::vector<NDArray>& inputs)>;
/// The backward of a custom function: sees forward's inputs and outputs
/// (without their history) and one gradient per output; returns one gradient
/// per input (an undefined NDArray means zero).
using FunctionBackward = std::function<std::vector<NDArray>(
    const std::vector<NDArray>& inputs, const std::vector<NDArray>& outputs, const std::vector<NDArray>& output_grads)>;

/// Runs `forward` on `inputs` and, when recording, connects the outputs to the
/// inputs through `backward`. `name` appears in error messages.
///
///   auto y = autograd::custom_function("cube", {x},
///       [](auto& in) { return std::vector<NDArray>{in[0] * in[0] * in[0]}; },
///       [](auto& in, auto&, auto& g) { return std::vector<NDArray>{g[0] * 3.0 * in[0] * in[0]}; });
std::vector<NDArray> custom_function(const std::string& name, const std::vector<NDArray>& inputs,
                                     FunctionForward forward, FunctionBackward backward);

/// A custom function as a class: override forward and backward, keep what
/// backward needs with save_for_backward. Instances must be owned by a
/// std::shared_ptr (the recorded graph keeps the instance alive until its
/// backward ran); `autograd::apply<MyFunction>(inputs)` does that for you.
///
///   struct Sigmoid : autograd::Function {
///     std::vector<NDArray> forward(const std::vector<NDArray>& x) override {
///       NDArray y = 1.0 / (1.0 + np::exp(-x[0]));
///       save_for_backward({y});
///       return {y};
///     }
///     std::vector<NDArray> backward(const std::vector<NDArray>& dy) override {
///       const NDArray& y = saved_tensors()[0];
///       return {dy[0] * y * (1.0 - y)};
///     }
///   };
///   NDArray y = autograd::apply<Sigmoid>({x})[0];
class Function : public std::enable_shared_from_this<Function> {
 public:
  virtual ~Function() = default;
  /// Runs forward (recording paused) and records the call. Throws Error if
  /// this instance is not owned by a std::shared_ptr.
  std::vector<NDArray> operator()(const std::vector<NDArray>& inputs);
  /// One input, one output.
  NDArray operator()(const NDArray& input);

  virtual std::vector<NDArray> forward(const std::vector<NDArray>& inputs) = 0;
  /// One gradient per output in, one gradient per input out (undefined = zero).
  virtual std::vector<NDArray> backward(const std::vector<NDArray>& output_grads) = 0;
  /// The name used in error messages.
  virtual std::string name() const { return "Function"; }

 protected:
  void save_for_backward(std::vector<NDArray> arrays) { saved_ = std::move(arrays); }
  const std::vector<NDArray>& saved_tensors() const { return saved_; }

 private:
  std::vector<NDArray> saved_;
};

/// Creates an F (with `args`) owned by a shared_ptr and calls it on `inputs`.
template <class F, class... Args>
std::vector<NDArray> apply(const std::vector<NDArray>& inputs, Args&&... args) {
  return (*std::make_shared<F>(std::forward<Args>(args)...))(inputs);
}

}  // namespace autograd
}  // namespace mxlite
