// mxlite: NDArray, a cheap handle to a row-major contiguous array.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <type_traits>
#include <vector>

#include "mxlite/context.h"
#include "mxlite/dtype.h"
#include "mxlite/shape.h"
#include "mxlite/storage.h"

namespace mxlite {

namespace autograd {
class Node;
}

/// How a marked array receives its gradient (MXNet's grad_req).
enum class GradReq : uint8_t { Null = 0, Write = 1, Add = 3 };

/// Everything one array is. Shared by all NDArray handles to the same array.
struct NDArrayImpl {
  Shape shape;
  DType dtype = DType::Float32;
  size_t offset = 0;  // bytes into storage
  std::shared_ptr<Storage> storage;
  // Autograd: the node that produced this array (or its leaf node, for arrays
  // marked with attach_grad) and which of that node's outputs it is.
  std::shared_ptr<autograd::Node> node;
  uint32_t output_index = 0;
};

/// A handle with reference semantics (like torch::Tensor): copying an NDArray
/// shares the array; `copy()` makes a new one. Data is always row-major
/// contiguous; reshapes and leading-axis slices are views of the same Storage.
class NDArray {
 public:
  NDArray() = default;
  explicit NDArray(std::shared_ptr<NDArrayImpl> impl) : impl_(std::move(impl)) {}

  /// Uninitialised array of the given shape and dtype (on the thread's default
  /// context unless `ctx` is given). A shape too big to allocate raises
  /// ValueError naming `op` (checked_size).
  static NDArray empty(const Shape& shape, DType dtype = DType::Float32, Context ctx = default_context(),
                       const char* op = "empty");
  /// Copies `shape_size(shape)` elements from `data`.
  template <class T> static NDArray from_data(const T* data, const Shape& shape) {
    NDArray a = empty(shape, DTypeOf<T>::value);
    std::copy(data, data + shape_size(shape), a.data<T>());
    return a;
  }
  template <class T> static NDArray from_vector(const std::vector<T>& v, const Shape& shape) {
    MXLITE_CHECK(static_cast<int64_t>(v.size()) == shape_size(shape), "array", "vector of ", v.size(),
                 " elements does not fit shape ", shape);
    if constexpr (std::is_same<T, bool>::value) {
      NDArray a = empty(shape, DType::Bool);
      std::copy(v.begin(), v.end(), a.data<bool>());
      return a;
    } else {
      return from_data(v.data(), shape);
    }
  }
  /// A 1-D array with the vector's values.
  template <class T> static NDArray from_vector(const std::vector<T>& v) {
    return from_vector(v, Shape{static_cast<int64_t>(v.size())});
  }
  /// Wraps memory owned by the caller (no copy); `release` runs when mxlite
  /// no longer uses it.
  static NDArray wrap(void* data, const Shape& shape, DType dtype, std::function<void()> release);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const { return impl_->shape; }
  DType dtype() const { return impl_->dtype; }
  size_t ndim() const { return impl_->shape.size(); }
  int64_t size() const { return shape_size(impl_->shape); }
  size_t nbytes() const { return static_cast<size_t>(size()) * itemsize(dtype()); }
  Context context() const { return impl_->storage->context(); }
  const std::shared_ptr<Storage>& storage() const { return impl_->storage; }
  size_t offset() const { return impl_->offset; }
  void* raw_data() const { return static_cast<char*>(impl_->storage->data()) + impl_->offset; }
  template <class T> T* data() const {
    check_dtype(DTypeOf<T>::value);
    return static_cast<T*>(raw_data());
  }
  /// The values in row-major order, converted to T (as astype would).
  template <class T> std::vector<T> to_vector() const {
    std::vector<T> out(static_cast<size_t>(size()));
    MXLITE_ANY_DTYPE_SWITCH(dtype(), S, {
      const S* src = static_cast<const S*>(raw_data());
      for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(src[i]);  // (vector<bool> has no data())
    });
    return out;
  }
  /// Copies the values in row-major order into `dst`, converted to T; `n`
  /// must be the array's size.
  template <class T> void copy_to(T* dst, size_t n) const {
    MXLITE_CHECK(n == static_cast<size_t>(size()), "copy_to", "a buffer of ", n,
                 " elements does not fit an array of shape ", shape(), " (", size(), " elements)");
    MXLITE_ANY_DTYPE_SWITCH(dtype(), S, {
      const S* src = static_cast<const S*>(raw_data());
      std::transform(src, src + n, dst, [](S v) { return static_cast<T>(v); });
    });
  }
  /// The single element of a size-1 array, converted to double.
  double item() const;

  /// A view with another shape of the same size (not recorded by autograd).
  NDArray view(const Shape& shape) const;
  /// The view of elements [begin, end) along axis 0 (not recorded).
  NDArray leading_slice(int64_t begin, int64_t end) const;
  /// A handle to the same data that autograd does not follow.
  NDArray detach() const;
  /// A new contiguous array with the same values (not recorded).
  NDArray copy() const;
  /// Copies `src`'s values into this array (shapes must match; dtypes are cast).
  void assign(const NDArray& src) const;
  /// Sets every element (cast from double).
  void fill(double value) const;
  /// Marks an in-place change of the values (see Storage::version).
  void bump_version() const { impl_->storage->bump_version(); }

  // --- autograd -------------------------------------------------------------
  /// Makes this array a leaf whose gradient lands in a zero-initialised buffer
  /// (MXNet's attach_grad). Inside record() this also cuts the recorded history.
  void attach_grad(GradReq req = GradReq::Write) const;
  /// Marks this array as a leaf with a caller-provided gradient buffer.
  void mark_variable(const NDArray& grad_buffer, GradReq req) const;
  /// The gradient buffer of a marked array, or an undefined NDArray.
  NDArray grad() const;
  GradReq grad_req() const;
  /// True once a backward pass wrote this array's gradient (MXNet _fresh_grad).
  bool fresh_grad() const;
  void set_fresh_grad(bool fresh) const;
  // (Handles are references: these change the shared array, so they are const
  // like writes through a const shared_ptr.)
  /// Whether ops on this array are recorded (it is a leaf or an unreleased op output).
  bool requires_grad() const;
  /// Removes the gradient buffer and the mark (MXNet drop_grad).
  void drop_grad() const;
  /// Backward from this array (see autograd::backward).
  void backward(const NDArray& head_grad = NDArray(), bool retain_graph = false, bool train_mode = true) const;

  const std::shared_ptr<NDArrayImpl>& impl() const { return impl_; }
  bool is_same(const NDArray& other) const { return impl_ == other.impl_; }
  bool shares_storage(const NDArray& other) const { return impl_->storage == other.impl_->storage; }

 private:
  void check_dtype(DType expected) const;
  std::shared_ptr<NDArrayImpl> impl_;
};

/// NumPy-like text of the values, e.g. "[[1, 2],\n [3, 4]]" with shape and dtype.
std::ostream& operator<<(std::ostream& os, const NDArray& a);

}  // namespace mxlite
