"""DLPack: zero-copy exchange with NumPy (and PyTorch when installed) both
ways, MXNet's capsule functions (to_dlpack_for_read/write, from_dlpack, a
capsule consumed once), shared memory, lifetimes (the producer's memory
outlives the producer, the deleter runs once when mxlite lets go), dtypes,
strides and devices."""

import ctypes
import gc
import weakref

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd
from mxnet.base import MXNetError

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float32", "float64"]


def values(dtype, shape=(2, 3)):
    return (onp.arange(onp.prod(shape)).reshape(shape) % 5).astype(dtype)


# ---- mxnet -> numpy ------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("face", ["nd", "np"])
def test_numpy_reads_mxnet_arrays_without_copy(face, dtype):
    a = values(dtype)
    x = nd.array(a, dtype=dtype) if face == "nd" else mx.np.array(a, dtype=dtype)
    assert x.__dlpack_device__() == (1, 0)
    y = onp.from_dlpack(x)
    assert y.dtype == onp.dtype(dtype) and y.shape == (2, 3)
    assert (y == a).all()
    y[0, 0] = 1 if dtype == "bool" else 4  # write through NumPy, see it in mxnet
    assert x.asnumpy()[0, 0] == y[0, 0]
    x[1, 2] = 1 if dtype == "bool" else 3  # and the other way
    assert y[1, 2] == x.asnumpy()[1, 2]


def test_exported_memory_outlives_the_mxnet_array():
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    y = onp.from_dlpack(x)
    del x
    gc.collect()
    mx.nd.zeros((1000,))  # reuse of freed memory would show up as changed values
    assert y.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_views_and_special_shapes_export():
    base = nd.array(onp.arange(12.0).reshape(3, 4))
    rows = base[1:]  # a view with an offset into the storage
    assert onp.from_dlpack(rows).tolist() == onp.arange(4.0, 12.0).reshape(2, 4).tolist()
    scalar = mx.np.array(5.0)
    assert onp.from_dlpack(scalar).shape == () and float(onp.from_dlpack(scalar)) == 5.0
    assert onp.from_dlpack(nd.zeros((0, 3))).shape == (0, 3)


def test_dunder_dlpack_arguments():
    x = nd.array([1.0, 2.0])
    copied = onp.from_dlpack(_Holder(x.__dlpack__(copy=True, max_version=(1, 0))))
    copied[0] = 9
    assert x.asnumpy().tolist() == [1.0, 2.0]  # copy=True shares nothing
    shared = onp.from_dlpack(_Holder(x.__dlpack__(copy=False, max_version=(1, 0), dl_device=(1, 0))))
    shared[0] = 7
    assert x.asnumpy()[0] == 7
    assert '"dltensor_versioned"' in repr(x.__dlpack__(max_version=(1, 1)))  # writable in NumPy
    legacy = onp.from_dlpack(_Holder(x.__dlpack__()))  # NumPy makes legacy capsules read-only
    assert legacy[0] == 7 and not legacy.flags.writeable
    with pytest.raises(ValueError, match="__dlpack__: stream must be None"):
        x.__dlpack__(stream=1)
    with pytest.raises(BufferError, match="CPU only"):
        x.__dlpack__(dl_device=(2, 0))
    with pytest.raises(TypeError):
        x.__dlpack__(None)  # keyword-only, as in the Array API


class _Holder:
    """An object whose __dlpack__ hands out a given capsule (NumPy takes objects, not capsules)."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)


# ---- numpy -> mxnet ------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_mxnet_shares_numpy_memory(dtype):
    a = values(dtype)
    x = nd.from_dlpack(a)
    assert isinstance(x, nd.NDArray) and x.dtype == onp.dtype(dtype) and x.shape == (2, 3)
    assert (x.asnumpy() == a).all()
    a[0, 1] = 1 if dtype == "bool" else 4
    assert x.asnumpy()[0, 1] == a[0, 1]
    x[1, 0] = 1 if dtype == "bool" else 2
    assert a[1, 0] == x.asnumpy()[1, 0]
    # Through the capsule NumPy's __dlpack__ returns, too.
    z = nd.from_dlpack(a.__dlpack__())
    z[0, 0] = 1
    assert a[0, 0] == 1


def test_numpy_memory_lives_as_long_as_mxnet_uses_it():
    a = onp.arange(6.0).reshape(2, 3)
    alive = weakref.ref(a)
    x = nd.from_dlpack(a)
    del a
    gc.collect()
    assert alive() is not None  # the producer is kept alive by mxlite
    view = x[1:]
    del x
    gc.collect()
    assert alive() is not None  # ... also by a view
    assert view.asnumpy().tolist() == [[3.0, 4.0, 5.0]]
    y = view * 2  # computing on it works as on any array
    assert y.asnumpy().tolist() == [[6.0, 8.0, 10.0]]
    del view
    gc.collect()
    assert alive() is None  # the deleter ran: NumPy's array is freed


def test_numpy_layouts():
    a = onp.arange(12.0).reshape(3, 4)
    assert nd.from_dlpack(a[1:]).asnumpy().tolist() == a[1:].tolist()  # an offset: fine
    assert nd.from_dlpack(a[:, 1:2][:1]).asnumpy().tolist() == [[1.0]]  # extent-1 axes' strides do not matter
    with pytest.raises(MXNetError, match=r"from_dlpack: only compact row-major tensors.*\(3, 1\).*\(4, 1\)"):
        nd.from_dlpack(a[:, :1])
    with pytest.raises(MXNetError, match="from_dlpack: only compact row-major tensors.*strides"):
        nd.from_dlpack(a[:, ::2])
    with pytest.raises(MXNetError, match="from_dlpack: only compact row-major"):
        nd.from_dlpack(a.T)
    assert nd.from_dlpack(onp.array(3.5, dtype="float32")).shape == ()
    assert nd.from_dlpack(onp.zeros((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("dtype", ["int16", "uint16", "complex64", "uint32"])
def test_unsupported_dtypes_raise(dtype):
    with pytest.raises(TypeError, match="from_dlpack: the DLPack dtype .* is not supported"):
        nd.from_dlpack(onp.zeros(3, dtype=dtype))


# ---- MXNet's capsule functions -----------------------------------------------------
def test_capsule_round_trip_shares_memory():
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    for export in (nd.to_dlpack_for_read, nd.to_dlpack_for_write, nd.NDArray.to_dlpack_for_write):
        capsule = export(x)
        assert type(capsule).__name__ == "PyCapsule" and '"dltensor"' in repr(capsule)
        y = nd.from_dlpack(capsule)
        assert '"used_dltensor"' in repr(capsule)
        assert y.asnumpy().tolist() == x.asnumpy().tolist()
        y += 1
    assert x.asnumpy().tolist() == [[4, 5, 6], [7, 8, 9]]
    capsule = mx.np.ones(2).to_dlpack_for_read()
    assert type(nd.from_dlpack(capsule)) is nd.NDArray  # from_dlpack always gives the legacy NDArray
    with pytest.raises(ValueError, match="from_dlpack: the DLPack capsule was already consumed"):
        nd.from_dlpack(capsule)


def test_capsule_keeps_the_array_alive():
    x = nd.array([1.0, 2.0, 3.0])
    capsule = nd.to_dlpack_for_read(x)
    del x
    gc.collect()
    nd.zeros((3,))
    assert nd.from_dlpack(capsule).asnumpy().tolist() == [1.0, 2.0, 3.0]
    unused = nd.to_dlpack_for_write(nd.array([1.0]))
    del unused  # an unconsumed capsule frees its tensor without crashing
    gc.collect()


def test_bad_arguments():
    with pytest.raises(TypeError, match="from_dlpack: expected a DLPack capsule or an object with __dlpack__, got int"):
        nd.from_dlpack(3)
    with pytest.raises(TypeError, match="to_dlpack_for_read: expected an NDArray, got list"):
        nd.to_dlpack_for_read([1, 2])

    class OnGpu:
        def __dlpack__(self, **kwargs):
            raise AssertionError("not called for a non-CPU device")

        def __dlpack_device__(self):
            return (2, 0)

    with pytest.raises(ValueError, match="from_dlpack: the tensor lives on a CUDA device.*CPU memory only"):
        nd.from_dlpack(OnGpu())


# ---- hand-made capsules: devices, versions, the deleter ------------------------------------
class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("device", DLDevice),
        ("ndim", ctypes.c_int32),
        ("dtype", DLDataType),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
        ("byte_offset", ctypes.c_uint64),
    ]


class DLManagedTensor(ctypes.Structure):
    pass


DELETER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
DLManagedTensor._fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p), ("deleter", DELETER)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [
        ("major", ctypes.c_uint32),
        ("minor", ctypes.c_uint32),
        ("manager_ctx", ctypes.c_void_p),
        ("deleter", DELETER),
        ("flags", ctypes.c_uint64),
        ("dl_tensor", DLTensor),
    ]


_new_capsule = ctypes.pythonapi.PyCapsule_New
_new_capsule.restype = ctypes.py_object
_new_capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]


class HandMade:
    """A float64 buffer exported through a hand-built DLManagedTensor whose
    deleter counts its calls."""

    def __init__(self, device_type=1, strides=None, versioned=False, flags=0, byte_offset=0):
        self.buffer = (ctypes.c_double * 7)(*range(7))  # one spare for byte_offset
        self.shape = (ctypes.c_int64 * 2)(2, 3)
        self.strides = None if strides is None else (ctypes.c_int64 * 2)(*strides)
        self.deleted = 0
        self.deleter = DELETER(self._delete)
        t = DLTensor(
            ctypes.cast(self.buffer, ctypes.c_void_p), DLDevice(device_type, 0), 2, DLDataType(2, 64, 1),
            self.shape, self.strides, byte_offset,
        )  # fmt: skip
        if versioned:
            self.managed = DLManagedTensorVersioned(1, 0, None, self.deleter, flags, t)
            name = b"dltensor_versioned"
        else:
            self.managed = DLManagedTensor(t, None, self.deleter)
            name = b"dltensor"
        self.capsule = _new_capsule(ctypes.addressof(self.managed), name, None)

    def _delete(self, ptr):
        assert ptr == ctypes.addressof(self.managed)
        self.deleted += 1


@pytest.mark.parametrize("versioned", [False, True])
def test_deleter_runs_once_when_mxnet_lets_go(versioned):
    h = HandMade(versioned=versioned)
    x = nd.from_dlpack(h.capsule)
    assert x.asnumpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    x[0, 0] = 10
    assert h.buffer[0] == 10  # zero-copy
    y = x.reshape((3, 2))
    del x
    gc.collect()
    assert h.deleted == 0  # the reshaped view still uses the memory
    del y
    gc.collect()
    assert h.deleted == 1


def test_hand_made_capsule_checks():
    h = HandMade(device_type=2)
    with pytest.raises(ValueError, match="from_dlpack: the tensor lives on a CUDA device"):
        nd.from_dlpack(h.capsule)
    assert h.deleted == 0 and '"dltensor"' in repr(h.capsule)  # refused: not consumed
    h = HandMade(strides=(1, 2))  # column-major
    with pytest.raises(MXNetError, match=r"strides \(1, 2\)"):
        nd.from_dlpack(h.capsule)
    h = HandMade(strides=(3, 1), byte_offset=8)  # explicit compact strides, an offset into the buffer
    assert nd.from_dlpack(h.capsule).asnumpy().ravel().tolist() == [1, 2, 3, 4, 5, 6]
    h = HandMade(device_type=3)  # pinned host memory is CPU memory
    assert nd.from_dlpack(h.capsule).shape == (2, 3)
    h = HandMade()
    h.managed.dl_tensor.data = None
    with pytest.raises(MXNetError, match=r"from_dlpack: the tensor of shape \(2, 3\) has no data"):
        nd.from_dlpack(h.capsule)
    h = HandMade(versioned=True, flags=1)
    with pytest.raises(ValueError, match="from_dlpack: the tensor is read-only"):
        nd.from_dlpack(h.capsule)


def test_torch_round_trip():
    torch = pytest.importorskip("torch")
    t = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    x = nd.from_dlpack(t)
    x[0, 0] = 5
    assert t[0, 0].item() == 5
    u = torch.from_dlpack(x)
    u[1, 1] = 7
    assert x.asnumpy()[1, 1] == 7
