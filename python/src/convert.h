// mxnet._core (bindings): the two Python faces of an NDArray and conversions
// between Python objects and NDArrays. No computation happens here.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>

#include "mxlite/mxlite.h"

namespace py = pybind11;

namespace mxlite {
namespace bind {

/// mxnet.numpy.ndarray - the NumPy-compatible face.
struct NpArray {
  NDArray a;
};
/// mxnet.ndarray.NDArray - the legacy face (MXNet 1.x printing and conventions).
struct NdArray {
  NDArray a;
};

enum class Face { Np, Nd };

template <class F> struct FaceOf;
template <> struct FaceOf<NpArray> {
  static constexpr Face value = Face::Np;
};
template <> struct FaceOf<NdArray> {
  static constexpr Face value = Face::Nd;
};

/// Set once the classes are registered.
extern PyTypeObject* np_type;
extern PyTypeObject* nd_type;

/// The NDArray inside a bound array object, or nullptr for anything else.
inline const NDArray* as_array(py::handle h) {
  PyTypeObject* t = Py_TYPE(h.ptr());
  if (t == np_type || PyType_IsSubtype(t, np_type)) return &h.cast<NpArray&>().a;
  if (t == nd_type || PyType_IsSubtype(t, nd_type)) return &h.cast<NdArray&>().a;
  return nullptr;
}

/// Keeps a Python object alive for the life of the process. Function-local
/// statics must not own py::objects: their destructors would run after the
/// interpreter is gone.
py::handle leak(py::object o);

/// A Python scalar (bool, int, float or NumPy scalar) as double, if `h` is one.
std::optional<double> as_scalar(py::handle h);
/// Whether a scalar (as_scalar accepted it) is a bool, an integer or a float.
ScalarKind scalar_kind(py::handle h);
/// The array an arithmetic op computes on beside the Python scalar `s`: a bool
/// array becomes int64 beside an int or bool (mxlite::scalar_operand_dtype).
NDArray beside_scalar(const NDArray& a, py::handle s);

/// Wraps an NDArray in the Python class of the given face.
inline py::object wrap(NDArray a, Face face) {
  if (face == Face::Np) return py::cast(NpArray{std::move(a)});
  return py::cast(NdArray{std::move(a)});
}

/// DType from anything NumPy accepts as a dtype ('float32', np.float32, float, ...).
DType dtype_from_py(py::handle dt);
/// The NumPy dtype object (np face) or scalar type (legacy face).
py::object dtype_to_py(DType dt, Face face);

/// Converts array-likes: bound arrays (kept, or cast when dtype is given),
/// NumPy arrays (their dtype, copied), Python scalars and sequences (float32
/// unless dtype is given, as MXNet does). None, strings, ragged or non-numeric
/// sequences and other objects raise TypeError/ValueError naming `fn`.
NDArray to_array(py::handle obj, std::optional<DType> dtype, bool keep_numpy_dtype = true, const char* fn = "array");
/// Copies an NDArray into a new NumPy array.
py::array to_numpy(const NDArray& a);

/// Shape from an int or a sequence of ints (anything with __index__).
/// TypeError for None, floats and other objects, OverflowError for an extent
/// beyond int64, naming `fn`.
Shape shape_from_py(py::handle obj, const char* fn = "shape");
/// One integer argument (anything with __index__, not bool/float); TypeError
/// or OverflowError naming `fn` and `what`.
int64_t int_arg(py::handle obj, const char* fn, const char* what);
py::tuple shape_to_py(const Shape& s);
/// Axes from None (returns false), an int or a sequence of ints.
bool axes_from_py(py::handle obj, Axes& axes, const char* fn = "axis");

/// 'write' / 'add' / 'null'.
GradReq grad_req_from(const std::string& req);

/// MXNet's error for operands of an unsupported type, naming the function.
[[noreturn]] void unsupported_type(py::handle obj, const char* fn);

// ---- argument helpers shared by the binding files --------------------------
/// How a Python scalar operand becomes a 0-d array next to an array operand.
enum class ScalarRule {
  Arith,    // MXNet's rule (mxlite::scalar_operand_dtype), float-valued ops (hypot...) too
  Truth,    // a bool: only whether the scalar is non-zero matters
  Integer,  // bitwise ops, gcd, lcm: an int or bool scalar, as Arith; floats refused
};
/// The Python scalar `scalar_obj` (value `s`) as a 0-d array beside `other`,
/// for function or operator `fn` (named in TypeError/OverflowError).
NDArray scalar_beside(py::handle scalar_obj, double s, const NDArray& other, ScalarRule rule, const char* fn);

/// An array argument of function `fn`: a bound array as is, any other
/// array-like (NumPy array, list, scalar) converted; TypeError naming `fn`
/// and what it got for anything else (None, strings, other objects).
NDArray array_arg(py::handle h, const char* fn);
/// A Python number as double; Error naming `what` otherwise.
double num(py::handle h, const char* what);
/// None -> nullopt, anything else through dtype_from_py.
std::optional<DType> opt_dtype(py::handle dt);

}  // namespace bind
}  // namespace mxlite
