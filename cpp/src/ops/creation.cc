// Creation ops: arrays made from attributes alone.
#include <algorithm>
#include <cmath>

#include "ops/common.h"

namespace mxlite {
namespace ops {

void register_creation_ops() {
  // full: every element is attrs.scalar; zeros and ones are full.
  register_op("full")
      .inputs(0)
      .set_infer(infer_from_attrs)
      .set_flags(kNotDifferentiable)
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
  register_op("arange")
      .inputs(0)
      .set_infer(infer_from_attrs)
      .set_flags(kNotDifferentiable)
      .set_kernel([](const Attrs& attrs, Span<NDArray>, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
          T* p = out[0].data<T>();
          const int64_t n = out[0].size();
          for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(attrs.scalar + static_cast<double>(i) * attrs.scalar2);
        });
      });
  // eye: attrs.shape is (N, M); ones on the diagonal attrs.index (k > 0: above).
  register_op("eye")
      .inputs(0)
      .set_infer(infer_from_attrs)
      .set_flags(kNotDifferentiable)
      .set_kernel([](const Attrs& attrs, Span<NDArray>, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
          T* p = out[0].data<T>();
          const int64_t rows = attrs.shape[0], cols = attrs.shape[1], k = attrs.index;
          std::fill(p, p + rows * cols, T(0));
          // Rows [first, last) hold a one; found without forming r + k for
          // offsets whose diagonal misses the matrix (they may be near int64's limits).
          int64_t first = 0, last = 0;
          if (k >= 0) {
            last = k >= cols ? 0 : std::min(rows, cols - k);
          } else if (k > -rows) {
            first = -k;
            last = std::min(rows, cols - k);
          }
          for (int64_t r = first; r < last; ++r) p[r * cols + r + k] = T(1);
        });
      });
}

}  // namespace ops

namespace np {

NDArray full(const Shape& shape, double value, DType dtype) {
  static const OpDef& o = op("full");
  for (int64_t d : shape)
    MXLITE_CHECK_AS(ValueError, d >= 0, "full", "negative dimensions are not allowed: shape ", shape);
  Attrs attrs;
  attrs.shape = shape;
  attrs.dtype = dtype;
  attrs.scalar = scalar_in_dtype(value, dtype, "full");
  return invoke1(o, {}, attrs);
}
NDArray zeros(const Shape& shape, DType dtype) { return full(shape, 0.0, dtype); }
NDArray ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }
NDArray zeros_like(const NDArray& a) { return zeros(a.shape(), a.dtype()); }
NDArray ones_like(const NDArray& a) { return ones(a.shape(), a.dtype()); }
NDArray scalar(double value, DType dtype) { return full(Shape{}, value, dtype); }

NDArray arange(double start, double stop, double step, DType dtype) {
  static const OpDef& o = op("arange");
  MXLITE_CHECK_AS(ValueError, step != 0, "arange", "step must not be zero");
  const double n = std::ceil((stop - start) / step);
  MXLITE_CHECK_AS(ValueError, !std::isnan(n), "arange", "cannot compute length from start=", start, ", stop=", stop,
                  ", step=", step);
  MXLITE_CHECK_AS(ValueError, n < 9.2e18, "arange", "array is too big: ", n, " elements from start=", start,
                  ", stop=", stop, ", step=", step);
  Attrs attrs;
  attrs.shape = Shape{n > 0 ? static_cast<int64_t>(n) : 0};
  attrs.dtype = dtype;
  attrs.scalar = start;
  attrs.scalar2 = step;
  if (is_integral(dtype)) {
    // NumPy's rule: the values step by dtype(start + step) - dtype(start), so
    // a fractional step can make every value the same.
    const double first = std::trunc(start), second = std::trunc(start + step);
    MXLITE_CHECK_AS(OverflowError, std::fabs(first) < 9.2e18 && std::fabs(second) < 9.2e18, "arange", "start=", start,
                    ", step=", step, " are out of range for ", dtype_name(dtype));
    attrs.scalar = first;
    attrs.scalar2 = second - first;
  }
  return invoke1(o, {}, attrs);
}

NDArray empty(const Shape& shape, DType dtype) { return zeros(shape, dtype); }

NDArray linspace(double start, double stop, int64_t num, bool endpoint, DType dtype) {
  static const OpDef& o = op("arange");
  MXLITE_CHECK_AS(ValueError, num >= 0, "linspace", "number of samples, ", num, ", must be non-negative");
  checked_size(Shape{num}, itemsize(dtype), "linspace");
  const int64_t intervals = endpoint ? num - 1 : num;
  Attrs attrs;
  attrs.shape = Shape{num};
  attrs.dtype = dtype;
  attrs.scalar = start;
  attrs.scalar2 = intervals > 0 ? (stop - start) / static_cast<double>(intervals) : 0.0;
  return invoke1(o, {}, attrs);
}

NDArray eye(int64_t rows, int64_t cols, int64_t k, DType dtype) {
  static const OpDef& o = op("eye");
  if (cols < 0) cols = rows;
  MXLITE_CHECK_AS(ValueError, rows >= 0 && cols >= 0, "eye", "negative dimensions are not allowed: N=", rows,
                  ", M=", cols);
  Attrs attrs;
  attrs.shape = Shape{rows, cols};
  attrs.index = k;
  attrs.dtype = dtype;
  return invoke1(o, {}, attrs);
}

}  // namespace np
}  // namespace mxlite
