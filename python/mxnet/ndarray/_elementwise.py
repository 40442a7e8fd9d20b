"""Legacy ``mxnet.nd`` clip, where and creation functions (the binary operators
``broadcast_*``, ``elemwise_*``, ``lesser``, ``modulo``... come from the table,
mxnet/_api/binary.py)."""

from .. import _core
from .._args import no_kwargs

__all__ = ["clip", "where", "empty", "eye", "linspace"]

_f = _core.nd


def clip(data, a_min, a_max, out=None):
    """Limits values to [a_min, a_max] (mxlite also accepts None for one bound)."""
    if a_min is None and a_max is None:
        raise ValueError("clip: must set either a_max or a_min")
    return _f.clip(data, a_min, a_max, out)


def where(condition, x, y):
    """x where condition is non-zero, else y. As in MXNet 1.x, a 1-D condition
    whose length is x's first extent selects whole rows."""
    if (
        getattr(condition, "ndim", 0) == 1
        and getattr(x, "ndim", 0) > 1
        and condition.shape[0] == x.shape[0]
        and condition.shape != x.shape
    ):
        condition = condition.reshape((condition.shape[0],) + (1,) * (x.ndim - 1))
    return _f.where(condition, x, y)


def empty(shape, ctx=None, dtype=None, stype=None):
    """A new NDArray (mxlite fills it with zeros)."""
    return _f.empty(shape, dtype)


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):
    no_kwargs("eye", kwargs)
    return _f.eye(N, M if M else None, k, dtype)


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=None):
    return _f.linspace(start, stop, int(num), endpoint, dtype)
