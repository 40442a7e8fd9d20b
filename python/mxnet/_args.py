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


def _cpu_context(function, name, value):
    if isinstance(value, str):  # "cpu", "cpu(1)", "cpu:1"
        kind, _, rest = value.partition("(") if "(" in value else value.partition(":")
        value = Context(kind, int(rest.rstrip(")") or 0))
    if not isinstance(value, Context) or value.device_type != "cpu":
        raise NotSupportedError(f"{function}: {name}={value!r} is not supported: mxlite computes on the CPU only")
    return value


class _Placed:
    """Arrays created inside go to the given CPU context (MXNet's ctx=)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def __enter__(self):
        if self.ctx is not None:
            self.ctx.__enter__()
        return self

    def __exit__(self, *exc):
        if self.ctx is not None:
            self.ctx.__exit__(*exc)
        return False


def cpu_only(function, ctx=None, device=None):
    """``ctx``/``device`` may name a CPU context; used as ``with cpu_only(...):``
    around the creation, it places the new arrays there."""
    chosen = None
    for name, value in (("ctx", ctx), ("device", device)):
        if value is not None:
            chosen = _cpu_context(function, name, value)
    return _NOT_PLACED if chosen is None else _Placed(chosen)


_NOT_PLACED = _Placed(None)  # shared: a creation without ctx= allocates nothing extra


def place(array, ctx, function, always_copy=False):
    """``array`` on CPU context ``ctx``: itself if already there (unless
    ``always_copy``), else a recorded copy."""
    ctx = _cpu_context(function, "ctx", ctx)
    if not always_copy and array._device_id == ctx.device_id:
        return array
    return array._copy_to(int(ctx.device_id))


def c_order(function, order):
    """Only row-major (C) layouts exist; 'K' and 'A' keep them, as in NumPy."""
    if order not in ("C", "K", "A", None):
        unsupported_argument(function, "order", order)


def no_kwargs(function, kwargs, harmless=("name", "cudnn_off", "cudnn_tune", "workspace", "attr")):
    """MXNet operators take ``**kwargs``; those that change nothing on the CPU
    in imperative mode (a symbol name, cuDNN switches) are accepted, any other
    keyword raises TypeError as an unknown keyword of a Python function does."""
    if not kwargs:
        return
    unknown = sorted(k for k in kwargs if k not in harmless)
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword argument(s): {', '.join(unknown)}")
