"""Indexing and ordering functions of ``mxnet.numpy``: take, sort, argsort."""

from .. import _core
from .._args import into
from ..base import unsupported_argument

__all__ = ["take", "sort", "argsort"]


def take(a, indices, axis=None, mode="raise", out=None):
    """Elements of ``a`` at ``indices`` along ``axis`` (the flattened array
    when None). ``mode``: 'raise' (negative indices count from the end),
    'clip' or 'wrap'. Float indices are truncated, as MXNet does."""
    return into("take", _core.np.take(a, indices, axis, mode), out)


def sort(a, axis=-1, kind=None, order=None):
    """Stable sort along ``axis`` (the flattened array when None); NaN last.
    Every ``kind`` gives this stable sort, which satisfies them all."""
    check_sort_args("sort", kind, order)
    return _core.np.sort(a, axis, True)


def argsort(a, axis=-1, kind=None, order=None):
    """int64 indices that stably sort ``a`` along ``axis``; ties keep index order."""
    check_sort_args("argsort", kind, order)
    return _core.np.argsort(a, axis, True, None)


def check_sort_args(function, kind, order):
    if kind not in (None, "quicksort", "mergesort", "heapsort", "stable"):
        raise ValueError(
            f"{function}: sort kind must be one of 'quicksort', 'mergesort', 'heapsort' or 'stable', got {kind!r}"
        )
    if order is not None:
        unsupported_argument(function, "order", order)
