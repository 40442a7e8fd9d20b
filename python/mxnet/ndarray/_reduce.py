"""Legacy ``mxnet.ndarray`` reductions: max/min/prod with ``exclude``,
argmax/argmin (positions in the input's dtype), norm (ord 1 or 2) and cumsum.
A full reduction gives shape (1,), as in MXNet 1.x."""
from .. import _core

__all__ = ["max", "min", "prod", "argmax", "argmin", "norm", "cumsum"]

_f = _core.nd


def max(data, axis=None, keepdims=False, exclude=False, **kwargs):
    return _f.max(data, axis, keepdims, exclude)


def min(data, axis=None, keepdims=False, exclude=False, **kwargs):
    return _f.min(data, axis, keepdims, exclude)


def prod(data, axis=None, keepdims=False, exclude=False, **kwargs):
    return _f.prod(data, axis, None, keepdims, exclude)


def argmax(data, axis=None, keepdims=False, **kwargs):
    """Position of the first largest element along ``axis`` (an int or None),
    in the input's dtype (float32 for float32 data)."""
    return _f.argmax(data, axis, keepdims)


def argmin(data, axis=None, keepdims=False, **kwargs):
    return _f.argmin(data, axis, keepdims)


def norm(data, ord=2, axis=None, keepdims=False, **kwargs):
    """The elementwise 1- or 2-norm over ``axis`` (all axes by default)."""
    return _f.norm(data, ord, axis, keepdims)


def cumsum(a, axis=None, dtype=None, **kwargs):
    return _f.cumsum(a, axis, dtype)
