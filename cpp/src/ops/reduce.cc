// Reductions: sum, mean, norm and sum_to (the gradient of broadcasting).
#include <algorithm>
#include <cmath>

#include "kernels/reduce.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// The reduced axes of a call: every axis when attrs.all_axes.
Axes reduced_axes(const Attrs& attrs, size_t ndim) {
  if (attrs.all_axes) {
    Axes all;
    for (size_t i = 0; i < ndim; ++i) all.push_back(static_cast<int64_t>(i));
    return all;
  }
  return attrs.axes;  // normalised and sorted by the np:: function
}

Shape reduced_shape(const Shape& in, const Axes& axes, bool keepdims) {
  Shape out;
  size_t k = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    bool r = k < axes.size() && axes[k] == static_cast<int64_t>(i);
    if (r) ++k;
    if (!r) out.push_back(in[i]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

// Where a reduction's gradient must be broadcast back: g reshaped with the
// reduced axes kept as 1, then broadcast to the input shape.
NDArray unreduce(const NDArray& g, const Attrs& attrs, const Shape& in_shape) {
  Axes axes = reduced_axes(attrs, in_shape.size());
  return np::broadcast_to(np::reshape(g, reduced_shape(in_shape, axes, true)), in_shape);
}

DType sum_dtype(DType in) { return in == DType::Bool ? DType::Int64 : in; }

template <class T>
struct SumOp {
  using Acc = typename std::conditional<std::is_floating_point<T>::value, T, int64_t>::type;
  Acc init() const { return Acc(0); }
  Acc combine(Acc a, T v) const { return a + static_cast<Acc>(v); }
  Acc merge(Acc a, Acc b) const { return a + b; }
  Acc finish(Acc a, int64_t) const { return a; }
};

template <class T>
struct MeanOp : SumOp<T> {
  using Acc = typename SumOp<T>::Acc;
  double finish(Acc a, int64_t n) const { return static_cast<double>(a) / static_cast<double>(n); }
};

template <class T>
struct SumSquaresOp {
  T init() const { return T(0); }
  T combine(T a, T v) const { return a + v * v; }
  T merge(T a, T b) const { return a + b; }
  T finish(T a, int64_t) const { return std::sqrt(a); }
};

void infer_reduce(const Attrs& attrs, Span<NDArray> in, MetaList& out, DType dtype) {
  out.push_back(TensorMeta{reduced_shape(in[0].shape(), reduced_axes(attrs, in[0].ndim()), attrs.keepdims), dtype});
}

}  // namespace

void register_reduce_ops() {
  // sum over attrs.axes (or all, attrs.all_axes), keeping dims with attrs.keepdims.
  register_op("sum")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        infer_reduce(attrs, in, out, sum_dtype(in[0].dtype()));
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          using R = typename std::conditional<std::is_same<T, bool>::value, int64_t, T>::type;
          kernels::reduce(x.data<T>(), plan, out[0].data<R>(), SumOp<T>());
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        return {unreduce(g.ograd(0), g.attrs(), g.input_meta(0).shape)};
      });
  // mean: float result (float32 for integral inputs).
  register_op("mean")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        infer_reduce(attrs, in, out, is_floating(in[0].dtype()) ? in[0].dtype() : DType::Float32);
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          if (out[0].dtype() == DType::Float64) kernels::reduce(x.data<T>(), plan, out[0].data<double>(), MeanOp<T>());
          else kernels::reduce(x.data<T>(), plan, out[0].data<float>(), MeanOp<T>());
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const Shape& in = g.input_meta(0).shape;
        int64_t count = shape_size(in) / std::max<int64_t>(1, shape_size(g.ograd(0).shape()));
        return {unreduce(g.ograd(0) / static_cast<double>(count), g.attrs(), in)};
      });
  // norm: the 2-norm over the axes, sqrt(sum(x^2)).
  register_op("norm").save_inputs({0}).save_outputs({0})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_reduce(attrs, in, out, in[0].dtype()); })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_FLOAT_SWITCH(x.dtype(), T, "norm", kernels::reduce(x.data<T>(), plan, out[0].data<T>(), SumSquaresOp<T>()));
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // d|x| = x / |x|, with |x| broadcast back over the reduced axes.
        const Shape& in = g.input_meta(0).shape;
        return {g.input(0) * unreduce(g.ograd(0) / g.output(0), g.attrs(), in)};
      });
  // sum_to: sums a broadcast array down to attrs.shape.
  register_op("sum_to")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        const Shape& from = in[0].shape();
        const Shape& to = attrs.shape;
        bool ok = to.size() <= from.size();
        for (size_t i = 0; ok && i < to.size(); ++i) {
          int64_t f = from[from.size() - to.size() + i];
          ok = to[i] == f || to[i] == 1;
        }
        MXLITE_CHECK(ok, "sum_to", "cannot sum an array of shape ", from, " down to shape ", to);
        out.push_back(TensorMeta{to, sum_dtype(in[0].dtype())});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        const Shape& to = attrs.shape;
        size_t lead = x.ndim() - to.size();
        Axes axes;
        for (size_t i = 0; i < x.ndim(); ++i)
          if (i < lead || (to[i - lead] == 1 && x.shape()[i] != 1)) axes.push_back(static_cast<int64_t>(i));
        auto plan = kernels::plan_reduce(x.shape(), axes);
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          using R = typename std::conditional<std::is_same<T, bool>::value, int64_t, T>::type;
          kernels::reduce(x.data<T>(), plan, out[0].data<R>(), SumOp<T>());
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {np::broadcast_to(g.ograd(0), g.input_meta(0).shape)}; });
}

}  // namespace ops

namespace np {
namespace {
NDArray reduce_call(const char* name, const OpDef& o, const NDArray& a, const Axes* axes, bool keepdims) {
  Attrs attrs;
  attrs.keepdims = keepdims;
  if (axes) {
    attrs.axes = normalize_axes(*axes, a.ndim(), name);
    std::sort(attrs.axes.begin(), attrs.axes.end());
  } else {
    attrs.all_axes = true;
  }
  return invoke1(o, {a}, attrs);
}
}  // namespace

NDArray sum(const NDArray& a, bool keepdims) { static const OpDef& o = op("sum"); return reduce_call("sum", o, a, nullptr, keepdims); }
NDArray sum(const NDArray& a, const Axes& axes, bool keepdims) {
  static const OpDef& o = op("sum");
  return reduce_call("sum", o, a, &axes, keepdims);
}
NDArray mean(const NDArray& a, bool keepdims) { static const OpDef& o = op("mean"); return reduce_call("mean", o, a, nullptr, keepdims); }
NDArray mean(const NDArray& a, const Axes& axes, bool keepdims) {
  static const OpDef& o = op("mean");
  return reduce_call("mean", o, a, &axes, keepdims);
}
NDArray norm(const NDArray& a, bool keepdims) {
  static const OpDef& o = op("norm");
  return reduce_call("norm", o, is_floating(a.dtype()) ? a : astype(a, DType::Float32), nullptr, keepdims);
}
NDArray norm(const NDArray& a, const Axes& axes, bool keepdims) {
  static const OpDef& o = op("norm");
  return reduce_call("norm", o, is_floating(a.dtype()) ? a : astype(a, DType::Float32), &axes, keepdims);
}
NDArray sum_to(const NDArray& a, const Shape& shape) {
  static const OpDef& o = op("sum_to");
  Attrs attrs;
  attrs.shape = shape;
  return invoke1(o, {a}, attrs);
}

}  // namespace np
}  // namespace mxlite
