// Thread-local recording/training flags and the RAII scopes over them.
#include <atomic>

#include "autograd/node.h"

namespace mxlite {
namespace autograd {
namespace {
thread_local bool t_recording = false;
thread_local bool t_training = false;
std::atomic<uint64_t> g_sequence{0};
}  // namespace

bool is_recording() { return t_recording; }
bool is_training() { return t_training; }

bool set_recording(bool on) {
  bool prev = t_recording;
  t_recording = on;
  return prev;
}

bool set_training(bool on) {
  bool prev = t_training;
  t_training = on;
  return prev;
}

uint64_t next_sequence_nr() { return g_sequence.fetch_add(1, std::memory_order_relaxed) + 1; }

void check_inplace_allowed(const NDArray& target, const NDArray& operand, const char* what) {
  if (!t_recording) return;
  // MXNet's two messages: a target in a graph, or a value from one written
  // into an array outside it.
  if (tracks_grad(target))
    throw Error(what,
                "Assigning to NDArrays that are already in a computational graph will cause undefined behavior "
                "when evaluating gradients. Please call backward first to clear the graph or do this out side of "
                "a record section. Also note that you cannot use inplace operations like +=, *=, relu(x, out=x), "
                "y[idx]=x, etc inside a record section.");
  if (operand.defined() && tracks_grad(operand))
    throw Error(what,
                "Inplace operations (+=, -=, x[:]=, etc) are not supported when recording with autograd: the "
                "value comes from a computational graph and the array it is written into is not part of it.");
}

Record::Record(bool train_mode) : prev_recording_(set_recording(true)), prev_training_(set_training(train_mode)) {}
Record::~Record() {
  set_recording(prev_recording_);
  set_training(prev_training_);
}

Pause::Pause(bool train_mode) : prev_recording_(set_recording(false)), prev_training_(set_training(train_mode)) {}
Pause::~Pause() {
  set_recording(prev_recording_);
  set_training(prev_training_);
}

}  // namespace autograd
}  // namespace mxlite
