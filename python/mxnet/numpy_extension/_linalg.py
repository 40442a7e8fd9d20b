"""Products of ``mxnet.numpy_extension`` (npx)."""

from .. import _core

__all__ = ["batch_dot"]


def batch_dot(a, b, transpose_a=False, transpose_b=False, forward_stype="default"):
    """Matrix products of operands with equal rank >= 3 and equal leading (batch)
    axes, either matrix optionally transposed."""
    return _core.np.batch_dot(a, b, transpose_a, transpose_b)
