"""Saving and loading ``mxnet.numpy`` arrays in MXNet's binary file format
(``npx.save``, ``npx.load``): the engine's one reader/writer (``mxlite/io.h``),
the same format as ``nd.save``, used under NumPy semantics."""

from .. import _core
from ..numpy import ndarray
from ..util import is_np_array, is_np_shape

__all__ = ["save", "load"]


def _check_np_semantics(verb):
    if not (is_np_shape() and is_np_array()):
        raise ValueError(
            f"Cannot {verb} `mxnet.numpy.ndarray` in legacy mode. Please activate numpy semantics by calling "
            "`npx.set_np()` in the global scope before calling this function."
        )


def save(file, arr):
    """Saves an ndarray, a list of ndarrays or a dict of str -> ndarray to the file ``file``.

    Only under NumPy semantics (``npx.set_np()``), as in MXNet: the file marks
    the arrays as saved under NumPy shape semantics, so 0-d and zero-size
    arrays are kept, and MXNet loads it with ``npx.load`` (or ``nd.load``
    under those semantics). Legacy ``NDArray``s are refused.
    """
    _check_np_semantics("save")
    if isinstance(arr, ndarray):
        arr = [arr]
    if isinstance(arr, dict):
        names, arrays = list(arr.keys()), list(arr.values())
        if any(not isinstance(k, str) for k in names) or any(not isinstance(v, ndarray) for v in arrays):
            raise TypeError("Only accepts dict str->ndarray or list of ndarrays")
    elif isinstance(arr, list):
        names, arrays = [], arr
        if any(not isinstance(v, ndarray) for v in arrays):
            raise TypeError("Only accepts dict str->ndarray or list of ndarrays")
    else:
        raise ValueError("data needs to either be a ndarray, dict of (str, ndarray) pairs or a list of ndarrays.")
    if not isinstance(file, str):
        # MXNet 1.9.1 fails here encoding the name: the same exception type.
        raise AttributeError(f"save: file must be a str, got {type(file).__name__}")
    _core.io.save(file, arrays, names, True)


def load(file):
    """Loads the arrays of an MXNet NDArray file as ``mxnet.numpy`` arrays (see ``save``).

    Only under NumPy semantics, as in MXNet. Returns a list of ndarrays, or a
    dict of str -> ndarray when the file holds names. Files saved outside
    NumPy shape semantics (``nd.save`` by default) are refused, as MXNet
    refuses them; sparse arrays and dtypes mxlite lacks raise MXNetError
    naming the array.
    """
    _check_np_semantics("load")
    if not isinstance(file, str):
        raise TypeError("file required to be a string")
    names, arrays = _core.io.load(file, True, True)
    return dict(zip(names, arrays)) if names else arrays
