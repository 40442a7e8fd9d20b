// mxnet._core bindings of the distribution densities (legacy nd face,
// nd.random_pdf_*): argument conversion only, each a call into mxlite::np.
#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

/// An array argument; None stays undefined (the engine names it as missing).
NDArray pdf_array(py::handle h, const char* fn) { return h.is_none() ? NDArray() : array_arg(h, fn); }

/// is_log: a bool, or an integer 0/1 (MXNet's boolean parameter accepts those).
bool pdf_flag(py::handle h, const char* fn) {
  if (PyBool_Check(h.ptr())) return h.ptr() == Py_True;
  if (as_scalar(h) && scalar_kind(h) != ScalarKind::Float) {
    const double v = *as_scalar(h);
    if (v == 0 || v == 1) return v == 1;
  }
  throw TypeError(fn, concat("is_log must be a boolean, got ", py::repr(h).cast<std::string>()));
}

using Pdf1 = NDArray (*)(const NDArray&, const NDArray&, bool);
using Pdf2 = NDArray (*)(const NDArray&, const NDArray&, const NDArray&, bool);

void def_pdf1(py::module_& m, const char* name, Pdf1 f) {
  m.def(name, [name, f](py::handle sample, py::handle param, py::handle is_log) {
    return wrap(f(pdf_array(sample, name), pdf_array(param, name), pdf_flag(is_log, name)), Face::Nd);
  });
}

void def_pdf2(py::module_& m, const char* name, Pdf2 f) {
  m.def(name, [name, f](py::handle sample, py::handle param1, py::handle param2, py::handle is_log) {
    return wrap(f(pdf_array(sample, name), pdf_array(param1, name), pdf_array(param2, name), pdf_flag(is_log, name)),
                Face::Nd);
  });
}

}  // namespace

void bind_random_pdf(py::module_& m) {
  py::module_ nd_mod = m.attr("nd");
  def_pdf2(nd_mod, "random_pdf_uniform", &np::random_pdf_uniform);
  def_pdf2(nd_mod, "random_pdf_normal", &np::random_pdf_normal);
  def_pdf2(nd_mod, "random_pdf_gamma", &np::random_pdf_gamma);
  def_pdf1(nd_mod, "random_pdf_exponential", &np::random_pdf_exponential);
  def_pdf1(nd_mod, "random_pdf_poisson", &np::random_pdf_poisson);
  def_pdf2(nd_mod, "random_pdf_negative_binomial", &np::random_pdf_negative_binomial);
  def_pdf2(nd_mod, "random_pdf_generalized_negative_binomial", &np::random_pdf_generalized_negative_binomial);
  def_pdf1(nd_mod, "random_pdf_dirichlet", &np::random_pdf_dirichlet);
}

}  // namespace bind
}  // namespace mxlite
