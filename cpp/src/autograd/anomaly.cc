// Anomaly mode: NaN/Inf checks after every kernel and every gradient while a
// thread has it on, with errors that name the op, its place in the recording
// order and (through a provider the bindings install) where it was recorded.
#include <cmath>
#include <mutex>

#include "autograd/node.h"

namespace mxlite {
namespace autograd {
namespace {
thread_local bool t_anomaly = false;
// The node whose gradient is running on this thread (anomaly mode only).
thread_local const Node* t_backward_node = nullptr;

std::mutex g_provider_mu;
TraceProvider g_provider;

// Index of the first NaN/Inf element, or -1.
int64_t first_non_finite(const NDArray& a) {
  if (!a.defined() || !is_floating(a.dtype())) return -1;
  int64_t n = a.size();
  int64_t found = -1;
  MXLITE_ANY_DTYPE_SWITCH(a.dtype(), T, {
    const T* p = a.data<T>();
    for (int64_t i = 0; i < n; ++i)
      if (!std::isfinite(static_cast<double>(p[i]))) {
        found = i;
        break;
      }
  });
  return found;
}

double element(const NDArray& a, int64_t i) {
  double v = 0;
  MXLITE_ANY_DTYPE_SWITCH(a.dtype(), T, { v = static_cast<double>(a.data<T>()[i]); });
  return v;
}

const char* kind_of(double v) { return std::isnan(v) ? "NaN" : "Inf"; }
}  // namespace

bool anomaly_mode() { return t_anomaly; }

bool set_anomaly_mode(bool on) {
  bool prev = t_anomaly;
  t_anomaly = on;
  return prev;
}

void set_trace_provider(TraceProvider provider) {
  std::lock_guard<std::mutex> lock(g_provider_mu);
  g_provider = std::move(provider);
}

void stamp_trace(Node& node) {
  if (!t_anomaly) return;
  TraceProvider provider;
  {
    std::lock_guard<std::mutex> lock(g_provider_mu);
    provider = g_provider;
  }
  if (provider) node.trace = provider();
}

AnomalyContext::AnomalyContext(const Node* node) : prev_(t_backward_node) { t_backward_node = node; }
AnomalyContext::~AnomalyContext() { t_backward_node = prev_; }

std::string describe_node(const Node& node) {
  std::string s = concat("'", node.name(), "' (op #", node.sequence_nr, " in recording order)");
  if (!node.trace.empty()) s += ", recorded at:\n" + node.trace + "\n";
  return s;
}

void check_outputs_finite(const std::string& op_name, Span<NDArray> inputs, Span<NDArray> outputs) {
  for (size_t o = 0; o < outputs.size(); ++o) {
    int64_t at = first_non_finite(outputs[o]);
    if (at < 0) continue;
    std::ostringstream shapes;
    for (size_t i = 0; i < inputs.size(); ++i) shapes << (i ? ", " : "") << inputs[i].shape();
    std::string where = t_backward_node ? " while computing the gradient of " + describe_node(*t_backward_node)
                                        : std::string(" in forward");
    throw Error(op_name,
                concat("anomaly mode: op '", op_name, "' produced ", kind_of(element(outputs[o], at)), " in output ", o,
                       " of shape ", outputs[o].shape(), " (dtype ", dtype_name(outputs[o].dtype()), ", flat index ",
                       at, ") from inputs of shapes (", shapes.str(), ")", where));
  }
}

void check_gradient_finite(const Node& node, size_t input, const NDArray& g) {
  int64_t at = first_non_finite(g);
  if (at < 0) return;
  throw Error(node.name(),
              concat("anomaly mode: the gradient of ", describe_node(node), " for its input ", input, " contains ",
                     kind_of(element(g, at)), " (shape ", g.shape(), ", flat index ", at, ")"));
}

}  // namespace autograd
}  // namespace mxlite
