// Creation ops: arrays made from attributes alone.
#include <cmath>

#include "ops/common.h"

namespace mxlite {
namespace ops {

void register_creation_ops() {
  // full: every element is attrs.scalar; zeros and ones are full.
  register_op("full").inputs(0).set_infer(infer_from_attrs).set_flags(kNotDifferentiable)
      .set_kernel([](const Attrs& attrs, Span<NDArray>, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
          T v = static_cast<T>(attrs.scalar);
          T* p = out[0].data<T>();
          kernels::for_range(out[0].size(), kernels::kParallelGrain, [=](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) p[i] = v;
          });
        });
      });
  // arange: attrs.scalar + i * attrs.scalar2 for i in [0, shape[0]).
  register_op("arange").inputs(0).set_infer(infer_from_attrs).set_flags(kNotDifferentiable)
      .set_kernel([](const Attrs& attrs, Span<NDArray>, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
          T* p = out[0].data<T>();
          const int64_t n = out[0].size();
          for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(attrs.scalar + static_cast<double>(i) * attrs.scalar2);
        });
      });
}

}  // namespace ops

namespace np {

NDArray full(const Shape& shape, double value, DType dtype) {
  static const OpDef& o = op("full");
  for (int64_t d : shape) MXLITE_CHECK(d >= 0, "full", "negative dimensions are not allowed: shape ", shape);
  Attrs attrs;
  attrs.shape = shape;
  attrs.dtype = dtype;
  attrs.scalar = value;
  return invoke1(o, {}, attrs);
}
NDArray zeros(const Shape& shape, DType dtype) { return full(shape, 0.0, dtype); }
NDArray ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }
NDArray zeros_like(const NDArray& a) { return zeros(a.shape(), a.dtype()); }
NDArray ones_like(const NDArray& a) { return ones(a.shape(), a.dtype()); }
NDArray scalar(double value, DType dtype) { return full(Shape{}, value, dtype); }

NDArray arange(double start, double stop, double step, DType dtype) {
  static const OpDef& o = op("arange");
  MXLITE_CHECK(step != 0, "arange", "step must not be zero");
  double n = std::ceil((stop - start) / step);
  Attrs attrs;
  attrs.shape = Shape{n > 0 ? static_cast<int64_t>(n) : 0};
  attrs.dtype = dtype;
  attrs.scalar = start;
  attrs.scalar2 = step;
  return invoke1(o, {}, attrs);
}

}  // namespace np
}  // namespace mxlite
