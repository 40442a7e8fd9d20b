#include "ops/common.h"

namespace mxlite {
namespace ops {

void infer_like_input(const Attrs&, Span<NDArray> in, MetaList& out) {
  out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
}

void infer_broadcast(const Attrs&, Span<NDArray> in, MetaList& out) {
  // The calling np:: function promotes; a mismatch here is a caller's bug.
  MXLITE_CHECK(in[0].dtype() == in[1].dtype(), "broadcast", "operands have dtypes ", dtype_name(in[0].dtype()), " and ",
               dtype_name(in[1].dtype()));
  out.push_back(TensorMeta{broadcast_shapes(in[0].shape(), in[1].shape(), "broadcast"), in[0].dtype()});
}

void infer_compare(const Attrs&, Span<NDArray> in, MetaList& out) {
  out.push_back(TensorMeta{broadcast_shapes(in[0].shape(), in[1].shape(), "compare"), DType::Bool});
}

void infer_bool_like_input(const Attrs&, Span<NDArray> in, MetaList& out) {
  out.push_back(TensorMeta{in[0].shape(), DType::Bool});
}

const OpDef& registered(const OpDef* const& def) {
  if (!def) ensure_builtin_ops();
  return *def;
}

void infer_from_attrs(const Attrs& attrs, Span<NDArray>, MetaList& out) {
  out.push_back(TensorMeta{attrs.shape, attrs.dtype});
}

NDArray half_as_float(const NDArray& a) {
  NDArray f = NDArray::empty(a.shape(), DType::Float32, a.context());
  half_to_float(a.data<half>(), f.data<float>(), a.size());
  return f;
}

void float_into_half(const NDArray& src, const NDArray& dst) {
  MXLITE_CHECK(src.size() == dst.size() && src.dtype() == DType::Float32 && dst.dtype() == DType::Float16, "float16",
               "cannot round an array of shape ", src.shape(), " and dtype ", dtype_name(src.dtype()),
               " into one of shape ", dst.shape(), " and dtype ", dtype_name(dst.dtype()));
  float_to_half(src.data<float>(), dst.data<half>(), src.size());
}

void check_float(const NDArray& a, const char* op, const char* what) {
  MXLITE_CHECK(is_floating(a.dtype()), op, what, " must be float16, float32 or float64, got ", dtype_name(a.dtype()),
               " (shape ", a.shape(), ")");
}

}  // namespace ops
}  // namespace mxlite
