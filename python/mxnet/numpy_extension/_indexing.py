"""MXNet's indexing operators in ``npx``: pick, one_hot, topk."""

from .. import _core
from .._args import into

__all__ = ["pick", "one_hot", "topk", "gather_nd"]


def pick(data, index, axis=-1, keepdims=False, mode="clip"):
    """One element per lane along ``axis``: ``index`` has data's shape without
    that axis. ``mode``: 'clip' or 'wrap' for indices out of range."""
    return _core.np.pick(data, index, axis, keepdims, mode)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype="float32"):
    """indices.shape + (depth,): ``on_value`` at each index, ``off_value``
    elsewhere (an all-off row for an index outside [0, depth))."""
    return _core.np.one_hot(indices, depth, on_value, off_value, dtype)


def topk(data, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32"):
    """The k largest (smallest with ``is_ascend``) elements along ``axis``
    (flattened when None; all when k < 1), ties in index order. ``ret_typ``:
    'indices' (as ``dtype``), 'value', 'both' ([values, indices]) or 'mask'."""
    return _core.np.topk(data, axis, k, ret_typ, is_ascend, dtype)


def gather_nd(data, indices, out=None, name=None):
    """data[indices[0][y], ..., indices[m-1][y]] for every column y of
    ``indices`` (shape (m, y...)); the result has shape y... + data.shape[m:]."""
    return into("gather_nd", _core.np.gather_nd(data, indices), out)
