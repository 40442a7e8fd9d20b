"""mx.np.linalg on LAPACK: values against NumPy (batched inputs, float32 and
float64) and against results recorded from MXNet 1.9.1 (svd's signs and
shape rule, eigh's UPLO, qr's modes, lstsq's results), gradients against
float64 finite differences, and errors for singular, non-square and wrongly
typed inputs."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import np
from mxnet.base import MXNetError
from gradcheck import check_gradient

pytestmark = pytest.mark.skipif(not mx._core.have_lapack(), reason="this build has no LAPACK")
LA = np.linalg


def rand(*shape, seed=0):
    return onp.random.default_rng(seed).standard_normal(shape)


def spd(*batch, n=3, seed=0):
    a = rand(*batch, n, n, seed=seed)
    return a @ onp.swapaxes(a, -1, -2) + n * onp.eye(n)


def sym(x):
    return (x + x.swapaxes(-1, -2)) * 0.5


TOL = {"float32": dict(rtol=1e-4, atol=1e-4), "float64": dict(rtol=1e-9, atol=1e-10)}


def test_all_names():
    assert sorted(LA.__all__) == sorted(
        [
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
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("batch", [(), (2,), (2, 3)])
def test_values_against_numpy(dtype, batch):
    tol = TOL[dtype]
    a = rand(*batch, 4, 4, seed=1) + 3 * onp.eye(4)
    s = spd(*batch, n=4, seed=2)
    A, S = np.array(a, dtype=dtype), np.array(s, dtype=dtype)
    onp.testing.assert_allclose(LA.det(A).asnumpy(), onp.linalg.det(a), **tol)
    assert LA.det(A).shape == batch
    sign, logabs = LA.slogdet(A)
    ws, wl = onp.linalg.slogdet(a)
    onp.testing.assert_allclose(sign.asnumpy(), ws)
    onp.testing.assert_allclose(logabs.asnumpy(), wl, **tol)
    onp.testing.assert_allclose(LA.inv(A).asnumpy(), onp.linalg.inv(a), **tol)
    onp.testing.assert_allclose(LA.cholesky(S).asnumpy(), onp.linalg.cholesky(s), **tol)
    w, v = LA.eigh(S)
    onp.testing.assert_allclose(w.asnumpy(), onp.linalg.eigvalsh(s), **tol)
    vn = v.asnumpy()
    onp.testing.assert_allclose(vn @ (w.asnumpy()[..., None] * onp.swapaxes(vn, -1, -2)), s, **tol)
    onp.testing.assert_allclose(LA.eigvalsh(S, UPLO="U").asnumpy(), onp.linalg.eigvalsh(s, UPLO="U"), **tol)
    b = rand(*batch, 4, 2, seed=3)
    onp.testing.assert_allclose(LA.solve(A, np.array(b, dtype=dtype)).asnumpy(), onp.linalg.solve(a, b), **tol)
    bv = rand(*batch, 4, seed=4)
    onp.testing.assert_allclose(
        LA.solve(A, np.array(bv, dtype=dtype)).asnumpy(), onp.linalg.solve(a, bv[..., None])[..., 0], **tol
    )
    w = LA.eigvals(S).asnumpy()
    onp.testing.assert_allclose(onp.sort(w, -1), onp.linalg.eigvalsh(s), **tol)
    wide = rand(*batch, 3, 5, seed=5)
    ut, l, vv = LA.svd(np.array(wide, dtype=dtype))
    onp.testing.assert_allclose(l.asnumpy(), onp.linalg.svd(wide, compute_uv=False), **tol)
    onp.testing.assert_allclose(ut.asnumpy() @ (l.asnumpy()[..., None] * vv.asnumpy()), wide, **tol)
    for m, n in [(5, 3), (3, 5), (4, 4)]:
        x = rand(*batch, m, n, seed=6)
        for mode in ("reduced", "complete"):
            q, r = LA.qr(np.array(x, dtype=dtype), mode=mode)
            wq, wr = onp.linalg.qr(x, mode=mode)
            onp.testing.assert_allclose(q.asnumpy(), wq, **tol)
            onp.testing.assert_allclose(r.asnumpy(), wr, **tol)
        onp.testing.assert_allclose(
            LA.qr(np.array(x, dtype=dtype), mode="r").asnumpy(), onp.linalg.qr(x, mode="r"), **tol
        )
        onp.testing.assert_allclose(LA.pinv(np.array(x, dtype=dtype)).asnumpy(), onp.linalg.pinv(x), **tol)
        rk = LA.matrix_rank(np.array(x, dtype=dtype))
        onp.testing.assert_array_equal(rk if not batch else rk.asnumpy(), onp.linalg.matrix_rank(x))
    onp.testing.assert_allclose(LA.matrix_power(A, 3).asnumpy(), onp.linalg.matrix_power(a, 3), **tol)
    onp.testing.assert_allclose(LA.matrix_power(A, -2).asnumpy(), onp.linalg.matrix_power(a, -2), **tol)
    onp.testing.assert_allclose(LA.matrix_power(A, 0).asnumpy(), onp.linalg.matrix_power(a, 0), **tol)
    for p in (None, 2, -2, "fro", "nuc", 1, -1, onp.inf):
        got = LA.cond(A, p)
        onp.testing.assert_allclose(got if not batch else got.asnumpy(), onp.linalg.cond(a, p), **tol)


def test_other_functions_against_numpy():
    a, b, c = rand(2, 3, seed=1), rand(3, 4, seed=2), rand(4, seed=3)
    onp.testing.assert_allclose(
        LA.multi_dot([np.array(a), np.array(b), np.array(c)]).asnumpy(), onp.linalg.multi_dot([a, b, c]), rtol=1e-5
    )
    onp.testing.assert_allclose(
        LA.multi_dot([np.array(c), np.array(b.T), np.array(a.T)]).asnumpy(),
        onp.linalg.multi_dot([c, b.T, a.T]),
        rtol=1e-5,
    )
    t = rand(4, 2, 2, seed=4) + onp.eye(4).reshape(4, 2, 2) * 3
    onp.testing.assert_allclose(
        LA.tensorinv(np.array(t, dtype="float64"), ind=1).asnumpy(), onp.linalg.tensorinv(t, ind=1), rtol=1e-10
    )
    t2 = rand(6, 2, 3, seed=5) + onp.eye(6).reshape(6, 2, 3) * 3
    onp.testing.assert_allclose(
        LA.tensorinv(np.array(t2, dtype="float64"), ind=1).asnumpy(), onp.linalg.tensorinv(t2, ind=1), rtol=1e-10
    )
    ts = rand(2, 3, 6, seed=6) + onp.eye(6).reshape(2, 3, 6) * 3
    rhs = rand(2, 3, seed=7)
    onp.testing.assert_allclose(
        LA.tensorsolve(np.array(ts, dtype="float64"), np.array(rhs, dtype="float64")).asnumpy(),
        onp.linalg.tensorsolve(ts, rhs),
        rtol=1e-10,
    )
    ta = onp.moveaxis(ts, 0, 2)  # (3, 6, 2): axes=(1, 2)... solve for the moved layout
    onp.testing.assert_allclose(
        LA.tensorsolve(np.array(ta, dtype="float64"), np.array(rhs.T, dtype="float64"), axes=(1,)).asnumpy(),
        onp.linalg.tensorsolve(ta, rhs.T, axes=(1,)),
        rtol=1e-10,
    )
    x = rand(5, 3, seed=8)
    y = rand(5, seed=9)
    got = LA.lstsq(np.array(x, dtype="float64"), np.array(y, dtype="float64"), rcond=None)
    want = onp.linalg.lstsq(x, y, rcond=None)
    onp.testing.assert_allclose(got[0].asnumpy(), want[0], rtol=1e-10)
    onp.testing.assert_allclose(got[1].asnumpy(), want[1], rtol=1e-10)
    assert got[2] == want[2] and isinstance(got[2], int)
    onp.testing.assert_allclose(got[3].asnumpy(), want[3], rtol=1e-10)
    y2 = rand(5, 2, seed=10)
    got = LA.lstsq(np.array(x, dtype="float64"), np.array(y2, dtype="float64"), rcond=None)
    onp.testing.assert_allclose(got[1].asnumpy(), onp.linalg.lstsq(x, y2, rcond=None)[1], rtol=1e-10)


def test_mxnet_recorded_values():
    ut, l, v = LA.svd(np.array([[1.0, 2, 3], [4, 5, 6]]))
    onp.testing.assert_allclose(ut.asnumpy(), [[0.38632, -0.92237], [0.92237, 0.38632]], atol=1e-5)
    onp.testing.assert_allclose(l.asnumpy(), [9.50803, 0.77287], atol=1e-5)
    onp.testing.assert_allclose(v.asnumpy(), [[0.42867, 0.56631, 0.70395], [0.80596, 0.11238, -0.5812]], atol=1e-5)
    ut, l, v = LA.svd(np.array([[-1.0, 2, 3], [4, -5, 6]]))
    onp.testing.assert_allclose(ut.asnumpy(), [[0.06311, 0.99801], [0.99801, -0.06311]], atol=1e-5)
    onp.testing.assert_allclose(v.asnumpy(), [[0.44701, -0.55337, 0.70282], [-0.33726, 0.62345, 0.70538]], atol=1e-5)
    w, vec = LA.eigh(np.array([[2.0, 5], [1, 3]]))
    onp.testing.assert_allclose(w.asnumpy(), [1.38197, 3.61803], atol=1e-5)
    onp.testing.assert_allclose(vec.asnumpy(), [[0.85065, 0.52573], [-0.52573, 0.85065]], atol=1e-5)
    w, vec = LA.eigh(np.array([[2.0, 5], [1, 3]]), UPLO="U")
    onp.testing.assert_allclose(w.asnumpy(), [-2.52494, 7.52494], atol=1e-5)
    onp.testing.assert_allclose(vec.asnumpy(), [[0.74145, 0.67101], [-0.67101, 0.74145]], atol=1e-5)
    w, vec = LA.eig(np.array([[2.0, 1], [1, 3]]))
    onp.testing.assert_allclose(w.asnumpy(), [1.38197, 3.61803], atol=1e-5)
    onp.testing.assert_allclose(vec.asnumpy(), [[-0.85065, -0.52573], [0.52573, -0.85065]], atol=1e-5)
    onp.testing.assert_allclose(LA.eigvals(np.array([[1.0, 2], [3, 4]])).asnumpy(), [-0.37228, 5.37228], atol=1e-5)
    q, r = LA.qr(np.array([[1.0, 2], [3, 4], [5, 6]]))
    onp.testing.assert_allclose(
        q.asnumpy(), [[-0.16903, 0.89709], [-0.50709, 0.27603], [-0.84515, -0.34503]], atol=1e-5
    )
    onp.testing.assert_allclose(r.asnumpy(), [[-5.91608, -7.43736], [0.0, 0.82808]], atol=1e-5)
    x, res, rank, s = LA.lstsq(np.array([[1.0, 2], [3, 4], [5, 6]]), np.array([1.0, 2, 4]))
    onp.testing.assert_allclose(x.asnumpy(), [0.66667, 0.08333], atol=1e-4)
    onp.testing.assert_allclose(res.asnumpy(), [0.16667], atol=1e-4)
    assert rank == 2
    onp.testing.assert_allclose(s.asnumpy(), [9.52552, 0.5143], atol=1e-4)
    x, res, rank, s = LA.lstsq(np.array([[1.0, 2], [2, 4], [3, 6]]), np.array([1.0, 2, 4]), rcond=None)
    assert res.shape == (0,) and rank == 1
    onp.testing.assert_allclose(x.asnumpy(), [0.24286, 0.48571], atol=1e-4)
    onp.testing.assert_allclose(
        LA.pinv(np.array([[1.0, 2], [2, 4]]), rcond=0.1).asnumpy(), [[0.04, 0.08], [0.08, 0.16]], atol=1e-6
    )
    r = LA.matrix_rank(np.array([[1.0, 2], [2, 4]]))
    assert r == 1 and isinstance(r, onp.int64)  # MXNet: a NumPy int64 for one matrix
    c = LA.cond(np.array([[1.0, 2], [3, 4]]))
    assert isinstance(c, onp.float32)
    onp.testing.assert_allclose(LA.cond(np.ones((2, 2, 2)) + np.eye(2)).asnumpy(), [3.0, 3.0], rtol=1e-6)
    x, _, rank, _ = LA.lstsq(np.array([[1.0, 2], [3, 4], [5, 6]]), np.array([1.0, 2, 4]), rcond="warn")
    onp.testing.assert_allclose(x.asnumpy(), [0.66667, 0.08333], atol=1e-4)
    with pytest.raises(ValueError, match="rcond"):
        LA.lstsq(np.eye(2), np.ones(2), rcond="bad")
    assert LA.matrix_rank(np.ones((2, 3, 3))).asnumpy().tolist() == [1, 1]
    assert LA.matrix_rank(np.ones((2, 3, 3))).dtype == onp.int64
    assert LA.matrix_rank(np.array([[1.0, 2], [3, 4]]), hermitian=True) == 2  # MXNet: 2
    sing = np.array([[1.0, 2, 0], [2, 4, 0], [0, 0, -3]])
    assert LA.matrix_rank(sing, hermitian=True) == onp.linalg.matrix_rank(sing.asnumpy(), hermitian=True) == 2
    mp = LA.matrix_power(np.array([[1, 2], [3, 4]], dtype="int32"), 2)
    assert mp.dtype == onp.int32 and mp.asnumpy().tolist() == [[7, 10], [15, 22]]
    onp.testing.assert_allclose(
        LA.matrix_power(np.array([[1.0, 2], [3, 4]]), -2).asnumpy(), [[5.5, -2.5], [-3.75, 1.75]], rtol=1e-5
    )
    onp.testing.assert_allclose(float(LA.cond(np.array([[1.0, 2], [3, 4]]))), 14.933034, rtol=1e-5)
    onp.testing.assert_allclose(float(LA.cond(np.array([[1.0, 2], [3, 4]]), 1)), 21.0, rtol=1e-5)
    assert LA.det(np.array([[4.0, 2], [2, 3]])).shape == ()
    sign, logabs = LA.slogdet(np.array([[1.0, 2], [2, 4]]))
    assert float(sign) == 0 and float(logabs) == -onp.inf
    assert LA.inv(np.ones((2, 0, 0))).shape == (2, 0, 0)


# ---- gradients ---------------------------------------------------------------------------

GRAD_CASES = [
    ("det", LA.det, [(2, 3, 3)]),
    ("slogdet", lambda a: LA.slogdet(a)[1], [(3, 3)]),
    ("inv", LA.inv, [(2, 3, 3)]),
    ("solve", LA.solve, [(2, 3, 3), (2, 3, 2)]),
    ("solve-vector", LA.solve, [(3, 3), (3,)]),
    ("svd", LA.svd, [(2, 3, 4)]),
    ("svd-square", LA.svd, [(3, 3)]),
    ("qr-tall", LA.qr, [(2, 4, 3)]),
    ("qr-square", LA.qr, [(3, 3)]),
    ("qr-wide", LA.qr, [(3, 5)]),
    ("qr-r", lambda a: LA.qr(a, mode="r"), [(4, 3)]),
    ("pinv", LA.pinv, [(3, 4)]),
    ("pinv-tall", LA.pinv, [(2, 4, 3)]),
    ("tensorinv", lambda a: LA.tensorinv(a, ind=1), [(4, 2, 2)]),
    ("tensorsolve", LA.tensorsolve, [(2, 3, 6), (2, 3)]),
    ("matrix_power", lambda a: LA.matrix_power(a, 3), [(2, 3, 3)]),
    ("matrix_power-neg", lambda a: LA.matrix_power(a, -2), [(3, 3)]),
    ("multi_dot", lambda a, b, c: LA.multi_dot([a, b, c]), [(3,), (3, 4), (4, 2)]),
]


@pytest.mark.parametrize("name,fn,shapes", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients(name, fn, shapes):
    square_ish = name in (
        "det",
        "slogdet",
        "inv",
        "solve",
        "solve-vector",
        "tensorinv",
        "tensorsolve",
        "matrix_power-neg",
    )
    inputs = []
    for i, s in enumerate(shapes):
        x = rand(*s, seed=40 + i)
        if i == 0 and square_ish:
            x = x + 3 * onp.eye(s[-1]).reshape(s[-2:]) if len(s) >= 2 and s[-1] == s[-2] else x
            if name == "tensorinv":
                x = x + 3 * onp.eye(4).reshape(4, 2, 2)
            if name == "tensorsolve":
                x = x + 3 * onp.eye(6).reshape(2, 3, 6)
        inputs.append(x)
    check_gradient(fn, *inputs, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("batch", [(), (2,)])
def test_symmetric_gradients(batch):
    s = spd(*batch, n=3, seed=50)
    check_gradient(lambda a: LA.cholesky(sym(a)), s, rtol=1e-5, atol=1e-7)
    check_gradient(lambda a: LA.eigh(sym(a)), s, rtol=1e-5, atol=1e-7)
    check_gradient(lambda a: LA.eigvalsh(sym(a), UPLO="U"), s, rtol=1e-5, atol=1e-7)


def test_cholesky_gradient_recorded_from_mxnet():
    from mxnet import autograd

    x = np.array([[4.0, 7], [2, 3]], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = LA.cholesky(x)
        s = (y * np.arange(4, dtype="float64").reshape(2, 2) + y).sum()
    s.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), [[0.22855, 0.04289], [0.04289, 1.41421]], atol=1e-5)


# ---- errors --------------------------------------------------------------------------------


def test_errors():
    with pytest.raises(MXNetError, match=r"linalg_inverse.*singular"):
        LA.inv(np.array([[1.0, 2], [2, 4]]))
    with pytest.raises(MXNetError, match=r"solve.*singular"):
        LA.solve(np.array([[1.0, 2], [2, 4]]), np.array([1.0, 2]))
    with pytest.raises(MXNetError, match=r"linalg_potrf.*not positive definite"):
        LA.cholesky(np.array([[1.0, 2], [2, 1]]))
    with pytest.raises(MXNetError, match=r"svd.*no more rows than columns.*\(3, 2\)"):
        LA.svd(np.ones((3, 2)))
    with pytest.raises(MXNetError, match=r"eig.*complex eigenvalues"):
        LA.eig(np.array([[0.0, -1], [1, 0]]))
    with pytest.raises(MXNetError, match=r"linalg_det.*square.*\(2, 3\)"):
        LA.det(np.ones((2, 3)))
    with pytest.raises(MXNetError, match=r"solve.*do not match"):
        LA.solve(np.ones((2, 2)) + np.eye(2), np.ones((3, 2, 1)))
    for fn, name in [
        (LA.det, "linalg_det"),
        (LA.inv, "linalg_inverse"),
        (LA.svd, "svd"),
        (LA.qr, "qr"),
        (LA.eig, "eig"),
        (LA.cholesky, "linalg_potrf"),
        (LA.eigh, "eigh"),
    ]:
        with pytest.raises(MXNetError, match=rf"{name}.*float32 and float64.*int32"):
            fn(np.ones((2, 2), dtype="int32"))
    with pytest.raises(ValueError, match=r"eigh.*UPLO"):
        LA.eigh(np.eye(2), UPLO="X")
    with pytest.raises(ValueError, match=r"qr.*mode"):
        LA.qr(np.eye(2), mode="full")
    with pytest.raises(mx.base.NotSupportedError, match="hermitian"):
        LA.pinv(np.eye(2), hermitian=True)
    with pytest.raises(MXNetError, match=r"multi_dot.*at least two"):
        LA.multi_dot([np.eye(2)])
    with pytest.raises(MXNetError, match=r"tensorinv.*\(4, 2, 3\)"):
        LA.tensorinv(np.ones((4, 2, 3)), ind=1)
