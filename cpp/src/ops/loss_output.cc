// MXNet's legacy output layers: LinearRegressionOutput,
// LogisticRegressionOutput, MAERegressionOutput, MakeLoss and SVMOutput. Each
// forward is cheap (identity or sigmoid); each backward ignores the incoming
// gradient and gives the gradient of the loss the layer stands for, as MXNet
// does (so `out.backward()` trains). The gradients are written with
// registered ops; the ops are not meant to be differentiated twice.
#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

struct RegressionParams {
  np::Regression kind;
  double grad_scale;
};

struct MakeLossParams {
  np::MakeLossOptions options;
};

struct SvmParams {
  np::SvmOutputOptions options;
};

void regression_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const bool logistic = attrs.params<RegressionParams>().kind == np::Regression::Logistic;
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "regression_output", {
    if (logistic)
      kernels::map_unary(in[0].data<T>(), out[0].data<T>(), in[0].size(),
                         [](T a) { return T(1) / (T(1) + std::exp(-a)); });
    else
      std::copy(in[0].data<T>(), in[0].data<T>() + in[0].size(), out[0].data<T>());
  });
}

void copy_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "output",
                      std::copy(in[0].data<T>(), in[0].data<T>() + in[0].size(), out[0].data<T>()));
}

}  // namespace

void register_loss_output_ops() {
  // inputs data, label (data's shape); output y (identity or sigmoid).
  register_op("regression_output")
      .inputs(2)
      .save_inputs({1})
      .save_outputs({0})
      .set_infer(infer_like_input)
      .set_kernel(regression_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        // d/dy of the loss per output, divided by the outputs per sample (MXNet's num_output).
        const RegressionParams& p = g.attrs().params<RegressionParams>();
        const NDArray &y = g.output(0), &label = g.input(1);
        const Shape& shape = g.input_meta(0).shape;
        const double per_sample = shape.empty() || shape[0] == 0 ? 1.0 : double(y.size()) / double(shape[0]);
        NDArray diff = y.detach() - label;
        if (p.kind == np::Regression::MeanAbsolute) diff = np::sign(diff);
        return {diff * (p.grad_scale / per_sample), NDArray()};
      });
  register_op("make_loss")
      .save_inputs({0})
      .set_infer(infer_like_input)
      .set_kernel(copy_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        const np::MakeLossOptions& o = g.attrs().params<MakeLossParams>().options;
        const NDArray& x = g.input(0);
        double scale = o.grad_scale;
        if (o.normalization == np::MakeLossOptions::Batch && x.ndim() > 0 && x.shape()[0] > 0) scale /= x.shape()[0];
        if (o.normalization == np::MakeLossOptions::Valid) {
          autograd::Pause pause;
          NDArray valid = np::sum(np::astype(np::greater(x, o.valid_thresh), DType::Float64));
          scale /= std::max(1.0, valid.item());
        }
        return {np::full(x.shape(), scale, x.dtype())};
      });
  // inputs data (rows, classes), label (rows,).
  register_op("svm_output")
      .inputs(2)
      .save_inputs({1})
      .save_outputs({0})
      .set_infer(infer_like_input)
      .set_kernel(copy_kernel)
      .set_grad([](const GradCtx& g) -> ArrayList {
        const np::SvmOutputOptions& o = g.attrs().params<SvmParams>().options;
        const NDArray y = g.output(0).detach();
        const NDArray is_label = np::one_hot(g.input(1), y.shape()[1], 1.0, 0.0, y.dtype());
        const NDArray other = 1.0 - is_label;
        const DType dt = y.dtype();
        NDArray below = mask(np::less(y, o.margin), dt);      // margin > y (the labelled class)
        NDArray above = mask(np::greater(y, -o.margin), dt);  // margin > -y (the other classes)
        NDArray grad = o.use_linear ? (other * above - is_label * below) * o.regularization_coefficient
                                    : (other * above * (o.margin + y) - is_label * below * (o.margin - y)) *
                                          (2 * o.regularization_coefficient);
        return {grad, NDArray()};
      });
}

}  // namespace ops

namespace np {
namespace {
NDArray label_like(const NDArray& data, const NDArray& label, const char* name) {
  MXLITE_CHECK(label.size() == data.size(), name, "label of shape ", label.shape(), " does not match data of shape ",
               data.shape());
  MXLITE_CHECK(label.dtype() != DType::Bool, name, "label must be numeric, got bool");
  return reshape(ops::cast_if(label, data.dtype()), data.shape());
}
}  // namespace

NDArray regression_output(const NDArray& data, const NDArray& label, Regression kind, double grad_scale) {
  static const OpDef& o = op("regression_output");
  const char* name = kind == Regression::Linear     ? "LinearRegressionOutput"
                     : kind == Regression::Logistic ? "LogisticRegressionOutput"
                                                    : "MAERegressionOutput";
  ops::check_float(data, name, "data");
  Attrs attrs;
  attrs.set_params(ops::RegressionParams{kind, grad_scale});
  return invoke1(o, {data, label_like(data, label, name)}, attrs);
}

NDArray make_loss(const NDArray& data, const MakeLossOptions& options) {
  static const OpDef& o = op("make_loss");
  ops::check_float(data, "MakeLoss", "data");
  Attrs attrs;
  attrs.set_params(ops::MakeLossParams{options});
  return invoke1(o, {data}, attrs);
}

NDArray svm_output(const NDArray& data, const NDArray& label, const SvmOutputOptions& options) {
  static const OpDef& o = op("svm_output");
  const char* name = "SVMOutput";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() >= 1, name, "data must have at least 1 dimension, got shape ", data.shape());
  const int64_t rows = data.shape()[0];
  MXLITE_CHECK(label.size() == rows, name, "label of shape ", label.shape(), " must hold one class per row of data ",
               data.shape());
  NDArray flat = reshape(data, Shape{rows, rows == 0 ? 0 : data.size() / rows});
  Attrs attrs;
  attrs.set_params(ops::SvmParams{options});
  return reshape(invoke1(o, {flat, reshape(ops::cast_if(label, data.dtype()), Shape{rows})}, attrs), data.shape());
}

}  // namespace np
}  // namespace mxlite
