// mxnet._core bindings of the parameterised samplers (np and legacy nd
// faces): argument conversion only, each a call into mxlite::np.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "function.h"

namespace mxlite {
namespace bind {
namespace {

// A distribution parameter: an array as is (any face), a Python number as a
// 0-d float64 array, other array-likes converted.
NDArray param(py::handle h, const char* fn) {
  if (const NDArray* a = as_array(h)) return *a;
  if (auto s = as_scalar(h)) return np::scalar(*s, DType::Float64);
  return array_arg(h, fn);
}

ArrayList params_from(py::sequence values, const std::string& fn) {
  ArrayList out;
  for (py::handle v : values) out.push_back(param(v, fn.c_str()));
  return out;
}

// dtype=None: out's dtype when out= is given, else float32.
DType dtype_or(py::handle dtype, const NDArray& out) {
  if (!dtype.is_none()) return dtype_from_py(dtype);
  return out.defined() ? out.dtype() : DType::Float32;
}

void bind_face(py::module_& m, Face face) {
  // dist: a name of np::random_distributions(); params: the parameter
  // values in its order; names: what the public function calls them.
  if (face == Face::Np) {
    m.def("random_draw", [face](const std::string& dist, py::sequence params, py::handle size, py::handle dtype,
                                py::handle out, const std::string& fn, std::vector<std::string> names) {
      const NDArray target = out_arg(out, face, fn.c_str());
      std::optional<Shape> shape;
      if (!size.is_none())
        shape = shape_from_py(size, fn.c_str());
      else if (target.defined())
        shape = target.shape();
      return deliver(np::random_draw(dist, params_from(params, fn), shape, dtype_or(dtype, target), target, fn, names),
                     out, face);
    });
    m.def("random_multinomial", [face](int64_t n, py::handle pvals, py::handle size) {
      const Shape shape = size.is_none() ? Shape{} : shape_from_py(size, "multinomial");
      return wrap(np::random_multinomial(n, array_arg(pvals, "multinomial"), shape), face);
    });
    m.def("random_multivariate_normal", [face](py::handle mean, py::handle cov, py::handle size) {
      const Shape shape = size.is_none() ? Shape{} : shape_from_py(size, "multivariate_normal");
      return wrap(np::random_multivariate_normal(array_arg(mean, "multivariate_normal"),
                                                 array_arg(cov, "multivariate_normal"), shape),
                  face);
    });
  } else {
    m.def("random_sample", [face](const std::string& dist, py::sequence params, py::handle shape, py::handle dtype,
                                  py::handle out, const std::string& fn, std::vector<std::string> names) {
      const NDArray target = out_arg(out, face, fn.c_str());
      const Shape s = shape.is_none() ? Shape{} : shape_from_py(shape, fn.c_str());
      return deliver(np::random_sample(dist, params_from(params, fn), s, dtype_or(dtype, target), target, fn, names),
                     out, face);
    });
    m.def("random_categorical", [face](py::handle data, py::handle shape, bool get_prob, py::handle dtype) {
      const Shape s = shape.is_none() ? Shape{} : shape_from_py(shape, "multinomial");
      ArrayList r = np::random_categorical(array_arg(data, "multinomial"), s, get_prob, dtype_from_py(dtype));
      if (!get_prob) return wrap(r[0], face);
      py::list both;
      both.append(wrap(r[0], face));
      both.append(wrap(r[1], face));
      return py::object(both);
    });
  }
}

}  // namespace

void bind_random(py::module_& m) {
  py::module_ np_mod = m.attr("np");
  bind_face(np_mod, Face::Np);
  py::module_ nd_mod = m.attr("nd");
  bind_face(nd_mod, Face::Nd);
}

}  // namespace bind
}  // namespace mxlite
