"""``mxnet.numpy.linalg``."""

from .. import _core

__all__ = ["norm"]


def norm(x, ord=None, axis=None, keepdims=False):
    """NumPy's norm: vector orders (None/2, 1, inf, -inf, 0, any p) over one
    axis or a 1-D input; matrix orders (None/'fro', 1, -1, inf, -inf) over two
    axes or a 2-D input, also 2, -2 and 'nuc' (largest, smallest and sum of
    the singular values, batched over the other axes; their gradients are
    first-order only); the 2-norm of the flattened array by default."""
    return _core.np.norm(x, ord, axis, keepdims)
