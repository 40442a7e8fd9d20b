// The ndarray classes: mxnet.numpy.ndarray and the legacy mxnet.nd.NDArray,
// both bound over the same engine NDArray by one template.
#include <pybind11/stl.h>

#include <cstring>

#include "binary.h"

namespace mxlite {
namespace bind {
namespace {

// Operators take an mxnet array or a Python number on the other side (as
// MXNet; NumPy arrays and lists go through np.array first). Legacy NDArray
// comparisons give 0/1 in the operands' dtype, not bool.
template <Face face>
py::object binary(py::handle self, py::handle other, const BinaryRow& row, const char* op, bool reflected = false) {
  py::handle lhs = reflected ? other : self, rhs = reflected ? self : other;
  NDArray r = face == Face::Nd ? legacy_binary(row, lhs, rhs, NDArray(), op, false)
                               : apply_binary(row, lhs, rhs, NDArray(), op, false);
  return wrap(std::move(r), face);
}

// x op= y stores the result into x's storage: same shape, and NumPy's
// same_kind rule (no floats into integers, no integers into bools).
void store_in_place(const NDArray& target, const NDArray& result, const char* op) {
  MXLITE_CHECK(result.shape() == target.shape(), op, "non-broadcastable output operand with shape ", target.shape(),
               " doesn't match the broadcast shape ", result.shape());
  MXLITE_CHECK_AS(TypeError, can_cast_same_kind(result.dtype(), target.dtype()), op, "cannot cast the result of dtype ",
                  dtype_name(result.dtype()), " to the array's dtype ", dtype_name(target.dtype()),
                  " in place (same_kind casting)");
  target.assign(result);
}

// Whether x op= y has a result of x's very shape and dtype, so the kernel can
// write into x (out=x) with no temporary: a non-bool x beside a Python number
// (which takes x's dtype) or a same-dtype array broadcasting to x's shape;
// true division only of floats.
bool result_fits(const NDArray& target, const NDArray* other, const BinaryRow& row) {
  if (target.dtype() == DType::Bool || (&row == &rows::divide && !is_floating(target.dtype()))) return false;
  if (!other) return true;
  if (other->dtype() != target.dtype()) return false;
  if (other->shape() == target.shape()) return true;
  try {
    return broadcast_shapes(target.shape(), other->shape(), "inplace") == target.shape();
  } catch (const Error&) {
    return false;  // the general path below raises NumPy's error
  }
}

// In place: x op= y writes the result into x's storage (outside recording).
py::object inplace(py::object self_obj, py::handle other, const BinaryRow& np_row, const char* op) {
  const NDArray& self = *as_array(self_obj);
  const BinaryRow& row = Py_TYPE(self_obj.ptr()) == nd_type ? legacy_row(np_row) : np_row;
  const NDArray* o = as_array(other);
  std::optional<double> s;
  if (!o && !(s = as_scalar(other))) unsupported_operand(other, op);
  autograd::check_inplace_allowed(self, o ? *o : NDArray(), "inplace");
  // x //= 1.5 on integers: MXNet has no // with scalars, NumPy's result is a
  // float that same_kind refuses; both raise.
  MXLITE_CHECK_AS(
      TypeError,
      !(s && !is_floating(self.dtype()) && &row == &rows::floor_divide && scalar_kind(other) == ScalarKind::Float), op,
      "cannot floor-divide an array of dtype ", dtype_name(self.dtype()),
      " in place by a Python float (the result would be a float)");
  if (result_fits(self, o, row)) {
    apply_binary(row, self_obj, other, self, op, false);
  } else {
    store_in_place(self, apply_binary(row, self_obj, other, NDArray(), op, false), op);
  }
  return self_obj;
}

// An index array item: mxnet arrays as they are, NumPy arrays and (nested)
// lists through NumPy. Bool arrays are masks.
np::IndexItem index_array_item(py::handle k) {
  NDArray arr;
  if (const NDArray* a = as_array(k)) {
    arr = *a;
  } else {
    py::object onp = py::module_::import("numpy");
    py::object conv;
    try {
      conv = onp.attr("asarray")(k);
    } catch (py::error_already_set&) {
      conv = py::none();
    }
    std::string kind = conv.is_none() ? "O" : conv.attr("dtype").attr("kind").cast<std::string>();
    // [] is an empty integer index in NumPy (asarray alone would make it float).
    if (kind == "f" && conv.attr("size").cast<int64_t>() == 0) kind = "i";
    if (kind != "b" && kind != "i" && kind != "u")
      throw IndexError("index",
                       "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean arrays "
                       "are valid indices; got " +
                           py::repr(k).cast<std::string>());
    arr = to_array(conv, kind == "b" ? DType::Bool : DType::Int64);
  }
  // mxnet arrays from Python numbers are float32, so MXNet takes float index
  // arrays (truncated to integers) where NumPy would refuse them.
  if (arr.dtype() != DType::Bool && !is_integral(arr.dtype())) arr = np::astype(arr.detach(), DType::Int64);
  return np::IndexItem::indices(arr.detach());
}

// An integer index: beyond int64 it is out of bounds of any axis.
int64_t index_integer(py::handle k) {
  py::int_ v = py::reinterpret_steal<py::int_>(PyNumber_Index(k.ptr()));
  if (!v) throw py::error_already_set();
  int overflow = 0;
  const long long i = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
  if (overflow)
    throw IndexError("index", "index " + py::str(v).cast<std::string>() + " is out of bounds (beyond int64)");
  return static_cast<int64_t>(i);
}

// A slice bound: clamped into int64 (bounds past the ends select what an
// end would; the clamp keeps them clear of kNone, which is INT64_MIN).
int64_t slice_bound(py::handle v) {
  if (v.is_none()) return np::IndexItem::kNone;
  py::int_ i = py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr()));
  if (!i) throw py::error_already_set();
  int overflow = 0;
  const long long r = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  if (overflow > 0) return INT64_MAX;
  if (overflow < 0 || r == INT64_MIN) return INT64_MIN + 1;
  return static_cast<int64_t>(r);
}

std::vector<np::IndexItem> index_items(py::handle key) {
  std::vector<np::IndexItem> items;
  auto one = [&](py::handle k) {
    PyObject* o = k.ptr();
    if (PyLong_Check(o) && !PyBool_Check(o)) {
      items.push_back(np::IndexItem::integer(index_integer(k)));
    } else if (PySlice_Check(o)) {
      auto bound = [](py::handle v) { return slice_bound(v); };
      py::object start = k.attr("start"), stop = k.attr("stop"), step = k.attr("step");
      items.push_back(np::IndexItem::slice(bound(start), bound(stop), bound(step)));
    } else if (k.is_none()) {
      items.push_back(np::IndexItem::new_axis());
    } else if (o == Py_Ellipsis) {
      items.push_back(np::IndexItem::ellipsis());
    } else if (PyRange_Check(o)) {
      // As the list it spells, as MXNet and NumPy.
      py::object as_list = py::reinterpret_steal<py::object>(PySequence_List(o));
      if (!as_list) throw py::error_already_set();
      items.push_back(index_array_item(as_list));
    } else if (as_array(k) || PyList_Check(o) || PyTuple_Check(o) || PyBool_Check(o) || py::isinstance<py::array>(k)) {
      items.push_back(index_array_item(k));
    } else if (PyIndex_Check(o) && !PyBool_Check(o) && !as_array(k)) {
      items.push_back(np::IndexItem::integer(index_integer(k)));
    } else {
      throw IndexError("index",
                       "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean arrays "
                       "are valid indices; got " +
                           py::repr(k).cast<std::string>());
    }
  };
  if (PyTuple_Check(key.ptr())) {
    for (py::handle k : key) one(k);
  } else {
    one(key);
  }
  return items;
}

template <class F> py::object getitem(const F& self, py::handle key) {
  constexpr Face face = FaceOf<F>::value;
  NDArray r = np::getitem(self.a, index_items(key));
  // Legacy NDArrays have no 0-d form: a scalar index gives shape (1,).
  if (face == Face::Nd && r.ndim() == 0) r = np::reshape(r, Shape{1});
  return wrap(std::move(r), face);
}

template <class F> void setitem(const F& self, py::handle key, py::handle value) {
  NDArray v;
  if (const NDArray* o = as_array(value))
    v = *o;
  else
    v = to_array(value, self.a.dtype());
  np::index_assign(self.a, index_items(key), v);
}

// MXNet: an empty array is False, one element its value, more are ambiguous (ValueError).
template <class F> bool truth(const F& self) {
  check_host_read(self.a, "__bool__");
  if (self.a.size() == 0) return false;
  MXLITE_CHECK_AS(ValueError, self.a.size() == 1, "bool", "The truth value of an ",
                  FaceOf<F>::value == Face::Nd ? "NDArray" : "ndarray",
                  " with multiple elements is ambiguous. Use a.any() or a.all()");
  return self.a.item() != 0.0;
}

}  // namespace

GradReq grad_req_from(const std::string& req) {
  if (req == "write") return GradReq::Write;
  if (req == "add") return GradReq::Add;
  if (req == "null") return GradReq::Null;
  throw Error("attach_grad", "grad_req must be 'write', 'add' or 'null', got '" + req + "'");
}

namespace {

Shape reshape_args(const py::args& args) {
  if (args.size() == 1 && !PyLong_Check(args[0].ptr())) return shape_from_py(args[0], "reshape");
  Shape s;
  for (py::handle d : args) s.push_back(int_arg(d, "reshape", "a dimension"));
  return s;
}

// This thread's open `with mx.cpu(i):` blocks, innermost last.
std::vector<std::unique_ptr<ContextScope>>& context_scopes() {
  thread_local std::vector<std::unique_ptr<ContextScope>> scopes;
  return scopes;
}

template <class F> void bind_face(py::class_<F>& cls) {
  constexpr Face face = FaceOf<F>::value;
  cls.def_property_readonly("shape", [](const F& s) { return shape_to_py(s.a.shape()); })
      .def_property_readonly("dtype", [](const F& s) { return dtype_to_py(s.a.dtype(), face); })
      .def_property_readonly("size", [](const F& s) { return s.a.size(); })
      .def_property_readonly("ndim", [](const F& s) { return s.a.ndim(); })
      .def_property_readonly("T", [](const F& s) { return wrap(np::transpose(s.a), face); })
      .def_property_readonly("grad",
                             [](const F& s) -> py::object {
                               NDArray g = s.a.grad();
                               return g.defined() ? wrap(g, face) : py::none();
                             })
      .def_property(
          "_fresh_grad", [](const F& s) { return s.a.fresh_grad(); }, [](const F& s, bool v) { s.a.set_fresh_grad(v); })
      .def(
          "attach_grad", [](const F& s, const std::string& req, py::handle) { s.a.attach_grad(grad_req_from(req)); },
          py::arg("grad_req") = "write", py::arg("stype") = py::none())
      .def("drop_grad", [](const F& s) { s.a.drop_grad(); })
      // The CPU id of the array's context (MXNet's cpu(i)) and a copy on cpu(id).
      .def_property_readonly("_device_id", [](const F& s) { return s.a.context().id; })
      .def("_copy_to", [](const F& s, int id) { return wrap(np::copy_to(s.a, Context::cpu(id)), face); })
      .def("detach", [](const F& s) { return wrap(s.a.detach(), face); })
      .def(
          "backward",
          [](const F& s, py::handle out_grad, bool retain_graph, bool train_mode) {
            NDArray g;
            if (!out_grad.is_none()) {
              const NDArray* o = as_array(out_grad);
              if (!o) unsupported_type(out_grad, "backward");
              g = *o;
            }
            py::gil_scoped_release release;
            autograd::backward({s.a}, {g}, retain_graph, train_mode);
          },
          py::arg("out_grad") = py::none(), py::arg("retain_graph") = false, py::arg("train_mode") = true)
      .def("asnumpy",
           [](const F& s) {
             check_host_read(s.a, "asnumpy");
             return to_numpy(s.a);
           })
      .def(
          "__array__",
          [](const F& s, py::handle dtype, py::handle) -> py::object {
            check_host_read(s.a, "__array__");
            py::array out = to_numpy(s.a);
            if (dtype.is_none()) return std::move(out);
            return out.attr("astype")(dtype);
          },
          py::arg("dtype") = py::none(), py::arg("copy") = py::none())
      .def("wait_to_read", [](const F&) {})
      .def(
          "copy",
          [](const F& s, py::handle order) {
            if (!order.is_none() && !py::str(order).equal(py::str("C"))) {
              PyErr_SetString(PyExc_NotImplementedError,
                              "ndarray.copy only supports order='C', mxlite arrays are row-major");
              throw py::error_already_set();
            }
            return wrap(np::copy(s.a), face);
          },
          py::arg("order") = "C")
      .def(
          "astype",
          [](py::object self, py::handle dtype, const std::string& order, const std::string& casting, py::handle,
             bool copy) -> py::object {
            const F& s = self.cast<const F&>();
            DType dt = dtype_from_py(dtype);
            // Row-major is the only layout; 'subok' is moot (no subclasses).
            MXLITE_CHECK_AS(ValueError, order == "K" || order == "A" || order == "C", "astype", "order='", order,
                            "' is not supported: mxlite arrays are row-major (C order)");
            if (casting != "unsafe") {
              static py::handle can_cast = leak(py::module_::import("numpy").attr("can_cast"));
              const bool ok =
                  py::cast<bool>(can_cast(dtype_to_py(s.a.dtype(), Face::Np), dtype_to_py(dt, Face::Np), casting));
              MXLITE_CHECK_AS(TypeError, ok, "astype", "cannot cast array data from dtype ", dtype_name(s.a.dtype()),
                              " to ", dtype_name(dt), " according to the rule '", casting, "'");
            }
            if (!copy && dt == s.a.dtype()) return self;  // MXNet and NumPy: the array itself
            return wrap(np::astype(s.a, dt), face);
          },
          py::arg("dtype"), py::arg("order") = "K", py::arg("casting") = "unsafe", py::arg("subok") = true,
          py::arg("copy") = true)
      .def("reshape",
           [](const F& s, py::args args, py::kwargs) { return wrap(np::reshape(s.a, reshape_args(args)), face); })
      .def("__getitem__", &getitem<F>)
      .def("__setitem__", &setitem<F>)
      .def("__len__",
           [](const F& s) {
             if (s.a.ndim() == 0) throw py::type_error("len() of unsized object");
             return s.a.shape()[0];
           })
      .def("__bool__", &truth<F>)
      .def("__float__",
           [](const F& s) {
             check_host_read(s.a, "__float__");
             MXLITE_CHECK_AS(TypeError, s.a.size() == 1, "float",
                             "only size-1 arrays can be converted to Python scalars");
             return s.a.item();
           })
      .def("__int__",
           [](const F& s) {
             check_host_read(s.a, "__int__");
             MXLITE_CHECK_AS(TypeError, s.a.size() == 1, "int",
                             "only size-1 arrays can be converted to Python scalars");
             return static_cast<int64_t>(s.a.item());
           })
      .def("__neg__", [](const F& s) { return wrap(np::negative(s.a), face); })
      .def("__pos__", [](const F& s) { return wrap(np::positive(s.a), face); })
      .def("__abs__", [](const F& s) { return wrap(np::abs(s.a), face); })
      .def("__add__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::add, "+"); })
      .def("__radd__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::add, "+", true); })
      .def("__sub__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::subtract, "-"); })
      .def("__rsub__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::subtract, "-", true); })
      .def("__mul__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::multiply, "*"); })
      .def("__rmul__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::multiply, "*", true); })
      .def("__truediv__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::divide, "/"); })
      .def("__rtruediv__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::divide, "/", true); })
      .def("__pow__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::power, "**"); })
      .def("__rpow__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::power, "**", true); })
      .def("__mod__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::mod, "%"); })
      .def("__rmod__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::mod, "%", true); })
      .def("__floordiv__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::floor_divide, "//"); })
      .def("__rfloordiv__",
           [](py::handle s, py::handle o) { return binary<face>(s, o, rows::floor_divide, "//", true); })
      .def("__and__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::bitwise_and, "&"); })
      .def("__rand__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::bitwise_and, "&", true); })
      .def("__or__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::bitwise_or, "|"); })
      .def("__ror__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::bitwise_or, "|", true); })
      .def("__xor__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::bitwise_xor, "^"); })
      .def("__rxor__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::bitwise_xor, "^", true); })
      .def("__invert__", [](const F& s) { return wrap(np::invert(s.a), face); })
      .def("__matmul__",
           [](const F& s, py::handle o) {
             const NDArray* b = as_array(o);
             if (!b) unsupported_operand(o, "@");
             return wrap(np::matmul(s.a, *b), face);
           })
      .def("__eq__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::equal, "=="); })
      .def("__ne__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::not_equal, "!="); })
      .def("__lt__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::less, "<"); })
      .def("__le__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::less_equal, "<="); })
      .def("__gt__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::greater, ">"); })
      .def("__ge__", [](py::handle s, py::handle o) { return binary<face>(s, o, rows::greater_equal, ">="); })
      .def("__iadd__", [](py::object s, py::handle o) { return inplace(s, o, rows::add, "+="); })
      .def("__isub__", [](py::object s, py::handle o) { return inplace(s, o, rows::subtract, "-="); })
      .def("__imul__", [](py::object s, py::handle o) { return inplace(s, o, rows::multiply, "*="); })
      .def("__itruediv__", [](py::object s, py::handle o) { return inplace(s, o, rows::divide, "/="); })
      .def("__imod__", [](py::object s, py::handle o) { return inplace(s, o, rows::mod, "%="); })
      .def("__ifloordiv__", [](py::object s, py::handle o) { return inplace(s, o, rows::floor_divide, "//="); })
      .def("__ipow__", [](py::object s, py::handle o) { return inplace(s, o, rows::power, "**="); })
      .def("__iand__", [](py::object s, py::handle o) { return inplace(s, o, rows::bitwise_and, "&="); })
      .def("__ior__", [](py::object s, py::handle o) { return inplace(s, o, rows::bitwise_or, "|="); })
      .def("__ixor__", [](py::object s, py::handle o) { return inplace(s, o, rows::bitwise_xor, "^="); })
      .def("_same_array",
           [](const F& s, py::handle o) {
             const NDArray* b = as_array(o);
             return b && b->is_same(s.a);
           })
      .def("_shares_memory",
           [](const F& s, py::handle o) {
             const NDArray* b = as_array(o);
             return b && b->shares_storage(s.a);
           })
      // Arrays are contiguous ranges of their storage: they overlap when the byte ranges do.
      .def("_overlaps",
           [](const F& s, py::handle o) {
             const NDArray* b = as_array(o);
             if (!b || !b->shares_storage(s.a) || s.a.nbytes() == 0 || b->nbytes() == 0) return false;
             return s.a.offset() < b->offset() + b->nbytes() && b->offset() < s.a.offset() + s.a.nbytes();
           })
      .def("_version", [](const F& s) { return s.a.storage()->version(); });
  cls.attr("__hash__") = py::none();
  cls.attr("__array_priority__") = 1000.0;
}

}  // namespace

void bind_ndarray(py::module_& m) {
  // `with mx.cpu(i):` pushes a ContextScope on entry and pops it on exit.
  m.def("push_context", [](int id) { context_scopes().push_back(std::make_unique<ContextScope>(Context::cpu(id))); });
  m.def("pop_context", [] {
    if (!context_scopes().empty()) context_scopes().pop_back();
  });
  m.def("default_device_id", [] { return default_context().id; });
  py::class_<NpArray> np_cls(m, "ndarray", py::dynamic_attr());
  bind_face(np_cls);
  np_cls.def("as_nd_ndarray", [](const NpArray& s) { return NdArray{s.a}; }).def("as_np_ndarray", [](const NpArray& s) {
    return s;
  });
  py::class_<NdArray> nd_cls(m, "NDArray", py::dynamic_attr());
  bind_face(nd_cls);
  nd_cls.def("as_np_ndarray", [](const NdArray& s) { return NpArray{s.a}; })
      .def("as_nd_ndarray", [](const NdArray& s) { return s; })
      .def("asscalar", [](const NdArray& s) -> py::object {
        if (s.a.size() != 1) throw py::value_error("The current array is not a scalar");
        check_host_read(s.a, "asscalar");
        return to_numpy(s.a).attr("reshape")(py::make_tuple(-1))[py::int_(0)];  // a NumPy scalar, as MXNet
      });
  np_type = reinterpret_cast<PyTypeObject*>(np_cls.ptr());
  nd_type = reinterpret_cast<PyTypeObject*>(nd_cls.ptr());
}

}  // namespace bind
}  // namespace mxlite
