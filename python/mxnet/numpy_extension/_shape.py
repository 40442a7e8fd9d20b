"""Shape helpers of ``npx``."""

import math

from .. import _core
from .. import numpy as _np
from .._args import into
from ..base import MXNetError, unsupported_argument

__all__ = [
    "batch_flatten",
    "reshape",
    "reshape_like",
    "shape_array",
    "cast",
    "nonzero",
    "arange_like",
    "slice",
    "smooth_l1",
]


def batch_flatten(x):
    """Collapses every axis but the first: shape (d0, d1, ..., dn) -> (d0, d1*...*dn)."""
    if x.ndim == 0:
        raise MXNetError("batch_flatten: needs at least 1 dimension, got a 0-d array")
    return _np.reshape(x, (x.shape[0], math.prod(x.shape[1:])))


def reshape(a, newshape, reverse=False, order="C"):
    """A copy of ``a`` with a new shape given by extents and MXNet's codes: -1
    infers one extent, -2 copies one input axis, -3 drops an input axis of
    extent 1, -4 copies the remaining axes, -5 merges two input axes, -6 splits
    one input axis into the next two entries (one may be -1). ``reverse=True``
    matches the codes from the right."""
    if order != "C":
        unsupported_argument("reshape", "order", order)
    if isinstance(newshape, int):
        newshape = (newshape,)
    return _core.np.npx_reshape(a, tuple(newshape), bool(reverse))


def _legacy(fn, *arrays, **kwargs):
    """A legacy nd composition applied to np arrays (same storage, same graph)."""
    return fn(*[a.as_nd_ndarray() for a in arrays], **kwargs).as_np_ndarray()


def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None, out=None, name=None):
    """``lhs`` reshaped to ``rhs``'s shape."""
    from ..ndarray import _composed

    return _legacy(_composed.reshape_like, lhs, rhs, lhs_begin=lhs_begin, lhs_end=lhs_end, rhs_begin=rhs_begin,
                   rhs_end=rhs_end, out=out)  # fmt: skip


def shape_array(data, out=None, name=None):
    """The shape of ``data`` as an int64 array."""
    return into("shape_array", _core.np.array(list(data.shape), "int64"), out)


def cast(data, dtype, out=None, name=None):
    """``data`` converted to ``dtype``."""
    return into("cast", data.astype(dtype), out)


def nonzero(a):
    """The int64 (N, ndim) indices of the N non-zero elements (MXNet's npx.nonzero)."""
    return _np.argwhere(a)


def arange_like(data, start=0.0, step=1.0, repeat=1, ctx=None, axis=None, out=None, name=None):
    """start + step * (i // repeat) for i counting the elements of ``data`` (of its ``axis`` when
    given), shaped like it (float32)."""
    from .._args import cpu_only

    with cpu_only("arange_like", ctx):
        if int(repeat) < 1:
            raise MXNetError(f"arange_like: repeat must be positive, got {repeat}")
        n = data.shape[axis] if axis is not None else data.size
        index = _np.floor_divide(_np.arange(n, dtype="int64"), int(repeat)).astype("float64")
        values = (index * float(step) + float(start)).astype("float32")
        return into("arange_like", values if axis is not None else values.reshape(data.shape), out)


def slice(data, begin, end, step=None, out=None, name=None):  # noqa: A001 - MXNet's name
    """MXNet's slice: ``data[begin[i]:end[i]:step[i]]`` per leading axis (None: the whole axis)."""
    return into("slice", _core.np.slice(data, begin, end, step), out)


def smooth_l1(data, scalar=1.0, out=None, name=None):
    """0.5 (scalar x)^2 where |x| < 1 / scalar^2, else |x| - 0.5 / scalar^2."""
    from ..ndarray import _composed

    if out is not None:
        unsupported_argument("smooth_l1", "out")
    return _legacy(_composed.smooth_l1, data, scalar=scalar)
