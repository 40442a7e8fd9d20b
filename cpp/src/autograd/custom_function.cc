// Custom functions: a node whose backward is a callback supplied at record
// time (C++ lambdas, or Python autograd.Function through the bindings).
#include "autograd/node.h"

namespace mxlite {
namespace autograd {

ArrayList CustomNode::apply(ArrayList& output_grads, uint64_t, const BackwardOptions&) {
  if (released())
    throw Error(name_, "the graph of this function was freed by an earlier backward; pass retain_graph=True");
  std::vector<NDArray> ograds(output_grads.begin(), output_grads.end());
  std::vector<NDArray> grads = backward(ograds);
  MXLITE_CHECK(grads.size() == input_meta.size(), name_, "backward returned ", grads.size(),
               " gradients, expected ", input_meta.size(), " (one per input of forward)");
  ArrayList out;
  for (size_t i = 0; i < grads.size(); ++i) {
    const NDArray& g = grads[i];
    if (g.defined())
      MXLITE_CHECK(g.shape() == input_meta[i].shape, name_, "backward returned a gradient of shape ", g.shape(),
                   " for input ", i, " of shape ", input_meta[i].shape);
    out.push_back(g);
  }
  return out;
}

void CustomNode::release() {
  Node::release();
  backward = nullptr;  // drops whatever the callback holds (e.g. a Python object)
}

std::vector<NDArray> record_custom(const std::string& name, const std::vector<NDArray>& inputs,
                                   const std::vector<NDArray>& outputs, CustomBackward backward) {
  bool any = false;
  for (const NDArray& in : inputs) any = any || tracks_grad(in);
  if (!is_recording() || !any) return outputs;
  auto node = std::make_shared<CustomNode>();
  node->name_ = name;
  node->backward = std::move(backward);
  node->sequence_nr = next_sequence_nr();
  for (const NDArray& in : inputs) {
    node->next_edges.push_back(tracks_grad(in) ? Edge{in.impl()->node, in.impl()->output_index} : Edge{});
    node->input_meta.push_back(TensorMeta{in.shape(), in.dtype()});
  }
  std::vector<NDArray> result;
  for (size_t i = 0; i < outputs.size(); ++i) {
    // A new handle: the array the forward returned may be an input or be
    // shared elsewhere, and must keep its own history.
    NDArray out = outputs[i].detach();
    out.impl()->node = node;
    out.impl()->output_index = static_cast<uint32_t>(i);
    node->output_meta.push_back(TensorMeta{out.shape(), out.dtype()});
    result.push_back(out);
  }
  return result;
}

}  // namespace autograd
}  // namespace mxlite
