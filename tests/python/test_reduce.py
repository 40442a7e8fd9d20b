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
from mxnet.base import MXNetError, NotSupportedError


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
    onp.testing.assert_allclose(grad_of(lambda a: np.prod(a, axis=1).sum(), x), [[12.0, 8.0, 6.0], [-1.0, 0.5, -2.0]])


def test_prod_gradient_with_one_zero_goes_to_the_zero_only():
    x = onp.array([[2.0, 0.0, 4.0], [0.0, 3.0, 5.0]])
    onp.testing.assert_allclose(grad_of(lambda a: np.prod(a, axis=1).sum(), x), [[0.0, 8.0, 0.0], [15.0, 0.0, 0.0]])


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
    onp.testing.assert_allclose(
        np.var(np.array(x, dtype="int32"), axis=1, ddof=1).asnumpy(), onp.var(x, axis=1, ddof=1), rtol=1e-6
    )
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
    for a in [
        onp.ones((3, 4)),
        onp.zeros((2, 3)),
        low_rank,
        rng.standard_normal((40, 30)),
        rng.standard_normal((30, 40)),
    ]:
        onp.testing.assert_allclose(
            np.linalg.norm(mx64(a), ord_).item(), onp.linalg.norm(a, ord_), rtol=1e-10, atol=1e-10
        )


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
    for f, want in [
        (nd.max, 5.0),
        (nd.min, -6.0),
        (nd.prod, 720.0),
        (nd.sum, 5.0),
        (nd.argmax, 4.0),
        (nd.argmin, 5.0),
        (nd.norm, onp.sqrt(91.0)),
    ]:
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
    m = x[: 600 * 500].reshape(600, 500)
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
    first = [
        np.sum(x).item(),
        np.prod(x[:200_000] * 0 + 1.0000001).item(),
        np.linalg.norm(x).item(),
        np.cumsum(x)[-1].item(),
    ]
    for _ in range(3):
        again = [
            np.sum(x).item(),
            np.prod(x[:200_000] * 0 + 1.0000001).item(),
            np.linalg.norm(x).item(),
            np.cumsum(x)[-1].item(),
        ]
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
@given(
    sa=shape_and_axes(),
    keepdims=st.booleans(),
    fname=st.sampled_from(["sum", "mean", "max", "min", "prod"]),
    seed=st.integers(0, 2**16),
)
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
@given(shapes=broadcastable_pair(), fname=st.sampled_from(["add", "multiply", "maximum"]), seed=st.integers(0, 2**16))
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
    local_a = {
        "add": onp.ones_like(want),
        "multiply": onp.broadcast_to(b, want.shape),
        "maximum": (onp.broadcast_to(a, want.shape) >= onp.broadcast_to(b, want.shape)),
    }[fname]
    local_b = {
        "add": onp.ones_like(want),
        "multiply": onp.broadcast_to(a, want.shape),
        "maximum": (onp.broadcast_to(b, want.shape) > onp.broadcast_to(a, want.shape)),
    }[fname]
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


# ---- issue 9: fuzz findings (/work/shared/reference/FUZZ_BUGS.md) ------------------------
REDUCTIONS = [
    "sum",
    "mean",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "std",
    "var",
    "all",
    "any",
    "cumsum",
]


@pytest.mark.parametrize("fname", REDUCTIONS)
def test_out_is_taken_by_every_reduction_function_and_method(fname):
    x = mx64([[1.0, 2.0], [3.0, 4.0]])
    method = {"amax": "max", "amin": "min"}.get(fname, fname)  # aliases of max and min
    want = getattr(np, fname)(x, axis=0)
    for call in (lambda o: getattr(np, fname)(x, axis=0, out=o), lambda o: getattr(x, method)(axis=0, out=o)):
        out = np.zeros(want.shape, dtype=want.dtype)
        assert call(out) is out
        onp.testing.assert_array_equal(out.asnumpy(), want.asnumpy())
        wrong = np.full((3,), 7, dtype=want.dtype)
        before = wrong.asnumpy().copy()
        with pytest.raises(MXNetError, match=r"out= has shape \(3,\)"):
            call(wrong)
        onp.testing.assert_array_equal(wrong.asnumpy(), before)
    assert isinstance(NotSupportedError("x"), (MXNetError, NotImplementedError))


def test_reduction_out_under_record_carries_the_gradient():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with autograd.record():
        o = np.zeros(2)
        s = np.sum(x * x, axis=0, out=o)
        y = (s * 2).sum()
    y.backward()
    assert s is o
    onp.testing.assert_allclose(x.grad.asnumpy(), 4 * x.asnumpy())


@pytest.mark.parametrize("fname", ["sum", "mean", "prod", "max", "min", "std", "var", "all", "any"])
def test_where_is_refused_unless_it_is_true(fname):
    x = mx64([1.0, 2.0, 3.0])
    with pytest.raises(NotSupportedError, match=rf"{fname}: argument 'where'"):
        getattr(np, fname)(x, where=np.array([True, False, True]))
    with pytest.raises(NotSupportedError, match=rf"{fname}: argument 'where'"):
        getattr(x, fname)(where=False)
    want = getattr(onp, fname)(x.asnumpy())
    assert getattr(np, fname)(x, where=True).item() == pytest.approx(want)


@pytest.mark.parametrize(
    "fname", ["sum", "mean", "prod", "max", "min", "argmax", "argmin", "std", "var", "all", "any", "cumsum"]
)
@pytest.mark.parametrize("bad", [None, "abc", {}, object()])
def test_reductions_name_themselves_in_type_errors(fname, bad):
    with pytest.raises(TypeError, match=rf"^{fname}: "):
        getattr(np, fname)(bad)
    with pytest.raises(TypeError, match=r"^norm: "):
        np.linalg.norm(bad)


def test_reductions_take_array_likes():
    assert np.sum([1, 2, 3]).item() == 6.0
    assert np.mean([[1, 2], [3, 4]], axis=0).asnumpy().tolist() == [2.0, 3.0]
    assert np.max((1, 5)).item() == 5.0
    assert np.argmax(np.ones((2, 3)), axis=onp.int64(1)).asnumpy().tolist() == [0, 0]


def test_sum_and_prod_initial_join_the_reduction():
    assert np.sum(np.array([1.0, 2.0], dtype="float32"), initial=5).item() == 8.0
    assert np.prod(np.array(-2, dtype="int32"), initial=5).item() == -10
    r = np.sum(np.array([1, 2], dtype="int32"), initial=1.5)  # truncated to the result dtype, as NumPy
    assert r.dtype == onp.int32 and r.item() == 4
    assert np.sum(np.array([1, 2], dtype="int32"), initial=-1.5).item() == 2
    assert np.sum(np.array([2**31 - 1, 0], dtype="int32"), initial=2).item() == -(2**31) + 1  # wraps
    assert np.sum(np.array(False, dtype="bool"), initial=1.5).item() == 1
    assert np.sum(np.array([False], dtype="bool"), dtype="bool", initial=0.5).item() is True  # bool(0.5)
    assert np.prod(np.zeros((0,), dtype="int32"), initial=7).item() == 7
    assert np.sum(np.zeros((2, 0)), axis=1, initial=7).asnumpy().tolist() == [7.0, 7.0]
    # NumPy adds the initial value to the sum; the product starts from it.
    assert np.sum(np.array([1e30, -1e30], dtype="float32"), initial=1.0).item() == 1.0
    assert np.prod(np.array([1e30, 1e30], dtype="float32"), initial=1e-30).item() == pytest.approx(1e30, rel=1e-6)
    assert np.prod(np.array([1e30, 1e30], dtype="float32"), initial=0.0).item() == 0.0


def test_max_min_initial_follows_numpy():
    # A choice: NumPy honours initial for max/min; MXNet 1.9.1 raises
    # "initial is not supported yet".
    assert np.max(np.array([1, 5], dtype="int32"), initial=7).item() == 7
    assert np.max(np.array([1, 5], dtype="int32"), initial=7.5).item() == 7
    assert np.min(np.array([1.0, 5.0]), initial=3.0).item() == 1.0
    assert np.max(np.zeros((2, 0)), axis=1, initial=7).asnumpy().tolist() == [7.0, 7.0]
    assert onp.isnan(np.max(np.array([1.0, onp.nan]), initial=7).item())
    assert onp.isnan(np.max(np.array([1.0, 3.0]), initial=onp.nan).item())
    assert np.max(np.array([True, False], dtype="bool"), initial=0).dtype == onp.bool_
    with pytest.raises(MXNetError, match=r"max: zero-size array"):
        np.max(np.zeros((0,)))
    with pytest.raises(OverflowError, match=r"max: initial value -1 is out of bounds for uint8"):
        np.max(np.array([1, 5], dtype="uint8"), initial=-1)
    with pytest.raises(OverflowError, match=r"min: initial value 300 is out of bounds for uint8"):
        np.min(np.array([1, 5], dtype="uint8"), initial=300)


def test_initial_gradients():
    onp.testing.assert_allclose(grad_of(lambda a: np.prod(a, initial=4.0), [2.0, 3.0, 0.5]), [6.0, 4.0, 24.0])
    onp.testing.assert_allclose(grad_of(lambda a: np.prod(a, initial=4.0), [2.0, 0.0, 0.5]), [0.0, 4.0, 0.0])
    onp.testing.assert_allclose(grad_of(lambda a: np.sum(a, initial=4.0), [2.0, 3.0]), [1.0, 1.0])
    onp.testing.assert_allclose(grad_of(lambda a: np.max(a, initial=1.0), [2.0, 7.0, 7.0]), [0.0, 0.5, 0.5])
    # The initial value is the maximum: no element gets a gradient (not 0/0).
    onp.testing.assert_array_equal(grad_of(lambda a: np.max(a, initial=10.0), [2.0, 7.0]), [0.0, 0.0])
    onp.testing.assert_array_equal(
        grad_of(lambda a: np.min(a, axis=1, initial=2.5).sum(), [[2.0, 7.0], [3.0, 4.0]]), [[1.0, 0.0], [0.0, 0.0]]
    )


def test_sum_dtype_accumulates_in_the_wider_dtype():
    r = np.sum(np.array([2147483647, 1], dtype="int32"), dtype="int64")
    assert r.dtype == onp.int64 and r.item() == 2147483648
    r = np.sum(np.array([200, 100], dtype="uint8"), dtype="int32")
    assert r.dtype == onp.int32 and r.item() == 300
    assert np.sum(np.array([200, 100], dtype="uint8"), dtype="float32").item() == 300.0
    assert np.array([200, 100], dtype="uint8").sum(dtype="int64").item() == 300
    # The default dtypes stay MXNet's: integers keep theirs (wrapping), bool sums to int64.
    assert np.sum(np.array([200, 100], dtype="uint8")).item() == 44
    assert np.sum(np.array([100, 100], dtype="int8")).item() == -56
    assert np.sum(np.array([True, True], dtype="bool")).dtype == onp.int64
    # Elements are cast first (NumPy; MXNet 1.9.1 sums [1.5, 2.7] to 4 in int32).
    assert np.sum(np.array([1.5, 2.7], dtype="float32"), dtype="int32").item() == 3
    assert np.sum(np.array([3, 4], dtype="int32"), dtype="bool").item() is True
    assert np.prod(np.array([True, False], dtype="bool"), dtype="bool").item() is False


@pytest.mark.parametrize("dt", ["int8", "uint8", "int32", "int64"])
def test_integer_reductions_wrap_as_numpy(dt):
    info = onp.iinfo(dt)
    x = onp.array([info.max, info.max, 3, info.min, 7, info.max], dtype=dt)
    for fname in ("sum", "prod", "cumsum"):
        got = getattr(np, fname)(np.array(x, dtype=dt))
        onp.testing.assert_array_equal(got.asnumpy(), getattr(onp, fname)(x, dtype=dt))
        assert got.dtype == onp.dtype(dt)
    onp.testing.assert_array_equal(
        np.cumsum(np.array(x, dtype=dt), dtype="int64").asnumpy(), onp.cumsum(x, dtype="int64")
    )


def test_cumsum_dtype_bool_is_a_running_any():
    r = np.cumsum(np.array([0, 2, 0, 1], dtype="int32"), dtype="bool")
    assert r.dtype == onp.bool_ and r.asnumpy().tolist() == [False, True, True, True]
    assert np.cumsum(np.array([True, False, True], dtype="bool")).dtype == onp.int64  # NumPy's (MXNet 1.9.1: float32)


def test_prod_multiplies_floats_in_numpy_order():
    # One element after another, as NumPy: a 0 before the overflow gives 0, an
    # overflow to inf before the 0 gives nan (independent partial products
    # gave nan for the first: 0 * inf).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for values in ([0] + [2**62] * 31, [2**62] * 31 + [0], [2**62, 0] + [2**62] * 20, [2**62] * 3 + [0]):
            x = onp.array(values, dtype="int64")
            want = onp.prod(x, dtype="float32")
            got = np.prod(np.array(x, dtype="int64"), dtype="float32").item()
            assert (onp.isnan(want) and onp.isnan(got)) or got == want, values
        big = onp.full((4, 3, 5), 1e20, dtype="float32")
        big[0, 1, 0] = 0.0  # first in order for output 1: NumPy gives 0
        big[2, 2, 3] = 0.0  # after the overflow for output 2: nan
        for axis in [(0, 2), None, 0, 2, (0, 1)]:
            want = onp.prod(big, axis=axis)
            onp.testing.assert_array_equal(np.prod(np.array(big, dtype="float32"), axis=axis).asnumpy(), want)
        assert onp.prod(big, axis=(0, 2))[1] == 0.0 and onp.isnan(onp.prod(big, axis=(0, 2))[2])
        t = onp.ascontiguousarray(big.transpose(2, 1, 0))
        onp.testing.assert_array_equal(np.prod(np.array(t, dtype="float32"), axis=-1).asnumpy(), onp.prod(t, axis=-1))


# mean(dtype=): MXNet 1.9.1's results (mx-ref), equal to NumPy's wherever the
# input is integral; for floating input with an integral dtype NumPy truncates
# every element first and MXNet the mean: mxlite follows NumPy (and MXNet's
# documentation: "Type to use in computing the mean").
MEAN_DTYPE = {
    "bool": ("[True, False, True]", {"int32": 0, "int64": 0, "float32": 0.6666667, "float64": 2 / 3}),
    "uint8": ("[200, 100, 7]", {"int32": 102, "int64": 102, "float32": 102.333336, "float64": 307 / 3}),
    "int32": (
        "[-7, -1, 2147483647, 2147483647]",
        {"int32": -2, "int64": 1073741821, "float32": 1.0737418e09, "float64": 1073741821.5},
    ),
    "int64": ("[-2, -1, 0, 1]", {"int32": 0, "int64": 0, "float32": -0.5, "float64": -0.5}),
    "float32": ("[1.5, 2.7, -3.9]", {"int32": 0, "int64": 0, "float32": 0.09999999, "float64": 0.09999998}),
    "float64": ("[1.5, 2.7, -3.9]", {"int32": 0, "int64": 0, "float32": 0.1, "float64": 0.1}),
}


@pytest.mark.parametrize("in_dt", sorted(MEAN_DTYPE))
@pytest.mark.parametrize("out_dt", ["int32", "int64", "float32", "float64"])
def test_mean_dtype_matches_mxnet(in_dt, out_dt):
    values, want = MEAN_DTYPE[in_dt]
    x = np.array(eval(values), dtype=in_dt)
    r = np.mean(x, dtype=out_dt)
    assert r.dtype == onp.dtype(out_dt)
    assert r.item() == pytest.approx(want[out_dt], rel=1e-6)
    assert x.mean(dtype=out_dt).item() == r.item()
    # Empty: 0 for integral dtypes (MXNet; NumPy casts NaN), NaN for floating ones.
    e = np.mean(np.zeros((0,), dtype=in_dt), dtype=out_dt)
    assert e.dtype == onp.dtype(out_dt)
    assert e.item() == 0 if out_dt.startswith("int") else onp.isnan(e.item())


def test_mean_dtype_truncates_like_numpy():
    assert np.mean(np.array([-2, -1, 0, 1], dtype="int64"), dtype="int64").item() == 0
    assert np.mean(np.array([1.5, 2.7], dtype="float32"), dtype="int32").item() == 1  # MXNet 1.9.1: 2
    assert np.mean(np.array([-1.5, -2.7]), dtype="int64").item() == -1  # MXNet 1.9.1: -2
    assert np.mean(np.array([True, False], dtype="bool"), dtype="bool").item() is True
    assert np.mean(np.array([[1.0, 2.0]], dtype="float32"), axis=1, dtype="float64").dtype == onp.float64
    # Integral inputs accumulate in double: int64 sums do not wrap.
    assert np.mean(np.array([2**62] * 4, dtype="int64")).item() == pytest.approx(2.0**62)
    onp.testing.assert_allclose(
        grad_of(lambda a: np.mean(a.astype("float32"), dtype="float64"), [1.0, 3.0]), [0.5, 0.5]
    )


def test_std_var_dtype():
    r = np.std(np.array([1.5, 2.5], dtype="float32"), dtype="float64")
    assert r.dtype == onp.float64 and r.item() == 0.5
    assert np.var(np.array([1, 2], dtype="int32"), dtype="float64").dtype == onp.float64
    for fname in ("std", "var"):
        with pytest.raises(NotSupportedError, match=rf"{fname}: argument 'dtype='int64''"):
            getattr(np, fname)(mx64([1.5, 2.5]), dtype="int64")


@pytest.mark.parametrize("fname", ["std", "var"])
@pytest.mark.parametrize(
    "shape,axis", [((), None), ((), 0), ((3, 1), -1), ((3, 1), (1,)), ((1, 4, 1), (0, 2)), ((2, 1, 3), 1)]
)
def test_std_var_gradient_is_zero_without_deviation(fname, shape, axis):
    x = onp.random.default_rng(1).uniform(-2, 2, size=shape)
    g = grad_of(lambda a: getattr(np, fname)(a, axis=axis).sum(), x)
    onp.testing.assert_array_equal(g, onp.zeros(shape))
    # A constant vector: no deviation (finite differences give 0 there too).
    g = grad_of(lambda a: getattr(np, fname)(a), onp.full((4,), 1.25))
    onp.testing.assert_array_equal(g, onp.zeros(4))


def test_std_gradient_reproducer_from_the_fuzz_report():
    a = np.array(1.053, dtype="float64")
    a.attach_grad()
    with autograd.record():
        r = a.std()
    r.backward(np.array(0.17, dtype="float64"))
    assert a.grad.item() == 0.0


@pytest.mark.parametrize("fname", ["std", "var"])
@pytest.mark.parametrize("axis,ddof,keepdims", [(None, 0, False), (1, 1, True), ((0, 2), 0, False), (-1, 1, False)])
def test_std_var_second_derivative(fname, axis, ddof, keepdims):
    x = onp.random.default_rng(2).uniform(-2, 2, size=(2, 3, 4))
    head = onp.random.default_rng(3).uniform(-1, 1, size=x.shape)

    def first(v):  # <grad of sum(f(v)), head>, whose gradient is a Hessian-vector product
        return (grad_of(lambda a: getattr(np, fname)(a, axis=axis, ddof=ddof, keepdims=keepdims).sum(), v) * head).sum()

    v = mx64(x)
    v.attach_grad()
    with autograd.record():
        y = getattr(np, fname)(v, axis=axis, ddof=ddof, keepdims=keepdims).sum()
        (g,) = autograd.grad(y, [v], create_graph=True)
        z = (g * mx64(head)).sum()
    z.backward()
    h = 1e-5
    fd = onp.zeros_like(x)
    for i in onp.ndindex(x.shape):
        e = onp.zeros_like(x)
        e[i] = h
        fd[i] = (first(x + e) - first(x - e)) / (2 * h)
    onp.testing.assert_allclose(v.grad.asnumpy(), fd, rtol=1e-5, atol=1e-6)


def test_norm_negative_orders_take_abs_first():
    x = mx64([0.0, -0.0, 2.0])
    assert np.linalg.norm(x, ord=-1).item() == 0.0
    assert np.linalg.norm(x, ord=-2).item() == 0.0
    a = mx64([0.0, -1.25, 0.5, -7.18, -0.0])
    assert np.linalg.norm(a, ord=-1, axis=-1).item() == 0.0
    assert np.linalg.norm(mx64([-0.5, -2.0]), ord=-1).item() == pytest.approx(onp.linalg.norm([-0.5, -2.0], -1))


def test_norm_of_empty_inputs():
    for ord_ in (onp.inf, -onp.inf, 1, 2, None, 0, 3):
        assert np.linalg.norm(np.zeros((0,)), ord=ord_).item() == 0.0, ord_
    assert np.linalg.norm(np.zeros((2, 0)), ord=onp.inf, axis=-1).asnumpy().tolist() == [0.0, 0.0]
    assert np.linalg.norm(np.zeros((2, 0)), ord=-onp.inf, axis=-1).asnumpy().tolist() == [0.0, 0.0]
    assert np.linalg.norm(np.zeros((3, 0)), ord=onp.inf, axis=0).shape == (0,)
    for shape in ((2, 0), (0, 3), (0, 0)):
        for ord_ in (1, onp.inf, "fro", 2, "nuc"):
            assert np.linalg.norm(np.zeros(shape), ord=ord_).item() == 0.0, (shape, ord_)
    with pytest.raises(MXNetError, match=r"norm: matrix norm ord=-1 of a zero-size matrix"):
        np.linalg.norm(np.zeros((2, 0)), ord=-1)
    with pytest.raises(MXNetError, match=r"norm: matrix norm ord=-inf of a zero-size matrix"):
        np.linalg.norm(np.zeros((0, 2)), ord=-onp.inf)
    assert np.linalg.norm(np.zeros((0, 2)), ord=-1).asnumpy().tolist() == 0.0  # column sums exist (zeros)
    g = grad_of(lambda a: np.linalg.norm(a, ord=1), onp.array([[1.0, -2.0], [3.0, 4.0]]))
    onp.testing.assert_allclose(g, [[0.0, -1.0], [0.0, 1.0]])


@pytest.mark.parametrize("ord_", [2, -2, "nuc"])
def test_svd_norms_of_non_finite_inputs(ord_):
    for dt in ("float32", "float64"):
        for v in (onp.inf, -onp.inf):
            x = np.array([[v, 1.0], [2.0, 3.0]], dtype=dt)
            assert onp.isnan(np.linalg.norm(x, ord_).item())
        with pytest.raises(ValueError, match=r"norm: SVD did not converge"):
            np.linalg.norm(np.array([[1e150], [onp.nan]], dtype=dt), ord_, axis=(-2, 1))
    # Per matrix of a batch: only the one holding inf is NaN.
    b = onp.stack([onp.eye(3), onp.eye(3) * 2])
    b[1, 0, 2] = onp.inf
    got = np.linalg.norm(mx64(b), ord_, axis=(1, 2)).asnumpy()
    assert got[0] == pytest.approx(onp.linalg.norm(onp.eye(3), ord_)) and onp.isnan(got[1])


def test_svd_norms_of_extreme_magnitudes():
    # LAPACK scales the matrix into range; squares of these leave double's.
    # Values from NumPy's LAPACK (the singular values alone): MXNet 1.9.1 gives
    # the same 0.0 for the 1e+-300 matrix and refuses the 5 x 3 one (more rows
    # than columns); on its transpose, which it computes with the singular
    # vectors, it finds 2.70329309 instead of 3.7826 for the smallest.
    a = onp.array(
        [[0.75, 0.25, 5.523], [-2.25, -0.25, -0.25], [-2.75, -2.23, -1.5], [-4.0, -3.0, -4.0], [1.7e308, 2.5, -1.75]]
    )
    for x in (a, a.T):
        assert np.linalg.norm(mx64(x), 2).item() == pytest.approx(1.7e308)
        assert np.linalg.norm(mx64(x), -2).item() == pytest.approx(onp.linalg.norm(x, -2), rel=1e-12)
    # With the singular vectors (np.linalg.svd) the smallest is MXNet's.
    assert np.linalg.svd(mx64(a.T))[1].asnumpy()[-1] == pytest.approx(2.70329309, rel=1e-8)
    assert np.linalg.norm(mx64([[1.0, 0.0], [0.0, 5e-324]]), -2).item() == 5e-324
    assert np.linalg.norm(mx64([[1e300, 0.0], [0.0, 1e-300]]), -2).item() == 0.0  # MXNet and NumPy: 0.0 too
    assert np.linalg.norm(mx64([[1e300, 0.0], [0.0, 1e-300]]), "nuc").item() == pytest.approx(1e300)


# ---- legacy nd reductions (values and dtypes recorded from MXNet 1.9.1) -------------------
def test_legacy_reduction_dtypes_follow_mxnet():
    r = nd.mean(nd.array([-1, -2, -2], dtype="int32"))
    assert r.dtype == onp.int32 and r.asnumpy().tolist() == [-1]  # truncated
    assert nd.mean(nd.array([2**31 - 1] * 4, dtype="int32")).asnumpy().tolist() == [-1]  # the wrapped sum
    assert nd.mean(nd.array([200, 100], dtype="uint8")).asnumpy().tolist() == [22]
    assert nd.mean(nd.array([False, False], dtype="bool")).asnumpy().tolist() == [False]
    r = nd.sum(nd.array([True, True], dtype="bool"))
    assert r.dtype == onp.bool_ and r.asnumpy().tolist() == [True]
    assert nd.prod(nd.array([True, True], dtype="bool")).dtype == onp.bool_
    assert nd.sum(nd.array([200, 100], dtype="uint8")).asnumpy().tolist() == [44]
    assert nd.mean(nd.array([1, 2], dtype="int64"), axis=0, keepdims=True).asnumpy().tolist() == [1]
    onp.testing.assert_allclose(nd.mean(nd.zeros((0, 3)), axis=0).asnumpy(), [onp.nan] * 3)
    assert nd.sum(nd.zeros((0, 3))).asnumpy().tolist() == [0.0]


def test_legacy_axis_conventions_follow_mxnet():
    a = nd.array([[1, -2, 3], [4, 5, -6]])
    for f, full in [(nd.sum, 5.0), (nd.mean, 5 / 6), (nd.max, 5.0), (nd.min, -6.0), (nd.prod, 720.0)]:
        assert f(a, axis=()).asnumpy().tolist() == pytest.approx([full])  # () is every axis
        assert f(a, axis=(), exclude=True).asnumpy().tolist() == pytest.approx([full])
        assert f(a, axis=(0, 1), exclude=True).shape == (2, 3)  # nothing left to reduce
        assert f(a, keepdims=True).shape == (1, 1)
    assert nd.sum(a, 1, True).shape == (2, 1) and a.sum(1).asnumpy().tolist() == [2.0, 3.0]
    assert nd.mean(a, axis=(0,), exclude=True).asnumpy().tolist() == pytest.approx([2 / 3, 1.0])


def test_legacy_reductions_refuse_unknown_arguments():
    a = nd.array([[1, 2], [3, 4]])
    for f in (nd.sum, nd.mean, nd.max, nd.min, nd.prod, nd.argmax, nd.norm):
        with pytest.raises(MXNetError, match=r"cannot find argument 'foo'"):
            f(a, foo=1)
        out = nd.zeros((2,))
        assert f(a, axis=0, out=out) is out
        onp.testing.assert_allclose(out.asnumpy(), f(a, axis=0).asnumpy())
    assert nd.sum(a, name="s").asnumpy().tolist() == [10.0]
    with pytest.raises(MXNetError, match=r"cannot find argument 'initial'"):
        nd.max(a, initial=3)
    with pytest.raises(TypeError, match=r"argmax: legacy argmax takes no bool array"):
        nd.argmax(nd.array([True, False], dtype="bool"))


def test_np_methods_take_mxnets_positional_order():
    x = mx64([[1.0, 2.0], [3.0, 4.0]])
    assert x.sum(0, None, None, True).shape == (1, 2)  # axis, dtype, out, keepdims
    assert np.sum(x, 0, None, True).shape == (1, 2)  # np.sum: axis, dtype, keepdims (MXNet)
    assert x.max(1, None, True).shape == (2, 1)  # axis, out, keepdims
    assert x.prod(None, "int64").dtype == onp.int64
    assert x.std(None, None, None, 1).item() == pytest.approx(onp.std(x.asnumpy(), ddof=1))
