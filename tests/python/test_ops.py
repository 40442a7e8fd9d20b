"""Values against NumPy and gradients against float64 finite differences for
every op of the foundation, including broadcasting, 0-d and empty arrays,
negative axes and non-contiguous (strided) inputs."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, np
from gradcheck import check_gradient

rng = onp.random.default_rng(42)


def rand(*shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape)


def mx64(a):
    return np.array(a, dtype="float64")


# ---- binary ops with broadcasting -------------------------------------------------
BINARY = [
    ("add", lambda a, b: a + b, onp.add),
    ("subtract", lambda a, b: a - b, onp.subtract),
    ("multiply", lambda a, b: a * b, onp.multiply),
    ("divide", lambda a, b: a / b, onp.divide),
    ("power", lambda a, b: a**b, onp.power),
    ("maximum", np.maximum, onp.maximum),
    ("minimum", np.minimum, onp.minimum),
]
SHAPE_PAIRS = [
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((2, 1), (1, 3)),
    ((), (2, 2)),
    ((4, 1, 3), (2, 1)),
    ((0, 3), (3,)),
    ((3,), ()),
]


@pytest.mark.parametrize("name,f,ref", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("sa,sb", SHAPE_PAIRS)
def test_binary_values(name, f, ref, sa, sb):
    a, b = rand(*sa, low=0.5, high=2), rand(*sb, low=0.5, high=2)
    out = f(mx64(a), mx64(b))
    onp.testing.assert_allclose(out.asnumpy(), ref(a, b), rtol=1e-12)
    assert out.dtype == onp.float64 and out.shape == ref(a, b).shape


@pytest.mark.parametrize("name,f,ref", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("sa,sb", [((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2,))])
def test_binary_gradients(name, f, ref, sa, sb):
    check_gradient(f, rand(*sa, low=0.5, high=2), rand(*sb, low=0.5, high=2))


@pytest.mark.parametrize(
    "op,ref",
    [
        (lambda x: x + 2, lambda x: x + 2),
        (lambda x: 2 + x, lambda x: 2 + x),
        (lambda x: x - 2, lambda x: x - 2),
        (lambda x: 2 - x, lambda x: 2 - x),
        (lambda x: x * 3, lambda x: x * 3),
        (lambda x: 3 * x, lambda x: 3 * x),
        (lambda x: x / 4, lambda x: x / 4),
        (lambda x: 4 / x, lambda x: 4 / x),
        (lambda x: x**3, lambda x: x**3),
        (lambda x: 2**x, lambda x: 2**x),
        (lambda x: -x, lambda x: -x),
    ],
)
def test_scalar_ops_values_and_gradients(op, ref):
    x = rand(2, 3, low=0.5, high=2)
    onp.testing.assert_allclose(op(mx64(x)).asnumpy(), ref(x), rtol=1e-12)
    check_gradient(op, x)


COMPARE = [
    (lambda a, b: a == b, onp.equal),
    (lambda a, b: a != b, onp.not_equal),
    (lambda a, b: a < b, onp.less),
    (lambda a, b: a <= b, onp.less_equal),
    (lambda a, b: a > b, onp.greater),
    (lambda a, b: a >= b, onp.greater_equal),
]


@pytest.mark.parametrize("f,ref", COMPARE)
def test_comparisons_return_bool(f, ref):
    a = onp.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    b = onp.array([2.0, 2.0, 2.0])
    out = f(np.array(a), np.array(b))
    assert out.dtype == onp.bool_
    onp.testing.assert_array_equal(out.asnumpy(), ref(a, b))
    onp.testing.assert_array_equal(f(np.array(a), 2).asnumpy(), ref(a, 2))
    onp.testing.assert_array_equal(f(2, np.array(a)).asnumpy(), ref(2, a))


def test_int_array_compares_exactly_with_fractional_scalar():
    x = np.array([1, 2, 3], dtype="int32")
    assert (x < 2.5).asnumpy().tolist() == [True, True, False]
    assert (x == 2.0).asnumpy().tolist() == [False, True, False]


# ---- unary ops (values, dtypes and gradients are in the op table) ------------------
def test_unary_on_integers():
    x = np.array([1, 4, 9], dtype="int32")
    assert np.sqrt(x).dtype == onp.float32 and np.sqrt(x).asnumpy().tolist() == [1, 2, 3]
    assert np.floor(x).dtype == onp.int32 and np.floor(x).asnumpy().tolist() == [1, 4, 9]


def test_predicates():
    x = onp.array([1.0, onp.nan, onp.inf, -onp.inf, 0.0])
    for name in ("isnan", "isinf", "isfinite"):
        out = getattr(np, name)(np.array(x))
        assert out.dtype == onp.bool_
        onp.testing.assert_array_equal(out.asnumpy(), getattr(onp, name)(x))
    assert np.isfinite(np.array([1, 2], dtype="int32")).asnumpy().all()


def test_sign_and_abs_keep_dtype():
    x = np.array([-2, 0, 3], dtype="int32")
    assert np.abs(x).dtype == onp.int32 and np.abs(x).asnumpy().tolist() == [2, 0, 3]
    assert np.sign(x).asnumpy().tolist() == [-1, 0, 1]


# ---- reductions -------------------------------------------------------------------
@pytest.mark.parametrize("axis", [None, 0, 1, -1, -3, (0, 2), (2, 0), (0, 1, 2), ()])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("fname", ["sum", "mean"])
def test_reductions(axis, keepdims, fname):
    x = rand(2, 3, 4)
    f = getattr(np, fname)
    out = f(mx64(x), axis=axis, keepdims=keepdims)
    ref = getattr(onp, fname)(x, axis=axis, keepdims=keepdims)
    assert out.shape == ref.shape
    onp.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-12)
    check_gradient(lambda a: f(a, axis=axis, keepdims=keepdims), x)


def test_reductions_of_empty_and_0d():
    assert np.sum(np.zeros((0, 3))).item() == 0
    assert np.sum(np.zeros((0, 3)), axis=0).asnumpy().tolist() == [0, 0, 0]
    assert np.sum(np.array(5.0)).item() == 5.0
    assert onp.isnan(np.mean(np.zeros((0,))).item())


def test_sum_dtypes_follow_mxnet():
    assert np.array([1, 2, 3], dtype="int32").sum().dtype == onp.int32
    assert np.sum(np.array(onp.array([True, True]))).dtype == onp.int64
    assert np.array([1, 2], dtype="int32").mean().dtype == onp.float32


def test_large_reduction_uses_many_chunks_and_is_exact_enough():
    x = rand(1_000_003)
    onp.testing.assert_allclose(np.sum(mx64(x)).item(), x.sum(), rtol=1e-10)
    m = x[: 1009 * 991].reshape(1009, 991)
    onp.testing.assert_allclose(np.sum(mx64(m)[:1000], axis=0).asnumpy(), m[:1000].sum(axis=0), rtol=1e-10)
    onp.testing.assert_allclose(np.sum(mx64(m), axis=1).asnumpy(), m.sum(axis=1), rtol=1e-10)


@pytest.mark.parametrize("axis", [None, 0, -1])
def test_norm(axis):
    x = rand(3, 4)
    onp.testing.assert_allclose(np.linalg.norm(mx64(x), axis=axis).asnumpy(), onp.linalg.norm(x, axis=axis), rtol=1e-12)
    check_gradient(lambda a: np.linalg.norm(a, axis=axis), x)


# ---- linear algebra ---------------------------------------------------------------
@pytest.mark.parametrize(
    "sa,sb",
    [
        ((3,), (3,)),
        ((2, 3), (3, 4)),
        ((2, 3), (3,)),
        ((3,), (3, 2)),
        ((2, 2, 3), (3, 2)),
        ((2, 3), (2, 3, 4)),
        ((), (2, 2)),
        ((0, 3), (3, 2)),
    ],
)
def test_dot(sa, sb):
    a, b = rand(*sa), rand(*sb)
    out = np.dot(mx64(a), mx64(b))
    onp.testing.assert_allclose(out.asnumpy(), onp.dot(a, b), rtol=1e-12)
    assert out.shape == onp.dot(a, b).shape
    if 0 not in sa:
        check_gradient(np.dot, a, b)


def test_matmul_operator_and_legacy_transpose_flags():
    a, b = rand(3, 2), rand(3, 4)
    onp.testing.assert_allclose((mx64(a).T @ mx64(b)).asnumpy(), a.T @ b, rtol=1e-12)
    out = mx.nd.dot(mx.nd.array(a, dtype="float64"), mx.nd.array(b, dtype="float64"), transpose_a=True)
    onp.testing.assert_allclose(out.asnumpy(), a.T @ b, rtol=1e-12)
    for ta in (False, True):
        for tb in (False, True):
            x = a if ta else a.T
            y = b.T if tb else b

            def f(p, q, ta=ta, tb=tb):
                return mx.nd.dot(p.as_nd_ndarray(), q.as_nd_ndarray(), transpose_a=ta, transpose_b=tb).as_np_ndarray()

            check_gradient(f, x, y)


# ---- shape ops and indexing ---------------------------------------------------------
def test_reshape_is_a_view_and_differentiable():
    x = np.arange(6)
    y = x.reshape(2, 3)
    y[0, 0] = 10
    assert x[0].item() == 10
    assert x.reshape((3, -1)).shape == (3, 2)
    assert x.reshape(-1).shape == (6,)
    check_gradient(lambda a: a.reshape(3, 2) * np.arange(6).reshape(3, 2).astype("float64"), rand(2, 3))


def test_transpose():
    x = rand(2, 3, 4)
    onp.testing.assert_array_equal(mx64(x).T.asnumpy(), x.T)
    onp.testing.assert_array_equal(np.transpose(mx64(x), (1, 0, 2)).asnumpy(), x.transpose(1, 0, 2))
    check_gradient(lambda a: np.transpose(a, (2, 0, 1)), x)


KEYS = [
    0,
    -1,
    1,
    (1, 2),
    (slice(None), 1),
    (slice(1, None), slice(None, None, 2)),
    (Ellipsis, 1),
    (None, 0),
    (slice(None, None, -1),),
    (0, slice(3, 0, -2)),
    (slice(5, 10),),
    (1, None, Ellipsis, -1),
]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_basic_indexing(key):
    x = rand(3, 4, 5)
    out = mx64(x)[key]
    onp.testing.assert_array_equal(out.asnumpy(), x[key])
    check_gradient(lambda a: a[key], x)


def test_contiguous_index_is_a_view_strided_is_a_copy():
    x = np.arange(12).reshape(3, 4)
    assert x[1]._shares_memory(x) and x[1:3]._shares_memory(x)
    assert not x[:, 1]._shares_memory(x)


@pytest.mark.parametrize(
    "key,value",
    [
        (0, 5.0),
        ((slice(None), 1), onp.array([7.0, 8.0, 9.0])),
        ((slice(None, None, 2),), onp.array([1.0, 2.0, 3.0, 4.0])),
        (Ellipsis, 0.0),
    ],
)
def test_setitem_matches_numpy(key, value):
    x = rand(3, 4)
    m = mx64(x)
    m[key] = value if onp.isscalar(value) else np.array(value, dtype="float64")
    x[key] = value
    onp.testing.assert_array_equal(m.asnumpy(), x)


def test_inplace_operators_update_the_same_storage():
    x = np.array([1.0, 2.0])
    view = x.reshape(2)
    x += 1
    x *= np.array([2.0, 3.0])
    x -= 1
    x /= 2
    assert x.asnumpy().tolist() == [1.5, 4.0] and view.asnumpy().tolist() == [1.5, 4.0]


# ---- creation, dtypes, conversion ---------------------------------------------------
def test_creation_defaults_follow_mxnet():
    assert np.array([[1, 2], [3, 4]]).dtype == onp.float32
    assert np.array([True, False]).dtype == onp.float32
    assert np.array(onp.array([1, 2], dtype="int64")).dtype == onp.int64
    assert np.array(onp.array([1.5])).dtype == onp.float64
    assert np.arange(4).dtype == onp.float32 and np.arange(1, 7, 2).asnumpy().tolist() == [1, 3, 5]
    assert np.zeros((2, 3)).asnumpy().tolist() == [[0] * 3] * 2
    assert np.ones((2,), dtype="int32").dtype == onp.int32
    assert mx.nd.array(onp.array([1, 2], dtype="int64")).dtype == onp.float32


def test_buffer_protocol_round_trip_including_non_contiguous():
    base = onp.arange(24, dtype=onp.float64).reshape(4, 6)
    strided = base[::2, 1::2]
    m = np.array(strided)
    onp.testing.assert_array_equal(m.asnumpy(), strided)
    assert m.asnumpy().flags["C_CONTIGUOUS"]
    out = m.asnumpy()
    out[0, 0] = -1  # asnumpy copies
    assert m[0, 0].item() == 1


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64", "uint8", "bool"])
def test_every_dtype_round_trips(dtype):
    a = onp.array([[0, 1], [1, 0]]).astype(dtype)
    m = np.array(a, dtype=dtype)
    assert m.dtype == onp.dtype(dtype)
    onp.testing.assert_array_equal(m.asnumpy(), a)


def test_mxnet_repr_rules():
    assert repr(np.array([1, 2], dtype="int32")) == "array([1, 2], dtype=int32)"
    assert repr(np.array([1.5, 2.0], dtype="float64")) == "array([1.5, 2. ], dtype=float64)"
    assert repr(np.array(3.5)) == "array(3.5)"
    assert repr(np.zeros((2, 0))) == "array([], shape=(2, 0))"
    assert repr(np.array(onp.array([True, False]))) == "array([ True, False])"
    assert str(mx.nd.array([[1, 2], [3, 4]])) == "\n[[1. 2.]\n [3. 4.]]\n<NDArray 2x2 @cpu(0)>"


def test_scalar_results_and_item():
    x = np.array([[1, 2], [3, 4]])
    assert x[0, 1].shape == () and x[0, 1].item() == 2.0
    assert float(x.sum()) == 10.0 and x.size == 4 and x.ndim == 2 and len(x) == 2
    assert mx.nd.array([1, 2, 3])[0].shape == (1,)
    assert mx.nd.array([3.0]).asscalar() == 3.0


def test_random_is_seeded_and_in_range():
    np.random.seed(7)
    a = np.random.uniform(-1, 1, (1000,))
    np.random.seed(7)
    b = np.random.uniform(-1, 1, (1000,))
    assert (a == b).asnumpy().all()
    assert -1 <= a.asnumpy().min() and a.asnumpy().max() < 1
    n = np.random.normal(2.0, 3.0, size=(20000,)).asnumpy()
    assert abs(n.mean() - 2.0) < 0.1 and abs(n.std() - 3.0) < 0.1
    assert mx.nd.random.normal(shape=1).shape == (1,) and mx.nd.random_normal(shape=3).shape == (3,)


def test_array_equiv_is_numpys():
    assert np.array_equiv(np.array([1, 2]).asnumpy(), onp.array([1, 2])) is True


def test_detach_stops_gradient():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
        z = y.detach() * 3 + x
    z.backward()
    assert x.grad.asnumpy().tolist() == [1.0, 1.0]
