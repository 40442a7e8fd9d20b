// The registry (name -> OpDef) and invoke(), the one path from any API to a
// kernel: check arity, infer shapes/dtypes, allocate, run, record.
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "autograd/node.h"
#include "capture.h"
#include "kernels/parallel.h"
#include "mxlite/autograd.h"
#include "mxlite/op.h"
#include "ops/common.h"

namespace mxlite {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, std::unique_ptr<OpDef>> ops;  // entries never move once made
};

Registry& registry() {
  static Registry* r = new Registry();
  return *r;
}

}  // namespace

OpDef& register_op(const std::string& name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto& slot = r.ops[name];
  if (slot) throw Error("register_op", "op '" + name + "' is registered twice");
  slot = std::make_unique<OpDef>();
  slot->name = name;
  return *slot;
}

namespace ops {
// The built-in families register on first use (no reliance on static
// initialisers, which a static library may drop).
void ensure_builtin_ops() {
  static std::once_flag once;
  std::call_once(once, [] {
    ops::register_creation_ops();
    ops::register_unary_ops();
    ops::register_binary_ops();
    ops::register_elementwise_ops();
    ops::register_reduce_ops();
    ops::register_shape_ops();
    ops::register_indexing_ops();
    ops::register_linalg_ops();
    ops::register_la_ops();
    ops::register_random_ops();
    ops::register_gradient_control_ops();
    ops::register_nn_ops();
    ops::register_loss_output_ops();
    ops::register_conv_ops();
    ops::register_pooling_ops();
    ops::register_ctc_ops();
    ops::register_vision_ops();
    ops::register_optimizer_ops();
  });
}
}  // namespace ops
using ops::ensure_builtin_ops;

void Attrs::throw_params_mismatch(const char* wanted) {
  throw Error("op", std::string("attributes do not hold parameters of type ") + wanted +
                        " (an op read another op's parameter struct)");
}

const OpDef& op(const std::string& name) {
  ensure_builtin_ops();
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.ops.find(name);
  if (it == r.ops.end()) throw Error("op", "no op named '" + name + "' is registered");
  return *it->second;
}

std::vector<std::string> list_ops() {
  ensure_builtin_ops();
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<std::string> names;
  for (auto& kv : r.ops) names.push_back(kv.first);
  return names;
}

namespace {

std::atomic<void* (*)()> g_enter_hook{nullptr};
std::atomic<void (*)(void*)> g_leave_hook{nullptr};

// Runs the kernel, inside the long-kernel hooks when it is big enough.
void run_kernel(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, ArrayList& outputs) {
  void* (*enter)() = g_enter_hook.load(std::memory_order_relaxed);
  int64_t work = 0;
  if (enter) {
    for (const NDArray& a : inputs) work += a.size();
    for (const NDArray& a : outputs) work += a.size();
  }
  if (work < kLongKernelElements) {
    op.kernel(attrs, inputs, outputs);
    return;
  }
  struct Leave {
    void* token;
    ~Leave() {
      if (auto leave = g_leave_hook.load(std::memory_order_relaxed)) leave(token);
    }
  } guard{enter()};
  op.kernel(attrs, inputs, outputs);
}

// Checks that `out` can receive the single result `meta` of `op`, and whether
// the kernel may write into it directly (it shares no storage with an input,
// or the op is elementwise and out is exactly that input).
bool check_out(const OpDef& op, Span<NDArray> inputs, const MetaList& metas, const NDArray& out) {
  MXLITE_CHECK(metas.size() == 1, op.name, "out= is only supported for ops with one output, this one has ",
               metas.size());
  MXLITE_CHECK(metas[0].shape == out.shape() && metas[0].dtype == out.dtype(), op.name, "out= has shape ", out.shape(),
               " and dtype ", dtype_name(out.dtype()), ", but the result has shape ", metas[0].shape, " and dtype ",
               dtype_name(metas[0].dtype), " (they must be the same)");
  bool aliased = false, direct = true;
  for (const NDArray& in : inputs) {
    if (!in.shares_storage(out)) continue;
    aliased = true;
    // Exactly the same elements: an elementwise kernel reads each before it writes it.
    const bool same = (op.flags & kElementwise) && in.raw_data() == out.raw_data() && in.shape() == out.shape() &&
                      in.dtype() == out.dtype();
    direct = direct && same;
  }
  if (autograd::is_recording()) {
    // MXNet's rule: out becomes the op's output in the graph, so it must not
    // already be part of one; and an input it overwrites must not be needed.
    autograd::check_inplace_allowed(out, NDArray(), op.name.c_str());
    bool tracked = false;
    for (const NDArray& in : inputs) tracked = tracked || autograd::tracks_grad(in);
    MXLITE_CHECK(!(aliased && tracked && !(op.flags & kNotDifferentiable)), op.name,
                 "Inplace operations (+=, -=, x[:]=, etc) are not supported when recording with autograd: out= "
                 "shares memory with an input of the recorded op");
  }
  return direct;
}

// Whether `op` takes the float16 path: a float16 input or attrs.dtype, and
// no float16 kernel of its own.
bool wants_float32_twin(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs) {
  if (op.flags & kFloat16Native) return false;
  if (attrs.dtype == DType::Float16) return true;
  for (const NDArray& a : inputs)
    if (a.dtype() == DType::Float16) return true;
  return false;
}

void infer_named(const OpDef& op, const Attrs& attrs, Span<NDArray> inputs, MetaList& metas) {
  try {
    op.infer(attrs, inputs, metas);
  } catch (const Error& e) {
    // Shared shape rules don't know which op they serve: name it here.
    if (e.op() == op.name) throw;
    throw Error(op.name, e.message());
  }
}

void check_twin_metas(const OpDef& op, const MetaList& metas, const MetaList& m32, bool chunked) {
  MXLITE_CHECK(m32.size() == metas.size(), op.name, "float16 is not supported by this op");
  for (size_t i = 0; i < m32.size(); ++i) {
    const DType want = metas[i].dtype == DType::Float16 ? DType::Float32 : metas[i].dtype;
    MXLITE_CHECK(m32[i].dtype == want && (chunked || m32[i].shape == metas[i].shape), op.name,
                 "float16 is not supported by this op (its float32 form gives output ", i, " dtype ",
                 dtype_name(m32[i].dtype), " and shape ", m32[i].shape, ")");
  }
}

// Elements per block of the blocked float16 path: the float32 copies of a
// block stay in cache between conversion, kernel and rounding.
constexpr int64_t kHalfBlock = 8192;

// The float16 path of an elementwise op whose inputs and outputs all have
// one shape: block by block, float16 operands are converted into small
// float32 buffers, the kernel runs on the block and float16 results are
// rounded straight into the outputs - no whole-array float32 temporaries.
// Returns false (nothing done) when the op or the shapes do not fit.
bool run_float32_blocks(const OpDef& op, Span<NDArray> inputs, const Attrs& a32, const MetaList& metas,
                        ArrayList& outputs, const Context& ctx) {
  if (!(op.flags & kElementwise) || metas.empty()) return false;
  const Shape& shape = metas[0].shape;
  const int64_t n = shape_size(shape);
  if (n == 0) return false;
  for (const TensorMeta& m : metas)
    if (m.shape != shape) return false;
  for (const NDArray& a : inputs)
    if (a.shape() != shape) return false;
  ArrayList flat_in, flat_out;
  for (const NDArray& a : inputs) flat_in.push_back(a.view(Shape{n}));
  for (const TensorMeta& m : metas) {
    outputs.push_back(NDArray::empty(m.shape, m.dtype, ctx, op.name.c_str()));
    flat_out.push_back(outputs.back().view(Shape{n}));
  }
  const bool mutates = op.flags & kMutatesInputs;
  // Runs blocks [b, e) with buffers of its own (one set per pool task).
  auto blocks = [&](int64_t b, int64_t e, bool check) {
    ArrayList in_buf, out_buf;
    for (const NDArray& a : flat_in)
      in_buf.push_back(a.dtype() == DType::Float16 ? NDArray::empty(Shape{kHalfBlock}, DType::Float32, ctx)
                                                   : NDArray());
    for (const NDArray& o : flat_out)
      out_buf.push_back(o.dtype() == DType::Float16 ? NDArray::empty(Shape{kHalfBlock}, DType::Float32, ctx)
                                                    : NDArray());
    ArrayList in32, out32;
    for (int64_t c = b; c < e; c += kHalfBlock) {
      const int64_t len = std::min(kHalfBlock, e - c);
      in32.clear();
      out32.clear();
      for (size_t i = 0; i < flat_in.size(); ++i) {
        if (!in_buf[i].defined()) {
          in32.push_back(flat_in[i].leading_slice(c, c + len));
          continue;
        }
        NDArray buf = in_buf[i].leading_slice(0, len);
        half_to_float(flat_in[i].data<half>() + c, buf.data<float>(), len);
        in32.push_back(std::move(buf));
      }
      for (size_t i = 0; i < flat_out.size(); ++i)
        out32.push_back(out_buf[i].defined() ? out_buf[i].leading_slice(0, len)
                                             : flat_out[i].leading_slice(c, c + len));
      if (check) {
        MetaList m32;
        infer_named(op, a32, Span<NDArray>(in32.data(), in32.size()), m32);
        check_twin_metas(op, metas, m32, true);
        check = false;
      }
      op.kernel(a32, Span<NDArray>(in32.data(), in32.size()), out32);
      for (size_t i = 0; i < flat_out.size(); ++i)
        if (out_buf[i].defined()) float_to_half(out32[i].data<float>(), flat_out[i].data<half>() + c, len);
      if (mutates)
        for (size_t i = 0; i < flat_in.size(); ++i)
          if (in_buf[i].defined()) float_to_half(in32[i].data<float>(), flat_in[i].data<half>() + c, len);
    }
  };
  // The first block alone, so that a refusal is raised before any work is
  // spread; the rest over the pool in runs of whole blocks.
  const int64_t first = std::min(n, kHalfBlock);
  blocks(0, first, true);
  const int64_t rest = n - first;
  if (rest == 0) return true;
  const int64_t nblocks = (rest + kHalfBlock - 1) / kHalfBlock;
  auto body = [&](int64_t b, int64_t e) { blocks(first + b * kHalfBlock, std::min(n, first + e * kHalfBlock), false); };
  void* (*enter)() = g_enter_hook.load(std::memory_order_relaxed);
  struct Leave {
    void* token;
    ~Leave() {
      if (token)
        if (auto leave = g_leave_hook.load(std::memory_order_relaxed)) leave(token);
    }
  } guard{enter && n * static_cast<int64_t>(inputs.size() + metas.size()) >= kLongKernelElements ? enter() : nullptr};
  // Four blocks (32K elements) per task at least, as kParallelGrain.
  kernels::for_range(nblocks, 4, body);
  return true;
}

// The float16 path (see kFloat16Native): `metas` are the op's float16-aware
// output types; the float32 kernel computes and float16 outputs are rounded.
void run_float32_twin(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, const MetaList& metas,
                      ArrayList& outputs, const Context& ctx) {
  Attrs a32 = attrs;
  if (a32.dtype == DType::Float16) a32.dtype = DType::Float32;
  if (op.flags & kScalarOperand) a32.scalar = static_cast<float>(half(a32.scalar));
  if (run_float32_blocks(op, inputs, a32, metas, outputs, ctx)) return;
  ArrayList in32;
  in32.reserve(inputs.size());
  for (const NDArray& a : inputs) in32.push_back(a.dtype() == DType::Float16 ? ops::half_as_float(a) : a);
  MetaList m32;
  infer_named(op, a32, Span<NDArray>(in32.data(), in32.size()), m32);
  check_twin_metas(op, metas, m32, false);
  ArrayList out32;
  out32.reserve(m32.size());
  for (const TensorMeta& m : m32) out32.push_back(NDArray::empty(m.shape, m.dtype, ctx, op.name.c_str()));
  run_kernel(op, Span<NDArray>(in32.data(), in32.size()), a32, out32);
  if (op.flags & kMutatesInputs)
    for (size_t i = 0; i < inputs.size(); ++i)
      if (inputs[i].dtype() == DType::Float16) ops::float_into_half(in32[i], inputs[i]);
  for (size_t i = 0; i < metas.size(); ++i) {
    if (metas[i].dtype != DType::Float16) {
      outputs.push_back(std::move(out32[i]));
      continue;
    }
    NDArray h = NDArray::empty(metas[i].shape, DType::Float16, ctx, op.name.c_str());
    ops::float_into_half(out32[i], h);
    outputs.push_back(std::move(h));
  }
}

void run(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, ArrayList& outputs, const NDArray* out = nullptr) {
  // An open graph capture sees this op once, not the ops its kernel may call.
  capture::Suspend capturing;
  bool direct = false;
  if (op.num_inputs >= 0 && static_cast<size_t>(op.num_inputs) != inputs.size())
    throw Error(op.name, concat("expected ", op.num_inputs, " inputs, got ", inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i)
    MXLITE_CHECK(inputs[i].defined(), op.name, "input ", i, " is an undefined array");
  // Outputs, and whatever the kernel allocates, live on the first input's
  // context (as in MXNet); an op without inputs uses the default.
  const Context ctx = inputs.size() == 0 ? default_context() : inputs[0].context();
  std::optional<ContextScope> placed;
  if (inputs.size() > 0 && ctx != default_context()) placed.emplace(ctx);
  if (wants_float32_twin(op, inputs, attrs)) {
    MXLITE_CHECK(!(op.flags & kAllocatesOutputs), op.name, "float16 is not supported by this op");
    MetaList metas;
    infer_named(op, attrs, inputs, metas);
    if (out) check_out(op, inputs, metas, *out);  // validated; the result is computed aside
    run_float32_twin(op, inputs, attrs, metas, outputs, ctx);
  } else if (!(op.flags & kAllocatesOutputs)) {
    MetaList metas;
    infer_named(op, attrs, inputs, metas);
    outputs.reserve(metas.size());
    if (out) {
      direct = check_out(op, inputs, metas, *out);
      outputs.push_back(direct ? *out : NDArray::empty(metas[0].shape, metas[0].dtype, ctx, op.name.c_str()));
    } else {
      for (auto& m : metas) outputs.push_back(NDArray::empty(m.shape, m.dtype, ctx, op.name.c_str()));
    }
    run_kernel(op, inputs, attrs, outputs);
  } else {
    MXLITE_CHECK(!out, op.name, "out= is not supported by this op");
    run_kernel(op, inputs, attrs, outputs);
  }
  if (out) {
    // An out sharing storage with an input gets the result computed aside.
    if (!direct) {
      out->assign(outputs[0]);
      outputs[0] = *out;
    }
    out->bump_version();  // arrays saved for a gradient see the change
  }
  if (capturing.state()) capture::record_op(*capturing.state(), op, inputs, attrs, outputs, out);
  if (autograd::anomaly_mode()) autograd::check_outputs_finite(op.name, inputs, outputs);
  // Ops without a gradient are recorded too: backward through them gives
  // zeros, as in MXNet (x > 1, argmax, the mask in relu's gradient).
  if (autograd::is_recording()) {
    for (const NDArray& in : inputs) {
      if (autograd::tracks_grad(in)) {
        autograd::record_op(op, inputs, attrs, outputs);
        break;
      }
    }
  }
}

}  // namespace

void set_long_kernel_hooks(KernelHooks hooks) {
  g_leave_hook.store(hooks.leave);
  g_enter_hook.store(hooks.enter);
}

ArrayList invoke(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs) {
  ArrayList outputs;
  run(op, inputs, attrs, outputs);
  return outputs;
}

NDArray invoke1(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs) {
  ArrayList outputs;
  run(op, inputs, attrs, outputs);
  return std::move(outputs[0]);
}

NDArray invoke1(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, const NDArray& out) {
  ArrayList outputs;
  run(op, inputs, attrs, outputs, out.defined() ? &out : nullptr);
  return std::move(outputs[0]);
}

}  // namespace mxlite
