"""Reductions beyond the op table: gradient rules (prod with zeros, ties of
max/min, cumsum), higher-order gradients, the legacy nd face, array methods,
large (parallel) reductions, and hypothesis property tests of reductions over
random axis subsets and of broadcasting binary ops."""
import warnings

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mxnet as mx
from mxnet import autograd, nd, np
from mxnet.base import MXNetError


def mx64(a):
    return np.array(onp.asarray(a, dtype=onp.float64), dtype="float64")


def grad_of(f, x):
    v = mx64(x)
    v.attach_grad()
    with autograd.record():
        y = f(v)
    y.backward()
    return v.grad.asnumpy()


# ---- gradient rules ----------------------------------------------------------------
def test_prod_gradient_without_zeros_is_product_of_the_others():
    x = onp.array([[2.0, 3.0, 4.0], [1.0, -2.0, 0.5]])
    onp.testing.assert_allclose(grad_of(lambda a: np.prod(a, axis=1).sum(), x),
                                [[12.0, 8.0, 6.0], [-1.0, 0.5, -2.0]])


def test_prod_gradient_with_one_zero_goes_to_the_zero_only():
    x = onp.array([[2.0, 0.0, 4.0], [0.0, 3.0, 5.0]])
    onp.testing.assert_allclose(grad_of(lambda a: np.prod(a, axis=1).sum(), x),
                                [[0.0, 8.0, 0.0], [15.0, 0.0, 0.0]])


def test_prod_gradient_with_two_zeros_is_zero():
    x = onp.array([0.0, 3.0, 0.0, 2.0])
    onp.testing.assert_array_equal(grad_of(lambda a: np.prod(a), x), [0.0, 0.0, 0.0, 0.0])


def test_prod_second_order_gradient():
    # d/dx_i sum_j d(prod)/dx_j = sum_{j != i} prod_{k != i, j} x_k
    x = onp.array([2.0, 3.0, 5.0])
    v = mx64(x)
    v.attach_grad()
    with autograd.record():
        y = np.prod(v)
        (g,) = autograd.grad(y, [v], create_graph=True)
        z = g.sum()
    z.backward()
    onp.testing.assert_allclose(v.grad.asnumpy(), [3 + 5, 2 + 5, 2 + 3])


@pytest.mark.parametrize("fname,values", [("max", [1.0, 3.0, 3.0, -1.0]), ("min", [2.0, -4.0, 5.0, -4.0])])
def test_extremum_gradient_is_split_equally_among_ties(fname, values):
    g = grad_of(lambda a: getattr(np, fname)(a), onp.array(values))
    hit = onp.array(values) == getattr(onp, fname)(values)
    onp.testing.assert_allclose(g, hit / hit.sum())
    assert g.sum() == pytest.approx(1.0)


def test_max_gradient_over_an_axis_keepdims():
    x = onp.array([[1.0, 5.0, 5.0], [7.0, 2.0, 3.0]])
    g = grad_of(lambda a: (np.max(a, axis=1, keepdims=True) * mx64([[2.0], [10.0]])).sum(), x)
    onp.testing.assert_allclose(g, [[0.0, 1.0, 1.0], [10.0, 0.0, 0.0]])


def test_max_second_order_gradient_is_zero():
    v = mx64([1.0, 4.0, 2.0])
    v.attach_grad()
    with autograd.record():
        (g,) = autograd.grad(np.max(v * v), [v], create_graph=True)
        z = g.sum()
    z.backward()
    onp.testing.assert_allclose(v.grad.asnumpy(), [0.0, 2.0, 0.0])


def test_cumsum_gradient_is_the_reverse_cumsum():
    x = onp.arange(6.0).reshape(2, 3)
    head = onp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    v = mx64(x)
    v.attach_grad()
    with autograd.record():
        y = np.cumsum(v, axis=1)
    y.backward(mx64(head))
    onp.testing.assert_allclose(v.grad.asnumpy(), onp.cumsum(head[:, ::-1], axis=1)[:, ::-1])
    g = grad_of(lambda a: np.cumsum(a), x)  # flattened
    onp.testing.assert_allclose(g, onp.arange(6, 0, -1.0).reshape(2, 3))


@pytest.mark.parametrize("fname", ["argmax", "argmin", "all", "any"])
def test_non_differentiable_reductions_give_no_gradient(fname):
    v = mx64([1.0, 2.0, 3.0])
    v.attach_grad()
    with autograd.record():
        y = getattr(np, fname)(v)
        z = (v * 2).sum() + y.astype("float64") * 100
    assert y.dtype in (onp.int64, onp.bool_)
    z.backward()
    # Only the differentiable term reaches v.
    onp.testing.assert_allclose(v.grad.asnumpy(), [2.0, 2.0, 2.0])


def test_std_var_match_numpy_with_ddof_and_integers():
    x = onp.array([[1, 2, 3], [4, 6, 9]], dtype=onp.int32)
    onp.testing.assert_allclose(np.std(np.array(x, dtype="int32")).item(), onp.std(x), rtol=1e-6)
    onp.testing.assert_allclose(np.var(np.array(x, dtype="int32"), axis=1, ddof=1).asnumpy(),
                                onp.var(x, axis=1, ddof=1), rtol=1e-6)
    assert onp.isinf(np.var(mx64([1.0, 2.0]), ddof=2).item())


def test_prod_and_cumsum_dtype_argument_casts_first():
    x = np.array([100, 100, 100], dtype="int8")
    assert np.prod(x, dtype="float64").item() == 1e6
    assert np.cumsum(x, dtype="int64").asnumpy().tolist() == [100, 200, 300]


# ---- matrix norms from singular values (ord 2, -2, 'nuc') ---------------------------------
SVD_ORDS = [(2, "ord=2"), (-2, "ord=-2"), ("nuc", "ord='nuc'")]


def separated_singular_values(rng, m, n):
    q1, _ = onp.linalg.qr(rng.standard_normal((m, min(m, n))))
    q2, _ = onp.linalg.qr(rng.standard_normal((n, min(m, n))))
    return (q1 * (1.0 + onp.arange(min(m, n))[::-1])) @ q2.T


@pytest.mark.parametrize("ord_,label", SVD_ORDS)
def test_svd_norm_second_order_gradient_raises_a_clear_error(ord_, label):
    x = mx64(separated_singular_values(onp.random.default_rng(3), 3, 4))
    x.attach_grad()
    with autograd.record():
        y = np.linalg.norm(x, ord_)
        with pytest.raises(MXNetError, match=rf"norm.*{label}.*not differentiable again"):
            autograd.grad(y, [x], create_graph=True)
    # The library stays usable and the first-order gradient is still right.
    u, _, vt = onp.linalg.svd(x.asnumpy(), full_matrices=False)
    want = {2: onp.outer(u[:, 0], vt[0]), -2: onp.outer(u[:, -1], vt[-1]), "nuc": u @ vt}[ord_]
    onp.testing.assert_allclose(grad_of(lambda v: np.linalg.norm(v, ord_), x.asnumpy()), want, atol=1e-12)


@pytest.mark.parametrize("ord_", [2, -2, "nuc"])
def test_svd_norm_of_rank_deficient_and_larger_matrices(ord_):
    rng = onp.random.default_rng(5)
    low_rank = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 5))
    for a in [onp.ones((3, 4)), onp.zeros((2, 3)), low_rank, rng.standard_normal((40, 30)),
              rng.standard_normal((30, 40))]:
        onp.testing.assert_allclose(np.linalg.norm(mx64(a), ord_).item(), onp.linalg.norm(a, ord_),
                                    rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (5, 5)])
def test_svd_norm_gradient_of_rank_deficient_matrices_is_a_subgradient(shape):
    # Zero singular values: their singular vectors are completed to an
    # orthonormal set, so U V^T keeps every singular value 1 and <G, A> is
    # still the norm.
    rng = onp.random.default_rng(7)
    low_rank = rng.standard_normal((shape[0], 1)) @ rng.standard_normal((1, shape[1]))
    for a in [low_rank, onp.zeros(shape), onp.ones(shape)]:
        g = grad_of(lambda v: np.linalg.norm(v, "nuc"), a)
        onp.testing.assert_allclose(onp.linalg.svd(g, compute_uv=False), onp.ones(min(shape)), atol=1e-10)
        onp.testing.assert_allclose((g * a).sum(), onp.linalg.norm(a, "nuc"), atol=1e-10)
        g2 = grad_of(lambda v: np.linalg.norm(v, 2), a)
        onp.testing.assert_allclose(onp.linalg.svd(g2, compute_uv=False)[:2], [1.0, 0.0], atol=1e-10)
        onp.testing.assert_allclose((g2 * a).sum(), onp.linalg.norm(a, 2), atol=1e-10)


def test_svd_norm_over_a_large_batch_matches_numpy():
    # Many small matrices: the batch is split over the thread pool.
    a = onp.random.default_rng(6).standard_normal((3000, 4, 3))
    for ord_ in (2, -2, "nuc"):
        got = np.linalg.norm(mx64(a), ord_, axis=(1, 2)).asnumpy()
        onp.testing.assert_allclose(got, onp.linalg.norm(a, ord_, axis=(1, 2)), rtol=1e-10)


# ---- array methods -------------------------------------------------------------------
def test_np_ndarray_methods():
    data = onp.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
    x = mx64(data)
    assert x.max(axis=0).asnumpy().tolist() == data.max(axis=0).tolist()
    assert x.min().item() == -6.0
    assert x.argmax().item() == 4 and x.argmax().dtype == onp.int64
    assert x.argmin(axis=1).asnumpy().tolist() == [1, 2]
    assert x.prod().item() == pytest.approx(720.0)
    assert x.std(ddof=1).item() == pytest.approx(onp.std(data, ddof=1))
    assert x.var(axis=0).asnumpy() == pytest.approx(onp.var(data, axis=0))
    assert x.all().item() is True and x.any(axis=0).dtype == onp.bool_
    assert x.cumsum(axis=0).asnumpy().tolist() == onp.cumsum(data, axis=0).tolist()
    assert x.max(axis=(0, 1), keepdims=True).shape == (1, 1)


# ---- legacy nd (shapes and dtypes recorded from MXNet 1.9.1) ----------------------------
def test_legacy_full_reductions_have_shape_1():
    a = nd.array([[1, -2, 3], [4, 5, -6]])
    for f, want in [(nd.max, 5.0), (nd.min, -6.0), (nd.prod, 720.0), (nd.sum, 5.0), (nd.argmax, 4.0),
                    (nd.argmin, 5.0), (nd.norm, onp.sqrt(91.0))]:
        r = f(a)
        assert isinstance(r, nd.NDArray) and r.shape == (1,), f
        assert r.asnumpy()[0] == pytest.approx(want), f


def test_legacy_axis_keepdims_exclude():
    a = nd.array([[1, -2, 3], [4, 5, -6]])
    assert nd.max(a, axis=1, keepdims=True).asnumpy().tolist() == [[3.0], [5.0]]
    assert nd.max(a, axis=1, exclude=True).asnumpy().tolist() == [4.0, 5.0, 3.0]
    assert nd.prod(a, axis=0, exclude=True).asnumpy().tolist() == [-6.0, -120.0]
    assert nd.min(a, axis=-1).asnumpy().tolist() == [-2.0, -6.0]
    assert nd.norm(a, ord=1, axis=1).asnumpy().tolist() == [6.0, 15.0]
    assert nd.norm(a, axis=1, keepdims=True).shape == (2, 1)


def test_legacy_argmax_dtype_follows_the_input():
    a = nd.array([[1, -2, 3], [4, 5, -6]])
    r = nd.argmax(a, axis=1)
    assert r.dtype == onp.float32 and r.asnumpy().tolist() == [2.0, 1.0]
    assert nd.argmax(a, axis=1, keepdims=True).shape == (2, 1)
    ri = nd.argmax(a.astype("int32"), axis=0)
    assert ri.dtype == onp.int32 and ri.asnumpy().tolist() == [1, 1, 0]
    assert nd.max(a.astype("int32")).dtype == onp.int32


def test_legacy_methods():
    a = nd.array([[1, -2, 3], [4, 5, -6]])
    assert a.max(axis=1).asnumpy().tolist() == [3.0, 5.0]
    assert a.argmax(axis=1).asnumpy().tolist() == [2.0, 1.0]
    assert a.argmax().shape == (1,) and a.argmax().asnumpy()[0] == 4.0
    assert a.argmin(axis=0).asnumpy().tolist() == [0.0, 0.0, 1.0]
    assert a.prod().asnumpy().tolist() == [720.0]
    assert a.min().asnumpy().tolist() == [-6.0]
    assert a.norm().shape == (1,)


def test_legacy_errors_name_the_op():
    a = nd.array([[1, 2, 3]])
    with pytest.raises(MXNetError, match=r"norm.*ord=1 and ord=2"):
        nd.norm(a, ord=3)
    with pytest.raises(MXNetError, match=r"max.*\(1, 3\)"):
        nd.max(a, axis=3)


# ---- large inputs: the parallel paths ---------------------------------------------------
def test_large_reductions_agree_with_numpy():
    rng = onp.random.default_rng(5)
    x = rng.uniform(-1, 1, size=(300_001,))
    m = x[:600 * 500].reshape(600, 500)
    v, mv = mx64(x), mx64(m)
    assert np.max(v).item() == x.max() and np.min(v).item() == x.min()
    assert np.argmax(v).item() == x.argmax() and np.argmin(mv, axis=0).asnumpy().tolist() == m.argmin(0).tolist()
    onp.testing.assert_array_equal(np.max(mv, axis=1).asnumpy(), m.max(axis=1))
    onp.testing.assert_array_equal(np.min(mv, axis=0).asnumpy(), m.min(axis=0))
    onp.testing.assert_allclose(np.cumsum(v).asnumpy(), onp.cumsum(x), rtol=1e-9, atol=1e-9)
    onp.testing.assert_allclose(np.cumsum(mv, axis=0).asnumpy(), onp.cumsum(m, axis=0), rtol=1e-9, atol=1e-9)
    onp.testing.assert_allclose(np.prod(mx64(1 + x / 1e5)).item(), onp.prod(1 + x / 1e5), rtol=1e-9)
    assert np.all(v != 2.0).item() is True and np.any(v > 0.99999).item() == bool((x > 0.99999).any())
    onp.testing.assert_allclose(np.std(v).item(), x.std(), rtol=1e-9)


def test_large_float32_reductions_are_reproducible():
    rng = onp.random.default_rng(6)
    x = np.array(rng.uniform(-1, 1, size=(1_000_003,)).astype(onp.float32), dtype="float32")
    first = [np.sum(x).item(), np.prod(x[:200_000] * 0 + 1.0000001).item(), np.linalg.norm(x).item(),
             np.cumsum(x)[-1].item()]
    for _ in range(3):
        again = [np.sum(x).item(), np.prod(x[:200_000] * 0 + 1.0000001).item(), np.linalg.norm(x).item(),
                 np.cumsum(x)[-1].item()]
        assert again == first


# ---- property tests ------------------------------------------------------------------------
@st.composite
def shape_and_axes(draw, allow_empty=True):
    ndim = draw(st.integers(0, 4))
    low = 0 if allow_empty else 1
    shape = tuple(draw(st.lists(st.integers(low, 4), min_size=ndim, max_size=ndim)))
    if draw(st.booleans()):
        return shape, None
    picked = draw(st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim)) if ndim else []
    # Some axes negative, in any order.
    axes = tuple(a - ndim if draw(st.booleans()) else a for a in draw(st.permutations(picked)))
    return shape, axes


def reduces_empty(shape, axes):
    ndim = len(shape)
    axes = range(ndim) if axes is None else [a % ndim for a in axes]
    return any(shape[a] == 0 for a in axes)


@settings(max_examples=80, deadline=None)
@given(sa=shape_and_axes(), keepdims=st.booleans(), fname=st.sampled_from(["sum", "mean", "max", "min", "prod"]),
       seed=st.integers(0, 2**16))
def test_reductions_agree_with_numpy_on_random_axes(sa, keepdims, fname, seed):
    shape, axes = sa
    x = onp.random.default_rng(seed).uniform(0.5, 1.5, size=shape)
    ref_fn, mx_fn = getattr(onp, fname), getattr(np, fname)
    if fname in ("max", "min") and reduces_empty(shape, axes):
        with pytest.raises(MXNetError, match=fname + ".*zero-size"):
            mx_fn(mx64(x), axis=axes, keepdims=keepdims)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's mean of an empty slice
        want = ref_fn(x, axis=axes, keepdims=keepdims)
    got = mx_fn(mx64(x), axis=axes, keepdims=keepdims)
    assert got.shape == want.shape
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12, equal_nan=True)


@st.composite
def broadcastable_pair(draw):
    ndim = draw(st.integers(0, 4))
    out = draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))

    def operand():
        # Drop some leading dims, set some extents to 1.
        lead = draw(st.integers(0, ndim))
        return tuple(1 if draw(st.booleans()) else d for d in out[lead:])
    return operand(), operand()


@settings(max_examples=80, deadline=None)
@given(shapes=broadcastable_pair(), fname=st.sampled_from(["add", "multiply", "maximum"]),
       seed=st.integers(0, 2**16))
def test_broadcasting_binary_values_and_gradient_shapes(shapes, fname, seed):
    sa, sb = shapes
    rng = onp.random.default_rng(seed)
    a, b = rng.uniform(-1, 1, size=sa), rng.uniform(-1, 1, size=sb)
    va, vb = mx64(a), mx64(b)
    va.attach_grad()
    vb.attach_grad()
    with autograd.record():
        y = getattr(np, fname)(va, vb)
    want = getattr(onp, fname)(a, b)
    assert y.shape == want.shape
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-12)
    head = rng.standard_normal(want.shape)
    y.backward(mx64(head))
    # The gradient of the broadcast operand is the head gradient summed back to its shape.
    local_a = {"add": onp.ones_like(want), "multiply": onp.broadcast_to(b, want.shape),
               "maximum": (onp.broadcast_to(a, want.shape) >= onp.broadcast_to(b, want.shape))}[fname]
    local_b = {"add": onp.ones_like(want), "multiply": onp.broadcast_to(a, want.shape),
               "maximum": (onp.broadcast_to(b, want.shape) > onp.broadcast_to(a, want.shape))}[fname]
    for v, shape, local in [(va, sa, local_a), (vb, sb, local_b)]:
        g = head * local
        g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
        g = g.sum(axis=tuple(i for i, d in enumerate(shape) if d == 1), keepdims=True) if shape else g
        assert v.grad.shape == shape
        onp.testing.assert_allclose(v.grad.asnumpy(), onp.reshape(g, shape), rtol=1e-12, atol=1e-12)


def test_mx_module_is_importable_for_reductions():
    assert mx.np.amax is np.max and mx.np.amin is np.min


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("fname", ["max", "min", "argmax", "argmin"])
def test_nan_propagates_like_numpy(fname, axis):
    x = onp.array([[1.0, onp.nan, 3.0, -2.0], [4.0, 0.5, -1.0, 7.0], [onp.nan, 2.0, onp.nan, 0.0]])
    for data in (x, onp.tile(x, (1, 5000))):  # small and large (parallel) rows
        got = getattr(np, fname)(mx64(data), axis=axis).asnumpy()
        onp.testing.assert_array_equal(got, getattr(onp, fname)(data, axis=axis))
