// mxlite: capture of an imperative computation as a graph of registered ops,
// and its replay without the code that produced it (what Gluon's hybridize()
// builds on; MXNet calls the same thing a CachedOp).
//
//   GraphCapture capture({x});            // x: the graph's input 0
//   NDArray y = np::relu(np::dot(x, w));  // runs as usual, and is captured
//   std::shared_ptr<CachedGraph> g = capture.finish({y}, {w});
//   ArrayList out = g->run({x2}, {w});    // the same ops on new arrays
//
// Every op run on this thread while a capture is open becomes a step; so do
// the NDArray methods that make views (view, leading_slice, detach), copy
// and write in place (assign, fill). An array a step reads that is neither an
// input nor a step's result is a parameter (when finish() lists it) or a
// constant the graph keeps. Replay runs the steps through invoke(), so
// autograd records them as it would the original ops, and random ops draw
// new numbers each time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mxlite/base.h"
#include "mxlite/op.h"

namespace mxlite {

/// Reading the values of an array that a capture is tracing (asnumpy, item,
/// bool): the graph could not replay a decision made on them. Python sees
/// mxnet.base.NotImplementedForSymbol, as MXNet raises for a Symbol.
class NotImplementedForSymbol : public Error {
 public:
  using Error::Error;
};

class CachedGraph;
struct CaptureState;

/// Captures what runs on this thread from construction to finish(). One
/// capture may be open per thread; a replay inside a capture is captured
/// step by step. Destroying an unfinished capture discards it.
class GraphCapture {
 public:
  explicit GraphCapture(Span<NDArray> inputs);
  ~GraphCapture();
  GraphCapture(const GraphCapture&) = delete;
  GraphCapture& operator=(const GraphCapture&) = delete;

  /// Ends the capture: `outputs` are the graph's results, `params` the arrays
  /// that each run passes anew (in this order); any other outside array a
  /// step read stays a constant of the graph.
  std::shared_ptr<CachedGraph> finish(Span<NDArray> outputs, Span<NDArray> params);

 private:
  std::unique_ptr<CaptureState> state_;
};

/// True while a capture is open on this thread.
bool capture_active();
/// True when `a` is traced by the open capture: an input or a value computed
/// from the ops it captured.
bool is_traced(const NDArray& a);
/// Throws NotImplementedForSymbol naming `what` when `a` is traced by the
/// open capture (an input or a value computed from one).
void check_host_read(const NDArray& a, const char* what);

/// For in-place writes that are not ops: when a capture is open, records a
/// step that replays `write(args)` and returns true (the caller then does
/// the write itself with capturing suspended, see CapturePause).
bool capture_write(Span<NDArray> args, std::function<void(Span<NDArray>)> write);

/// Stops capturing on this thread for its lifetime (parameter initialisation
/// during a captured forward must not become part of the graph).
class CapturePause {
 public:
  CapturePause();
  ~CapturePause();
  CapturePause(const CapturePause&) = delete;
  CapturePause& operator=(const CapturePause&) = delete;

 private:
  CaptureState* saved_;
};

/// A captured graph: an immutable program of steps. Safe to run from several
/// threads at once.
class CachedGraph {
 public:
  struct Ref {
    enum Kind : uint8_t { Input, Param, Const, Step };
    Kind kind = Input;
    uint32_t index = 0;   // input, param, const or step number
    uint32_t output = 0;  // which output of a step
  };
  struct Step {
    enum Kind : uint8_t { Op, View, Slice, Detach, Copy, Assign, Fill, Call };
    Kind kind = Op;
    const OpDef* op = nullptr;  // Op
    Attrs attrs;                // Op; View: shape; Slice: index (begin), axis (end); Fill: scalar
    std::vector<Ref> inputs;    // Op: its inputs; others: the source (Assign: target, then source)
    bool has_out = false;       // Op written into out= (`out`)
    Ref out;
    uint32_t num_outputs = 1;
    // Call: an in-place write that is no op (x[1:3] = v), replayed on its inputs.
    std::shared_ptr<const std::function<void(Span<NDArray>)>> call;
  };

  /// A graph from its parts (a loaded export): checks that every reference
  /// points at an earlier step, an input, a parameter or a constant.
  static std::shared_ptr<CachedGraph> assemble(std::vector<TensorMeta> input_meta, std::vector<TensorMeta> param_meta,
                                               std::vector<Step> steps, std::vector<Ref> outputs,
                                               std::vector<NDArray> constants);

  /// Runs the steps on new inputs and parameters; returns the outputs.
  ArrayList run(Span<NDArray> inputs, Span<NDArray> params) const;

  size_t num_inputs() const { return num_inputs_; }
  size_t num_params() const { return num_params_; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::vector<Ref>& outputs() const { return outputs_; }
  const std::vector<NDArray>& constants() const { return constants_; }
  const std::vector<TensorMeta>& input_meta() const { return input_meta_; }
  const std::vector<TensorMeta>& param_meta() const { return param_meta_; }
  /// Which params (by index in finish()'s list) the steps read.
  std::vector<bool> params_used() const;

 private:
  friend class GraphCapture;
  friend struct CaptureState;
  void plan();  // fills step_output_base_, num_values_ and release_after_ from the steps
  size_t num_inputs_ = 0, num_params_ = 0;
  std::vector<TensorMeta> input_meta_, param_meta_;  // what run() must be given
  std::vector<Step> steps_;
  std::vector<Ref> outputs_;
  std::vector<NDArray> constants_;
  // Per value (step output): the step after which nothing reads it, so a
  // replay frees intermediates as it goes.
  std::vector<uint32_t> step_output_base_;
  std::vector<std::vector<uint32_t>> release_after_;  // per step: value slots to drop
  uint32_t num_values_ = 0;
};

}  // namespace mxlite
