"""Legacy ``mxnet.ndarray`` reductions: sum/mean/max/min/prod with ``axis``
(None, an int or a tuple; an empty tuple means every axis), ``keepdims`` and
``exclude`` (reduce over the other axes), argmax/argmin (positions in the
input's dtype), norm (ord 1 or 2) and cumsum. A full reduction gives shape
(1,), and dtypes follow MXNet 1.x: a bool sum or product is bool, an integral
mean integral (truncated). Keyword arguments MXNet does not know raise, as in
MXNet; ``out=`` raises NotSupportedError (not implemented); ``name=`` is taken
and ignored (it names a symbol in MXNet)."""
from .. import _core
from ..base import MXNetError, unsupported_argument

__all__ = ["sum", "mean", "max", "min", "prod", "argmax", "argmin", "norm", "cumsum"]

_f = _core.nd


def _check_kwargs(function, kwargs):
    if kwargs.get("out") is not None:
        unsupported_argument(function, "out")
    unknown = sorted(k for k in kwargs if k not in ("out", "name"))
    if unknown:
        raise MXNetError(f"{function}: cannot find argument '{unknown[0]}'")


def sum(data, axis=None, keepdims=False, exclude=False, **kwargs):
    _check_kwargs("sum", kwargs)
    return _f.sum(data, axis, keepdims, exclude)


def mean(data, axis=None, keepdims=False, exclude=False, **kwargs):
    _check_kwargs("mean", kwargs)
    return _f.mean(data, axis, keepdims, exclude)


def max(data, axis=None, keepdims=False, exclude=False, **kwargs):
    _check_kwargs("max", kwargs)
    return _f.max(data, axis, keepdims, exclude)


def min(data, axis=None, keepdims=False, exclude=False, **kwargs):
    _check_kwargs("min", kwargs)
    return _f.min(data, axis, keepdims, exclude)


def prod(data, axis=None, keepdims=False, exclude=False, **kwargs):
    _check_kwargs("prod", kwargs)
    return _f.prod(data, axis, keepdims, exclude)


def argmax(data, axis=None, keepdims=False, **kwargs):
    """Position of the first largest element along ``axis`` (an int or None),
    in the input's dtype (float32 for float32 data)."""
    _check_kwargs("argmax", kwargs)
    return _f.argmax(data, axis, keepdims)


def argmin(data, axis=None, keepdims=False, **kwargs):
    _check_kwargs("argmin", kwargs)
    return _f.argmin(data, axis, keepdims)


def norm(data, ord=2, axis=None, keepdims=False, **kwargs):
    """The elementwise 1- or 2-norm over ``axis`` (all axes by default)."""
    _check_kwargs("norm", kwargs)
    return _f.norm(data, ord, axis, keepdims)


def cumsum(a, axis=None, dtype=None, **kwargs):
    _check_kwargs("cumsum", kwargs)
    return _f.cumsum(a, axis, dtype)
