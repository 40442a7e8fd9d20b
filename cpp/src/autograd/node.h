// mxlite (internal): nodes of the recorded graph.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "mxlite/autograd.h"
#include "mxlite/op.h"

namespace mxlite {
namespace autograd {

class Node;

/// Where a gradient goes: output `index` of `node`. An empty edge means the
/// input needs no gradient.
struct Edge {
  std::shared_ptr<Node> node;
  uint32_t index = 0;
};

/// A detached handle to an array a gradient reads, with the storage version
/// at the time it was saved, to catch in-place changes before backward.
struct SavedArray {
  NDArray array;
  uint64_t version = 0;
};

/// Options of one backward pass, visible to nodes while they run.
struct BackwardOptions {
  bool create_graph = false;
  bool train_mode = true;
};

/// A recorded operation (or a leaf). Holds no reference to its outputs, so no
/// reference cycle can keep a graph alive.
class Node : public std::enable_shared_from_this<Node> {
 public:
  virtual ~Node() = default;
  virtual std::string name() const = 0;
  virtual bool is_leaf() const { return false; }
  /// Gradients for each input edge (undefined = no gradient) given the
  /// gradients of each output. `needs` has bit i set if edge i wants one.
  virtual ArrayList apply(ArrayList& output_grads, uint64_t needs, const BackwardOptions& opts) = 0;
  /// Frees what the node saved for its gradient; it can no longer run.
  virtual void release() { released_.store(true, std::memory_order_relaxed); }
  bool released() const { return released_.load(std::memory_order_relaxed); }

  SmallVector<Edge, 2> next_edges;  // one per input
  MetaList output_meta;             // shape/dtype of each output
  uint64_t sequence_nr = 0;         // creation order; later nodes run first
  std::string trace;                // where it was recorded (anomaly mode only)

 protected:
  std::atomic<bool> released_{false};
};

/// A node of a registered op: its gradient is OpDef::grad.
class OpNode : public Node {
 public:
  std::string name() const override { return op->name; }
  ArrayList apply(ArrayList& output_grads, uint64_t needs, const BackwardOptions& opts) override;
  void release() override;

  const OpDef* op = nullptr;
  Attrs attrs;
  MetaList input_meta;
  SmallVector<SavedArray, 2> saved_inputs;   // indexed by input (undefined if not saved)
  SmallVector<SavedArray, 1> saved_outputs;  // indexed by output
};

/// The sink of an array marked with attach_grad / mark_variables.
class LeafNode : public Node {
 public:
  std::string name() const override { return "variable"; }
  bool is_leaf() const override { return true; }
  ArrayList apply(ArrayList&, uint64_t, const BackwardOptions&) override { return {}; }
  void release() override {}  // leaves outlive every backward

  /// Writes or adds `g` into the gradient buffer per grad_req.
  void accumulate(const NDArray& g);
  /// After a backward through a grad_req='null' leaf: no buffer (.grad is None).
  void drop_gradient();

  NDArray grad;
  GradReq req = GradReq::Write;
  bool fresh_grad = false;
  std::function<void()> on_grad;  // set_grad_hook: after a backward wrote `grad`
  std::mutex mu;                  // concurrent backwards into one leaf
};

/// A node whose backward is a callback (C++ or a Python autograd.Function).
class CustomNode : public Node {
 public:
  std::string name() const override { return name_; }
  ArrayList apply(ArrayList& output_grads, uint64_t needs, const BackwardOptions& opts) override;
  void release() override;

  std::string name_;
  CustomBackward backward;
  MetaList input_meta;
  // False for a backward that cannot itself be differentiated: under
  // create_graph its results are joined to a node that refuses to run.
  bool differentiable_backward = true;
  // The arrays forward returned (without history), which the callback may
  // have saved: under create_graph they are joined to this node while the
  // callback runs, so the recorded gradient depends on the outputs.
  std::vector<NDArray> raw_outputs;
};

uint64_t next_sequence_nr();
/// True if ops on `a` must be recorded: it is a leaf or a live op output.
inline bool tracks_grad(const NDArray& a) {
  const auto& n = a.impl()->node;
  return n && !n->released();
}

/// Stamps a freshly recorded node with its anomaly-mode trace (if on).
void stamp_trace(Node& node);

/// While a node's gradient runs under anomaly mode, names it in the errors
/// raised by the ops the gradient calls.
class AnomalyContext {
 public:
  explicit AnomalyContext(const Node* node);
  ~AnomalyContext();
  AnomalyContext(const AnomalyContext&) = delete;
  AnomalyContext& operator=(const AnomalyContext&) = delete;

 private:
  const Node* prev_;
};
/// "'log' (op #12, recorded at: ...)" for error messages.
std::string describe_node(const Node& node);
/// Throws if a gradient produced by `node` for its input `input` is not finite.
void check_gradient_finite(const Node& node, size_t input, const NDArray& g);

/// Records a node for an op that just ran (called by invoke when recording).
void record_op(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, ArrayList& outputs);

}  // namespace autograd
}  // namespace mxlite
