"""Saving and loading NDArrays in MXNet's binary file format (``nd.save``,
``nd.load``, ``nd.load_frombuffer``), read and written by the engine
(``mxlite/io.h``), so files pass between mxlite, MXNet 1.9.1 and C++ programs."""

from .. import _core
from ..base import MXNetError
from ..util import is_np_shape
from .ndarray import NDArray

__all__ = ["save", "load", "load_frombuffer"]


def _np_ndarray():
    from ..numpy import ndarray  # (mxnet.numpy imports this package)

    return ndarray


def _as_result(names, arrays):
    return dict(zip(names, arrays)) if names else arrays


def save(fname, data):
    """Saves an NDArray, a list of NDArrays or a dict of str -> NDArray to the file ``fname``.

    The file is MXNet's NDArray format (what MXNet 1.9.1 writes for the same
    arrays); ``load`` gives back a list, or a dict when names were saved.
    Under NumPy shape semantics (``npx.set_np()``) the arrays are marked as
    such, and MXNet loads them only under those semantics again; outside them
    a 0-d array cannot be saved (the format reads it as "no array").
    ``mxnet.numpy.ndarray`` arrays are saved with ``npx.save`` instead.

    Examples
    --------
    >>> mx.nd.save('my_dict', {'x': mx.nd.zeros((2, 3)), 'y': mx.nd.ones((1, 4))})
    >>> sorted(mx.nd.load('my_dict'))
    ['x', 'y']
    """
    np_ndarray = _np_ndarray()
    if isinstance(data, (NDArray, np_ndarray)):
        data = [data]
    if isinstance(data, dict):
        names, arrays = list(data.keys()), list(data.values())
        if any(not isinstance(k, str) for k in names) or any(not isinstance(v, (NDArray, np_ndarray)) for v in arrays):
            raise TypeError("save only accept dict str->NDArray or list of NDArray")
    elif isinstance(data, list):
        names, arrays = [], data
        if any(not isinstance(v, (NDArray, np_ndarray)) for v in arrays):
            raise TypeError("save only accept dict str->NDArray or list of NDArray")
    else:
        raise ValueError("data needs to either be a NDArray, dict of str, NDArray pairs or a list of NDarrays.")
    if any(isinstance(v, np_ndarray) for v in arrays):
        raise TypeError("cannot save mxnet.numpy.ndarray using mxnet.ndarray.save; use mxnet.npx.save instead.")
    if not isinstance(fname, str):
        # MXNet 1.9.1 fails here encoding the name: the same exception type.
        raise AttributeError(f"save: fname must be a str, got {type(fname).__name__}")
    _core.io.save(fname, arrays, names, is_np_shape())


def load(fname):
    """Loads the arrays of an MXNet NDArray file ``fname`` (see ``save``).

    Returns a list of NDArray, or a dict of str -> NDArray when the file holds
    names. Arrays saved under NumPy shape semantics load only under them
    (``npx.set_np()`` or ``with mx.np_shape(True)``), the others only outside
    them, as in MXNet. Sparse arrays and dtypes mxlite lacks (int16, bfloat16, ...)
    raise MXNetError naming the array.
    """
    if not isinstance(fname, str):
        raise TypeError("fname required to be a string")
    return _as_result(*_core.io.load(fname, False, is_np_shape()))


def load_frombuffer(buf):
    """Loads the arrays of an MXNet NDArray file from its contents ``buf`` (bytes).

    Returns what ``load`` returns for the file.
    """
    if not isinstance(buf, (str, bytes)):
        raise TypeError("buf required to be a string or bytes")
    if isinstance(buf, str):
        # MXNet 1.9.1 hands a str's wide characters to its reader, which then fails.
        raise MXNetError("load_frombuffer: a str cannot hold the bytes of an NDArray file in Python 3; pass bytes")
    return _as_result(*_core.io.load_from_bytes(buf, False, is_np_shape()))
