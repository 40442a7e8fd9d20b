"""``mxnet.numpy.linalg``: NumPy's linear algebra on LAPACK (float32/float64,
batched over leading axes where NumPy batches). The decompositions need
LAPACK (builds without it raise MXNetError naming the function). Gradients
as in MXNet for det, slogdet, inv, cholesky, solve, svd, qr, pinv, eigh,
eigvalsh, tensorinv, tensorsolve, matrix_power and multi_dot; eig, eigvals,
lstsq, matrix_rank and cond are not differentiable."""

from .. import _core
from .._args import no_out
from ..base import unsupported_argument

__all__ = [
    "norm",
    "cholesky",
    "cond",
    "det",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "lstsq",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "tensorinv",
    "tensorsolve",
]


def _host_scalar(r):
    """MXNet's matrix_rank and cond give a NumPy scalar for one matrix."""
    return r.asnumpy()[()] if r.ndim == 0 else r


def norm(x, ord=None, axis=None, keepdims=False):
    """NumPy's norm: vector orders (None/2, 1, inf, -inf, 0, any p) over one
    axis or a 1-D input; matrix orders (None/'fro', 1, -1, inf, -inf) over two
    axes or a 2-D input, also 2, -2 and 'nuc' (largest, smallest and sum of
    the singular values, batched over the other axes; their gradients are
    first-order only); the 2-norm of the flattened array by default."""
    return _core.np.norm(x, ord, axis, keepdims)


def cholesky(a):
    """The lower Cholesky factor L (a = L L^T) of each symmetric positive
    definite matrix; the lower triangle of ``a`` is read."""
    return _core.np.linalg_cholesky(a)


def det(a):
    """The determinant of each square matrix."""
    return _core.np.linalg_det(a)


def slogdet(a):
    """(sign, log|det|) of each square matrix; (0, -inf) when singular."""
    return _core.np.linalg_slogdet(a)


def inv(a):
    """The inverse of each square matrix (MXNetError when singular)."""
    return _core.np.linalg_inv(a)


def svd(a):
    """MXNet's SVD of (..., M, N) matrices with M <= N: (ut, l, v) with
    a = ut @ diag(l) @ v, l descending, each row of v with its
    largest-magnitude entry positive."""
    return _core.np.linalg_svd(a)


def qr(a, mode="reduced"):
    """QR of each matrix: (q, r) for mode 'reduced' or 'complete', r for 'r'."""
    return _core.np.linalg_qr(a, mode)


def solve(a, b):
    """x with a @ x = b; ``b`` with one dimension less than ``a`` holds vectors."""
    return _core.np.linalg_solve(a, b)


def eig(a):
    """(w, v): eigenvalues and right eigenvectors (columns) of each square
    matrix; only real spectra are supported, as in MXNet. Not differentiable."""
    return _core.np.linalg_eig(a)


def eigvals(a):
    """The eigenvalues of each square matrix (real spectra only)."""
    return _core.np.linalg_eigvals(a)


def eigh(a, UPLO="L"):
    """(w, v) of each symmetric matrix from its UPLO ('L' or 'U') triangle:
    w ascending, v's columns the eigenvectors."""
    return _core.np.linalg_eigh(a, UPLO)


def eigvalsh(a, UPLO="L"):
    """The ascending eigenvalues of each symmetric matrix."""
    return _core.np.linalg_eigvalsh(a, UPLO)


def lstsq(a, b, rcond="warn"):
    """(x, residuals, rank, s): the least-squares solution of a @ x = b by SVD;
    singular values at or below rcond * max(s) are dropped (None: machine
    precision times max(M, N); 'warn', the default: machine precision, as
    MXNet and NumPy's old default). Not differentiable."""
    if isinstance(rcond, str):
        if rcond != "warn":
            raise ValueError(f"lstsq: wrong parameter rcond = {rcond!r}")
        rcond = -1.0  # LAPACK: a negative rcond means machine precision
    return _core.np.linalg_lstsq(a, b, rcond)


def pinv(a, rcond=1e-15, hermitian=False):
    """The Moore-Penrose pseudo-inverse of each matrix, by SVD."""
    if hermitian:
        unsupported_argument("pinv", "hermitian", hermitian)
    return _core.np.linalg_pinv(a, rcond)


def matrix_rank(A, tol=None, hermitian=False):
    """The number of singular values above tol (default: largest singular value
    times max(M, N) times machine precision; hermitian: the |eigenvalues| of
    the symmetric matrix's lower triangle), as int64; a NumPy int64 for a
    single matrix, as MXNet returns."""
    return _host_scalar(_core.np.linalg_matrix_rank(A, tol, bool(hermitian)))


def matrix_power(a, n):
    """a raised to the integer power n (n < 0 through the inverse)."""
    return _core.np.linalg_matrix_power(a, n)


def multi_dot(arrays, *, out=None):
    """The chained product of the arrays (first and last may be 1-D)."""
    no_out("multi_dot", out)
    return _core.np.linalg_multi_dot(list(arrays))


def cond(x, p=None):
    """The condition number: None/2/-2 from the singular values, 'fro', 'nuc',
    1, -1, inf, -inf as norm(x, p) * norm(inv(x), p); a NumPy scalar for a
    single matrix, as MXNet returns. Not differentiable."""
    return _host_scalar(_core.np.linalg_cond(x, p))


def tensorinv(a, ind=2):
    """The inverse of a with respect to its first ``ind`` axes."""
    return _core.np.linalg_tensorinv(a, ind)


def tensorsolve(a, b, axes=None):
    """x with tensordot(a, x, x.ndim) = b; ``axes`` of a move to the end first."""
    return _core.np.linalg_tensorsolve(a, b, axes)
