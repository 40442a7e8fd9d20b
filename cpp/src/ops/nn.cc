// Neural-network ops: softmax/log_softmax, activations, dropout, layer and
// batch normalisation, embedding; fully_connected is composed from matmul2d.
// Forward passes are fused kernels (one sweep per row or channel, stable
// max-subtraction, parallel over independent rows, so results do not depend
// on the thread count); gradients are written with np:: ops so that they are
// differentiable again.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "kernels/scratch.h"
#include "kernels/vmath.h"
#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

// An array seen as (outer, n, inner) around one axis: the n elements of a
// "lane" are `inner` apart.
struct Lanes {
  int64_t outer = 1, n = 1, inner = 1;
};

Lanes lanes_of(const Shape& s, int64_t axis) {
  Lanes l;
  if (s.empty()) return l;  // a 0-d array is one lane of one element
  for (int64_t i = 0; i < axis; ++i) l.outer *= s[i];
  l.n = s[axis];
  for (size_t i = static_cast<size_t>(axis) + 1; i < s.size(); ++i) l.inner *= s[i];
  return l;
}

// Lanes with inner > 1 are processed in blocks of this many neighbouring
// lanes, so the innermost loops run over contiguous memory.
constexpr int64_t kBlock = 64;

// Calls fn(first_element_offset, width) for every block of lanes: a block is
// `width` neighbouring lanes (width 1 when the lanes are contiguous rows).
template <class Fn> void for_lane_blocks(const Lanes& l, Fn fn) {
  if (l.n == 0 || l.outer == 0 || l.inner == 0) return;
  const int64_t blocks_per_outer = l.inner == 1 ? 1 : (l.inner + kBlock - 1) / kBlock;
  const int64_t width_max = l.inner == 1 ? 1 : kBlock;
  const int64_t tasks = l.inner == 1 ? l.outer : l.outer * blocks_per_outer;
  const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, l.n * width_max));
  kernels::for_range(tasks, grain, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      if (l.inner == 1) {
        fn(t * l.n, int64_t(1));
      } else {
        int64_t o = t / blocks_per_outer, j0 = (t % blocks_per_outer) * kBlock;
        fn(o * l.n * l.inner + j0, std::min(kBlock, l.inner - j0));
      }
    }
  });
}

// ---- softmax / log_softmax --------------------------------------------------
// Row reductions in independent lanes: one running max or sum is a chain
// the compiler may not reorder, so it would not vectorise.
constexpr int kLanes = 16;

// max(x[0..n)), n >= 1; a NaN after the first element is passed over, as
// std::max does (it still reaches the result through exp).
template <class T> T row_max(const T* x, int64_t n) {
  T m = x[0];
  int64_t k = 0;
  if (n >= kLanes) {
    T lane[kLanes];
    std::copy(x, x + kLanes, lane);
    for (k = kLanes; k + kLanes <= n; k += kLanes)
      for (int j = 0; j < kLanes; ++j) lane[j] = std::max(lane[j], x[k + j]);
    m = lane[0];
    for (int j = 1; j < kLanes; ++j) m = std::max(m, lane[j]);
  }
  for (; k < n; ++k) m = std::max(m, x[k]);
  return m;
}

// sum(x[0..n)) accumulated in double.
template <class T> double row_sum(const T* x, int64_t n) {
  double lane[kLanes] = {};
  int64_t k = 0;
  for (; k + kLanes <= n; k += kLanes)
    for (int j = 0; j < kLanes; ++j) lane[j] += x[k + j];
  double s = 0;
  for (int j = 0; j < kLanes; ++j) s += lane[j];
  for (; k < n; ++k) s += x[k];
  return s;
}

// log(sum(exp(x[0..n)))) computed stably, n >= 1; `work` holds n values.
template <class T> T row_logsumexp(const T* x, int64_t n, T* work) {
  const T m = row_max(x, n);
  for (int64_t k = 0; k < n; ++k) work[k] = x[k] - m;
  kernels::exp_contiguous(work, work, n);
  return m + static_cast<T>(std::log(row_sum(work, n)));
}

// attrs.axis (normalised), attrs.scalar: temperature.
template <bool kLog> void softmax_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const Lanes l = lanes_of(in[0].shape(), attrs.axis);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, kLog ? "log_softmax" : "softmax", {
    const T* x = in[0].data<T>();
    T* y = out[0].data<T>();
    const T inv_t = static_cast<T>(1.0 / attrs.scalar);
    const int64_t n = l.n, stride = l.inner;
    for_lane_blocks(l, [=](int64_t base, int64_t w) {
      const T* xb = x + base;
      T* yb = y + base;
      if (stride == 1) {  // a contiguous row: z = x / t - max, through the vectorised exp
        for (int64_t k = 0; k < n; ++k) yb[k] = xb[k] * inv_t;
        const T m = row_max(yb, n);
        for (int64_t k = 0; k < n; ++k) yb[k] -= m;
        T* e = kLog ? kernels::thread_scratch<T>(n) : yb;
        kernels::exp_contiguous(yb, e, n);
        const double s = row_sum(e, n);
        if (kLog) {
          const T ls = static_cast<T>(std::log(s));
          for (int64_t k = 0; k < n; ++k) yb[k] -= ls;
        } else {
          const T inv = static_cast<T>(1.0 / s);
          for (int64_t k = 0; k < n; ++k) yb[k] *= inv;
        }
        return;
      }
      T m[kBlock];
      double s[kBlock];
      for (int64_t j = 0; j < w; ++j) m[j] = xb[j] * inv_t;
      for (int64_t k = 1; k < n; ++k)
        for (int64_t j = 0; j < w; ++j) m[j] = std::max(m[j], xb[k * stride + j] * inv_t);
      for (int64_t j = 0; j < w; ++j) s[j] = 0;
      for (int64_t k = 0; k < n; ++k)
        for (int64_t j = 0; j < w; ++j) {
          T z = xb[k * stride + j] * inv_t - m[j];
          T e = std::exp(z);
          s[j] += e;
          yb[k * stride + j] = kLog ? z : e;
        }
      if (kLog) {
        T ls[kBlock];
        for (int64_t j = 0; j < w; ++j) ls[j] = static_cast<T>(std::log(s[j]));
        for (int64_t k = 0; k < n; ++k)
          for (int64_t j = 0; j < w; ++j) yb[k * stride + j] -= ls[j];
      } else {
        T inv[kBlock];
        for (int64_t j = 0; j < w; ++j) inv[j] = static_cast<T>(1.0 / s[j]);
        for (int64_t k = 0; k < n; ++k)
          for (int64_t j = 0; j < w; ++j) yb[k * stride + j] *= inv[j];
      }
    });
  });
}

// ---- softmax cross-entropy with class labels ------------------------------------
// Rows of pred (rows, classes) along its last axis; labels int64 in range,
// one per row. The forward never forms the log-probabilities:
// loss_r = logsumexp(pred_r) - pred_r[label_r].
// Calls fn(row, work) for each row of pred (rows of `n` classes) over the
// pool; `work` is n values of the task's scratch.
template <class T, class Fn> void for_class_rows(const NDArray& pred, Fn fn) {
  const int64_t n = pred.shape().back(), rows = n == 0 ? 0 : pred.size() / n;
  kernels::for_range(rows, std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, n)),
                     [&](int64_t r0, int64_t r1) {
                       T* work = kernels::thread_scratch<T>(n);
                       for (int64_t r = r0; r < r1; ++r) fn(r, work);
                     });
}

void softmax_ce_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const int64_t n = in[0].shape().back();
  const int64_t* label = in[1].data<int64_t>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "softmax_cross_entropy", {
    const T* x = in[0].data<T>();
    T* loss = out[0].data<T>();
    for_class_rows<T>(in[0],
                      [&](int64_t r, T* work) { loss[r] = row_logsumexp(x + r * n, n, work) - x[r * n + label[r]]; });
  });
}

// Its gradient in one pass per row (when not differentiated again): inputs
// pred, labels, the loss's gradient g (one per row);
// dx_r = g_r * (softmax(pred_r) - onehot(label_r)).
void softmax_ce_grad_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const int64_t n = in[0].shape().back();
  const int64_t* label = in[1].data<int64_t>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "softmax_cross_entropy", {
    const T* x = in[0].data<T>();
    const T* g = in[2].data<T>();
    T* dx = out[0].data<T>();
    for_class_rows<T>(in[0], [&](int64_t r, T* work) {
      const T* xr = x + r * n;
      T* d = dx + r * n;
      const T lse = row_logsumexp(xr, n, work);
      for (int64_t k = 0; k < n; ++k) d[k] = xr[k] - lse;
      kernels::exp_contiguous(d, d, n);
      for (int64_t k = 0; k < n; ++k) d[k] *= g[r];
      d[label[r]] -= g[r];
    });
  });
}

// sum over one axis keeping it (a 0-d array is its own sum).
NDArray sum_keep(const NDArray& a, int64_t axis) { return a.ndim() == 0 ? a : np::sum(a, Axes{axis}, true); }
NDArray mean_keep(const NDArray& a, const Axes& axes) { return axes.empty() ? a : np::mean(a, axes, true); }

// ---- activations --------------------------------------------------------------
struct Relu {
  template <class T> T operator()(T a) const { return a < T(0) ? T(0) : a; }
};  // NaN stays NaN
// log(1 + e^a) without overflow for large a.
struct SoftRelu {
  template <class T> T operator()(T a) const {
    return a > T(0) ? a + std::log1p(std::exp(-a)) : std::log1p(std::exp(a));
  }
};
struct SoftSign {
  template <class T> T operator()(T a) const { return a / (T(1) + std::abs(a)); }
};

// attrs.index: the np::Activation.
void activation_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  switch (static_cast<np::Activation>(attrs.index)) {
    case np::Activation::Relu:
      return float_unary_kernel<Relu>(attrs, in, out);
    case np::Activation::Sigmoid:
      MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "Activation",
                          kernels::sigmoid_contiguous(in[0].data<T>(), out[0].data<T>(), in[0].size()));
      return;
    case np::Activation::Tanh:
      MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "Activation",
                          kernels::tanh_contiguous(in[0].data<T>(), out[0].data<T>(), in[0].size()));
      return;
    case np::Activation::SoftRelu:
      return float_unary_kernel<SoftRelu>(attrs, in, out);
    case np::Activation::SoftSign:
      return float_unary_kernel<SoftSign>(attrs, in, out);
  }
}

// relu's gradient dy * (x > 0) in one pass: inputs x, dy (same shape and
// dtype). A NaN in dy stays NaN, as in the composed form.
void relu_grad_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "activation", {
    const T* x = in[0].data<T>();
    kernels::map_binary(x, in[0].shape(), in[1].data<T>(), in[1].shape(), out[0].data<T>(), in[1].shape(),
                        [](T a, T dy) { return dy * T(a > T(0)); });
  });
}

ArrayList activation_grad(const GradCtx& g) {
  const NDArray& dy = g.ograd(0);
  switch (static_cast<np::Activation>(g.attrs().index)) {
    case np::Activation::Relu:
      if (!autograd::is_recording()) {  // not differentiated again: one pass instead of three
        static const OpDef& fused = op("relu_grad");
        return {invoke1(fused, {g.input(0), dy}, Attrs())};
      }
      return {dy * np::astype(np::greater(g.input(0), 0.0), dy.dtype())};
    case np::Activation::Sigmoid: {
      const NDArray& y = g.output(0);
      return {dy * y * (1.0 - y)};
    }
    case np::Activation::Tanh: {
      const NDArray& y = g.output(0);
      return {dy * (1.0 - y * y)};
    }
    case np::Activation::SoftRelu:
      return {dy * np::activation(g.input(0), np::Activation::Sigmoid)};
    case np::Activation::SoftSign:
      return {dy / np::square(1.0 + np::abs(g.input(0)))};
  }
  return {NDArray()};
}

// ---- leaky_relu: MXNet's LeakyReLU act_types without parameters of their own --
struct LeakyReluParams {
  np::LeakyRelu kind = np::LeakyRelu::Leaky;
  double slope = 0.25;  // leaky: the negative slope; elu: the scale of exp(x) - 1
};
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluLambda = 1.0507009873554804934193349852946;

void leaky_relu_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const LeakyReluParams& p = attrs.params<LeakyReluParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "leaky_relu", {
    const T* x = in[0].data<T>();
    T* y = out[0].data<T>();
    const int64_t n = in[0].size();
    const T slope = static_cast<T>(p.slope);
    switch (p.kind) {
      case np::LeakyRelu::Leaky:
        kernels::map_unary(x, y, n, [slope](T a) { return a > T(0) ? a : slope * a; });
        break;
      case np::LeakyRelu::Elu:
        kernels::map_unary(x, y, n, [slope](T a) { return a > T(0) ? a : slope * std::expm1(a); });
        break;
      case np::LeakyRelu::Selu:
        kernels::map_unary(
            x, y, n, [](T a) { return static_cast<T>(kSeluLambda * (a > T(0) ? a : kSeluAlpha * std::expm1(a))); });
        break;
      case np::LeakyRelu::Gelu:  // x * Phi(x), Phi the standard normal CDF
        kernels::map_unary(x, y, n, [](T a) { return static_cast<T>(0.5 * a * (1 + std::erf(a * M_SQRT1_2))); });
        break;
    }
  });
}

ArrayList leaky_relu_grad(const GradCtx& g) {
  const LeakyReluParams& p = g.attrs().params<LeakyReluParams>();
  const NDArray &x = g.input(0), &dy = g.ograd(0);
  NDArray positive = np::greater(x, 0.0);
  switch (p.kind) {
    case np::LeakyRelu::Leaky:
      return {np::where(positive, dy, dy * p.slope)};
    case np::LeakyRelu::Elu:
      return {np::where(positive, dy, dy * (np::exp(x) * p.slope))};
    case np::LeakyRelu::Selu:
      return {np::where(positive, dy * kSeluLambda, dy * (np::exp(x) * (kSeluLambda * kSeluAlpha)))};
    case np::LeakyRelu::Gelu: {  // Phi(x) + x phi(x)
      NDArray cdf = (np::erf(x * M_SQRT1_2) + 1.0) * 0.5;
      NDArray pdf = np::exp(np::square(x) * -0.5) * (0.5 * M_2_SQRTPI * M_SQRT1_2);
      return {dy * (cdf + x * pdf)};
    }
  }
  return {NDArray()};
}

// ---- dropout ---------------------------------------------------------------------
// mask = (u >= p) / (1 - p) from uniform draws u; attrs.scalar: p.
void dropout_mask_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "dropout", {
    const T p = static_cast<T>(attrs.scalar);
    const T scale = attrs.scalar < 1.0 ? static_cast<T>(1.0 / (1.0 - attrs.scalar)) : T(0);
    kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(),
                       [p, scale](T u) { return u >= p ? scale : T(0); });
  });
}

// ---- layer_norm ---------------------------------------------------------------------
// inputs x, gamma, beta; attrs.axis (normalised), attrs.scalar: eps.
void layer_norm_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const Lanes l = lanes_of(in[0].shape(), attrs.axis);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "layer_norm", {
    const T* x = in[0].data<T>();
    const T* gamma = in[1].data<T>();
    const T* beta = in[2].data<T>();
    T* y = out[0].data<T>();
    const int64_t n = l.n, stride = l.inner;
    const double eps = attrs.scalar;
    for_lane_blocks(l, [=](int64_t base, int64_t w) {
      const T* xb = x + base;
      T* yb = y + base;
      if (stride == 1) {  // a contiguous row
        double acc = 0;
        for (int64_t k = 0; k < n; ++k) acc += xb[k];
        const T mean = static_cast<T>(acc / n);
        acc = 0;
        for (int64_t k = 0; k < n; ++k) {
          T d = xb[k] - mean;
          acc += d * d;
        }
        const T rstd = static_cast<T>(1.0 / std::sqrt(acc / n + eps));
        for (int64_t k = 0; k < n; ++k) yb[k] = (xb[k] - mean) * rstd * gamma[k] + beta[k];
        return;
      }
      double acc[kBlock];
      T mean[kBlock], rstd[kBlock];
      // Two sweeps (mean, then squared deviations) avoid the cancellation of
      // E[x^2] - E[x]^2.
      for (int64_t j = 0; j < w; ++j) acc[j] = 0;
      for (int64_t k = 0; k < n; ++k)
        for (int64_t j = 0; j < w; ++j) acc[j] += xb[k * stride + j];
      for (int64_t j = 0; j < w; ++j) {
        mean[j] = static_cast<T>(acc[j] / n);
        acc[j] = 0;
      }
      for (int64_t k = 0; k < n; ++k)
        for (int64_t j = 0; j < w; ++j) {
          T d = xb[k * stride + j] - mean[j];
          acc[j] += d * d;
        }
      for (int64_t j = 0; j < w; ++j) rstd[j] = static_cast<T>(1.0 / std::sqrt(acc[j] / n + eps));
      for (int64_t k = 0; k < n; ++k) {
        const T gk = gamma[k], bk = beta[k];
        for (int64_t j = 0; j < w; ++j) yb[k * stride + j] = (xb[k * stride + j] - mean[j]) * rstd[j] * gk + bk;
      }
    });
  });
}

// The shape that broadcasts a per-channel vector of length c along `axis`.
Shape channel_shape(size_t ndim, int64_t axis, int64_t c) {
  Shape s(ndim, 1);
  s[axis] = c;
  return s;
}

Axes all_axes_but(size_t ndim, int64_t axis) {
  Axes r;
  for (size_t i = 0; i < ndim; ++i)
    if (static_cast<int64_t>(i) != axis) r.push_back(static_cast<int64_t>(i));
  return r;
}

NDArray sum_over(const NDArray& a, const Axes& axes) { return axes.empty() ? a : np::sum(a, axes); }

// Gradient of (x - mean) * rstd with statistics over `axes`, given
// dxhat = dL/dxhat: rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)).
NDArray normalize_grad(const NDArray& dxhat, const NDArray& xhat, const NDArray& rstd, const Axes& axes) {
  return rstd * (dxhat - mean_keep(dxhat, axes) - xhat * mean_keep(dxhat * xhat, axes));
}

// ---- batch_norm ------------------------------------------------------------------------
// attrs.axis (normalised), attrs.scalar: eps, attrs.index: 1 when fix_gamma.
// Per channel c of the (outer, C, inner) layout: y = (x - mean_c) * rstd_c *
// gamma_c + beta_c. With `batch_stats` mean/var are computed here (biased
// variance) and written to out[1], out[2]; otherwise they are in[3], in[4].
template <bool kBatchStats> void batch_norm_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const Lanes lanes = lanes_of(in[0].shape(), attrs.axis);
  const int64_t outer = lanes.outer, channels = lanes.n, inner = lanes.inner;
  const bool fix_gamma = attrs.index & 1;
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "batch_norm", {
    const T* x = in[0].data<T>();
    const T* gamma = in[1].data<T>();
    const T* beta = in[2].data<T>();
    T* y = out[0].data<T>();
    T* mean_out = kBatchStats ? out[1].data<T>() : nullptr;
    T* var_out = kBatchStats ? out[2].data<T>() : nullptr;
    const T* mean_in = kBatchStats ? nullptr : in[3].data<T>();
    const T* var_in = kBatchStats ? nullptr : in[4].data<T>();
    const double eps = attrs.scalar;
    const int64_t count = outer * inner;
    // Channels are independent: parallel over blocks of channels; a channel's
    // sums always run in the same order, so results are deterministic. With
    // inner == 1 (e.g. (N, C) input) a block spans neighbouring channels so
    // the innermost loop runs along contiguous memory.
    const int64_t width = inner == 1 ? kBlock : 1;
    const int64_t blocks = (channels + width - 1) / width;
    const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, count * width));
    kernels::for_range(blocks, grain, [=](int64_t b0, int64_t b1) {
      double mean[kBlock], acc[kBlock];
      T scale[kBlock], shift[kBlock];
      for (int64_t blk = b0; blk < b1; ++blk) {
        const int64_t c0 = blk * width, w = std::min(width, channels - c0);
        if (kBatchStats) {
          for (int64_t j = 0; j < w; ++j) acc[j] = 0;
          for (int64_t o = 0; o < outer; ++o)
            for (int64_t j = 0; j < w; ++j) {
              const T* p = x + (o * channels + c0 + j) * inner;
              double a = 0;
              for (int64_t i = 0; i < inner; ++i) a += p[i];
              acc[j] += a;
            }
          for (int64_t j = 0; j < w; ++j) {
            mean[j] = count ? acc[j] / count : std::numeric_limits<double>::quiet_NaN();
            acc[j] = 0;
          }
          for (int64_t o = 0; o < outer; ++o)
            for (int64_t j = 0; j < w; ++j) {
              const T* p = x + (o * channels + c0 + j) * inner;
              double a = 0;
              for (int64_t i = 0; i < inner; ++i) {
                double d = p[i] - mean[j];
                a += d * d;
              }
              acc[j] += a;
            }
          for (int64_t j = 0; j < w; ++j) {
            acc[j] = count ? acc[j] / count : std::numeric_limits<double>::quiet_NaN();  // the variance
            mean_out[c0 + j] = static_cast<T>(mean[j]);
            var_out[c0 + j] = static_cast<T>(acc[j]);
          }
        } else {
          for (int64_t j = 0; j < w; ++j) {
            mean[j] = mean_in[c0 + j];
            acc[j] = var_in[c0 + j];
          }
        }
        for (int64_t j = 0; j < w; ++j) {
          const double gm = fix_gamma ? 1.0 : static_cast<double>(gamma[c0 + j]);
          scale[j] = static_cast<T>(gm / std::sqrt(acc[j] + eps));
          shift[j] = static_cast<T>(beta[c0 + j] - mean[j] * scale[j]);
        }
        for (int64_t o = 0; o < outer; ++o)
          for (int64_t j = 0; j < w; ++j) {
            const T* p = x + (o * channels + c0 + j) * inner;
            T* q = y + (o * channels + c0 + j) * inner;
            for (int64_t i = 0; i < inner; ++i) q[i] = p[i] * scale[j] + shift[j];
          }
      }
    });
  });
}

// The training form's gradient in one pass per channel (used when the
// backward is not itself recorded): inputs x, gamma, dy; outputs dx, dgamma,
// dbeta. With xhat = (x - mean) * rstd over the batch statistics,
// dbeta = sum dy, dgamma = sum dy * xhat and
// dx = gamma * rstd * (dy - dbeta / count - xhat * dgamma / count).
// Sums run in double in a fixed order per channel: deterministic.
void batch_norm_train_grad_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const Lanes lanes = lanes_of(in[0].shape(), attrs.axis);
  const int64_t outer = lanes.outer, channels = lanes.n, inner = lanes.inner;
  const bool fix_gamma = attrs.index & 1;
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "batch_norm", {
    const T* x = in[0].data<T>();
    const T* gamma = in[1].data<T>();
    const T* dy = in[2].data<T>();
    T* dx = out[0].data<T>();
    T* dgamma = out[1].data<T>();
    T* dbeta = out[2].data<T>();
    const double eps = attrs.scalar;
    const int64_t count = outer * inner;
    const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, count));
    kernels::for_range(channels, grain, [=](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; ++c) {
        double sx = 0;
        for (int64_t o = 0; o < outer; ++o) {
          const T* p = x + (o * channels + c) * inner;
          double a = 0;
          for (int64_t i = 0; i < inner; ++i) a += p[i];
          sx += a;
        }
        const double mean = count ? sx / count : std::numeric_limits<double>::quiet_NaN();
        double sxx = 0, sdy = 0, sdyxc = 0;
        for (int64_t o = 0; o < outer; ++o) {
          const T* p = x + (o * channels + c) * inner;
          const T* q = dy + (o * channels + c) * inner;
          double a = 0, b = 0, e = 0;
          for (int64_t i = 0; i < inner; ++i) {
            const double d = p[i] - mean;
            a += d * d;
            b += q[i];
            e += q[i] * d;
          }
          sxx += a;
          sdy += b;
          sdyxc += e;
        }
        const double var = count ? sxx / count : std::numeric_limits<double>::quiet_NaN();
        const double rstd = 1.0 / std::sqrt(var + eps);
        const double sdyxhat = sdyxc * rstd;
        dbeta[c] = static_cast<T>(sdy);
        dgamma[c] = fix_gamma ? T(0) : static_cast<T>(sdyxhat);
        const double gm = fix_gamma ? 1.0 : static_cast<double>(gamma[c]);
        // dx = k * (dy - m_dy - (x - mean) * rstd * m_dyxhat) = k*dy + a*x + b
        const double k = count ? gm * rstd : 0.0;
        const double m_dy = count ? sdy / count : 0.0, m_dyxhat = count ? sdyxhat / count : 0.0;
        const T ka = static_cast<T>(k), xa = static_cast<T>(-k * rstd * m_dyxhat);
        const T cb = static_cast<T>(k * (-m_dy + mean * rstd * m_dyxhat));
        for (int64_t o = 0; o < outer; ++o) {
          const T* p = x + (o * channels + c) * inner;
          const T* q = dy + (o * channels + c) * inner;
          T* r = dx + (o * channels + c) * inner;
          for (int64_t i = 0; i < inner; ++i) r[i] = ka * q[i] + xa * p[i] + cb;
        }
      }
    });
  });
}

// ---- lstm_cell, lstm_seq ------------------------------------------------------------------
// The LSTM gate math of one batch row, gates in MXNet's order i, f, c, o:
// c = sigmoid(f) * c_prev + sigmoid(i) * tanh(c~), h = sigmoid(o) * tanh(c),
// from the input and recurrent projections x, r (4H each); `act` (5H) keeps
// the activated gates and tanh(c) for the gradient. `scratch` holds 8H.
template <class T>
inline void lstm_row(const T* x, const T* r, const T* cp, T* h, T* c, T* act, int64_t hidden, T* scratch) {
  const int64_t n = 4 * hidden;
  T *z = scratch, *e = scratch + n;
  for (int64_t j = 0; j < n; ++j) {
    z[j] = x[j] + r[j];
    e[j] = -std::abs(z[j]);
  }
  for (int64_t j = 2 * hidden; j < 3 * hidden; ++j) e[j] *= T(2);  // the candidate's tanh
  kernels::exp_contiguous(e, e, n);
  for (int64_t j = 0; j < 2 * hidden; ++j) act[j] = kernels::sigmoid_from_exp(z[j], e[j]);
  for (int64_t j = 2 * hidden; j < 3 * hidden; ++j) act[j] = kernels::tanh_from_exp(z[j], e[j]);
  for (int64_t j = 3 * hidden; j < n; ++j) act[j] = kernels::sigmoid_from_exp(z[j], e[j]);
  const T *i = act, *f = act + hidden, *g = act + 2 * hidden, *o = act + 3 * hidden;
  for (int64_t j = 0; j < hidden; ++j) {
    c[j] = f[j] * cp[j] + i[j] * g[j];
    e[j] = T(-2) * std::abs(c[j]);
  }
  kernels::exp_contiguous(e, e, hidden);
  T* tc = act + n;
  for (int64_t j = 0; j < hidden; ++j) {
    tc[j] = kernels::tanh_from_exp(c[j], e[j]);
    h[j] = o[j] * tc[j];
  }
}

// Its gradient for one row: dgates (4H, the gradient of both projections)
// and dc_prev from the kept activations, c_prev and the incoming dh, dc.
// dcp may be dc (each element is read before it is written).
template <class T>
inline void lstm_grad_row(const T* act, const T* cp, const T* dh, const T* dc, T* dgates, T* dcp, int64_t hidden) {
  for (int64_t j = 0; j < hidden; ++j) {
    const T i = act[j], f = act[hidden + j], g = act[2 * hidden + j], o = act[3 * hidden + j];
    const T tc = act[4 * hidden + j];
    const T dct = dc[j] + dh[j] * o * (T(1) - tc * tc);
    dgates[j] = dct * g * i * (T(1) - i);
    dgates[hidden + j] = dct * cp[j] * f * (T(1) - f);
    dgates[2 * hidden + j] = dct * i * (T(1) - g * g);
    dgates[3 * hidden + j] = dh[j] * tc * o * (T(1) - o);
    dcp[j] = dct * f;
  }
}

int64_t lstm_row_grain(int64_t hidden) {
  return std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, 8 * hidden));
}

// One step (the RNN op's inner loop when it is not fused whole): inputs gx,
// gh (N, 4H) and c_prev (N, H); outputs h, c (N, H) and act (N, 5H).
void lstm_cell_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const int64_t batch = in[2].shape()[0], hidden = in[2].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "lstm_cell", {
    const T *gx = in[0].data<T>(), *gh = in[1].data<T>(), *cp = in[2].data<T>();
    T *h = out[0].data<T>(), *c = out[1].data<T>(), *act = out[2].data<T>();
    kernels::for_range(batch, lstm_row_grain(hidden), [=](int64_t b0, int64_t b1) {
      T* scratch = kernels::thread_scratch<T>(8 * hidden);
      for (int64_t b = b0; b < b1; ++b)
        lstm_row(gx + b * 4 * hidden, gh + b * 4 * hidden, cp + b * hidden, h + b * hidden, c + b * hidden,
                 act + b * 5 * hidden, hidden, scratch);
    });
  });
}

// Its gradient: inputs act (N, 5H), c_prev, dh, dc; outputs dgates (N, 4H)
// (the gradient of both gx and gh) and dc_prev.
void lstm_cell_grad_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const int64_t batch = in[1].shape()[0], hidden = in[1].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "lstm_cell", {
    const T *act = in[0].data<T>(), *cp = in[1].data<T>();
    const T *dh = in[2].data<T>(), *dc = in[3].data<T>();
    T *dg = out[0].data<T>(), *dcp = out[1].data<T>();
    kernels::for_range(batch, lstm_row_grain(hidden), [=](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b)
        lstm_grad_row(act + b * 5 * hidden, cp + b * hidden, dh + b * hidden, dc + b * hidden, dg + b * 4 * hidden,
                      dcp + b * hidden, hidden);
    });
  });
}

// The whole recurrence of one LSTM layer and direction (attrs.reverse: from
// the last step to the first): inputs xw (T, N, 4H), the input projection of
// every step with both biases, the recurrent weights wh (4H, H), h0, c0
// (N, H); outputs hs (T, N, H), c_last (N, H), and for the gradient act
// (T, N, 5H) and cs (T, N, H). One op for the sequence lets its backward
// form the recurrent weights' gradient as one product over all steps.
void lstm_seq_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const int64_t steps = in[0].shape()[0], batch = in[2].shape()[0], hidden = in[2].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "lstm_seq", {
    const T *xw = in[0].data<T>(), *wh = in[1].data<T>(), *h0 = in[2].data<T>(), *c0 = in[3].data<T>();
    T *hs = out[0].data<T>(), *c_last = out[1].data<T>(), *act = out[2].data<T>(), *cs = out[3].data<T>();
    std::vector<T> gh(static_cast<size_t>(batch * 4 * hidden));
    const kernels::RowsOperand<T> wh_t(wh, hidden, 4 * hidden, hidden, true);  // packed once for all steps
    const T *h_prev = h0, *c_prev = c0;
    for (int64_t i = 0; i < steps; ++i) {
      const int64_t t = attrs.reverse ? steps - 1 - i : i;
      T* gr = gh.data();
      wh_t.multiply(batch, h_prev, hidden, T(0), gr, 4 * hidden);
      const T* x = xw + t * batch * 4 * hidden;
      T *h = hs + t * batch * hidden, *c = cs + t * batch * hidden, *a = act + t * batch * 5 * hidden;
      kernels::for_range(batch, lstm_row_grain(hidden), [=](int64_t b0, int64_t b1) {
        T* scratch = kernels::thread_scratch<T>(8 * hidden);
        for (int64_t b = b0; b < b1; ++b)
          lstm_row(x + b * 4 * hidden, gr + b * 4 * hidden, c_prev + b * hidden, h + b * hidden, c + b * hidden,
                   a + b * 5 * hidden, hidden, scratch);
      });
      h_prev = h;
      c_prev = c;
    }
    std::copy(c_prev, c_prev + batch * hidden, c_last);
  });
}

// Its gradient: inputs act, cs, c0, h0, hs, wh, dhs (T, N, H), dc_last;
// outputs dxw (T, N, 4H), dwh (4H, H), dh0, dc0. Backward through time one
// step at a time (dh carried through wh), then dwh = dxw^T . h_prev over all
// steps at once.
void lstm_seq_grad_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const int64_t steps = in[0].shape()[0], batch = in[2].shape()[0], hidden = in[2].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "lstm_seq", {
    const T *act = in[0].data<T>(), *cs = in[1].data<T>(), *c0 = in[2].data<T>(), *h0 = in[3].data<T>();
    const T *hs = in[4].data<T>(), *wh = in[5].data<T>(), *dhs = in[6].data<T>(), *dc_last = in[7].data<T>();
    T *dxw = out[0].data<T>(), *dwh = out[1].data<T>(), *dh0 = out[2].data<T>(), *dc0 = out[3].data<T>();
    const int64_t nh = batch * hidden;
    std::vector<T> dh_carry(static_cast<size_t>(nh), T(0)), dh(static_cast<size_t>(nh));
    const kernels::RowsOperand<T> wh_op(wh, 4 * hidden, hidden, hidden, false);
    std::copy(dc_last, dc_last + nh, dc0);  // dc0 carries dc back through the steps
    // h_prev of every step, in step order, for the one weight-gradient product.
    std::vector<T> h_prev(static_cast<size_t>(steps * nh));
    for (int64_t i = steps - 1; i >= 0; --i) {
      const int64_t t = attrs.reverse ? steps - 1 - i : i;
      const int64_t t_prev = attrs.reverse ? t + 1 : t - 1;  // the step processed before t
      const T* cp = i == 0 ? c0 : cs + t_prev * nh;
      const T* hp = i == 0 ? h0 : hs + t_prev * nh;
      std::copy(hp, hp + nh, h_prev.data() + t * nh);
      const T* dht = dhs + t * nh;
      for (int64_t k = 0; k < nh; ++k) dh[k] = dht[k] + dh_carry[k];
      T* dg = dxw + t * batch * 4 * hidden;
      const T* a = act + t * batch * 5 * hidden;
      const T* dhp = dh.data();
      T* dc = dc0;
      kernels::for_range(batch, lstm_row_grain(2 * hidden), [=](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b)
          lstm_grad_row(a + b * 5 * hidden, cp + b * hidden, dhp + b * hidden, dc + b * hidden, dg + b * 4 * hidden,
                        dc + b * hidden, hidden);
      });
      wh_op.multiply(batch, dg, 4 * hidden, T(0), dh_carry.data(), hidden);
    }
    std::copy(dh_carry.begin(), dh_carry.end(), dh0);
    if (steps == 0) {
      std::fill(dwh, dwh + 4 * hidden * hidden, T(0));
    } else {
      kernels::gemm<T>(true, false, 4 * hidden, hidden, steps * batch, T(1), dxw, 4 * hidden, h_prev.data(), hidden,
                       T(0), dwh, hidden);
    }
  });
}

// The dtype all inputs of a sequence op share (Error naming the op otherwise).
DType same_dtype(Span<NDArray> in, const char* op_name) {
  const DType dt = in[0].dtype();
  for (size_t i = 1; i < in.size(); ++i)
    MXLITE_CHECK(in[i].dtype() == dt, op_name, "all inputs must have dtype ", dtype_name(dt), ", input ", i, " has ",
                 dtype_name(in[i].dtype()));
  return dt;
}

// ---- gru_seq ------------------------------------------------------------------------------
// MXNet's GRU step, gates in its order r, z, n: from the input projection x
// (3H, with the input bias) and the recurrent one g (3H, with the recurrent
// bias), r = sigmoid(x_r + g_r), z = sigmoid(x_z + g_z),
// n = tanh(x_n + r * g_n), h = (1 - z) * n + z * h_prev. `act` (4H) keeps
// r, z, n and g_n for the gradient; `scratch` holds 4H.
template <class T> inline void gru_row(const T* x, const T* g, const T* hp, T* h, T* act, int64_t hidden, T* scratch) {
  T *pre = scratch, *e = scratch + 2 * hidden;
  for (int64_t j = 0; j < 2 * hidden; ++j) {
    pre[j] = x[j] + g[j];
    e[j] = -std::abs(pre[j]);
  }
  kernels::exp_contiguous(e, e, 2 * hidden);
  for (int64_t j = 0; j < 2 * hidden; ++j) act[j] = kernels::sigmoid_from_exp(pre[j], e[j]);
  const T *r = act, *z = act + hidden, *gn = g + 2 * hidden, *xn = x + 2 * hidden;
  for (int64_t j = 0; j < hidden; ++j) {
    pre[j] = xn[j] + r[j] * gn[j];
    e[j] = T(-2) * std::abs(pre[j]);
  }
  kernels::exp_contiguous(e, e, hidden);
  T *n = act + 2 * hidden, *g_keep = act + 3 * hidden;
  for (int64_t j = 0; j < hidden; ++j) {
    n[j] = kernels::tanh_from_exp(pre[j], e[j]);
    g_keep[j] = gn[j];
    h[j] = (T(1) - z[j]) * n[j] + z[j] * hp[j];
  }
}

// Its gradient for one row, from the incoming dh: dx (3H), dg (3H) and the
// direct part of dh_prev (dh * z; the part through the weights is added by
// the caller).
template <class T>
inline void gru_grad_row(const T* act, const T* hp, const T* dh, T* dx, T* dg, T* dhp, int64_t hidden) {
  for (int64_t j = 0; j < hidden; ++j) {
    const T r = act[j], z = act[hidden + j], n = act[2 * hidden + j], gn = act[3 * hidden + j];
    const T dn = dh[j] * (T(1) - z) * (T(1) - n * n);
    const T dr = dn * gn * r * (T(1) - r);
    const T dz = dh[j] * (hp[j] - n) * z * (T(1) - z);
    dx[j] = dg[j] = dr;
    dx[hidden + j] = dg[hidden + j] = dz;
    dx[2 * hidden + j] = dn;
    dg[2 * hidden + j] = dn * r;
    dhp[j] = dh[j] * z;
  }
}

// The whole recurrence of one GRU layer and direction (attrs.reverse: last
// step first): inputs xw (T, N, 3H) with the input bias, wh (3H, H), the
// recurrent bias bh (3H), h0 (N, H); outputs hs (T, N, H) and, for the
// gradient, act (T, N, 4H).
void gru_seq_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const int64_t steps = in[0].shape()[0], batch = in[3].shape()[0], hidden = in[3].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "gru_seq", {
    const T *xw = in[0].data<T>(), *wh = in[1].data<T>(), *bh = in[2].data<T>(), *h0 = in[3].data<T>();
    T *hs = out[0].data<T>(), *act = out[1].data<T>();
    std::vector<T> gh(static_cast<size_t>(batch * 3 * hidden));
    const kernels::RowsOperand<T> wh_t(wh, hidden, 3 * hidden, hidden, true);
    const T* h_prev = h0;
    for (int64_t i = 0; i < steps; ++i) {
      const int64_t t = attrs.reverse ? steps - 1 - i : i;
      T* gr = gh.data();
      for (int64_t b = 0; b < batch; ++b) std::copy(bh, bh + 3 * hidden, gr + b * 3 * hidden);  // the GEMM adds to it
      wh_t.multiply(batch, h_prev, hidden, T(1), gr, 3 * hidden);
      const T* x = xw + t * batch * 3 * hidden;
      T *h = hs + t * batch * hidden, *a = act + t * batch * 4 * hidden;
      kernels::for_range(batch, lstm_row_grain(hidden), [=](int64_t b0, int64_t b1) {
        T* scratch = kernels::thread_scratch<T>(4 * hidden);
        for (int64_t b = b0; b < b1; ++b)
          gru_row(x + b * 3 * hidden, gr + b * 3 * hidden, h_prev + b * hidden, h + b * hidden, a + b * 4 * hidden,
                  hidden, scratch);
      });
      h_prev = h;
    }
  });
}

// Its gradient: inputs act, h0, hs, wh, dhs (T, N, H); outputs dxw
// (T, N, 3H), dwh (3H, H), dbh (3H), dh0. Backward through time step by
// step, then dwh and dbh from every step's dg at once.
void gru_seq_grad_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const int64_t steps = in[0].shape()[0], batch = in[1].shape()[0], hidden = in[1].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "gru_seq", {
    const T *act = in[0].data<T>(), *h0 = in[1].data<T>(), *hs = in[2].data<T>(), *wh = in[3].data<T>();
    const T* dhs = in[4].data<T>();
    T *dxw = out[0].data<T>(), *dwh = out[1].data<T>(), *dbh = out[2].data<T>(), *dh0 = out[3].data<T>();
    const int64_t nh = batch * hidden, ng = batch * 3 * hidden;
    std::vector<T> carry(static_cast<size_t>(nh), T(0)), dh(static_cast<size_t>(nh));
    const kernels::RowsOperand<T> wh_op(wh, 3 * hidden, hidden, hidden, false);
    std::vector<T> dg_all(static_cast<size_t>(steps * ng)), h_prev(static_cast<size_t>(steps * nh));
    for (int64_t i = steps - 1; i >= 0; --i) {
      const int64_t t = attrs.reverse ? steps - 1 - i : i;
      const T* hp = i == 0 ? h0 : hs + (attrs.reverse ? t + 1 : t - 1) * nh;
      std::copy(hp, hp + nh, h_prev.data() + t * nh);
      const T* dht = dhs + t * nh;
      for (int64_t k = 0; k < nh; ++k) dh[k] = dht[k] + carry[k];
      const T *a = act + t * batch * 4 * hidden, *dhp = dh.data();
      T *dx = dxw + t * ng, *dg = dg_all.data() + t * ng, *c = carry.data();
      kernels::for_range(batch, lstm_row_grain(2 * hidden), [=](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b)
          gru_grad_row(a + b * 4 * hidden, hp + b * hidden, dhp + b * hidden, dx + b * 3 * hidden, dg + b * 3 * hidden,
                       c + b * hidden, hidden);
      });
      wh_op.multiply(batch, dg, 3 * hidden, T(1), c, hidden);
    }
    std::copy(carry.begin(), carry.end(), dh0);
    std::fill(dbh, dbh + 3 * hidden, T(0));
    for (int64_t row = 0; row < steps * batch; ++row)
      for (int64_t j = 0; j < 3 * hidden; ++j) dbh[j] += dg_all[static_cast<size_t>(row * 3 * hidden + j)];
    if (steps == 0) {
      std::fill(dwh, dwh + 3 * hidden * hidden, T(0));
    } else {
      kernels::gemm<T>(true, false, 3 * hidden, hidden, steps * batch, T(1), dg_all.data(), 3 * hidden, h_prev.data(),
                       hidden, T(0), dwh, hidden);
    }
  });
}

// gru_seq's gradient with registered ops (for create_graph): the forward
// recomputed step by step, then each step's gradient composed.
ArrayList gru_seq_grad_ops(const NDArray& xw, const NDArray& wh, const NDArray& bh, const NDArray& h0,
                           const NDArray& dhs, bool reverse) {
  const int64_t steps = xw.shape()[0];
  struct Step {
    NDArray h_prev, r, z, n, gn;
  };
  std::vector<Step> st(static_cast<size_t>(steps));
  std::vector<NDArray> x_steps;
  if (steps > 0) x_steps = np::split(xw, steps, 0);
  NDArray h = h0;
  for (int64_t i = 0; i < steps; ++i) {
    const size_t t = static_cast<size_t>(reverse ? steps - 1 - i : i);
    std::vector<NDArray> xg = np::split(np::reshape(x_steps[t], Shape{xw.shape()[1], xw.shape()[2]}), 3, 1);
    std::vector<NDArray> hg = np::split(np::matmul_t(h, wh, false, true) + bh, 3, 1);
    Step& s = st[t];
    s.h_prev = h;
    s.r = np::sigmoid(xg[0] + hg[0]);
    s.z = np::sigmoid(xg[1] + hg[1]);
    s.gn = hg[2];
    s.n = np::tanh(xg[2] + s.r * hg[2]);
    h = (1.0 - s.z) * s.n + s.z * h;
  }
  std::vector<NDArray> dx(st.size());
  NDArray carry = np::zeros_like(h0), dwh, dbh;
  for (int64_t i = steps - 1; i >= 0; --i) {
    const size_t t = static_cast<size_t>(reverse ? steps - 1 - i : i);
    const Step& s = st[t];
    const NDArray dh = np::index(dhs, static_cast<int64_t>(t)) + carry;
    const NDArray dn = dh * (1.0 - s.z) * (1.0 - s.n * s.n);
    const NDArray dr = dn * s.gn * s.r * (1.0 - s.r);
    const NDArray dz = dh * (s.h_prev - s.n) * s.z * (1.0 - s.z);
    dx[t] = np::concatenate({dr, dz, dn}, 1);
    const NDArray dg = np::concatenate({dr, dz, dn * s.r}, 1);
    carry = dh * s.z + np::matmul(dg, wh);
    const NDArray dw = np::matmul_t(dg, s.h_prev, true, false), db = np::sum(dg, Axes{0});
    dwh = dwh.defined() ? dwh + dw : dw;
    dbh = dbh.defined() ? dbh + db : db;
  }
  if (!dwh.defined()) {
    dwh = np::zeros_like(wh);
    dbh = np::zeros_like(bh);
  }
  return {steps > 0 ? np::stack(dx, 0) : np::zeros_like(xw), dwh, dbh, carry};
}

// The same gradient with registered ops, so that it can be differentiated again.
ArrayList lstm_cell_grad_ops(const NDArray& gx, const NDArray& gh, const NDArray& cp, const NDArray& dh,
                             const NDArray& dc) {
  std::vector<NDArray> gate = np::split(gx + gh, 4, 1);
  NDArray ig = np::sigmoid(gate[0]), fg = np::sigmoid(gate[1]), cg = np::tanh(gate[2]), og = np::sigmoid(gate[3]);
  NDArray tc = np::tanh(fg * cp + ig * cg);
  NDArray dct = dc + dh * og * (1.0 - tc * tc);
  NDArray dgates = np::concatenate(
      {dct * cg * ig * (1.0 - ig), dct * cp * fg * (1.0 - fg), dct * ig * (1.0 - cg * cg), dh * tc * og * (1.0 - og)},
      1);
  return {dgates, dgates, dct * fg};
}

// lstm_seq's gradient with registered ops (for create_graph): the forward is
// recomputed step by step with lstm_cell, then each step's gradient composed.
ArrayList lstm_seq_grad_ops(const NDArray& xw, const NDArray& wh, const NDArray& h0, const NDArray& c0,
                            const NDArray& dhs, const NDArray& dc_last, bool reverse) {
  const int64_t steps = xw.shape()[0];
  static const OpDef& cell_op = op("lstm_cell");
  std::vector<NDArray> x(static_cast<size_t>(steps)), gh(x.size()), c_prev(x.size()), h_prev(x.size());
  std::vector<NDArray> x_steps;
  if (steps > 0) x_steps = np::split(xw, steps, 0);
  NDArray h = h0, c = c0;
  for (int64_t i = 0; i < steps; ++i) {
    const size_t t = static_cast<size_t>(reverse ? steps - 1 - i : i);
    x[t] = np::reshape(x_steps[t], Shape{xw.shape()[1], xw.shape()[2]});
    h_prev[t] = h;
    c_prev[t] = c;
    gh[t] = np::matmul_t(h, wh, false, true);
    ArrayList hc = invoke(cell_op, {x[t], gh[t], c});
    h = hc[0];
    c = hc[1];
  }
  std::vector<NDArray> dgates(x.size());
  NDArray dh_carry = np::zeros_like(h0), dc = dc_last, dwh;
  for (int64_t i = steps - 1; i >= 0; --i) {
    const size_t t = static_cast<size_t>(reverse ? steps - 1 - i : i);
    ArrayList g = lstm_cell_grad_ops(x[t], gh[t], c_prev[t], np::index(dhs, static_cast<int64_t>(t)) + dh_carry, dc);
    dgates[t] = g[0];
    dc = g[2];
    dh_carry = np::matmul(g[0], wh);
    NDArray dw = np::matmul_t(g[0], h_prev[t], true, false);
    dwh = dwh.defined() ? dwh + dw : dw;
  }
  NDArray dxw = steps > 0 ? np::stack(dgates, 0) : np::zeros_like(xw);
  if (!dwh.defined()) dwh = np::zeros_like(wh);
  return {dxw, dwh, dh_carry, dc};
}

// ---- embedding ------------------------------------------------------------------------
// The row an index selects: truncated, then clipped into [0, rows) as MXNet does.
template <class I> int64_t row_of(I v, int64_t rows) {
  double d = static_cast<double>(v);
  if (!(d > 0)) return 0;  // also NaN
  if (d >= static_cast<double>(rows - 1)) return rows - 1;
  return static_cast<int64_t>(d);
}

// out[p, :] = weight[row(indices[p]), :].
void embedding_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const NDArray &idx = in[0], &w = in[1];
  const int64_t rows = w.shape()[0], dim = w.shape()[1], count = idx.size();
  if (count == 0 || dim == 0) return;
  MXLITE_DTYPE_SWITCH(idx.dtype(), I, {
    const I* pi = idx.data<I>();
    MXLITE_NUMERIC_SWITCH(w.dtype(), T, "embedding", {
      const T* pw = w.data<T>();
      T* po = out[0].data<T>();
      const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / dim);
      kernels::for_range(count, grain, [=](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p) std::copy_n(pw + row_of(pi[p], rows) * dim, dim, po + p * dim);
      });
    });
  });
}

// The weight gradient of embedding: out (attrs.index rows, dim) = zeros, then
// out[row(indices[p]), :] += g[p, :]. Split over columns so that each output
// element is summed by one thread in index order (deterministic).
void embedding_grad_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray &idx = in[0], &g = in[1];
  const int64_t rows = attrs.index, count = idx.size();
  const int64_t dim = out[0].shape()[1];
  MXLITE_DTYPE_SWITCH(idx.dtype(), I, {
    const I* pi = idx.data<I>();
    MXLITE_FLOAT_SWITCH(g.dtype(), T, "embedding", {
      const T* pg = g.data<T>();
      T* po = out[0].data<T>();
      std::fill_n(po, rows * dim, T(0));
      if (count > 0 && dim > 0) {
        const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / count);
        kernels::for_range(dim, grain, [=](int64_t d0, int64_t d1) {
          for (int64_t p = 0; p < count; ++p) {
            T* dst = po + row_of(pi[p], rows) * dim;
            const T* src = pg + p * dim;
            for (int64_t d = d0; d < d1; ++d) dst[d] += src[d];
          }
        });
      }
    });
  });
}

// softmax_output's backward: inputs y (rows, classes), label (rows,);
// attrs.scalar grad_scale, attrs.scalar2 ignore_label, attrs.index bits 0-1
// the normalization, bit 2 use_ignore.
void softmax_output_grad_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray &y = in[0], &label = in[1];
  const int64_t rows = y.shape()[0], classes = y.shape()[1];
  const int norm = static_cast<int>(attrs.index & 3);
  const bool use_ignore = attrs.index & 4;
  MXLITE_DTYPE_SWITCH(label.dtype(), L, {
    const L* pl = label.data<L>();
    MXLITE_FLOAT_SWITCH(y.dtype(), T, "SoftmaxOutput", {
      const T* py = y.data<T>();
      T* po = out[0].data<T>();
      auto ignored = [=](int64_t r) { return use_ignore && static_cast<double>(pl[r]) == attrs.scalar2; };
      int64_t valid = 0;
      for (int64_t r = 0; r < rows; ++r) valid += !ignored(r);
      double scale = attrs.scalar;
      if (norm == 1) scale /= std::max<int64_t>(1, rows);
      if (norm == 2) scale /= std::max<int64_t>(1, valid);
      const T s = static_cast<T>(scale);
      for (int64_t r = 0; r < rows; ++r) {
        T* o = po + r * classes;
        if (ignored(r)) {
          std::fill_n(o, classes, T(0));
          continue;
        }
        const T* yr = py + r * classes;
        for (int64_t c = 0; c < classes; ++c) o[c] = yr[c] * s;
        const double lv = static_cast<double>(pl[r]);
        if (lv >= 0 && lv < static_cast<double>(classes)) o[static_cast<int64_t>(lv)] -= s;
      }
    });
  });
}

}  // namespace

void register_nn_ops() {
  register_op("softmax")
      .save_outputs({0})
      .set_infer(infer_like_input)
      .set_kernel(softmax_kernel<false>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // dx = y * (dy - sum(dy * y)) / t
        const NDArray &y = g.output(0), &dy = g.ograd(0);
        NDArray dyy = dy * y;
        NDArray dx = dyy - y * sum_keep(dyy, g.attrs().axis);
        return {g.attrs().scalar == 1.0 ? dx : dx / g.attrs().scalar};
      });
  register_op("log_softmax")
      .save_outputs({0})
      .set_infer(infer_like_input)
      .set_kernel(softmax_kernel<true>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // dx = (dy - softmax * sum(dy)) / t, softmax = exp(y)
        const NDArray &y = g.output(0), &dy = g.ograd(0);
        NDArray dx = dy - np::exp(y) * sum_keep(dy, g.attrs().axis);
        return {g.attrs().scalar == 1.0 ? dx : dx / g.attrs().scalar};
      });
  // softmax_cross_entropy: inputs pred (..., classes), labels (int64, in
  // range, pred's size / classes of them); out (..., 1).
  register_op("softmax_cross_entropy")
      .inputs(2)
      .save_inputs({0, 1})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        Shape s = in[0].shape();
        s.back() = 1;
        out.push_back(TensorMeta{s, in[0].dtype()});
      })
      .set_kernel(softmax_ce_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &x = g.input(0), &label = g.input(1), &dy = g.ograd(0);
        if (!autograd::is_recording()) {
          static const OpDef& fused = op("softmax_cross_entropy_grad");
          return {invoke1(fused, {x, label, dy}, g.attrs()), NDArray()};
        }
        const NDArray onehot = np::reshape(np::one_hot(label, x.shape().back(), 1.0, 0.0, x.dtype()), x.shape());
        return {(np::softmax(x, -1) - onehot) * dy, NDArray()};
      });
  register_op("relu_grad").inputs(2).set_infer(infer_like_input).set_kernel(relu_grad_kernel);
  register_op("softmax_cross_entropy_grad").inputs(3).set_infer(infer_like_input).set_kernel(softmax_ce_grad_kernel);
  register_op("activation")
      .save_inputs({0})
      .save_outputs({0})
      .set_infer(infer_like_input)
      .set_kernel(activation_kernel)
      .set_grad(activation_grad);
  register_op("leaky_relu")
      .save_inputs({0})
      .set_params_codec(
          [](const Attrs& attrs, AttrList& out) {
            const auto& p = attrs.params<ops::LeakyReluParams>();
            out.emplace_back("act_type", std::to_string(static_cast<int>(p.kind)));
            out.emplace_back("slope", real_text(p.slope));
          },
          [](const AttrList& in, Attrs& attrs) {
            const int64_t kind = parse_ints("(" + attr_value(in, "act_type", "LeakyReLU") + ")", "LeakyReLU").at(0);
            MXLITE_CHECK(kind >= 0 && kind <= static_cast<int64_t>(np::LeakyRelu::Gelu), "LeakyReLU",
                         "unknown saved act_type ", kind);
            attrs.set_params(ops::LeakyReluParams{static_cast<np::LeakyRelu>(kind),
                                                  parse_real(attr_value(in, "slope", "LeakyReLU"), "LeakyReLU")});
          })
      .set_infer(infer_like_input)
      .set_kernel(leaky_relu_kernel)
      .set_grad(leaky_relu_grad);
  register_op("dropout_mask").set_infer(infer_like_input).set_kernel(dropout_mask_kernel).set_flags(kNotDifferentiable);
  register_op("layer_norm")
      .inputs(3)
      .save_inputs({0, 1})
      .set_infer(infer_like_input)
      .set_kernel(layer_norm_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &x = g.input(0), &gamma = g.input(1), &dy = g.ograd(0);
        const int64_t axis = g.attrs().axis;
        const Axes lane{axis}, others = all_axes_but(x.ndim(), axis);
        // Recompute the statistics with ops so that this gradient is itself differentiable.
        NDArray xc = x - np::mean(x, lane, true);
        NDArray rstd = np::power(np::mean(xc * xc, lane, true) + g.attrs().scalar, -0.5);
        NDArray xhat = xc * rstd;
        NDArray dx, dgamma, dbeta;
        if (g.needs_grad(0))
          dx = normalize_grad(dy * np::reshape(gamma, channel_shape(x.ndim(), axis, gamma.size())), xhat, rstd, lane);
        if (g.needs_grad(1)) dgamma = sum_over(dy * xhat, others);
        if (g.needs_grad(2)) dbeta = sum_over(dy, others);
        return {dx, dgamma, dbeta};
      });
  // Training form: inputs x, gamma, beta; outputs y and the batch mean and
  // variance (for the running-statistics update; not differentiated).
  register_op("batch_norm_train")
      .inputs(3)
      .save_inputs({0, 1})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
        Shape c{in[0].shape()[attrs.axis]};
        out.push_back(TensorMeta{c, in[1].dtype()});  // the parameters' dtype (float32 for float16 data)
        out.push_back(TensorMeta{c, in[1].dtype()});
      })
      .set_kernel(batch_norm_kernel<true>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &x = g.input(0), &gamma = g.input(1), &dy = g.ograd(0);
        if (!autograd::is_recording()) {
          // Not differentiated again: the one-pass kernel.
          static const OpDef& fused = op("batch_norm_train_grad");
          return invoke(fused, {x, gamma, dy}, g.attrs());
        }
        const int64_t axis = g.attrs().axis;
        const bool fix_gamma = g.attrs().index & 1;
        const Axes others = all_axes_but(x.ndim(), axis);
        const Shape cshape = channel_shape(x.ndim(), axis, gamma.size());
        NDArray xc = x - mean_keep(x, others);
        NDArray rstd = np::power(mean_keep(xc * xc, others) + g.attrs().scalar, -0.5);
        NDArray xhat = xc * rstd;
        NDArray dx, dgamma, dbeta;
        if (g.needs_grad(0)) dx = normalize_grad(fix_gamma ? dy : dy * np::reshape(gamma, cshape), xhat, rstd, others);
        if (g.needs_grad(1)) dgamma = fix_gamma ? np::zeros_like(gamma) : sum_over(dy * xhat, others);
        if (g.needs_grad(2)) dbeta = sum_over(dy, others);
        return {dx, dgamma, dbeta};
      });
  register_op("batch_norm_train_grad")
      .inputs(3)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        Shape c{in[0].shape()[attrs.axis]};
        out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
        out.push_back(TensorMeta{c, in[1].dtype()});
        out.push_back(TensorMeta{c, in[1].dtype()});
      })
      .set_kernel(batch_norm_train_grad_kernel)
      .set_flags(kNotDifferentiable);
  register_op("lstm_cell")
      .inputs(3)
      .save_inputs({0, 1, 2})
      .save_outputs({2})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        Shape act = in[2].shape();
        act[1] *= 5;
        out.push_back(TensorMeta{in[2].shape(), in[0].dtype()});
        out.push_back(TensorMeta{in[2].shape(), in[0].dtype()});
        out.push_back(TensorMeta{act, in[0].dtype()});
      })
      .set_kernel(lstm_cell_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // act (output 2) is the gradient's cache, not differentiated.
        const NDArray &gx = g.input(0), &gh = g.input(1), &cp = g.input(2);
        const NDArray dh = g.ograd(0).defined() ? g.ograd(0) : np::zeros_like(cp);
        const NDArray dc = g.ograd(1).defined() ? g.ograd(1) : np::zeros_like(cp);
        if (autograd::is_recording()) return lstm_cell_grad_ops(gx, gh, cp, dh, dc);
        static const OpDef& fused = op("lstm_cell_grad");
        ArrayList r = invoke(fused, {g.output(2), cp, dh, dc});
        return {r[0], r[0], r[1]};
      });
  register_op("lstm_seq")
      .inputs(4)
      .save_inputs({0, 1, 2, 3})
      .save_outputs({0, 2, 3})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const Shape &xw = in[0].shape(), &wh = in[1].shape(), &h0 = in[2].shape();
        MXLITE_CHECK(xw.size() == 3 && h0.size() == 2 && wh.size() == 2 && in[3].shape() == h0 && xw[1] == h0[0] &&
                         xw[2] == 4 * h0[1] && wh[0] == 4 * h0[1] && wh[1] == h0[1],
                     "lstm_seq", "expected xw (T, N, 4H), wh (4H, H), h0 and c0 (N, H), got ", xw, ", ", wh, ", ", h0,
                     " and ", in[3].shape());
        const DType dt = same_dtype(in, "lstm_seq");
        out.push_back(TensorMeta{Shape{xw[0], xw[1], h0[1]}, dt});
        out.push_back(TensorMeta{h0, dt});
        out.push_back(TensorMeta{Shape{xw[0], xw[1], 5 * h0[1]}, dt});
        out.push_back(TensorMeta{Shape{xw[0], xw[1], h0[1]}, dt});
      })
      .set_kernel(lstm_seq_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // act and cs (outputs 2, 3) are the gradient's cache, not differentiated.
        const NDArray &xw = g.input(0), &wh = g.input(1), &h0 = g.input(2), &c0 = g.input(3);
        const NDArray dhs = g.ograd(0).defined() ? g.ograd(0) : np::zeros_like(g.output(0));
        const NDArray dc = g.ograd(1).defined() ? g.ograd(1) : np::zeros_like(c0);
        if (autograd::is_recording()) return lstm_seq_grad_ops(xw, wh, h0, c0, dhs, dc, g.attrs().reverse);
        static const OpDef& fused = op("lstm_seq_grad");
        return invoke(fused, {g.output(2), g.output(3), c0, h0, g.output(0), wh, dhs, dc}, g.attrs());
      });
  register_op("lstm_seq_grad")
      .inputs(8)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const Shape& cs = in[1].shape();
        out.push_back(TensorMeta{Shape{cs[0], cs[1], 4 * cs[2]}, in[0].dtype()});
        out.push_back(TensorMeta{in[5].shape(), in[0].dtype()});
        out.push_back(TensorMeta{in[3].shape(), in[0].dtype()});
        out.push_back(TensorMeta{in[2].shape(), in[0].dtype()});
      })
      .set_kernel(lstm_seq_grad_kernel)
      .set_flags(kNotDifferentiable);
  register_op("gru_seq")
      .inputs(4)
      .save_inputs({0, 1, 2, 3})
      .save_outputs({0, 1})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const Shape &xw = in[0].shape(), &wh = in[1].shape(), &bh = in[2].shape(), &h0 = in[3].shape();
        MXLITE_CHECK(xw.size() == 3 && h0.size() == 2 && wh.size() == 2 && bh.size() == 1 && xw[1] == h0[0] &&
                         xw[2] == 3 * h0[1] && wh[0] == 3 * h0[1] && wh[1] == h0[1] && bh[0] == 3 * h0[1],
                     "gru_seq", "expected xw (T, N, 3H), wh (3H, H), bh (3H,) and h0 (N, H), got ", xw, ", ", wh, ", ",
                     bh, " and ", h0);
        const DType dt = same_dtype(in, "gru_seq");
        out.push_back(TensorMeta{Shape{xw[0], xw[1], h0[1]}, dt});
        out.push_back(TensorMeta{Shape{xw[0], xw[1], 4 * h0[1]}, dt});
      })
      .set_kernel(gru_seq_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // act (output 1) is the gradient's cache, not differentiated.
        const NDArray &xw = g.input(0), &wh = g.input(1), &bh = g.input(2), &h0 = g.input(3);
        const NDArray dhs = g.ograd(0).defined() ? g.ograd(0) : np::zeros_like(g.output(0));
        if (autograd::is_recording()) return gru_seq_grad_ops(xw, wh, bh, h0, dhs, g.attrs().reverse);
        static const OpDef& fused = op("gru_seq_grad");
        return invoke(fused, {g.output(1), h0, g.output(0), wh, dhs}, g.attrs());
      });
  register_op("gru_seq_grad")
      .inputs(5)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        const Shape& hs = in[2].shape();
        out.push_back(TensorMeta{Shape{hs[0], hs[1], 3 * hs[2]}, in[0].dtype()});
        out.push_back(TensorMeta{in[3].shape(), in[0].dtype()});
        out.push_back(TensorMeta{Shape{in[3].shape()[0]}, in[0].dtype()});
        out.push_back(TensorMeta{in[1].shape(), in[0].dtype()});
      })
      .set_kernel(gru_seq_grad_kernel)
      .set_flags(kNotDifferentiable);
  register_op("lstm_cell_grad")
      .inputs(4)
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        Shape gates = in[1].shape();
        gates[1] *= 4;
        out.push_back(TensorMeta{gates, in[0].dtype()});
        out.push_back(TensorMeta{in[1].shape(), in[0].dtype()});
      })
      .set_kernel(lstm_cell_grad_kernel)
      .set_flags(kNotDifferentiable);
  // Inference form: inputs x, gamma, beta, mean, var (the running statistics).
  register_op("batch_norm_infer")
      .inputs(5)
      .save_inputs({0, 1, 3, 4})
      .set_infer(infer_like_input)
      .set_kernel(batch_norm_kernel<false>)
      .set_grad([](const GradCtx& g) -> ArrayList {
        const NDArray &x = g.input(0), &gamma = g.input(1), &mean = g.input(3), &var = g.input(4), &dy = g.ograd(0);
        const int64_t axis = g.attrs().axis;
        const bool fix_gamma = g.attrs().index & 1;
        const Axes others = all_axes_but(x.ndim(), axis);
        const Shape cshape = channel_shape(x.ndim(), axis, gamma.size());
        NDArray rstd = np::power(var + g.attrs().scalar, -0.5);  // (C,)
        NDArray gamma_eff = fix_gamma ? np::ones_like(gamma) : gamma;
        NDArray dx, dgamma, dbeta, dmean, dvar;
        if (g.needs_grad(0)) dx = dy * np::reshape(gamma_eff * rstd, cshape);
        NDArray xc;
        if (g.needs_grad(1) || g.needs_grad(4)) xc = x - np::reshape(mean, cshape);
        if (g.needs_grad(1)) dgamma = fix_gamma ? np::zeros_like(gamma) : sum_over(dy * xc, others) * rstd;
        if (g.needs_grad(2) || g.needs_grad(3)) dbeta = sum_over(dy, others);
        if (g.needs_grad(3)) dmean = -(dbeta * gamma_eff * rstd);
        if (g.needs_grad(4)) dvar = sum_over(dy * xc, others) * gamma_eff * (-0.5) * rstd * rstd * rstd;
        return {dx, dgamma, g.needs_grad(2) ? dbeta : NDArray(), dmean, dvar};
      });
  register_op("embedding")
      .inputs(2)
      .save_inputs({0})
      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
        Shape s = in[0].shape();
        s.push_back(in[1].shape()[1]);
        out.push_back(TensorMeta{s, in[1].dtype()});
      })
      .set_kernel(embedding_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& scatter = op("embedding_grad");
        Attrs attrs;
        attrs.index = g.input_meta(1).shape[0];
        const NDArray& dy = g.ograd(0);
        const int64_t dim = g.input_meta(1).shape[1];
        NDArray dy2 = np::reshape(dy, Shape{g.input(0).size(), dim});
        return {NDArray(), invoke1(scatter, {g.input(0), dy2}, attrs)};
      });
  // inputs data (rows, classes), label (rows,); attrs as softmax_output_grad.
  register_op("softmax_output")
      .inputs(2)
      .save_inputs({1})
      .save_outputs({0})
      .set_infer(infer_like_input)
      .set_kernel([](const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
        Attrs sm;
        sm.axis = 1;
        sm.scalar = 1.0;
        softmax_kernel<false>(sm, in, out);
      })
      .set_grad([](const GradCtx& g) -> ArrayList {
        static const OpDef& grad_op = op("softmax_output_grad");
        return {invoke1(grad_op, {g.output(0).detach(), g.input(1)}, g.attrs()), NDArray()};
      });
  register_op("softmax_output_grad")
      .inputs(2)
      .set_infer(infer_like_input)
      .set_kernel(softmax_output_grad_kernel)
      .set_flags(kNotDifferentiable);
  // inputs indices, g (count, dim); attrs.index: rows of the weight.
  register_op("embedding_grad")
      .inputs(2)
      .save_inputs({0})
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{Shape{attrs.index, in[1].shape()[1]}, in[1].dtype()});
      })
      .set_kernel(embedding_grad_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // Gathering is the transpose of scattering.
        const NDArray& idx = g.input(0);
        return {NDArray(), np::reshape(np::embedding(idx, g.ograd(0)), Shape{idx.size(), g.ograd(0).shape()[1]})};
      });
}

}  // namespace ops

namespace np {
namespace {
using ops::check_float;

NDArray softmax_call(const OpDef& o, const char* name, const NDArray& x, int64_t axis, double temperature) {
  check_float(x, name, "input");
  MXLITE_CHECK(temperature != 0 && std::isfinite(temperature), name,
               "temperature must be a non-zero finite number, got ", temperature);
  Attrs attrs;
  if (x.ndim() == 0) {
    MXLITE_CHECK_AS(AxisError, axis == 0 || axis == -1, name, "axis ", axis,
                    " is out of bounds for an array of dimension 0");
    attrs.axis = 0;
  } else {
    attrs.axis = normalize_axis(axis, x.ndim(), name);
  }
  attrs.scalar = temperature;
  return invoke1(o, {x}, attrs);
}

NDArray cast_to(const NDArray& a, DType dt) { return a.dtype() == dt ? a : astype(a, dt); }

// A per-channel parameter: 1-D of length `c`, converted to dtype `dt`.
NDArray channel_param(const NDArray& p, int64_t c, DType dt, const char* op, const char* what, const NDArray& x,
                      int64_t axis) {
  MXLITE_CHECK(p.defined(), op, what, " is required");
  MXLITE_CHECK(p.ndim() == 1 && p.shape()[0] == c, op, what, " must have shape (", c, ",) to match axis ", axis,
               " of the input of shape ", x.shape(), ", got shape ", p.shape());
  MXLITE_CHECK(p.dtype() != DType::Bool, op, what, " must be numeric, got bool");
  return cast_to(p, dt);
}
}  // namespace

NDArray softmax(const NDArray& x, int64_t axis, double temperature) {
  static const OpDef& o = op("softmax");
  return softmax_call(o, "softmax", x, axis, temperature);
}

NDArray log_softmax(const NDArray& x, int64_t axis, double temperature) {
  static const OpDef& o = op("log_softmax");
  return softmax_call(o, "log_softmax", x, axis, temperature);
}

NDArray softmax_cross_entropy(const NDArray& pred, const NDArray& label, int64_t axis) {
  const char* name = "softmax_cross_entropy";
  check_float(pred, name, "pred");
  MXLITE_CHECK(pred.ndim() > 0, name, "pred must have at least one dimension, got shape ", pred.shape());
  const int64_t ax = normalize_axis(axis, pred.ndim(), name);
  const bool fused =
      ax == static_cast<int64_t>(pred.ndim()) - 1 && (pred.dtype() == DType::Float32 || pred.dtype() == DType::Float64);
  if (!fused || pred.size() == 0) return negative(pick(log_softmax(pred, ax), label, ax, true));
  Shape kept = pred.shape(), dropped = pred.shape();
  kept.back() = 1;
  dropped.pop_back();
  MXLITE_CHECK(label.shape() == dropped || label.shape() == kept, name, "label of shape ", label.shape(),
               " does not match pred of shape ", pred.shape(), " along axis ", ax, " (expected ", dropped, ")");
  // pick's clip mode: labels cast to integers, out-of-range ones clipped.
  NDArray idx;
  {
    autograd::Pause pause;
    idx = clip(label.dtype() == DType::Int64 ? label : astype(label, DType::Int64), 0,
               static_cast<double>(pred.shape().back() - 1));
  }
  static const OpDef& o = op("softmax_cross_entropy");
  return invoke1(o, {pred, idx}, Attrs());
}

NDArray activation(const NDArray& x, Activation act) {
  static const OpDef& o = op("activation");
  check_float(x, "activation", "input");
  Attrs attrs;
  attrs.index = static_cast<int64_t>(act);
  return invoke1(o, {x}, attrs);
}

NDArray leaky_relu(const NDArray& x, LeakyRelu kind, double slope) {
  static const OpDef& o = op("leaky_relu");
  check_float(x, "LeakyReLU", "input");
  Attrs attrs;
  attrs.set_params(ops::LeakyReluParams{kind, slope});
  return invoke1(o, {x}, attrs);
}

namespace {
// gamma (or random slopes) shaped to broadcast along x's channel axis 1; a
// single value broadcasts everywhere.
NDArray slope_along_channels(const NDArray& x, const NDArray& slope, const char* name, const char* what) {
  if (slope.size() == 1) return np::reshape(slope, Shape{});
  const int64_t c = x.ndim() >= 2 ? x.shape()[1] : (x.ndim() == 1 ? x.shape()[0] : 1);
  MXLITE_CHECK(slope.ndim() == 1 && slope.size() == c, name, what, " of shape ", slope.shape(), " does not match the ",
               c, " channels (axis 1) of data of shape ", x.shape());
  return x.ndim() >= 2 ? np::reshape(slope, ops::channel_shape(x.ndim(), 1, c)) : slope;
}
}  // namespace

NDArray prelu(const NDArray& x, const NDArray& gamma) {
  check_float(x, "LeakyReLU", "input");
  NDArray g = slope_along_channels(x, ops::cast_if(gamma, x.dtype()), "LeakyReLU(act_type='prelu')", "gamma");
  return where(greater(x, 0.0), x, x * g);
}

RRelu rrelu(const NDArray& x, double lower, double upper) {
  check_float(x, "LeakyReLU", "input");
  MXLITE_CHECK(lower <= upper, "LeakyReLU(act_type='rrelu')", "lower_bound ", lower, " exceeds upper_bound ", upper);
  RRelu r;
  if (!autograd::is_training()) {
    // Inference uses the mean slope; MXNet's mask output is then zeros.
    r.out = leaky_relu(x, LeakyRelu::Leaky, (lower + upper) / 2);
    r.slopes = zeros(x.shape(), x.dtype());
    return r;
  }
  r.slopes = random_uniform(lower, upper, x.shape(), x.dtype());
  r.out = where(greater(x, 0.0), x, x * r.slopes);
  return r;
}

namespace {
NDArray ones_vector(int64_t n, DType dt) { return ones(Shape{n}, dt); }
NDArray zeros_vector(int64_t n, DType dt) { return zeros(Shape{n}, dt); }
}  // namespace

NDArray instance_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, double eps) {
  const char* name = "InstanceNorm";
  check_float(x, name, "data");
  MXLITE_CHECK(x.ndim() >= 3, name, "data must have at least 3 dimensions (batch, channel, spatial...), got shape ",
               x.shape());
  const int64_t n = x.shape()[0], c = x.shape()[1], spatial = x.size() / std::max<int64_t>(1, n * c);
  NDArray g = channel_param(gamma, c, x.dtype(), name, "gamma", x, 1);
  NDArray b = channel_param(beta, c, x.dtype(), name, "beta", x, 1);
  // Normalise each (sample, channel) row with the fused layer_norm kernel, then scale per channel.
  NDArray xhat = layer_norm(reshape(x, Shape{n * c, spatial}), ones_vector(spatial, x.dtype()),
                            zeros_vector(spatial, x.dtype()), -1, eps);
  const Shape cshape = ops::channel_shape(x.ndim(), 1, c);
  return reshape(xhat, x.shape()) * reshape(g, cshape) + reshape(b, cshape);
}

GroupNorm group_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, int64_t num_groups, double eps) {
  const char* name = "GroupNorm";
  check_float(x, name, "data");
  MXLITE_CHECK(x.ndim() >= 2, name, "data must have at least 2 dimensions (batch, channel, ...), got shape ",
               x.shape());
  MXLITE_CHECK(num_groups >= 1 && x.shape()[1] % num_groups == 0, name, "num_groups=", num_groups, " must divide the ",
               x.shape()[1], " channels of data of shape ", x.shape());
  const int64_t n = x.shape()[0], per_group = x.size() / std::max<int64_t>(1, n * num_groups);
  // MXNet 1.9.1's gamma and beta hold one value per group.
  NDArray g = channel_param(gamma, num_groups, x.dtype(), name, "gamma", x, 1);
  NDArray b = channel_param(beta, num_groups, x.dtype(), name, "beta", x, 1);
  NDArray rows = reshape(x, Shape{n * num_groups, per_group});
  NDArray xhat = layer_norm(rows, ones_vector(per_group, x.dtype()), zeros_vector(per_group, x.dtype()), -1, eps);
  GroupNorm r;
  r.out = reshape(reshape(xhat, Shape{n, num_groups, per_group}) * reshape(g, Shape{1, num_groups, 1}) +
                      reshape(b, Shape{1, num_groups, 1}),
                  x.shape());
  NDArray grouped = reshape(x, Shape{n, num_groups, per_group});
  r.mean = mean(grouped, Axes{2});
  r.std = sqrt(var(grouped, Axes{2}) + eps);
  return r;
}

NDArray l2_normalization(const NDArray& x, double eps, L2NormMode mode) {
  const char* name = "L2Normalization";
  check_float(x, name, "data");
  Axes axes;
  switch (mode) {
    case L2NormMode::Instance:
      MXLITE_CHECK(x.ndim() >= 2, name, "mode='instance' needs at least 2 dimensions, got shape ", x.shape());
      for (size_t a = 1; a < x.ndim(); ++a) axes.push_back(static_cast<int64_t>(a));
      break;
    case L2NormMode::Channel:
      MXLITE_CHECK(x.ndim() >= 2, name, "mode='channel' needs at least 2 dimensions, got shape ", x.shape());
      axes.push_back(1);
      break;
    case L2NormMode::Spatial:
      MXLITE_CHECK(x.ndim() >= 3, name, "mode='spatial' needs at least 3 dimensions, got shape ", x.shape());
      for (size_t a = 2; a < x.ndim(); ++a) axes.push_back(static_cast<int64_t>(a));
      break;
  }
  return x / sqrt(sum(square(x), axes, true) + eps);
}

NDArray fully_connected(const NDArray& x, const NDArray& weight, const NDArray& bias, int64_t num_hidden,
                        bool flatten) {
  const char* name = "fully_connected";
  check_float(x, name, "input");
  check_float(weight, name, "weight");
  MXLITE_CHECK(x.ndim() >= 1, name, "the input must have at least 1 dimension, got shape ", x.shape());
  MXLITE_CHECK(num_hidden > 0, name, "num_hidden must be positive, got ", num_hidden);
  int64_t batch = 1, in_units = 1;
  Shape out_shape;
  if (flatten) {
    batch = x.shape()[0];
    for (size_t i = 1; i < x.ndim(); ++i) in_units *= x.shape()[i];
    out_shape = Shape{batch, num_hidden};
  } else {
    in_units = x.shape().back();
    out_shape = Shape(x.shape().begin(), x.shape().end() - 1);
    for (int64_t d : out_shape) batch *= d;
    out_shape.push_back(num_hidden);
  }
  MXLITE_CHECK(weight.ndim() == 2 && weight.shape()[0] == num_hidden && weight.shape()[1] == in_units, name,
               "weight has shape ", weight.shape(), " but an input of shape ", x.shape(), flatten ? " (flattened)" : "",
               " with num_hidden=", num_hidden, " needs (", num_hidden, ", ", in_units, ")");
  MXLITE_CHECK(x.dtype() == weight.dtype(), name, "input and weight have dtypes ", dtype_name(x.dtype()), " and ",
               dtype_name(weight.dtype()));
  NDArray y = matmul2d(reshape(x, Shape{batch, in_units}), weight, false, true);
  if (bias.defined()) {
    MXLITE_CHECK(bias.ndim() == 1 && bias.shape()[0] == num_hidden, name, "bias must have shape (", num_hidden,
                 ",), got shape ", bias.shape());
    MXLITE_CHECK(bias.dtype() == x.dtype(), name, "input and bias have dtypes ", dtype_name(x.dtype()), " and ",
                 dtype_name(bias.dtype()));
    y = y + bias;
  }
  return reshape(y, out_shape);
}

NDArray dropout(const NDArray& x, double p, const Axes& axes, bool always) {
  static const OpDef& mask_op = op("dropout_mask");
  MXLITE_CHECK(p >= 0 && p <= 1, "dropout", "p must be in [0, 1], got ", p);
  check_float(x, "dropout", "input");
  Axes shared = normalize_axes(axes, x.ndim(), "dropout");
  if (!(always || autograd::is_training())) return copy(x);
  Shape mask_shape = x.shape();
  for (int64_t a : shared) mask_shape[a] = 1;
  Attrs attrs;
  attrs.scalar = p;
  NDArray mask = invoke1(mask_op, {random_uniform(0.0, 1.0, mask_shape, x.dtype())}, attrs);
  // Recorded as a product, so the gradient multiplies by the same mask.
  return multiply(x, mask);
}

NDArray layer_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, int64_t axis, double eps) {
  static const OpDef& o = op("layer_norm");
  const char* name = "layer_norm";
  check_float(x, name, "input");
  MXLITE_CHECK(x.ndim() >= 1, name, "the input must have at least 1 dimension, got shape ", x.shape());
  MXLITE_CHECK(eps >= 0, name, "eps must be non-negative, got ", eps);
  Attrs attrs;
  attrs.axis = normalize_axis(axis, x.ndim(), name);
  attrs.scalar = eps;
  const int64_t c = x.shape()[attrs.axis];
  return invoke1(o,
                 {x, channel_param(gamma, c, x.dtype(), name, "gamma", x, axis),
                  channel_param(beta, c, x.dtype(), name, "beta", x, axis)},
                 attrs);
}

std::array<NDArray, 3> layer_norm_with_stats(const NDArray& x, const NDArray& gamma, const NDArray& beta, int64_t axis,
                                             double eps) {
  NDArray y = layer_norm(x, gamma, beta, axis, eps);
  autograd::Pause pause;
  const Axes over{normalize_axis(axis, x.ndim(), "layer_norm")};
  NDArray data = x.detach();
  return {y, mean(data, over, true), sqrt(var(data, over, 0, true) + eps)};
}

// The statistics outputs only when asked for: the plain call stays as cheap as before.
static std::array<NDArray, 3> batch_norm_impl(const NDArray& x, const NDArray& gamma, const NDArray& beta,
                                              const NDArray& running_mean, const NDArray& running_var,
                                              const BatchNormOptions& opt, bool with_stats) {
  static const OpDef& train_op = op("batch_norm_train");
  static const OpDef& infer_op = op("batch_norm_infer");
  const char* name = "batch_norm";
  check_float(x, name, "input");
  MXLITE_CHECK(x.ndim() >= 1, name, "the input must have at least 1 dimension, got shape ", x.shape());
  MXLITE_CHECK(opt.eps >= 0, name, "eps must be non-negative, got ", opt.eps);
  Attrs attrs;
  attrs.axis = normalize_axis(opt.axis, x.ndim(), name);
  attrs.scalar = opt.eps;
  attrs.index = opt.fix_gamma ? 1 : 0;
  const int64_t c = x.shape()[attrs.axis];
  // float16 data keeps float32 parameters and statistics, as MXNet's BatchNorm.
  const DType dt = x.dtype() == DType::Float16 ? DType::Float32 : x.dtype();
  NDArray g = channel_param(gamma, c, dt, name, "gamma", x, opt.axis);
  NDArray b = channel_param(beta, c, dt, name, "beta", x, opt.axis);
  NDArray rm = channel_param(running_mean, c, dt, name, "running_mean", x, opt.axis);
  NDArray rv = channel_param(running_var, c, dt, name, "running_var", x, opt.axis);
  auto inverse_std = [&](const NDArray& var) {
    autograd::Pause pause;
    return with_stats ? rsqrt(var.detach() + opt.eps) : NDArray();
  };
  if (!autograd::is_training() || opt.use_global_stats) {
    NDArray y = invoke1(infer_op, {x, g, b, rm, rv}, attrs);
    if (!with_stats) return {y, NDArray(), NDArray()};
    autograd::Pause pause;
    return {y, copy(rm.detach()), inverse_std(rv)};
  }

  ArrayList outs = invoke(train_op, {x, g, b}, attrs);
  // running = running * momentum + batch * (1 - momentum), in place and not
  // recorded (the running statistics are state, not part of the graph).
  if (x.size() > 0) {
    autograd::Pause pause;
    running_mean.assign(running_mean.detach() * opt.momentum + outs[1].detach() * (1.0 - opt.momentum));
    running_var.assign(running_var.detach() * opt.momentum + outs[2].detach() * (1.0 - opt.momentum));
  }
  return {outs[0], with_stats ? outs[1].detach() : NDArray(), inverse_std(outs[2])};
}

NDArray batch_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, const NDArray& running_mean,
                   const NDArray& running_var, const BatchNormOptions& opt) {
  return batch_norm_impl(x, gamma, beta, running_mean, running_var, opt, false)[0];
}

std::array<NDArray, 3> batch_norm_with_stats(const NDArray& x, const NDArray& gamma, const NDArray& beta,
                                             const NDArray& running_mean, const NDArray& running_var,
                                             const BatchNormOptions& opt) {
  return batch_norm_impl(x, gamma, beta, running_mean, running_var, opt, true);
}

NDArray embedding(const NDArray& indices, const NDArray& weight, int64_t input_dim, int64_t output_dim) {
  static const OpDef& o = op("embedding");
  const char* name = "embedding";
  MXLITE_CHECK(weight.ndim() == 2, name, "weight must be 2-D (input_dim, output_dim), got shape ", weight.shape());
  MXLITE_CHECK((input_dim < 0 || weight.shape()[0] == input_dim) && (output_dim < 0 || weight.shape()[1] == output_dim),
               name, "weight has shape ", weight.shape(), " but input_dim=", input_dim, ", output_dim=", output_dim);
  MXLITE_CHECK(weight.shape()[0] > 0, name, "weight has no rows (shape ", weight.shape(), ")");
  MXLITE_CHECK(weight.dtype() != DType::Bool, name, "weight must be numeric, got bool");
  return invoke1(o, {indices, weight});
}

NDArray softmax_output(const NDArray& data, const NDArray& label, const SoftmaxOutputOptions& opt) {
  static const OpDef& o = op("softmax_output");
  const char* name = "SoftmaxOutput";
  check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() >= 1, name, "data must have at least 1 dimension, got shape ", data.shape());
  int64_t rows = 1, classes = 1;
  if (opt.preserve_shape) {
    classes = data.shape().back();
    for (size_t i = 0; i + 1 < data.ndim(); ++i) rows *= data.shape()[i];
  } else {
    rows = data.shape()[0];
    for (size_t i = 1; i < data.ndim(); ++i) classes *= data.shape()[i];
  }
  MXLITE_CHECK(label.size() == rows, name, "label of shape ", label.shape(),
               " does not give one label per row of data ", data.shape(), " (", rows, " rows)");
  Attrs attrs;
  attrs.scalar = opt.grad_scale;
  attrs.scalar2 = opt.ignore_label;
  attrs.index = static_cast<int64_t>(opt.normalization) | (opt.use_ignore ? 4 : 0);
  NDArray y = invoke1(o, {reshape(data, Shape{rows, classes}), reshape(label, Shape{rows})}, attrs);
  return reshape(y, data.shape());
}

}  // namespace np
}  // namespace mxlite
