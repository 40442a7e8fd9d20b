// Vision functions (mxlite::np, vision section) for both faces; the Python
// modules ndarray/_nn.py and numpy_extension/_nn.py give them MXNet's names
// and keyword arguments.
#include <pybind11/stl.h>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

// A pair (h, w) of positive extents: MXNet's pooled_size / target_shape.
std::pair<int64_t, int64_t> pair_arg(py::handle v, const char* fn, const char* what) {
  MXLITE_CHECK(!v.is_none(), fn, what, " is required");
  const Shape s = shape_from_py(v, fn);
  MXLITE_CHECK(s.size() == 2, fn, what, " must have 2 entries (h, w), got ", s);
  return {s[0], s[1]};
}

// A float or a sequence of floats (MXNet's float tuples).
std::vector<double> floats(py::handle v, const char* fn, const char* what) {
  if (as_scalar(v)) return {num(v, fn)};
  MXLITE_CHECK(py::isinstance<py::sequence>(v) && !py::isinstance<py::str>(v), fn, what,
               " must be a number or a sequence of numbers");
  std::vector<double> out;
  for (py::handle e : py::iter(v)) out.push_back(num(e, fn));
  return out;
}

// A fixed number of floats (steps, offsets, variances).
template <size_t N> void floats_into(py::handle v, double (&dst)[N], const char* fn, const char* what) {
  const std::vector<double> f = floats(v, fn, what);
  MXLITE_CHECK(f.size() == N, fn, what, " must have ", N, " entries, got ", f.size());
  for (size_t i = 0; i < N; ++i) dst[i] = f[i];
}

void bind_face(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };
  m.def(
      "roi_pooling",
      [w](py::handle data, py::handle rois, py::handle pooled_size, double spatial_scale) {
        const char* fn = "ROIPooling";
        const auto size = pair_arg(pooled_size, fn, "pooled_size");
        return w(np::roi_pooling(array_arg(data, fn), array_arg(rois, fn), size.first, size.second, spatial_scale));
      },
      py::arg("data"), py::arg("rois"), py::arg("pooled_size"), py::arg("spatial_scale"));
  m.def(
      "grid_generator",
      [w](py::handle data, const std::string& type, py::handle target_shape) {
        const char* fn = "GridGenerator";
        const NDArray d = array_arg(data, fn);
        if (type == "affine") {
          const auto size = pair_arg(target_shape, fn, "target_shape");
          return w(np::grid_generator_affine(d, size.first, size.second));
        }
        if (type == "warp") {
          // MXNet ignores target_shape for a flow; one that contradicts the flow is refused.
          if (!target_shape.is_none() && d.ndim() == 4) {
            const auto size = pair_arg(target_shape, fn, "target_shape");
            MXLITE_CHECK(
                (size.first == 0 && size.second == 0) || (size.first == d.shape()[2] && size.second == d.shape()[3]),
                fn, "with transform_type='warp' the output has the flow's extents ", d.shape()[2], "x", d.shape()[3],
                "; target_shape (", size.first, ", ", size.second, ") contradicts them");
          }
          return w(np::grid_generator_warp(d));
        }
        throw Error(fn, "invalid transform_type '" + type + "', valid values are: 'affine', 'warp'");
      },
      py::arg("data"), py::arg("transform_type"), py::arg("target_shape"));
  m.def(
      "bilinear_sampler",
      [w](py::handle data, py::handle grid) {
        const char* fn = "BilinearSampler";
        return w(np::bilinear_sampler(array_arg(data, fn), array_arg(grid, fn)));
      },
      py::arg("data"), py::arg("grid"));
  m.def(
      "spatial_transformer",
      [w](py::handle data, py::handle loc, py::handle target_shape, const std::string& transform_type,
          const std::string& sampler_type) {
        const char* fn = "SpatialTransformer";
        MXLITE_CHECK(transform_type == "affine", fn,
                     "invalid transform_type '" + transform_type + "', valid values are: 'affine'");
        MXLITE_CHECK(sampler_type == "bilinear", fn,
                     "invalid sampler_type '" + sampler_type + "', valid values are: 'bilinear'");
        const auto size = pair_arg(target_shape, fn, "target_shape");
        return w(np::spatial_transformer(array_arg(data, fn), array_arg(loc, fn), size.first, size.second));
      },
      py::arg("data"), py::arg("loc"), py::arg("target_shape"), py::arg("transform_type"), py::arg("sampler_type"));
  m.def(
      "multibox_prior",
      [w](py::handle data, py::handle sizes, py::handle ratios, bool clip, py::handle steps, py::handle offsets) {
        const char* fn = "multibox_prior";
        np::MultiBoxPriorOptions o;
        o.sizes = floats(sizes, fn, "sizes");
        o.ratios = floats(ratios, fn, "ratios");
        o.clip = clip;
        floats_into(steps, o.steps, fn, "steps");
        floats_into(offsets, o.offsets, fn, "offsets");
        return w(np::multibox_prior(array_arg(data, fn), o));
      },
      py::arg("data"), py::arg("sizes"), py::arg("ratios"), py::arg("clip"), py::arg("steps"), py::arg("offsets"));
  m.def(
      "multibox_target",
      [w](py::handle anchor, py::handle label, py::handle cls_pred, double overlap_threshold, double ignore_label,
          double negative_mining_ratio, double negative_mining_thresh, py::handle variances) {
        const char* fn = "multibox_target";
        np::MultiBoxTargetOptions o;
        o.overlap_threshold = overlap_threshold;
        o.ignore_label = ignore_label;
        o.negative_mining_ratio = negative_mining_ratio;
        o.negative_mining_thresh = negative_mining_thresh;
        floats_into(variances, o.variances, fn, "variances");
        np::MultiBoxTarget t =
            np::multibox_target(array_arg(anchor, fn), array_arg(label, fn), array_arg(cls_pred, fn), o);
        return py::make_tuple(w(t.loc_target), w(t.loc_mask), w(t.cls_target));
      },
      py::arg("anchor"), py::arg("label"), py::arg("cls_pred"), py::arg("overlap_threshold"), py::arg("ignore_label"),
      py::arg("negative_mining_ratio"), py::arg("negative_mining_thresh"), py::arg("variances"));
  m.def(
      "multibox_detection",
      [w](py::handle cls_prob, py::handle loc_pred, py::handle anchor, bool clip, double threshold,
          double nms_threshold, bool force_suppress, py::handle variances, int64_t nms_topk) {
        const char* fn = "multibox_detection";
        np::MultiBoxDetectionOptions o;
        o.clip = clip;
        o.threshold = threshold;
        o.nms_threshold = nms_threshold;
        o.force_suppress = force_suppress;
        floats_into(variances, o.variances, fn, "variances");
        o.nms_topk = nms_topk;
        return w(np::multibox_detection(array_arg(cls_prob, fn), array_arg(loc_pred, fn), array_arg(anchor, fn), o));
      },
      py::arg("cls_prob"), py::arg("loc_pred"), py::arg("anchor"), py::arg("clip"), py::arg("threshold"),
      py::arg("nms_threshold"), py::arg("force_suppress"), py::arg("variances"), py::arg("nms_topk"));
  m.def(
      "correlation",
      [w](py::handle data1, py::handle data2, int64_t kernel_size, int64_t max_displacement, int64_t stride1,
          int64_t stride2, int64_t pad_size, bool is_multiply) {
        const char* fn = "Correlation";
        np::CorrelationOptions o;
        o.kernel_size = kernel_size;
        o.max_displacement = max_displacement;
        o.stride1 = stride1;
        o.stride2 = stride2;
        o.pad_size = pad_size;
        o.is_multiply = is_multiply;
        return w(np::correlation(array_arg(data1, fn), array_arg(data2, fn), o));
      },
      py::arg("data1"), py::arg("data2"), py::arg("kernel_size"), py::arg("max_displacement"), py::arg("stride1"),
      py::arg("stride2"), py::arg("pad_size"), py::arg("is_multiply"));
}

}  // namespace

void bind_vision(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  py::module_ nd_mod = m.attr("nd");
  bind_face(np_mod, Face::Np);
  bind_face(nd_mod, Face::Nd);
}

}  // namespace bind
}  // namespace mxlite
