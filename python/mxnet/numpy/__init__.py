"""``mxnet.numpy``: NumPy-compatible arrays with autograd (``from mxnet import np``).

As in MXNet, arrays built from Python numbers default to float32 and results
of reductions and scalar indexing are 0-d arrays.
"""

import numpy as _onp

from .. import _api, _core
from .._args import c_order, cpu_only, into
from ..base import unsupported_argument
from .multiarray import ndarray
from . import random
from . import linalg
from ._indexing import *  # noqa: F401,F403
from ._shape import *  # noqa: F401,F403
from ._linalg import *  # noqa: F401,F403
from ._elementwise import *  # noqa: F401,F403
from .fallback import *  # noqa: F401,F403  (functions MXNet serves through official NumPy)
from ._composed import *  # noqa: F401,F403
from ._more import *  # noqa: F401,F403

# dtypes are NumPy's own, as in MXNet.
float16, float32, float64, int8, int32, int64, uint8 = (
    _onp.float16,
    _onp.float32,
    _onp.float64,
    _onp.int8,
    _onp.int32,
    _onp.int64,
    _onp.uint8,
)
bool_ = _onp.bool_
dtype = _onp.dtype
newaxis = None
pi, e, inf, nan = _onp.pi, _onp.e, _onp.inf, _onp.nan
NAN = NaN = nan
PINF, NINF, PZERO, NZERO = inf, -inf, 0.0, -0.0
bool = bool  # noqa: A001,PLW0127  (MXNet's np.bool is Python's bool)
finfo = _onp.finfo

# MXNet re-exports these NumPy functions unchanged: they return Python values.
array_equiv = _onp.array_equiv
array_equal = _onp.array_equal
allclose = _onp.allclose

_f = _core.np
zeros_like, ones_like, broadcast_to = _f.zeros_like, _f.ones_like, _f.broadcast_to
_api.export(globals(), "np")  # the table-built functions (mxnet/_api)
transpose = _f.transpose


def array(object, dtype=None, ctx=None, device=None):
    """A new array from an array-like (float32 from Python numbers; a NumPy
    array keeps its dtype)."""
    with cpu_only("array", ctx, device):
        return _f.array(object, dtype)


def asarray(obj, dtype=None, ctx=None, device=None):
    """Like ``array`` but returns an mxnet array unchanged when no cast is needed."""
    with cpu_only("asarray", ctx, device):
        if isinstance(obj, ndarray) and (dtype is None or _onp.dtype(dtype) == obj.dtype):
            return obj
        return _f.array(obj, dtype)


def zeros(shape, dtype=None, order="C", ctx=None, device=None):
    """A new array of zeros (float32 unless ``dtype`` is given)."""
    c_order("zeros", order)
    with cpu_only("zeros", ctx, device):
        return _f.zeros(shape, dtype)


def ones(shape, dtype=None, order="C", ctx=None, device=None):
    """A new array of ones (float32 unless ``dtype`` is given)."""
    c_order("ones", order)
    with cpu_only("ones", ctx, device):
        return _f.ones(shape, dtype)


def full(shape, fill_value, dtype=None, order="C", ctx=None, out=None, device=None):
    """A new array filled with ``fill_value`` (float32 unless ``dtype`` is given;
    bool for a bool fill value, as MXNet)."""
    c_order("full", order)
    with cpu_only("full", ctx, device):
        if dtype is None and isinstance(fill_value, (bool, _onp.bool_)):
            dtype = bool_  # MXNet: a bool fill value makes a bool array
        return into("full", _f.full(shape, fill_value, dtype), out)


def arange(start, stop=None, step=1, dtype=None, ctx=None, device=None):
    """Evenly spaced values in [start, stop) (float32 unless ``dtype`` is given)."""
    with cpu_only("arange", ctx, device):
        return _f.arange(start, stop, step, dtype)


def dot(a, b, out=None):
    """NumPy's dot: inner, matrix or tensor product over the last/second-to-last axes."""
    return into("dot", _f.dot(a, b), out)


def reshape(a, newshape, order="C"):
    """A view of ``a`` with shape ``newshape`` (one -1 is inferred)."""
    if order != "C":
        unsupported_argument("reshape", "order", order)
    return _f.reshape(a, newshape)
