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
  m.def(
      "activation",
      [w](py::handle x, const std::string& act) {
        return w(np::activation(array_arg(x, "activation"), activation_from(act)));
      },
      py::arg("data"), py::arg("act_type"));
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
  m.def(
      "layer_norm",
      [w](py::handle x, py::handle gamma, py::handle beta, int64_t axis, double eps) {
        return w(np::layer_norm(array_arg(x, "layer_norm"), array_arg(gamma, "layer_norm"),
                                array_arg(beta, "layer_norm"), axis, eps));
      },
      py::arg("data"), py::arg("gamma"), py::arg("beta"), py::arg("axis") = -1, py::arg("eps") = 1e-5);
  m.def(
      "batch_norm",
      [w](py::handle x, py::handle gamma, py::handle beta, py::handle mean, py::handle var, double eps, double momentum,
          bool fix_gamma, bool use_global_stats, int64_t axis) {
        np::BatchNormOptions opt;
        opt.eps = eps;
        opt.momentum = momentum;
        opt.fix_gamma = fix_gamma;
        opt.use_global_stats = use_global_stats;
        opt.axis = axis;
        return w(np::batch_norm(array_arg(x, "batch_norm"), array_arg(gamma, "batch_norm"),
                                array_arg(beta, "batch_norm"), array_arg(mean, "batch_norm"),
                                array_arg(var, "batch_norm"), opt));
      },
      py::arg("data"), py::arg("gamma"), py::arg("beta"), py::arg("running_mean"), py::arg("running_var"),
      py::arg("eps") = 1e-3, py::arg("momentum") = 0.9, py::arg("fix_gamma") = true,
      py::arg("use_global_stats") = false, py::arg("axis") = 1);
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
