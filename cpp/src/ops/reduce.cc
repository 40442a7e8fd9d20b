// Reductions: sum, mean, prod, max/min, argmax/argmin, all/any, cumsum,
// norm (vector and matrix orders), std/var, and sum_to (the gradient of
// broadcasting); svd (LAPACK's gesdd) and the matrix norms built on it.
#include "kernels/reduce.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "kernels/lapack.h"
#include "kernels/parallel.h"
#include "mxlite/autograd.h"
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
    if (!r)
      out.push_back(in[i]);
    else if (keepdims)
      out.push_back(1);
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

// Integral sums and products accumulate in uint64_t: it wraps (as NumPy's
// integer arithmetic does) without signed-overflow UB, and casting the result
// to the output type keeps the low bits, which are the same either way.
template <class T> using WrapAcc = typename std::conditional<std::is_floating_point<T>::value, T, uint64_t>::type;

// `v` (a value already checked against R by np::initial_value) as R, then as
// the accumulator type.
template <class Acc, class R> Acc initial_as(double v) {
  if constexpr (std::is_same<R, bool>::value)
    return static_cast<Acc>(v != 0);
  else
    return static_cast<Acc>(static_cast<R>(v));
}

template <class T> struct SumOp {
  using Acc = WrapAcc<T>;
  Acc initial = Acc(0);  // added at the end: NumPy's initial + sum(x)
  Acc init() const { return Acc(0); }
  Acc combine(Acc a, T v) const { return a + static_cast<Acc>(v); }
  Acc merge(Acc a, Acc b) const { return a + b; }
  Acc finish(Acc a, int64_t) const { return a + initial; }
};

// The mean as R (float32/float64): floating inputs accumulate in their own
// type (as NumPy does), integral ones in double (exact while the sum stays
// below 2^53, where an int64 accumulator would wrap).
template <class T, class R> struct MeanOp {
  using Acc = typename std::conditional<std::is_floating_point<T>::value, T, double>::type;
  Acc init() const { return Acc(0); }
  Acc combine(Acc a, T v) const { return a + static_cast<Acc>(v); }
  Acc merge(Acc a, Acc b) const { return a + b; }
  R finish(Acc a, int64_t n) const { return static_cast<R>(static_cast<double>(a) / static_cast<double>(n)); }
};

// The mean in an integral (or bool) dtype T, as NumPy's mean(dtype=T): the
// sum in T (wrapping; bool: any), divided in double and truncated toward
// zero. An empty mean is 0, as in MXNet (NumPy casts its NaN to garbage).
template <class T> struct IntegralMeanOp {
  using Acc = uint64_t;
  Acc init() const { return 0; }
  Acc combine(Acc a, T v) const { return a + static_cast<Acc>(v); }
  Acc merge(Acc a, Acc b) const { return a + b; }
  T finish(Acc a, int64_t n) const {
    if (n == 0) return T(0);
    const T sum = std::is_same<T, bool>::value ? static_cast<T>(a != 0) : static_cast<T>(a);
    return static_cast<T>(static_cast<double>(sum) / static_cast<double>(n));
  }
};

template <class T> struct SumSquaresOp {
  T init() const { return T(0); }
  T combine(T a, T v) const { return a + v * v; }
  T merge(T a, T b) const { return a + b; }
  T finish(T a, int64_t) const { return std::sqrt(a); }
};

// Products. Floating ones run through reduce_in_order from `start` (the
// initial value): NumPy multiplies one element after another, and that order
// decides where a product overflows to inf and then meets a 0 (nan). Integral
// ones wrap, so any order gives the same result: the vectorised reduce, and
// the initial value multiplied in at the end.
template <class T> struct ProdOp {
  using Acc = WrapAcc<T>;
  Acc start = Acc(1);
  Acc scale = Acc(1);
  Acc init() const { return start; }
  Acc combine(Acc a, T v) const { return a * static_cast<Acc>(v); }
  Acc merge(Acc a, Acc b) const { return a * b; }
  Acc finish(Acc a, int64_t) const { return a * scale; }
};

// max/min without NaN handling: a plain select, which vectorises (a NaN
// test inside it stops GCC from vectorising); extremum_reduce adds NaN.
template <class T, bool kMax> struct ExtremumOp {
  T init() const {
    if constexpr (std::is_floating_point<T>::value)
      return kMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    else
      return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  }
  T combine(T a, T v) const { return (kMax ? v > a : v < a) ? v : a; }
  T merge(T a, T b) const { return combine(a, b); }
  T finish(T a, int64_t) const { return a; }
};

// Whether a NaN occurs. The accumulator keeps T's width (a NaN once seen)
// so that the column loop vectorises too.
template <class T> struct NanSeenOp {
  T init() const { return T(0); }
  T combine(T a, T v) const { return v != v ? v : a; }
  T merge(T a, T b) const { return combine(a, b); }
  uint8_t finish(T a, int64_t) const { return a != a; }
};

// max/min over a plan into out[0, out_n); NaN propagates as in NumPy.
template <class T, bool kMax> void extremum_reduce(const T* x, const kernels::ReducePlan& plan, T* out, int64_t out_n) {
  kernels::reduce(x, plan, out, ExtremumOp<T, kMax>());
  if constexpr (std::is_floating_point<T>::value) {
    // One contiguous pass decides whether NaNs need placing at all.
    int64_t total = 1;
    for (int64_t e : plan.extents) total *= e;
    uint8_t any_nan = 0;
    kernels::reduce(x, kernels::plan_reduce(Shape{total}, Axes{0}), &any_nan, NanSeenOp<T>());
    if (!any_nan) return;
    std::vector<uint8_t> nan(static_cast<size_t>(out_n));
    kernels::reduce(x, plan, nan.data(), NanSeenOp<T>());
    for (int64_t i = 0; i < out_n; ++i)
      if (nan[i]) out[i] = std::numeric_limits<T>::quiet_NaN();
  }
}

// all (kAll) / any over "value != 0".
// (The accumulator is a byte: the kernel keeps accumulators in a std::vector.)
template <class T, bool kAll> struct LogicalOp {
  uint8_t init() const { return kAll; }
  uint8_t combine(uint8_t a, T v) const { return kAll ? (a & (v != T(0))) : (a | (v != T(0))); }
  uint8_t merge(uint8_t a, uint8_t b) const { return kAll ? (a & b) : (a | b); }
  bool finish(uint8_t a, int64_t) const { return a != 0; }
};

// The reduced shape, refusing an empty reduction for ops without an identity
// (max/min), as NumPy does.
void check_nonempty_reduction(const char* name, const Attrs& attrs, const Shape& in) {
  for (int64_t ax : reduced_axes(attrs, in.size()))
    MXLITE_CHECK(in[ax] != 0, name, "zero-size array to reduction operation ", name,
                 " which has no identity (input shape ", in, ")");
}

// A reduction's input seen as (outer, n, inner) around one axis.
struct AxisSplit {
  int64_t outer = 1, n = 1, inner = 1;
};
AxisSplit split_at(const Shape& s, int64_t axis) {
  AxisSplit r;
  for (int64_t i = 0; i < static_cast<int64_t>(s.size()); ++i) {
    if (i < axis)
      r.outer *= s[i];
    else if (i == axis)
      r.n = s[i];
    else
      r.inner *= s[i];
  }
  return r;
}

// argmax/argmin along one axis: the first position of the extremum (of the
// first NaN when there is one, as NumPy does).
template <class T, bool kMax> void arg_extremum(const T* x, AxisSplit sp, int64_t* out) {
  auto better = [](T v, T best) {
    if constexpr (std::is_floating_point<T>::value) {
      if (best != best) return false;
      if (v != v) return true;
    }
    return kMax ? v > best : v < best;
  };
  if (sp.inner == 1) {
    // Rows: find the extremum with the vectorised reduction, then the first
    // position holding it (the first NaN when the extremum is NaN).
    auto first_position = [](const T* p, int64_t n, T value) -> int64_t {
      if constexpr (std::is_floating_point<T>::value) {
        if (value != value) {
          for (int64_t r = 0; r < n; ++r)
            if (p[r] != p[r]) return r;
        }
      }
      for (int64_t r = 0; r < n; ++r)
        if (p[r] == value) return r;
      return 0;
    };
    std::vector<T> extremum(static_cast<size_t>(sp.outer));
    extremum_reduce<T, kMax>(x, kernels::plan_reduce(Shape{sp.outer, sp.n}, Axes{1}), extremum.data(), sp.outer);
    int64_t grain = kernels::kParallelGrain / std::max<int64_t>(1, sp.n);
    kernels::for_range(sp.outer, std::max<int64_t>(1, grain), [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; ++o) out[o] = first_position(x + o * sp.n, sp.n, extremum[o]);
    });
    return;
  }
  int64_t grain = kernels::kParallelGrain / std::max<int64_t>(1, sp.n * sp.inner);
  kernels::for_range(sp.outer, std::max<int64_t>(1, grain), [&](int64_t o0, int64_t o1) {
    std::vector<T> best(static_cast<size_t>(sp.inner));
    for (int64_t o = o0; o < o1; ++o) {
      const T* src = x + o * sp.n * sp.inner;
      int64_t* idx = out + o * sp.inner;
      for (int64_t j = 0; j < sp.inner; ++j) {
        best[j] = src[j];
        idx[j] = 0;
      }
      // Walk the reduced axis outside so the inner loop reads contiguously.
      for (int64_t r = 1; r < sp.n; ++r) {
        const T* row = src + r * sp.inner;
        for (int64_t j = 0; j < sp.inner; ++j)
          if (better(row[j], best[j])) {
            best[j] = row[j];
            idx[j] = r;
          }
      }
    }
  });
}

// Inclusive cumulative sum along one axis (from the end when `reverse`):
// each output depends only on its own line, so any split is deterministic.
template <class T, class R> void cumulative_sum(const T* x, AxisSplit sp, bool reverse, R* out) {
  auto line_block = [&](int64_t o, int64_t j0, int64_t j1) {
    const T* src = x + o * sp.n * sp.inner;
    R* dst = out + o * sp.n * sp.inner;
    for (int64_t step = 0; step < sp.n; ++step) {
      int64_t r = reverse ? sp.n - 1 - step : step;
      const T* s = src + r * sp.inner;
      R* d = dst + r * sp.inner;
      if (step == 0) {
        for (int64_t j = j0; j < j1; ++j) d[j] = static_cast<R>(s[j]);
      } else {
        const R* prev = d + (reverse ? sp.inner : -sp.inner);
        if constexpr (std::is_floating_point<R>::value) {
          for (int64_t j = j0; j < j1; ++j) d[j] = prev[j] + static_cast<R>(s[j]);
        } else {
          // Integers wrap as in NumPy: add as unsigned (no signed-overflow UB).
          using U = typename std::make_unsigned<R>::type;
          for (int64_t j = j0; j < j1; ++j)
            d[j] = static_cast<R>(static_cast<U>(static_cast<U>(prev[j]) + static_cast<U>(static_cast<R>(s[j]))));
        }
      }
    }
  };
  int64_t per_outer = sp.n * sp.inner;
  if (sp.outer == 1 && sp.inner > 1) {
    // One block: split the independent lines instead.
    int64_t grain = kernels::kParallelGrain / std::max<int64_t>(1, sp.n);
    kernels::for_range(sp.inner, std::max<int64_t>(1, grain), [&](int64_t j0, int64_t j1) { line_block(0, j0, j1); });
    return;
  }
  int64_t grain = kernels::kParallelGrain / std::max<int64_t>(1, per_outer);
  kernels::for_range(sp.outer, std::max<int64_t>(1, grain), [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) line_block(o, 0, sp.inner);
  });
}

void infer_reduce(const Attrs& attrs, Span<NDArray> in, MetaList& out, DType dtype) {
  out.push_back(TensorMeta{reduced_shape(in[0].shape(), reduced_axes(attrs, in[0].ndim()), attrs.keepdims), dtype});
}

}  // namespace

void register_more_reduce_ops();     // below: prod, max/min, all/any, argmax/argmin, cumsum
void register_singular_value_ops();  // below: svd, svd_norm

void register_reduce_ops() {
  // sum over attrs.axes (or all, attrs.all_axes), keeping dims with attrs.keepdims;
  // bool sums to int64, every other dtype keeps its own (MXNet); with
  // attrs.has_initial, attrs.scalar is added (np::sum(dtype=) casts first).
  register_op("sum")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        infer_reduce(attrs, in, out, sum_dtype(in[0].dtype()));
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          using R = typename std::conditional<std::is_same<T, bool>::value, int64_t, T>::type;
          SumOp<T> op;
          if (attrs.has_initial) op.initial = initial_as<typename SumOp<T>::Acc, R>(attrs.scalar);
          kernels::reduce(x.data<T>(), plan, out[0].data<R>(), op);
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {unreduce(g.ograd(0), g.attrs(), g.input_meta(0).shape)}; });
  // mean in attrs.dtype (np::mean: float32 for integral inputs by default;
  // an integral or bool attrs.dtype must be the input's, see IntegralMeanOp).
  register_op("mean")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        MXLITE_CHECK(is_floating(attrs.dtype) || attrs.dtype == in[0].dtype(), "mean", "a mean in ",
                     dtype_name(attrs.dtype), " needs an input of that dtype, got ", dtype_name(in[0].dtype()));
        infer_reduce(attrs, in, out, attrs.dtype);
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          if (out[0].dtype() == DType::Float64)
            kernels::reduce(x.data<T>(), plan, out[0].data<double>(), MeanOp<T, double>());
          else if (out[0].dtype() == DType::Float32)
            kernels::reduce(x.data<T>(), plan, out[0].data<float>(), MeanOp<T, float>());
          else if constexpr (!std::is_floating_point<T>::value)
            kernels::reduce(x.data<T>(), plan, out[0].data<T>(), IntegralMeanOp<T>());
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const Shape& in = g.input_meta(0).shape;
        int64_t count = shape_size(in) / std::max<int64_t>(1, shape_size(g.ograd(0).shape()));
        return {unreduce(g.ograd(0) / static_cast<double>(count), g.attrs(), in)};
      });
  // norm: the 2-norm over the axes, sqrt(sum(x^2)).
  register_op("norm")
      .save_inputs({0})
      .save_outputs({0})
      .set_infer(
          [](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_reduce(attrs, in, out, in[0].dtype()); })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_FLOAT_SWITCH(x.dtype(), T, "norm",
                            kernels::reduce(x.data<T>(), plan, out[0].data<T>(), SumSquaresOp<T>()));
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
  // std_of_var: the standard deviation from a variance, sqrt(v). Its
  // gradient is 0 where v is 0: every deviation is 0 there (a single value,
  // a length-1 axis), so the variance's own gradient is 0 and sqrt's infinite
  // slope must not turn it into 0 * inf = NaN. Built from registered ops, so
  // it differentiates again (the mask is constant).
  register_op("std_of_var")
      .save_outputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "std", {
          const T* v = in[0].data<T>();
          T* s = out[0].data<T>();
          for (int64_t i = 0, n = in[0].size(); i < n; ++i) s[i] = std::sqrt(v[i]);
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray& s = g.output(0);
        NDArray positive = np::astype(np::greater(s, 0.0), s.dtype());
        NDArray safe = s + (1.0 - positive);  // 1 where s is 0: no division by 0
        return {g.ograd(0) * positive / (safe * 2.0)};
      });
  register_more_reduce_ops();
  register_singular_value_ops();
}

namespace {

// The shape of a reduction's output with the reduced axes kept as 1.
Shape kept_shape(const Attrs& attrs, const Shape& in) {
  return reduced_shape(in, reduced_axes(attrs, in.size()), true);
}

// Re-runs the reduction `o` with the call's axes, keeping the reduced dims (and
// the initial value only when asked: the counts below must not include it).
NDArray reduce_kept(const OpDef& o, const NDArray& x, const Attrs& attrs, bool with_initial = false) {
  Attrs kept = attrs;
  kept.keepdims = true;
  kept.has_initial = with_initial && attrs.has_initial;
  return invoke1(o, {x}, kept);
}

// max/min gradient: the incoming gradient is shared equally among the
// positions that hold the extremum (ties split it, so it sums to the
// incoming value; MXNet 1.9.1 instead gives every tie the full gradient).
// Where the initial value is the result and no element equals it, nothing
// receives a gradient.
ArrayList extremum_grad(const GradCtx& g) {
  static const OpDef& sum_op = op("sum");
  const NDArray& x = g.input(0);
  Shape kept = kept_shape(g.attrs(), x.shape());
  NDArray hit = np::astype(np::equal(x, np::reshape(g.output(0), kept)), x.dtype());
  NDArray ties = reduce_kept(sum_op, hit, g.attrs());
  if (g.attrs().has_initial) ties = np::maximum(ties, 1.0);
  return {hit * (np::reshape(g.ograd(0), kept) / ties)};
}

// An empty reduction is refused unless an initial value gives the result.
void infer_extremum(const char* name, const Attrs& attrs, Span<NDArray> in, MetaList& out) {
  if (!attrs.has_initial) check_nonempty_reduction(name, attrs, in[0].shape());
  infer_reduce(attrs, in, out, in[0].dtype());
}

// The extremum of out[i] and the initial value, NaN propagating from either.
template <class T, bool kMax> void join_initial(T* out, int64_t n, T initial) {
  ExtremumOp<T, kMax> op;
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point<T>::value) {
      if (out[i] != out[i]) continue;
      if (initial != initial) {
        out[i] = initial;
        continue;
      }
    }
    out[i] = op.combine(out[i], initial);
  }
}

template <bool kMax> void extremum_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray& x = in[0];
  auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
  if (x.dtype() == DType::Bool) {
    // bool holds 0/1 bytes: reduce them as uint8 (no std::vector<bool> accumulators).
    uint8_t* o = reinterpret_cast<uint8_t*>(out[0].data<bool>());
    kernels::reduce(reinterpret_cast<const uint8_t*>(x.data<bool>()), plan, o, ExtremumOp<uint8_t, kMax>());
    if (attrs.has_initial) join_initial<uint8_t, kMax>(o, out[0].size(), attrs.scalar != 0);
    return;
  }
  MXLITE_NUMERIC_SWITCH(x.dtype(), T, kMax ? "max" : "min", {
    extremum_reduce<T, kMax>(x.data<T>(), plan, out[0].data<T>(), out[0].size());
    if (attrs.has_initial) join_initial<T, kMax>(out[0].data<T>(), out[0].size(), static_cast<T>(attrs.scalar));
  });
}

template <bool kAll> void logical_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray& x = in[0];
  auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
  MXLITE_DTYPE_SWITCH(x.dtype(), T, kernels::reduce(x.data<T>(), plan, out[0].data<bool>(), LogicalOp<T, kAll>()));
}

// argmax/argmin over attrs.axis (the np:: functions flatten for axis=None).
void infer_arg_extremum(const char* name, const Attrs& attrs, Span<NDArray> in, MetaList& out) {
  const Shape& s = in[0].shape();
  MXLITE_CHECK(s[attrs.axis] != 0, name, "attempt to get ", name, " of an empty sequence (input shape ", s, ")");
  Shape o;
  for (size_t i = 0; i < s.size(); ++i) {
    if (static_cast<int64_t>(i) != attrs.axis)
      o.push_back(s[i]);
    else if (attrs.keepdims)
      o.push_back(1);
  }
  out.push_back(TensorMeta{o, DType::Int64});
}

template <bool kMax> void arg_extremum_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray& x = in[0];
  AxisSplit sp = split_at(x.shape(), attrs.axis);
  if (x.dtype() == DType::Bool) {  // 0/1 bytes, searched as uint8
    arg_extremum<uint8_t, kMax>(reinterpret_cast<const uint8_t*>(x.data<bool>()), sp, out[0].data<int64_t>());
    return;
  }
  MXLITE_NUMERIC_SWITCH(x.dtype(), T, "argmax", arg_extremum<T, kMax>(x.data<T>(), sp, out[0].data<int64_t>()));
}

}  // namespace

void register_more_reduce_ops() {
  // prod over attrs.axes; bool gives int64 as for sum; with attrs.has_initial,
  // attrs.scalar joins the product (first, as in NumPy).
  register_op("prod")
      .save_inputs({0})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        infer_reduce(attrs, in, out, sum_dtype(in[0].dtype()));
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        auto plan = kernels::plan_reduce(x.shape(), reduced_axes(attrs, x.ndim()));
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          using R = typename std::conditional<std::is_same<T, bool>::value, int64_t, T>::type;
          using Acc = typename ProdOp<T>::Acc;
          ProdOp<T> op;
          const Acc initial = attrs.has_initial ? initial_as<Acc, R>(attrs.scalar) : Acc(1);
          if constexpr (std::is_floating_point<T>::value) {
            op.start = initial;
            kernels::reduce_in_order(x.data<T>(), plan, out[0].data<R>(), op);
          } else {
            op.scale = initial;
            kernels::reduce(x.data<T>(), plan, out[0].data<R>(), op);
          }
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        // d prod / d x_i = product of the other elements. Without zeros that
        // is prod / x_i; with exactly one zero only the zero's position gets
        // the product of the rest; with two or more every gradient is 0.
        static const OpDef& prod_op = op("prod");
        static const OpDef& sum_op = op("sum");
        const NDArray& x = g.input(0);
        Shape kept = kept_shape(g.attrs(), x.shape());
        NDArray is_zero = np::astype(np::equal(x, 0.0), x.dtype());
        NDArray x_safe = x + is_zero;                                  // zeros replaced by 1
        NDArray rest = reduce_kept(prod_op, x_safe, g.attrs(), true);  // the initial value is a factor too
        NDArray zeros = reduce_kept(sum_op, is_zero, g.attrs());
        NDArray none_zero = np::astype(np::equal(zeros, 0.0), x.dtype());
        NDArray one_zero = np::astype(np::equal(zeros, 1.0), x.dtype());
        NDArray local = (1.0 - is_zero) * none_zero / x_safe + is_zero * one_zero;
        return {np::reshape(g.ograd(0), kept) * rest * local};
      });
  // max/min keep the dtype; NaN propagates; with attrs.has_initial,
  // attrs.scalar joins the reduction (and makes an empty one valid).
  register_op("max")
      .save_inputs({0})
      .save_outputs({0})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_extremum("max", attrs, in, out); })
      .set_kernel(extremum_kernel<true>)
      .set_grad(extremum_grad);
  register_op("min")
      .save_inputs({0})
      .save_outputs({0})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_extremum("min", attrs, in, out); })
      .set_kernel(extremum_kernel<false>)
      .set_grad(extremum_grad);
  register_op("all")
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_reduce(attrs, in, out, DType::Bool); })
      .set_kernel(logical_kernel<true>);
  register_op("any")
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_reduce(attrs, in, out, DType::Bool); })
      .set_kernel(logical_kernel<false>);
  register_op("argmax")
      .set_flags(kNotDifferentiable)
      .set_infer(
          [](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_arg_extremum("argmax", attrs, in, out); })
      .set_kernel(arg_extremum_kernel<true>);
  register_op("argmin")
      .set_flags(kNotDifferentiable)
      .set_infer(
          [](const Attrs& attrs, Span<NDArray> in, MetaList& out) { infer_arg_extremum("argmin", attrs, in, out); })
      .set_kernel(arg_extremum_kernel<false>);
  // cumsum along attrs.axis, from the end with attrs.reverse (its own gradient).
  register_op("cumsum")
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{in[0].shape(), sum_dtype(in[0].dtype())});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const NDArray& x = in[0];
        AxisSplit sp = split_at(x.shape(), attrs.axis);
        MXLITE_DTYPE_SWITCH(x.dtype(), T, {
          using R = typename std::conditional<std::is_same<T, bool>::value, int64_t, T>::type;
          cumulative_sum(x.data<T>(), sp, attrs.reverse, out[0].data<R>());
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& cumsum_op = op("cumsum");
        Attrs back = g.attrs();
        back.reverse = !back.reverse;
        return {invoke1(cumsum_op, {g.ograd(0)}, back)};
      });
}

// ---- singular values -------------------------------------------------------------
namespace {

// Matrix shape (m, n) and batch count of a (..., m, n) input.
struct MatrixBatch {
  int64_t batches, m, n;
};
MatrixBatch matrix_batch(const Shape& s) {
  const int64_t m = s[s.size() - 2], n = s.back();
  return {shape_size(Shape(s.begin(), s.end() - 2)), m, n};
}

// Runs fn(i) for every matrix of a batch, split over the pool when the
// matrices are small and many (each one's result is independent of the split).
template <class Fn> void for_each_matrix(const MatrixBatch& mb, Fn&& fn) {
  const int64_t k = std::min(mb.m, mb.n), work = std::max<int64_t>(1, k * k * std::max(mb.m, mb.n));
  kernels::for_range(mb.batches, std::max<int64_t>(1, kernels::kParallelGrain / work), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) fn(i);
  });
}

void check_matrix_input(const char* name, const NDArray& a) {
  MXLITE_CHECK(a.ndim() >= 2, name, "expected an input with at least 2 dimensions, got shape ", a.shape());
  MXLITE_CHECK(is_floating(a.dtype()), name, "expected a floating dtype, got ", dtype_name(a.dtype()), " (shape ",
               a.shape(), ")");
}

// Whether any of the n values is NaN / infinite.
template <class T> bool any_nan(const T* a, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (a[i] != a[i]) return true;
  return false;
}
template <class T> bool any_inf(const T* a, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (std::isinf(a[i])) return true;
  return false;
}

// LAPACK's SVD does not converge on NaN; NumPy raises LinAlgError (a ValueError).
void refuse_nan(const char* name, const NDArray& a) {
  bool nan = false;
  MXLITE_FLOAT_SWITCH(a.dtype(), T, name, nan = any_nan(a.data<T>(), a.size()));
  MXLITE_CHECK_AS(ValueError, !nan, name, "SVD did not converge: the input holds NaN (shape ", a.shape(), ")");
}

// The first matrix of a batch whose SVD did not converge (LAPACK info != 0),
// reported after the loop as NumPy does: a ValueError (LinAlgError).
struct SvdFailure {
  std::atomic<int64_t> index{-1};
  void note(int64_t i, int info) {
    int64_t expected = -1;
    if (info != 0) index.compare_exchange_strong(expected, i);
  }
  void check(const char* name, const Shape& s) const {
    MXLITE_CHECK_AS(ValueError, index < 0, name, "SVD did not converge for matrix ", index.load(),
                    " of the batch (shape ", s, ")");
  }
};

// attrs.index of svd_norm: which function of the singular values.
enum SingularNorm : int64_t { kLargest = 0, kSmallest = 1, kSum = 2 };

const char* singular_norm_name(int64_t which) {
  return which == kLargest ? "ord=2" : which == kSmallest ? "ord=-2" : "ord='nuc'";
}

}  // namespace

void register_singular_value_ops() {
  // svd: thin SVD of each matrix over the last two axes (..., m, n):
  // outputs U (..., m, k), S (..., k) descending, Vt (..., k, n), k = min(m, n).
  // Not differentiable: the gradients of the norms below use U and V directly.
  register_op("svd")
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_matrix_input("svd", in[0]);
        const Shape& s = in[0].shape();
        const int64_t m = s[s.size() - 2], n = s.back(), k = std::min(m, n);
        Shape batch(s.begin(), s.end() - 2), u = batch, sv = batch, vt = batch;
        u.push_back(m);
        u.push_back(k);
        sv.push_back(k);
        vt.push_back(k);
        vt.push_back(n);
        out.push_back(TensorMeta{u, in[0].dtype()});
        out.push_back(TensorMeta{sv, in[0].dtype()});
        out.push_back(TensorMeta{vt, in[0].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const MatrixBatch mb = matrix_batch(in[0].shape());
        const int64_t k = std::min(mb.m, mb.n);
        SvdFailure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "svd", {
          kernels::require_lapack("svd");
          const T* a = in[0].data<T>();
          T *u = out[0].data<T>(), *s = out[1].data<T>(), *vt = out[2].data<T>();
          for_each_matrix(mb, [&](int64_t i) {
            const T* ai = a + i * mb.m * mb.n;
            if (!any_nan(ai, mb.m * mb.n) && !any_inf(ai, mb.m * mb.n)) {
              fail.note(i,
                        kernels::svd<T>("svd", ai, mb.m, mb.n, s + i * k, u + i * mb.m * k, vt + i * k * mb.n, false));
              return;
            }
            // Not finite: no decomposition (the norms below are NaN there).
            const T nan = std::numeric_limits<T>::quiet_NaN();
            std::fill(s + i * k, s + (i + 1) * k, nan);
            std::fill(u + i * mb.m * k, u + (i + 1) * mb.m * k, nan);
            std::fill(vt + i * k * mb.n, vt + (i + 1) * k * mb.n, nan);
          });
        });
        fail.check("svd", in[0].shape());
      });

  // svd_norm: per matrix over the last two axes, the largest singular value
  // (attrs.index 0, ord 2), the smallest (1, ord -2) or their sum (2, 'nuc').
  // As NumPy: NaN for a matrix holding inf, ValueError for any NaN.
  register_op("svd_norm")
      .save_inputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        check_matrix_input("norm", in[0]);
        const Shape& s = in[0].shape();
        out.push_back(TensorMeta{Shape(s.begin(), s.end() - 2), in[0].dtype()});
      })
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        const MatrixBatch mb = matrix_batch(in[0].shape());
        const int64_t k = std::min(mb.m, mb.n), which = attrs.index;
        refuse_nan("norm", in[0]);
        SvdFailure fail;
        MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "norm", {
          kernels::require_lapack("norm");
          const T* a = in[0].data<T>();
          T* r = out[0].data<T>();
          for_each_matrix(mb, [&](int64_t i) {
            if (k == 0) {
              r[i] = T(0);  // a zero-size matrix (ord 2 or 'nuc'): 0, as in NumPy
              return;
            }
            if (any_inf(a + i * mb.m * mb.n, mb.m * mb.n)) {
              r[i] = std::numeric_limits<T>::quiet_NaN();  // as NumPy (LAPACK) gives
              return;
            }
            std::vector<T> s(static_cast<size_t>(k));
            const int info =
                kernels::svd<T>("norm", a + i * mb.m * mb.n, mb.m, mb.n, s.data(), nullptr, nullptr, false);
            fail.note(i, info);
            if (info != 0) return;
            double v = which == kLargest ? s.front() : which == kSmallest ? s.back() : 0.0;
            if (which == kSum)
              for (T x : s) v += static_cast<double>(x);
            r[i] = static_cast<T>(v);
          });
        });
        fail.check("norm", in[0].shape());
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const int64_t which = g.attrs().index;
        // U and V come from the non-differentiable svd op, so a recorded
        // gradient would silently miss their terms: refuse instead.
        if (autograd::is_recording())
          throw Error("norm", concat("the gradient of matrix norm ", singular_norm_name(which),
                                     " is not differentiable again (it is built from singular vectors, whose "
                                     "derivatives mxlite does not implement); higher-order gradients through it "
                                     "are not supported"));
        const NDArray& a = g.input(0);
        static const OpDef& svd_op = op("svd");
        const ArrayList usv = invoke(svd_op, {a});
        const int64_t k = usv[1].shape().back();
        NDArray u = usv[0], vt = usv[2];
        // d sigma_j = u_j v_j^T (distinct singular values); 'nuc' sums them: U V^T.
        if (which != kSum) {
          const int64_t j = which == kLargest ? 0 : k - 1;
          u = np::slice_axis(u, -1, j, j + 1);
          vt = np::slice_axis(vt, -2, j, j + 1);
        }
        NDArray dir = np::matmul_t(u, vt);
        Shape gs = g.ograd(0).shape();
        gs.push_back(1);
        gs.push_back(1);
        return {np::reshape(g.ograd(0), gs) * dir};
      });
}

}  // namespace ops

namespace np {
namespace {
// Axes normalised (negative counted from the end) and sorted; an error
// naming the op and the input shape for an axis out of range.
Axes checked_axes(const char* name, const Axes& axes, const Shape& shape) {
  const int64_t n = static_cast<int64_t>(shape.size());
  for (int64_t ax : axes)
    MXLITE_CHECK_AS(AxisError, ax >= -n && ax < n, name, "axis ", ax, " is out of bounds for an array of shape ", shape,
                    " (dimension ", n, ")");
  Axes out = normalize_axes(axes, shape.size(), name);
  std::sort(out.begin(), out.end());
  return out;
}

// The axes of a reduction: checked_axes, except that a 0-d array takes axis
// 0 or -1 (alone) as NumPy and MXNet do, as an implicit length-1 axis: there
// is nothing to reduce, and keepdims has no axis to keep.
Axes reduction_axes(const char* name, const Axes& axes, const Shape& shape) {
  if (!shape.empty()) return checked_axes(name, axes, shape);
  for (int64_t ax : axes)
    MXLITE_CHECK_AS(AxisError, ax == 0 || ax == -1, name, "axis ", ax,
                    " is out of bounds for an array of shape () (dimension 0)");
  MXLITE_CHECK(axes.size() <= 1, name, "repeated axis in ", axes, " for an array of shape ()");
  return Axes{};
}

int64_t checked_axis(const char* name, int64_t axis, const Shape& shape) {
  return checked_axes(name, Axes{axis}, shape)[0];
}

NDArray reduce_call(const OpDef& o, const NDArray& a, const Axes* axes, bool keepdims, Attrs attrs = Attrs()) {
  attrs.keepdims = keepdims;
  if (axes) {
    attrs.axes = reduction_axes(o.name.c_str(), *axes, a.shape());
  } else {
    attrs.all_axes = true;
  }
  return invoke1(o, {a}, attrs);
}

Axes all_axes_of(const NDArray& a) {
  Axes all;
  for (size_t i = 0; i < a.ndim(); ++i) all.push_back(static_cast<int64_t>(i));
  return all;
}

NDArray as_float(const NDArray& a) { return is_floating(a.dtype()) ? a : astype(a, DType::Float32); }

// NumPy's dtype= of sum/prod/mean/cumsum: the elements are cast to it before
// they are accumulated, so the accumulation happens in it.
NDArray cast_for(const NDArray& a, const std::optional<DType>& dtype) {
  return dtype && *dtype != a.dtype() ? astype(a, *dtype) : a;
}

// Attrs carrying an initial value converted to the result dtype `rdt`.
Attrs with_initial(const char* name, const ReduceOptions& options, DType rdt) {
  Attrs attrs;
  if (options.initial) {
    attrs.has_initial = true;
    attrs.scalar = initial_value(name, *options.initial, rdt);
  }
  return attrs;
}

NDArray arg_extremum_call(const OpDef& o, const NDArray& a, const int64_t* axis, bool keepdims) {
  Attrs attrs;
  if (!axis || a.ndim() == 0) {
    // Over the flattened array; keepdims keeps every dim as 1 (a 0-d input:
    // axis 0 or -1 is its implicit length-1 axis, and the result is 0-d).
    if (axis) reduction_axes(o.name.c_str(), Axes{*axis}, a.shape());
    NDArray flat = reshape(a, Shape{-1});
    attrs.axis = 0;
    NDArray r = invoke1(o, {flat}, attrs);
    if (keepdims) r = reshape(r, Shape(a.ndim(), 1));
    return r;
  }
  attrs.axis = checked_axis(o.name.c_str(), *axis, a.shape());
  attrs.keepdims = keepdims;
  return invoke1(o, {a}, attrs);
}

NDArray variance(const char* name, const NDArray& a, const Axes* axes, double ddof, bool keepdims,
                 const std::optional<DType>& dtype) {
  // NumPy's variance in an integral dtype truncates its mean and every
  // squared deviation; MXNet computes yet another thing. Neither is worth
  // copying: only floating dtypes are taken.
  MXLITE_CHECK(!dtype || is_floating(*dtype), name, "dtype=", dtype_name(*dtype),
               " is not supported by mxlite (only float32 and float64)");
  NDArray x = dtype ? cast_for(a, dtype) : as_float(a);
  Axes ax = axes ? reduction_axes(name, *axes, a.shape()) : all_axes_of(a);
  int64_t count = 1;
  for (int64_t i : ax) count *= a.shape()[i];
  NDArray centred = x - mean(x, ax, true);
  // NumPy divides by max(n - ddof, 0): inf or nan when nothing is left.
  return sum(square(centred), ax, keepdims) / std::max(0.0, static_cast<double>(count) - ddof);
}

NDArray std_of_var(const NDArray& v) {
  static const OpDef& o = op("std_of_var");
  return invoke1(o, {v});
}

// The vector p-norm over `ax` (NumPy's ord semantics for vectors).
NDArray vector_norm_over(const NDArray& a, double ord, const Axes& ax, bool keepdims) {
  NDArray x = as_float(a);
  if (ord == 2) return norm(x, ax, keepdims);
  if (ord == 1) return sum(abs(x), ax, keepdims);
  if (std::isinf(ord)) {
    // The largest / smallest |x|; 0 for an empty vector (NumPy: 0 for inf,
    // an error for -inf; MXNet: 0 for both).
    int64_t count = 1;
    for (int64_t i : ax) count *= a.shape()[i];
    if (count == 0) return zeros(ops::reduced_shape(a.shape(), ax, keepdims), x.dtype());
    return ord > 0 ? max(abs(x), ax, keepdims) : min(abs(x), ax, keepdims);
  }
  if (ord == 0) return sum(astype(not_equal(x, 0.0), x.dtype()), ax, keepdims);
  // |x| + 0 turns a -0 into +0, so that a negative order sees +inf at every
  // zero (as NumPy's abs does) rather than -inf meeting +inf.
  NDArray absx = ord < 0 ? abs(x) + 0.0 : abs(x);
  return power(sum(power(absx, ord), ax, keepdims), 1.0 / ord);
}
}  // namespace

double initial_value(const char* name, double v, DType dtype) {
  if (dtype == DType::Bool) return v != 0 ? 1.0 : 0.0;  // Python's bool(v): NaN is true
  if (is_floating(dtype)) return v;
  MXLITE_CHECK_AS(ValueError, !std::isnan(v), name, "cannot convert the initial value NaN to integer");
  MXLITE_CHECK_AS(OverflowError, !std::isinf(v), name, "cannot convert the initial value ", v, " to integer");
  const double t = std::trunc(v);
  double lo = 0, hi = 0;
  switch (dtype) {
    case DType::UInt8:
      lo = 0, hi = 255;
      break;
    case DType::Int8:
      lo = -128, hi = 127;
      break;
    case DType::Int32:
      lo = -2147483648.0, hi = 2147483647.0;
      break;
    default:  // int64: hi is the largest double below 2^63
      lo = -9223372036854775808.0, hi = 9223372036854774784.0;
      break;
  }
  if (!(t >= lo && t <= hi)) {
    char shown[32];
    std::snprintf(shown, sizeof shown, "%.17g", t);
    throw OverflowError(name, concat("initial value ", shown, " is out of bounds for ", dtype_name(dtype)));
  }
  return t;
}

NDArray sum(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options) {
  static const OpDef& o = op("sum");
  const DType rdt = options.dtype ? *options.dtype : ops::sum_dtype(a.dtype());
  NDArray r = reduce_call(o, cast_for(a, options.dtype), axes, keepdims, with_initial("sum", options, rdt));
  // A bool result: the int64 count (plus a 0/1 initial) says whether any is true.
  return rdt == DType::Bool ? astype(r, DType::Bool) : r;
}
NDArray prod(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options) {
  static const OpDef& o = op("prod");
  const DType rdt = options.dtype ? *options.dtype : ops::sum_dtype(a.dtype());
  NDArray r = reduce_call(o, cast_for(a, options.dtype), axes, keepdims, with_initial("prod", options, rdt));
  return rdt == DType::Bool ? astype(r, DType::Bool) : r;  // whether all are true
}
NDArray mean(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options) {
  static const OpDef& o = op("mean");
  MXLITE_CHECK(!options.initial, "mean", "mean takes no initial value");
  Attrs attrs;
  attrs.dtype = options.dtype ? *options.dtype : (is_floating(a.dtype()) ? a.dtype() : DType::Float32);
  return reduce_call(o, cast_for(a, options.dtype), axes, keepdims, attrs);
}
NDArray max(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options) {
  static const OpDef& o = op("max");
  MXLITE_CHECK(!options.dtype, "max", "max takes no dtype");
  return reduce_call(o, a, axes, keepdims, with_initial("max", options, a.dtype()));
}
NDArray min(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options) {
  static const OpDef& o = op("min");
  MXLITE_CHECK(!options.dtype, "min", "min takes no dtype");
  return reduce_call(o, a, axes, keepdims, with_initial("min", options, a.dtype()));
}

NDArray prod(const NDArray& a, bool keepdims) { return prod(a, nullptr, keepdims, {}); }
NDArray prod(const NDArray& a, const Axes& axes, bool keepdims) { return prod(a, &axes, keepdims, {}); }
NDArray max(const NDArray& a, bool keepdims) { return max(a, nullptr, keepdims, {}); }
NDArray max(const NDArray& a, const Axes& axes, bool keepdims) { return max(a, &axes, keepdims, {}); }
NDArray min(const NDArray& a, bool keepdims) { return min(a, nullptr, keepdims, {}); }
NDArray min(const NDArray& a, const Axes& axes, bool keepdims) { return min(a, &axes, keepdims, {}); }
NDArray all(const NDArray& a, bool keepdims) {
  static const OpDef& o = op("all");
  return reduce_call(o, a, nullptr, keepdims);
}
NDArray all(const NDArray& a, const Axes& axes, bool keepdims) {
  static const OpDef& o = op("all");
  return reduce_call(o, a, &axes, keepdims);
}
NDArray any(const NDArray& a, bool keepdims) {
  static const OpDef& o = op("any");
  return reduce_call(o, a, nullptr, keepdims);
}
NDArray any(const NDArray& a, const Axes& axes, bool keepdims) {
  static const OpDef& o = op("any");
  return reduce_call(o, a, &axes, keepdims);
}
NDArray argmax(const NDArray& a, bool keepdims) {
  static const OpDef& o = op("argmax");
  return arg_extremum_call(o, a, nullptr, keepdims);
}
NDArray argmax(const NDArray& a, int64_t axis, bool keepdims) {
  static const OpDef& o = op("argmax");
  return arg_extremum_call(o, a, &axis, keepdims);
}
NDArray argmin(const NDArray& a, bool keepdims) {
  static const OpDef& o = op("argmin");
  return arg_extremum_call(o, a, nullptr, keepdims);
}
NDArray argmin(const NDArray& a, int64_t axis, bool keepdims) {
  static const OpDef& o = op("argmin");
  return arg_extremum_call(o, a, &axis, keepdims);
}
NDArray cumsum(const NDArray& a, const int64_t* axis, const std::optional<DType>& dtype) {
  static const OpDef& o = op("cumsum");
  NDArray x = cast_for(a, dtype);
  Attrs attrs;
  NDArray r;
  if (!axis || x.ndim() == 0) {
    // Of the flattened array (a 0-d input: axis 0 or -1 is its implicit axis).
    if (axis) reduction_axes("cumsum", Axes{*axis}, x.shape());
    r = invoke1(o, {reshape(x, Shape{-1})}, attrs);
  } else {
    attrs.axis = checked_axis("cumsum", *axis, x.shape());
    r = invoke1(o, {x}, attrs);
  }
  // dtype=bool (NumPy): the running int64 count says whether any so far is true.
  return dtype == DType::Bool ? astype(r, DType::Bool) : r;
}
NDArray cumsum(const NDArray& a) { return cumsum(a, nullptr, std::nullopt); }
NDArray cumsum(const NDArray& a, int64_t axis) { return cumsum(a, &axis, std::nullopt); }
NDArray var(const NDArray& a, const Axes* axes, double ddof, bool keepdims, const std::optional<DType>& dtype) {
  return variance("var", a, axes, ddof, keepdims, dtype);
}
NDArray std(const NDArray& a, const Axes* axes, double ddof, bool keepdims, const std::optional<DType>& dtype) {
  return std_of_var(variance("std", a, axes, ddof, keepdims, dtype));
}
NDArray var(const NDArray& a, double ddof, bool keepdims) { return var(a, nullptr, ddof, keepdims, std::nullopt); }
NDArray var(const NDArray& a, const Axes& axes, double ddof, bool keepdims) {
  return var(a, &axes, ddof, keepdims, std::nullopt);
}
NDArray std(const NDArray& a, double ddof, bool keepdims) { return std(a, nullptr, ddof, keepdims, std::nullopt); }
NDArray std(const NDArray& a, const Axes& axes, double ddof, bool keepdims) {
  return std(a, &axes, ddof, keepdims, std::nullopt);
}

NDArray vector_norm(const NDArray& a, double ord, bool keepdims) {
  return vector_norm_over(a, ord, all_axes_of(a), keepdims);
}
NDArray vector_norm(const NDArray& a, double ord, const Axes& axes, bool keepdims) {
  return vector_norm_over(a, ord, checked_axes("norm", axes, a.shape()), keepdims);
}

NDArray matrix_norm(const NDArray& a, const NormOrd& ord, int64_t row_axis, int64_t col_axis, bool keepdims) {
  int64_t r = checked_axis("norm", row_axis, a.shape()), c = checked_axis("norm", col_axis, a.shape());
  MXLITE_CHECK(r != c, "norm", "duplicate axes given: (", row_axis, ", ", col_axis, ") for shape ", a.shape());
  NDArray x = as_float(a);
  Axes both{std::min(r, c), std::max(r, c)};
  NDArray kept;
  bool is_number = ord.kind == NormOrd::Number;
  double p = ord.p;
  if (ord.kind == NormOrd::Default || ord.kind == NormOrd::Fro) {
    kept = norm(x, both, true);
  } else if (is_number && (p == 1 || p == -1 || std::isinf(p))) {
    // Largest (smallest) absolute column sum (p = +-1) or row sum (+-inf). As
    // in NumPy, the largest of none is 0 and the smallest of none an error.
    const bool columns = !std::isinf(p);
    const int64_t summed = columns ? r : c, across = columns ? c : r;
    NDArray sums = sum(abs(x), Axes{summed}, true);
    const Axes over{across};
    if (p > 0) {
      ReduceOptions from_zero;
      from_zero.initial = 0.0;
      kept = max(sums, &over, true, from_zero);
    } else {
      MXLITE_CHECK(a.shape()[across] != 0, "norm", "matrix norm ord=", p, " of a zero-size matrix (input shape ",
                   a.shape(), ") is undefined: no ", columns ? "column" : "row", " sum to take the smallest of");
      kept = min(sums, over, true);
    }
  } else if (ord.kind == NormOrd::Nuc || (is_number && (p == 2 || p == -2))) {
    // From the singular values of each matrix, moved to the last two axes.
    NDArray r_by_c = moveaxis(x, Axes{r, c}, Axes{-2, -1});
    kept = reshape(singular_value_norm(r_by_c, ord), ops::reduced_shape(a.shape(), both, true));
  } else {
    throw Error("norm", concat("invalid norm order ", p, " for matrices (input shape ", a.shape(), ")"));
  }
  return keepdims ? kept : reshape(kept, ops::reduced_shape(a.shape(), both, false));
}

SvdResult svd(const NDArray& a) {
  static const OpDef& o = op("svd");
  ArrayList out = invoke(o, {a});
  return SvdResult{out[0], out[1], out[2]};
}

NDArray singular_value_norm(const NDArray& a, const NormOrd& ord) {
  static const OpDef& o = op("svd_norm");
  Attrs attrs;
  if (ord.kind == NormOrd::Nuc)
    attrs.index = 2;
  else if (ord.kind == NormOrd::Number && (ord.p == 2 || ord.p == -2))
    attrs.index = ord.p > 0 ? 0 : 1;
  else
    throw Error("norm", concat("singular_value_norm takes ord 2, -2 or 'nuc' (input shape ", a.shape(), ")"));
  // Like NumPy: the smallest of no singular values does not exist; the
  // largest and the sum of none are 0.
  MXLITE_CHECK(attrs.index != 1 || a.ndim() < 2 || (a.shape()[a.ndim() - 2] > 0 && a.shape().back() > 0), "norm",
               "matrix norm ord=-2 of zero-size matrices (input shape ", a.shape(),
               ") is undefined: no singular value");
  return invoke1(o, {a}, attrs);
}

NDArray linalg_norm(const NDArray& a, const NormOrd& ord, const Axes* axes, bool keepdims) {
  const bool vector_ord_ok = ord.kind == NormOrd::Default || ord.kind == NormOrd::Number;
  if (!axes) {
    if (ord.kind == NormOrd::Default) return norm(as_float(a), keepdims);  // 2-norm of the flattened array
    MXLITE_CHECK(a.ndim() == 1 || a.ndim() == 2, "norm", "improper number of dimensions to norm: an order needs a ",
                 "1-D or 2-D input or an axis, got shape ", a.shape());
    if (a.ndim() == 2) return matrix_norm(a, ord, 0, 1, keepdims);
    MXLITE_CHECK(vector_ord_ok, "norm", "invalid norm order for vectors (input shape ", a.shape(), ")");
    return vector_norm(a, ord.p, keepdims);
  }
  if (axes->size() == 1) {
    MXLITE_CHECK(vector_ord_ok, "norm", "invalid norm order for vectors (input shape ", a.shape(), ")");
    return vector_norm(a, ord.kind == NormOrd::Default ? 2.0 : ord.p, *axes, keepdims);
  }
  MXLITE_CHECK(axes->size() == 2, "norm", "improper number of dimensions to norm: axis must be an int or a ",
               "2-tuple, got ", axes->size(), " axes for shape ", a.shape());
  return matrix_norm(a, ord, (*axes)[0], (*axes)[1], keepdims);
}

NDArray sum(const NDArray& a, bool keepdims) { return sum(a, nullptr, keepdims, {}); }
NDArray sum(const NDArray& a, const Axes& axes, bool keepdims) { return sum(a, &axes, keepdims, {}); }
NDArray mean(const NDArray& a, bool keepdims) { return mean(a, nullptr, keepdims, {}); }
NDArray mean(const NDArray& a, const Axes& axes, bool keepdims) { return mean(a, &axes, keepdims, {}); }
NDArray norm(const NDArray& a, bool keepdims) {
  static const OpDef& o = op("norm");
  return reduce_call(o, is_floating(a.dtype()) ? a : astype(a, DType::Float32), nullptr, keepdims);
}
NDArray norm(const NDArray& a, const Axes& axes, bool keepdims) {
  static const OpDef& o = op("norm");
  return reduce_call(o, is_floating(a.dtype()) ? a : astype(a, DType::Float32), &axes, keepdims);
}
NDArray sum_to(const NDArray& a, const Shape& shape) {
  static const OpDef& o = op("sum_to");
  Attrs attrs;
  attrs.shape = shape;
  return invoke1(o, {a}, attrs);
}

}  // namespace np
}  // namespace mxlite
