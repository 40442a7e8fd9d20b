"""Linear algebra beyond the op table: einsum forms (repeated labels too),
legacy nd names and conventions, a large product against NumPy, second-order
gradients of matmul and of diagonals."""

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mxnet as mx
from mxnet import autograd, nd, np, npx
from mxnet.base import MXNetError
from gradcheck import check_gradient


def rand(*shape, seed=0):
    return onp.random.default_rng(seed).standard_normal(shape)


def mx64(x):
    return np.array(x, dtype="float64")


EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output
    ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),  # batch matmul
    ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),  # attention scores
    ("ij->ji", [(2, 3)]),  # transpose
    ("ba", [(2, 3)]),  # implicit transpose
    ("ijk->kij", [(2, 3, 4)]),
    ("ij->", [(2, 3)]),  # full sum
    ("ij->j", [(2, 3)]),  # column sums
    ("i,i->", [(4,), (4,)]),  # inner product
    ("i,j->ij", [(2,), (3,)]),  # outer product
    ("ij,ij->ij", [(2, 3), (2, 3)]),  # elementwise
    ("ij,ij->", [(2, 3), (2, 3)]),
    ("ij,kj->", [(2, 3), (4, 3)]),
    ("ijk,jkl,lm->im", [(2, 3, 4), (3, 4, 5), (5, 6)]),  # chain with two contractions
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 2)]),
    ("ij,jk->ki", [(2, 3), (3, 4)]),
    ("Ij,jK->IK", [(2, 3), (3, 4)]),  # upper-case labels
    (" ij , jk -> ik ", [(2, 3), (3, 4)]),  # spaces
    ("ij,jk->ik", [(0, 3), (3, 4)]),  # empty
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 2)]),  # broadcast batch matmul
    ("...ij,...jk", [(2, 2, 3), (3, 4)]),  # implicit with ellipsis
    ("i...->...", [(5, 2)]),
    ("...,...", [(5, 2), (2,)]),
    ("ij,ij->ij", [(2, 3), (1, 3)]),  # size-1 dims broadcast
    ("bij,bjk->bik", [(1, 2, 3), (4, 3, 2)]),
    # A label repeated within one operand: diagonals and traces.
    ("ii", [(3, 3)]),  # trace
    ("ii->", [(3, 3)]),
    ("ii->i", [(3, 3)]),  # diagonal
    ("iii", [(3, 3, 3)]),  # triple: trace of the 3-D diagonal
    ("iii->i", [(2, 2, 2)]),
    ("iij->j", [(3, 3, 4)]),
    ("iji->j", [(3, 4, 3)]),  # repeats that are not adjacent
    ("jii->ij", [(4, 3, 3)]),
    ("bii->bi", [(2, 3, 3)]),
    ("bii", [(2, 3, 3)]),  # implicit: 'i' occurs twice, so it is summed
    ("ij,jj->i", [(2, 3), (3, 3)]),
    ("ii,jj->ij", [(2, 2), (3, 3)]),
    ("ii,ij->j", [(3, 3), (3, 4)]),  # repeated label shared with another operand
    ("iijj->ij", [(2, 2, 3, 3)]),
    ("...ii->...i", [(2, 4, 3, 3)]),
    ("ii->i", [(0, 0)]),
    ("ii,i->i", [(3, 3), (1,)]),  # size-1 dim broadcasts against the diagonal
]


@pytest.mark.parametrize("spec,shapes", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_values_and_gradients(spec, shapes):
    xs = [rand(*s, seed=i) for i, s in enumerate(shapes)]
    want = onp.einsum(spec.replace(" ", ""), *xs)
    got = np.einsum(spec, *[mx64(x) for x in xs])
    assert got.shape == want.shape
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-10, atol=1e-12)
    if all(onp.prod(s) > 0 for s in shapes):
        check_gradient(lambda *a: np.einsum(spec, *a), *xs)


def test_einsum_float32_result():
    out = np.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4)))
    assert out.dtype == onp.float32
    onp.testing.assert_array_equal(out.asnumpy(), onp.full((2, 4), 3, onp.float32))


@pytest.mark.parametrize(
    "spec,shapes,pattern",
    [
        ("ij,jk->ik", [(2, 3), (4, 5)], r"einsum.*'j'.*extent"),
        ("ij,jk->ik", [(2, 3)], r"einsum.*2 operands but 1"),
        ("ijk->i", [(2, 3)], r"einsum.*\(2, 3\).*'ijk'"),
        ("ii->i", [(3, 4)], r"einsum.*'i' is repeated in operand 0 \(shape \(3, 4\)\).*3 and 4"),
        ("ij,jii->j", [(2, 3), (3, 2, 3)], r"einsum.*'i' is repeated in operand 1.*2 and 3"),
        ("ii->ii", [(3, 3)], r"einsum.*output subscript 'i' is repeated"),
        ("ij->iz", [(2, 3)], r"einsum.*'z'"),
        ("...ij->ij", [(2, 3, 4)], r"einsum.*needs '\.\.\.'"),
        ("i.j->ij", [(2, 3)], r"einsum.*invalid subscript '\.'"),
        ("...i,...i->...", [(2, 3), (4, 3)], r"einsum.*'\.\.\.'.*extent 2.*4"),
    ],
)
def test_einsum_errors(spec, shapes, pattern):
    with pytest.raises(MXNetError, match=pattern):
        np.einsum(spec, *[np.ones(s) for s in shapes])
    assert np.einsum("i->", np.ones(3)).item() == 3  # still usable


def test_legacy_nd_dot_conventions():
    a, b = rand(2, 3, 4), rand(4, 5, 6, seed=1)
    out = nd.dot(nd.array(a, dtype="float64"), nd.array(b, dtype="float64"))
    assert isinstance(out, mx.nd.NDArray) and out.shape == (2, 3, 5, 6)
    onp.testing.assert_allclose(out.asnumpy(), onp.tensordot(a, b, axes=([2], [0])), rtol=1e-10)
    v = nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6]))
    assert v.shape == (1,) and v.asnumpy()[0] == 32
    # transpose_a on N-D: the first axis is the contracted one.
    a, b = rand(3, 2, 4), rand(3, 5, seed=1)
    out = nd.dot(nd.array(a, dtype="float64"), nd.array(b, dtype="float64"), transpose_a=True)
    assert out.shape == (2, 4, 5)
    onp.testing.assert_allclose(out.asnumpy(), onp.tensordot(a, b, axes=([0], [0])), rtol=1e-10)
    a, b = rand(2, 3), rand(4, 3, seed=1)
    out = nd.dot(nd.array(a, dtype="float64"), nd.array(b, dtype="float64"), transpose_b=True)
    onp.testing.assert_allclose(out.asnumpy(), a @ b.T, rtol=1e-10)
    with pytest.raises(MXNetError, match=r"dot.*\(2, 3\).*\(4, 5\)"):
        nd.dot(nd.ones((2, 3)), nd.ones((4, 5)))


def test_legacy_nd_batch_dot_and_gradient():
    a, b = rand(2, 4, 3), rand(2, 5, 4, seed=1)
    out = nd.batch_dot(nd.array(a, dtype="float64"), nd.array(b, dtype="float64"), transpose_a=True, transpose_b=True)
    assert isinstance(out, mx.nd.NDArray)
    onp.testing.assert_allclose(out.asnumpy(), onp.swapaxes(a, 1, 2) @ onp.swapaxes(b, 1, 2), rtol=1e-10)
    check_gradient(
        lambda x, y: nd.batch_dot(x.as_nd_ndarray(), y.as_nd_ndarray(), transpose_b=True).as_np_ndarray(),
        rand(2, 3, 4),
        rand(2, 5, 4, seed=1),
    )
    with pytest.raises(MXNetError, match=r"batch_dot.*\(1, 3, 4\).*\(2, 4, 5\)"):
        nd.batch_dot(nd.ones((1, 3, 4)), nd.ones((2, 4, 5)))


@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_legacy_dot_transposed_gradients(ta, tb):
    a = rand(*((4, 3) if ta else (3, 4)))
    b = rand(*((5, 4) if tb else (4, 5)), seed=1)
    check_gradient(
        lambda x, y: nd.dot(x.as_nd_ndarray(), y.as_nd_ndarray(), transpose_a=ta, transpose_b=tb).as_np_ndarray(), a, b
    )


@pytest.mark.parametrize("dtype,rtol", [("float32", 1e-4), ("float64", 1e-11)])
def test_large_matmul_matches_numpy(dtype, rtol):
    a, b = rand(300, 500).astype(dtype), rand(500, 300, seed=1).astype(dtype)
    out = np.array(a, dtype=dtype) @ np.array(b, dtype=dtype)
    assert out.dtype == onp.dtype(dtype)
    want = a.astype(onp.float64) @ b.astype(onp.float64)
    onp.testing.assert_allclose(out.asnumpy(), want, rtol=rtol, atol=rtol * 30)
    # Transposed operands through the legacy flags agree too.
    out_t = nd.dot(
        nd.array(a.T.copy(), dtype=dtype), nd.array(b.T.copy(), dtype=dtype), transpose_a=True, transpose_b=True
    )
    onp.testing.assert_allclose(out_t.asnumpy(), want, rtol=rtol, atol=rtol * 30)


def test_large_integer_matmul_is_exact():
    rng = onp.random.default_rng(3)
    a, b = rng.integers(-5, 5, (70, 90)), rng.integers(-5, 5, (90, 60))
    out = np.array(a, dtype="int64") @ np.array(b, dtype="int64")
    assert out.dtype == onp.int64
    onp.testing.assert_array_equal(out.asnumpy(), a @ b)


def test_many_small_batched_products():
    a, b = rand(300, 3, 4), rand(1, 4, 2, seed=1)
    out = np.matmul(mx64(a), mx64(b))
    onp.testing.assert_allclose(out.asnumpy(), a @ b, rtol=1e-12)
    a, b = rand(2, 1, 3, 4), rand(1, 200, 4, 2, seed=1)  # both batch dims broadcast
    onp.testing.assert_allclose(np.matmul(mx64(a), mx64(b)).asnumpy(), a @ b, rtol=1e-12)
    check_gradient(np.matmul, rand(2, 1, 2, 3), rand(3, 3, 2, seed=1))


def test_matmul_second_order_gradient():
    a, b = rand(3, 4), rand(4, 2, seed=1)
    x, y = mx64(a), mx64(b)
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        z = np.matmul(x, y)
        loss = (z * z).sum()
        (gx,) = autograd.grad(loss, [x], create_graph=True)
        second = (gx * gx).sum()
    second.backward()
    # loss = |XY|^2: gX = 2 X Y Y^T; second = |gX|^2 = 4 |X Y Y^T|^2, whose
    # gradient in X is 8 (X Y Y^T) (Y Y^T)^T and in Y follows by the chain rule.
    yyt = b @ b.T
    onp.testing.assert_allclose(gx.asnumpy(), 2 * a @ yyt, rtol=1e-10)
    onp.testing.assert_allclose(x.grad.asnumpy(), 8 * a @ yyt @ yyt.T, rtol=1e-10)

    def second_in_y(yv):
        g = 2 * a @ yv @ yv.T
        return (g * g).sum()

    eps, num = 1e-6, onp.zeros_like(b)
    for idx in onp.ndindex(*b.shape):
        bp, bm = b.copy(), b.copy()
        bp[idx] += eps
        bm[idx] -= eps
        num[idx] = (second_in_y(bp) - second_in_y(bm)) / (2 * eps)
    onp.testing.assert_allclose(y.grad.asnumpy(), num, rtol=1e-6)


def test_vector_matmul_gradients():
    check_gradient(np.matmul, rand(3), rand(3, seed=1))
    check_gradient(np.matmul, rand(3), rand(2, 3, 4, seed=1))
    check_gradient(np.matmul, rand(2, 3, 4), rand(4, seed=1))
    check_gradient(np.dot, rand(2, 3, 4), rand(5, 4, 2, seed=1))
    check_gradient(np.outer, rand(2, 3), rand(4, seed=1))
    check_gradient(np.vdot, rand(2, 3), rand(3, 2, seed=1))
    check_gradient(lambda a, b: np.tensordot(a, b, axes=([0, 2], [2, 0])), rand(2, 3, 4), rand(4, 5, 2, seed=1))


def test_mixed_dtypes_promote_and_bool_gives_bool():
    out = np.matmul(np.ones((2, 3), dtype="float32"), np.ones((3, 2), dtype="float64"))
    assert out.dtype == onp.float64
    # MXNet 1.9.1 refuses bool products; NumPy's answer: whether any product is true.
    a, b = onp.array([[True, False], [False, False]]), onp.array([[True, True], [False, True]])
    out = np.matmul(np.array(a), np.array(b))
    assert out.dtype == onp.bool_ and (out.asnumpy() == onp.matmul(a, b)).all()


def test_matmul_on_views_and_results_are_fresh():
    base = np.array(rand(4, 3, 5), dtype="float64")
    v = base[1:3]
    w = np.array(rand(5, 2, seed=1), dtype="float64")
    out = v @ w
    onp.testing.assert_allclose(out.asnumpy(), base.asnumpy()[1:3] @ w.asnumpy(), rtol=1e-12)
    out[:] = 0
    assert onp.abs(base.asnumpy()).sum() > 0


def test_thread_count_change_keeps_results():
    a, b = rand(200, 150).astype("float32"), rand(150, 100, seed=1).astype("float32")
    before = (np.array(a) @ np.array(b)).asnumpy()
    n = mx._core.num_threads()
    try:
        mx._core.set_num_threads(1)
        one = (np.array(a) @ np.array(b)).asnumpy()
    finally:
        mx._core.set_num_threads(n)
    onp.testing.assert_allclose(one, before, rtol=1e-5, atol=1e-4)
    assert npx.batch_dot(np.ones((2, 2, 3)), np.ones((2, 3, 1))).shape == (2, 2, 1)


def test_openblas_stays_single_threaded_and_the_pool_splits_products():
    # OpenBLAS's own threads would spin on the same cores as the pool's: BLAS
    # stays at one thread and large products are split into blocks over the pool.
    if not mx._core.gemm_uses_blas():
        pytest.skip("built without BLAS")
    import ctypes
    import os

    # The BLAS the extension loaded (the wheel's, not a system BLAS of a native build).
    maps = open("/proc/self/maps").read() if os.path.exists("/proc/self/maps") else ""
    paths = {line.split()[-1] for line in maps.splitlines() if line.endswith("/libscipy_openblas.so")}
    if len(paths) != 1:
        pytest.skip("the extension does not use the scipy-openblas32 wheel's library")
    lib = ctypes.CDLL(paths.pop())
    n = mx._core.num_threads()
    rng = onp.random.default_rng(5)
    shapes = [((300, 200), (200, 250)), ((8, 1000), (1000, 700)), ((2000, 64), (64, 40))]  # rows, columns, rows
    pairs = [(rng.standard_normal(a).astype("float32"), rng.standard_normal(b).astype("float32")) for a, b in shapes]
    try:
        results = []
        for threads in (1, 2, 3):
            mx._core.set_num_threads(threads)
            assert lib.scipy_openblas_get_num_threads() == 1
            results.append([np.matmul(np.array(a), np.array(b)).asnumpy() for a, b in pairs])
            results.append([np.matmul(np.array(a.T.copy()).T, np.array(b)).asnumpy() for a, b in pairs])
        for rs in results:
            for r, (a, b) in zip(rs, pairs):
                onp.testing.assert_allclose(r, a.astype("float64") @ b, rtol=1e-4, atol=1e-4)
    finally:
        mx._core.set_num_threads(n)
    assert lib.scipy_openblas_get_num_threads() == 1


def test_diagonal_second_order_gradient():
    a = rand(3, 4, 3)
    x = mx64(a)
    x.attach_grad()
    with autograd.record():
        d = np.diagonal(x, 1, -1, 0)  # d[j, k] = x[k + 1, j, k]
        loss = (d * d * d).sum()
        (gx,) = autograd.grad(loss, [x], create_graph=True)
        second = (gx * gx).sum()
    second.backward()
    dv = onp.diagonal(a, 1, -1, 0)
    want_g = onp.zeros_like(a)
    for k in range(2):
        want_g[k + 1, :, k] = 3 * dv[:, k] ** 2
    onp.testing.assert_allclose(gx.asnumpy(), want_g, rtol=1e-12)
    # second = sum over the diagonal of 9 d^4: its gradient is 36 d^3 there.
    want = onp.zeros_like(a)
    for k in range(2):
        want[k + 1, :, k] = 36 * dv[:, k] ** 3
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-12)


def test_diagonal_backward_gradient_is_diagonal():
    check_gradient(lambda v: np.trace(v * v, 1, 0, 2).sum() * np.trace(v), rand(3, 3, 4))
    check_gradient(lambda v: np.diag(v, -1), rand(3))
    check_gradient(lambda v: np.einsum("ii,jj->ij", v, v * v), rand(3, 3))

    # The gradient of trace(x * x) is 2 x scattered by diagonal_backward;
    # differentiating a function of it again runs that op's own gradient.
    a = rand(4, 4)
    x = mx64(a)
    x.attach_grad()
    with autograd.record():
        t = np.trace(x * x)
        (gx,) = autograd.grad(t, [x], create_graph=True)  # 2 x
        second = (np.diagonal(gx) ** 2).sum()  # 4 sum(diag(x)^2)
    second.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), onp.diag(8 * onp.diag(a)), rtol=1e-12)


def test_large_diagonal_and_its_gradient_split_over_the_pool():
    a = onp.random.default_rng(4).standard_normal((2000, 40, 40)).astype("float32")
    x = np.array(a)
    x.attach_grad()
    with autograd.record():
        d = np.diagonal(x, -3, 1, 2)
        loss = (d * np.arange(37, dtype="float32")).sum()
    loss.backward()
    onp.testing.assert_array_equal(d.asnumpy(), onp.diagonal(a, -3, 1, 2))
    want = onp.zeros_like(a)
    idx = onp.arange(37)
    want[:, idx + 3, idx] = idx
    onp.testing.assert_array_equal(x.grad.asnumpy(), want)
    onp.testing.assert_allclose(np.trace(x, 2, -1, -2).asnumpy(), onp.trace(a, 2, -1, -2), rtol=1e-5, atol=1e-4)


def test_diagonal_is_a_copy_and_reads_views():
    base = np.array(rand(4, 3, 3), dtype="float64")
    v = base[1:3]
    d = np.diagonal(v)
    onp.testing.assert_array_equal(d.asnumpy(), onp.diagonal(base.asnumpy()[1:3]))
    d[:] = 0
    assert onp.abs(onp.diagonal(base.asnumpy()[1:3])).sum() > 0


def test_legacy_nd_diag():
    m = rand(2, 3, 4)
    out = nd.diag(nd.array(m, dtype="float64"), k=1, axis1=2, axis2=0)
    assert isinstance(out, mx.nd.NDArray) and out.shape == (3, 1)
    onp.testing.assert_array_equal(out.asnumpy(), onp.diagonal(m, 1, 2, 0))
    onp.testing.assert_array_equal(nd.diag(nd.array(m[0], dtype="float64")).asnumpy(), onp.diag(m[0]))
    out = nd.diag(nd.array([1, 2, 3], dtype="int32"), k=-1)
    assert isinstance(out, mx.nd.NDArray) and out.dtype == onp.int32
    onp.testing.assert_array_equal(out.asnumpy(), onp.diag([1, 2, 3], -1))
    with pytest.raises(MXNetError, match=r"diagonal.*same axis"):
        nd.diag(nd.ones((2, 3)), axis1=1, axis2=-1)


@st.composite
def diagonal_call(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=2, max_size=4)))
    nd_ = len(shape)
    axis1 = draw(st.integers(-nd_, nd_ - 1))
    axis2 = draw(st.integers(-nd_, nd_ - 1).filter(lambda a: a % nd_ != axis1 % nd_))
    return shape, draw(st.integers(-5, 5)), axis1, axis2


@settings(max_examples=80, deadline=None)
@given(call=diagonal_call())
def test_diagonal_trace_and_scatter_match_numpy(call):
    shape, offset, axis1, axis2 = call
    a = onp.arange(onp.prod(shape), dtype=onp.int64).reshape(shape)
    d = np.diagonal(np.array(a, dtype="int64"), offset, axis1, axis2)
    want = onp.diagonal(a, offset, axis1, axis2)
    assert d.shape == want.shape
    onp.testing.assert_array_equal(d.asnumpy(), want)
    onp.testing.assert_array_equal(
        np.trace(np.array(a, dtype="int64"), offset, axis1, axis2).asnumpy(), onp.trace(a, offset, axis1, axis2)
    )
    # The gradient scatters back onto exactly the positions diagonal read.
    x = np.array(a, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = np.diagonal(x, offset, axis1, axis2)
    y.backward(np.ones(y.shape, dtype="float64") * 2)
    mask = onp.zeros(shape)
    positions = onp.diagonal(onp.arange(mask.size).reshape(shape), offset, axis1, axis2).ravel()
    mask.ravel()[positions] = 2
    onp.testing.assert_array_equal(x.grad.asnumpy(), mask)
