// mxlite (internal): the open graph capture of this thread, which invoke()
// and the NDArray methods that make views or write in place report to.
#pragma once

#include "mxlite/cached_graph.h"

namespace mxlite {
namespace capture {

/// The open capture of this thread, or null (also null while a kernel runs,
/// so ops a kernel calls internally are not captured twice).
CaptureState* current();
void set_current(CaptureState* state);

/// Clears the thread's capture for a scope (around one invoke()).
class Suspend {
 public:
  Suspend() : saved_(current()) {
    if (saved_) set_current(nullptr);
  }
  ~Suspend() {
    if (saved_) set_current(saved_);
  }
  Suspend(const Suspend&) = delete;
  Suspend& operator=(const Suspend&) = delete;
  CaptureState* state() const { return saved_; }

 private:
  CaptureState* saved_;
};

void record_op(CaptureState& s, const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, const ArrayList& outputs,
               const NDArray* out);
/// kind is View, Slice, Detach or Copy; attrs as CachedGraph::Step documents.
void record_derived(CaptureState& s, CachedGraph::Step::Kind kind, const NDArray& source, const Attrs& attrs,
                    const NDArray& result);
void record_assign(CaptureState& s, const NDArray& target, const NDArray& source);
void record_fill(CaptureState& s, const NDArray& target, double value);

}  // namespace capture
}  // namespace mxlite
