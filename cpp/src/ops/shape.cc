// Shape ops: reshape (a view), broadcast_to, transpose, expand_dims.
#include <algorithm>

#include "ops/common.h"

namespace mxlite {
namespace ops {

void register_shape_ops() {
  // reshape: a view of the input's storage with attrs.shape (already resolved).
  register_op("reshape").set_flags(kAllocatesOutputs)
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) { out.push_back(in[0].view(attrs.shape)); })
      .set_grad([](const GradCtx& g) -> ArrayList { return {np::reshape(g.ograd(0), g.input_meta(0).shape)}; });
  // broadcast_to: attrs.shape, NumPy rules.
  register_op("broadcast_to")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape b = broadcast_shapes(in[0].shape(), attrs.shape, "broadcast_to");
        MXLITE_CHECK(b == attrs.shape, "broadcast_to", "cannot broadcast an array of shape ", in[0].shape(),
                     " to shape ", attrs.shape);
        out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T,
                            kernels::broadcast_copy(in[0].data<T>(), in[0].shape(), out[0].data<T>(), out[0].shape()));
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {np::sum_to(g.ograd(0), g.input_meta(0).shape)}; });
  // transpose: out axis i is input axis attrs.axes[i] (a full permutation).
  register_op("transpose")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape s;
        for (int64_t a : attrs.axes) s.push_back(in[0].shape()[a]);
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T,
                            kernels::permute_copy(in[0].data<T>(), in[0].shape(), attrs.axes, out[0].data<T>()));
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const Axes& perm = g.attrs().axes;
        Axes inverse(perm.size(), 0);
        for (size_t i = 0; i < perm.size(); ++i) inverse[perm[i]] = static_cast<int64_t>(i);
        return {np::transpose(g.ograd(0), inverse)};
      });
}

}  // namespace ops

namespace np {

NDArray reshape(const NDArray& a, const Shape& shape) {
  static const OpDef& o = op("reshape");
  Shape resolved = shape;
  int64_t known = 1, unknown = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      MXLITE_CHECK(unknown < 0, "reshape", "can only specify one unknown dimension in shape ", shape);
      unknown = static_cast<int64_t>(i);
    } else {
      MXLITE_CHECK(shape[i] >= 0, "reshape", "invalid dimension ", shape[i], " in shape ", shape);
      known *= shape[i];
    }
  }
  if (unknown >= 0) {
    MXLITE_CHECK(known != 0 && a.size() % known == 0, "reshape", "cannot reshape array of size ", a.size(),
                 " (shape ", a.shape(), ") into shape ", shape);
    resolved[unknown] = a.size() / known;
  }
  MXLITE_CHECK(shape_size(resolved) == a.size(), "reshape", "cannot reshape array of size ", a.size(), " (shape ",
               a.shape(), ") into shape ", shape);
  Attrs attrs;
  attrs.shape = resolved;
  return invoke1(o, {a}, attrs);
}

NDArray broadcast_to(const NDArray& a, const Shape& shape) {
  static const OpDef& o = op("broadcast_to");
  if (a.shape() == shape) return a;
  Attrs attrs;
  attrs.shape = shape;
  return invoke1(o, {a}, attrs);
}

NDArray transpose(const NDArray& a, const Axes& axes) {
  static const OpDef& o = op("transpose");
  Attrs attrs;
  if (axes.empty()) {
    for (size_t i = a.ndim(); i-- > 0;) attrs.axes.push_back(static_cast<int64_t>(i));
  } else {
    MXLITE_CHECK(axes.size() == a.ndim(), "transpose", "axes ", axes, " don't match array of shape ", a.shape());
    attrs.axes = normalize_axes(axes, a.ndim(), "transpose");
  }
  return invoke1(o, {a}, attrs);
}

NDArray expand_dims(const NDArray& a, int64_t axis) {
  int64_t ax = normalize_axis(axis, a.ndim() + 1, "expand_dims");
  Shape s = a.shape();
  s.insert(static_cast<size_t>(ax), 1);
  return reshape(a, s);
}

}  // namespace np
}  // namespace mxlite
