#include "convert.h"

#include <algorithm>
#include <cstring>

namespace mxlite {
namespace bind {

PyTypeObject* np_type = nullptr;

py::handle leak(py::object o) { return o.release(); }
PyTypeObject* nd_type = nullptr;

std::optional<double> as_scalar(py::handle h) {
  PyObject* o = h.ptr();
  if (PyFloat_Check(o)) return PyFloat_AS_DOUBLE(o);
  if (PyBool_Check(o)) return o == Py_True ? 1.0 : 0.0;
  if (PyLong_Check(o)) {
    double v = PyLong_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();  // too large for a double
    return v;
  }
  static PyObject* numpy_generic = leak(py::module_::import("numpy").attr("generic")).ptr();
  if (PyObject_IsInstance(o, numpy_generic) == 1) {
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    return v;
  }
  return std::nullopt;
}

ScalarKind scalar_kind(py::handle h) {
  PyObject* o = h.ptr();
  if (PyBool_Check(o)) return ScalarKind::Bool;
  if (PyLong_Check(o)) return ScalarKind::Int;
  if (PyFloat_Check(o)) return ScalarKind::Float;
  static PyObject* np_bool = leak(py::module_::import("numpy").attr("bool_")).ptr();
  static PyObject* np_integer = leak(py::module_::import("numpy").attr("integer")).ptr();
  if (PyObject_IsInstance(o, np_bool) == 1) return ScalarKind::Bool;
  if (PyObject_IsInstance(o, np_integer) == 1) return ScalarKind::Int;
  return ScalarKind::Float;
}

NDArray beside_scalar(const NDArray& a, py::handle s) {
  const DType dt = scalar_operand_dtype(a.dtype(), scalar_kind(s));
  return dt == a.dtype() || dt == DType::Float32 ? a : np::astype(a, dt);  // float32: the engine's own rule
}

namespace {
// "None", "'abc'" or "a dict": what a function got, for its error message.
std::string describe(py::handle obj) {
  if (obj.is_none()) return "None";
  std::string r = py::repr(obj).cast<std::string>();
  if (r.size() > 60) r = r.substr(0, 57) + "...";
  return r + " (" + py::str(py::type::of(obj).attr("__name__")).cast<std::string>() + ")";
}
}  // namespace

void unsupported_type(py::handle obj, const char* fn) {
  throw py::type_error(std::string(fn) + ": type " + py::str(py::type::of(obj)).cast<std::string>() +
                       " not supported: expected an array, a number or a (nested) sequence of numbers, got " +
                       describe(obj));
}

DType dtype_from_py(py::handle dt) {
  static py::handle np_dtype = leak(py::module_::import("numpy").attr("dtype"));
  if (dt.is_none()) return DType::Float32;
  py::object d;
  try {
    d = np_dtype(dt);
  } catch (py::error_already_set&) {
    throw Error("dtype", "data type " + py::repr(dt).cast<std::string>() + " not understood");
  }
  return dtype_from_name(py::str(d.attr("name")).cast<std::string>());
}

py::object dtype_to_py(DType dt, Face face) {
  static py::handle cache[2][kNumDTypes];
  py::handle& slot = cache[face == Face::Np ? 0 : 1][static_cast<int>(dt)];
  if (!slot) {
    py::object d = py::module_::import("numpy").attr("dtype")(dtype_name(dt));
    slot = leak(face == Face::Np ? d : py::object(d.attr("type")));
  }
  return py::reinterpret_borrow<py::object>(slot);
}

py::array to_numpy(const NDArray& a) {
  py::dtype dt = py::reinterpret_borrow<py::dtype>(dtype_to_py(a.dtype(), Face::Np));
  std::vector<py::ssize_t> shape(a.shape().begin(), a.shape().end());
  py::array out(dt, shape);
  std::memcpy(out.mutable_data(), a.raw_data(), a.nbytes());
  return out;
}

NDArray to_array(py::handle obj, std::optional<DType> dtype, bool keep_numpy_dtype, const char* fn) {
  if (const NDArray* arr = as_array(obj)) {
    if (!dtype || *dtype == arr->dtype()) return *arr;
    return np::astype(*arr, *dtype);
  }
  static py::handle np_ndarray = leak(py::module_::import("numpy").attr("ndarray"));
  static py::handle np_asarray_fn = leak(py::module_::import("numpy").attr("asarray"));
  static py::handle np_float64 = leak(py::module_::import("numpy").attr("float64"));
  // asarray(order="C"), not ascontiguousarray, which turns 0-d into 1-d.
  auto np_asarray = [](py::handle o) { return np_asarray_fn(o, py::arg("order") = "C"); };
  bool is_numpy = py::isinstance(obj, np_ndarray);
  py::array src;
  if (is_numpy) {
    src = np_asarray(obj);
  } else {
    if (obj.is_none() || PyUnicode_Check(obj.ptr()) || PyBytes_Check(obj.ptr()) || PyDict_Check(obj.ptr()))
      unsupported_type(obj, fn);
    try {
      // With a dtype, NumPy converts directly, so that a Python number out of
      // its range raises OverflowError (and NaN into an integer ValueError).
      // (Float targets convert through float64 in the engine: out-of-range values
      // become inf silently, as in MXNet.)
      if (dtype && !is_floating(*dtype))
        src = np_asarray_fn(obj, py::arg("dtype") = dtype_to_py(*dtype, Face::Np), py::arg("order") = "C");
      else
        src = np_asarray(obj);
    } catch (py::error_already_set& e) {
      if (e.matches(PyExc_OverflowError)) throw OverflowError(fn, py::str(e.value()).cast<std::string>());
      // NumPy's ValueError for ragged nested sequences says what is wrong.
      if (e.matches(PyExc_ValueError))
        throw py::value_error(std::string(fn) + ": cannot make an array from " + describe(obj) + ": " +
                              py::str(e.value()).cast<std::string>());
      unsupported_type(obj, fn);
    }
    // Python ints beyond int64 land in an object array; as numbers they are
    // fine for a floating target (float32 by default, as MXNet).
    if (src.dtype().kind() == 'O' && (!dtype || is_floating(*dtype))) {
      try {
        src = np_asarray_fn(obj, py::arg("dtype") = np_float64);
      } catch (py::error_already_set&) {
        unsupported_type(obj, fn);
      }
    }
  }
  const char kind = src.dtype().kind();
  if (kind == 'O' || kind == 'U' || kind == 'S' || kind == 'V' || kind == 'M' || kind == 'm' || kind == 'c')
    unsupported_type(obj, fn);
  DType src_dt = dtype_from_py(src.dtype());
  DType target = dtype ? *dtype : ((is_numpy && keep_numpy_dtype) ? src_dt : DType::Float32);
  std::vector<int64_t> dims(src.shape(), src.shape() + src.ndim());
  NDArray raw = NDArray::empty(Shape(dims.begin(), dims.end()), src_dt);
  std::memcpy(raw.raw_data(), src.data(), raw.nbytes());
  if (target == src_dt) return raw;
  autograd::Pause pause;
  return np::astype(raw, target);
}

int64_t int_arg(py::handle obj, const char* fn, const char* what) {
  PyObject* o = obj.ptr();
  if (PyBool_Check(o) || PyFloat_Check(o) || !PyIndex_Check(o) || as_array(obj))
    throw py::type_error(std::string(fn) + ": " + what + " must be an integer, got " + describe(obj));
  py::int_ v = py::reinterpret_steal<py::int_>(PyNumber_Index(o));
  if (!v) throw py::error_already_set();
  int overflow = 0;
  long long r = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
  if (overflow)
    throw OverflowError(fn, concat(what, " ", py::str(v).cast<std::string>(), " is out of the int64 range"));
  return static_cast<int64_t>(r);
}

Shape shape_from_py(py::handle obj, const char* fn) {
  Shape s;
  PyObject* o = obj.ptr();
  if (PyIndex_Check(o) && !PyBool_Check(o) && !as_array(obj)) {
    s.push_back(int_arg(obj, fn, "a dimension"));
    return s;
  }
  if (!PySequence_Check(o) || PyUnicode_Check(o) || as_array(obj))
    throw py::type_error(std::string(fn) + ": a shape must be an int or a sequence of ints, got " + describe(obj));
  for (py::handle d : obj) {
    if (s.size() > kMaxNdim)
      throw ValueError(fn, concat("maximum supported dimension for an ndarray is ", kMaxNdim, ", found more"));
    s.push_back(int_arg(d, fn, "a dimension"));
  }
  return s;
}

py::tuple shape_to_py(const Shape& s) {
  py::tuple t(s.size());
  for (size_t i = 0; i < s.size(); ++i) t[i] = py::int_(s[i]);
  return t;
}

bool axes_from_py(py::handle obj, Axes& axes, const char* fn) {
  if (obj.is_none()) return false;
  axes = shape_from_py(obj, fn);
  return true;
}

// ---- argument helpers shared by the binding files ----

// f(x1, x2) where either side may be a Python scalar.
NDArray scalar_beside(py::handle scalar_obj, double s, const NDArray& other, ScalarRule rule, const char* fn) {
  if (rule == ScalarRule::Truth) return np::scalar(s != 0 ? 1.0 : 0.0, DType::Bool);
  const ScalarKind kind = scalar_kind(scalar_obj);
  MXLITE_CHECK_AS(TypeError, rule != ScalarRule::Integer || kind != ScalarKind::Float, fn,
                  "not supported between an array and a Python float (integer or bool operands only)");
  DType dt = scalar_operand_dtype(other.dtype(), kind);
  // A bool scalar beside a bool array keeps the bitwise ops in bool.
  if (rule == ScalarRule::Integer && other.dtype() == DType::Bool && kind == ScalarKind::Bool) dt = DType::Bool;
  return np::scalar(scalar_in_dtype(s, dt, fn), dt);
}

NDArray array_arg(py::handle h, const char* fn) {
  if (const NDArray* a = as_array(h)) return *a;
  return to_array(h, std::nullopt, true, fn);  // array-likes, as NumPy accepts them
}

double num(py::handle h, const char* what) {
  auto s = as_scalar(h);
  if (!s) throw TypeError(what, "expected a number, got " + describe(h));
  return *s;
}

std::optional<DType> opt_dtype(py::handle dt) {
  if (dt.is_none()) return std::nullopt;
  return dtype_from_py(dt);
}

}  // namespace bind
}  // namespace mxlite
