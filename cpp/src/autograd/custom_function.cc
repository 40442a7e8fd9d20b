// Custom functions: a node whose backward is a callback supplied at record
// time (C++ lambdas, or Python autograd.Function through the bindings).
#include <algorithm>

#include "autograd/node.h"
#include "mxlite/cached_graph.h"

namespace mxlite {
namespace autograd {
namespace {

// Stands for the backward of a custom function that cannot be differentiated:
// its results are joined here under create_graph, and differentiating them
// again stops with an error naming the function.
class OnceDifferentiableNode : public Node {
 public:
  explicit OnceDifferentiableNode(std::string function) : function_(std::move(function)) {}
  std::string name() const override { return function_ + ".backward"; }
  ArrayList apply(ArrayList&, uint64_t, const BackwardOptions&) override {
    throw Error(function_, "the backward of '" + function_ +
                               "' is not differentiable (it is marked once_differentiable), so its gradient "
                               "cannot be differentiated again; write its backward with differentiable ops and "
                               "drop the mark to take higher-order gradients through it");
  }

 private:
  std::string function_;
};

}  // namespace

ArrayList CustomNode::apply(ArrayList& output_grads, uint64_t, const BackwardOptions& opts) {
  if (released())
    throw Error(name_, "the graph of this function was freed by an earlier backward; pass retain_graph=True");
  std::vector<NDArray> ograds(output_grads.begin(), output_grads.end());
  const bool join_to_barrier = opts.create_graph && !differentiable_backward;
  std::vector<NDArray> grads;
  if (join_to_barrier) {
    Pause pause(is_training());
    grads = backward(ograds);
  } else if (opts.create_graph) {
    // Join the saved outputs for the duration of the call (an output holding
    // its own node permanently would be a reference cycle).
    struct Join {
      std::vector<NDArray>& raw;
      Join(std::vector<NDArray>& r, const std::shared_ptr<Node>& self) : raw(r) {
        for (size_t i = 0; i < raw.size(); ++i)
          if (raw[i].defined()) {
            raw[i].impl()->node = self;
            raw[i].impl()->output_index = static_cast<uint32_t>(i);
          }
      }
      ~Join() {
        for (NDArray& a : raw)
          if (a.defined()) a.impl()->node.reset();
      }
    } join(raw_outputs, shared_from_this());
    grads = backward(ograds);
  } else {
    grads = backward(ograds);
  }
  MXLITE_CHECK(grads.size() == input_meta.size(), name_, "backward returned ", grads.size(), " gradients, expected ",
               input_meta.size(), " (one per input of forward)");
  ArrayList out;
  for (size_t i = 0; i < grads.size(); ++i) {
    const NDArray& g = grads[i];
    if (g.defined())
      MXLITE_CHECK(g.shape() == input_meta[i].shape, name_, "backward returned a gradient of shape ", g.shape(),
                   " for input ", i, " of shape ", input_meta[i].shape);
    out.push_back(g);
  }
  if (join_to_barrier) {
    // The gradients depend on the output gradients and on the inputs (through
    // what forward saved): the barrier takes both as its inputs.
    auto barrier = std::make_shared<OnceDifferentiableNode>(name_);
    barrier->sequence_nr = next_sequence_nr();
    bool any = false;
    for (const NDArray& og : ograds)
      if (og.defined() && tracks_grad(og)) {
        barrier->next_edges.push_back(Edge{og.impl()->node, og.impl()->output_index});
        any = true;
      }
    for (const Edge& e : next_edges)
      if (e.node) {
        barrier->next_edges.push_back(e);
        any = true;
      }
    if (any)
      for (size_t i = 0; i < out.size(); ++i) {
        if (!out[i].defined()) continue;
        NDArray joined = out[i].detach();
        joined.impl()->node = barrier;
        joined.impl()->output_index = static_cast<uint32_t>(barrier->output_meta.size());
        barrier->output_meta.push_back(TensorMeta{joined.shape(), joined.dtype()});
        out[i] = joined;
      }
  }
  return out;
}

void CustomNode::release() {
  Node::release();
  backward = nullptr;  // drops whatever the callback holds (e.g. a Python object)
  raw_outputs.clear();
}

std::vector<NDArray> record_custom(const std::string& name, const std::vector<NDArray>& inputs,
                                   const std::vector<NDArray>& outputs, CustomBackward backward,
                                   bool differentiable_backward) {
  // A replay could run the forward's ops but not the callback.
  if (capture_active())
    throw NotImplementedForSymbol(name, "a custom autograd.Function cannot run inside a hybridized block's forward");
  bool any = false;
  for (const NDArray& in : inputs) any = any || tracks_grad(in);
  if (!is_recording() || !any) return outputs;
  auto node = std::make_shared<CustomNode>();
  node->name_ = name;
  node->backward = std::move(backward);
  node->differentiable_backward = differentiable_backward;
  node->sequence_nr = next_sequence_nr();
  stamp_trace(*node);
  for (const NDArray& in : inputs) {
    node->next_edges.push_back(tracks_grad(in) ? Edge{in.impl()->node, in.impl()->output_index} : Edge{});
    node->input_meta.push_back(TensorMeta{in.shape(), in.dtype()});
  }
  std::vector<NDArray> result;
  for (size_t i = 0; i < outputs.size(); ++i) {
    // A new handle: the array the forward returned may be an input or be
    // shared elsewhere, and must keep its own history.
    bool is_input =
        std::any_of(inputs.begin(), inputs.end(), [&](const NDArray& in) { return in.is_same(outputs[i]); });
    node->raw_outputs.push_back(outputs[i].impl()->node || is_input ? NDArray() : outputs[i]);
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
