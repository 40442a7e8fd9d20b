// mxlite: recording state, backward and gradients (MXNet's mxnet.autograd).
#pragma once

#include <functional>
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

}  // namespace autograd
}  // namespace mxlite
