"""Matrix and tensor products of ``mxnet.numpy`` (NumPy semantics; float32 and
float64 products run on BLAS)."""

from .. import _core
from .._args import into

__all__ = ["matmul", "tensordot", "inner", "outer", "vdot", "einsum", "diagonal", "trace", "diag"]

_f = _core.np


def matmul(a, b, out=None):
    """NumPy matmul (also ``a @ b``): 1-D operands are promoted to a row or a
    column and the unit axis dropped; batch axes broadcast."""
    return into("matmul", _f.matmul(a, b), out)


def tensordot(a, b, axes=2):
    """Sum of products over the last ``axes`` axes of a and the first of b, or
    over the axis lists ``axes=(axes_a, axes_b)``."""
    return _f.tensordot(a, b, axes)


def inner(a, b):
    """Sum of products over the last axes of a and b."""
    return _f.inner(a, b)


def outer(a, b, out=None):
    """Outer product of the flattened operands."""
    return into("outer", _f.outer(a, b), out)


def vdot(a, b):
    """Dot product of the flattened operands."""
    return _f.vdot(a, b)


def einsum(*operands, **kwargs):
    """Einstein summation, ``einsum("ij,jk->ik", a, b)``: explicit or implicit
    output, ``...`` for broadcast leading dims, any number of operands; a
    label repeated within one operand takes a diagonal (``"ii"`` is a trace,
    ``"ii->i"`` a diagonal). ``optimize`` (a speed hint that never changes
    the result) is accepted: operands are contracted left to right through
    batched matmul."""
    out = kwargs.pop("out", None)
    optimize = kwargs.pop("optimize", False)
    if optimize not in (True, False, "greedy", "optimal"):
        raise ValueError(f"einsum: optimize must be a bool, 'greedy' or 'optimal', got {optimize!r}")
    if kwargs:
        raise TypeError(f"einsum() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}")
    if not operands or not isinstance(operands[0], str):
        raise TypeError("einsum: the first argument must be the subscripts string")
    return into("einsum", _f.einsum(operands[0], *operands[1:]), out)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal ``offset`` over axes axis1 and axis2 (a copy): those axes
    are removed and the diagonal is appended as the last axis."""
    return _f.diagonal(a, offset, axis1, axis2)


def trace(a, offset=0, axis1=0, axis2=1, out=None):
    """Sum along the diagonal ``offset`` over axes axis1 and axis2."""
    return into("trace", _f.trace(a, offset, axis1, axis2), out)


def diag(array, k=0):
    """A 1-D array becomes the square matrix holding it on diagonal k; a 2-D
    array gives its diagonal k."""
    return _f.diag(array, k)
