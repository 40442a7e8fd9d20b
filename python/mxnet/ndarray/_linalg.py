"""Products of the legacy ``mxnet.ndarray`` API (MXNet 1.x conventions)."""

from .. import _core
from .._args import into, no_kwargs

__all__ = ["dot", "batch_dot", "diag"]


def dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """MXNet's legacy dot: sums over the last axis of lhs (its first when
    transposed) and the first axis of rhs (its last when transposed). Unlike
    NumPy's dot, N-D . M-D gives shape lhs.shape[:-1] + rhs.shape[1:], and
    1-D . 1-D gives shape (1,)."""
    return _core.nd.legacy_dot(lhs, rhs, transpose_a, transpose_b)


def batch_dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """Matrix products over equal leading (batch) axes, either matrix optionally transposed."""
    return _core.nd.batch_dot(lhs, rhs, transpose_a, transpose_b)


def diag(data, k=0, axis1=0, axis2=1, out=None, name=None, **kwargs):
    """MXNet's legacy diag: a 1-D array becomes the square matrix holding it on
    diagonal k; an N-D array gives its diagonal k over axis1 and axis2,
    appended as the last axis."""
    no_kwargs("diag", kwargs)
    if data.ndim == 1:
        return into("diag", _core.nd.diag(data, k), out)
    return into("diag", _core.nd.diagonal(data, k, axis1, axis2), out)
