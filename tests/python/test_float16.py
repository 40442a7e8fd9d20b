"""float16 arrays: conversions over every bit pattern, op values against NumPy's
float16 (computed in float32, rounded once), MXNet's promotion table, Python
interop (dtype, asnumpy, dlpack, pickling, printing), gradients, Gluon's
cast with BatchNorm, multi-precision optimizers and training, and the errors
of what stays unsupported."""

import pickle
import warnings

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd, np, npx
from mxnet.base import MXNetError

F16 = onp.float16
ALL_BITS = onp.arange(65536, dtype=onp.uint32).astype(onp.uint16)


def h(values):
    return np.array(onp.asarray(values, dtype=F16), dtype="float16")


def same_halves(got, want):
    """Bitwise equal, except that any NaN matches any NaN of the same sign."""
    got, want = onp.asarray(got, dtype=F16), onp.asarray(want, dtype=F16)
    assert got.shape == want.shape and got.dtype == want.dtype
    gb, wb = got.view(onp.uint16), want.view(onp.uint16)
    nan = onp.isnan(want)
    assert (onp.isnan(got) == nan).all()
    assert (gb[~nan] == wb[~nan]).all(), (got[~nan][gb[~nan] != wb[~nan]][:5], want[~nan][gb[~nan] != wb[~nan]][:5])
    assert (onp.signbit(got[nan]) == onp.signbit(want[nan])).all()


# ---- conversions ----------------------------------------------------------------------------
def test_every_half_converts_to_float32_and_back_exactly():
    halves = ALL_BITS.view(F16)
    x = np.array(halves, dtype="float16")
    assert (x.asnumpy().view(onp.uint16) == ALL_BITS).all()  # storage is the bits themselves
    f = x.astype("float32").asnumpy()
    want = halves.astype(onp.float32)
    nan = onp.isnan(want)
    assert (onp.isnan(f) == nan).all() and (f[~nan].view(onp.uint32) == want[~nan].view(onp.uint32)).all()
    same_halves(np.array(f).astype("float16").asnumpy(), halves)
    same_halves(np.array(halves.astype(onp.float64)).astype("float16").asnumpy(), halves)


@pytest.mark.parametrize("src", ["float32", "float64"])
def test_rounding_to_half_matches_numpy(src):
    rng = onp.random.default_rng(0)
    # Every half, the midpoints between neighbours (ties to even) and their
    # neighbours in the source type, random values over the whole range.
    halves = ALL_BITS.view(F16)
    finite = halves[onp.isfinite(halves)].astype(onp.float64)
    finite.sort()
    mids = (finite[1:] + finite[:-1]) / 2
    dt = onp.dtype(src)
    mids = mids.astype(dt)
    values = onp.concatenate(
        [
            mids,
            onp.nextafter(mids, dt.type(onp.inf)),
            onp.nextafter(mids, dt.type(-onp.inf)),
            rng.standard_normal(20000).astype(dt) * 10.0 ** rng.integers(-9, 6, 20000),
            onp.array([65504, 65519.99, 65520, 65536, 1e10, -1e10, 2.0**-25, 2.0**-24, 3 * 2.0**-26, 1e-30], dt),
            onp.array([onp.inf, -onp.inf, onp.nan, -onp.nan, 0.0, -0.0], dt),
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = values.astype(F16)
    same_halves(np.array(values, dtype=src).astype("float16").asnumpy(), want)


@pytest.mark.parametrize("src", ["bool", "uint8", "int8", "int32", "int64"])
def test_integers_and_bool_to_half_and_back(src):
    info = onp.iinfo(src) if src != "bool" else None
    values = (
        onp.array([0, 1], dtype=src)
        if info is None
        else onp.linspace(max(info.min, -(2**40)), min(info.max, 2**40), 997).astype(src)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = values.astype(F16)
    got = np.array(values, dtype=src).astype("float16").asnumpy()
    same_halves(got, want)
    back = h([0.0, 1.0, 2.5, -3.75, 100.0]) if src not in ("bool", "uint8") else h([0.0, 1.0, 2.5, 100.0])
    assert (back.astype(src).asnumpy() == back.asnumpy().astype(src)).all()


# ---- ops against NumPy's float16 ------------------------------------------------------------------
def _data(shape, seed=0, positive=False):
    rng = onp.random.default_rng(seed)
    x = rng.standard_normal(shape) * 3
    if positive:
        x = onp.abs(x) + 0.1
    return x.astype(F16)


EXACT_UNARY = {  # correctly rounded in float32, so NumPy and mxlite agree bit for bit
    "negative": (np.negative, onp.negative, False),
    "abs": (np.abs, onp.abs, False),
    "sqrt": (np.sqrt, onp.sqrt, True),
    "square": (np.square, onp.square, False),
    "floor": (np.floor, onp.floor, False),
    "round": (np.round, onp.round, False),
}
CLOSE_UNARY = {  # transcendental: float32 libm differences may move the last float16 bit
    "exp": (np.exp, onp.exp, False),
    "log": (np.log, onp.log, True),
    "tanh": (np.tanh, onp.tanh, False),
    "sin": (np.sin, onp.sin, False),
    "sigmoid": (npx.sigmoid, lambda x: (1 / (1 + onp.exp(-x.astype(onp.float32)))).astype(F16), False),
    "relu": (npx.relu, lambda x: onp.maximum(x, F16(0)), False),
}


@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 4, 5)])
@pytest.mark.parametrize("name", sorted(EXACT_UNARY))
def test_unary_exact(name, shape):
    mine, ref, positive = EXACT_UNARY[name]
    x = _data(shape, positive=positive)
    got = mine(np.array(x, dtype="float16"))
    assert got.dtype == F16
    same_halves(got.asnumpy(), ref(x))


@pytest.mark.parametrize("name", sorted(CLOSE_UNARY))
def test_unary_close(name):
    mine, ref, positive = CLOSE_UNARY[name]
    x = _data((4, 257), positive=positive)
    got = mine(np.array(x, dtype="float16"))
    assert got.dtype == F16
    onp.testing.assert_allclose(got.asnumpy().astype(onp.float32), ref(x).astype(onp.float32), rtol=1e-3, atol=1e-4)


BINARY = {
    "add": (np.add, onp.add),
    "subtract": (np.subtract, onp.subtract),
    "multiply": (np.multiply, onp.multiply),
    "divide": (np.divide, onp.divide),
    "maximum": (np.maximum, onp.maximum),
    "minimum": (np.minimum, onp.minimum),
}


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((), (5,)), ((0, 3), (3,))])
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_numpy_bit_for_bit(name, shapes):
    mine, ref = BINARY[name]
    a, b = _data(shapes[0], 1), _data(shapes[1], 2, positive=True)
    got = mine(np.array(a, dtype="float16"), np.array(b, dtype="float16"))
    assert got.dtype == F16
    same_halves(got.asnumpy(), ref(a, b))


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide"])
def test_scalar_operand_is_rounded_to_half_first(name):
    mine, ref = BINARY[name]
    a = _data((50,), 3)
    got = mine(np.array(a, dtype="float16"), 0.1)
    assert got.dtype == F16
    same_halves(got.asnumpy(), ref(a, F16(0.1)))


def test_non_contiguous_views_and_transposes():
    a = _data((6, 8), 4)
    x = np.array(a, dtype="float16")
    same_halves((x.T * 2).asnumpy(), a.T * F16(2))
    same_halves(x[1:5:2, ::3].asnumpy(), a[1:5:2, ::3])
    same_halves(np.flip(x, 1)[2:].asnumpy(), onp.flip(a, 1)[2:])
    same_halves(np.concatenate([x, x[:2]]).asnumpy(), onp.concatenate([a, a[:2]]))
    same_halves(x[np.array([3, 0, 3])].asnumpy(), a[[3, 0, 3]])


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
def test_reductions_accumulate_in_float32(axis):
    a = _data((5, 300, 3), 5)
    x = np.array(a, dtype="float16")
    wide = a.astype(onp.float32)
    for mine, ref in [(np.sum, onp.sum), (np.mean, onp.mean), (np.max, onp.max), (np.prod, None)]:
        if ref is None:
            continue
        got = mine(x, axis=axis)
        assert got.dtype == F16
        want = ref(wide, axis=axis).astype(F16)  # one rounding of the float32 result
        onp.testing.assert_allclose(got.asnumpy().astype(onp.float32), want.astype(onp.float32), rtol=2e-3, atol=1e-2)
    # A float16 running sum would stall at 2048; float32 accumulation does not.
    assert float(np.sum(np.ones(5000, dtype="float16"))) == 5000.0
    assert np.sum(np.zeros((0, 3), dtype="float16")).dtype == F16


def test_matmul_uses_float32_products():
    a, b = _data((17, 33), 6), _data((33, 9), 7)
    got = np.dot(np.array(a, dtype="float16"), np.array(b, dtype="float16"))
    assert got.dtype == F16
    want = (a.astype(onp.float32) @ b.astype(onp.float32)).astype(F16)
    onp.testing.assert_allclose(got.asnumpy().astype(onp.float32), want.astype(onp.float32), rtol=2e-3, atol=2e-3)


def test_setitem_fill_and_creation():
    x = np.zeros((3, 4), dtype="float16")
    x[1] = 2.5
    x[:, 0] = np.array([1, 2, 3], dtype="int32")
    x[2, 3] = 0.1
    want = onp.zeros((3, 4), F16)
    want[1] = 2.5
    want[:, 0] = [1, 2, 3]
    want[2, 3] = 0.1
    same_halves(x.asnumpy(), want)
    same_halves(np.full((2,), 0.1, dtype="float16").asnumpy(), onp.full((2,), 0.1, F16))
    same_halves(np.arange(5, dtype="float16").asnumpy(), onp.arange(5, dtype=F16))
    assert x[1, 2].item() == 2.5 and isinstance(x[1, 2].item(), float)


# ---- dtype rules ---------------------------------------------------------------------------------
# MXNet 1.9.1 (checked with mxr): float16 beside any integer or bool stays
# float16 (NumPy would give float64 beside int32/int64); beside float32/float64
# the wider float.
PROMOTION = {
    "bool": "float16",
    "uint8": "float16",
    "int8": "float16",
    "int32": "float16",
    "int64": "float16",
    "float16": "float16",
    "float32": "float32",
    "float64": "float64",
}


@pytest.mark.parametrize("other", sorted(PROMOTION))
def test_promotion_is_mxnets(other):
    a, b = np.ones(2, dtype="float16"), np.ones(2, dtype=other)
    assert (a + b).dtype == onp.dtype(PROMOTION[other])
    assert (b * a).dtype == onp.dtype(PROMOTION[other])


def test_dtype_spellings_and_faces():
    for spelling in ["float16", F16, onp.dtype("float16"), "f2", "e"]:
        assert np.zeros(1, dtype=spelling).dtype == F16
    assert np.float16 is onp.float16
    assert nd.array([1, 2], dtype=onp.float16).dtype is onp.float16
    assert nd.array([1, 2]).astype("float16").asnumpy().dtype == F16
    assert np.finfo("float16").eps == onp.finfo(onp.float16).eps
    assert np.array([1.5], dtype="float16").astype("float16", copy=False).dtype == F16


def test_numpy_interop_dlpack_and_pickle():
    a = _data((3, 5), 8)
    x = np.array(a, dtype="float16")
    same_halves(onp.asarray(x), a)
    same_halves(onp.from_dlpack(x), a)
    back = np.from_dlpack(a) if hasattr(np, "from_dlpack") else nd.from_dlpack(a)
    assert back.dtype == F16
    same_halves(back.asnumpy(), a)
    same_halves(pickle.loads(pickle.dumps(x)).asnumpy(), a)
    torch = pytest.importorskip("torch")
    t = torch.from_dlpack(x)
    assert t.dtype == torch.float16 and t.shape == (3, 5)
    same_halves(t.numpy(), a)
    same_halves(nd.from_dlpack(torch.ones(2, dtype=torch.float16)).asnumpy(), onp.ones(2, F16))


def test_printing_like_mxnet():
    # MXNet 1.9.1's output (mxr) for the same arrays.
    assert repr(np.array([1.5, 2, 3], dtype="float16")) == "array([1.5, 2. , 3. ], dtype=float16)"
    assert str(nd.array([1.5, 2, 3.14159], dtype="float16")) == "\n[1.5  2.   3.14]\n<NDArray 3 @cpu(0)>"
    assert repr(np.exp(np.array([1.5, 2, 3], dtype="float16"))) == "array([ 4.48,  7.39, 20.08], dtype=float16)"


# ---- gradients -----------------------------------------------------------------------------------
def _grad(f, a, dtype):
    x = np.array(a, dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward()
    return x.grad


@pytest.mark.parametrize(
    "f",
    [
        lambda x: (x * x).sum(),
        lambda x: np.exp(x * 0.3).sum(),
        lambda x: (np.tanh(x) * 2 + x).mean(),
        lambda x: np.dot(x, x.T).sum(),
        lambda x: npx.softmax(x).max(axis=1).sum(),
    ],
)
def test_gradients_are_float16_and_close_to_float32(f):
    a = _data((4, 6), 9) / 3
    g16, g32 = _grad(f, a, "float16"), _grad(f, a, "float32")
    assert g16.dtype == F16
    onp.testing.assert_allclose(g16.asnumpy().astype(onp.float32), g32.asnumpy(), rtol=1e-2, atol=1e-2)


def test_second_derivative_in_float16():
    x = np.array([0.5, 1.0, 2.0], dtype="float16")
    x.attach_grad()
    with autograd.record():
        y = (x * x * x).sum()
        (dx,) = autograd.grad(y, [x], create_graph=True)
        z = dx.sum()
    z.backward()
    assert dx.dtype == F16 and x.grad.dtype == F16
    assert x.grad.asnumpy().tolist() == [3.0, 6.0, 12.0]  # d/dx 3x^2 = 6x


def test_hybridized_float16_block_matches_imperative():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(5, activation="relu"), gluon.nn.Dense(3))
    net.initialize(mx.init.Xavier())
    net.cast("float16")
    x = np.array(_data((4, 7), 10), dtype="float16")
    eager = net(x)
    net.hybridize()
    with autograd.record():
        first = net(x)
        out = net(x)
    out.backward()
    assert first.dtype == out.dtype == F16
    same_halves(out.asnumpy(), eager.asnumpy())
    assert net[0].weight.grad().dtype == F16


# ---- Gluon and optimizers ------------------------------------------------------------------------
def _mlp(dtype, seed=3):
    mx.random.seed(seed)
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(16, activation="relu"), gluon.nn.BatchNorm(), gluon.nn.Dense(3))
    net.initialize(mx.init.Xavier())
    net(np.zeros((2, 5)))  # shapes
    if dtype == "float16":
        net.cast("float16")
    return net


def test_cast_keeps_batchnorm_float32():
    net = _mlp("float16")
    dtypes = {name: onp.dtype(p.data().dtype) for name, p in net.collect_params().items()}
    assert {dtypes[n] for n in dtypes if "batchnorm" in n} == {onp.dtype("float32")}
    assert {dtypes[n] for n in dtypes if "dense" in n} == {onp.dtype("float16")}
    x = np.array(_data((8, 5), 11), dtype="float16")
    with autograd.record():
        y = net(x)
    assert y.dtype == F16
    bn = net[1]
    assert bn.running_mean.data().dtype == onp.float32 and float(np.abs(bn.running_mean.data()).sum()) > 0


@pytest.mark.parametrize(
    "opt,params", [("sgd", {"learning_rate": 0.1, "momentum": 0.9}), ("adam", {"learning_rate": 0.01})]
)
def test_training_with_multi_precision_follows_float32(opt, params):
    rng = onp.random.default_rng(12)
    xs = rng.standard_normal((32, 5)).astype(onp.float32)
    ys = (xs[:, 0] > 0).astype(onp.int64) + (xs[:, 1] > 0).astype(onp.int64)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    curves = {}
    for dtype in ["float32", "float16"]:
        net = _mlp(dtype)
        trainer = gluon.Trainer(net.collect_params(), opt, dict(params, multi_precision=dtype == "float16"))
        x, y = np.array(xs, dtype=dtype), np.array(ys)
        losses = []
        for _ in range(6):
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(32)
            losses.append(float(loss.mean()))
            assert loss.dtype == onp.dtype(dtype)
        curves[dtype] = losses
        if dtype == "float16":
            weight = net[0].weight
            assert weight.data().dtype == F16
            (updater,) = trainer._updaters.values()
            states = updater.states
            masters = [s for s in states.values() if isinstance(s, tuple) and s[0].dtype == onp.float32]
            assert masters  # float32 master copies of the float16 weights
    onp.testing.assert_allclose(curves["float16"], curves["float32"], rtol=3e-2, atol=3e-2)
    assert curves["float16"][-1] < curves["float16"][0]


def test_master_copy_keeps_updates_that_float16_loses():
    w = nd.array([1.0], dtype="float16")
    g = nd.array([1.0], dtype="float16")
    plain = mx.optimizer.SGD(learning_rate=1e-4)
    mp = mx.optimizer.SGD(learning_rate=1e-4, multi_precision=True)
    with pytest.warns(UserWarning, match="multi_precision=True"):
        s_plain = plain.create_state_multi_precision(0, w)
    w_plain, w_mp = w.copy(), w.copy()
    s_mp = mp.create_state_multi_precision(0, w_mp)
    assert s_mp[0].dtype == onp.float32
    for _ in range(10):
        plain.update_multi_precision(0, w_plain, g, s_plain)
        mp.update_multi_precision(0, w_mp, g, s_mp)
    # 1 - 1e-4 rounds back to 1 in float16 each step; the master copy keeps 1 - 1e-3.
    assert w_plain.asnumpy()[0] == 1.0
    assert w_mp.asnumpy()[0] == F16(1 - 1e-3) and abs(s_mp[0].asnumpy()[0] - (1 - 1e-3)) < 1e-6
    assert w_mp.dtype == onp.float16


def test_float16_update_in_float16_without_multi_precision():
    w = nd.array([1.0, 2.0], dtype="float16")
    g = nd.array([0.5, 0.5], dtype="float16")
    mom = nd.zeros(2, dtype="float16")
    nd.sgd_mom_update(w, g, mom, out=w, lr=0.5, momentum=0.9)
    assert w.dtype == F16 and w.asnumpy().tolist() == [0.75, 1.75] and mom.asnumpy().tolist() == [-0.25, -0.25]
    with pytest.raises(ValueError, match="multi_precision must be True or False"):
        mx.optimizer.SGD(multi_precision="yes")


# ---- what is refused -----------------------------------------------------------------------------
def test_unsupported_float16_cases_raise_clearly():
    x = np.array([[2, 1], [1, 3]], dtype="float16")
    with pytest.raises(MXNetError, match="only float32 and float64 inputs are supported, got float16"):
        np.linalg.inv(x)
    with pytest.raises(MXNetError, match="got float16"):
        np.linalg.svd(x)
    with pytest.raises(MXNetError, match="bfloat16"):
        np.zeros(2, dtype="bfloat16")
    with pytest.raises(TypeError, match="cannot cast"):
        np.array([1, 2], dtype="float16").astype("int32", casting="same_kind")
    with pytest.raises(MXNetError, match="operands could not be broadcast|cannot broadcast|shape"):
        np.ones(3, dtype="float16") + np.ones(4, dtype="float16")
