// mxlite: the op registry. Each op is registered once, in its family's file
// under cpp/src/ops/, with its shape/dtype rule, its CPU kernel and its
// gradient written with other registered ops (so gradients are differentiable).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "mxlite/ndarray.h"
#include "mxlite/small_vector.h"

namespace mxlite {

/// A read-only view of a contiguous run of T.
template <class T> class Span {
 public:
  Span() = default;
  Span(const T* data, size_t size) : data_(data), size_(size) {}
  template <size_t N> Span(const SmallVector<T, N>& v) : data_(v.data()), size_(v.size()) {}
  Span(const std::vector<T>& v) : data_(v.data()), size_(v.size()) {}
  // For call arguments like invoke(op, {a, b}): the list outlives the call.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  Span(std::initializer_list<T> v) : data_(v.begin()), size_(v.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  size_t size() const { return size_; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

struct TensorMeta {
  Shape shape;
  DType dtype = DType::Float32;
};

using ArrayList = SmallVector<NDArray, 2>;
using MetaList = SmallVector<TensorMeta, 2>;

/// The attributes of one op call. Ops read the fields they document and
/// ignore the rest; a node keeps a copy so its gradient sees the same values.
struct Attrs {
  double scalar = 0.0;    // scalar operand, fill value, low bound, norm order
  double scalar2 = 0.0;   // second scalar: high bound, scale
  Shape shape;            // target shape (reshape, broadcast_to, creation, sum_to)
  Axes axes;              // reduction / permutation axes
  bool all_axes = false;  // axis=None for reductions
  bool keepdims = false;
  bool has_initial = false;  // reductions: `scalar` is an initial value that joins the reduction
  bool reverse = false;      // the scalar is the left operand (2 - x, 2 / x)
  bool transpose_a = false;  // matrix products: use the first operand transposed
  bool transpose_b = false;  // ... and the second
  int64_t axis = 0;          // a single axis
  int64_t index = 0;         // an integer index or count
  DType dtype = DType::Float32;

  /// Ops with many parameters keep them in one typed struct of their own
  /// (read back with params<P>()) rather than in the shared slots above.
  template <class P> void set_params(P p) {
    params_ = std::make_shared<const P>(std::move(p));
    params_type_ = &typeid(P);
  }
  /// Whether set_params was called (an op's own parameter struct is held).
  bool has_params() const { return params_ != nullptr; }
  template <class P> const P& params() const {
    if (params_type_ == nullptr || *params_type_ != typeid(P)) throw_params_mismatch(typeid(P).name());
    return *static_cast<const P*>(params_.get());
  }

 private:
  [[noreturn]] static void throw_params_mismatch(const char* wanted);
  std::shared_ptr<const void> params_;
  const std::type_info* params_type_ = nullptr;
};

class GradCtx;

/// Attributes as text, (name, value) pairs: what a saved graph holds.
using AttrList = std::vector<std::pair<std::string, std::string>>;
/// Writes / reads an op's parameter struct (Attrs::set_params) as text.
using EncodeParamsFn = void (*)(const Attrs& attrs, AttrList& out);
using DecodeParamsFn = void (*)(const AttrList& in, Attrs& attrs);

/// Fills `out` with the shape and dtype of every output; throws Error naming
/// the op and the shapes when the inputs are not acceptable.
using InferFn = void (*)(const Attrs& attrs, Span<NDArray> in, MetaList& out);
/// Computes outputs from inputs. Outputs arrive allocated (shape/dtype from
/// InferFn) unless the op is flagged kAllocatesOutputs.
using KernelFn = void (*)(const Attrs& attrs, Span<NDArray> in, ArrayList& out);
/// Returns one gradient per input (an undefined NDArray where there is none),
/// built with registered ops so that it is itself recorded under create_graph.
using GradFn = ArrayList (*)(const GradCtx& g);

enum OpFlags : uint32_t {
  kNoFlags = 0,
  kAllocatesOutputs = 1u << 0,   // the kernel creates its outputs (views, data-dependent shapes)
  kNotDifferentiable = 1u << 1,  // outputs never carry gradient (comparisons, argmax, random)
  // Output element i reads only element i of each same-shaped input, so out=
  // may be exactly an input (np.add(a, b, out=a)) and the kernel writes in place.
  kElementwise = 1u << 2,
  // The kernel handles float16 arrays itself (copies, gathers, views, casts).
  // Every other op sees float16 through the registry: its float16 inputs
  // (and an attrs.dtype of float16) become float32, the float32 kernel runs,
  // and the outputs whose inferred dtype is float16 are rounded back once -
  // NumPy's way of computing float16, with float32 accumulation.
  kFloat16Native = 1u << 3,
  // The kernel writes some inputs in place (optimizer states); on the
  // float16 path those inputs get the float32 results rounded back.
  kMutatesInputs = 1u << 4,
  // attrs.scalar is an operand beside the array (x + 0.1): on the float16
  // path it is rounded to float16 first, as NumPy converts it to the array's dtype.
  kScalarOperand = 1u << 5,
};

/// One registry entry. Build it with the fluent setters from a registration
/// in cpp/src/ops/*.cc; look it up once with op("name").
struct OpDef {
  std::string name;
  int num_inputs = 1;  // -1: any number
  InferFn infer = nullptr;
  KernelFn kernel = nullptr;
  GradFn grad = nullptr;
  uint32_t flags = kNoFlags;
  uint64_t saved_inputs = 0;   // bit i: the gradient reads input i
  uint64_t saved_outputs = 0;  // bit i: the gradient reads output i
  // For ops with a parameter struct: its text form, so graphs using the op
  // can be saved (HybridBlock.export) and loaded.
  EncodeParamsFn encode_params = nullptr;
  DecodeParamsFn decode_params = nullptr;

  OpDef& inputs(int n) {
    num_inputs = n;
    return *this;
  }
  OpDef& set_infer(InferFn f) {
    infer = f;
    return *this;
  }
  OpDef& set_kernel(KernelFn f) {
    kernel = f;
    return *this;
  }
  OpDef& set_grad(GradFn f) {
    grad = f;
    return *this;
  }
  OpDef& set_flags(uint32_t f) {
    flags |= f;
    return *this;
  }
  OpDef& save_inputs(std::initializer_list<int> idx) {
    for (int i : idx) saved_inputs |= 1ull << i;
    return *this;
  }
  OpDef& save_outputs(std::initializer_list<int> idx) {
    for (int i : idx) saved_outputs |= 1ull << i;
    return *this;
  }
  OpDef& set_params_codec(EncodeParamsFn encode, DecodeParamsFn decode) {
    encode_params = encode;
    decode_params = decode;
    return *this;
  }
  /// For variadic ops: the gradient reads every input.
  OpDef& save_all_inputs() {
    saved_inputs = ~0ull;
    return *this;
  }
};

/// Registers a new op; throws if the name is taken.
OpDef& register_op(const std::string& name);
/// Looks an op up by name; throws Error for an unknown name. Resolve once and
/// keep the reference: the hot paths never look ops up by string.
const OpDef& op(const std::string& name);
/// Names of every registered op, sorted.
std::vector<std::string> list_ops();

/// The attributes of a call of `op` as text (the shared fields that differ
/// from their defaults, then the op's parameter struct); Error naming the op
/// when it holds a parameter struct without a text form.
AttrList encode_attrs(const OpDef& op, const Attrs& attrs);
/// The inverse of encode_attrs; Error naming the op for a malformed list.
Attrs decode_attrs(const OpDef& op, const AttrList& text);
/// Text forms for parameter-struct codecs: integers "(1, 2, 3)".
std::string ints_text(const int64_t* values, size_t n);
std::vector<int64_t> parse_ints(const std::string& text, const char* op);
std::string real_text(double value);  // every bit kept
double parse_real(const std::string& text, const char* op);
/// The value of `key` in `list`; Error naming `op` if absent.
const std::string& attr_value(const AttrList& list, const char* key, const char* op);

/// Runs an op: checks inputs, infers output shapes/dtypes, allocates, runs the
/// kernel, and records a graph node when autograd is recording and an input
/// requires a gradient.
ArrayList invoke(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs = Attrs());
/// invoke() for single-output ops.
NDArray invoke1(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs = Attrs());
/// invoke1() writing into `out` (NumPy's and MXNet's out=) when it is defined:
/// `out` must have exactly the result's shape and dtype (Error naming the op
/// otherwise, before anything is written). The kernel writes straight into
/// out's storage unless out shares storage with an input, in which case the
/// result is computed aside and copied in (a kElementwise op writes in place
/// when out is exactly a same-shaped input). Under autograd recording out
/// becomes the op's output in the graph, as in MXNet; an out that already is
/// in a graph (attached, or an op output) is refused with MXNet's message.
/// Returns out.
NDArray invoke1(const OpDef& op, Span<NDArray> inputs, const Attrs& attrs, const NDArray& out);

/// Functions an embedding runtime may run around long kernels (those reading
/// and writing at least kLongKernelElements elements): the Python bindings
/// release the GIL there so other Python threads run meanwhile. enter()
/// returns a token that is handed to leave(); neither may throw.
struct KernelHooks {
  void* (*enter)() = nullptr;
  void (*leave)(void* token) = nullptr;
};
constexpr int64_t kLongKernelElements = int64_t(1) << 16;
/// Installs the hooks (process-wide); pass KernelHooks{} to remove them.
void set_long_kernel_hooks(KernelHooks hooks);

/// What a gradient function sees: saved inputs/outputs, the gradients arriving
/// for each output, the attributes, and which inputs need a gradient.
class GradCtx {
 public:
  GradCtx(const Attrs& attrs, const std::string& op_name) : attrs_(attrs), op_name_(op_name) {}
  const Attrs& attrs() const { return attrs_; }
  /// A saved input (the op must list it in save_inputs).
  const NDArray& input(size_t i) const;
  const TensorMeta& input_meta(size_t i) const { return input_meta_[i]; }
  size_t num_inputs() const { return input_meta_.size(); }
  /// A saved output (the op must list it in save_outputs).
  const NDArray& output(size_t i) const;
  const NDArray& ograd(size_t i) const { return ograds_[i]; }
  size_t num_outputs() const { return ograds_.size(); }
  bool needs_grad(size_t i) const { return (needs_grad_mask_ >> i) & 1u; }

  // Filled by the backward executor.
  ArrayList inputs_, outputs_, ograds_;
  MetaList input_meta_;
  uint64_t needs_grad_mask_ = ~0ull;

 private:
  const Attrs& attrs_;
  const std::string& op_name_;
};

}  // namespace mxlite
