"""Reductions of ``mxnet.numpy``: sum, mean, prod, max/min (amax/amin),
argmax/argmin, std/var, all/any and cumsum, with MXNet's signatures (positional
order included) plus NumPy's ``initial=`` and ``where=`` keywords.

``initial`` is honoured by sum, prod, max and min as in NumPy (MXNet 1.9.1
raises "initial is not supported yet"): the value joins the reduction, also an
empty one, converted to the result dtype. ``out=`` (not None) and ``where=``
(other than True) raise ``NotSupportedError``: mxlite does not implement them."""
import numpy as _onp

from .. import _core
from ..base import unsupported_argument

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var", "all", "any",
           "cumsum"]

_f = _core.np


def _refuse(function, out=None, where=None):
    """Raises for the arguments mxlite accepts in the signature but does not implement."""
    if out is not None:
        unsupported_argument(function, "out")
    if where is not None and where is not True:
        unsupported_argument(function, "where")


def sum(a, axis=None, dtype=None, keepdims=False, initial=None, out=None, where=None):
    """Sum over ``axis`` (None, an int or a tuple). The dtype is kept (bool sums
    to int64), as in MXNet; ``dtype`` casts the elements first, so the sum
    accumulates in it; ``initial`` is added (converted to the result dtype)."""
    _refuse("sum", out, where)
    return _f.sum(a, axis, dtype, keepdims, initial)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    """Mean over ``axis``: float32 for integral inputs, the input's dtype for
    floating ones. ``dtype`` casts the elements first; an integral ``dtype``
    gives NumPy's integral mean (the sum in that dtype, divided, truncated
    toward zero; an empty one is 0, as in MXNet)."""
    _refuse("mean", out, where)
    return _f.mean(a, axis, dtype, keepdims)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product over ``axis``. Keeps the dtype (bool -> int64); ``dtype`` casts
    the elements first; ``initial`` starts the product. Floating products
    multiply in the input's order, as NumPy does (that order decides where an
    overflow meets a 0)."""
    _refuse("prod", out, where)
    return _f.prod(a, axis, dtype, keepdims, initial)


def max(a, axis=None, keepdims=False, out=None, initial=None, where=None):
    """Largest element over ``axis``; NaN propagates. An empty reduction raises
    MXNetError unless ``initial`` is given (NumPy's semantics)."""
    _refuse("max", out, where)
    return _f.max(a, axis, keepdims, initial)


def min(a, axis=None, keepdims=False, out=None, initial=None, where=None):
    """Smallest element over ``axis``; NaN propagates. An empty reduction raises
    MXNetError unless ``initial`` is given (NumPy's semantics)."""
    _refuse("min", out, where)
    return _f.min(a, axis, keepdims, initial)


amax = max
amin = min


def argmax(a, axis=None, out=None, keepdims=False):
    """int64 position of the first largest element along ``axis`` (None: of the flattened array)."""
    _refuse("argmax", out)
    return _f.argmax(a, axis, keepdims)


def argmin(a, axis=None, out=None, keepdims=False):
    """int64 position of the first smallest element along ``axis`` (None: of the flattened array)."""
    _refuse("argmin", out)
    return _f.argmin(a, axis, keepdims)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
    """Standard deviation, dividing by ``n - ddof`` (float32 for integral inputs;
    computed in ``dtype`` when given: float32 or float64). The gradient is 0
    where the deviation is 0 (a single value, a length-1 axis)."""
    _refuse("std", out, where)
    _check_moment_dtype("std", dtype)
    return _f.std(a, axis, dtype, ddof, keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
    """Variance, dividing by ``n - ddof`` (float32 for integral inputs; computed
    in ``dtype`` when given: float32 or float64)."""
    _refuse("var", out, where)
    _check_moment_dtype("var", dtype)
    return _f.var(a, axis, dtype, ddof, keepdims)


def _check_moment_dtype(function, dtype):
    # NumPy's std/var in an integral dtype truncate the mean and each squared
    # deviation, MXNet's give other values again: mxlite computes in floats only.
    if dtype is not None and _onp.dtype(dtype).kind != "f":
        unsupported_argument(function, "dtype", str(_onp.dtype(dtype)))


def all(a, axis=None, keepdims=False, out=None, where=None):
    """Whether every element over ``axis`` is non-zero (bool)."""
    _refuse("all", out, where)
    return _f.all(a, axis, keepdims)


def any(a, axis=None, keepdims=False, out=None, where=None):
    """Whether any element over ``axis`` is non-zero (bool)."""
    _refuse("any", out, where)
    return _f.any(a, axis, keepdims)


def cumsum(a, axis=None, dtype=None, out=None):
    """Inclusive cumulative sum along ``axis`` (None: of the flattened array);
    keeps the dtype (bool -> int64) unless ``dtype`` is given, in which the
    sum accumulates. Integers wrap on overflow, as in NumPy."""
    _refuse("cumsum", out)
    return _f.cumsum(a, axis, dtype)
