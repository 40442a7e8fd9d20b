#include "mxlite/ndarray.h"

#include <cstring>
#include <iomanip>

#include "autograd/node.h"
#include "capture.h"
#include "mxlite/autograd.h"
#include "mxlite/ops.h"

namespace mxlite {

NDArray NDArray::empty(const Shape& shape, DType dtype, Context ctx, const char* op) {
  const int64_t n = checked_size(shape, itemsize(dtype), op);
  auto impl = std::make_shared<NDArrayImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  impl->storage = Storage::allocate(static_cast<size_t>(n) * itemsize(dtype), ctx);
  return NDArray(std::move(impl));
}

NDArray NDArray::wrap(void* data, const Shape& shape, DType dtype, std::function<void()> release) {
  const int64_t n = checked_size(shape, itemsize(dtype), "wrap");
  auto impl = std::make_shared<NDArrayImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  impl->storage = Storage::wrap(data, static_cast<size_t>(n) * itemsize(dtype), std::move(release));
  return NDArray(std::move(impl));
}

void NDArray::check_dtype(DType expected) const {
  MXLITE_CHECK(dtype() == expected, "data", "array has dtype ", dtype_name(dtype()), ", not ", dtype_name(expected));
}

double NDArray::item() const {
  MXLITE_CHECK(defined(), "item", "the array is undefined (an empty handle, e.g. the grad() of an array without one)");
  MXLITE_CHECK(size() == 1, "item", "can only convert an array of size 1 to a Python scalar, got shape ", shape());
  double v = 0;
  MXLITE_ANY_DTYPE_SWITCH(dtype(), T, v = static_cast<double>(*static_cast<const T*>(raw_data())));
  return v;
}

namespace {
// A view of `src`'s storage with another shape and byte offset.
NDArray make_view(const NDArray& src, const Shape& shape, size_t offset) {
  auto impl = std::make_shared<NDArrayImpl>();
  impl->shape = shape;
  impl->dtype = src.dtype();
  impl->offset = offset;
  impl->storage = src.storage();
  return NDArray(std::move(impl));
}

// Reports an array derived from `src` to the thread's open capture, if any.
void captured(CachedGraph::Step::Kind kind, const NDArray& src, const Attrs& attrs, const NDArray& result) {
  if (CaptureState* s = capture::current()) capture::record_derived(*s, kind, src, attrs, result);
}
}  // namespace

NDArray NDArray::view(const Shape& shape) const {
  MXLITE_CHECK(checked_size(shape, itemsize(dtype()), "reshape") == size(), "reshape", "cannot reshape array of shape ",
               this->shape(), " into shape ", shape);
  NDArray out = make_view(*this, shape, offset());
  if (capture::current()) {
    Attrs attrs;
    attrs.shape = shape;
    captured(CachedGraph::Step::View, *this, attrs, out);
  }
  return out;
}

NDArray NDArray::leading_slice(int64_t begin, int64_t end) const {
  MXLITE_CHECK(ndim() >= 1 && 0 <= begin && begin <= end && end <= shape()[0], "slice", "range [", begin, ", ", end,
               ") out of bounds for axis 0 of shape ", shape());
  Shape s = shape();
  int64_t row = s[0] ? size() / s[0] : 0;
  s[0] = end - begin;
  NDArray out = make_view(*this, s, offset() + static_cast<size_t>(begin * row) * itemsize(dtype()));
  if (capture::current()) {
    Attrs attrs;
    attrs.index = begin;
    attrs.axis = end;
    captured(CachedGraph::Step::Slice, *this, attrs, out);
  }
  return out;
}

NDArray NDArray::detach() const {
  NDArray out = make_view(*this, shape(), offset());
  if (capture::current()) captured(CachedGraph::Step::Detach, *this, Attrs(), out);
  return out;
}

NDArray NDArray::copy() const {
  NDArray out = empty(shape(), dtype(), context());
  std::memcpy(out.raw_data(), raw_data(), nbytes());
  if (capture::current()) captured(CachedGraph::Step::Copy, *this, Attrs(), out);
  return out;
}

void NDArray::assign(const NDArray& src) const {
  if (CaptureState* s = capture::current()) {
    // Captured as one step; what assign does inside is not.
    capture::record_assign(*s, *this, src);
    capture::Suspend suspended;
    assign(src);
    return;
  }
  if (src.dtype() != dtype()) {
    autograd::Pause pause;
    assign(np::astype(src, dtype()));
    return;
  }
  if (src.shape() != shape()) {
    MXLITE_CHECK(src.size() == 1, "assign", "cannot assign an array of shape ", src.shape(), " to an array of shape ",
                 shape());
    fill(src.item());
    return;
  }
  if (raw_data() != src.raw_data()) std::memmove(raw_data(), src.raw_data(), nbytes());
  bump_version();
}

void NDArray::fill(double value) const {
  if (CaptureState* s = capture::current()) capture::record_fill(*s, *this, value);
  MXLITE_ANY_DTYPE_SWITCH(dtype(), T, {
    T v = static_cast<T>(value);
    T* p = static_cast<T*>(raw_data());
    std::fill(p, p + size(), v);
  });
  bump_version();
}

// ---- autograd ---------------------------------------------------------------

void NDArray::attach_grad(GradReq req) const {
  ContextScope placed(context());  // the gradient lives beside its array
  NDArray buffer = np::zeros(shape(), dtype());
  mark_variable(buffer, req);
}

void NDArray::mark_variable(const NDArray& grad_buffer, GradReq req) const {
  auto leaf = std::make_shared<autograd::LeafNode>();
  leaf->grad = grad_buffer;
  leaf->req = req;
  leaf->sequence_nr = autograd::next_sequence_nr();
  leaf->output_meta.push_back(TensorMeta{shape(), dtype()});
  impl_->node = std::move(leaf);
  impl_->output_index = 0;
}

static autograd::LeafNode* as_leaf(const NDArrayImpl& impl) {
  return impl.node && impl.node->is_leaf() ? static_cast<autograd::LeafNode*>(impl.node.get()) : nullptr;
}

NDArray NDArray::grad() const {
  auto* leaf = as_leaf(*impl_);
  return leaf ? leaf->grad : NDArray();
}

GradReq NDArray::grad_req() const {
  auto* leaf = as_leaf(*impl_);
  return leaf ? leaf->req : GradReq::Null;
}

bool NDArray::fresh_grad() const {
  auto* leaf = as_leaf(*impl_);
  return leaf && leaf->fresh_grad;
}

void NDArray::set_fresh_grad(bool fresh) const {
  auto* leaf = as_leaf(*impl_);
  MXLITE_CHECK(leaf, "_fresh_grad", "the array has no gradient buffer (call attach_grad first)");
  leaf->fresh_grad = fresh;
}

bool NDArray::requires_grad() const { return autograd::tracks_grad(*this); }

void NDArray::drop_grad() const {
  MXLITE_CHECK(as_leaf(*impl_), "drop_grad", "the array has no gradient buffer to drop");
  impl_->node.reset();
}

void NDArray::backward(const NDArray& head_grad, bool retain_graph, bool train_mode) const {
  autograd::backward({*this}, {head_grad}, retain_graph, train_mode);
}

// ---- printing ----------------------------------------------------------------

namespace {
template <class T> void print_value(std::ostream& os, T v) {
  if constexpr (std::is_same<T, bool>::value) {
    os << (v ? "true" : "false");
  } else if constexpr (std::is_floating_point<T>::value) {
    os << v;
  } else if constexpr (std::is_same<T, half>::value) {
    os << static_cast<float>(v);
  } else {
    os << static_cast<int64_t>(v);
  }
}

// Above this many elements, each axis longer than 2 * kEdgeItems shows only
// its first and last kEdgeItems entries around "..." (NumPy's summarisation).
constexpr int64_t kSummaryThreshold = 1000;
constexpr int64_t kEdgeItems = 3;

template <class T>
void print_rec(std::ostream& os, const T* p, const Shape& s, size_t dim, int indent, bool summarize) {
  if (dim == s.size()) {
    print_value(os, *p);
    return;
  }
  int64_t stride = 1;
  for (size_t d = dim + 1; d < s.size(); ++d) stride *= s[d];
  const bool innermost = dim + 1 == s.size();
  auto separator = [&] {
    os << ',';
    if (innermost) {
      os << ' ';
    } else {
      os << '\n' << std::string(static_cast<size_t>(indent + 1), ' ');
    }
  };
  const int64_t n = s[dim];
  const bool elide = summarize && n > 2 * kEdgeItems;
  os << '[';
  for (int64_t i = 0; i < n; ++i) {
    if (elide && i == kEdgeItems) {
      separator();
      os << "...";
      i = n - kEdgeItems;
    }
    if (i) separator();
    print_rec(os, p + i * stride, s, dim + 1, indent + 1, summarize);
  }
  os << ']';
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const NDArray& a) {
  if (!a.defined()) return os << "NDArray(undefined)";
  MXLITE_ANY_DTYPE_SWITCH(
      a.dtype(), T, print_rec(os, static_cast<const T*>(a.raw_data()), a.shape(), 0, 0, a.size() > kSummaryThreshold));
  return os << "\n<NDArray " << shape_str(a.shape()) << ' ' << dtype_name(a.dtype()) << ' ' << a.context().str() << '>';
}

}  // namespace mxlite
