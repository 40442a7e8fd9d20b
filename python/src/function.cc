// mxnet._core.Function (see function.h): argument binding in C, then the impl.
#include "function.h"

#include <algorithm>
#include <map>
#include <memory>

namespace mxlite {
namespace bind {
namespace {

std::map<std::string, std::unique_ptr<Impl>>& impl_registry() {
  static auto* r = new std::map<std::string, std::unique_ptr<Impl>>();
  return *r;
}

// Marks a parameter without a default in a Function's defaults tuple.
PyObject* g_required = nullptr;

struct FunctionObject {
  PyObject_HEAD vectorcallfunc vectorcall;
  const Impl* impl;
  PyObject* dict;      // __name__, __qualname__, __module__, __doc__, __text_signature__
  PyObject* params;    // tuple of interned parameter names
  PyObject* defaults;  // tuple, one per parameter (g_required: none)
  PyObject* name;      // for error messages
  Py_ssize_t num_params;
  Py_ssize_t num_positional;        // parameters after these are keyword-only
  bool reordered;                   // slot_of is not the identity
  bool legacy_keywords;             // unknown keywords raise MXNetError, as MXNet's generated operators do
  signed char slot_of[kMaxParams];  // the impl slot of each parameter
};

const char* fn_name(FunctionObject* f) { return PyUnicode_AsUTF8(f->name); }

Py_ssize_t param_index(FunctionObject* f, PyObject* key) {
  for (Py_ssize_t i = 0; i < f->num_params; ++i)
    if (PyTuple_GET_ITEM(f->params, i) == key) return i;  // interned: the usual case
  for (Py_ssize_t i = 0; i < f->num_params; ++i) {
    const int eq = PyUnicode_Compare(PyTuple_GET_ITEM(f->params, i), key);
    if (eq == 0) return i;
  }
  return -1;
}

PyObject* function_vectorcall(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* f = reinterpret_cast<FunctionObject*>(self);
  const Py_ssize_t n = PyVectorcall_NARGS(nargsf);
  if (n > f->num_positional) {
    PyErr_Format(PyExc_TypeError, "%s() takes at most %zd positional argument%s (%zd given)", fn_name(f),
                 f->num_positional, f->num_positional == 1 ? "" : "s", n);
    return nullptr;
  }
  py::handle slots[kMaxParams];
  for (Py_ssize_t i = 0; i < n; ++i) slots[i] = args[i];
  if (kwnames) {
    const Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t k = 0; k < nkw; ++k) {
      PyObject* key = PyTuple_GET_ITEM(kwnames, k);
      const Py_ssize_t i = param_index(f, key);
      if (i < 0) {
        if (f->legacy_keywords) {
          try {
            throw Error(fn_name(f), std::string("cannot find argument '") + PyUnicode_AsUTF8(key) + "'");
          } catch (...) {
            py::detail::try_translate_exceptions();
          }
          return nullptr;
        }
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fn_name(f), key);
        return nullptr;
      }
      if (slots[i]) {
        PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%U'", fn_name(f), key);
        return nullptr;
      }
      slots[i] = args[n + k];
    }
  }
  for (Py_ssize_t i = n; i < f->num_params; ++i) {
    if (slots[i]) continue;
    PyObject* d = PyTuple_GET_ITEM(f->defaults, i);
    if (d == g_required) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%U'", fn_name(f), PyTuple_GET_ITEM(f->params, i));
      return nullptr;
    }
    slots[i] = d;
  }
  for (Py_ssize_t i = f->num_params; i < f->impl->arity; ++i) slots[i] = Py_None;  // left out by the signature
  py::handle reordered[kMaxParams];
  const py::handle* impl_args = slots;
  if (f->reordered) {
    for (Py_ssize_t i = 0; i < f->impl->arity; ++i) reordered[i] = Py_None;
    for (Py_ssize_t i = 0; i < f->num_params; ++i) reordered[f->slot_of[i]] = slots[i];
    impl_args = reordered;
  }
  try {
    return f->impl->call(impl_args).release().ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (...) {
    py::detail::try_translate_exceptions();
  }
  return nullptr;
}

// As a class attribute: a method (Py_TPFLAGS_METHOD_DESCRIPTOR lets the
// interpreter call it with self prepended, without making a bound method).
PyObject* function_descr_get(PyObject* self, PyObject* obj, PyObject*) {
  if (obj == nullptr || obj == Py_None) {
    Py_INCREF(self);
    return self;
  }
  return PyMethod_New(self, obj);
}

int function_traverse(PyObject* self, visitproc visit, void* arg) {
  auto* f = reinterpret_cast<FunctionObject*>(self);
  Py_VISIT(f->dict);
  Py_VISIT(f->params);
  Py_VISIT(f->defaults);
  Py_VISIT(f->name);
  return 0;
}

int function_clear(PyObject* self) {
  auto* f = reinterpret_cast<FunctionObject*>(self);
  Py_CLEAR(f->dict);
  Py_CLEAR(f->params);
  Py_CLEAR(f->defaults);
  Py_CLEAR(f->name);
  return 0;
}

void function_dealloc(PyObject* self) {
  PyObject_GC_UnTrack(self);
  function_clear(self);
  Py_TYPE(self)->tp_free(self);
}

PyObject* function_repr(PyObject* self) {
  auto* f = reinterpret_cast<FunctionObject*>(self);
  return PyUnicode_FromFormat("<function %U>", f->name);
}

PyObject* function_get_impl(PyObject* self, void*) {
  return PyUnicode_FromString(reinterpret_cast<FunctionObject*>(self)->impl->key.c_str());
}

PyGetSetDef function_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
    {"_impl", function_get_impl, nullptr, "the key of the core implementation", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyTypeObject* function_type() {
  static PyTypeObject* type = [] {
    static PyTypeObject t = {PyVarObject_HEAD_INIT(nullptr, 0)};
    t.tp_name = "mxnet._core.Function";
    t.tp_basicsize = sizeof(FunctionObject);
    t.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR;
    t.tp_doc = "A function of mxnet's public API, built from its table row.";
    t.tp_vectorcall_offset = offsetof(FunctionObject, vectorcall);
    t.tp_call = PyVectorcall_Call;
    t.tp_descr_get = function_descr_get;
    t.tp_dictoffset = offsetof(FunctionObject, dict);
    t.tp_getattro = PyObject_GenericGetAttr;
    t.tp_setattro = PyObject_GenericSetAttr;
    t.tp_traverse = function_traverse;
    t.tp_clear = function_clear;
    t.tp_dealloc = function_dealloc;
    t.tp_repr = function_repr;
    t.tp_getset = function_getset;
    if (PyType_Ready(&t) < 0) throw py::error_already_set();
    return &t;
  }();
  return type;
}

// function(impl, name, params, defaults, num_positional, slots, legacy_keywords):
// a new Function; slots (None: in order) gives each parameter's impl slot.
py::object make_function(const std::string& key, py::str name, py::tuple params, py::tuple defaults,
                         Py_ssize_t num_positional, py::object slots, bool legacy_keywords) {
  auto& reg = impl_registry();
  auto it = reg.find(key);
  if (it == reg.end()) throw py::key_error("no core implementation named '" + key + "'");
  const Impl& impl = *it->second;
  const Py_ssize_t n = static_cast<Py_ssize_t>(params.size());
  // A signature may leave out impl parameters: they get None.
  if (n > impl.arity || static_cast<Py_ssize_t>(defaults.size()) != n || num_positional > n)
    throw py::value_error("function " + std::string(name) + ": " + std::to_string(n) +
                          " parameters for core implementation '" + key + "' which takes " +
                          std::to_string(impl.arity));
  if (!slots.is_none() && static_cast<Py_ssize_t>(py::len(slots)) != n)
    throw py::value_error("function " + std::string(name) + ": one slot per parameter");
  signed char slot_of[kMaxParams];
  bool reordered = false;
  for (Py_ssize_t i = 0; i < n; ++i) {
    const Py_ssize_t s = slots.is_none() ? i : py::cast<Py_ssize_t>(py::tuple(slots)[i]);
    if (s < 0 || s >= impl.arity) throw py::value_error("function " + std::string(name) + ": slot out of range");
    for (Py_ssize_t j = 0; j < i; ++j)
      if (slot_of[j] == s) throw py::value_error("function " + std::string(name) + ": two parameters in one slot");
    slot_of[i] = static_cast<signed char>(s);
    reordered = reordered || s != i;
  }
  PyTypeObject* type = function_type();
  auto* f = PyObject_GC_New(FunctionObject, type);
  if (!f) throw py::error_already_set();
  f->vectorcall = function_vectorcall;
  f->impl = &impl;
  f->dict = PyDict_New();
  f->params = PyTuple_New(n);
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* p = params[i].ptr();
    Py_INCREF(p);
    PyUnicode_InternInPlace(&p);
    PyTuple_SET_ITEM(f->params, i, p);
  }
  f->defaults = defaults.release().ptr();
  f->name = name.release().ptr();
  f->num_params = n;
  f->num_positional = num_positional;
  f->reordered = reordered;
  f->legacy_keywords = legacy_keywords;
  std::copy(slot_of, slot_of + n, f->slot_of);
  PyObject_GC_Track(reinterpret_cast<PyObject*>(f));
  return py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(f));
}

}  // namespace

void add_impl(Impl impl) {
  auto& slot = impl_registry()[impl.key];
  if (slot) throw std::logic_error("core implementation '" + impl.key + "' is defined twice");
  slot = std::make_unique<Impl>(std::move(impl));
}

NDArray out_arg(py::handle out, Face face, const char* fn) {
  if (out.is_none()) return NDArray();
  PyTypeObject* want = face == Face::Np ? np_type : nd_type;
  PyTypeObject* t = Py_TYPE(out.ptr());
  if (t == want || PyType_IsSubtype(t, want)) return *as_array(out);
  throw py::type_error(std::string(fn) + ": out must be an " +
                       (face == Face::Np ? "mxnet.numpy.ndarray" : "mxnet.ndarray.NDArray") + ", got " +
                       std::string(py::str(py::type::handle_of(out).attr("__name__"))));
}

void check_ufunc_options(const char* fn, py::handle where, py::handle casting, py::handle order, py::handle dtype,
                         py::handle subok) {
  // The defaults arrive as the very objects the signature holds: one pointer
  // compare each on the common path.
  static py::handle same_kind = leak(py::str("same_kind")), order_k = leak(py::str("K"));
  auto refuse = [fn](const char* what, py::handle v) {
    PyErr_Format(PyExc_NotImplementedError, "%s=%R is not implemented yet for operator %s", what, v.ptr(), fn);
    throw py::error_already_set();
  };
  // None: a signature without the ufunc keywords (np.equal), the defaults.
  if (where.is_none() && casting.is_none() && order.is_none() && dtype.is_none() && subok.is_none()) return;
  if (where.ptr() != Py_True) refuse("where", where);
  if (casting.ptr() != same_kind.ptr() && !(PyUnicode_Check(casting.ptr()) && py::str(casting).equal(same_kind)))
    refuse("casting", casting);
  if (order.ptr() != order_k.ptr()) {
    const bool ok =
        PyUnicode_Check(order.ptr()) &&
        (py::str(order).equal(order_k) || py::str(order).equal(py::str("C")) || py::str(order).equal(py::str("A")));
    if (!ok) refuse("order", order);
  }
  if (!dtype.is_none()) refuse("dtype", dtype);
  if (subok.ptr() != Py_True) refuse("subok", subok);
}

void unsupported_argument(const char* fn, const char* argument, py::handle value) {
  std::string shown = value ? "=" + py::repr(value).cast<std::string>() : "";
  py::object error = py::module_::import("mxnet.base").attr("NotSupportedError");
  PyErr_SetString(error.ptr(),
                  (std::string(fn) + ": argument '" + argument + shown + "' is not supported by mxlite yet").c_str());
  throw py::error_already_set();
}

bool is_number(py::handle h) {
  PyObject* o = h.ptr();
  if (PyFloat_Check(o) || PyLong_Check(o)) return true;  // bool is a PyLong
  if (as_array(h)) return false;                         // the usual case: no isinstance call
  static PyObject* numpy_generic = leak(py::module_::import("numpy").attr("generic")).ptr();
  return PyObject_IsInstance(o, numpy_generic) == 1;
}

py::handle numpy_function(const std::string& name) {
  static auto* cache = new std::map<std::string, py::handle>();
  auto it = cache->find(name);
  if (it != cache->end()) return it->second;
  py::object numpy = py::module_::import("numpy");
  py::handle fn = py::hasattr(numpy, name.c_str()) ? leak(numpy.attr(name.c_str())) : py::handle();
  cache->emplace(name, fn);
  return fn;
}

void bind_function_type(py::module_& m) {
  g_required = leak(py::module_::import("builtins").attr("object")()).ptr();
  m.attr("Function") = py::handle(reinterpret_cast<PyObject*>(function_type()));
  m.attr("REQUIRED") = py::handle(g_required);
  m.def(
      "impls",
      [] {
        py::dict d;
        for (auto& [key, impl] : impl_registry()) d[py::str(key)] = py::make_tuple(impl->arity, impl->doc);
        return d;
      },
      "Every core implementation: key -> (arity, docstring).");
  m.def("function", &make_function, py::arg("impl"), py::arg("name"), py::arg("params"), py::arg("defaults"),
        py::arg("num_positional"), py::arg("slots") = py::none(), py::arg("legacy_keywords") = false);
}

}  // namespace bind
}  // namespace mxlite
