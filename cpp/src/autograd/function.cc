// The C++ surface for custom functions (lambdas or a Function subclass), built
// on record_custom.
#include "mxlite/autograd.h"

namespace mxlite {
namespace autograd {
namespace {

// Forward's outputs as handles of their own: record_custom attaches history
// to new handles, and the backward closure must not hold those (a cycle
// through the node) nor the caller's arrays.
std::vector<NDArray> without_history(const std::vector<NDArray>& arrays) {
  std::vector<NDArray> out;
  out.reserve(arrays.size());
  for (const NDArray& a : arrays) out.push_back(a.defined() ? a.detach() : a);
  return out;
}

void check_outputs(const std::string& name, const std::vector<NDArray>& outputs) {
  MXLITE_CHECK(!outputs.empty(), name, "forward returned no outputs");
  for (size_t i = 0; i < outputs.size(); ++i)
    MXLITE_CHECK(outputs[i].defined(), name, "forward returned an undefined array as output ", i);
}

}  // namespace

std::vector<NDArray> custom_function(const std::string& name, const std::vector<NDArray>& inputs,
                                     FunctionForward forward, FunctionBackward backward) {
  MXLITE_CHECK(forward && backward, name, "custom_function needs both a forward and a backward");
  std::vector<NDArray> outputs;
  {
    Pause pause;
    outputs = forward(inputs);
  }
  check_outputs(name, outputs);
  std::vector<NDArray> saved_inputs = without_history(inputs);
  std::vector<NDArray> saved_outputs = without_history(outputs);
  CustomBackward cb = [saved_inputs, saved_outputs,
                       backward = std::move(backward)](const std::vector<NDArray>& output_grads) {
    return backward(saved_inputs, saved_outputs, output_grads);
  };
  return record_custom(name, inputs, outputs, std::move(cb));
}

std::vector<NDArray> Function::operator()(const std::vector<NDArray>& inputs) {
  std::shared_ptr<Function> self = weak_from_this().lock();
  MXLITE_CHECK(self, name(),
               "a Function must be owned by a std::shared_ptr (std::make_shared or autograd::apply<F>) so that the "
               "recorded graph can keep it alive until backward");
  std::vector<NDArray> outputs;
  {
    Pause pause;
    outputs = forward(inputs);
  }
  check_outputs(name(), outputs);
  CustomBackward cb = [self](const std::vector<NDArray>& output_grads) { return self->backward(output_grads); };
  return record_custom(name(), inputs, outputs, std::move(cb));
}

NDArray Function::operator()(const NDArray& input) {
  std::vector<NDArray> outputs = (*this)(std::vector<NDArray>{input});
  MXLITE_CHECK(outputs.size() == 1, name(), "forward returned ", outputs.size(),
               " outputs; call it with a vector of inputs to get them all");
  return outputs[0];
}

}  // namespace autograd
}  // namespace mxlite
