// MXNet's sequence ops on (time, batch, ...) arrays (or (batch, time, ...)
// with axis=1) and per-batch valid lengths: SequenceMask, SequenceLast,
// SequenceReverse. They are compositions of registered ops (where, pick,
// take_along_axis), so they are differentiable in the data as those are;
// the lengths are read on the host, as MXNet reads them.
#include <algorithm>
#include <vector>

#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace np {
namespace {

struct SequenceLayout {
  size_t time_axis, batch_axis;
  int64_t steps, batch;
};

SequenceLayout layout_of(const NDArray& data, int64_t axis, const char* name) {
  MXLITE_CHECK(data.ndim() >= 2, name, "data must have at least 2 dimensions (time and batch), got shape ",
               data.shape());
  MXLITE_CHECK(axis == 0 || axis == 1, name, "axis must be 0 or 1, got ", axis);
  SequenceLayout l;
  l.time_axis = static_cast<size_t>(axis);
  l.batch_axis = 1 - l.time_axis;
  l.steps = data.shape()[l.time_axis];
  l.batch = data.shape()[l.batch_axis];
  return l;
}

// The lengths as host integers (truncated, as MXNet casts them), one per batch entry.
std::vector<int64_t> host_lengths(const NDArray& lengths, const SequenceLayout& l, const NDArray& data,
                                  const char* name) {
  MXLITE_CHECK(lengths.ndim() == 1 && lengths.size() == l.batch, name, "sequence_length of shape ", lengths.shape(),
               " must have shape (", l.batch, ",) for data of shape ", data.shape());
  NDArray n;
  {
    autograd::Pause pause;
    n = lengths.dtype() == DType::Int64 ? lengths : astype(lengths, DType::Int64);
  }
  const int64_t* p = n.data<int64_t>();
  return std::vector<int64_t>(p, p + n.size());
}

// A (time, batch) shaped array broadcast to the layout of data (dims after the
// first two are 1, time and batch swapped for axis=1).
Shape time_batch_shape(const NDArray& data, const SequenceLayout& l) {
  Shape s(data.ndim(), 1);
  s[l.time_axis] = l.steps;
  s[l.batch_axis] = l.batch;
  return s;
}

}  // namespace

NDArray sequence_mask(const NDArray& data, const NDArray& lengths, double value, int64_t axis) {
  const char* name = "SequenceMask";
  const SequenceLayout l = layout_of(data, axis, name);
  if (!lengths.defined()) return copy(data);
  std::vector<int64_t> n = host_lengths(lengths, l, data, name);
  NDArray keep = NDArray::empty(time_batch_shape(data, l), DType::Bool);
  bool* k = keep.data<bool>();
  for (int64_t t = 0; t < l.steps; ++t)
    for (int64_t b = 0; b < l.batch; ++b) k[l.time_axis == 0 ? t * l.batch + b : b * l.steps + t] = t < n[b];
  return where(keep, data, full(Shape{}, value, data.dtype()));
}

NDArray sequence_last(const NDArray& data, const NDArray& lengths, int64_t axis) {
  const char* name = "SequenceLast";
  const SequenceLayout l = layout_of(data, axis, name);
  MXLITE_CHECK(l.steps > 0, name, "data of shape ", data.shape(), " has no time steps along axis ", axis);
  std::vector<int64_t> n(static_cast<size_t>(l.batch), l.steps);
  if (lengths.defined()) n = host_lengths(lengths, l, data, name);
  Shape picked = data.shape();  // data's shape with extent 1 along the time axis
  picked[l.time_axis] = 1;
  NDArray last = NDArray::empty(picked, DType::Int64);
  int64_t* p = last.data<int64_t>();
  const int64_t inner = data.size() / std::max<int64_t>(1, l.steps * l.batch);
  for (int64_t b = 0; b < l.batch; ++b) {
    MXLITE_CHECK_AS(IndexError, n[b] >= 1 && n[b] <= l.steps, name, "sequence_length[", b, "] = ", n[b],
                    " is outside [1, ", l.steps, "] for data of shape ", data.shape());
    std::fill(p + b * inner, p + (b + 1) * inner, n[b] - 1);
  }
  Shape out = data.shape();
  out.erase(l.time_axis);
  return reshape(take_along_axis(data, last, static_cast<int64_t>(l.time_axis)), out);
}

NDArray sequence_reverse(const NDArray& data, const NDArray& lengths, int64_t axis) {
  const char* name = "SequenceReverse";
  MXLITE_CHECK(axis == 0, name, "only axis=0 is supported (as in MXNet), got ", axis);
  const SequenceLayout l = layout_of(data, axis, name);
  std::vector<int64_t> n(static_cast<size_t>(l.batch), l.steps);
  if (lengths.defined()) n = host_lengths(lengths, l, data, name);
  for (int64_t b = 0; b < l.batch; ++b)
    MXLITE_CHECK_AS(IndexError, n[b] >= 0 && n[b] <= l.steps, name, "sequence_length[", b, "] = ", n[b],
                    " is outside [0, ", l.steps, "] for data of shape ", data.shape());
  // Step t of entry b reads step n[b]-1-t inside the valid part and stays in place after it.
  const int64_t inner = data.size() / std::max<int64_t>(1, l.steps * l.batch);
  NDArray source = NDArray::empty(data.shape(), DType::Int64);
  int64_t* s = source.data<int64_t>();
  for (int64_t t = 0; t < l.steps; ++t)
    for (int64_t b = 0; b < l.batch; ++b) {
      const int64_t from = t < n[b] ? n[b] - 1 - t : t;
      std::fill(s + (t * l.batch + b) * inner, s + (t * l.batch + b + 1) * inner, from);
    }
  return take_along_axis(data, source, 0);
}

}  // namespace np
}  // namespace mxlite
