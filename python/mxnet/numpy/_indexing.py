"""Indexing and ordering functions of ``mxnet.numpy``: take, sort, argsort."""
from .. import _core

__all__ = ["take", "sort", "argsort"]


def take(a, indices, axis=None, mode="raise", out=None):
    """Elements of ``a`` at ``indices`` along ``axis`` (the flattened array
    when None). ``mode``: 'raise' (negative indices count from the end),
    'clip' or 'wrap'. Float indices are truncated, as MXNet does."""
    return _core.np.take(a, indices, axis, mode)


def sort(a, axis=-1, kind=None, order=None):
    """Stable sort along ``axis`` (the flattened array when None); NaN last."""
    return _core.np.sort(a, axis, True)


def argsort(a, axis=-1, kind=None, order=None):
    """int64 indices that stably sort ``a`` along ``axis``; ties keep index order."""
    return _core.np.argsort(a, axis, True, None)
