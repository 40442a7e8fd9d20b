"""``mxnet.numpy`` where and clip, and creation functions (empty, full_like,
linspace, eye, identity, copy). The unary and binary ufuncs come from the
table (mxnet/_api)."""

import numpy as _onp

from .. import _core
from .._args import c_order, cpu_only, into
from ..base import unsupported_argument

__all__ = [
    "around",
    "round",
    "round_",
    "nonzero",
    "where",
    "clip",
    "empty",
    "empty_like",
    "full_like",
    "linspace",
    "eye",
    "identity",
    "copy",
]

_f = _core.np


def around(x, decimals=0, out=None):
    """``x`` rounded to ``decimals`` decimals, halves to even (NumPy's rule);
    integers round at negative ``decimals`` only. Zero gradient."""
    from .. import numpy as mnp

    decimals = int(decimals)
    if _onp.dtype(x.dtype).kind in "biu":
        if decimals >= 0:
            return mnp.positive(x, out=out)
        scale = 10.0 ** (-decimals)
        rounded = (mnp.rint(x.astype("float64") / scale) * scale).astype(x.dtype)
        return rounded if out is None else mnp.positive(rounded, out=out)
    if decimals == 0:
        return mnp.rint(x, out=out)
    if decimals > 0:
        scale = 10.0**decimals
        return mnp.divide(mnp.rint(x * scale), scale, out=out)
    scale = 10.0 ** (-decimals)
    return mnp.multiply(mnp.rint(x / scale), scale, out=out)


round = around  # noqa: A001  (NumPy's and MXNet's name)
round_ = around


def nonzero(a):
    """The int64 indices of the non-zero elements, one array per axis (not differentiable)."""
    # A 0-d input counts as 1-d, as in NumPy 1.x (which MXNet 1.9.1 follows).
    found = _onp.nonzero(_onp.atleast_1d(a.asnumpy() if hasattr(a, "asnumpy") else _onp.asarray(a)))
    return tuple(_f.array(i, "int64") for i in found)


def where(condition, x=None, y=None):
    """Elements of x where condition is non-zero, else of y (scalars allowed;
    a scalar takes the other branch's dtype); ``where(condition)`` alone is
    ``nonzero(condition)``."""
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    return _f.where(condition, x, y)


def clip(a, a_min, a_max, out=None):
    """Limits values to [a_min, a_max]; either bound may be None."""
    if a_min is None and a_max is None:
        raise ValueError("array_clip: must set either max or min")
    return _f.clip(a, a_min, a_max, out)


def empty(shape, dtype=None, order="C", ctx=None, device=None):
    """A new array (mxlite fills it with zeros)."""
    c_order("empty", order)
    with cpu_only("empty", ctx, device):
        return _f.empty(shape, dtype)


def empty_like(prototype, dtype=None, order="C", subok=False, shape=None):
    """A new array shaped like ``prototype`` (zeros), in its dtype unless given."""
    c_order("empty_like", order)
    if subok:
        unsupported_argument("empty_like", "subok", subok)
    prototype = _f.array(prototype, None) if not hasattr(prototype, "shape") else prototype
    return _f.empty(prototype.shape if shape is None else shape, prototype.dtype if dtype is None else dtype)


def full_like(a, fill_value, dtype=None, order="C", ctx=None, out=None, device=None):
    """An array shaped like ``a`` filled with fill_value, in a's dtype unless given."""
    c_order("full_like", order)
    with cpu_only("full_like", ctx, device):
        return into("full_like", _f.full(a.shape, fill_value, a.dtype if dtype is None else dtype), out)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, ctx=None, device=None):
    """``num`` evenly spaced samples from start to stop (float32 unless ``dtype``)."""
    with cpu_only("linspace", ctx, device):
        if axis != 0:
            unsupported_argument("linspace", "axis", axis)
        result = _f.linspace(start, stop, num, endpoint, dtype)
        if retstep:
            div = num - 1 if endpoint else num
            step = (stop - start) / div if div > 0 else _onp.nan
            return result, step
        return result


def eye(N, M=None, k=0, dtype=None, ctx=None, device=None, **kwargs):
    """An N x M array with ones on diagonal k (float32 unless ``dtype``)."""
    with cpu_only("eye", ctx, device):
        if kwargs.pop("order", "C") != "C":
            unsupported_argument("eye", "order")
        if kwargs:
            raise TypeError(f"eye() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}")
        return _f.eye(N, M, k, dtype)


def identity(n, dtype=None, ctx=None, device=None):
    """The n x n identity matrix."""
    with cpu_only("identity", ctx, device):
        return _f.eye(n, None, 0, dtype)


def copy(a):
    """A new array with the values of ``a`` (gradient passes through)."""
    return _f.copy(a)
