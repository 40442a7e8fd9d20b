"""Checks for the arguments of MXNet's signatures that mxlite accepts but does
not implement: each raises naming the function and the argument, so that no
argument is ever silently ignored."""

from .base import NotSupportedError, unsupported_argument
from .context import Context


def no_out(function, out):
    """``out=`` (writing into a given array) is not implemented yet."""
    if out is not None:
        unsupported_argument(function, "out")


def into(function, result, out):
    """``result``, or ``out`` holding it (MXNet's out=: same shape and dtype,
    else an error naming ``function``; recorded, so gradients flow through it)."""
    if out is None:
        return result
    from . import _core

    face = _core.np if isinstance(out, _core.ndarray) else _core.nd
    return face.copy(result, out, function)


def cpu_only(function, ctx=None, device=None):
    """``ctx``/``device`` may name the CPU (mxlite's only device)."""
    for name, value in (("ctx", ctx), ("device", device)):
        if value is None:
            continue
        if isinstance(value, str):
            value = Context(value.split("(")[0], 0)
        if not isinstance(value, Context) or value.device_type != "cpu":
            raise NotSupportedError(f"{function}: {name}={value!r} is not supported: mxlite computes on the CPU only")


def c_order(function, order):
    """Only row-major (C) layouts exist; 'K' and 'A' keep them, as in NumPy."""
    if order not in ("C", "K", "A", None):
        unsupported_argument(function, "order", order)


def no_kwargs(function, kwargs, harmless=("name", "cudnn_off", "cudnn_tune", "workspace", "attr")):
    """MXNet operators take ``**kwargs``; those that change nothing on the CPU
    in imperative mode (a symbol name, cuDNN switches) are accepted, any other
    keyword raises TypeError as an unknown keyword of a Python function does."""
    unknown = sorted(k for k in kwargs if k not in harmless)
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword argument(s): {', '.join(unknown)}")
