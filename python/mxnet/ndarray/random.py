"""``mxnet.nd.random``: legacy samplers (``shape=`` instead of ``size=``)."""

from .. import _core
from .._args import cpu_only, no_kwargs, no_out

__all__ = ["uniform", "normal", "randint", "randn", "shuffle"]


def uniform(low=0, high=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    no_kwargs("uniform", kwargs)
    cpu_only("uniform", ctx)
    no_out("uniform", out)
    return _core.nd.random_uniform(low, high, shape, dtype)


def normal(loc=0, scale=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    no_kwargs("normal", kwargs)
    cpu_only("normal", ctx)
    no_out("normal", out)
    return _core.nd.random_normal(loc, scale, shape, dtype)


def randint(low, high, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Integers uniform in [low, high); int32 unless ``dtype`` is int64 (as MXNet 1.x)."""
    no_kwargs("randint", kwargs)
    cpu_only("randint", ctx)
    no_out("randint", out)
    return _core.nd.random_randint(int(low), int(high), shape, "int32" if dtype is None else dtype)


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, out=None, **kwargs):
    """Standard normal samples (``loc`` + ``scale`` * N(0, 1)) of shape ``shape``, given inline."""
    return normal(loc, scale, shape if shape else (1,), dtype, ctx, out, **kwargs)


def shuffle(data, **kwargs):
    """A copy of ``data`` with its rows (axis 0) in random order (``data`` is unchanged)."""
    no_kwargs("shuffle", kwargs)
    result = data.copy()
    _core.nd.shuffle(result)
    return result
