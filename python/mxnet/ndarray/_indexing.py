"""Legacy ``mxnet.ndarray`` indexing and ordering operators with MXNet 1.x
defaults: take (axis 0, mode 'clip'), pick, one_hot, topk, sort, argsort
(float32 indices unless ``dtype`` is given)."""

from .. import _core
from .._args import into, no_kwargs

__all__ = ["take", "pick", "one_hot", "topk", "sort", "argsort", "gather_nd", "scatter_nd"]


def take(a, indices, axis=0, mode="clip", **kwargs):
    no_kwargs("take", kwargs)
    return _core.nd.take(a, indices, axis, mode)


def pick(data, index, axis=-1, keepdims=False, mode="clip", **kwargs):
    no_kwargs("pick", kwargs)
    return _core.nd.pick(data, index, axis, keepdims, mode)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype="float32", **kwargs):
    no_kwargs("one_hot", kwargs)
    return _core.nd.one_hot(indices, depth, on_value, off_value, dtype)


def topk(data, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32", **kwargs):
    no_kwargs("topk", kwargs)
    return _core.nd.topk(data, axis, k, ret_typ, is_ascend, dtype)


def sort(data, axis=-1, is_ascend=True, **kwargs):
    no_kwargs("sort", kwargs)
    return _core.nd.sort(data, axis, is_ascend)


def argsort(data, axis=-1, is_ascend=True, dtype="float32", **kwargs):
    no_kwargs("argsort", kwargs)
    return _core.nd.argsort(data, axis, is_ascend, dtype)


def gather_nd(data, indices, out=None, name=None, **kwargs):
    """data[indices[0][y], ..., indices[m-1][y]] for every column y of
    ``indices`` (shape (m, y...)); the result has shape y... + data.shape[m:].
    Repeated picks accumulate their gradients."""
    no_kwargs("gather_nd", kwargs)
    return into("gather_nd", _core.nd.gather_nd(data, indices), out)


def scatter_nd(data, indices, shape, out=None, name=None, **kwargs):
    """zeros(shape) with ``data`` written where gather_nd would read (of repeated places the last wins)."""
    no_kwargs("scatter_nd", kwargs)
    return into("scatter_nd", _core.nd.scatter_nd(data, indices, shape), out)
