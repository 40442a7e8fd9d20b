// Graph capture and replay (see mxlite/cached_graph.h): a capture maps every
// array it sees to a reference (graph input, constant, or a step's output)
// and appends one step per op; finish() turns the constants that are
// parameters into parameter slots and works out when a replay may drop each
// intermediate.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "capture.h"
#include "mxlite/autograd.h"

namespace mxlite {

using Ref = CachedGraph::Ref;
using Step = CachedGraph::Step;

struct CaptureState {
  std::unique_ptr<CachedGraph> graph = std::make_unique<CachedGraph>();
  std::unordered_map<const NDArrayImpl*, Ref> refs;
  // Every array seen stays alive until finish(), so no address is reused by a
  // new array that would then be mistaken for it.
  std::vector<std::shared_ptr<NDArrayImpl>> seen;
  // Storages of traced values (inputs and step results): an unknown array on
  // one of them was derived by a path the capture does not see.
  std::unordered_set<const Storage*> traced_storages;
  std::vector<TensorMeta> input_meta;
  bool finished = false;

  void bind(const NDArray& a, Ref r) {
    refs[a.impl().get()] = r;
    seen.push_back(a.impl());
    if (r.kind == Ref::Input || r.kind == Ref::Step) traced_storages.insert(a.storage().get());
  }

  Ref ref_of(const NDArray& a, const char* who) {
    auto it = refs.find(a.impl().get());
    if (it != refs.end()) return it->second;
    MXLITE_CHECK(!traced_storages.count(a.storage().get()), who, "an array of shape ", a.shape(),
                 " shares memory with a traced value but was made outside the ops a hybridized graph records; it "
                 "cannot be replayed");
    Ref r{Ref::Const, static_cast<uint32_t>(graph->constants_.size()), 0};
    graph->constants_.push_back(a);
    bind(a, r);
    return r;
  }

  void add_step(Step step, Span<NDArray> results) {
    const uint32_t index = static_cast<uint32_t>(graph->steps_.size());
    step.num_outputs = static_cast<uint32_t>(results.size());
    graph->steps_.push_back(std::move(step));
    for (uint32_t k = 0; k < results.size(); ++k)
      if (results[k].defined()) bind(results[k], Ref{Ref::Step, index, k});
  }
};

namespace capture {
namespace {
thread_local CaptureState* g_current = nullptr;
}
CaptureState* current() { return g_current; }
void set_current(CaptureState* state) { g_current = state; }

void record_op(CaptureState& s, const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, const ArrayList& outputs,
               const NDArray* out) {
  Step step;
  step.kind = Step::Op;
  step.op = &op;
  step.attrs = attrs;
  step.inputs.reserve(inputs.size());
  for (const NDArray& in : inputs) step.inputs.push_back(s.ref_of(in, op.name.c_str()));
  if (out) {
    step.has_out = true;
    step.out = s.ref_of(*out, op.name.c_str());
  }
  s.add_step(std::move(step), Span<NDArray>(outputs.data(), outputs.size()));
}

void record_derived(CaptureState& s, Step::Kind kind, const NDArray& source, const Attrs& attrs,
                    const NDArray& result) {
  Step step;
  step.kind = kind;
  step.attrs = attrs;
  step.inputs.push_back(s.ref_of(source, "hybridize"));
  s.add_step(std::move(step), Span<NDArray>(&result, 1));
}

void record_assign(CaptureState& s, const NDArray& target, const NDArray& source) {
  Step step;
  step.kind = Step::Assign;
  step.inputs.push_back(s.ref_of(target, "assign"));
  step.inputs.push_back(s.ref_of(source, "assign"));
  s.add_step(std::move(step), Span<NDArray>());
}

void record_fill(CaptureState& s, const NDArray& target, double value) {
  Step step;
  step.kind = Step::Fill;
  step.attrs.scalar = value;
  step.inputs.push_back(s.ref_of(target, "fill"));
  s.add_step(std::move(step), Span<NDArray>());
}

}  // namespace capture

GraphCapture::GraphCapture(Span<NDArray> inputs) : state_(std::make_unique<CaptureState>()) {
  MXLITE_CHECK(capture::current() == nullptr, "hybridize",
               "a graph capture is already open on this thread (captures do not nest)");
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    MXLITE_CHECK(inputs[i].defined(), "hybridize", "input ", i, " is an undefined array");
    MXLITE_CHECK(!state_->refs.count(inputs[i].impl().get()), "hybridize", "input ", i,
                 " is the same array as an earlier input");
    state_->bind(inputs[i], Ref{Ref::Input, i, 0});
    state_->input_meta.push_back(TensorMeta{inputs[i].shape(), inputs[i].dtype()});
  }
  state_->graph->num_inputs_ = inputs.size();
  capture::set_current(state_.get());
}

GraphCapture::~GraphCapture() {
  if (capture::current() == state_.get()) capture::set_current(nullptr);
}

std::shared_ptr<CachedGraph> GraphCapture::finish(Span<NDArray> outputs, Span<NDArray> params) {
  CaptureState& s = *state_;
  MXLITE_CHECK(!s.finished, "hybridize", "this capture is already finished");
  if (capture::current() == &s) capture::set_current(nullptr);
  s.finished = true;
  CachedGraph& g = *s.graph;
  g.input_meta_ = s.input_meta;
  for (const NDArray& o : outputs) {
    MXLITE_CHECK(o.defined(), "hybridize", "an output of the captured forward is an undefined array");
    g.outputs_.push_back(s.ref_of(o, "hybridize"));
  }
  // Constants that are parameters become parameter slots.
  std::unordered_map<const NDArrayImpl*, uint32_t> param_index;
  for (uint32_t i = 0; i < params.size(); ++i) {
    MXLITE_CHECK(params[i].defined(), "hybridize", "parameter ", i, " is an undefined array");
    param_index.emplace(params[i].impl().get(), i);
    g.param_meta_.push_back(TensorMeta{params[i].shape(), params[i].dtype()});
  }
  g.num_params_ = params.size();
  std::vector<Ref> const_to(g.constants_.size());
  std::vector<NDArray> kept;
  for (uint32_t c = 0; c < g.constants_.size(); ++c) {
    auto it = param_index.find(g.constants_[c].impl().get());
    if (it != param_index.end()) {
      const_to[c] = Ref{Ref::Param, it->second, 0};
    } else {
      const_to[c] = Ref{Ref::Const, static_cast<uint32_t>(kept.size()), 0};
      kept.push_back(g.constants_[c].detach());  // a constant carries no autograd history
    }
  }
  g.constants_ = std::move(kept);
  auto rewrite = [&](Ref& r) {
    if (r.kind == Ref::Const) r = const_to[r.index];
  };
  for (Step& step : g.steps_) {
    for (Ref& r : step.inputs) rewrite(r);
    if (step.has_out) rewrite(step.out);
  }
  for (Ref& r : g.outputs_) rewrite(r);

  g.plan();
  s.refs.clear();
  s.seen.clear();
  return std::shared_ptr<CachedGraph>(std::move(s.graph));
}

void CachedGraph::plan() {
  CachedGraph& g = *this;
  g.step_output_base_.clear();
  g.num_values_ = 0;
  for (const Step& step : g.steps_) {
    g.step_output_base_.push_back(g.num_values_);
    g.num_values_ += step.num_outputs;
  }
  // Last reader of each step result: a replay drops it after that step
  // (never for outputs; an in-place target counts as read).
  std::vector<int64_t> last_use(g.num_values_, -1);
  auto slot = [&](const Ref& r) { return g.step_output_base_[r.index] + r.output; };
  for (size_t i = 0; i < g.steps_.size(); ++i) {
    for (const Ref& r : g.steps_[i].inputs)
      if (r.kind == Ref::Step) last_use[slot(r)] = static_cast<int64_t>(i);
    const Ref& o = g.steps_[i].out;
    if (g.steps_[i].has_out && o.kind == Ref::Step) last_use[slot(o)] = static_cast<int64_t>(i);
  }
  for (const Ref& r : g.outputs_)
    if (r.kind == Ref::Step) last_use[slot(r)] = static_cast<int64_t>(g.steps_.size());
  g.release_after_.assign(g.steps_.size(), {});
  for (uint32_t v = 0; v < g.num_values_; ++v) {
    // Unread results go right after the step that made them.
    int64_t at = last_use[v];
    if (at < 0) {
      size_t step =
          std::upper_bound(g.step_output_base_.begin(), g.step_output_base_.end(), v) - g.step_output_base_.begin() - 1;
      at = static_cast<int64_t>(step);
    }
    if (at < static_cast<int64_t>(g.steps_.size())) g.release_after_[at].push_back(v);
  }
}

std::shared_ptr<CachedGraph> CachedGraph::assemble(std::vector<TensorMeta> input_meta,
                                                   std::vector<TensorMeta> param_meta, std::vector<Step> steps,
                                                   std::vector<Ref> outputs, std::vector<NDArray> constants) {
  auto g = std::make_shared<CachedGraph>();
  g->num_inputs_ = input_meta.size();
  g->num_params_ = param_meta.size();
  g->input_meta_ = std::move(input_meta);
  g->param_meta_ = std::move(param_meta);
  g->constants_ = std::move(constants);
  auto check = [&](const Ref& r, size_t before, const char* what) {
    const size_t limit = r.kind == Ref::Input   ? g->num_inputs_
                         : r.kind == Ref::Param ? g->num_params_
                         : r.kind == Ref::Const ? g->constants_.size()
                                                : before;
    MXLITE_CHECK(r.index < limit, "SymbolBlock", what, " refers to a missing ",
                 r.kind == Ref::Step ? "earlier step" : "input, parameter or constant", " (index ", r.index, ")");
    if (r.kind == Ref::Step)
      MXLITE_CHECK(r.output < steps[r.index].num_outputs, "SymbolBlock", what, " refers to output ", r.output,
                   " of a step with ", steps[r.index].num_outputs);
  };
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    MXLITE_CHECK(s.kind != Step::Call, "SymbolBlock", "a setitem step cannot be loaded");
    MXLITE_CHECK(s.kind != Step::Op || s.op, "SymbolBlock", "step ", i, " has no op");
    const size_t wanted = s.kind == Step::Assign ? 2 : s.kind == Step::Op ? s.inputs.size() : 1;
    MXLITE_CHECK(s.inputs.size() == wanted, "SymbolBlock", "step ", i, " has ", s.inputs.size(), " inputs");
    for (const Ref& r : s.inputs) check(r, i, "a step");
    if (s.has_out) check(s.out, i, "a step's out");
  }
  for (const Ref& r : outputs) check(r, steps.size(), "an output");
  g->steps_ = std::move(steps);
  g->outputs_ = std::move(outputs);
  g->plan();
  return g;
}

bool capture_active() { return capture::current() != nullptr; }

bool capture_write(Span<NDArray> args, std::function<void(Span<NDArray>)> write) {
  CaptureState* s = capture::current();
  if (!s) return false;
  Step step;
  step.kind = Step::Call;
  for (const NDArray& a : args) step.inputs.push_back(s->ref_of(a, "setitem"));
  step.call = std::make_shared<const std::function<void(Span<NDArray>)>>(std::move(write));
  s->add_step(std::move(step), Span<NDArray>());
  return true;
}

bool is_traced(const NDArray& a) {
  CaptureState* s = capture::current();
  if (!s || !a.defined()) return false;
  auto it = s->refs.find(a.impl().get());
  return it != s->refs.end() ? (it->second.kind == Ref::Input || it->second.kind == Ref::Step)
                             : s->traced_storages.count(a.storage().get()) > 0;
}

void check_host_read(const NDArray& a, const char* what) {
  if (is_traced(a))
    throw NotImplementedForSymbol(
        what, concat("Function ", what,
                     " is not implemented for Symbol and only available in NDArray (a hybridized block's forward "
                     "cannot read the values of the array of shape ",
                     a.shape(), " it computes)"));
}

CapturePause::CapturePause() : saved_(capture::current()) { capture::set_current(nullptr); }
CapturePause::~CapturePause() { capture::set_current(saved_); }

std::vector<bool> CachedGraph::params_used() const {
  std::vector<bool> used(num_params_, false);
  auto mark = [&](const Ref& r) {
    if (r.kind == Ref::Param) used[r.index] = true;
  };
  for (const Step& step : steps_) {
    for (const Ref& r : step.inputs) mark(r);
    if (step.has_out) mark(step.out);
  }
  for (const Ref& r : outputs_) mark(r);
  return used;
}

ArrayList CachedGraph::run(Span<NDArray> inputs, Span<NDArray> params) const {
  MXLITE_CHECK(inputs.size() == num_inputs_ && params.size() == num_params_, "CachedGraph",
               "the graph was captured with ", num_inputs_, " inputs and ", num_params_, " parameters, got ",
               inputs.size(), " and ", params.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    MXLITE_CHECK(
        inputs[i].defined() && inputs[i].shape() == input_meta_[i].shape && inputs[i].dtype() == input_meta_[i].dtype,
        "CachedGraph", "input ", i, " must have shape ", input_meta_[i].shape, " and dtype ",
        dtype_name(input_meta_[i].dtype), " as when the graph was captured, got ",
        inputs[i].defined() ? concat(inputs[i].shape(), " ", dtype_name(inputs[i].dtype())) : "undefined");
  for (size_t i = 0; i < params.size(); ++i)
    MXLITE_CHECK(
        params[i].defined() && params[i].shape() == param_meta_[i].shape && params[i].dtype() == param_meta_[i].dtype,
        "CachedGraph", "parameter ", i, " must have shape ", param_meta_[i].shape, " and dtype ",
        dtype_name(param_meta_[i].dtype), " as when the graph was captured");
  std::vector<NDArray> values(num_values_);
  auto get = [&](const Ref& r) -> const NDArray& {
    switch (r.kind) {
      case Ref::Input:
        return inputs[r.index];
      case Ref::Param:
        return params[r.index];
      case Ref::Const:
        return constants_[r.index];
      default:
        return values[step_output_base_[r.index] + r.output];
    }
  };
  ArrayList args;
  for (size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    const uint32_t base = step_output_base_[i];
    switch (step.kind) {
      case Step::Op: {
        args.clear();
        for (const Ref& r : step.inputs) args.push_back(get(r));
        if (step.has_out) {
          values[base] = invoke1(*step.op, args, step.attrs, get(step.out));
        } else {
          ArrayList outs = invoke(*step.op, args, step.attrs);
          for (uint32_t k = 0; k < step.num_outputs && k < outs.size(); ++k) values[base + k] = std::move(outs[k]);
        }
        break;
      }
      case Step::View:
        values[base] = get(step.inputs[0]).view(step.attrs.shape);
        break;
      case Step::Slice:
        values[base] = get(step.inputs[0]).leading_slice(step.attrs.index, step.attrs.axis);
        break;
      case Step::Detach:
        values[base] = get(step.inputs[0]).detach();
        break;
      case Step::Copy:
        values[base] = get(step.inputs[0]).copy();
        break;
      case Step::Assign:
        get(step.inputs[0]).assign(get(step.inputs[1]));
        break;
      case Step::Fill:
        get(step.inputs[0]).fill(step.attrs.scalar);
        break;
      case Step::Call: {
        args.clear();
        for (const Ref& r : step.inputs) args.push_back(get(r));
        (*step.call)(args);
        break;
      }
    }
    for (uint32_t v : release_after_[i]) values[v] = NDArray();
  }
  ArrayList out;
  out.reserve(outputs_.size());
  for (const Ref& r : outputs_) out.push_back(get(r));
  return out;
}

}  // namespace mxlite
