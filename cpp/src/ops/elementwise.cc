// Elementwise ops that are not plain unary or binary rows (those are in
// ops/unary.cc and ops/binary.cc): where, clip, casts and copies. Each op:
// registration (shape rule, kernel, gradient) and its typed np:: function.
#include <cmath>
#include <cstring>
#include <type_traits>

#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// dst = src converted (same size, any two dtypes but no float16).
void cast_plain(const NDArray& src, const NDArray& dst) {
  MXLITE_DTYPE_SWITCH(src.dtype(), S, {
    MXLITE_DTYPE_SWITCH(dst.dtype(), D, {
      kernels::map_unary(src.data<S>(), dst.data<D>(), src.size(), [](S v) {
        if constexpr (std::is_same<D, bool>::value)
          return v != S(0);
        else
          return static_cast<D>(v);
      });
    });
  });
}

// astype's kernel: float16 goes through float32 (exact) except from float64,
// which rounds to float16 directly so that the value is rounded only once.
void cast_into(const NDArray& src, const NDArray& dst) {
  const DType s = src.dtype(), d = dst.dtype();
  const int64_t n = src.size();
  if (s == d) {
    std::memcpy(dst.raw_data(), src.raw_data(), src.nbytes());
  } else if (s == DType::Float16 && d == DType::Float32) {
    half_to_float(src.data<half>(), dst.data<float>(), n);
  } else if (s == DType::Float32 && d == DType::Float16) {
    float_to_half(src.data<float>(), dst.data<half>(), n);
  } else if (s == DType::Float64 && d == DType::Float16) {
    kernels::map_unary(src.data<double>(), dst.data<half>(), n, [](double v) { return half(v); });
  } else if (s == DType::Float16) {
    cast_plain(half_as_float(src), dst);
  } else if (d == DType::Float16) {
    NDArray f = NDArray::empty(src.shape(), DType::Float32, src.context());
    cast_plain(src, f);  // integers and bool: exact in float32 up to float16's range
    float_to_half(f.data<float>(), dst.data<half>(), n);
  } else {
    cast_plain(src, dst);
  }
}

}  // namespace

void register_elementwise_ops() {
  // ---- where(cond, x, y): all three already broadcast to one shape; cond is bool -------
  register_op("where")
      .inputs(3)
      .save_inputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        MXLITE_CHECK(in[0].shape() == in[1].shape() && in[1].shape() == in[2].shape() && in[0].dtype() == DType::Bool &&
                         in[1].dtype() == in[2].dtype(),
                     "where", "internal: operands must be broadcast and promoted first, got shapes ", in[0].shape(),
                     " ", in[1].shape(), " ", in[2].shape());
        out.push_back(TensorMeta{in[1].shape(), in[1].dtype()});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        const bool* c = in[0].data<bool>();
        MXLITE_DTYPE_SWITCH(in[1].dtype(), T, {
          const T *x = in[1].data<T>(), *y = in[2].data<T>();
          T* o = out[0].data<T>();
          kernels::for_range(out[0].size(), kernels::kParallelGrain, [=](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) o[i] = c[i] ? x[i] : y[i];
          });
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &dy = g.ograd(0), &cond = g.input(0);
        NDArray zero = np::zeros(Shape{}, dy.dtype());
        return {NDArray(), g.needs_grad(1) ? np::where(cond, dy, zero) : NDArray(),
                g.needs_grad(2) ? np::where(cond, zero, dy) : NDArray()};
      });

  // ---- clip: attrs.scalar / scalar2 are the bounds (+-inf when absent) -------------------
  register_op("clip")
      .set_infer(infer_like_input)
      .set_flags(kElementwise)
      .save_inputs({0})
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        MXLITE_DTYPE_SWITCH(in[0].dtype(), T, {
          const double lo = attrs.scalar, hi = attrs.scalar2;
          if constexpr (std::is_integral<T>::value) {
            // MXNet's rule: a value outside [lo, hi] becomes the bound converted
            // to T (a bound outside T's range wraps like a cast through int64).
            // Compared in long double, which holds every int64 exactly.
            auto to_t = [](double c) {
              const int64_t i = c >= 9.2233720368547758e18   ? INT64_MAX
                                : c < -9.2233720368547758e18 ? INT64_MIN
                                                             : static_cast<int64_t>(c);
              return static_cast<T>(static_cast<uint64_t>(i));
            };
            const T at_lo = to_t(lo), at_hi = to_t(hi);
            const long double llo = lo, lhi = hi;
            kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(), [=](T v) {
              const long double c = static_cast<long double>(v);
              // NumPy's order, minimum(maximum(v, lo), hi): hi wins when lo > hi.
              if (c > lhi || (c < llo && llo > lhi)) return at_hi;
              return c < llo ? at_lo : v;
            });
          } else {
            const T tlo = static_cast<T>(lo), thi = static_cast<T>(hi);
            kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(), [=](T v) {
              v = v < tlo ? tlo : v;
              return v > thi ? thi : v;
            });
          }
        });
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray& x = g.input(0);
        NDArray inside = np::logical_and(np::greater_equal(x, g.attrs().scalar), np::less_equal(x, g.attrs().scalar2));
        return {g.ograd(0) * mask(inside, g.ograd(0).dtype())};
      });

  // ---- casts and copies ----------------------------------------------------------------------
  register_op("astype")
      .set_flags(kFloat16Native)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{in[0].shape(), attrs.dtype});
      })
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) { cast_into(in[0], out[0]); })
      .set_grad([](const GradCtx& g) -> ArrayList {
        DType src = g.input_meta(0).dtype;
        // MXNet: integer variables receive the gradient cast to their dtype (truncated).
        return {src != DType::Bool ? np::astype(g.ograd(0), src) : NDArray()};
      });
  register_op("copy")
      .set_infer(infer_like_input)
      .set_flags(kElementwise | kFloat16Native)
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        std::memcpy(out[0].raw_data(), in[0].raw_data(), in[0].nbytes());
      })
      .set_grad([](const GradCtx& g) -> ArrayList { return {g.ograd(0)}; });
}

}  // namespace ops

namespace np {
NDArray astype(const NDArray& a, DType dtype) {
  static const OpDef& o = op("astype");
  Attrs attrs;
  attrs.dtype = dtype;
  return invoke1(o, {a}, attrs);
}
NDArray copy(const NDArray& a, const NDArray& out) {
  static const OpDef& o = op("copy");
  return invoke1(o, {a}, Attrs(), out);
}
NDArray copy_to(const NDArray& a, Context ctx) { return copy(a, NDArray::empty(a.shape(), a.dtype(), ctx, "copyto")); }

NDArray where(const NDArray& cond, const NDArray& x, const NDArray& y) {
  static const OpDef& o = op("where");
  Shape shape = broadcast_shapes(broadcast_shapes(cond.shape(), x.shape(), "where"), y.shape(), "where");
  DType dt = promote_types(x.dtype(), y.dtype());
  auto prepare = [&](const NDArray& v, DType want) {
    NDArray r = ops::cast_if(v, want);
    return r.shape() == shape ? r : broadcast_to(r, shape);  // recorded: gradients sum back
  };
  return invoke1(o, {prepare(cond, DType::Bool), prepare(x, dt), prepare(y, dt)});
}

NDArray clip(const NDArray& a, double a_min, double a_max, const NDArray& out) {
  static const OpDef& o = op("clip");
  MXLITE_CHECK(!std::isnan(a_min) && !std::isnan(a_max), "clip", "bounds must not be NaN");
  Attrs attrs;
  attrs.scalar = a_min;
  attrs.scalar2 = a_max;
  // A bool array computes in the bounds' dtype (float32 beside C++ doubles;
  // the bindings pass bool arrays with integer bounds as int64).
  return invoke1(o, {ops::cast_if(a, ops::arith_scalar_dtype(a.dtype()))}, attrs, out);
}

}  // namespace np
}  // namespace mxlite
