"""MXNet's legacy linear algebra (mx.nd.linalg and nd.linalg_<name>): values
against NumPy/SciPy and against results recorded from MXNet 1.9.1, batched
inputs, float32 and float64, gradients against float64 finite differences
(also batched) and against MXNet's recorded gradients, and errors naming the
op for non-square, non-positive-definite and wrongly typed inputs."""

import numpy as onp
import pytest
import scipy.linalg as sla

import mxnet as mx
from mxnet import autograd, nd
from mxnet.base import MXNetError
from gradcheck import check_gradient

pytestmark = pytest.mark.skipif(not mx._core.have_lapack(), reason="this build has no LAPACK")

L = nd.linalg


def rand(*shape, seed=0):
    return onp.random.default_rng(seed).standard_normal(shape)


def spd(*batch, n=3, seed=0):
    """Symmetric positive definite matrices of shape batch + (n, n)."""
    a = rand(*batch, n, n, seed=seed)
    return a @ onp.swapaxes(a, -1, -2) + n * onp.eye(n)


def lower_tri(*batch, n=3, seed=0):
    a = onp.tril(rand(*batch, n, n, seed=seed))
    idx = onp.arange(n)
    a[..., idx, idx] = onp.abs(a[..., idx, idx]) + 1.0
    return a


def nd64(x):
    return nd.array(x, dtype="float64")


def sym(x):
    """f of the symmetric part: the finite differences then see what the ops read."""
    return (x + x.swapaxes(-1, -2)) * 0.5


def as_nd(x):
    return x.as_nd_ndarray() if hasattr(x, "as_nd_ndarray") else x


def as_np(r):
    return [as_np(x) for x in r] if isinstance(r, (list, tuple)) else r.as_np_ndarray()


DTYPES = ["float32", "float64"]
TOL = {"float32": dict(rtol=1e-4, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-12)}


# ---- names -------------------------------------------------------------------------

NAMES = [
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


def test_linalg_namespace_and_flat_names():
    for name in NAMES:
        assert callable(getattr(L, name))
        if name != "syevd":  # MXNet 1.9.1 has no nd.linalg_syevd
            assert getattr(nd, "linalg_" + name) is getattr(L, name)
    assert not hasattr(nd, "linalg_syevd")


# ---- values against NumPy / SciPy --------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", [(), (2,), (2, 3)])
def test_products(dtype, batch):
    a, b, c = rand(*batch, 3, 4, seed=1), rand(*batch, 4, 5, seed=2), rand(*batch, 3, 5, seed=3)
    A, B, C = (nd.array(x, dtype=dtype) for x in (a, b, c))
    tol = TOL[dtype]
    onp.testing.assert_allclose(L.gemm(A, B, C, alpha=2.0, beta=-0.5).asnumpy(), 2 * a @ b - 0.5 * c, **tol)
    onp.testing.assert_allclose(L.gemm2(A, B, alpha=3.0).asnumpy(), 3 * a @ b, **tol)
    at = onp.swapaxes(a, -1, -2)
    onp.testing.assert_allclose(L.gemm2(nd.array(at, dtype=dtype), B, transpose_a=True).asnumpy(), a @ b, **tol)
    bt = onp.swapaxes(b, -1, -2)
    onp.testing.assert_allclose(
        L.gemm(A, nd.array(bt, dtype=dtype), C, transpose_b=True, beta=0.0).asnumpy(), a @ b, **tol
    )
    onp.testing.assert_allclose(L.syrk(A, alpha=0.5).asnumpy(), 0.5 * a @ at, **tol)
    onp.testing.assert_allclose(L.syrk(A, transpose=True).asnumpy(), at @ a, **tol)
    assert L.gemm2(A, B).dtype == onp.dtype(dtype)


def test_gemm_axis():
    # rows on axis 0, columns last, the middle axis a batch: MXNet's result shape (4, 2, 5).
    a, b = rand(3, 2, 4, seed=1), rand(3, 2, 5, seed=2)
    got = L.gemm2(nd64(a), nd64(b), axis=0, transpose_a=True)
    assert got.shape == (4, 2, 5)
    want = onp.einsum("rbi,rbj->ibj", a, b)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12)
    c = rand(4, 2, 5, seed=3)
    onp.testing.assert_allclose(
        L.gemm(nd64(a), nd64(b), nd64(c), axis=0, transpose_a=True, beta=2.0).asnumpy(), want + 2 * c, rtol=1e-12
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", [(), (2,), (2, 2)])
def test_cholesky_family(dtype, batch):
    a = spd(*batch, n=4, seed=4)
    A = nd.array(a, dtype=dtype)
    tol = TOL[dtype]
    lo = onp.linalg.cholesky(a)
    onp.testing.assert_allclose(L.potrf(A).asnumpy(), lo, **tol)
    onp.testing.assert_allclose(L.potrf(A, lower=False).asnumpy(), onp.swapaxes(lo, -1, -2), **tol)
    # potrf reads one triangle only
    junk = onp.triu(rand(*batch, 4, 4, seed=5), 1)
    onp.testing.assert_allclose(L.potrf(nd.array(onp.tril(a) + junk, dtype=dtype)).asnumpy(), lo, **tol)
    ptol = dict(rtol=max(tol["rtol"], 1e-4) * 10, atol=1e-4) if dtype == "float32" else tol
    onp.testing.assert_allclose(L.potri(L.potrf(A)).asnumpy(), onp.linalg.inv(a), **ptol)
    onp.testing.assert_allclose(L.potri(L.potrf(A, lower=False), lower=False).asnumpy(), onp.linalg.inv(a), **ptol)
    onp.testing.assert_allclose(
        L.sumlogdiag(L.potrf(A)).asnumpy().reshape(batch or (1,)),
        onp.log(onp.diagonal(lo, axis1=-2, axis2=-1)).sum(-1).reshape(batch or (1,)),
        **tol,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize("rightside", [False, True])
def test_triangular(dtype, lower, transpose, rightside):
    a = lower_tri(2, n=3, seed=6)
    if not lower:
        a = onp.swapaxes(a, -1, -2)
    full = a + (onp.triu(rand(2, 3, 3, seed=7), 1) if lower else onp.tril(rand(2, 3, 3, seed=7), -1))
    b = rand(2, 3, 4, seed=8) if not rightside else rand(2, 4, 3, seed=8)
    A, B = nd.array(full, dtype=dtype), nd.array(b, dtype=dtype)
    op_a = onp.swapaxes(a, -1, -2) if transpose else a
    tol = TOL[dtype]
    kw = dict(transpose=transpose, rightside=rightside, lower=lower)
    mm = b @ op_a if rightside else op_a @ b
    onp.testing.assert_allclose(L.trmm(A, B, alpha=2.0, **kw).asnumpy(), 2 * mm, **tol)
    for i in range(2):
        if rightside:  # X op(A) = alpha B
            want = sla.solve_triangular(op_a[i].T, 1.5 * b[i].T, lower=(lower == transpose)).T
        else:
            want = sla.solve_triangular(op_a[i], 1.5 * b[i], lower=(lower != transpose))
        onp.testing.assert_allclose(L.trsm(A, B, alpha=1.5, **kw).asnumpy()[i], want, **tol)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize("rightside", [False, True])
def test_large_triangular_solve_splits_over_the_pool(lower, transpose, rightside):
    # 200 x 200 triangles with 300 right-hand sides: big enough that the
    # independent columns (left) or rows (right) of B are solved in blocks on
    # several threads; one matrix and a batch of two (the batch split instead).
    n, k = 200, 300
    a = lower_tri(2, n=n, seed=11) + 5.0 * onp.eye(n)
    if not lower:
        a = onp.swapaxes(a, -1, -2)
    op_a = onp.swapaxes(a, -1, -2) if transpose else a
    b = rand(2, k, n, seed=12) if rightside else rand(2, n, k, seed=12)
    kw = dict(transpose=transpose, rightside=rightside, lower=lower)
    for batch in (slice(0, 1), slice(0, 2)):
        got = L.trsm(nd64(a[batch]), nd64(b[batch]), alpha=0.5, **kw).asnumpy()
        for i in range(got.shape[0]):
            if rightside:
                want = sla.solve_triangular(op_a[i].T, 0.5 * b[i].T, lower=(lower == transpose)).T
            else:
                want = sla.solve_triangular(op_a[i], 0.5 * b[i], lower=(lower != transpose))
            onp.testing.assert_allclose(got[i], want, rtol=1e-10, atol=1e-12)
    got32 = L.trsm(nd.array(a[:1], dtype="float32"), nd.array(b[:1], dtype="float32"), alpha=0.5, **kw).asnumpy()
    onp.testing.assert_allclose(
        got32[0], L.trsm(nd64(a[:1]), nd64(b[:1]), alpha=0.5, **kw).asnumpy()[0], rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_gelqf_syevd(dtype):
    a = rand(2, 3, 5, seed=9)
    q, lo = L.gelqf(nd.array(a, dtype=dtype))
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == "float32" else dict(rtol=1e-10, atol=1e-10)
    assert q.shape == (2, 3, 5) and lo.shape == (2, 3, 3)
    onp.testing.assert_allclose(lo.asnumpy() @ q.asnumpy(), a, **tol)
    onp.testing.assert_allclose(
        q.asnumpy() @ onp.swapaxes(q.asnumpy(), -1, -2), onp.broadcast_to(onp.eye(3), (2, 3, 3)), **tol
    )
    assert onp.all(onp.triu(lo.asnumpy(), 1) == 0)
    s = spd(2, n=4, seed=10)
    u, w = L.syevd(nd.array(s, dtype=dtype))
    onp.testing.assert_allclose(w.asnumpy(), onp.linalg.eigvalsh(s), **tol)
    un = u.asnumpy()
    onp.testing.assert_allclose(onp.swapaxes(un, -1, -2) @ (w.asnumpy()[..., None] * un), s, **tol)
    # MXNet's signs: each row's largest-magnitude entry is positive
    big = onp.take_along_axis(un, onp.abs(un).argmax(-1)[..., None], -1)
    assert onp.all(big > 0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", [(), (3,), (2, 2)])
def test_inverse_det_slogdet(dtype, batch):
    a = rand(*batch, 4, 4, seed=11) + 2 * onp.eye(4)
    A = nd.array(a, dtype=dtype)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-10, atol=1e-12)
    onp.testing.assert_allclose(L.inverse(A).asnumpy(), onp.linalg.inv(a), **tol)
    shape = batch or (1,)  # the legacy face: one matrix gives shape (1,)
    d = L.det(A)
    assert d.shape == shape
    onp.testing.assert_allclose(d.asnumpy(), onp.linalg.det(a).reshape(shape), **tol)
    sign, logabs = L.slogdet(A)
    ws, wl = onp.linalg.slogdet(a)
    assert sign.shape == logabs.shape == shape
    onp.testing.assert_allclose(sign.asnumpy(), ws.reshape(shape))
    onp.testing.assert_allclose(logabs.asnumpy(), wl.reshape(shape), **tol)
    assert d.dtype == sign.dtype == onp.dtype(dtype)


def test_diagonals_and_triangles_values():
    a = onp.arange(2 * 16, dtype=onp.float64).reshape(2, 4, 4)
    A = nd64(a)
    for k in (-2, 0, 1, 3):
        onp.testing.assert_array_equal(L.extractdiag(A, offset=k).asnumpy(), onp.diagonal(a, k, -2, -1))
        v = rand(2, 4 - abs(k), seed=12)
        want = onp.stack([onp.diag(x, k) for x in v])
        onp.testing.assert_array_equal(L.makediag(nd64(v), offset=k).asnumpy(), want)
    for k, lower in [(0, True), (0, False), (1, True), (-1, False), (2, True), (-3, True)]:
        packed = L.extracttrian(A, offset=k, lower=lower)
        back = L.maketrian(packed, offset=k, lower=lower).asnumpy()
        use_lower = k < 0 or (k == 0 and lower)
        mask = onp.tril(onp.ones((4, 4)), k) if use_lower else onp.triu(onp.ones((4, 4)), k)
        onp.testing.assert_array_equal(back, a * mask)


# ---- values recorded from MXNet 1.9.1 --------------------------------------------------


def test_mxnet_recorded_values():
    got = L.potrf(nd.array([[4.0, 7], [2, 3]])).asnumpy()  # the upper 7 is not read
    onp.testing.assert_allclose(got, [[2.0, 0.0], [1.0, 1.41421356]], rtol=1e-6)
    onp.testing.assert_allclose(
        L.potrf(nd.array([[4.0, 2], [2, 3]]), lower=False).asnumpy(), [[2.0, 1.0], [0.0, 1.41421356]], rtol=1e-6
    )
    onp.testing.assert_allclose(
        L.potri(L.potrf(nd.array([[4.0, 2], [2, 3]]))).asnumpy(), [[0.375, -0.25], [-0.25, 0.5]], rtol=1e-6
    )
    q, lo = L.gelqf(nd.array([[1.0, 2, 3], [4, 5, 6]]))
    onp.testing.assert_allclose(q.asnumpy(), [[-0.26726, -0.53452, -0.80178], [0.87287, 0.21822, -0.43644]], atol=1e-5)
    onp.testing.assert_allclose(lo.asnumpy(), [[-3.74166, 0.0], [-8.55236, 1.96396]], atol=1e-5)
    u, w = L.syevd(nd.array([[2.0, 5], [1, 3]]))  # the upper 5 is not read
    onp.testing.assert_allclose(u.asnumpy(), [[0.85065, -0.52573], [0.52573, 0.85065]], atol=1e-5)
    onp.testing.assert_allclose(w.asnumpy(), [1.38197, 3.61803], atol=1e-5)
    u, _ = L.syevd(nd.array([[-1.0, 0], [0, -4]]))
    onp.testing.assert_array_equal(u.asnumpy(), [[0.0, 1.0], [1.0, 0.0]])
    u, _ = L.syevd(nd.array([[1.0, 3], [3, 1]]))  # a tie in magnitude: the first entry decides
    onp.testing.assert_allclose(u.asnumpy(), [[0.70711, -0.70711], [0.70711, 0.70711]], atol=1e-5)
    sing = nd.array([[1.0, 2], [2, 4]])
    d = L.det(sing).asnumpy()
    assert d.tolist() == [0.0] and onp.signbit(d[0])  # MXNet: -0.0
    sign, logabs = L.slogdet(sing)
    assert sign.asnumpy().tolist() == [0.0] and logabs.asnumpy().tolist() == [-onp.inf]
    sign, logabs = L.slogdet(nd.array([[1.0, 2], [3, 4]]))
    assert sign.asnumpy().tolist() == [-1.0]
    onp.testing.assert_allclose(logabs.asnumpy(), [0.69315], atol=1e-5)
    assert L.det(nd.array([[[1.0, 2], [3, 4]]])).asnumpy().tolist() == [-2.0]
    onp.testing.assert_allclose(L.sumlogdiag(nd.array([[1.0, 2], [3, 4]])).asnumpy(), [1.38629], atol=1e-5)
    assert onp.isnan(L.sumlogdiag(nd.array([[-1.0, 2], [3, 4]])).asnumpy()).all()
    a9 = nd.arange(9).reshape(3, 3)
    assert L.extracttrian(a9).asnumpy().tolist() == [0, 3, 4, 6, 7, 8]
    assert L.extracttrian(a9, lower=False).asnumpy().tolist() == [0, 1, 4, 2, 5, 8]
    assert L.extracttrian(a9, offset=1).asnumpy().tolist() == [1, 2, 5]
    assert L.extracttrian(a9, offset=-1).asnumpy().tolist() == [3, 6, 7]
    assert L.extracttrian(a9, offset=-1, lower=False).asnumpy().tolist() == [3, 6, 7]
    assert L.maketrian(nd.arange(6)).asnumpy().tolist() == [[0, 0, 0], [1, 2, 0], [3, 4, 5]]
    assert L.maketrian(nd.arange(6), lower=False).asnumpy().tolist() == [[0, 1, 3], [0, 2, 4], [0, 0, 5]]
    assert L.maketrian(nd.arange(3), offset=1).asnumpy().tolist() == [[0, 0, 1], [0, 0, 2], [0, 0, 0]]
    assert L.maketrian(nd.arange(3), offset=-1).asnumpy().tolist() == [[0, 0, 0], [0, 0, 0], [1, 2, 0]]
    assert L.makediag(nd.arange(2), offset=-1).asnumpy().tolist() == [[0, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert L.extractdiag(a9, offset=1).asnumpy().tolist() == [1, 5]
    t, b = nd.array([[2.0, 9], [1, 4]]), nd.array([[1.0, 2], [3, 4]])
    assert L.trsm(nd.array([[2.0, 0], [1, 4]]), b, alpha=2).asnumpy().tolist() == [[1, 2], [1.25, 1.5]]
    assert L.trsm(t, b, rightside=True, transpose=True).asnumpy().tolist() == [[0.5, 0.375], [1.5, 0.625]]
    assert L.trsm(t, b, lower=False).asnumpy().tolist() == [[-2.875, -3.5], [0.75, 1.0]]
    assert L.trmm(t, b).asnumpy().tolist() == [[2, 4], [13, 18]]
    assert L.trmm(t, b, lower=False, rightside=True).asnumpy().tolist() == [[2, 17], [6, 43]]
    assert L.trsm(nd.array([[0.0, 0], [1, 4]]), b).asnumpy().tolist() == [[onp.inf, onp.inf], [-onp.inf, -onp.inf]]
    assert L.syrk(nd.array([[1.0, 2, 3], [4, 5, 6]]), transpose=True, alpha=2).asnumpy().tolist() == [
        [34, 44, 54],
        [44, 58, 72],
        [54, 72, 90],
    ]
    assert L.gemm(nd.ones((2, 3)), nd.ones((3, 2)), nd.ones((2, 2)), alpha=2, beta=3).asnumpy().tolist() == [
        [9, 9],
        [9, 9],
    ]


def _grads(fn, *arrays):
    """Gradients of sum(y * (arange + 1)) (a list output: sum of (i + 1) * y_i), as recorded in MXNet."""
    xs = [nd64(a) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = fn(*xs)
        if isinstance(y, (list, tuple)):
            s = sum((yy * (i + 1)).sum() for i, yy in enumerate(y))
        else:
            s = (y * nd.arange(y.size, dtype="float64").reshape(y.shape) + y).sum()
    s.backward()
    return [x.grad.asnumpy() for x in xs]


A3 = [[4.0, 2, 1], [2, 3, 0.5], [1, 0.5, 2]]
A3U = [[4.0, 9, 1], [2, 3, 9], [1, 0.5, 2]]  # the same lower triangle, another upper one
B32 = [[1.0, 2], [3, 4], [5, 6]]


def test_mxnet_recorded_gradients():
    potrf_g = [[0.67415, -0.59099, -0.51463], [-0.59099, 1.76777, 2.82843], [-0.51463, 2.82843, 3.40168]]
    for a in (A3, A3U):
        onp.testing.assert_allclose(_grads(L.potrf, a)[0], potrf_g, atol=1e-5)
    onp.testing.assert_allclose(
        _grads(L.potri, A3U)[0],
        [[0.12847, 0.0, 0.0], [-0.04861, -0.06944, 0.0], [-0.54167, -0.58333, -1.33333]],
        atol=1e-5,
    )
    syevd_g = [[1.6292, 0.43195, -0.46792], [0.43195, 1.68233, 0.26731], [-0.46792, 0.26731, 2.68846]]
    for a in (A3, A3U):
        onp.testing.assert_allclose(_grads(L.syevd, a)[0], syevd_g, atol=1e-5)
    onp.testing.assert_allclose(
        _grads(L.gelqf, [[1.0, 2, 3], [4, 5, 6]])[0],
        [[-5.96793, -2.4274, 1.11313], [1.21122, -0.63261, -2.47644]],
        atol=1e-5,
    )
    onp.testing.assert_allclose(_grads(L.sumlogdiag, A3U)[0], onp.diag([0.25, 1 / 3, 0.5]), atol=1e-5)
    ga, gb = _grads(L.trmm, A3U, B32)
    onp.testing.assert_allclose(ga, [[5, 0, 0], [11, 25, 0], [17, 39, 61]])
    onp.testing.assert_allclose(gb, [[15, 22], [11.5, 15], [10, 12]])
    ga, gb = _grads(L.trsm, A3U, B32)
    onp.testing.assert_allclose(ga, [[0.5, 0, 0], [-0.5625, -1.31944, 0], [-2.125, -5.08333, -12.91667]], atol=1e-5)
    onp.testing.assert_allclose(gb, [[-0.66667, -0.66667], [0.58333, 0.83333], [2.5, 3.0]], atol=1e-5)
    ga, gb = _grads(lambda a, b: L.trsm(a, b, lower=False), A3U, B32)
    onp.testing.assert_allclose(ga, [[-12.0625, 5.45833, -2.125], [0, 0.34722, -0.125], [0, 0, -13.625]], atol=1e-5)
    onp.testing.assert_allclose(gb, [[0.25, 0.5], [0.25, -0.16667], [1.25, 3.5]], atol=1e-5)
    onp.testing.assert_allclose(_grads(L.syrk, B32)[0], [[70, 88], [106, 136], [142, 184]])
    onp.testing.assert_allclose(
        _grads(L.inverse, A3U)[0],
        [[-0.45325, 0.18305, 0.01249], [-1.33455, 0.45627, 0.01749], [0.39025, 0.04915, 0.03748]],
        atol=1e-5,
    )
    onp.testing.assert_allclose(_grads(L.det, A3U)[0], [[1.5, 5, -2], [-17.5, 7, 7], [78, -34, -6]], atol=1e-9)
    onp.testing.assert_allclose(
        _grads(lambda a: L.slogdet(a)[1], A3U)[0],
        [[0.03061, 0.10204, -0.04082], [-0.35714, 0.14286, 0.14286], [1.59184, -0.69388, -0.12245]],
        atol=1e-5,
    )
    onp.testing.assert_allclose(_grads(L.extracttrian, A3U)[0], [[1, 0, 0], [2, 3, 0], [4, 5, 6]])
    onp.testing.assert_allclose(
        _grads(lambda a: L.extracttrian(a, offset=1), A3U)[0], [[0, 1, 2], [0, 0, 3], [0, 0, 0]]
    )


# ---- gradients against finite differences -------------------------------------------------


def nd_f(fn):
    """check_gradient passes mx.np arrays; the legacy ops take either face."""
    return lambda *xs: as_np(fn(*[as_nd(x) for x in xs]))


GRAD_CASES = [
    ("gemm", lambda a, b, c: L.gemm(a, b, c, alpha=1.5, beta=0.5), [(2, 3, 4), (2, 4, 2), (2, 3, 2)]),
    ("gemm-t", lambda a, b, c: L.gemm(a, b, c, transpose_a=True, transpose_b=True), [(3, 4), (2, 3), (4, 2)]),
    ("gemm2-axis", lambda a, b: L.gemm2(a, b, axis=0, transpose_a=True), [(3, 2, 4), (3, 2, 5)]),
    ("syrk", lambda a: L.syrk(a, alpha=2.0), [(2, 3, 4)]),
    ("syrk-t", lambda a: L.syrk(a, transpose=True), [(3, 4)]),
    ("gelqf", lambda a: L.gelqf(a), [(2, 3, 4)]),
    ("inverse", L.inverse, [(2, 3, 3)]),
    ("det", L.det, [(2, 3, 3)]),
    ("slogdet", lambda a: L.slogdet(a)[1], [(2, 2, 3, 3)]),
    ("extractdiag", lambda a: L.extractdiag(a, offset=-1), [(2, 3, 3)]),
    ("makediag", lambda a: L.makediag(a, offset=2), [(2, 3)]),
    ("extracttrian", lambda a: L.extracttrian(a, lower=False), [(2, 3, 3)]),
    ("maketrian", lambda a: L.maketrian(a, offset=-1), [(2, 6)]),
]


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients(name, fn, shapes):
    inputs = [
        rand(*s, seed=20 + i) + (2 * onp.eye(s[-1]) if name in ("inverse", "det", "slogdet") else 0)
        for i, s in enumerate(shapes)
    ]
    check_gradient(nd_f(fn), *inputs, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("batch", [(), (2,)])
def test_gradients_symmetric_and_triangular(batch):
    s = spd(*batch, n=3, seed=30)
    check_gradient(nd_f(lambda a: L.potrf(sym(a))), s, rtol=1e-5, atol=1e-7)
    check_gradient(nd_f(lambda a: L.potrf(sym(a), lower=False)), s, rtol=1e-5, atol=1e-7)
    check_gradient(nd_f(lambda a: L.syevd(sym(a))), s, rtol=1e-5, atol=1e-7)
    check_gradient(nd_f(lambda a: L.sumlogdiag(L.potrf(sym(a)))), s, rtol=1e-5, atol=1e-7)
    t = lower_tri(*batch, n=3, seed=31)
    b = rand(*batch, 3, 2, seed=32)
    check_gradient(nd_f(L.potri), t, rtol=1e-5, atol=1e-7)
    check_gradient(nd_f(lambda a: L.potri(a, lower=False)), onp.swapaxes(t, -1, -2), rtol=1e-5, atol=1e-7)
    for kw in [{}, dict(transpose=True), dict(lower=False), dict(alpha=2.0)]:
        a = t if kw.get("lower", True) else onp.swapaxes(t, -1, -2)
        check_gradient(nd_f(lambda x, y, kw=kw: L.trsm(x, y, **kw)), a, b, rtol=1e-5, atol=1e-7)
        check_gradient(nd_f(lambda x, y, kw=kw: L.trmm(x, y, **kw)), a, b, rtol=1e-5, atol=1e-7)
    br = rand(*batch, 2, 3, seed=33)
    check_gradient(nd_f(lambda x, y: L.trsm(x, y, rightside=True, transpose=True)), t, br, rtol=1e-5, atol=1e-7)
    check_gradient(nd_f(lambda x, y: L.trmm(x, y, rightside=True)), t, br, rtol=1e-5, atol=1e-7)


def test_second_order_gradient_of_inverse_and_trsm():
    a = rand(3, 3, seed=40) + 3 * onp.eye(3)
    x = nd64(a)
    x.attach_grad()
    with autograd.record():
        y = L.inverse(x).sum()
        (g,) = autograd.grad(y, [x], create_graph=True)
        z = (g * g).sum()
    z.backward()
    eps = 1e-6

    def first(m):
        inv = onp.linalg.inv(m)
        gm = -(inv.T @ onp.ones((3, 3)) @ inv.T)
        return (gm * gm).sum()

    num = onp.zeros_like(a)
    for i in range(3):
        for j in range(3):
            d = onp.zeros_like(a)
            d[i, j] = eps
            num[i, j] = (first(a + d) - first(a - d)) / (2 * eps)
    onp.testing.assert_allclose(x.grad.asnumpy(), num, rtol=1e-5)


# ---- errors --------------------------------------------------------------------------


def test_errors_name_the_op():
    sq = nd.array([[1.0, 2], [2, 1]])  # symmetric, not positive definite
    with pytest.raises(MXNetError, match=r"linalg_potrf.*not positive definite"):
        L.potrf(sq)
    with pytest.raises(MXNetError, match=r"linalg_potrf.*batch.*not positive definite"):
        L.potrf(nd.array(onp.stack([spd(n=2), [[1.0, 2], [2, 1]]])))
    for fn, name in [
        (L.potrf, "linalg_potrf"),
        (L.inverse, "linalg_inverse"),
        (L.det, "linalg_det"),
        (L.slogdet, "linalg_slogdet"),
        (L.syevd, "linalg_syevd"),
        (L.sumlogdiag, "linalg_sumlogdiag"),
        (L.extractdiag, "linalg_extractdiag"),
        (L.extracttrian, "linalg_extracttrian"),
        (L.potri, "linalg_potri"),
    ]:
        with pytest.raises(MXNetError, match=rf"{name}.*square.*\(2, 3\)"):
            fn(nd.ones((2, 3)))
        with pytest.raises(MXNetError, match=rf"{name}.*float32 and float64.*int32"):
            fn(nd.ones((2, 2), dtype="int32"))
        with pytest.raises(MXNetError, match=rf"{name}.*float32 and float64.*int64"):
            fn(nd.ones((2, 2), dtype="int64"))
        with pytest.raises(MXNetError, match=rf"{name}.*at least 2 dimensions"):
            fn(nd.ones((2,)))
    with pytest.raises(MXNetError, match=r"linalg_inverse.*singular"):
        L.inverse(nd.array([[1.0, 2], [2, 4]]))
    with pytest.raises(MXNetError, match=r"linalg_gelqf.*no more rows than columns.*\(3, 2\)"):
        L.gelqf(nd.ones((3, 2)))
    with pytest.raises(MXNetError, match=r"linalg_gemm2.*incompatible.*\(2, 3\).*\(2, 3\)"):
        L.gemm2(nd.ones((2, 3)), nd.ones((2, 3)))
    with pytest.raises(MXNetError, match=r"linalg_gemm2.*except on the row and column axes"):
        L.gemm2(nd.ones((3, 2, 4)), nd.ones((5, 4, 2)))
    with pytest.raises(MXNetError, match=r"linalg_gemm2.*different dtypes float64 and float32"):
        L.gemm2(nd.ones((3, 2), dtype="float64"), nd.ones((2, 4)))
    with pytest.raises(MXNetError, match=r"linalg_gemm2.*int32"):
        L.gemm2(nd.ones((3, 2), dtype="int32"), nd.ones((2, 4), dtype="int32"))
    with pytest.raises(MXNetError, match=r"linalg_gemm.*C of shape \(3, 3\)"):
        L.gemm(nd.ones((3, 2)), nd.ones((2, 4)), nd.ones((3, 3)))
    with pytest.raises(MXNetError, match=r"linalg_trsm.*does not fit"):
        L.trsm(nd.ones((3, 3)), nd.ones((2, 4)))
    with pytest.raises(MXNetError, match=r"linalg_trmm.*batch"):
        L.trmm(nd.ones((2, 3, 3)), nd.ones((3, 3, 4)))
    with pytest.raises(MXNetError, match=r"linalg_maketrian.*m\*\(m\+1\)/2"):
        L.maketrian(nd.arange(5))
    with pytest.raises(MXNetError, match=r"linalg_extractdiag.*offset 3"):
        L.extractdiag(nd.ones((3, 3)), offset=3)
    with pytest.raises(TypeError, match="unexpected keyword"):
        L.potrf(nd.ones((2, 2)), upper=True)
    with pytest.raises(mx.base.NotSupportedError, match="out"):
        L.gelqf(nd.ones((2, 3)), out=nd.ones((2, 3)))


def test_out_argument():
    out = nd.zeros((2, 2))
    r = L.potrf(nd.array([[4.0, 2], [2, 3]]), out=out)
    assert r is out
    onp.testing.assert_allclose(out.asnumpy(), [[2.0, 0.0], [1.0, 1.41421356]], rtol=1e-6)


def test_det_gradients_of_a_singular_matrix_are_zero_as_in_mxnet():
    for fn in (L.det, lambda a: L.slogdet(a)[1]):
        x = nd.array([[1.0, 2], [2, 4]])
        x.attach_grad()
        with autograd.record():
            y = fn(x)
        y.backward()
        assert x.grad.asnumpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
