// Neural-network functions (mxlite::np, neural network section) for both
// faces; the Python modules numpy_extension/_nn.py and ndarray/_nn.py give
// them MXNet's names and keyword arguments.
#include <pybind11/stl.h>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

np::Activation activation_from(const std::string& name) {
  if (name == "relu") return np::Activation::Relu;
  if (name == "sigmoid") return np::Activation::Sigmoid;
  if (name == "tanh") return np::Activation::Tanh;
  if (name == "softrelu") return np::Activation::SoftRelu;
  if (name == "softsign") return np::Activation::SoftSign;
  throw Error("activation",
              "invalid act_type '" + name + "', valid values are: 'relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'");
}

np::L2NormMode l2_mode_from(const std::string& mode) {
  if (mode == "instance") return np::L2NormMode::Instance;
  if (mode == "channel") return np::L2NormMode::Channel;
  if (mode == "spatial") return np::L2NormMode::Spatial;
  throw Error("L2Normalization", "invalid mode '" + mode + "', valid values are: 'channel', 'instance', 'spatial'");
}

NDArray optional_array(py::handle a, const char* fn) { return a.is_none() ? NDArray() : array_arg(a, fn); }

// A per-axis tuple of `rank` entries into the last `rank` slots of a 3-D geometry field.
void geometry_field(py::handle values, size_t rank, int64_t (&field)[3], const char* fn, const char* what) {
  if (values.is_none()) return;
  const Shape v = shape_from_py(values, fn);
  MXLITE_CHECK(v.size() == rank, fn, what, " must have ", rank, " entries for ", rank, "-D data, got ", v.size());
  for (size_t i = 0; i < rank; ++i) field[3 - rank + i] = v[i];
}

double temperature_from(py::handle t) { return t.is_none() ? 1.0 : num(t, "softmax"); }

void bind_face(py::module_& m, Face face) {
  auto w = [face](NDArray a) { return wrap(std::move(a), face); };
  m.def(
      "softmax",
      [w](py::handle x, int64_t axis, py::handle t) {
        return w(np::softmax(array_arg(x, "softmax"), axis, temperature_from(t)));
      },
      py::arg("data"), py::arg("axis") = -1, py::arg("temperature") = py::none());
  m.def(
      "log_softmax",
      [w](py::handle x, int64_t axis, py::handle t) {
        return w(np::log_softmax(array_arg(x, "log_softmax"), axis, temperature_from(t)));
      },
      py::arg("data"), py::arg("axis") = -1, py::arg("temperature") = py::none());
  // Gluon's SoftmaxCrossEntropyLoss with class labels, before its mean.
  m.def(
      "softmax_ce_loss",
      [w](py::handle pred, py::handle label, int64_t axis) {
        const char* fn = "SoftmaxCrossEntropyLoss";
        return w(np::softmax_cross_entropy(array_arg(pred, fn), array_arg(label, fn), axis));
      },
      py::arg("pred"), py::arg("label"), py::arg("axis") = -1);
  m.def(
      "activation",
      [w](py::handle x, const std::string& act) {
        return w(np::activation(array_arg(x, "activation"), activation_from(act)));
      },
      py::arg("data"), py::arg("act_type"));
  // act_type 'leaky', 'elu', 'selu', 'gelu' and 'prelu' give one array; 'rrelu' gives (out, slopes).
  m.def(
      "leaky_relu",
      [w](py::handle x, py::handle gamma, const std::string& act, double slope, double lower,
          double upper) -> py::object {
        const char* fn = "LeakyReLU";
        const NDArray data = array_arg(x, fn);
        if (act == "leaky") return w(np::leaky_relu(data, np::LeakyRelu::Leaky, slope));
        if (act == "elu") return w(np::leaky_relu(data, np::LeakyRelu::Elu, slope));
        if (act == "selu") return w(np::leaky_relu(data, np::LeakyRelu::Selu));
        if (act == "gelu") return w(np::leaky_relu(data, np::LeakyRelu::Gelu));
        if (act == "prelu") {
          MXLITE_CHECK(!gamma.is_none(), fn, "act_type='prelu' needs the gamma array");
          return w(np::prelu(data, array_arg(gamma, fn)));
        }
        if (act == "rrelu") {
          np::RRelu r = np::rrelu(data, lower, upper);
          return py::make_tuple(w(r.out), w(r.slopes));
        }
        throw Error(
            fn, "invalid act_type '" + act + "', valid values are: 'elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu'");
      },
      py::arg("data"), py::arg("gamma"), py::arg("act_type"), py::arg("slope"), py::arg("lower_bound"),
      py::arg("upper_bound"));
  m.def(
      "instance_norm",
      [w](py::handle x, py::handle gamma, py::handle beta, double eps) {
        const char* fn = "InstanceNorm";
        return w(np::instance_norm(array_arg(x, fn), array_arg(gamma, fn), array_arg(beta, fn), eps));
      },
      py::arg("data"), py::arg("gamma"), py::arg("beta"), py::arg("eps"));
  m.def(
      "group_norm",
      [w](py::handle x, py::handle gamma, py::handle beta, int64_t num_groups, double eps) {
        const char* fn = "GroupNorm";
        np::GroupNorm r = np::group_norm(array_arg(x, fn), array_arg(gamma, fn), array_arg(beta, fn), num_groups, eps);
        return py::make_tuple(w(r.out), w(r.mean), w(r.std));
      },
      py::arg("data"), py::arg("gamma"), py::arg("beta"), py::arg("num_groups"), py::arg("eps"));
  m.def(
      "l2_normalization",
      [w](py::handle x, double eps, const std::string& mode) {
        return w(np::l2_normalization(array_arg(x, "L2Normalization"), eps, l2_mode_from(mode)));
      },
      py::arg("data"), py::arg("eps"), py::arg("mode"));
  m.def(
      "sequence_mask",
      [w](py::handle x, py::handle lengths, double value, int64_t axis) {
        return w(np::sequence_mask(array_arg(x, "SequenceMask"), optional_array(lengths, "SequenceMask"), value, axis));
      },
      py::arg("data"), py::arg("sequence_length"), py::arg("value"), py::arg("axis"));
  m.def(
      "sequence_last",
      [w](py::handle x, py::handle lengths, int64_t axis) {
        return w(np::sequence_last(array_arg(x, "SequenceLast"), optional_array(lengths, "SequenceLast"), axis));
      },
      py::arg("data"), py::arg("sequence_length"), py::arg("axis"));
  m.def(
      "sequence_reverse",
      [w](py::handle x, py::handle lengths, int64_t axis) {
        return w(
            np::sequence_reverse(array_arg(x, "SequenceReverse"), optional_array(lengths, "SequenceReverse"), axis));
      },
      py::arg("data"), py::arg("sequence_length"), py::arg("axis"));
  m.def(
      "regression_output",
      [w](py::handle x, py::handle label, const std::string& kind, double grad_scale) {
        np::Regression k = kind == "linear"     ? np::Regression::Linear
                           : kind == "logistic" ? np::Regression::Logistic
                           : kind == "mae"      ? np::Regression::MeanAbsolute
                                                : throw Error("regression_output", "unknown kind '" + kind + "'");
        return w(np::regression_output(array_arg(x, "RegressionOutput"), array_arg(label, "RegressionOutput"), k,
                                       grad_scale));
      },
      py::arg("data"), py::arg("label"), py::arg("kind"), py::arg("grad_scale"));
  m.def(
      "make_loss",
      [w](py::handle x, double grad_scale, double valid_thresh, const std::string& normalization) {
        np::MakeLossOptions o;
        o.grad_scale = grad_scale;
        o.valid_thresh = valid_thresh;
        if (normalization == "null")
          o.normalization = np::MakeLossOptions::Null;
        else if (normalization == "batch")
          o.normalization = np::MakeLossOptions::Batch;
        else if (normalization == "valid")
          o.normalization = np::MakeLossOptions::Valid;
        else
          throw Error("MakeLoss",
                      "invalid normalization '" + normalization + "', valid values are: 'batch', 'null', 'valid'");
        return w(np::make_loss(array_arg(x, "MakeLoss"), o));
      },
      py::arg("data"), py::arg("grad_scale"), py::arg("valid_thresh"), py::arg("normalization"));
  m.def(
      "svm_output",
      [w](py::handle x, py::handle label, double margin, double reg, bool use_linear) {
        np::SvmOutputOptions o;
        o.margin = margin;
        o.regularization_coefficient = reg;
        o.use_linear = use_linear;
        return w(np::svm_output(array_arg(x, "SVMOutput"), array_arg(label, "SVMOutput"), o));
      },
      py::arg("data"), py::arg("label"), py::arg("margin"), py::arg("regularization_coefficient"),
      py::arg("use_linear"));
  // Convolution geometry as given by Python: tuples (or None) with one entry per spatial axis.
  m.def(
      "convolution",
      [w](py::handle x, py::handle weight, py::handle bias, py::handle kernel, py::handle stride, py::handle dilate,
          py::handle pad, int64_t groups, bool transposed, py::handle adj, py::handle target_shape) {
        const char* fn = transposed ? "Deconvolution" : "Convolution";
        const NDArray data = array_arg(x, fn);
        MXLITE_CHECK(data.ndim() >= 3 && data.ndim() <= 5, fn,
                     "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got shape ", data.shape());
        const size_t rank = data.ndim() - 2;
        np::ConvGeometry g;
        geometry_field(kernel, rank, g.kernel, fn, "kernel");
        geometry_field(stride, rank, g.stride, fn, "stride");
        geometry_field(dilate, rank, g.dilate, fn, "dilate");
        geometry_field(pad, rank, g.pad, fn, "pad");
        g.groups = groups;
        if (!transposed) return w(np::convolution(data, array_arg(weight, fn), optional_array(bias, fn), g));
        const Shape a = adj.is_none() ? Shape{} : shape_from_py(adj, fn);
        const Shape t = target_shape.is_none() ? Shape{} : shape_from_py(target_shape, fn);
        return w(np::deconvolution(data, array_arg(weight, fn), optional_array(bias, fn), g, a, t));
      },
      py::arg("data"), py::arg("weight"), py::arg("bias"), py::arg("kernel"), py::arg("stride"), py::arg("dilate"),
      py::arg("pad"), py::arg("num_group"), py::arg("transposed"), py::arg("adj"), py::arg("target_shape"));
  // im2col(x, kernel, ...) and col2im(columns, output_size, kernel, ...), geometry as for convolution.
  m.def(
      "im2col",
      [w](py::handle x, py::handle kernel, py::handle stride, py::handle dilate, py::handle pad) {
        const NDArray data = array_arg(x, "im2col");
        MXLITE_CHECK(data.ndim() >= 3 && data.ndim() <= 5, "im2col",
                     "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got shape ", data.shape());
        const size_t rank = data.ndim() - 2;
        np::ConvGeometry g;
        geometry_field(kernel, rank, g.kernel, "im2col", "kernel");
        geometry_field(stride, rank, g.stride, "im2col", "stride");
        geometry_field(dilate, rank, g.dilate, "im2col", "dilate");
        geometry_field(pad, rank, g.pad, "im2col", "pad");
        return w(np::im2col(data, g));
      },
      py::arg("data"), py::arg("kernel"), py::arg("stride"), py::arg("dilate"), py::arg("pad"));
  m.def(
      "col2im",
      [w](py::handle x, py::handle output_size, py::handle kernel, py::handle stride, py::handle dilate,
          py::handle pad) {
        const NDArray data = array_arg(x, "col2im");
        const Shape size = shape_from_py(output_size, "col2im");
        MXLITE_CHECK(data.ndim() == 3 && size.size() >= 1 && size.size() <= 3, "col2im",
                     "data must be 3-D (batch, channels * kernel, windows) and output_size have 1 to 3 entries, got ",
                     data.shape(), " and ", size);
        const size_t rank = size.size();
        np::ConvGeometry g;
        geometry_field(kernel, rank, g.kernel, "col2im", "kernel");
        geometry_field(stride, rank, g.stride, "col2im", "stride");
        geometry_field(dilate, rank, g.dilate, "col2im", "dilate");
        geometry_field(pad, rank, g.pad, "col2im", "pad");
        int64_t k = 1;
        for (int64_t e : g.kernel) k *= e;
        MXLITE_CHECK(data.shape()[1] % k == 0, "col2im", "axis 1 of data of shape ", data.shape(),
                     " is not a multiple of the kernel size ", k);
        Shape image{data.shape()[0], data.shape()[1] / k};
        for (int64_t e : size) image.push_back(e);
        return w(np::col2im(data, image, g));
      },
      py::arg("data"), py::arg("output_size"), py::arg("kernel"), py::arg("stride"), py::arg("dilate"), py::arg("pad"));
  m.def(
      "ctc_loss",
      [w](py::handle data, py::handle label, py::handle data_lengths, py::handle label_lengths,
          const std::string& blank) {
        const char* fn = "CTCLoss";
        MXLITE_CHECK(blank == "first" || blank == "last", fn,
                     "invalid blank_label '" + blank + "', valid values are: 'first', 'last'");
        return w(np::ctc_loss(array_arg(data, fn), array_arg(label, fn), optional_array(data_lengths, fn),
                              optional_array(label_lengths, fn), blank == "first"));
      },
      py::arg("data"), py::arg("label"), py::arg("data_lengths"), py::arg("label_lengths"), py::arg("blank_label"));
  // RNN(data, parameters, state, state_cell or None, options...): a tuple (out, hy, cy or None).
  m.def(
      "rnn",
      [w](py::handle data, py::handle params, py::handle state, py::handle state_cell, int64_t state_size,
          int64_t num_layers, bool bidirectional, const std::string& mode, double p, int64_t projection_size,
          py::handle clip_min, py::handle clip_max) {
        const char* fn = "RNN";
        np::RnnOptions o;
        if (mode == "lstm")
          o.mode = np::RnnMode::Lstm;
        else if (mode == "gru")
          o.mode = np::RnnMode::Gru;
        else if (mode == "rnn_tanh")
          o.mode = np::RnnMode::RnnTanh;
        else if (mode == "rnn_relu")
          o.mode = np::RnnMode::RnnRelu;
        else
          throw Error(fn, "invalid mode '" + mode + "', valid values are: 'gru', 'lstm', 'rnn_relu', 'rnn_tanh'");
        o.state_size = state_size;
        o.num_layers = num_layers;
        o.bidirectional = bidirectional;
        o.p = p;
        o.projection_size = projection_size;
        if (!clip_min.is_none()) o.clip_min = num(clip_min, fn);
        if (!clip_max.is_none()) o.clip_max = num(clip_max, fn);
        np::RnnResult r = np::rnn(array_arg(data, fn), array_arg(params, fn), array_arg(state, fn),
                                  optional_array(state_cell, fn), o);
        return py::make_tuple(w(r.out), w(r.hy), r.cy.defined() ? w(r.cy) : py::none());
      },
      py::arg("data"), py::arg("parameters"), py::arg("state"), py::arg("state_cell"), py::arg("state_size"),
      py::arg("num_layers"), py::arg("bidirectional"), py::arg("mode"), py::arg("p"), py::arg("projection_size"),
      py::arg("clip_min"), py::arg("clip_max"));
  m.def(
      "pooling",
      [w](py::handle x, py::handle kernel, const std::string& type, bool global_pool, const std::string& convention,
          py::handle stride, py::handle pad, int p_value, bool count_include_pad) {
        const char* fn = "Pooling";
        const NDArray data = array_arg(x, fn);
        MXLITE_CHECK(data.ndim() >= 3 && data.ndim() <= 5, fn,
                     "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got shape ", data.shape());
        const size_t rank = data.ndim() - 2;
        np::PoolOptions o;
        if (type == "max")
          o.type = np::PoolType::Max;
        else if (type == "avg")
          o.type = np::PoolType::Avg;
        else if (type == "sum")
          o.type = np::PoolType::Sum;
        else if (type == "lp")
          o.type = np::PoolType::Lp;
        else
          throw Error(fn, "invalid pool_type '" + type + "', valid values are: 'avg', 'lp', 'max', 'sum'");
        if (convention == "full")
          o.full_convention = true;
        else if (convention == "same")
          throw Error(fn, "pooling_convention='same' is not supported (as in MXNet 1.9.1 on the CPU)");
        else if (convention != "valid")
          throw Error(fn, "invalid pooling_convention '" + convention + "', valid values are: 'full', 'same', 'valid'");
        o.global_pool = global_pool;
        if (!global_pool) {
          MXLITE_CHECK(!kernel.is_none() && py::len(kernel) > 0, fn, "kernel is required unless global_pool=True");
          geometry_field(kernel, rank, o.kernel, fn, "kernel");
          geometry_field(stride, rank, o.stride, fn, "stride");
          geometry_field(pad, rank, o.pad, fn, "pad");
        }
        o.p_value = p_value;
        o.count_include_pad = count_include_pad;
        return w(np::pooling(data, o));
      },
      py::arg("data"), py::arg("kernel"), py::arg("pool_type"), py::arg("global_pool"), py::arg("pooling_convention"),
      py::arg("stride"), py::arg("pad"), py::arg("p_value"), py::arg("count_include_pad"));
  m.def(
      "fully_connected",
      [w](py::handle x, py::handle weight, py::handle bias, int64_t num_hidden, bool flatten) {
        NDArray b = bias.is_none() ? NDArray() : array_arg(bias, "fully_connected");
        return w(np::fully_connected(array_arg(x, "fully_connected"), array_arg(weight, "fully_connected"), b,
                                     num_hidden, flatten));
      },
      py::arg("data"), py::arg("weight"), py::arg("bias"), py::arg("num_hidden"), py::arg("flatten") = true);
  m.def(
      "dropout",
      [w](py::handle x, double p, py::handle axes, bool always) {
        Axes ax;
        axes_from_py(axes, ax);
        return w(np::dropout(array_arg(x, "dropout"), p, ax, always));
      },
      py::arg("data"), py::arg("p") = 0.5, py::arg("axes") = py::tuple(), py::arg("always") = false);
  // output_mean_var=True selects the *_with_stats engine functions: a tuple
  // (out, mean, std) for layer_norm, (out, mean, inverse std) for batch_norm.
  auto triple = [w](const std::array<NDArray, 3>& r) { return py::make_tuple(w(r[0]), w(r[1]), w(r[2])); };
  m.def(
      "layer_norm",
      [w, triple](py::handle x, py::handle gamma, py::handle beta, int64_t axis, double eps,
                  bool output_mean_var) -> py::object {
        const char* fn = "layer_norm";
        NDArray data = array_arg(x, fn), g = array_arg(gamma, fn), b = array_arg(beta, fn);
        if (output_mean_var) return triple(np::layer_norm_with_stats(data, g, b, axis, eps));
        return w(np::layer_norm(data, g, b, axis, eps));
      },
      py::arg("data"), py::arg("gamma"), py::arg("beta"), py::arg("axis") = -1, py::arg("eps") = 1e-5,
      py::arg("output_mean_var") = false);
  m.def(
      "batch_norm",
      [w, triple](py::handle x, py::handle gamma, py::handle beta, py::handle mean, py::handle var, double eps,
                  double momentum, bool fix_gamma, bool use_global_stats, int64_t axis,
                  bool output_mean_var) -> py::object {
        const char* fn = "batch_norm";
        np::BatchNormOptions opt;
        opt.eps = eps;
        opt.momentum = momentum;
        opt.fix_gamma = fix_gamma;
        opt.use_global_stats = use_global_stats;
        opt.axis = axis;
        NDArray data = array_arg(x, fn), g = array_arg(gamma, fn), b = array_arg(beta, fn);
        NDArray running_mean = array_arg(mean, fn), running_var = array_arg(var, fn);
        if (output_mean_var) return triple(np::batch_norm_with_stats(data, g, b, running_mean, running_var, opt));
        return w(np::batch_norm(data, g, b, running_mean, running_var, opt));
      },
      py::arg("data"), py::arg("gamma"), py::arg("beta"), py::arg("running_mean"), py::arg("running_var"),
      py::arg("eps") = 1e-3, py::arg("momentum") = 0.9, py::arg("fix_gamma") = true,
      py::arg("use_global_stats") = false, py::arg("axis") = 1, py::arg("output_mean_var") = false);
  m.def(
      "embedding",
      [w](py::handle x, py::handle weight, int64_t input_dim, int64_t output_dim) {
        return w(np::embedding(array_arg(x, "embedding"), array_arg(weight, "embedding"), input_dim, output_dim));
      },
      py::arg("data"), py::arg("weight"), py::arg("input_dim") = -1, py::arg("output_dim") = -1);
  m.def(
      "softmax_output",
      [w](py::handle x, py::handle label, double grad_scale, double ignore_label, bool use_ignore,
          const std::string& normalization, bool preserve_shape) {
        np::SoftmaxOutputOptions opt;
        opt.grad_scale = grad_scale;
        opt.ignore_label = ignore_label;
        opt.use_ignore = use_ignore;
        opt.preserve_shape = preserve_shape;
        if (normalization == "null")
          opt.normalization = np::SoftmaxOutputOptions::Null;
        else if (normalization == "batch")
          opt.normalization = np::SoftmaxOutputOptions::Batch;
        else if (normalization == "valid")
          opt.normalization = np::SoftmaxOutputOptions::Valid;
        else
          throw Error("SoftmaxOutput", "normalization must be 'null', 'batch' or 'valid', got '" + normalization + "'");
        return w(np::softmax_output(array_arg(x, "softmax_output"), array_arg(label, "softmax_output"), opt));
      },
      py::arg("data"), py::arg("label"), py::arg("grad_scale") = 1.0, py::arg("ignore_label") = -1.0,
      py::arg("use_ignore") = false, py::arg("normalization") = "null", py::arg("preserve_shape") = false);
}

}  // namespace

void bind_nn(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  py::module_ nd_mod = m.attr("nd");
  bind_face(np_mod, Face::Np);
  bind_face(nd_mod, Face::Nd);
}

}  // namespace bind
}  // namespace mxlite
