"""Reductions of ``mxnet.numpy`` beyond sum/mean: prod, max/min (amax/amin),
argmax/argmin, std/var, all/any and cumsum, with NumPy's signatures."""
from .. import _core

__all__ = ["prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var", "all", "any", "cumsum"]

_f = _core.np


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product over ``axis`` (int, tuple or None). Keeps the dtype (bool -> int64);
    ``dtype`` casts the input first."""
    return _f.prod(a, axis, dtype, keepdims)


def max(a, axis=None, keepdims=False, out=None):
    """Largest element over ``axis``; NaN propagates; an empty reduction raises MXNetError."""
    return _f.max(a, axis, keepdims)


def min(a, axis=None, keepdims=False, out=None):
    """Smallest element over ``axis``; NaN propagates; an empty reduction raises MXNetError."""
    return _f.min(a, axis, keepdims)


amax = max
amin = min


def argmax(a, axis=None, out=None, keepdims=False):
    """int64 position of the first largest element along ``axis`` (None: of the flattened array)."""
    return _f.argmax(a, axis, keepdims)


def argmin(a, axis=None, out=None, keepdims=False):
    """int64 position of the first smallest element along ``axis`` (None: of the flattened array)."""
    return _f.argmin(a, axis, keepdims)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Standard deviation, dividing by ``n - ddof`` (float32 for integral inputs)."""
    return _f.std(a, axis, dtype, ddof, keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Variance, dividing by ``n - ddof`` (float32 for integral inputs)."""
    return _f.var(a, axis, dtype, ddof, keepdims)


def all(a, axis=None, keepdims=False, out=None):
    """Whether every element over ``axis`` is non-zero (bool)."""
    return _f.all(a, axis, keepdims)


def any(a, axis=None, keepdims=False, out=None):
    """Whether any element over ``axis`` is non-zero (bool)."""
    return _f.any(a, axis, keepdims)


def cumsum(a, axis=None, dtype=None, out=None):
    """Inclusive cumulative sum along ``axis`` (None: of the flattened array);
    keeps the dtype (bool -> int64) unless ``dtype`` is given."""
    return _f.cumsum(a, axis, dtype)
