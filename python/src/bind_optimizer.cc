// mxnet._core binding of the fused optimizer updates (mxlite::np::
// optimizer_update): nd.optimizer_update(name, arrays, params, out) with the
// hyper-parameters in a dict; the legacy faces (ndarray/_optimizer.py) give
// each update MXNet's name, keywords and defaults.
#include <cstring>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

np::OptimizerParams params_from(const py::dict& d, const char* fn) {
  np::OptimizerParams p;
  struct Field {
    const char* name;
    float np::OptimizerParams::* slot;
  };
  static const Field fields[] = {
      {"lr", &np::OptimizerParams::lr},
      {"wd", &np::OptimizerParams::wd},
      {"rescale_grad", &np::OptimizerParams::rescale_grad},
      {"clip_gradient", &np::OptimizerParams::clip_gradient},
      {"momentum", &np::OptimizerParams::momentum},
      {"beta1", &np::OptimizerParams::beta1},
      {"beta2", &np::OptimizerParams::beta2},
      {"epsilon", &np::OptimizerParams::epsilon},
      {"gamma1", &np::OptimizerParams::gamma1},
      {"gamma2", &np::OptimizerParams::gamma2},
      {"clip_weights", &np::OptimizerParams::clip_weights},
      {"lamda1", &np::OptimizerParams::lamda1},
      {"beta", &np::OptimizerParams::beta},
      {"wd_lh", &np::OptimizerParams::wd_lh},
      {"eta", &np::OptimizerParams::eta},
      {"lower_bound", &np::OptimizerParams::lower_bound},
      {"upper_bound", &np::OptimizerParams::upper_bound},
  };
  for (auto item : d) {
    const std::string key = py::str(item.first);
    py::handle v = item.second;
    if (key == "t") {
      p.t = static_cast<int64_t>(num(v, fn));
      MXLITE_CHECK(static_cast<double>(p.t) == num(v, fn), fn, "t must be an integer, got ",
                   py::repr(v).cast<std::string>());
      continue;
    }
    if (key == "bias_correction") {
      p.bias_correction = py::bool_(v.cast<py::object>());
      continue;
    }
    bool found = false;
    for (const Field& f : fields) {
      if (key != f.name) continue;
      p.*(f.slot) = static_cast<float>(num(v, fn));
      found = true;
      break;
    }
    MXLITE_CHECK(found, fn, "unknown hyper-parameter '", key, "'");
  }
  return p;
}

}  // namespace

void bind_optimizer(py::module_& m) {
  py::module_ nd_mod = m.attr("nd");
  nd_mod.def(
      "optimizer_update",
      [](const std::string& name, py::list arrays, py::dict params, py::object out) -> py::object {
        const char* fn = name.c_str();
        std::vector<NDArray> in;
        for (py::handle h : arrays) in.push_back(h.is_none() ? NDArray() : array_arg(h, fn));
        const np::OptimizerParams p = params_from(params, fn);
        if (out.is_none()) return wrap(np::optimizer_update(name, in, p), Face::Nd);
        np::optimizer_update(name, in, p, array_arg(out, fn));
        return out;
      },
      py::arg("name"), py::arg("arrays"), py::arg("params"), py::arg("out") = py::none());
}

}  // namespace bind
}  // namespace mxlite
