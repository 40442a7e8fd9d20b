// mxnet._core bindings for DLPack, the C ABI for sharing arrays between
// frameworks without copying: export (a PyCapsule "dltensor" that keeps the
// NDArray alive until the consumer calls its deleter) and import (an NDArray
// over the producer's memory, the producer's deleter called when mxlite no
// longer uses it). CPU memory only.
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

// ---- the DLPack ABI (dlpack.h, version 0.x legacy and 1.x versioned) ---------
// Written from the public specification; only the parts used here.
enum DLDeviceKind : int32_t { kDLCPU = 1, kDLCUDA = 2, kDLCUDAHost = 3 };
enum DLTypeCode : uint8_t { kDLInt = 0, kDLUInt = 1, kDLFloat = 2, kDLBfloat = 4, kDLComplex = 5, kDLBool = 6 };

struct DLDevice {
  int32_t device_type;
  int32_t device_id;
};
struct DLDataType {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
};
struct DLTensor {
  void* data;
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t* shape;
  int64_t* strides;  // in elements; null: compact row-major
  uint64_t byte_offset;
};
struct DLManagedTensor {
  DLTensor dl_tensor;
  void* manager_ctx;
  void (*deleter)(DLManagedTensor* self);
};
struct DLPackVersion {
  uint32_t major;
  uint32_t minor;
};
struct DLManagedTensorVersioned {
  DLPackVersion version;
  void* manager_ctx;
  void (*deleter)(DLManagedTensorVersioned* self);
  uint64_t flags;
  DLTensor dl_tensor;
};
constexpr uint64_t kDLFlagReadOnly = 1;

constexpr const char* kCapsule = "dltensor";
constexpr const char* kUsedCapsule = "used_dltensor";
constexpr const char* kVersionedCapsule = "dltensor_versioned";
constexpr const char* kUsedVersionedCapsule = "used_dltensor_versioned";

// ---- export --------------------------------------------------------------------
/// What an exported (versioned) DLManagedTensor points at: the array
/// (keeping its storage alive) and the shape and strides arrays.
template <class Managed> struct Export {
  Managed managed;
  NDArray array;
  std::vector<int64_t> shape, strides;
};

template <class Managed> void delete_export(Managed* self) { delete static_cast<Export<Managed>*>(self->manager_ctx); }

DLDataType to_dl_dtype(DType dt) {
  switch (dt) {
    case DType::Bool:
      return {kDLBool, 8, 1};
    case DType::UInt8:
      return {kDLUInt, 8, 1};
    case DType::Int8:
      return {kDLInt, 8, 1};
    case DType::Int32:
      return {kDLInt, 32, 1};
    case DType::Int64:
      return {kDLInt, 64, 1};
    case DType::Float32:
      return {kDLFloat, 32, 1};
    case DType::Float64:
      return {kDLFloat, 64, 1};
    case DType::Float16:
      return {kDLFloat, 16, 1};
  }
  throw Error("to_dlpack", "unknown dtype");
}

// A capsule nobody consumed still owns its tensor.
template <class Managed> void export_capsule_destructor(PyObject* capsule) {
  const char* name = std::is_same<Managed, DLManagedTensor>::value ? kCapsule : kVersionedCapsule;
  if (!PyCapsule_IsValid(capsule, name)) return;  // consumed (renamed): the consumer owns it
  auto* managed = static_cast<Managed*>(PyCapsule_GetPointer(capsule, name));
  if (managed && managed->deleter) managed->deleter(managed);
}

/// The array as a DLPack capsule: legacy ("dltensor", what MXNet's
/// to_dlpack_for_read/write give) or versioned 1.0 ("dltensor_versioned",
/// writable), for consumers that ask for it.
template <class Managed> py::capsule to_dlpack(const NDArray& a) {
  auto* e = new Export<Managed>;
  e->array = a;
  e->shape.assign(a.shape().begin(), a.shape().end());
  const Dims strides = contiguous_strides(a.shape());
  e->strides.assign(strides.begin(), strides.end());
  DLTensor& t = e->managed.dl_tensor;
  t.data = a.raw_data();
  t.device = {kDLCPU, 0};
  t.ndim = static_cast<int32_t>(a.ndim());
  t.dtype = to_dl_dtype(a.dtype());
  t.shape = e->shape.empty() ? nullptr : e->shape.data();
  t.strides = e->strides.empty() ? nullptr : e->strides.data();
  t.byte_offset = 0;
  e->managed.manager_ctx = e;
  e->managed.deleter = &delete_export<Managed>;
  const char* name = kCapsule;
  if constexpr (std::is_same<Managed, DLManagedTensorVersioned>::value) {
    e->managed.version = {1, 0};
    e->managed.flags = 0;
    name = kVersionedCapsule;
  }
  PyObject* capsule = PyCapsule_New(&e->managed, name, &export_capsule_destructor<Managed>);
  if (!capsule) {
    delete e;
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::capsule>(capsule);
}

// ---- import --------------------------------------------------------------------
const char* device_name(int32_t type) {
  switch (type) {
    case kDLCUDA:
      return "CUDA";
    case 4:
      return "OpenCL";
    case 7:
      return "Vulkan";
    case 8:
      return "Metal";
    case 10:
      return "ROCm";
    default:
      return "non-CPU";
  }
}

void check_device(int32_t type, int32_t id) {
  if (type == kDLCPU || type == kDLCUDAHost) return;  // host memory
  throw ValueError("from_dlpack", concat("the tensor lives on a ", device_name(type), " device (DLPack device type ",
                                         type, ", id ", id, "): mxlite reads CPU memory only"));
}

DType from_dl_dtype(const DLDataType& t) {
  if (t.lanes == 1) {
    if (t.code == kDLFloat && t.bits == 32) return DType::Float32;
    if (t.code == kDLFloat && t.bits == 64) return DType::Float64;
    if (t.code == kDLFloat && t.bits == 16) return DType::Float16;
    if (t.code == kDLInt && t.bits == 8) return DType::Int8;
    if (t.code == kDLInt && t.bits == 32) return DType::Int32;
    if (t.code == kDLInt && t.bits == 64) return DType::Int64;
    if (t.code == kDLUInt && t.bits == 8) return DType::UInt8;
    if (t.code == kDLBool && t.bits == 8) return DType::Bool;
  }
  const char* kinds[] = {"int", "uint", "float", "opaque handle", "bfloat", "complex", "bool"};
  const std::string kind = t.code < 7 ? kinds[t.code] : concat("type code ", int(t.code));
  throw TypeError(
      "from_dlpack",
      concat("the DLPack dtype ", kind, int(t.bits), t.lanes == 1 ? "" : concat(" x", t.lanes),
             " is not supported: mxlite holds bool, uint8, int8, int32, int64, float16, float32 and float64"));
}

/// The tensor's shape, after checking that it is compact row-major (strides
/// of axes with extent 1 do not matter) and aligned.
Shape checked_shape(const DLTensor& t, DType dt) {
  MXLITE_CHECK(t.ndim >= 0 && static_cast<size_t>(t.ndim) <= kMaxNdim, "from_dlpack", "the tensor has ", t.ndim,
               " dimensions; at most ", kMaxNdim, " are supported");
  MXLITE_CHECK(t.ndim == 0 || t.shape, "from_dlpack", "the tensor has ", t.ndim, " dimensions but no shape");
  Shape shape;
  for (int32_t i = 0; i < t.ndim; ++i) {
    MXLITE_CHECK(t.shape[i] >= 0, "from_dlpack", "negative extent ", t.shape[i], " in the tensor's shape");
    shape.push_back(t.shape[i]);
  }
  if (t.strides && shape_size(shape) > 0) {
    int64_t expected = 1;
    for (int32_t i = t.ndim - 1; i >= 0; --i) {
      if (shape[i] != 1 && t.strides[i] != expected) {
        Shape strides(t.strides, t.strides + t.ndim);
        throw Error("from_dlpack", concat("only compact row-major tensors are supported, got shape ", shape,
                                          " with strides ", strides, " (in elements); copy it first"));
      }
      expected *= shape[i];
    }
  }
  MXLITE_CHECK(t.data || shape_size(shape) == 0, "from_dlpack", "the tensor of shape ", shape, " has no data");
  const auto address = reinterpret_cast<uintptr_t>(t.data) + t.byte_offset;
  MXLITE_CHECK(address % itemsize(dt) == 0 || shape_size(shape) == 0, "from_dlpack",
               "the data address is not aligned to ", itemsize(dt), " bytes (the ", dtype_name(dt), " item size)");
  return shape;
}

/// Calls the producer's deleter once mxlite's last view of the data is gone
/// (with the GIL: Python producers release Python objects in it).
template <class Managed> std::function<void()> releaser(Managed* managed) {
  return [managed]() {
    if (!managed->deleter || !Py_IsInitialized()) return;  // at exit the producer's memory is left alone
    PyGILState_STATE gil = PyGILState_Ensure();
    managed->deleter(managed);
    PyGILState_Release(gil);
  };
}

template <class Managed> NDArray adopt(Managed* managed, const DLTensor& t) {
  check_device(t.device.device_type, t.device.device_id);
  const DType dt = from_dl_dtype(t.dtype);
  const Shape shape = checked_shape(t, dt);
  return NDArray::wrap(static_cast<char*>(t.data) + t.byte_offset, shape, dt, releaser(managed));
}

NDArray from_capsule(py::handle capsule) {
  PyObject* c = capsule.ptr();
  if (PyCapsule_IsValid(c, kCapsule)) {
    auto* managed = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(c, kCapsule));
    NDArray a = adopt(managed, managed->dl_tensor);
    PyCapsule_SetName(c, kUsedCapsule);  // consumed: the capsule's destructor leaves the tensor to us
    return a;
  }
  if (PyCapsule_IsValid(c, kVersionedCapsule)) {
    auto* managed = static_cast<DLManagedTensorVersioned*>(PyCapsule_GetPointer(c, kVersionedCapsule));
    MXLITE_CHECK_AS(ValueError, managed->version.major == 1, "from_dlpack", "DLPack version ", managed->version.major,
                    ".", managed->version.minor, " is not supported (only 1.x)");
    MXLITE_CHECK_AS(ValueError, !(managed->flags & kDLFlagReadOnly), "from_dlpack",
                    "the tensor is read-only; mxlite arrays are writable, so it cannot be shared without a copy");
    NDArray a = adopt(managed, managed->dl_tensor);
    PyCapsule_SetName(c, kUsedVersionedCapsule);
    return a;
  }
  const char* name = PyCapsule_GetName(c);
  PyErr_Clear();
  const std::string got = name ? name : "";
  if (got == kUsedCapsule || got == kUsedVersionedCapsule)
    throw ValueError("from_dlpack", "the DLPack capsule was already consumed (a capsule can be consumed only once)");
  throw TypeError("from_dlpack", concat("expected a PyCapsule named 'dltensor', got one named '", got, "'"));
}

NDArray from_dlpack(py::handle obj) {
  if (PyCapsule_CheckExact(obj.ptr())) return from_capsule(obj);
  if (!py::hasattr(obj, "__dlpack__"))
    throw TypeError("from_dlpack", concat("expected a DLPack capsule or an object with __dlpack__, got ",
                                          py::str(py::type::of(obj).attr("__name__")).cast<std::string>()));
  if (py::hasattr(obj, "__dlpack_device__")) {
    py::tuple device = obj.attr("__dlpack_device__")();
    check_device(device[0].cast<int32_t>(), device[1].cast<int32_t>());
  }
  py::object capsule = obj.attr("__dlpack__")();
  MXLITE_CHECK_AS(TypeError, PyCapsule_CheckExact(capsule.ptr()), "from_dlpack",
                  "__dlpack__() did not return a PyCapsule");
  return from_capsule(capsule);
}

// Array API: x.__dlpack__(*, stream=None, max_version=None, dl_device=None, copy=None).
py::capsule dunder_dlpack(const NDArray& a, py::handle stream, py::handle max_version, py::handle dl_device,
                          py::handle copy) {
  if (!stream.is_none())
    throw ValueError("__dlpack__",
                     concat("stream must be None for CPU arrays, got ", py::repr(stream).cast<std::string>()));
  if (!dl_device.is_none()) {
    py::tuple d = py::reinterpret_borrow<py::tuple>(dl_device);
    if (d.size() != 2 || d[0].cast<int32_t>() != kDLCPU)
      throw py::buffer_error("__dlpack__: mxlite arrays can be exported to the CPU only, got dl_device=" +
                             py::repr(dl_device).cast<std::string>());
  }
  const NDArray data = !copy.is_none() && copy.cast<bool>() ? a.copy() : a;
  // A consumer that reads DLPack 1.x gets a versioned capsule (NumPy makes
  // arrays from legacy capsules read-only); others the legacy one.
  const bool versioned = !max_version.is_none() && py::reinterpret_borrow<py::tuple>(max_version)[0].cast<int>() >= 1;
  return versioned ? to_dlpack<DLManagedTensorVersioned>(data) : to_dlpack<DLManagedTensor>(data);
}

template <class F> void bind_methods(py::handle cls_handle) {
  py::object cls = py::reinterpret_borrow<py::object>(cls_handle);
  auto export_ = [](const F& self) { return to_dlpack<DLManagedTensor>(self.a); };
  cls.attr("to_dlpack_for_read") =
      py::cpp_function(export_, py::name("to_dlpack_for_read"), py::is_method(cls),
                       "A DLPack capsule ('dltensor') sharing this array's memory, for reading.");
  cls.attr("to_dlpack_for_write") =
      py::cpp_function(export_, py::name("to_dlpack_for_write"), py::is_method(cls),
                       "A DLPack capsule ('dltensor') sharing this array's memory, for writing.");
  cls.attr("__dlpack__") = py::cpp_function(
      [](const F& self, py::handle stream, py::handle max_version, py::handle dl_device, py::handle copy) {
        return dunder_dlpack(self.a, stream, max_version, dl_device, copy);
      },
      py::name("__dlpack__"), py::is_method(cls), py::kw_only(), py::arg("stream") = py::none(),
      py::arg("max_version") = py::none(), py::arg("dl_device") = py::none(), py::arg("copy") = py::none(),
      "The array as a DLPack capsule sharing its memory (Array API protocol).");
  cls.attr("__dlpack_device__") = py::cpp_function([](const F&) { return py::make_tuple(static_cast<int>(kDLCPU), 0); },
                                                   py::name("__dlpack_device__"), py::is_method(cls),
                                                   "(device type, device id) in DLPack's numbering: (1, 0), the CPU.");
}

}  // namespace

void bind_dlpack(py::module_& m) {
  py::module_ nd_mod = m.attr("nd");
  nd_mod.def("from_dlpack", [](py::handle obj) { return wrap(from_dlpack(obj), Face::Nd); }, py::arg("dlpack"));
  nd_mod.def(
      "to_dlpack",
      [](py::handle data, const char* fn) {
        const NDArray* a = as_array(data);
        if (!a)
          throw TypeError(fn, concat("expected an NDArray, got ",
                                     py::str(py::type::of(data).attr("__name__")).cast<std::string>()));
        return to_dlpack<DLManagedTensor>(*a);
      },
      py::arg("data"), py::arg("function"));
  bind_methods<NdArray>(py::handle(reinterpret_cast<PyObject*>(nd_type)));
  bind_methods<NpArray>(py::handle(reinterpret_cast<PyObject*>(np_type)));
}

}  // namespace bind
}  // namespace mxlite
