"""Elementwise, creation and random ops beyond the op table: random
reproducibility, randint/choice/shuffle, creation functions, legacy nd names
and conventions, in-place operators writing the same storage, and the
gradients of special functions."""

import operator

import numpy as onp
import pytest
import scipy.special as sps
from hypothesis import given, settings
from hypothesis import strategies as st

from mxnet import autograd, nd, np, npx
from mxnet.base import MXNetError
from conftest import assert_library_usable


# ---- random --------------------------------------------------------------------------
def test_seed_reproduces_every_sampler():
    def draws():
        return [
            np.random.randint(0, 100, size=(50,)).asnumpy(),
            np.random.choice(10, 20).asnumpy(),
            np.random.choice(10, 5, replace=False).asnumpy(),
            np.random.choice(4, 8, p=np.array([0.1, 0.2, 0.3, 0.4])).asnumpy(),
            np.random.uniform(size=(5,)).asnumpy(),
            nd.random.randint(0, 7, shape=(9,)).asnumpy(),
        ]

    np.random.seed(42)
    first = draws()
    x = np.arange(30)
    np.random.shuffle(x)
    np.random.seed(42)
    second = draws()
    y = np.arange(30)
    np.random.shuffle(y)
    for a, b in zip(first, second):
        onp.testing.assert_array_equal(a, b)
    onp.testing.assert_array_equal(x.asnumpy(), y.asnumpy())
    np.random.seed(43)
    assert not onp.array_equal(np.random.randint(0, 100, size=(50,)).asnumpy(), first[0])


def test_randint_bounds_and_dtypes():
    np.random.seed(0)
    r = np.random.randint(-3, 4, size=(2000,))
    assert r.dtype == onp.int64 and r.shape == (2000,)
    v = r.asnumpy()
    assert v.min() == -3 and v.max() == 3  # both ends reached, high excluded
    assert np.random.randint(0, 5, size=(3,), dtype="int32").dtype == onp.int32
    s = np.random.randint(5)
    assert s.shape == () and 0 <= int(s) < 5
    legacy = nd.random.randint(0, 5, shape=(4,))
    assert isinstance(legacy, nd.NDArray) and legacy.dtype == onp.int32
    assert nd.random.randint(0, 5).shape == (1,)
    big = np.random.randint(2**40, 2**40 + 3, size=(100,)).asnumpy()
    assert set(big.tolist()) <= {2**40, 2**40 + 1, 2**40 + 2}
    with pytest.raises(MXNetError, match="randint: low >= high"):
        np.random.randint(5, 2, size=(2,))
    with pytest.raises(MXNetError, match="randint: dtype must be int32 or int64"):
        np.random.randint(0, 5, size=(2,), dtype="float32")
    assert_library_usable()


def test_choice_with_and_without_replacement():
    np.random.seed(1)
    r = np.random.choice(5, 3)
    assert r.dtype == onp.int64 and r.shape == (3,)
    perm = np.random.choice(6, 6, replace=False).asnumpy()
    assert sorted(perm.tolist()) == list(range(6))
    pop = np.array([1.5, 2.5, 3.5])
    vals = np.random.choice(pop, size=(2, 4))
    assert vals.dtype == onp.float32 and vals.shape == (2, 4)
    assert set(vals.asnumpy().ravel().tolist()) <= {1.5, 2.5, 3.5}
    assert np.random.choice(5).shape == ()
    with pytest.raises(MXNetError, match="choice: cannot take a larger sample"):
        np.random.choice(3, 4, replace=False)
    with pytest.raises(MXNetError, match="choice: probabilities do not sum to 1"):
        np.random.choice(3, 2, p=np.array([0.5, 0.5, 0.5]))
    assert_library_usable()


def test_choice_follows_p():
    np.random.seed(2)
    p = onp.array([0.1, 0.0, 0.6, 0.3])
    draws = np.random.choice(4, 20000, p=np.array(p)).asnumpy()
    freq = onp.bincount(draws, minlength=4) / draws.size
    assert freq[1] == 0
    onp.testing.assert_allclose(freq, p, atol=0.02)
    # Without replacement: never the zero-probability item, no repeats.
    for _ in range(20):
        picked = np.random.choice(4, 3, replace=False, p=np.array(p)).asnumpy().tolist()
        assert 1 not in picked and len(set(picked)) == 3


def test_shuffle_is_an_in_place_permutation_of_rows():
    np.random.seed(3)
    x = np.arange(40).reshape(10, 4)
    view = x[2:5]
    before = x.asnumpy().copy()
    assert np.random.shuffle(x) is None
    after = x.asnumpy()
    assert not onp.array_equal(after, before)
    assert sorted(map(tuple, after.tolist())) == sorted(map(tuple, before.tolist()))  # rows kept whole
    onp.testing.assert_array_equal(view.asnumpy(), after[2:5])  # same storage
    legacy = nd.arange(6)
    shuffled = nd.random.shuffle(legacy)
    assert sorted(shuffled.asnumpy().tolist()) == list(range(6))
    onp.testing.assert_array_equal(legacy.asnumpy(), onp.arange(6))  # legacy shuffle returns a copy


# ---- creation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args,kwargs",
    [
        ((0, 1, 5), {}),
        ((0, 1, 5), {"endpoint": False}),
        ((2, -3, 7), {}),
        ((0, 10, 5), {"dtype": "int32"}),
        ((1, 2, 1), {}),
        ((0, 1, 0), {}),
    ],
)
def test_linspace(args, kwargs):
    got = np.linspace(*args, **kwargs)
    want = onp.linspace(*args, **kwargs).astype(kwargs.get("dtype", "float32"))
    assert got.dtype == want.dtype
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)


def test_linspace_retstep_and_legacy():
    arr, step = np.linspace(0, 10, 5, retstep=True)
    assert step == 2.5 and arr.shape == (5,)
    onp.testing.assert_allclose(nd.linspace(0, 1, 5, endpoint=False).asnumpy(), [0, 0.2, 0.4, 0.6, 0.8], rtol=1e-6)


@pytest.mark.parametrize("n,m,k", [(3, None, 0), (3, 4, 1), (4, 3, -2), (2, 2, 5), (0, None, 0)])
def test_eye(n, m, k):
    got = np.eye(n, m, k=k)
    assert got.dtype == onp.float32
    onp.testing.assert_array_equal(got.asnumpy(), onp.eye(n, m, k=k))


def test_creation_dtypes():
    assert np.eye(3, dtype="int32").dtype == onp.int32
    onp.testing.assert_array_equal(np.identity(3).asnumpy(), onp.identity(3))
    assert np.empty((2, 3)).shape == (2, 3) and np.empty((2,), dtype="int32").dtype == onp.int32
    i = np.array([1, 2, 3], dtype="int32")
    fl = np.full_like(i, 2.5)
    assert fl.dtype == onp.int32 and fl.asnumpy().tolist() == [2, 2, 2]
    assert np.full_like(i, 2, dtype="int64").dtype == onp.int64
    assert np.empty_like(i).dtype == onp.int32 and np.empty_like(i).shape == (3,)
    assert np.full((2,), True).dtype == onp.bool_
    assert np.full((2,), 3).dtype == onp.float32
    assert np.full((2,), 2.5, dtype="int32").asnumpy().tolist() == [2, 2]
    assert np.zeros((2,), dtype=bool).dtype == onp.bool_ and np.ones((2,), dtype="bool").asnumpy().all()
    assert nd.zeros((2,), dtype="int32").dtype == onp.int32
    assert nd.eye(3, 4, 1).asnumpy().tolist() == onp.eye(3, 4, 1).tolist()
    assert nd.empty((2, 3)).shape == (2, 3)


def test_copy_is_independent_and_differentiable():
    a = np.array([1.0, 2.0])
    for c in (np.copy(a), a.copy()):
        assert not c._shares_memory(a)
        c[0] = 9
        assert a.asnumpy().tolist() == [1.0, 2.0]
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (np.copy(x) * 3).sum()
    y.backward()
    assert x.grad.asnumpy().tolist() == [3.0, 3.0]


# ---- in-place operators write the same storage ---------------------------------------------
INPLACE = {
    "+=": (operator.iadd, onp.add),
    "-=": (operator.isub, onp.subtract),
    "*=": (operator.imul, onp.multiply),
    "/=": (operator.itruediv, onp.divide),
    "%=": (operator.imod, onp.mod),
    "//=": (operator.ifloordiv, onp.floor_divide),
}


@pytest.mark.parametrize("op", sorted(INPLACE))
@pytest.mark.parametrize("other", ["scalar", "array"])
def test_inplace_operators_update_shared_storage(op, other):
    inplace_op, reference = INPLACE[op]
    start = onp.array([[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]], dtype=onp.float32)
    rhs_np = onp.array([2.0, 3.0, 4.0], dtype=onp.float32) if other == "array" else 2.0
    rhs = np.array(rhs_np) if other == "array" else rhs_np
    base = np.array(start)
    view = base[1:]  # created before the update: must see it
    result = inplace_op(base, rhs)
    assert result is base
    expected = reference(start, rhs_np)
    onp.testing.assert_allclose(base.asnumpy(), expected)
    onp.testing.assert_allclose(view.asnumpy(), expected[1:])
    assert view._shares_memory(base)


def test_slice_assignment_updates_views():
    base = np.zeros((3, 2))
    view = base[1:]
    base[:] = np.array([1.0, 2.0])
    assert view.asnumpy().tolist() == [[1.0, 2.0], [1.0, 2.0]]


def test_inplace_refuses_broadcast_growth():
    a = np.ones((3,))
    with pytest.raises(MXNetError, match=r"\(3,\)"):
        a %= np.ones((2, 3))
    assert_library_usable()


# ---- operators ------------------------------------------------------------------------------
def test_mod_and_floordiv_operators_match_python():
    a = onp.array([7, -7, 5, -5, 0], dtype="int32")
    b = onp.array([2, 2, -3, -3, 4], dtype="int32")
    x, y = np.array(a, dtype="int32"), np.array(b, dtype="int32")
    assert (x % y).asnumpy().tolist() == (a % b).tolist()
    assert (x // y).asnumpy().tolist() == (a // b).tolist()
    assert (7 % x[:2]).asnumpy().tolist() == (7 % a[:2]).tolist()
    assert (7 // y).asnumpy().tolist() == (7 // b).tolist()
    assert (x // 0).asnumpy().tolist() == [0] * 5  # NumPy's integer division by zero
    assert (np.array([1.0]) // 0.1).item() == 1.0 // 0.1  # 9.0, as Python and NumPy


def test_bool_operators():
    t = np.array([1, 0, 1]) > 0
    u = np.array([1, 1, 0]) > 0
    assert (~t).asnumpy().tolist() == [False, True, False]
    assert (t & u).dtype == onp.bool_ and (t & u).asnumpy().tolist() == [True, False, False]
    assert (t | u).asnumpy().tolist() == [True, True, True]
    assert (t ^ True).asnumpy().tolist() == [False, True, False]
    assert (True & t).dtype == onp.bool_
    i = np.array([6, 5], dtype="int32")
    assert (i & 3).asnumpy().tolist() == [2, 1] and (i | 1).asnumpy().tolist() == [7, 5]


# ---- legacy nd -------------------------------------------------------------------------------
A = onp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
R = onp.array([3.0, 2.0, 1.0])
LEGACY = {
    "broadcast_add": onp.add,
    "broadcast_plus": onp.add,
    "broadcast_sub": onp.subtract,
    "broadcast_minus": onp.subtract,
    "broadcast_mul": onp.multiply,
    "broadcast_div": onp.divide,
    "broadcast_mod": onp.mod,
    "broadcast_power": onp.power,
    "broadcast_maximum": onp.maximum,
    "broadcast_minimum": onp.minimum,
    "broadcast_hypot": onp.hypot,
    "broadcast_equal": onp.equal,
    "broadcast_not_equal": onp.not_equal,
    "broadcast_greater": onp.greater,
    "broadcast_greater_equal": onp.greater_equal,
    "broadcast_lesser": onp.less,
    "broadcast_lesser_equal": onp.less_equal,
    "broadcast_logical_and": onp.logical_and,
    "broadcast_logical_or": onp.logical_or,
    "broadcast_logical_xor": onp.logical_xor,
    "add": onp.add,
    "subtract": onp.subtract,
    "multiply": onp.multiply,
    "divide": onp.divide,
    "power": onp.power,
    "maximum": onp.maximum,
    "minimum": onp.minimum,
    "modulo": onp.mod,
    "equal": onp.equal,
    "not_equal": onp.not_equal,
    "greater": onp.greater,
    "greater_equal": onp.greater_equal,
    "lesser": onp.less,
    "lesser_equal": onp.less_equal,
    "logical_and": onp.logical_and,
    "logical_or": onp.logical_or,
    "logical_xor": onp.logical_xor,
}


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_legacy_broadcast_names(name):
    got = getattr(nd, name)(nd.array(A), nd.array(R))
    want = LEGACY[name](A, R)
    assert isinstance(got, nd.NDArray)
    assert got.dtype == onp.float32  # legacy comparisons: 0/1 in the operands' dtype
    onp.testing.assert_allclose(got.asnumpy(), want.astype(onp.float32), rtol=1e-6)


def test_legacy_conventions():
    ai = nd.array([7, -7, 5], dtype="int32")
    bi = nd.array([2, 2, -3], dtype="int32")
    assert nd.broadcast_equal(ai, bi).dtype == onp.int32
    assert nd.equal(ai, 7).asnumpy().tolist() == [1, 0, 0]
    div = nd.broadcast_div(ai, bi)
    assert div.dtype == onp.int32 and div.asnumpy().tolist() == [3, -3, -1]  # truncates, as MXNet 1.x
    assert nd.broadcast_mod(ai, bi).asnumpy().tolist() == [1, 1, -1]
    assert nd.logical_not(ai).dtype == onp.int32
    onp.testing.assert_allclose(nd.subtract(2, nd.array(R)).asnumpy(), 2 - R)
    onp.testing.assert_allclose(nd.power(2, nd.array(R)).asnumpy(), 2**R)
    same = nd.elemwise_mul(nd.array(A), nd.array(A))
    onp.testing.assert_allclose(same.asnumpy(), A * A)
    for name in ["elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div"]:
        with pytest.raises(MXNetError, match=rf"{name}: .*\(2, 3\) and \(3,\)"):
            getattr(nd, name)(nd.array(A), nd.array(R))
    with pytest.raises(MXNetError, match=r"add: operands could not be broadcast together with shapes \(2, 3\) \(2,\)"):
        nd.broadcast_add(nd.array(A), nd.array([1, 2]))
    assert_library_usable()


def test_legacy_clip_where_and_activations():
    onp.testing.assert_allclose(nd.clip(nd.array(A), 2, 4).asnumpy(), onp.clip(A, 2, 4))
    assert nd.clip(nd.array([7, -7], dtype="int32"), 0, 3).asnumpy().tolist() == [3, 0]
    rows = nd.where(nd.array([1, 0]), nd.array(A), nd.array(A * 2))  # a 1-D condition picks rows
    onp.testing.assert_allclose(rows.asnumpy(), [A[0], 2 * A[1]])
    cond = onp.array([[1, 0, 1], [0, 1, 0]])
    full = nd.where(nd.array(cond), nd.array(A), nd.array(-A))
    onp.testing.assert_allclose(full.asnumpy(), onp.where(cond, A, -A))
    x = onp.array([-1.0, 0.5, 2.0])
    onp.testing.assert_allclose(nd.relu(nd.array(x)).asnumpy(), onp.maximum(x, 0))
    onp.testing.assert_allclose(nd.sigmoid(nd.array(x)).asnumpy(), sps.expit(x), rtol=1e-6)
    onp.testing.assert_allclose(nd.erf(nd.array(x)).asnumpy(), sps.erf(x), rtol=1e-6)
    onp.testing.assert_allclose(nd.gammaln(nd.array([0.5, 3.0])).asnumpy(), sps.gammaln([0.5, 3.0]), rtol=1e-6)
    v = nd.array(x)
    v.attach_grad()
    with autograd.record():
        y = nd.relu(v) + nd.sigmoid(v)
    y.backward()
    s = sps.expit(x)
    onp.testing.assert_allclose(v.grad.asnumpy(), (x > 0) + s * (1 - s), rtol=1e-6)


# ---- special functions ---------------------------------------------------------------------
def test_erfinv_inverts_erf_to_the_edges():
    x = onp.array([-1.0, -0.999999, -0.5, 0.0, 1e-8, 0.3, 0.99, 0.9999999, 1.0])
    got = npx.erfinv(np.array(x, dtype="float64")).asnumpy()
    onp.testing.assert_allclose(got, sps.erfinv(x), rtol=1e-12)
    assert onp.isnan(npx.erfinv(np.array([1.5, -2.0], dtype="float64")).asnumpy()).all()


def test_gammaln_gradient_is_digamma_and_second_order_is_trigamma():
    x0 = onp.array([0.3, 1.0, 2.5, 7.0, -0.5])
    x = np.array(x0, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = npx.gammaln(x)
        (g,) = autograd.grad(y, [x], create_graph=True, head_grads=[np.ones_like(x)])
        z = g.sum()
    onp.testing.assert_allclose(g.asnumpy(), sps.digamma(x0), rtol=1e-12)
    z.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), sps.polygamma(1, x0), rtol=1e-10)


def test_gamma_gradient():
    x0 = onp.array([0.4, 1.5, 3.2])
    x = np.array(x0, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = npx.gamma(x)
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), sps.gamma(x0) * sps.digamma(x0), rtol=1e-12)


def test_third_derivative_of_gammaln_is_a_clear_error():
    x = np.array([1.5], dtype="float64")
    x.attach_grad()
    with autograd.record():
        (g1,) = autograd.grad(npx.gammaln(x), [x], create_graph=True, head_grads=[np.ones_like(x)])
        (g2,) = autograd.grad(g1, [x], create_graph=True, head_grads=[np.ones_like(x)])
        z = g2.sum()
    with pytest.raises(MXNetError, match="trigamma: the gradient of trigamma"):
        z.backward()
    assert_library_usable()


def test_where_gradient_goes_to_the_chosen_branch_only():
    c = np.array([1, 0, 1]) > 0
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([4.0])
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        out = np.where(c, x, y) * 2
    out.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 0.0, 2.0]
    assert y.grad.asnumpy().tolist() == [2.0]


def test_mod_gradients():
    a = np.array([5.5, -3.2], dtype="float64")
    b = np.array([2.0, 1.5], dtype="float64")
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        r = np.mod(a, b)
    r.backward()
    assert a.grad.asnumpy().tolist() == [1.0, 1.0]
    onp.testing.assert_allclose(b.grad.asnumpy(), -onp.floor(onp.array([5.5, -3.2]) / [2.0, 1.5]))


def test_clip_methods():
    a = np.array([1.0, 7.0, -2.0])
    assert a.clip(0, 3).asnumpy().tolist() == [1.0, 3.0, 0.0]
    assert a.clip(max=2).asnumpy().tolist() == [1.0, 2.0, -2.0]
    with pytest.raises(ValueError, match="either max or min"):
        a.clip()
    legacy = nd.array([1.0, 7.0, -2.0]).clip(0, 3)
    assert isinstance(legacy, nd.NDArray) and legacy.asnumpy().tolist() == [1.0, 3.0, 0.0]


@pytest.mark.parametrize(
    "name,fn,second",
    [
        ("erf", npx.erf, lambda x: -2 * x * 2 / onp.sqrt(onp.pi) * onp.exp(-x * x)),
        ("sigmoid", npx.sigmoid, lambda x: sps.expit(x) * (1 - sps.expit(x)) * (1 - 2 * sps.expit(x))),
        ("hypot", lambda x: np.hypot(x, 2.0), lambda x: 4.0 / (x * x + 4.0) ** 1.5),
        ("arctan2", lambda x: np.arctan2(x, 2.0), lambda x: -4.0 * x / (x * x + 4.0) ** 2),
        ("erfinv", npx.erfinv, lambda x: (onp.pi / 2) * sps.erfinv(x) * onp.exp(2 * sps.erfinv(x) ** 2)),
    ],
)
def test_second_derivatives(name, fn, second):
    x0 = onp.array([-0.7, 0.1, 0.6])
    x = np.array(x0, dtype="float64")
    x.attach_grad()
    with autograd.record():
        (g,) = autograd.grad(fn(x), [x], create_graph=True, head_grads=[np.ones_like(x)])
        z = g.sum()
    z.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), second(x0), rtol=1e-9)


def test_legacy_inplace_operators_update_shared_storage():
    base = nd.array([[1.0, 2.0], [3.0, 4.0]])
    row = base[1:]
    base += 1
    base *= nd.array([2.0, 3.0])
    base %= 5
    expected = onp.mod((onp.array([[1.0, 2.0], [3.0, 4.0]]) + 1) * [2.0, 3.0], 5)
    onp.testing.assert_allclose(base.asnumpy(), expected)
    onp.testing.assert_allclose(row.asnumpy(), expected[1:])


def test_choice_of_nothing_and_bad_population():
    assert np.random.choice(0, 0).shape == (0,)
    with pytest.raises(MXNetError, match="choice: a must be non-empty"):
        np.random.choice(0, 2)
    with pytest.raises(MXNetError, match="choice: a must be a positive integer"):
        np.random.choice(-1, 2)
    with pytest.raises(MXNetError, match="choice: a must be 1-dimensional"):
        np.random.choice(np.ones((2, 2)), 2)
    assert_library_usable()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=20), st.integers(-50, 50).filter(lambda d: d != 0))
def test_floor_divide_and_mod_rebuild_the_dividend(values, divisor):
    a = onp.array(values, dtype=onp.int64)
    x = np.array(a, dtype="int64")
    q, r = (x // divisor).asnumpy(), (x % divisor).asnumpy()
    onp.testing.assert_array_equal(q * divisor + r, a)
    assert ((r == 0) | (onp.sign(r) == onp.sign(divisor))).all()
    onp.testing.assert_array_equal(q, a // divisor)


@pytest.mark.parametrize("dtype,ulps", [("float32", 4), ("float64", 8)])
def test_vectorised_tanh_and_sigmoid_match_libm(dtype, ulps):
    # tanh and sigmoid come from the vectorised exp (a series for tanh near 0);
    # against NumPy / SciPy across magnitudes, signed zeros, saturation, inf, NaN.
    rng = onp.random.default_rng(7)
    mags = onp.concatenate([10.0 ** rng.uniform(-12, 3, 20000), [0.0, 0.125, 0.1249, 1e-30, 40.0, 800.0]])
    x = onp.concatenate([mags, -mags, [onp.inf, -onp.inf, onp.nan]]).astype(dtype)
    tiny = onp.finfo(dtype).tiny
    for got, want in [
        (np.tanh(np.array(x)).asnumpy(), onp.tanh(x)),
        (npx.activation(np.array(x), act_type="tanh").asnumpy(), onp.tanh(x)),
        (npx.sigmoid(np.array(x)).asnumpy(), sps.expit(x.astype("float64")).astype(dtype)),
        (npx.activation(np.array(x), act_type="sigmoid").asnumpy(), sps.expit(x.astype("float64")).astype(dtype)),
    ]:
        assert got.dtype == x.dtype
        onp.testing.assert_array_equal(onp.isnan(got), onp.isnan(want))
        ok = ~onp.isnan(want)
        err = onp.abs(got[ok].astype("float64") - want[ok]) / onp.maximum(onp.spacing(onp.abs(want[ok])), tiny)
        assert err.max() <= ulps, (x[ok][err.argmax()], got[ok][err.argmax()], want[ok][err.argmax()])
    onp.testing.assert_array_equal(onp.signbit(np.tanh(np.array(onp.array([-0.0], dtype))).asnumpy()), [True])
