// PYBIND11_MODULE(_core): the extension behind the mxnet package.
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "convert.h"

namespace mxlite {
namespace bind {
void bind_ndarray(py::module_& m);
void bind_ops(py::module_& m);
void bind_autograd(py::module_& m);
void bind_indexing(py::module_& m);
void bind_nn(py::module_& m);
void bind_vision(py::module_& m);
void bind_reduce(py::module_& m);
void bind_shape(py::module_& m);
void bind_linalg(py::module_& m);
void bind_la(py::module_& m);
void bind_elementwise(py::module_& m);
void bind_unary(py::module_& m);
void bind_binary(py::module_& m);
void bind_function_type(py::module_& m);
void bind_io(py::module_& m);
void bind_random_pdf(py::module_& m);
void bind_optimizer(py::module_& m);
void bind_dlpack(py::module_& m);
void bind_random(py::module_& m);
void bind_graph(py::module_& m);
}  // namespace bind
}  // namespace mxlite

PYBIND11_MODULE(_core, m) {
  using namespace mxlite::bind;
  m.doc() = "mxlite engine bindings (import mxnet instead)";

  // mxnet.base.MXNetError is a RuntimeError; index errors are also IndexErrors
  // so that Python's iteration protocol and `except IndexError` work.
  // Deliberately leaked: exception types must outlive every static destructor.
  static auto* mx_error = new py::exception<mxlite::Error>(m, "MXNetError", PyExc_RuntimeError);
  mx_error->attr("__module__") = "mxnet.base";
  // Each engine error kind is an MXNetError and also the built-in exception
  // NumPy raises for the same mistake (IndexError lets iteration stop).
  auto kind = [&](const char* name, PyObject* builtin, PyObject* builtin2 = nullptr) {
    PyObject* bases =
        builtin2 ? PyTuple_Pack(3, mx_error->ptr(), builtin, builtin2) : PyTuple_Pack(2, mx_error->ptr(), builtin);
    PyObject* e = PyErr_NewException(name, bases, nullptr);
    Py_DECREF(bases);
    return e;
  };
  static PyObject* index_error = kind("mxnet.base.MXNetIndexError", PyExc_IndexError);
  static PyObject* value_error = kind("mxnet.base.MXNetValueError", PyExc_ValueError);
  static PyObject* type_error = kind("mxnet.base.MXNetTypeError", PyExc_TypeError);
  static PyObject* overflow_error = kind("mxnet.base.MXNetOverflowError", PyExc_OverflowError);
  static PyObject* memory_error = kind("mxnet.base.MXNetMemoryError", PyExc_MemoryError);
  static PyObject* axis_error = kind("mxnet.base.MXNetAxisError", PyExc_ValueError, PyExc_IndexError);
  static PyObject* not_for_symbol = PyErr_NewException("mxnet.base.NotImplementedForSymbol", mx_error->ptr(), nullptr);
  m.attr("NotImplementedForSymbol") = py::handle(not_for_symbol);
  m.attr("MXNetIndexError") = py::handle(index_error);
  m.attr("MXNetValueError") = py::handle(value_error);
  m.attr("MXNetTypeError") = py::handle(type_error);
  m.attr("MXNetOverflowError") = py::handle(overflow_error);
  m.attr("MXNetMemoryError") = py::handle(memory_error);
  m.attr("MXNetAxisError") = py::handle(axis_error);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const mxlite::IndexError& e) {
      PyErr_SetString(index_error, e.what());
    } catch (const mxlite::ValueError& e) {
      PyErr_SetString(value_error, e.what());
    } catch (const mxlite::TypeError& e) {
      PyErr_SetString(type_error, e.what());
    } catch (const mxlite::OverflowError& e) {
      PyErr_SetString(overflow_error, e.what());
    } catch (const mxlite::OutOfMemoryError& e) {
      PyErr_SetString(memory_error, e.what());
    } catch (const mxlite::AxisError& e) {
      PyErr_SetString(axis_error, e.what());
    } catch (const mxlite::NotImplementedForSymbol& e) {
      PyErr_SetString(not_for_symbol, e.message().c_str());
    } catch (const mxlite::Error& e) {
      PyErr_SetString(mx_error->ptr(), e.what());
    }
  });

  // Long kernels run without the GIL so other Python threads can run. Only
  // when this thread holds it: kernels may also run inside a backward pass
  // that already released it.
  mxlite::KernelHooks hooks;
  hooks.enter = []() -> void* { return PyGILState_Check() ? PyEval_SaveThread() : nullptr; };
  hooks.leave = [](void* token) {
    if (token) PyEval_RestoreThread(static_cast<PyThreadState*>(token));
  };
  mxlite::set_long_kernel_hooks(hooks);

  bind_ndarray(m);
  bind_ops(m);  // creates the np and nd submodules the op families add to
  // Op families with binding files of their own (bind_<family>.cc):
  bind_indexing(m);
  bind_nn(m);
  bind_vision(m);
  bind_shape(m);
  bind_linalg(m);
  bind_la(m);
  py::module_ ag = m.def_submodule("autograd", "autograd engine entry points");
  bind_autograd(ag);
  bind_reduce(m);
  bind_elementwise(m);
  bind_random(m);
  // Core implementations the table-built public functions call (function.h).
  bind_function_type(m);
  bind_unary(m);
  bind_binary(m);
  bind_io(m);
  bind_random_pdf(m);
  bind_optimizer(m);
  bind_dlpack(m);
  bind_graph(m);

  // For mxnet.runtime: whether convolutions run on oneDNN, and what the
  // compiler targeted (MXNet's feature names).
  m.def("conv_uses_dnnl", &mxlite::np::conv_uses_dnnl);
  m.def("compiled_cpu_features", [] {
    std::vector<std::pair<std::string, bool>> f;
    auto add = [&](const char* name, bool on) { f.emplace_back(name, on); };
#if defined(__SSE__)
    add("CPU_SSE", true);
#else
    add("CPU_SSE", false);
#endif
#if defined(__SSE2__)
    add("CPU_SSE2", true);
#else
    add("CPU_SSE2", false);
#endif
#if defined(__SSE3__)
    add("CPU_SSE3", true);
#else
    add("CPU_SSE3", false);
#endif
#if defined(__SSE4_1__)
    add("CPU_SSE4_1", true);
#else
    add("CPU_SSE4_1", false);
#endif
#if defined(__SSE4_2__)
    add("CPU_SSE4_2", true);
#else
    add("CPU_SSE4_2", false);
#endif
#if defined(__SSE4A__)
    add("CPU_SSE4A", true);
#else
    add("CPU_SSE4A", false);
#endif
#if defined(__AVX__)
    add("CPU_AVX", true);
#else
    add("CPU_AVX", false);
#endif
#if defined(__AVX2__)
    add("CPU_AVX2", true);
#else
    add("CPU_AVX2", false);
#endif
#if defined(__F16C__)
    add("F16C", true);
#else
    add("F16C", false);
#endif
#if defined(NDEBUG)
    add("DEBUG", false);
#else
    add("DEBUG", true);
#endif
    return f;
  });
}
