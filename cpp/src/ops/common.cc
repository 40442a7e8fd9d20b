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

void check_float(const NDArray& a, const char* op, const char* what) {
  MXLITE_CHECK(is_floating(a.dtype()), op, what, " must be float32 or float64, got ", dtype_name(a.dtype()), " (shape ",
               a.shape(), ")");
}

}  // namespace ops
}  // namespace mxlite
