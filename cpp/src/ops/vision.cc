// Vision ops of MXNet 1.9.1: region-of-interest max pooling (ROIPooling),
// the spatial-transformer ops (GridGenerator, BilinearSampler,
// SpatialTransformer), the SSD ops (MultiBoxPrior, MultiBoxTarget,
// MultiBoxDetection) and FlowNet's Correlation.
//
// ROIPooling closes under differentiation with three ops, as max pooling
// does: `roi_pooling`, its adjoint `roi_pooling_backward` (scatters a
// gradient to the first maximum of every bin) and `roi_pooling_gather`
// (reads a tensor at the maximum of every bin), the adjoint of the backward.
// The rois get no gradient (MXNet: zeros).
//
// Bilinear sampling is composed from registered ops: `bilinear_corner` reads
// data at one of the four integer corners around each sampling point (zero
// outside the data) and `bilinear_corner_scatter` is its adjoint; the
// weights are elementwise functions of the grid. So the sampler and the ops
// built on it are differentiable to any order in data and grid, with MXNet's
// one-sided derivative where a coordinate crosses an integer.
//
// The MultiBox ops are not differentiable (MXNet gives their inputs zero
// gradients). Correlation is differentiable once: `correlation_backward`
// gives both inputs' gradients and has no gradient of its own.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "kernels/parallel.h"
#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

/// A finite value as int64 (saturating; NaN gives 0), so that malformed
/// coordinates stay defined.
template <class T> int64_t to_index(T v) {
  if (!(v == v)) return 0;
  const T lim = T(int64_t(1) << 40);
  return static_cast<int64_t>(std::max(-lim, std::min(lim, v)));
}

// ---- ROIPooling ----------------------------------------------------------------

struct RoiParams {
  int64_t pooled_h = 1, pooled_w = 1;
  float spatial_scale = 1.0f;
  Shape data_shape;  // (N, C, H, W)
  int64_t rois = 0;
};

// Calls fn(bin offset in the (roi, channel) plane, data offset of the bin's
// first maximum or -1, the maximum) for every bin of roi r in channel c, as
// MXNet: corners rounded after scaling, the region at least 1 x 1, bins of
// (extent / pooled) cells from floor(i * bin) to ceil((i + 1) * bin), empty
// bins and rois whose batch index is outside the data give 0 (offset -1).
template <class T, class Fn> void roi_bins(const T* x, const T* rois, const RoiParams& p, int64_t r, int64_t c, Fn fn) {
  const int64_t batch = p.data_shape[0], channels = p.data_shape[1], height = p.data_shape[2], width = p.data_shape[3];
  const T* roi = rois + r * 5;
  const T scale = static_cast<T>(p.spatial_scale);
  const T b = std::trunc(roi[0]);
  const bool valid = b >= T(0) && b < T(batch);
  const int64_t x1 = to_index(std::round(roi[1] * scale)), y1 = to_index(std::round(roi[2] * scale));
  const int64_t x2 = to_index(std::round(roi[3] * scale)), y2 = to_index(std::round(roi[4] * scale));
  const T bin_h = static_cast<T>(std::max<int64_t>(y2 - y1 + 1, 1)) / static_cast<T>(p.pooled_h);
  const T bin_w = static_cast<T>(std::max<int64_t>(x2 - x1 + 1, 1)) / static_cast<T>(p.pooled_w);
  const int64_t base = valid ? (static_cast<int64_t>(b) * channels + c) * height * width : 0;
  auto clamp = [](int64_t v, int64_t hi) { return std::min(std::max<int64_t>(v, 0), hi); };
  for (int64_t i = 0; i < p.pooled_h; ++i) {
    const int64_t h0 = clamp(to_index(std::floor(static_cast<T>(i) * bin_h)) + y1, height);
    const int64_t h1 = clamp(to_index(std::ceil(static_cast<T>(i + 1) * bin_h)) + y1, height);
    for (int64_t j = 0; j < p.pooled_w; ++j) {
      const int64_t w0 = clamp(to_index(std::floor(static_cast<T>(j) * bin_w)) + x1, width);
      const int64_t w1 = clamp(to_index(std::ceil(static_cast<T>(j + 1) * bin_w)) + x1, width);
      const int64_t o = i * p.pooled_w + j;
      if (!valid || h1 <= h0 || w1 <= w0) {
        fn(o, int64_t(-1), T(0));
        continue;
      }
      // MXNet starts from -FLT_MAX and keeps the first strictly larger value.
      T m = static_cast<T>(-FLT_MAX);
      int64_t at = -1;
      for (int64_t h = h0; h < h1; ++h)
        for (int64_t w = w0; w < w1; ++w) {
          const int64_t k = base + h * width + w;
          if (x[k] > m) {
            m = x[k];
            at = k;
          }
        }
      fn(o, at, m);
    }
  }
}

int64_t roi_plane(const RoiParams& p) { return p.pooled_h * p.pooled_w; }

// Runs fn(r, c) over every (roi, channel) pair in parallel.
template <class Fn> void for_roi_planes(const RoiParams& p, Fn fn) {
  const int64_t pairs = p.rois * p.data_shape[1];
  const int64_t grain = std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, 4 * roi_plane(p)));
  kernels::for_range(pairs, grain, [&](int64_t b, int64_t e) {
    for (int64_t q = b; q < e; ++q) fn(q / p.data_shape[1], q % p.data_shape[1]);
  });
}

// inputs data, rois: the maximum of every bin.
void roi_pooling_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const RoiParams& p = attrs.params<RoiParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "ROIPooling", {
    const T* x = in[0].data<T>();
    const T* rois = in[1].data<T>();
    T* y = out[0].data<T>();
    for_roi_planes(p, [&](int64_t r, int64_t c) {
      T* yp = y + (r * p.data_shape[1] + c) * roi_plane(p);
      roi_bins(x, rois, p, r, c, [&](int64_t o, int64_t, T m) { yp[o] = m; });
    });
  });
}

// inputs data, rois, dy: dy added at every bin's maximum (data's shape).
void roi_pooling_backward_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const RoiParams& p = attrs.params<RoiParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "ROIPooling", {
    const T* x = in[0].data<T>();
    const T* rois = in[1].data<T>();
    const T* dy = in[2].data<T>();
    T* dx = out[0].data<T>();
    std::fill(dx, dx + out[0].size(), T(0));
    // Rois of one image overlap: each task owns one channel of every image.
    const int64_t channels = p.data_shape[1];
    kernels::for_range(channels, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; ++c)
        for (int64_t r = 0; r < p.rois; ++r) {
          const T* dyp = dy + (r * channels + c) * roi_plane(p);
          roi_bins(x, rois, p, r, c, [&](int64_t o, int64_t at, T) {
            if (at >= 0) dx[at] += dyp[o];
          });
        }
    });
  });
}

// inputs data, rois, g (data's shape): g at every bin's maximum (0 for empty bins).
void roi_pooling_gather_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const RoiParams& p = attrs.params<RoiParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "ROIPooling", {
    const T* x = in[0].data<T>();
    const T* rois = in[1].data<T>();
    const T* g = in[2].data<T>();
    T* y = out[0].data<T>();
    for_roi_planes(p, [&](int64_t r, int64_t c) {
      T* yp = y + (r * p.data_shape[1] + c) * roi_plane(p);
      roi_bins(x, rois, p, r, c, [&](int64_t o, int64_t at, T) { yp[o] = at < 0 ? T(0) : g[at]; });
    });
  });
}

Shape roi_output_shape(const RoiParams& p) { return Shape{p.rois, p.data_shape[1], p.pooled_h, p.pooled_w}; }

const OpDef* roi_op = nullptr;
const OpDef* roi_backward_op = nullptr;
const OpDef* roi_gather_op = nullptr;

template <class P> NDArray call(const OpDef* const& def, Span<NDArray> inputs, const P& p) {
  Attrs attrs;
  attrs.set_params(p);
  return invoke1(registered(def), inputs, attrs);
}

void register_roi_ops() {
  roi_op = &register_op("roi_pooling")
                .inputs(2)
                .save_inputs({0, 1})
                .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                  out.push_back(TensorMeta{roi_output_shape(attrs.params<RoiParams>()), in[0].dtype()});
                })
                .set_kernel(roi_pooling_kernel)
                .set_grad([](const GradCtx& g) -> ArrayList {
                  const RoiParams& p = g.attrs().params<RoiParams>();
                  return {call(roi_backward_op, {g.input(0), g.input(1), g.ograd(0)}, p), NDArray()};
                });
  roi_backward_op = &register_op("roi_pooling_backward")
                         .inputs(3)
                         .save_inputs({0, 1})
                         .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                           out.push_back(TensorMeta{attrs.params<RoiParams>().data_shape, in[0].dtype()});
                         })
                         .set_kernel(roi_pooling_backward_kernel)
                         .set_grad([](const GradCtx& g) -> ArrayList {
                           // Linear in dy; piecewise constant in data and rois.
                           const RoiParams& p = g.attrs().params<RoiParams>();
                           return {NDArray(), NDArray(), call(roi_gather_op, {g.input(0), g.input(1), g.ograd(0)}, p)};
                         });
  roi_gather_op = &register_op("roi_pooling_gather")
                       .inputs(3)
                       .save_inputs({0, 1})
                       .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                         out.push_back(TensorMeta{roi_output_shape(attrs.params<RoiParams>()), in[0].dtype()});
                       })
                       .set_kernel(roi_pooling_gather_kernel)
                       .set_grad([](const GradCtx& g) -> ArrayList {
                         const RoiParams& p = g.attrs().params<RoiParams>();
                         return {NDArray(), NDArray(), call(roi_backward_op, {g.input(0), g.input(1), g.ograd(0)}, p)};
                       });
}

// ---- bilinear sampling ------------------------------------------------------------

struct CornerParams {
  int64_t dy = 0, dx = 0;  // the corner: floor(y) + dy, floor(x) + dx
  Shape data_shape;        // (N, C, H, W)
};

// Calls fn(output offset, data offset or -1) for every output of
// bilinear_corner: inputs y, x (N, Ho, Wo) in pixel coordinates.
template <class T, class Fn> void for_corners(const CornerParams& p, const T* y, const T* x, int64_t points, Fn fn) {
  const int64_t batch = p.data_shape[0], channels = p.data_shape[1], height = p.data_shape[2], width = p.data_shape[3];
  kernels::for_range(batch * channels, std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, points)),
                     [&](int64_t b, int64_t e) {
                       for (int64_t q = b; q < e; ++q) {
                         const int64_t n = q / channels;
                         const T* yp = y + n * points;
                         const T* xp = x + n * points;
                         for (int64_t o = 0; o < points; ++o) {
                           const int64_t i = to_index(std::floor(yp[o])) + p.dy;
                           const int64_t j = to_index(std::floor(xp[o])) + p.dx;
                           const bool inside = i >= 0 && i < height && j >= 0 && j < width;
                           fn(q * points + o, inside ? (q * height + i) * width + j : int64_t(-1));
                         }
                       }
                     });
}

int64_t points_of(Span<NDArray> in) { return in[1].shape()[1] * in[1].shape()[2]; }

// inputs data, y, x: out (N, C, Ho, Wo).
void corner_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const CornerParams& p = attrs.params<CornerParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "BilinearSampler", {
    const T* d = in[0].data<T>();
    T* o = out[0].data<T>();
    for_corners(p, in[1].data<T>(), in[2].data<T>(), points_of(in),
                [&](int64_t k, int64_t at) { o[k] = at < 0 ? T(0) : d[at]; });
  });
}

// inputs g (N, C, Ho, Wo), y, x: g summed into the corners (data's shape).
void corner_scatter_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const CornerParams& p = attrs.params<CornerParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "BilinearSampler", {
    const T* g = in[0].data<T>();
    T* d = out[0].data<T>();
    std::fill(d, d + out[0].size(), T(0));
    // Each (image, channel) plane is written by one task only.
    for_corners(p, in[1].data<T>(), in[2].data<T>(), points_of(in), [&](int64_t k, int64_t at) {
      if (at >= 0) d[at] += g[k];
    });
  });
}

const OpDef* corner_op = nullptr;
const OpDef* corner_scatter_op = nullptr;

void register_sampler_ops() {
  corner_op =
      &register_op("bilinear_corner")
           .inputs(3)
           .save_inputs({1, 2})
           .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
             const Shape& d = attrs.params<CornerParams>().data_shape;
             out.push_back(TensorMeta{Shape{d[0], d[1], in[1].shape()[1], in[1].shape()[2]}, in[0].dtype()});
           })
           .set_kernel(corner_kernel)
           .set_grad([](const GradCtx& g) -> ArrayList {
             // Linear in data; piecewise constant in the coordinates.
             return {call(corner_scatter_op, {g.ograd(0), g.input(1), g.input(2)}, g.attrs().params<CornerParams>()),
                     NDArray(), NDArray()};
           });
  corner_scatter_op =
      &register_op("bilinear_corner_scatter")
           .inputs(3)
           .save_inputs({1, 2})
           .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
             out.push_back(TensorMeta{attrs.params<CornerParams>().data_shape, in[0].dtype()});
           })
           .set_kernel(corner_scatter_kernel)
           .set_grad([](const GradCtx& g) -> ArrayList {
             return {call(corner_op, {g.ograd(0), g.input(1), g.input(2)}, g.attrs().params<CornerParams>()), NDArray(),
                     NDArray()};
           });
}

NDArray bilinear_corner(const NDArray& data, const NDArray& y, const NDArray& x, int64_t dy, int64_t dx) {
  CornerParams p;
  p.dy = dy;
  p.dx = dx;
  p.data_shape = data.shape();
  return call(corner_op, {data, y, x}, p);
}

// The target grid of an affine transform: rows x, y, 1 over the (h, w)
// output positions in [-1, 1] (MXNet: GridGenerator computes it in the
// data's dtype, SpatialTransformer in double).
NDArray affine_target(int64_t h, int64_t w, DType dt, bool in_double) {
  NDArray g = NDArray::empty(Shape{3, h * w}, dt);
  MXLITE_FLOAT_SWITCH(dt, T, "GridGenerator", {
    T* p = g.data<T>();
    const T sx = static_cast<T>(2.0 / double(w - 1)), sy = static_cast<T>(2.0 / double(h - 1));
    for (int64_t k = 0; k < h * w; ++k) {
      const int64_t i = k / w, j = k % w;
      if (in_double) {
        p[k] = static_cast<T>(-1.0 + double(j) * 2.0 / double(w - 1));
        p[h * w + k] = static_cast<T>(-1.0 + double(i) * 2.0 / double(h - 1));
      } else {
        p[k] = T(-1) + static_cast<T>(j) * sx;
        p[h * w + k] = T(-1) + static_cast<T>(i) * sy;
      }
      p[2 * h * w + k] = T(1);
    }
  });
  return g;
}

NDArray affine_grid(const NDArray& theta, int64_t h, int64_t w, bool in_double) {
  const int64_t n = theta.shape()[0];
  NDArray grid = np::matmul(np::reshape(theta, Shape{n, 2, 3}), affine_target(h, w, theta.dtype(), in_double));
  return np::reshape(grid, Shape{n, 2, h, w});
}

// ---- MultiBoxPrior ----------------------------------------------------------------

struct PriorParams {
  std::vector<float> sizes, ratios;
  bool clip = false;
  float steps[2], offsets[2];  // (y, x); steps already resolved
  int64_t height = 0, width = 0;
};

// The anchors (1, H * W * (sizes + ratios - 1), 4), in float as MXNet.
void multibox_prior_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const PriorParams& p = attrs.params<PriorParams>();
  MXLITE_FLOAT_SWITCH(out[0].dtype(), T, "multibox_prior", {
    T* o = out[0].data<T>();
    const int in_h = static_cast<int>(p.height), in_w = static_cast<int>(p.width);
    auto put = [&](float cx, float cy, float size, float ratio) {
      const float w = size * in_h / in_w * ratio / 2, h = size / ratio / 2;
      const float box[4] = {cx - w, cy - h, cx + w, cy + h};
      for (float v : box) *o++ = p.clip ? static_cast<T>(std::min(1.0f, std::max(0.0f, v))) : static_cast<T>(v);
    };
    for (int r = 0; r < in_h; ++r) {
      const float cy = (r + p.offsets[0]) * p.steps[0];
      for (int c = 0; c < in_w; ++c) {
        const float cx = (c + p.offsets[1]) * p.steps[1];
        const float first = std::sqrt(p.ratios[0]);
        for (float size : p.sizes) put(cx, cy, size, first);
        for (size_t j = 1; j < p.ratios.size(); ++j) put(cx, cy, p.sizes[0], std::sqrt(p.ratios[j]));
      }
    }
  });
}

// ---- MultiBoxTarget ---------------------------------------------------------------

struct TargetParams {
  float overlap_threshold, ignore_label, negative_mining_ratio, negative_mining_thresh;
  float variances[4];
};

template <class T> T box_iou(const T* a, const T* b) {
  const T w = std::max(T(0), std::min(a[2], b[2]) - std::max(a[0], b[0]));
  const T h = std::max(T(0), std::min(a[3], b[3]) - std::max(a[1], b[1]));
  const T i = w * h;
  const T u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i;
  return u == T(0) ? T(0) : i / u;
}

// inputs anchor (1, A, 4), label (B, L, W), cls_pred (B, K, A); outputs
// loc_target (B, A * 4), loc_mask (B, A * 4), cls_target (B, A).
void multibox_target_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const TargetParams& p = attrs.params<TargetParams>();
  const char* name = "multibox_target";
  const int64_t anchors = in[0].shape()[1], batch = in[1].shape()[0], rows = in[1].shape()[1], width = in[1].shape()[2],
                classes = in[2].shape()[1];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, name, {
    const T* anchor = in[0].data<T>();
    T* loc = out[0].data<T>();
    T* mask = out[1].data<T>();
    T* cls = out[2].data<T>();
    std::fill(loc, loc + out[0].size(), T(0));
    std::fill(mask, mask + out[1].size(), T(0));
    std::fill(cls, cls + out[2].size(), static_cast<T>(p.ignore_label));
    for (int64_t b = 0; b < batch; ++b) {
      const T* label = in[1].data<T>() + b * rows * width;
      const T* pred = in[2].data<T>() + b * classes * anchors;
      // Ground truths: the rows before the first padding row (-1 ...).
      int64_t gts = 0;
      for (; gts < rows; ++gts) {
        const T* row = label + gts * width;
        if (static_cast<float>(row[0]) != -1.0f) continue;
        for (int k = 1; k < 5; ++k)
          MXLITE_CHECK(static_cast<float>(row[k]) == -1.0f, name, "label row ", gts, " of batch entry ", b,
                       " starts with -1 (padding) but is not all -1");
        break;
      }
      if (gts == 0) continue;
      std::vector<float> iou(static_cast<size_t>(anchors * gts));
      for (int64_t j = 0; j < anchors; ++j)
        for (int64_t k = 0; k < gts; ++k)
          iou[j * gts + k] = static_cast<float>(box_iou(anchor + j * 4, label + k * width + 1));
      std::vector<char> gt_done(static_cast<size_t>(gts), 0), flag(static_cast<size_t>(anchors), -1);
      std::vector<std::pair<float, int64_t>> match(static_cast<size_t>(anchors), {-1.0f, -1});
      auto best_of = [&](int64_t j) {
        int64_t best = -1;
        float m = -1.0f;
        for (int64_t k = 0; k < gts; ++k)
          if (iou[j * gts + k] > m) {
            best = k;
            m = iou[j * gts + k];
          }
        return std::make_pair(m, best);
      };
      int64_t positives = 0;
      // Every ground truth first takes its best free anchor, best pairs first.
      while (std::find(gt_done.begin(), gt_done.end(), 0) != gt_done.end()) {
        int64_t ba = -1, bg = -1;
        float m = 1e-6f;
        for (int64_t j = 0; j < anchors; ++j) {
          if (flag[j] == 1) continue;
          for (int64_t k = 0; k < gts; ++k)
            if (!gt_done[k] && iou[j * gts + k] > m) {
              ba = j;
              bg = k;
              m = iou[j * gts + k];
            }
        }
        if (ba < 0) break;
        match[ba] = {m, bg};
        ++positives;
        gt_done[bg] = 1;
        flag[ba] = 1;
      }
      // Then every other anchor whose best overlap passes the threshold.
      if (p.overlap_threshold > 0) {
        for (int64_t j = 0; j < anchors; ++j) {
          if (flag[j] == 1) continue;
          match[j] = best_of(j);
          if (match[j].first > p.overlap_threshold) {
            ++positives;
            gt_done[match[j].second] = 1;
            flag[j] = 1;
          }
        }
      }
      if (p.negative_mining_ratio > 0) {
        // The unmatched anchors of least background probability are the negatives.
        int64_t negatives = static_cast<int64_t>(static_cast<float>(positives) * p.negative_mining_ratio);
        negatives = std::min(negatives, anchors - positives);
        if (negatives > 0) {
          std::vector<std::pair<float, int64_t>> order;
          for (int64_t j = 0; j < anchors; ++j) {
            if (flag[j] == 1) continue;
            if (match[j].first < 0) match[j] = best_of(j);
            if (match[j].first < p.negative_mining_thresh && flag[j] == -1) {
              T m = pred[j];
              for (int64_t k = 1; k < classes; ++k) m = std::max(m, pred[j + anchors * k]);
              T sum = T(0);
              for (int64_t k = 0; k < classes; ++k) sum += std::exp(pred[j + anchors * k] - m);
              const T prob = std::exp(pred[j] - m) / sum;
              order.push_back({static_cast<float>(-prob), j});
            }
          }
          MXLITE_CHECK(static_cast<int64_t>(order.size()) >= negatives, name, "negative mining of batch entry ", b,
                       " needs ", negatives, " negative anchors but only ", order.size(),
                       " have an overlap below negative_mining_thresh");
          std::stable_sort(
              order.begin(), order.end(),
              [](const std::pair<float, int64_t>& x, const std::pair<float, int64_t>& y) { return x.first > y.first; });
          for (int64_t i = 0; i < negatives; ++i) flag[order[i].second] = 0;
        }
      } else {
        for (int64_t j = 0; j < anchors; ++j)
          if (flag[j] != 1) flag[j] = 0;
      }
      T* lb = loc + b * anchors * 4;
      T* mb = mask + b * anchors * 4;
      T* cb = cls + b * anchors;
      for (int64_t j = 0; j < anchors; ++j) {
        if (flag[j] == 0) {
          cb[j] = T(0);
          continue;
        }
        if (flag[j] != 1) continue;
        const T* g = label + match[j].second * width;
        cb[j] = g[0] + T(1);  // 0 is the background
        const T* a = anchor + j * 4;
        const float al = a[0], at = a[1], ar = a[2], ab = a[3];
        const float aw = ar - al, ah = ab - at, ax = (al + ar) * 0.5f, ay = (at + ab) * 0.5f;
        const float gl = g[1], gt = g[2], gr = g[3], gb = g[4];
        const float gw = gr - gl, gh = gb - gt, gx = (gl + gr) * 0.5f, gy = (gt + gb) * 0.5f;
        lb[j * 4] = static_cast<T>((gx - ax) / aw / p.variances[0]);
        lb[j * 4 + 1] = static_cast<T>((gy - ay) / ah / p.variances[1]);
        lb[j * 4 + 2] = static_cast<T>(std::log(gw / aw) / p.variances[2]);
        lb[j * 4 + 3] = static_cast<T>(std::log(gh / ah) / p.variances[3]);
        for (int k = 0; k < 4; ++k) mb[j * 4 + k] = T(1);
      }
    }
  });
}

// ---- MultiBoxDetection ------------------------------------------------------------

// MultiBoxDetection's overlap: 0 when the union is not positive.
template <class T> T nms_iou(const T* a, const T* b) {
  const T w = std::max(T(0), std::min(a[2], b[2]) - std::max(a[0], b[0]));
  const T h = std::max(T(0), std::min(a[3], b[3]) - std::max(a[1], b[1]));
  const T i = w * h;
  const T u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i;
  return u <= T(0) ? T(0) : i / u;
}

struct DetectionParams {
  bool clip, force_suppress;
  float threshold, nms_threshold;
  float variances[4];
  int64_t nms_topk;
};

// inputs cls_prob (B, K, A), loc_pred (B, A * 4), anchor (1, A, 4): (B, A, 6).
void multibox_detection_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const DetectionParams& p = attrs.params<DetectionParams>();
  const int64_t batch = in[0].shape()[0], classes = in[0].shape()[1], anchors = in[0].shape()[2];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "multibox_detection", {
    const T* anchor = in[2].data<T>();
    T* o = out[0].data<T>();
    std::fill(o, o + out[0].size(), T(-1));
    std::vector<T> rows(static_cast<size_t>(anchors * 6));
    for (int64_t b = 0; b < batch; ++b) {
      const T* prob = in[0].data<T>() + b * classes * anchors;
      const T* loc = in[1].data<T>() + b * anchors * 4;
      T* ob = o + b * anchors * 6;
      int64_t valid = 0;
      for (int64_t i = 0; i < anchors; ++i) {
        // The best class but the background (class 0), and its score.
        T score = T(-1);
        int64_t id = 0;
        for (int64_t j = 1; j < classes; ++j)
          if (prob[j * anchors + i] > score) {
            score = prob[j * anchors + i];
            id = j;
          }
        if (id > 0 && score < p.threshold) id = 0;
        if (id == 0) continue;
        const T* a = anchor + i * 4;
        const T* l = loc + i * 4;
        const T aw = a[2] - a[0], ah = a[3] - a[1], ax = (a[0] + a[2]) / 2.f, ay = (a[1] + a[3]) / 2.f;
        const T ox = l[0] * p.variances[0] * aw + ax, oy = l[1] * p.variances[1] * ah + ay;
        const T ow = std::exp(l[2] * p.variances[2]) * aw / 2, oh = std::exp(l[3] * p.variances[3]) * ah / 2;
        const T box[4] = {ox - ow, oy - oh, ox + ow, oy + oh};
        T* row = ob + valid * 6;
        row[0] = static_cast<T>(id - 1);
        row[1] = score;
        for (int k = 0; k < 4; ++k) row[2 + k] = p.clip ? std::max(T(0), std::min(T(1), box[k])) : box[k];
        ++valid;
      }
      if (valid < 1 || p.nms_threshold <= 0 || p.nms_threshold > 1) continue;
      // By descending score (ties keep anchor order); rows past nms_topk only lose their class.
      std::copy(ob, ob + valid * 6, rows.begin());
      std::vector<int64_t> order(static_cast<size_t>(valid));
      for (int64_t i = 0; i < valid; ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t x, int64_t y) { return rows[x * 6 + 1] > rows[y * 6 + 1]; });
      int64_t keep = valid;
      if (p.nms_topk > 0 && p.nms_topk < keep) {
        keep = p.nms_topk;
        for (int64_t i = keep; i < valid; ++i) ob[i * 6] = T(-1);
      }
      for (int64_t i = 0; i < keep; ++i) std::copy_n(rows.begin() + order[i] * 6, 6, ob + i * 6);
      for (int64_t i = 0; i < keep; ++i) {
        if (ob[i * 6] < 0) continue;
        for (int64_t j = i + 1; j < keep; ++j) {
          if (ob[j * 6] < 0) continue;
          if ((p.force_suppress || ob[i * 6] == ob[j * 6]) &&
              nms_iou(ob + i * 6 + 2, ob + j * 6 + 2) >= p.nms_threshold)
            ob[j * 6] = T(-1);
        }
      }
    }
  });
}

// ---- Correlation ------------------------------------------------------------------

struct CorrParams {
  np::CorrelationOptions o;
  int64_t radius, grid_width, out_h, out_w;  // neighbourhood radius (in stride2 steps), its width
  Shape data_shape;
};

// Calls fn(n, output channel, i, j, padded (y1, x1), padded (y2, x2)) for the
// top-left corner of every compared pair of patches.
template <class Fn> void for_patch_pairs(const CorrParams& p, int64_t n, Fn fn) {
  const int64_t channels = p.grid_width * p.grid_width;
  for (int64_t t = 0; t < channels; ++t) {
    const int64_t ox = (t % p.grid_width - p.radius) * p.o.stride2, oy = (t / p.grid_width - p.radius) * p.o.stride2;
    for (int64_t i = 0; i < p.out_h; ++i)
      for (int64_t j = 0; j < p.out_w; ++j) {
        const int64_t x1 = j * p.o.stride1 + p.o.max_displacement, y1 = i * p.o.stride1 + p.o.max_displacement;
        fn(t, i, j, y1, x1, y1 + oy, x1 + ox);
      }
  }
}

// inputs data1, data2: (N, channels, out_h, out_w).
void correlation_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const CorrParams& p = attrs.params<CorrParams>();
  const int64_t channels = p.data_shape[1], height = p.data_shape[2], width = p.data_shape[3];
  const int64_t k = p.o.kernel_size, pad = p.o.pad_size;
  const int64_t top = p.grid_width * p.grid_width;
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "Correlation", {
    const T* a = in[0].data<T>();
    const T* b = in[1].data<T>();
    T* o = out[0].data<T>();
    const T count = static_cast<T>(k * k * channels);
    kernels::for_range(p.data_shape[0], 1, [&](int64_t n0, int64_t n1) {
      for (int64_t n = n0; n < n1; ++n) {
        // The zero-padded value at padded position (y, x) of channel c.
        auto at = [&](const T* d, int64_t c, int64_t y, int64_t x) {
          y -= pad;
          x -= pad;
          return y >= 0 && y < height && x >= 0 && x < width ? d[((n * channels + c) * height + y) * width + x] : T(0);
        };
        for_patch_pairs(p, n, [&](int64_t t, int64_t i, int64_t j, int64_t y1, int64_t x1, int64_t y2, int64_t x2) {
          T sum = T(0);
          for (int64_t h = 0; h < k; ++h)
            for (int64_t w = 0; w < k; ++w)
              for (int64_t c = 0; c < channels; ++c) {
                const T u = at(a, c, y1 + h, x1 + w), v = at(b, c, y2 + h, x2 + w);
                sum += p.o.is_multiply ? u * v : std::abs(u - v);
              }
          o[((n * top + t) * p.out_h + i) * p.out_w + j] = sum / count;
        });
      }
    });
  });
}

// inputs dy, data1, data2: the gradients of data1 and data2.
void correlation_backward_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const CorrParams& p = attrs.params<CorrParams>();
  const int64_t channels = p.data_shape[1], height = p.data_shape[2], width = p.data_shape[3];
  const int64_t k = p.o.kernel_size, pad = p.o.pad_size;
  const int64_t top = p.grid_width * p.grid_width;
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "Correlation", {
    const T* dy = in[0].data<T>();
    const T* a = in[1].data<T>();
    const T* b = in[2].data<T>();
    T* ga = out[0].data<T>();
    T* gb = out[1].data<T>();
    std::fill(ga, ga + out[0].size(), T(0));
    std::fill(gb, gb + out[1].size(), T(0));
    const float count = static_cast<float>(k * k * channels);
    kernels::for_range(p.data_shape[0], 1, [&](int64_t n0, int64_t n1) {
      for (int64_t n = n0; n < n1; ++n) {
        // Offset of padded position (y, x) of channel c, -1 in the padding.
        auto index = [&](int64_t c, int64_t y, int64_t x) {
          y -= pad;
          x -= pad;
          return y >= 0 && y < height && x >= 0 && x < width ? ((n * channels + c) * height + y) * width + x
                                                             : int64_t(-1);
        };
        for_patch_pairs(p, n, [&](int64_t t, int64_t i, int64_t j, int64_t y1, int64_t x1, int64_t y2, int64_t x2) {
          const T g = dy[((n * top + t) * p.out_h + i) * p.out_w + j];
          for (int64_t h = 0; h < k; ++h)
            for (int64_t w = 0; w < k; ++w)
              for (int64_t c = 0; c < channels; ++c) {
                const int64_t i1 = index(c, y1 + h, x1 + w), i2 = index(c, y2 + h, x2 + w);
                const T u = i1 < 0 ? T(0) : a[i1], v = i2 < 0 ? T(0) : b[i2];
                if (p.o.is_multiply) {
                  if (i1 >= 0) ga[i1] += g * v / count;
                  if (i2 >= 0) gb[i2] += g * u / count;
                } else {
                  const T sign = u >= v ? T(1) : T(-1);
                  if (i1 >= 0) ga[i1] += g * sign / count;
                  if (i2 >= 0) gb[i2] -= g * sign / count;
                }
              }
        });
      }
    });
  });
}

const OpDef* prior_op = nullptr;
const OpDef* target_op = nullptr;
const OpDef* detection_op = nullptr;
const OpDef* corr_op = nullptr;
const OpDef* corr_backward_op = nullptr;

void register_multibox_and_correlation_ops() {
  prior_op = &register_op("multibox_prior")
                  .set_flags(kNotDifferentiable)
                  .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                    const PriorParams& p = attrs.params<PriorParams>();
                    const int64_t per = static_cast<int64_t>(p.sizes.size() + p.ratios.size()) - 1;
                    out.push_back(TensorMeta{Shape{1, p.height * p.width * per, 4}, in[0].dtype()});
                  })
                  .set_kernel(multibox_prior_kernel);
  target_op = &register_op("multibox_target")
                   .inputs(3)
                   .set_flags(kNotDifferentiable)
                   .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
                     const int64_t batch = in[1].shape()[0], anchors = in[0].shape()[1];
                     out.push_back(TensorMeta{Shape{batch, anchors * 4}, in[0].dtype()});
                     out.push_back(TensorMeta{Shape{batch, anchors * 4}, in[0].dtype()});
                     out.push_back(TensorMeta{Shape{batch, anchors}, in[0].dtype()});
                   })
                   .set_kernel(multibox_target_kernel);
  detection_op = &register_op("multibox_detection")
                      .inputs(3)
                      .set_flags(kNotDifferentiable)
                      .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
                        out.push_back(TensorMeta{Shape{in[0].shape()[0], in[0].shape()[2], 6}, in[0].dtype()});
                      })
                      .set_kernel(multibox_detection_kernel);
  corr_op = &register_op("correlation")
                 .inputs(2)
                 .save_inputs({0, 1})
                 .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                   const CorrParams& p = attrs.params<CorrParams>();
                   out.push_back(TensorMeta{Shape{p.data_shape[0], p.grid_width * p.grid_width, p.out_h, p.out_w},
                                            in[0].dtype()});
                 })
                 .set_kernel(correlation_kernel)
                 .set_grad([](const GradCtx& g) -> ArrayList {
                   Attrs attrs;
                   attrs.set_params(g.attrs().params<CorrParams>());
                   ArrayList grads = invoke(registered(corr_backward_op), {g.ograd(0), g.input(0), g.input(1)}, attrs);
                   return {grads[0], grads[1]};
                 });
  // No gradient of its own: Correlation is differentiable once.
  corr_backward_op = &register_op("correlation_backward")
                          .inputs(3)
                          .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                            out.push_back(TensorMeta{in[1].shape(), in[1].dtype()});
                            out.push_back(TensorMeta{in[2].shape(), in[2].dtype()});
                          })
                          .set_kernel(correlation_backward_kernel);
}

}  // namespace

void register_vision_ops() {
  register_roi_ops();
  register_sampler_ops();
  register_multibox_and_correlation_ops();
}

}  // namespace ops

namespace np {

NDArray roi_pooling(const NDArray& data, const NDArray& rois, int64_t pooled_h, int64_t pooled_w,
                    double spatial_scale) {
  const char* name = "ROIPooling";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 4, name, "data must be 4-D (batch, channel, height, width), got shape ", data.shape());
  MXLITE_CHECK(rois.ndim() == 2 && rois.shape()[1] == 5, name,
               "rois must be 2-D of shape (num_rois, 5) with rows [batch_index, x1, y1, x2, y2], got shape ",
               rois.shape());
  MXLITE_CHECK(rois.dtype() == data.dtype(), name, "rois must have data's dtype ", dtype_name(data.dtype()), ", got ",
               dtype_name(rois.dtype()));
  MXLITE_CHECK(pooled_h > 0 && pooled_w > 0, name, "pooled_size must be positive, got (", pooled_h, ", ", pooled_w,
               ")");
  MXLITE_CHECK(spatial_scale >= 0.0 && spatial_scale <= 1.0, name, "spatial_scale must be in [0, 1], got ",
               spatial_scale);
  ops::RoiParams p;
  p.pooled_h = pooled_h;
  p.pooled_w = pooled_w;
  p.spatial_scale = static_cast<float>(spatial_scale);
  p.data_shape = data.shape();
  p.rois = rois.shape()[0];
  return ops::call(ops::roi_op, {data, rois}, p);
}

NDArray grid_generator_affine(const NDArray& data, int64_t h, int64_t w) {
  const char* name = "GridGenerator";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 2 && data.shape()[1] == 6, name,
               "with transform_type='affine' data must be the affine matrices (batch, 6), got shape ", data.shape());
  MXLITE_CHECK(h > 0 && w > 0, name, "target_shape must be positive (h, w), got (", h, ", ", w, ")");
  return ops::affine_grid(data, h, w, false);
}

NDArray grid_generator_warp(const NDArray& data) {
  const char* name = "GridGenerator";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 4 && data.shape()[1] == 2, name,
               "with transform_type='warp' data must be an optical flow (batch, 2, h, w), got shape ", data.shape());
  const int64_t h = data.shape()[2], w = data.shape()[3];
  NDArray base = NDArray::empty(Shape{1, 2, h, w}, data.dtype());
  NDArray half = NDArray::empty(Shape{1, 2, 1, 1}, data.dtype());
  MXLITE_FLOAT_SWITCH(data.dtype(), T, name, {
    T* b = base.data<T>();
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j) {
        b[i * w + j] = static_cast<T>(j);
        b[h * w + i * w + j] = static_cast<T>(i);
      }
    half.data<T>()[0] = static_cast<T>((static_cast<T>(w) - 1.0) / 2.0);
    half.data<T>()[1] = static_cast<T>((static_cast<T>(h) - 1.0) / 2.0);
  });
  return divide(add(data, base), half) - 1.0;
}

NDArray bilinear_sampler(const NDArray& data, const NDArray& grid) {
  const char* name = "BilinearSampler";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 4, name, "data must be 4-D (batch, channel, height, width), got shape ", data.shape());
  MXLITE_CHECK(grid.ndim() == 4 && grid.shape()[1] == 2, name,
               "grid must be 4-D (batch, 2, h, w) with channels x, y, got shape ", grid.shape());
  MXLITE_CHECK(grid.shape()[0] == data.shape()[0], name, "grid's batch ", grid.shape()[0], " differs from data's ",
               data.shape()[0], " (data ", data.shape(), ", grid ", grid.shape(), ")");
  MXLITE_CHECK(grid.dtype() == data.dtype(), name, "grid must have data's dtype ", dtype_name(data.dtype()), ", got ",
               dtype_name(grid.dtype()));
  MXLITE_CHECK(grid.shape()[2] > 0 && grid.shape()[3] > 0, name, "grid must have positive extents, got shape ",
               grid.shape());
  const int64_t n = grid.shape()[0], ho = grid.shape()[2], wo = grid.shape()[3];
  const double height = double(data.shape()[2]), width = double(data.shape()[3]);
  // Pixel coordinates: (g + 1) * (extent - 1) / 2.
  const NDArray x = multiply(add(reshape(slice_axis(grid, 1, 0, 1), Shape{n, ho, wo}), 1.0), (width - 1) / 2);
  const NDArray y = multiply(add(reshape(slice_axis(grid, 1, 1, 2), Shape{n, ho, wo}), 1.0), (height - 1) / 2);
  // Weights of the top-left corner (wy, wx) and of the others (1 - w), as MXNet.
  const NDArray wx = expand_dims(1.0 - (x - floor(x)), 1), wy = expand_dims(1.0 - (y - floor(y)), 1);
  const NDArray ux = 1.0 - wx, uy = 1.0 - wy;
  auto corner = [&](int64_t dy, int64_t dx) { return ops::bilinear_corner(data, y, x, dy, dx); };
  return corner(0, 0) * wy * wx + corner(0, 1) * wy * ux + corner(1, 0) * uy * wx + corner(1, 1) * uy * ux;
}

NDArray spatial_transformer(const NDArray& data, const NDArray& loc, int64_t h, int64_t w) {
  const char* name = "SpatialTransformer";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 4, name, "data must be 4-D (batch, channel, height, width), got shape ", data.shape());
  MXLITE_CHECK(loc.ndim() == 2 && loc.shape()[1] == 6 && loc.shape()[0] == data.shape()[0], name,
               "loc must be the affine matrices (batch, 6) of data's batch, got shape ", loc.shape(), " for data ",
               data.shape());
  MXLITE_CHECK(loc.dtype() == data.dtype(), name, "loc must have data's dtype ", dtype_name(data.dtype()), ", got ",
               dtype_name(loc.dtype()));
  MXLITE_CHECK(h > 0 && w > 0, name, "target_shape must be positive (h, w), got (", h, ", ", w, ")");
  return bilinear_sampler(data, ops::affine_grid(loc, h, w, true));
}

NDArray multibox_prior(const NDArray& data, const MultiBoxPriorOptions& o) {
  const char* name = "multibox_prior";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 4, name, "data must be 4-D (batch, channel, height, width), got shape ", data.shape());
  MXLITE_CHECK(data.shape()[2] > 0 && data.shape()[3] > 0, name,
               "data must have a positive height and width, got shape ", data.shape());
  MXLITE_CHECK(!o.sizes.empty() && !o.ratios.empty(), name, "sizes and ratios must not be empty");
  for (double r : o.ratios) MXLITE_CHECK(r > 0, name, "ratios must be positive, got ", r);
  MXLITE_CHECK(o.steps[0] * o.steps[1] >= 0, name, "steps must give both step_y and step_x or neither, got (",
               o.steps[0], ", ", o.steps[1], ")");
  for (double f : o.offsets)
    MXLITE_CHECK(f >= 0 && f <= 1, name, "offsets must be in [0, 1], got (", o.offsets[0], ", ", o.offsets[1], ")");
  ops::PriorParams p;
  for (double v : o.sizes) p.sizes.push_back(static_cast<float>(v));
  for (double v : o.ratios) p.ratios.push_back(static_cast<float>(v));
  p.clip = o.clip;
  p.height = data.shape()[2];
  p.width = data.shape()[3];
  const bool automatic = o.steps[0] <= 0 || o.steps[1] <= 0;
  p.steps[0] = automatic ? 1.f / static_cast<float>(p.height) : static_cast<float>(o.steps[0]);
  p.steps[1] = automatic ? 1.f / static_cast<float>(p.width) : static_cast<float>(o.steps[1]);
  p.offsets[0] = static_cast<float>(o.offsets[0]);
  p.offsets[1] = static_cast<float>(o.offsets[1]);
  return ops::call(ops::prior_op, {data}, p);
}

MultiBoxTarget multibox_target(const NDArray& anchor, const NDArray& label, const NDArray& cls_pred,
                               const MultiBoxTargetOptions& o) {
  const char* name = "multibox_target";
  ops::check_float(anchor, name, "anchor");
  MXLITE_CHECK(anchor.ndim() == 3 && anchor.shape()[0] == 1 && anchor.shape()[1] > 0 && anchor.shape()[2] == 4, name,
               "anchor must be (1, num_anchors, 4) with rows [xmin, ymin, xmax, ymax], got shape ", anchor.shape());
  MXLITE_CHECK(label.ndim() == 3 && label.shape()[1] > 0 && label.shape()[2] >= 5, name,
               "label must be (batch, num_labels, >= 5) with rows [class, xmin, ymin, xmax, ymax], got shape ",
               label.shape());
  MXLITE_CHECK(
      cls_pred.ndim() == 3 && cls_pred.shape()[2] == anchor.shape()[1] && cls_pred.shape()[0] == label.shape()[0], name,
      "cls_pred must be (batch, num_classes, num_anchors) = (", label.shape()[0], ", *, ", anchor.shape()[1],
      "), got shape ", cls_pred.shape());
  MXLITE_CHECK(label.dtype() == anchor.dtype() && cls_pred.dtype() == anchor.dtype(), name,
               "anchor, label and cls_pred must share a dtype, got ", dtype_name(anchor.dtype()), ", ",
               dtype_name(label.dtype()), " and ", dtype_name(cls_pred.dtype()));
  MXLITE_CHECK(o.negative_mining_ratio <= 0 || o.negative_mining_thresh > 0, name,
               "negative_mining_thresh must be positive for negative mining, got ", o.negative_mining_thresh);
  ops::TargetParams p;
  p.overlap_threshold = static_cast<float>(o.overlap_threshold);
  p.ignore_label = static_cast<float>(o.ignore_label);
  p.negative_mining_ratio = static_cast<float>(o.negative_mining_ratio);
  p.negative_mining_thresh = static_cast<float>(o.negative_mining_thresh);
  for (int i = 0; i < 4; ++i) p.variances[i] = static_cast<float>(o.variances[i]);
  Attrs attrs;
  attrs.set_params(p);
  ArrayList outs = invoke(ops::registered(ops::target_op), {anchor, label, cls_pred}, attrs);
  return MultiBoxTarget{outs[0], outs[1], outs[2]};
}

NDArray multibox_detection(const NDArray& cls_prob, const NDArray& loc_pred, const NDArray& anchor,
                           const MultiBoxDetectionOptions& o) {
  const char* name = "multibox_detection";
  ops::check_float(cls_prob, name, "cls_prob");
  MXLITE_CHECK(cls_prob.ndim() == 3 && cls_prob.shape()[2] > 0, name,
               "cls_prob must be (batch, num_classes, num_anchors), got shape ", cls_prob.shape());
  const int64_t batch = cls_prob.shape()[0], anchors = cls_prob.shape()[2];
  MXLITE_CHECK(anchor.ndim() == 3 && anchor.shape()[0] == 1 && anchor.shape()[1] == anchors && anchor.shape()[2] == 4,
               name, "anchor must be (1, ", anchors, ", 4) for cls_prob of shape ", cls_prob.shape(), ", got shape ",
               anchor.shape());
  MXLITE_CHECK(loc_pred.ndim() == 2 && loc_pred.shape()[0] == batch && loc_pred.shape()[1] == anchors * 4, name,
               "loc_pred must be (", batch, ", ", anchors * 4, ") for cls_prob of shape ", cls_prob.shape(),
               ", got shape ", loc_pred.shape());
  MXLITE_CHECK(loc_pred.dtype() == cls_prob.dtype() && anchor.dtype() == cls_prob.dtype(), name,
               "cls_prob, loc_pred and anchor must share a dtype, got ", dtype_name(cls_prob.dtype()), ", ",
               dtype_name(loc_pred.dtype()), " and ", dtype_name(anchor.dtype()));
  ops::DetectionParams p;
  p.clip = o.clip;
  p.force_suppress = o.force_suppress;
  p.threshold = static_cast<float>(o.threshold);
  p.nms_threshold = static_cast<float>(o.nms_threshold);
  for (int i = 0; i < 4; ++i) p.variances[i] = static_cast<float>(o.variances[i]);
  p.nms_topk = o.nms_topk;
  return ops::call(ops::detection_op, {cls_prob, loc_pred, anchor}, p);
}

NDArray correlation(const NDArray& data1, const NDArray& data2, const CorrelationOptions& o) {
  const char* name = "Correlation";
  ops::check_float(data1, name, "data1");
  MXLITE_CHECK(data1.ndim() == 4 && data2.shape() == data1.shape(), name,
               "data1 and data2 must be 4-D (batch, channel, height, width) of one shape, got ", data1.shape(), " and ",
               data2.shape());
  MXLITE_CHECK(data2.dtype() == data1.dtype(), name, "data1 and data2 must share a dtype, got ",
               dtype_name(data1.dtype()), " and ", dtype_name(data2.dtype()));
  MXLITE_CHECK(o.kernel_size > 0 && o.kernel_size % 2 == 1, name, "kernel_size must be a positive odd number, got ",
               o.kernel_size);
  MXLITE_CHECK(o.max_displacement >= 0 && o.pad_size >= 0, name,
               "max_displacement and pad_size must be non-negative, got ", o.max_displacement, " and ", o.pad_size);
  MXLITE_CHECK(o.stride1 >= 1 && o.stride2 >= 1, name, "stride1 and stride2 must be positive, got ", o.stride1, " and ",
               o.stride2);
  ops::CorrParams p;
  p.o = o;
  p.data_shape = data1.shape();
  p.radius = o.max_displacement / o.stride2;
  p.grid_width = 2 * p.radius + 1;
  const int64_t border = o.max_displacement + (o.kernel_size - 1) / 2;
  const int64_t span_h = data1.shape()[2] + 2 * o.pad_size - 2 * border;
  const int64_t span_w = data1.shape()[3] + 2 * o.pad_size - 2 * border;
  MXLITE_CHECK(span_h > 0 && span_w > 0, name, "the neighbourhood (max_displacement ", o.max_displacement,
               ") and the kernel (kernel_size ", o.kernel_size, ") do not fit in data of shape ", data1.shape(),
               " padded by ", o.pad_size);
  p.out_h = (span_h + o.stride1 - 1) / o.stride1;
  p.out_w = (span_w + o.stride1 - 1) / o.stride1;
  return ops::call(ops::corr_op, {data1, data2}, p);
}

}  // namespace np
}  // namespace mxlite
