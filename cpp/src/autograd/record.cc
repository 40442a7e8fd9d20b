// Recording an op into the graph, and running an op node's gradient.
#include "autograd/node.h"
#include "mxlite/ops.h"

namespace mxlite {
namespace autograd {

void record_op(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, ArrayList& outputs) {
  auto node = std::make_shared<OpNode>();
  node->op = &op;
  node->attrs = attrs;
  node->sequence_nr = next_sequence_nr();
  stamp_trace(*node);
  const size_t n_in = inputs.size();
  node->next_edges.reserve(n_in);
  node->input_meta.reserve(n_in);
  for (size_t i = 0; i < n_in; ++i) {
    const NDArray& in = inputs[i];
    if (tracks_grad(in)) {
      node->next_edges.push_back(Edge{in.impl()->node, in.impl()->output_index});
    } else {
      node->next_edges.push_back(Edge{});
    }
    node->input_meta.push_back(TensorMeta{in.shape(), in.dtype()});
  }
  // Saved inputs share the caller's handle: they keep their own history, which
  // a create_graph backward needs to differentiate the gradient again.
  if (op.saved_inputs) {
    node->saved_inputs.resize(n_in);
    for (size_t i = 0; i < n_in && i < 64; ++i)
      if ((op.saved_inputs >> i) & 1u) node->saved_inputs[i] = SavedArray{inputs[i], inputs[i].storage()->version()};
  }
  // Saved outputs are detached (an output pointing at its own node would be a
  // reference cycle); OpNode::apply reconnects them while the gradient runs.
  if (op.saved_outputs) {
    node->saved_outputs.resize(outputs.size());
    for (size_t i = 0; i < outputs.size(); ++i)
      if ((op.saved_outputs >> i) & 1u)
        node->saved_outputs[i] = SavedArray{outputs[i].detach(), outputs[i].storage()->version()};
  }
  node->output_meta.reserve(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    node->output_meta.push_back(TensorMeta{outputs[i].shape(), outputs[i].dtype()});
    outputs[i].impl()->node = node;
    outputs[i].impl()->output_index = static_cast<uint32_t>(i);
  }
}

namespace {
void check_version(const SavedArray& s, const OpNode& node, const char* what, size_t i) {
  uint64_t now = s.array.storage()->version();
  if (now != s.version)
    throw Error(node.op->name,
                concat("the ", what, " ", i, " of shape ", s.array.shape(), " that the gradient of '", node.op->name,
                       "' needs was modified in place after it was recorded (version ", now, ", expected ", s.version,
                       "); compute on a copy instead of changing it in place"));
}
}  // namespace

ArrayList OpNode::apply(ArrayList& output_grads, uint64_t needs, const BackwardOptions&) {
  if (released()) {
    throw Error(op->name,
                "the graph of this op was freed by an earlier backward; pass retain_graph=True to the "
                "first backward to differentiate through it again");
  }
  if (op->flags & kNotDifferentiable) {
    // Its derivative is zero everywhere it is defined (MXNet: zeros, no error).
    ArrayList zeros;
    zeros.resize(input_meta.size());
    for (size_t i = 0; i < input_meta.size(); ++i)
      if ((needs >> i) & 1u) zeros[i] = np::zeros(input_meta[i].shape, input_meta[i].dtype);
    return zeros;
  }
  MXLITE_CHECK(op->grad, op->name, "op '", op->name, "' is not differentiable");
  GradCtx ctx(attrs, op->name);
  ctx.input_meta_ = input_meta;
  ctx.needs_grad_mask_ = needs;
  ctx.ograds_ = std::move(output_grads);
  for (size_t i = 0; i < saved_inputs.size(); ++i) {
    if (saved_inputs[i].array.defined()) check_version(saved_inputs[i], *this, "input", i);
    ctx.inputs_.push_back(saved_inputs[i].array);
  }
  for (size_t i = 0; i < saved_outputs.size(); ++i) {
    const SavedArray& s = saved_outputs[i];
    if (!s.array.defined()) {
      ctx.outputs_.push_back(NDArray());
      continue;
    }
    check_version(s, *this, "output", i);
    // A fresh handle joined to this node, so the gradient expression is
    // connected to the graph when it is recorded (create_graph).
    NDArray joined = s.array.detach();
    joined.impl()->node = shared_from_this();
    joined.impl()->output_index = static_cast<uint32_t>(i);
    ctx.outputs_.push_back(joined);
  }
  return op->grad(ctx);
}

void OpNode::release() {
  Node::release();
  saved_inputs.clear();
  saved_outputs.clear();
}

}  // namespace autograd

const NDArray& GradCtx::input(size_t i) const {
  if (i >= inputs_.size() || !inputs_[i].defined())
    throw Error(op_name_, concat("internal: gradient reads input ", i, " which the op does not save"));
  return inputs_[i];
}

const NDArray& GradCtx::output(size_t i) const {
  if (i >= outputs_.size() || !outputs_[i].defined())
    throw Error(op_name_, concat("internal: gradient reads output ", i, " which the op does not save"));
  return outputs_[i];
}

}  // namespace mxlite
