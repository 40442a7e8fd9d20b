"""DLPack: sharing arrays with other frameworks without copying (CPU memory).
``to_dlpack_for_read`` / ``to_dlpack_for_write`` give a PyCapsule named
"dltensor" that keeps the array alive until a consumer takes it over;
``from_dlpack`` makes an NDArray over such a capsule's memory or over any
object with ``__dlpack__`` (NumPy arrays, PyTorch CPU tensors, ...), the
producer's memory staying alive until the NDArray and its views are gone.
Arrays also have ``__dlpack__`` / ``__dlpack_device__``, so
``numpy.from_dlpack(x)`` shares an mxnet array's memory. mxlite runs
synchronously, so the read and write forms are the same capsule; writes made
through a consumer bypass autograd's check for arrays changed in place."""

from .. import _core

__all__ = ["from_dlpack", "to_dlpack_for_read", "to_dlpack_for_write"]


def from_dlpack(dlpack):
    """An NDArray sharing the memory of ``dlpack``: a PyCapsule named
    "dltensor" (consumed: a capsule can be used once) or an object with
    ``__dlpack__``. Only compact row-major CPU tensors of mxlite's dtypes are
    accepted; others raise, naming what is wrong."""
    return _core.nd.from_dlpack(dlpack)


def to_dlpack_for_read(data):
    """A DLPack capsule ("dltensor") sharing ``data``'s memory, for reading."""
    return _core.nd.to_dlpack(data, "to_dlpack_for_read")


def to_dlpack_for_write(data):
    """A DLPack capsule ("dltensor") sharing ``data``'s memory, for writing."""
    return _core.nd.to_dlpack(data, "to_dlpack_for_write")
