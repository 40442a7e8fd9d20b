"""``mxnet.numpy.linalg``."""
from .. import _core

__all__ = ["norm"]


def norm(x, ord=None, axis=None, keepdims=False):
    """The 2-norm (Frobenius for matrices) over ``axis`` (all axes by default)."""
    return _core.np.norm(x, ord, axis, keepdims)
