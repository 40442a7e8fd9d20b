"""``mxnet.ndarray.linalg``: MXNet's la_op operators (also ``nd.linalg_<name>``).
Each works on the last two axes of float32/float64 arrays, batched over the
leading axes; a per-matrix scalar of a single matrix has shape (1,). The
decompositions need LAPACK (builds without it raise MXNetError naming the op).
Every function is differentiable, as in MXNet."""

from .. import _core
from .._args import into, no_kwargs, no_out

__all__ = [
    "gemm",
    "gemm2",
    "potrf",
    "potri",
    "trmm",
    "trsm",
    "sumlogdiag",
    "syrk",
    "gelqf",
    "syevd",
    "inverse",
    "det",
    "slogdet",
    "extractdiag",
    "makediag",
    "extracttrian",
    "maketrian",
]


def gemm(
    A=None,
    B=None,
    C=None,
    transpose_a=False,
    transpose_b=False,
    alpha=1.0,
    beta=1.0,
    axis=-2,
    out=None,
    name=None,
    **kwargs,
):
    """alpha * op(A) . op(B) + beta * C over the matrices whose rows are ``axis``
    and whose columns are the last axis; op(X) = X^T when transpose_x."""
    no_kwargs("linalg.gemm", kwargs)
    return into("linalg.gemm", _core.nd.linalg_gemm(A, B, C, transpose_a, transpose_b, alpha, beta, axis), out)


def gemm2(A=None, B=None, transpose_a=False, transpose_b=False, alpha=1.0, axis=-2, out=None, name=None, **kwargs):
    """alpha * op(A) . op(B) (``gemm`` without C)."""
    no_kwargs("linalg.gemm2", kwargs)
    return into("linalg.gemm2", _core.nd.linalg_gemm2(A, B, transpose_a, transpose_b, alpha, axis), out)


def potrf(A=None, lower=True, out=None, name=None, **kwargs):
    """The Cholesky factor of each symmetric positive definite matrix: L with
    A = L L^T (lower, reading A's lower triangle), or U with A = U^T U."""
    no_kwargs("linalg.potrf", kwargs)
    return into("linalg.potrf", _core.nd.linalg_potrf(A, lower), out)


def potri(A=None, lower=True, out=None, name=None, **kwargs):
    """The inverse of L L^T (lower) or U^T U from a Cholesky factor."""
    no_kwargs("linalg.potri", kwargs)
    return into("linalg.potri", _core.nd.linalg_potri(A, lower), out)


def trmm(A=None, B=None, transpose=False, rightside=False, lower=True, alpha=1.0, out=None, name=None, **kwargs):
    """alpha * op(A) . B (or B . op(A) with rightside) for the triangle of A."""
    no_kwargs("linalg.trmm", kwargs)
    return into("linalg.trmm", _core.nd.linalg_trmm(A, B, transpose, rightside, lower, alpha), out)


def trsm(A=None, B=None, transpose=False, rightside=False, lower=True, alpha=1.0, out=None, name=None, **kwargs):
    """X solving op(A) . X = alpha * B (or X . op(A) = alpha * B with
    rightside) for the triangle of A."""
    no_kwargs("linalg.trsm", kwargs)
    return into("linalg.trsm", _core.nd.linalg_trsm(A, B, transpose, rightside, lower, alpha), out)


def sumlogdiag(A=None, out=None, name=None, **kwargs):
    """The sum of the logarithms of each matrix's diagonal."""
    no_kwargs("linalg.sumlogdiag", kwargs)
    return into("linalg.sumlogdiag", _core.nd.linalg_sumlogdiag(A), out)


def syrk(A=None, transpose=False, alpha=1.0, out=None, name=None, **kwargs):
    """alpha * A . A^T (or alpha * A^T . A with transpose)."""
    no_kwargs("linalg.syrk", kwargs)
    return into("linalg.syrk", _core.nd.linalg_syrk(A, transpose, alpha), out)


def gelqf(A=None, out=None, name=None, **kwargs):
    """The LQ factorisation A = L . Q of matrices with no more rows than
    columns: [Q (orthonormal rows), L (lower triangular)]."""
    no_kwargs("linalg.gelqf", kwargs)
    no_out("linalg.gelqf", out)
    return _core.nd.linalg_gelqf(A)


def syevd(A=None, out=None, name=None, **kwargs):
    """The eigen-decomposition A = U^T . diag(L) . U of symmetric matrices
    (the lower triangle is read): [U (eigenvectors as rows, each with its
    largest-magnitude entry positive), L (ascending eigenvalues)]."""
    no_kwargs("linalg.syevd", kwargs)
    no_out("linalg.syevd", out)
    return _core.nd.linalg_syevd(A)


def inverse(A=None, out=None, name=None, **kwargs):
    """The inverse of each square matrix (MXNetError for a singular one)."""
    no_kwargs("linalg.inverse", kwargs)
    return into("linalg.inverse", _core.nd.linalg_inverse(A), out)


def det(A=None, out=None, name=None, **kwargs):
    """The determinant of each square matrix."""
    no_kwargs("linalg.det", kwargs)
    return into("linalg.det", _core.nd.linalg_det(A), out)


def slogdet(A=None, out=None, name=None, **kwargs):
    """[sign, log|det|] of each square matrix (0 and -inf when singular);
    only log|det| has a gradient."""
    no_kwargs("linalg.slogdet", kwargs)
    no_out("linalg.slogdet", out)
    return _core.nd.linalg_slogdet(A)


def extractdiag(A=None, offset=0, out=None, name=None, **kwargs):
    """Diagonal ``offset`` of each square matrix."""
    no_kwargs("linalg.extractdiag", kwargs)
    return into("linalg.extractdiag", _core.nd.linalg_extractdiag(A, offset), out)


def makediag(A=None, offset=0, out=None, name=None, **kwargs):
    """Square matrices holding the last axis of A on diagonal ``offset``."""
    no_kwargs("linalg.makediag", kwargs)
    return into("linalg.makediag", _core.nd.linalg_makediag(A, offset), out)


def extracttrian(A=None, offset=0, lower=True, out=None, name=None, **kwargs):
    """A triangle of each square matrix packed into a vector: the lower one
    row by row (offset < 0, or 0 with lower), else the upper one column by
    column; ``offset`` names the bounding diagonal."""
    no_kwargs("linalg.extracttrian", kwargs)
    return into("linalg.extracttrian", _core.nd.linalg_extracttrian(A, offset, lower), out)


def maketrian(A=None, offset=0, lower=True, out=None, name=None, **kwargs):
    """The square matrices whose triangle ``extracttrian`` packed into A."""
    no_kwargs("linalg.maketrian", kwargs)
    return into("linalg.maketrian", _core.nd.linalg_maketrian(A, offset, lower), out)
