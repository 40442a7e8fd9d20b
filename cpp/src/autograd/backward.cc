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

// Runs one backward pass. With `targets` empty, every reachable leaf receives
// its gradient per grad_req; otherwise the gradients arriving at the targets
// are returned and no .grad buffer is touched.
std::vector<NDArray> run_backward(const std::vector<NDArray>& heads, const std::vector<NDArray>& head_grads,
                                  const std::vector<Target>& targets, bool retain_graph, bool create_graph,
                                  bool train_mode, const char* api) {
  MXLITE_CHECK(!heads.empty(), api, "no heads to differentiate");
  MXLITE_CHECK(head_grads.empty() || head_grads.size() == heads.size(), api, "got ", heads.size(), " heads but ",
               head_grads.size(), " head gradients; pass one per head (or None)");

  // 1. Heads and their initial gradients.
  std::vector<std::shared_ptr<Node>> head_nodes;
  std::vector<NDArray> seeds;
  for (size_t i = 0; i < heads.size(); ++i) {
    const NDArray& h = heads[i];
    MXLITE_CHECK(h.defined(), api, "head ", i, " is an undefined array");
    const auto& node = h.impl()->node;
    if (!node)
      throw Error(api, concat(kNotInGraph, " (head ", i, " of shape ", h.shape(),
                              " was not computed inside autograd.record() from arrays that require gradients.)"));
    if (node->released())
      throw Error(api, concat(kNotInGraph, " (head ", i, " of shape ", h.shape(),
                              ": its graph was already freed by a backward without retain_graph=True.)"));
    NDArray g = i < head_grads.size() ? head_grads[i] : NDArray();
    if (g.defined()) {
      MXLITE_CHECK(g.shape() == h.shape(), api, "head gradient ", i, " has shape ", g.shape(),
                   " but the head has shape ", h.shape());
      if (g.dtype() != h.dtype()) g = np::astype(g, h.dtype());
    } else {
      g = np::ones(h.shape(), h.dtype());
    }
    head_nodes.push_back(node);
    seeds.push_back(g);
  }

  // 2. Discover the graph.
  std::unordered_map<Node*, NodeState> state;
  std::vector<Node*> order;
  {
    std::vector<Node*> stack;
    for (auto& n : head_nodes)
      if (state.emplace(n.get(), NodeState()).second) {
        stack.push_back(n.get());
        order.push_back(n.get());
      }
    while (!stack.empty()) {
      Node* n = stack.back();
      stack.pop_back();
      for (const Edge& e : n->next_edges) {
        if (!e.node) continue;
        if (state.emplace(e.node.get(), NodeState()).second) {
          stack.push_back(e.node.get());
          order.push_back(e.node.get());
        }
      }
    }
  }

  // 3. Mark what must run. Inputs are always recorded before the ops that use
  // them, so ascending sequence numbers visit every node after its inputs.
  std::sort(order.begin(), order.end(), [](Node* a, Node* b) { return a->sequence_nr < b->sequence_nr; });
  std::unordered_map<Node*, std::vector<size_t>> target_slots;
  for (size_t t = 0; t < targets.size(); ++t) {
    auto it = state.find(targets[t].node);
    if (it == state.end())
      throw Error("grad", concat("Cannot differentiate with respect to the ", t + 1,
                                 "-th variable because it is unreachable from the outputs (the heads do not "
                                 "depend on it)"));
    target_slots[targets[t].node].push_back(t);
  }
  const bool to_leaves = targets.empty();
  bool any_leaf = false;
  for (Node* n : order) {
    NodeState& s = state[n];
    if (to_leaves ? n->is_leaf() : target_slots.count(n) > 0) s.needed = true;
    if (n->is_leaf()) any_leaf = true;
    for (const Edge& e : n->next_edges)
      if (e.node && state[e.node.get()].needed) s.needed = true;
  }
  if (to_leaves && !any_leaf) throw Error(api, "There are no inputs in computation graph that require gradients.");
  for (Node* n : order) {
    if (!state[n].needed) continue;
    // A target node only passes gradients on if something below it is needed.
    for (const Edge& e : n->next_edges)
      if (e.node && state[e.node.get()].needed) ++state[e.node.get()].dependencies;
  }

  // 4. Seed the heads.
  for (size_t i = 0; i < heads.size(); ++i) {
    NodeState& s = state[head_nodes[i].get()];
    if (s.grads.empty()) s.grads.resize(head_nodes[i]->output_meta.size());
    accumulate(s.grads, heads[i].impl()->output_index, seeds[i]);
  }

  // 5. Run the nodes in waves: a wave is every node whose needed consumers
  // have all run. Within a wave the nodes are independent, so they may run
  // in parallel; their gradients are then passed on in a fixed order (latest
  // recorded first), which makes the sums - and so the results - the same
  // bits whatever the number of threads.
  FlagScope flags(create_graph, train_mode);
  BackwardOptions opts{create_graph, train_mode};
  struct Task {
    Node* node;
    ArrayList grads;
    uint64_t needs = 0;
    bool run = false;
    ArrayList input_grads;
  };
  auto run_task = [&opts](Task& t) {
    if (anomaly_mode()) {
      AnomalyContext context(t.node);
      t.input_grads = t.node->apply(t.grads, t.needs, opts);
    } else {
      t.input_grads = t.node->apply(t.grads, t.needs, opts);
    }
  };
  // Parallel waves only where nothing thread-local matters (no recording, no
  // anomaly checks, no Python callbacks) and where the nodes are mid-sized:
  // a large node's kernels use the pool themselves, and tiny nodes cost less
  // than waking the workers.
  const bool may_parallelise = !create_graph && !anomaly_mode() && num_threads() > 1;
  auto worth_parallel = [](const std::vector<Task*>& runs) {
    if (runs.size() < 2) return false;
    int64_t total = 0;
    for (Task* t : runs) {
      if (!dynamic_cast<OpNode*>(t->node)) return false;
      int64_t work = 0;
      for (const TensorMeta& m : t->node->output_meta) work += shape_size(m.shape);
      if (work >= 2 * kParallelBackwardGrain) return false;
      total += work;
    }
    return total >= kParallelBackwardGrain;
  };

  std::vector<NDArray> results(targets.size());
  std::vector<Node*> wave;
  for (auto& n : head_nodes) {
    NodeState& s = state[n.get()];
    if (s.needed && s.dependencies == 0 && !s.grads.empty()) {
      wave.push_back(n.get());
      s.dependencies = -1;  // queued
    }
  }
  while (!wave.empty()) {
    std::sort(wave.begin(), wave.end(), [](Node* a, Node* b) { return a->sequence_nr > b->sequence_nr; });
    std::vector<Task> tasks(wave.size());
    std::vector<Task*> runs;
    for (size_t w = 0; w < wave.size(); ++w) {
      Node* n = wave[w];
      Task& t = tasks[w];
      t.node = n;
      t.grads = std::move(state[n].grads);
      t.grads.resize(n->output_meta.size());
      auto slots = target_slots.find(n);
      if (slots != target_slots.end())
        for (size_t k : slots->second) {
          const NDArray& g = t.grads[targets[k].index];
          results[k] = g.defined()
                           ? g
                           : np::zeros(n->output_meta[targets[k].index].shape, n->output_meta[targets[k].index].dtype);
        }
      bool any_grad = std::any_of(t.grads.begin(), t.grads.end(), [](const NDArray& g) { return g.defined(); });
      if (n->is_leaf()) {
        if (to_leaves && any_grad) static_cast<LeafNode*>(n)->accumulate(t.grads[0]);
        continue;
      }
      for (size_t i = 0; i < n->next_edges.size(); ++i) {
        const Edge& e = n->next_edges[i];
        if (e.node && state[e.node.get()].needed) t.needs |= 1ull << i;
      }
      if (t.needs && any_grad) {
        for (size_t k = 0; k < t.grads.size(); ++k)
          if (!t.grads[k].defined()) t.grads[k] = np::zeros(n->output_meta[k].shape, n->output_meta[k].dtype);
        t.run = true;
        runs.push_back(&t);
      }
    }
    if (may_parallelise && worth_parallel(runs)) {
      g_parallel_waves.fetch_add(1, std::memory_order_relaxed);
      parallel_for(static_cast<int64_t>(runs.size()), 1, [&](int64_t begin, int64_t end) {
        FlagScope worker_flags(false, train_mode);  // the pool's threads have their own flags
        for (int64_t r = begin; r < end; ++r) run_task(*runs[static_cast<size_t>(r)]);
      });
    } else {
      for (Task* t : runs) run_task(*t);
    }

    std::vector<Node*> next;
    for (Task& t : tasks) {
      Node* n = t.node;
      if (n->is_leaf()) continue;
      if (t.run) {
        MXLITE_CHECK(t.input_grads.size() == n->next_edges.size(), n->name(), "gradient function returned ",
                     t.input_grads.size(), " gradients for ", n->next_edges.size(), " inputs");
        if (anomaly_mode())
          for (size_t i = 0; i < t.input_grads.size(); ++i)
            if ((t.needs >> i) & 1u) check_gradient_finite(*n, i, t.input_grads[i]);
      }
      if (!retain_graph) n->release();
      for (size_t i = 0; i < n->next_edges.size(); ++i) {
        const Edge& e = n->next_edges[i];
        if (!e.node || !((t.needs >> i) & 1u)) continue;
        NodeState& child = state[e.node.get()];
        if (i < t.input_grads.size() && t.input_grads[i].defined()) {
          if (child.grads.empty()) child.grads.resize(e.node->output_meta.size());
          accumulate(child.grads, e.index, t.input_grads[i]);
        }
        if (--child.dependencies == 0) next.push_back(e.node.get());
      }
    }
    wave = std::move(next);
  }
  return results;
}

}  // namespace

uint64_t parallel_waves_run() { return g_parallel_waves.load(std::memory_order_relaxed); }

void LeafNode::accumulate(const NDArray& g) {
  std::lock_guard<std::mutex> lock(mu);
  if (req == GradReq::Null) return;
  MXLITE_CHECK(g.shape() == grad.shape(), "backward", "gradient of shape ", g.shape(),
               " does not fit the gradient buffer of shape ", grad.shape());
  Pause pause;  // writing a .grad buffer is never part of a graph
  grad.assign(req == GradReq::Add ? np::add(grad, g) : g);
  fresh_grad = true;
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
