// The backward executor: dependency counts from the heads, a ready queue that
// runs the most recently recorded node first, gradients summed per output in
// a fixed order, leaves written per grad_req, saved arrays freed as soon as
// their node has run.
#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "autograd/node.h"
#include "mxlite/ops.h"
#include "mxlite/threadpool.h"

namespace mxlite {
namespace autograd {
namespace {

// Elements (summed over a node's outputs) from which a wave of independent
// nodes is worth spreading over the pool.
constexpr int64_t kParallelBackwardGrain = int64_t(1) << 14;

std::atomic<uint64_t> g_parallel_waves{0};

const char* kNotInGraph =
    "Cannot differentiate node because it is not in a computational graph. You need to set is_recording to "
    "true or use autograd.record() to save computational graphs for backward. If you want to differentiate "
    "the same graph twice, you need to pass retain_graph=True to backward.";

struct NodeState {
  int dependencies = 0;  // needed consumers that have not run yet
  bool needed = false;   // on a path from a head to a requested gradient
  ArrayList grads;       // summed incoming gradient per output
};

// Scope that sets recording/training for the duration of a backward pass.
class FlagScope {
 public:
  FlagScope(bool recording, bool training)
      : prev_recording_(set_recording(recording)), prev_training_(set_training(training)) {}
  ~FlagScope() {
    set_recording(prev_recording_);
    set_training(prev_training_);
  }

 private:
  bool prev_recording_, prev_training_;
};

void accumulate(ArrayList& slots, size_t index, const NDArray& g) {
  NDArray& slot = slots[index];
  slot = slot.defined() ? np::add(slot, g) : g;
}

struct Target {
  Node* node;
  uint32_t index;
};

// One backward pass, in named steps. With `targets` empty, every reachable
// leaf receives its gradient per grad_req; otherwise the gradients arriving at
// the targets are returned and no .grad buffer is touched.
class BackwardPass {
 public:
  BackwardPass(const std::vector<Target>& targets, bool retain_graph, bool create_graph, bool train_mode,
               const char* api)
      : targets_(targets),
        retain_graph_(retain_graph),
        create_graph_(create_graph),
        train_mode_(train_mode),
        api_(api),
        to_leaves_(targets.empty()) {}

  std::vector<NDArray> run(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads) {
    check_heads(heads, head_grads);
    discover_graph();
    mark_needed();
    seed_heads(heads);
    FlagScope flags(create_graph_, train_mode_);
    std::vector<NDArray> results(targets_.size());
    std::vector<Node*> wave = first_wave();
    while (!wave.empty()) wave = run_wave(std::move(wave), results);
    for (LeafNode* leaf : null_leaves_) leaf->drop_gradient();
    return results;
  }

 private:
  // A node of the current wave: the gradients it receives and what it returns.
  struct Task {
    Node* node = nullptr;
    ArrayList grads;
    uint64_t needs = 0;  // bit i: input i needs a gradient
    bool run = false;
    ArrayList input_grads;
  };

  // 1. The heads, their nodes and their initial gradients (ones by default).
  void check_heads(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads) {
    MXLITE_CHECK(!heads.empty(), api_, "no heads to differentiate");
    MXLITE_CHECK(head_grads.empty() || head_grads.size() == heads.size(), api_, "got ", heads.size(), " heads but ",
                 head_grads.size(), " head gradients; pass one per head (or None)");
    for (size_t i = 0; i < heads.size(); ++i) {
      const NDArray& h = heads[i];
      MXLITE_CHECK(h.defined(), api_, "head ", i, " is an undefined array");
      const auto& node = h.impl()->node;
      if (!node)
        throw Error(api_, concat(kNotInGraph, " (head ", i, " of shape ", h.shape(),
                                 " was not computed inside autograd.record() from arrays that require gradients.)"));
      if (node->released())
        throw Error(api_, concat(kNotInGraph, " (head ", i, " of shape ", h.shape(),
                                 ": its graph was already freed by a backward without retain_graph=True.)"));
      NDArray g = i < head_grads.size() ? head_grads[i] : NDArray();
      if (g.defined()) {
        MXLITE_CHECK(g.shape() == h.shape(), api_, "head gradient ", i, " has shape ", g.shape(),
                     " but the head has shape ", h.shape());
        if (g.dtype() != h.dtype()) g = np::astype(g, h.dtype());
      } else {
        g = np::ones(h.shape(), h.dtype());
      }
      head_nodes_.push_back(node);
      seeds_.push_back(g);
    }
  }

  // 2. Every node reachable from the heads, in recording order: inputs are
  // always recorded before the ops that use them, so ascending sequence
  // numbers visit every node after its inputs.
  void discover_graph() {
    std::vector<Node*> stack;
    auto visit = [&](Node* n) {
      if (state_.emplace(n, NodeState()).second) {
        stack.push_back(n);
        order_.push_back(n);
      }
    };
    for (auto& n : head_nodes_) visit(n.get());
    while (!stack.empty()) {
      Node* n = stack.back();
      stack.pop_back();
      for (const Edge& e : n->next_edges)
        if (e.node) visit(e.node.get());
    }
    std::sort(order_.begin(), order_.end(), [](Node* a, Node* b) { return a->sequence_nr < b->sequence_nr; });
  }

  // 3. What must run (on a path from a head to a leaf or target), and how
  // many needed consumers each node waits for.
  void mark_needed() {
    for (size_t t = 0; t < targets_.size(); ++t) {
      auto it = state_.find(targets_[t].node);
      if (it == state_.end())
        throw Error("grad", concat("Cannot differentiate with respect to the ", t + 1,
                                   "-th variable because it is unreachable from the outputs (the heads do not "
                                   "depend on it)"));
      target_slots_[targets_[t].node].push_back(t);
    }
    bool any_leaf = false;
    for (Node* n : order_) {
      NodeState& s = state_[n];
      // A grad_req='null' leaf takes no gradient: nothing is computed for it,
      // and after the pass it has no .grad at all (MXNet's None).
      const bool null_leaf = n->is_leaf() && static_cast<LeafNode*>(n)->req == GradReq::Null;
      if (null_leaf && to_leaves_) null_leaves_.push_back(static_cast<LeafNode*>(n));
      if (to_leaves_ ? n->is_leaf() && !null_leaf : target_slots_.count(n) > 0) s.needed = true;
      if (n->is_leaf() && !null_leaf) any_leaf = true;
      for (const Edge& e : n->next_edges)
        if (e.node && state_[e.node.get()].needed) s.needed = true;
    }
    if (to_leaves_ && !any_leaf) throw Error(api_, "There are no inputs in computation graph that require gradients.");
    for (Node* n : order_) {
      if (!state_[n].needed) continue;
      // A target node only passes gradients on if something below it is needed.
      for (const Edge& e : n->next_edges)
        if (e.node && state_[e.node.get()].needed) ++state_[e.node.get()].dependencies;
    }
  }

  // 4. The heads' gradients.
  void seed_heads(const std::vector<NDArray>& heads) {
    for (size_t i = 0; i < heads.size(); ++i) {
      NodeState& s = state_[head_nodes_[i].get()];
      if (s.grads.empty()) s.grads.resize(head_nodes_[i]->output_meta.size());
      accumulate(s.grads, heads[i].impl()->output_index, seeds_[i]);
    }
  }

  std::vector<Node*> first_wave() {
    std::vector<Node*> wave;
    for (auto& n : head_nodes_) {
      NodeState& s = state_[n.get()];
      if (s.needed && s.dependencies == 0 && !s.grads.empty()) {
        wave.push_back(n.get());
        s.dependencies = -1;  // queued
      }
    }
    return wave;
  }

  // 5. One wave: every node whose needed consumers have all run. Within a
  // wave the nodes are independent, so they may run in parallel; their
  // gradients are then passed on in a fixed order (latest recorded first),
  // which makes the sums - and so the results - the same bits whatever the
  // number of threads. Returns the next wave.
  std::vector<Node*> run_wave(std::vector<Node*> wave, std::vector<NDArray>& results) {
    std::sort(wave.begin(), wave.end(), [](Node* a, Node* b) { return a->sequence_nr > b->sequence_nr; });
    std::vector<Task> tasks(wave.size());
    std::vector<Task*> runs;
    for (size_t w = 0; w < wave.size(); ++w)
      if (prepare(wave[w], tasks[w], results)) runs.push_back(&tasks[w]);
    execute(runs);
    std::vector<Node*> next;
    for (Task& t : tasks) pass_on(t, next);
    return next;
  }

  // A node's incoming gradients: a target's are recorded, a leaf's are
  // written to its buffer; true when the node's gradient function must run.
  bool prepare(Node* n, Task& t, std::vector<NDArray>& results) {
    t.node = n;
    t.grads = std::move(state_[n].grads);
    t.grads.resize(n->output_meta.size());
    auto slots = target_slots_.find(n);
    if (slots != target_slots_.end())
      for (size_t k : slots->second) {
        const NDArray& g = t.grads[targets_[k].index];
        const TensorMeta& meta = n->output_meta[targets_[k].index];
        results[k] = g.defined() ? g : np::zeros(meta.shape, meta.dtype);
      }
    const bool any_grad = std::any_of(t.grads.begin(), t.grads.end(), [](const NDArray& g) { return g.defined(); });
    if (n->is_leaf()) {
      // A leaf reached only through ops without a gradient (a cast of a
      // comparison) gets zeros, as MXNet writes them.
      const TensorMeta& meta = n->output_meta[0];
      if (to_leaves_) {
        auto* leaf = static_cast<LeafNode*>(n);
        leaf->accumulate(any_grad ? t.grads[0] : np::zeros(meta.shape, meta.dtype));
        if (leaf->on_grad) leaf->on_grad();  // its gradient is final for this pass
      }
      return false;
    }
    for (size_t i = 0; i < n->next_edges.size(); ++i) {
      const Edge& e = n->next_edges[i];
      if (e.node && state_[e.node.get()].needed) t.needs |= 1ull << i;
    }
    if (!t.needs || !any_grad) return false;
    for (size_t k = 0; k < t.grads.size(); ++k)
      if (!t.grads[k].defined()) t.grads[k] = np::zeros(n->output_meta[k].shape, n->output_meta[k].dtype);
    t.run = true;
    return true;
  }

  void run_task(Task& t) const {
    const BackwardOptions opts{create_graph_, train_mode_};
    if (anomaly_mode()) {
      AnomalyContext context(t.node);
      t.input_grads = t.node->apply(t.grads, t.needs, opts);
    } else {
      t.input_grads = t.node->apply(t.grads, t.needs, opts);
    }
  }

  // Parallel waves only where nothing thread-local matters (no recording, no
  // anomaly checks, no Python callbacks) and where the nodes are mid-sized:
  // a large node's kernels use the pool themselves, and tiny nodes cost less
  // than waking the workers.
  bool worth_parallel(const std::vector<Task*>& runs) const {
    if (create_graph_ || anomaly_mode() || num_threads() <= 1 || runs.size() < 2) return false;
    int64_t total = 0;
    for (Task* t : runs) {
      if (!dynamic_cast<OpNode*>(t->node)) return false;
      int64_t work = 0;
      for (const TensorMeta& m : t->node->output_meta) work += shape_size(m.shape);
      if (work >= 2 * kParallelBackwardGrain) return false;
      total += work;
    }
    return total >= kParallelBackwardGrain;
  }

  void execute(const std::vector<Task*>& runs) {
    if (!worth_parallel(runs)) {
      for (Task* t : runs) run_task(*t);
      return;
    }
    g_parallel_waves.fetch_add(1, std::memory_order_relaxed);
    parallel_for(static_cast<int64_t>(runs.size()), 1, [&](int64_t begin, int64_t end) {
      FlagScope worker_flags(false, train_mode_);  // the pool's threads have their own flags
      for (int64_t r = begin; r < end; ++r) run_task(*runs[static_cast<size_t>(r)]);
    });
  }

  // A node's input gradients summed into its inputs' nodes (which join the
  // next wave once their last needed consumer has run); the node's saved
  // arrays are freed unless the graph is retained.
  void pass_on(Task& t, std::vector<Node*>& next) {
    Node* n = t.node;
    if (n->is_leaf()) return;
    if (t.run) {
      MXLITE_CHECK(t.input_grads.size() == n->next_edges.size(), n->name(), "gradient function returned ",
                   t.input_grads.size(), " gradients for ", n->next_edges.size(), " inputs");
      if (anomaly_mode())
        for (size_t i = 0; i < t.input_grads.size(); ++i)
          if ((t.needs >> i) & 1u) check_gradient_finite(*n, i, t.input_grads[i]);
    }
    if (!retain_graph_) n->release();
    for (size_t i = 0; i < n->next_edges.size(); ++i) {
      const Edge& e = n->next_edges[i];
      if (!e.node || !((t.needs >> i) & 1u)) continue;
      NodeState& child = state_[e.node.get()];
      if (i < t.input_grads.size() && t.input_grads[i].defined()) {
        if (child.grads.empty()) child.grads.resize(e.node->output_meta.size());
        accumulate(child.grads, e.index, t.input_grads[i]);
      }
      if (--child.dependencies == 0) next.push_back(e.node.get());
    }
  }

  const std::vector<Target>& targets_;
  const bool retain_graph_, create_graph_, train_mode_;
  const char* api_;
  const bool to_leaves_;
  std::vector<std::shared_ptr<Node>> head_nodes_;
  std::vector<NDArray> seeds_;
  std::unordered_map<Node*, NodeState> state_;
  std::vector<Node*> order_;
  std::unordered_map<Node*, std::vector<size_t>> target_slots_;
  std::vector<LeafNode*> null_leaves_;
};

std::vector<NDArray> run_backward(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads,
                                  const std::vector<Target>& targets, bool retain_graph, bool create_graph,
                                  bool train_mode, const char* api) {
  return BackwardPass(targets, retain_graph, create_graph, train_mode, api).run(heads, head_grads);
}

}  // namespace

uint64_t parallel_waves_run() { return g_parallel_waves.load(std::memory_order_relaxed); }

void LeafNode::drop_gradient() {
  std::lock_guard<std::mutex> lock(mu);
  grad = NDArray();
}

void LeafNode::accumulate(const NDArray& g) {
  std::lock_guard<std::mutex> lock(mu);
  if (req == GradReq::Null) return;
  MXLITE_CHECK(g.shape() == grad.shape(), "backward", "gradient of shape ", g.shape(),
               " does not fit the gradient buffer of shape ", grad.shape());
  Pause pause;  // writing a .grad buffer is never part of a graph
  grad.assign(req == GradReq::Add ? np::add(grad, g) : g);
  fresh_grad = true;
}

void set_grad_hook(const NDArray& variable, std::function<void()> hook) {
  MXLITE_CHECK(variable.defined() && variable.impl()->node && variable.impl()->node->is_leaf(), "set_grad_hook",
               "the array is not marked for gradients (call attach_grad() first)");
  auto* leaf = static_cast<LeafNode*>(variable.impl()->node.get());
  std::lock_guard<std::mutex> lock(leaf->mu);
  leaf->on_grad = std::move(hook);
}

void backward(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads, bool retain_graph,
              bool train_mode) {
  run_backward(heads, head_grads, {}, retain_graph, false, train_mode, "backward");
}

std::vector<NDArray> grad(const std::vector<NDArray>& heads, const std::vector<NDArray>& variables,
                          const std::vector<NDArray>& head_grads, bool create_graph, int retain_graph,
                          bool train_mode) {
  MXLITE_CHECK(!variables.empty(), "grad", "no variables to differentiate with respect to");
  std::vector<Target> targets;
  for (size_t i = 0; i < variables.size(); ++i) {
    const NDArray& v = variables[i];
    if (!v.defined() || !tracks_grad(v))
      throw Error("grad", concat("Cannot differentiate with respect to the ", i + 1,
                                 "-th variable because it does not require gradient (call attach_grad() on it "
                                 "before recording)."));
    if (v.grad_req() == GradReq::Null && v.impl()->node->is_leaf())
      throw Error("grad", concat("Cannot differentiate with respect to the ", i + 1,
                                 "-th variable because its grad_req is 'null'"));
    targets.push_back(Target{v.impl()->node.get(), v.impl()->output_index});
  }
  bool retain = retain_graph < 0 ? create_graph : retain_graph != 0;
  return run_backward(heads, head_grads, targets, retain, create_graph, train_mode, "grad");
}

void mark_variables(const std::vector<NDArray>& variables, const std::vector<NDArray>& gradients,
                    const std::vector<GradReq>& reqs) {
  MXLITE_CHECK(variables.size() == gradients.size(), "mark_variables", "got ", variables.size(), " variables but ",
               gradients.size(), " gradient buffers");
  MXLITE_CHECK(reqs.size() == 1 || reqs.size() == variables.size(), "mark_variables", "got ", reqs.size(),
               " grad_reqs for ", variables.size(), " variables");
  for (size_t i = 0; i < variables.size(); ++i) {
    MXLITE_CHECK(gradients[i].shape() == variables[i].shape(), "mark_variables", "gradient buffer ", i, " has shape ",
                 gradients[i].shape(), " but the variable has shape ", variables[i].shape());
    variables[i].mark_variable(gradients[i], reqs.size() == 1 ? reqs[0] : reqs[i]);
  }
}

}  // namespace autograd
}  // namespace mxlite
