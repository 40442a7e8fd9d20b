"""``mxnet.nd.random``: legacy samplers (``shape=`` instead of ``size=``)."""
from .. import _core

__all__ = ["uniform", "normal"]


def uniform(low=0, high=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    return _core.nd.random_uniform(low, high, shape, dtype)


def normal(loc=0, scale=1, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    return _core.nd.random_normal(loc, scale, shape, dtype)
