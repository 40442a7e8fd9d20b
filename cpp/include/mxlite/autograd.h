// mxlite: recording state, backward and gradients (MXNet's mxnet.autograd).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mxlite/ndarray.h"
#include "mxlite/op.h"

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
void backward(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads = {}, bool retain_graph = false,
              bool train_mode = true);

/// Calls `hook` on the thread running backward each time a backward has
/// written `variable`'s gradient buffer: its gradient for that pass is then
/// final while the rest of the graph may still be running (a distributed
/// trainer starts reducing it). `variable` must be marked (attach_grad); an
/// empty hook removes it. Set it while no backward runs. The hook stays with
/// the variable's current gradient buffer (marking it again drops it).
void set_grad_hook(const NDArray& variable, std::function<void()> hook);

/// Returns d(sum of heads)/d(variable) for each variable without touching any
/// .grad buffer. With create_graph the result is recorded, so it can be
/// differentiated again. retain_graph defaults to create_graph.
std::vector<NDArray> grad(const std::vector<NDArray>& heads, const std::vector<NDArray>& variables,
                          const std::vector<NDArray>& head_grads = {}, bool create_graph = false, int retain_graph = -1,
                          bool train_mode = true);

/// The backward of a custom function: receives one gradient per output and
/// returns one gradient per input (undefined = zero).
using CustomBackward = std::function<std::vector<NDArray>(const std::vector<NDArray>& output_grads)>;

/// Records a custom operation whose forward already ran (outside recording):
/// returns handles to `outputs` that autograd connects to `inputs` through
/// `backward`. The returned arrays share the outputs' data. Requires recording
/// to be on and some input to require a gradient; otherwise returns `outputs`.
/// With `differentiable_backward` false, `backward` runs with recording off
/// even under create_graph, and differentiating its results again raises an
/// error naming `name` (PyTorch's once_differentiable).
std::vector<NDArray> record_custom(const std::string& name, const std::vector<NDArray>& inputs,
                                   const std::vector<NDArray>& outputs, CustomBackward backward,
                                   bool differentiable_backward = true);

/// How many waves of independent nodes backward has spread over the thread
/// pool so far (for tests and tuning; results never depend on it).
uint64_t parallel_waves_run();

// ---- anomaly mode ------------------------------------------------------------
// While on (per thread), every floating output of an op is checked for NaN/Inf
// right after its kernel, and every gradient a node produces during backward;
// the first one found raises Error naming the op, its sequence number and,
// for backward, where the op was recorded.

bool anomaly_mode();
/// Sets the flag of this thread and returns its previous value.
bool set_anomaly_mode(bool on);

/// Returns a short description of the caller's position (e.g. a Python stack),
/// attached to nodes recorded while anomaly mode is on. The engine never
/// interprets it; bindings install one. Empty function = none.
using TraceProvider = std::function<std::string()>;
void set_trace_provider(TraceProvider provider);

/// Called by invoke after an op's kernel when anomaly mode is on: throws if an
/// output holds NaN or Inf.
void check_outputs_finite(const std::string& op_name, Span<NDArray> inputs, Span<NDArray> outputs);

// ---- graph inspection (MXNet's get_symbol) ------------------------------------

/// One node of a recorded graph, as seen from some heads.
struct GraphNode {
  int64_t id = 0;            // position in GraphDescription::nodes
  std::string name;          // op name, "variable" for leaves, Function class name
  std::string kind;          // "op", "variable", "function" or "constant"
  uint64_t sequence_nr = 0;  // recording order (0 for constants)
  std::vector<TensorMeta> outputs;
  struct Input {
    int64_t node = -1;    // producing node id
    uint32_t output = 0;  // which of its outputs
  };
  std::vector<Input> inputs;  // one per op input
  bool released = false;      // its saved arrays were freed by a backward
  std::string trace;          // recorded position (anomaly mode only)
};

struct GraphDescription {
  std::vector<GraphNode> nodes;  // inputs before consumers
  /// (node id, output index) of each head.
  std::vector<std::pair<int64_t, uint32_t>> heads;
  /// Graphviz DOT text: one box per op with its output shapes and dtypes,
  /// ellipses for variables, an edge per data dependency.
  std::string to_dot(const std::string& graph_name = "mxlite") const;
};

/// Walks the recorded history of `heads` (which must be in a graph).
GraphDescription describe_graph(const std::vector<NDArray>& heads);

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
template <class F, class... Args> std::vector<NDArray> apply(const std::vector<NDArray>& inputs, Args&&... args) {
  return (*std::make_shared<F>(std::forward<Args>(args)...))(inputs);
}

}  // namespace autograd
}  // namespace mxlite
