"""mx.init (mx.initializer): the deterministic initializers against MXNet 1.9.1's
recorded values, the random ones statistically against their formulas (Xavier's
fan for dense and convolution shapes, per factor_type / rnd_type; Orthogonal's
orthonormality), the name-suffix dispatch of both call paths, register / alias /
create, dumps() text, Mixed, Load, verbosity, subclassing, and MXNet's errors."""

import json
import logging
import math
import warnings

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd, np
from mxnet.base import MXNetError

D = mx.init.InitDesc


def filled(init, name, shape, family="nd", dtype="float32", start=7.0):
    """``init`` applied to an array of ``shape`` holding ``start``; returns it as NumPy."""
    make = nd if family == "nd" else np
    arr = make.ones(shape, dtype=dtype) * start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if isinstance(name, tuple):
            init(name[0], arr)
        else:
            init(name if isinstance(name, D) else D(name), arr)
    assert tuple(arr.shape) == tuple(shape)
    assert onp.dtype(arr.dtype) == onp.dtype(dtype)
    assert isinstance(arr, nd.NDArray if family == "nd" else np.ndarray)
    return arr.asnumpy()


def legacy(name):
    """A plain-str name: MXNet's older init(str, arr) path."""
    return (name,)


def test_namespaces():
    assert mx.init is mx.initializer
    assert mx.init.create is mx.initializer.create
    for name in ("InitDesc", "Initializer", "Zero", "One", "Constant", "Uniform", "Normal", "Orthogonal"):
        assert hasattr(mx.init, name)
    for name in ("Xavier", "MSRAPrelu", "Bilinear", "LSTMBias", "Mixed", "Load", "register", "alias"):
        assert hasattr(mx.init, name)


def test_init_desc():
    d = D("fc_weight")
    assert isinstance(d, str) and d == "fc_weight" and d.endswith("weight")
    assert d.attrs == {} and d.global_init is None
    d = D("x", attrs={"__init__": "ones"}, global_init=mx.init.Zero())
    assert d.attrs == {"__init__": "ones"} and isinstance(d.global_init, mx.init.Zero)
    init = mx.init.Xavier()
    d = D("w_weight")
    init(d, nd.zeros((2, 2)))
    assert d.global_init is init  # set on first use


# ---- deterministic initializers: MXNet 1.9.1's recorded values ----


@pytest.mark.parametrize("family", ["nd", "np"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_zero_one_constant(family, dtype):
    assert (filled(mx.init.Zero(), "w_weight", (2, 3), family, dtype) == 0).all()
    assert (filled(mx.init.One(), "w_weight", (2, 3), family, dtype, start=0) == 1).all()
    assert (filled(mx.init.Constant(2.5), "w_weight", (2, 3), family, dtype) == 2.5).all()


def test_constant_array_value_and_int_target():
    # MXNet: Constant(nd.array([1, 2])) on a (2, 2) weight -> [[1, 2], [1, 2]] (broadcast)
    assert filled(mx.init.Constant(nd.array([1, 2])), "c_weight", (2, 2)).tolist() == [[1, 2], [1, 2]]
    value = nd.array([[1, 2], [3, 4]])
    assert filled(mx.init.Constant(value), "c_weight", (2, 2), "np").tolist() == [[1, 2], [3, 4]]
    # MXNet: Constant(2.7) into an int32 array gives 2 (the array keeps its dtype)
    assert filled(mx.init.Constant(2.7), "c_weight", (2, 3), dtype="int32").tolist() == [[2, 2, 2]] * 2
    # MXNet raises ValueError (its setitem's broadcast check); mxlite's setitem raises MXNetError
    with pytest.raises(MXNetError, match="broadcast"):
        mx.init.Constant(nd.array([1, 2, 3]))(D("c_weight"), nd.zeros((2, 2)))


# MXNet 1.9.1: mx.init.Bilinear() on these shapes (one plane shown; every (out, in) plane is equal)
BILINEAR = {
    (1, 1, 4, 4): [
        [0.0625, 0.1875, 0.1875, 0.0625],
        [0.1875, 0.5625, 0.5625, 0.1875],
        [0.1875, 0.5625, 0.5625, 0.1875],
        [0.0625, 0.1875, 0.1875, 0.0625],
    ],
    (2, 1, 3, 5): [
        [0.1111111119389534, 0.2222222238779068, 0.3333333432674408, 0.2222222238779068, 0.1111111119389534],
        [0.2222222238779068, 0.4444444477558136, 0.6666666865348816, 0.4444444477558136, 0.2222222238779068],
        [0.3333333432674408, 0.6666666865348816, 1.0, 0.6666666865348816, 0.3333333432674408],
    ],
    # taller than wide: MXNet uses the width's factor on both axes, so the last row is negative
    (1, 2, 5, 3): [
        [0.0625, 0.1875, 0.1875],
        [0.1875, 0.5625, 0.5625],
        [0.1875, 0.5625, 0.5625],
        [0.0625, 0.1875, 0.1875],
        [-0.0625, -0.1875, -0.1875],
    ],
    (1, 1, 1, 1): [[1.0]],
}


@pytest.mark.parametrize("shape", list(BILINEAR))
@pytest.mark.parametrize("family", ["nd", "np"])
def test_bilinear_matches_mxnet(shape, family):
    got = filled(mx.init.Bilinear(), "up_weight", shape, family)
    want = onp.broadcast_to(onp.array(BILINEAR[shape], dtype=onp.float32), shape)
    assert onp.array_equal(got, want)


def test_bilinear_needs_4d():
    with pytest.raises(ValueError, match="4-D"):
        mx.init.Bilinear()(D("up_weight"), nd.zeros((2, 3)))


# MXNet 1.9.1: LSTMBias(2.5) through the weight path (the bias path gives zeros)
LSTM = {
    (16,): [0.0] * 4 + [2.5] * 4 + [0.0] * 8,
    (8, 3): [[0.0] * 3] * 2 + [[2.5] * 3] * 2 + [[0.0] * 3] * 4,
    (6,): [0.0, 2.5, 0.0, 0.0, 0.0, 0.0],
}


@pytest.mark.parametrize("shape", list(LSTM))
def test_lstm_bias_matches_mxnet(shape):
    assert filled(mx.init.LSTMBias(2.5), "lstm_weight", shape).tolist() == LSTM[shape]
    assert (filled(mx.init.LSTMBias(2.5), "lstm_bias", shape) == 0).all()
    got = filled(mx.init.LSTMBias(2.5), "lstm_i2h_bias", shape, "np")
    assert (got == 0).all()
    bias = mx.init.LSTMBias(2.5)
    arr = np.ones(shape)
    bias._init_weight("lstm_i2h_bias", arr)  # how Gluon's LSTM applies it to its biases
    assert arr.asnumpy().tolist() == LSTM[shape]
    assert filled(mx.init.LSTMBias(), "x_weight", (4,)).tolist() == [0, 1, 0, 0]  # default 1.0


# ---- random initializers: statistics against their formulas ----


def fans(shape):
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


@pytest.mark.parametrize("shape", [(64, 32, 3, 3), (300, 200), (16, 8, 5, 5, 2)])
@pytest.mark.parametrize("factor_type", ["avg", "in", "out"])
@pytest.mark.parametrize("rnd_type", ["uniform", "gaussian"])
def test_xavier_scale(shape, factor_type, rnd_type):
    magnitude = 2.34
    fan_in, fan_out = fans(shape)
    factor = {"avg": (fan_in + fan_out) / 2, "in": fan_in, "out": fan_out}[factor_type]
    scale = math.sqrt(magnitude / factor)
    init = mx.init.Xavier(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
    values = filled(init, "conv_weight", shape).astype(onp.float64)
    n = values.size
    assert abs(values.mean()) < 5 * scale / math.sqrt(n)
    if rnd_type == "uniform":
        assert values.min() >= -scale and values.max() <= scale
        assert values.max() > 0.99 * scale and values.min() < -0.99 * scale
        assert values.std() == pytest.approx(scale / math.sqrt(3), rel=0.04)
    else:
        assert values.std() == pytest.approx(scale, rel=0.04)


def test_xavier_defaults_and_np_arrays():
    shape = (64, 32, 3, 3)
    fan_in, fan_out = fans(shape)
    scale = math.sqrt(3 / ((fan_in + fan_out) / 2))
    for family, dtype in (("np", "float32"), ("np", "float64"), ("nd", "float64")):
        values = filled(mx.init.Xavier(), "w_weight", shape, family, dtype)
        assert values.min() >= -scale and values.max() <= scale
        assert values.std() == pytest.approx(scale / math.sqrt(3), rel=0.04)


@pytest.mark.parametrize("slope", [0.25, 0.0, 1.0])
@pytest.mark.parametrize("factor_type", ["avg", "in", "out"])
def test_msra_prelu(slope, factor_type):
    shape = (64, 32, 3, 3)
    fan_in, fan_out = fans(shape)
    factor = {"avg": (fan_in + fan_out) / 2, "in": fan_in, "out": fan_out}[factor_type]
    init = mx.init.MSRAPrelu(factor_type=factor_type, slope=slope)
    assert init.rnd_type == "gaussian" and init.magnitude == pytest.approx(2 / (1 + slope**2))
    values = filled(init, "w_weight", shape)
    assert values.std() == pytest.approx(math.sqrt(2 / (1 + slope**2) / factor), rel=0.04)


@pytest.mark.parametrize("family", ["nd", "np"])
def test_uniform_and_normal(family):
    values = filled(mx.init.Uniform(), "w_weight", (200, 100), family)
    assert values.min() >= -0.07 and values.max() <= 0.07 and values.max() > 0.069
    assert values.std() == pytest.approx(0.07 / math.sqrt(3), rel=0.03)
    values = filled(mx.init.Uniform(0.5), "w_weight", (200, 100), family, "float64")
    assert values.min() >= -0.5 and values.max() <= 0.5
    assert values.std() == pytest.approx(0.5 / math.sqrt(3), rel=0.03)
    values = filled(mx.init.Normal(), "w_weight", (200, 100), family)
    assert values.std() == pytest.approx(0.01, rel=0.03) and abs(values.mean()) < 5 * 0.01 / 100
    values = filled(mx.init.Normal(0.5), "w_weight", (200, 100), family, "float64")
    assert values.std() == pytest.approx(0.5, rel=0.03)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5), (8, 2, 3, 3), (3, 4, 2)])
@pytest.mark.parametrize("rand_type", ["uniform", "normal"])
def test_orthogonal(shape, rand_type):
    scale = 1.7
    values = filled(mx.init.Orthogonal(scale=scale, rand_type=rand_type), "w_weight", shape, "np")
    m = values.reshape(shape[0], -1).astype(onp.float64) / scale
    rows, cols = m.shape
    gram = m @ m.T if rows <= cols else m.T @ m  # rows orthonormal when wide, columns when tall
    assert onp.allclose(gram, onp.eye(min(rows, cols)), atol=1e-5)
    default = filled(mx.init.Orthogonal(), "w_weight", (3, 5))
    assert onp.allclose(default @ default.T, 1.414**2 * onp.eye(3), atol=1e-5)


@pytest.mark.parametrize(
    "init",
    [mx.init.Uniform(), mx.init.Normal(), mx.init.Xavier(), mx.init.MSRAPrelu(), mx.init.Orthogonal()],
    ids=lambda i: type(i).__name__,
)
def test_global_seed_reproduces(init):
    mx.random.seed(11)
    first = filled(init, "w_weight", (8, 6))
    second = filled(init, "w_weight", (8, 6))
    mx.random.seed(11)
    again = filled(init, "w_weight", (8, 6))
    assert onp.array_equal(first, again) and not onp.array_equal(first, second)


def test_random_initializer_rejects_int_arrays():
    # MXNet: MXNetError, the sampler's output type must be floating point
    with pytest.raises(MXNetError, match="int32"):
        mx.init.Uniform(5)(D("w_weight"), nd.ones((2, 3), dtype="int32"))
    with pytest.raises(MXNetError, match="Xavier"):
        mx.init.Xavier()(D("w_weight"), np.ones((2, 3), dtype="int32"))


# ---- name dispatch ----

# suffix -> what Xavier writes (None: a random weight) on the InitDesc path (Gluon's), as MXNet 1.9.1
DESC_DISPATCH = {
    "fc_weight": None,
    "fc_bias": 0.0,
    "bn_gamma": 1.0,
    "bn_beta": 0.0,
    "q_min": 0.0,
    "q_max": 1.0,
    "upsampling0_weight": None,  # the prefix rules belong to the str path only
    "stn_loc_weight": None,
    "stn_loc_bias": 0.0,
    "b_bias_quantize": 0.0,
}
# the same on the plain-str path, which also knows the running statistics
STR_DISPATCH = {
    "fc_weight": None,
    "fc_bias": 0.0,
    "bn_gamma": 1.0,
    "bn_beta": 0.0,
    "bn_moving_mean": 0.0,
    "bn_moving_var": 1.0,
    "bn_moving_inv_var": 0.0,
    "bn_moving_avg": 0.0,
    "q_min": 0.0,
    "q_max": 1.0,
    "stn_loc_weight": 0.0,
}


@pytest.mark.parametrize("family", ["nd", "np"])
@pytest.mark.parametrize("path", ["desc", "str"])
def test_name_dispatch(path, family):
    table = DESC_DISPATCH if path == "desc" else STR_DISPATCH
    for name, want in table.items():
        got = filled(mx.init.Xavier(), name if path == "desc" else legacy(name), (6, 1, 2, 2), family)
        if want is None:
            assert len(onp.unique(got)) > 1 and onp.abs(got).max() <= math.sqrt(3 / 6), name
        else:
            assert (got == want).all(), name


def test_str_path_prefix_rules():
    # MXNet 1.9.1: 'upsampling*' -> bilinear, 'stn_loc*bias' -> the identity transform
    got = filled(mx.init.Zero(), legacy("upsampling0_weight"), (1, 1, 2, 2))
    assert got.tolist() == [[[[1.0, 0.0], [0.0, 0.0]]]]
    assert filled(mx.init.Zero(), legacy("stn_loc_bias"), (6,)).tolist() == [1, 0, 0, 0, 1, 0]
    with pytest.warns(DeprecationWarning):
        mx.init.Zero()("fc_weight", nd.ones((2,)))


def test_quantized_weight():
    got = filled(mx.init.One(), "w_weight_quantize", (50,), dtype="int8")
    assert got.min() >= -127 and got.max() < 127 and len(onp.unique(got)) > 1


@pytest.mark.parametrize("name", ["bn_moving_mean", "bn_moving_var", "foo", "w_weight_quantize_x"])
def test_unknown_pattern(name):
    # On the InitDesc path MXNet 1.9.1 knows no running statistics (Gluon gives them init=)
    msg = f"Unknown initialization pattern for {name}. Default initialization is now limited to"
    with pytest.raises(ValueError, match=msg):
        mx.init.Xavier()(D(name), nd.zeros((2, 2)))
    if not name.startswith("bn_"):
        with pytest.raises(ValueError, match=msg), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            mx.init.Xavier()(name, nd.zeros((2, 2)))


def test_attrs_init_overrides_suffix():
    assert (filled(mx.init.Zero(), D("x", attrs={"__init__": "ones"}), (2, 2)) == 1).all()
    spec = mx.init.Constant(4).dumps()
    assert (filled(mx.init.Zero(), D("bn_moving_var", attrs={"__init__": spec}), (3,)) == 4).all()


def filled_desc(init, desc, shape):
    arr = nd.ones(shape) * 7
    init(desc, arr)
    return arr.asnumpy()


def test_legacy_path_type_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(TypeError, match="name must be string"):
            mx.init.Zero()(3, nd.zeros((2, 2)))
        with pytest.raises(TypeError, match="arr must be NDArray"):
            mx.init.Zero()("fc_weight", onp.zeros((2, 2)))


# ---- errors as MXNet ----


def test_xavier_errors():
    for shape in [(2,), ()]:
        with pytest.raises(ValueError, match="Xavier initializer cannot be applied to vector w_weight"):
            mx.init.Xavier()(D("w_weight"), nd.zeros(shape) if shape else np.zeros(shape))
    with pytest.raises(ValueError, match="Incorrect factor type"):
        mx.init.Xavier(factor_type="bad")(D("w_weight"), nd.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unknown random type"):
        mx.init.Xavier(rnd_type="bad")(D("w_weight"), nd.zeros((2, 2)))
    with pytest.raises(ValueError, match="rand_type"):
        mx.init.Orthogonal(rand_type="bad")(D("w_weight"), nd.zeros((2, 2)))


def test_base_initializer():
    with pytest.raises(NotImplementedError, match="Must override it"):
        mx.init.Initializer()(D("w_weight"), nd.zeros((2, 2)))
    # the non-weight suffixes need no subclass
    assert (filled(mx.init.Initializer(), "w_gamma", (2,)) == 1).all()


# ---- registry ----


def test_create():
    assert isinstance(mx.init.create("xavier"), mx.init.Xavier)
    assert isinstance(mx.init.create("Xavier"), mx.init.Xavier)
    assert mx.init.create("Xavier", magnitude=2).magnitude == 2.0
    assert isinstance(mx.init.create("zeros"), mx.init.Zero)
    assert isinstance(mx.init.create("ones"), mx.init.One)
    assert isinstance(mx.init.create("msraprelu"), mx.init.MSRAPrelu)
    assert mx.init.create('["normal", {"sigma": 0.5}]').sigma == 0.5
    assert mx.init.create({"initializer": "normal", "sigma": 0.3}).sigma == 0.3
    assert mx.init.create(initializer="uniform", scale=0.2).scale == 0.2
    one = mx.init.One()
    assert mx.init.create(one) is one
    for init in (mx.init.Xavier(factor_type="in", magnitude=2.34), mx.init.Orthogonal(2.0, "normal")):
        assert mx.init.create(init.dumps()) == init


def test_create_errors():
    # MXNet 1.9.1's AssertionError messages
    with pytest.raises(
        AssertionError, match="nosuch is not registered. Please register with initializer.register first"
    ):
        mx.init.create("nosuch")
    with pytest.raises(AssertionError, match="initializer is already an instance. Additional arguments are invalid"):
        mx.init.create(mx.init.One(), 3)
    with pytest.raises(AssertionError, match="initializer must be of string type"):
        mx.init.create(3)
    with pytest.raises(KeyError, match="initializer"):
        mx.init.create()
    with pytest.raises(AssertionError, match="Can only register subclass of Initializer"):
        mx.init.register(int)


def test_register_alias_and_subclass():
    @mx.init.register
    @mx.init.alias("helper_test_init")
    class HelperTestInit(mx.init.Initializer):
        def __init__(self, value=0.1):
            super().__init__(value=value)
            self.value = value

        def _init_weight(self, _, arr):
            arr[:] = self.value

        def _init_bias(self, _, arr):
            arr[:] = 1

    for name in ("helpertestinit", "HelperTestInit", "helper_test_init"):
        assert isinstance(mx.init.create(name), HelperTestInit)
    init = mx.init.create("helpertestinit", value=0.5)
    assert (filled(init, "fc_weight", (2, 3)) == 0.5).all()
    assert (filled(init, "fc_bias", (3,), "np") == 1).all()
    assert (filled(init, "bn_gamma", (3,)) == 1).all()  # inherited
    assert init.dumps() == '["helpertestinit", {"value": 0.5}]'
    assert (filled(mx.init.Zero(), D("x", attrs={"__init__": init.dumps()}), (2,)) == 0.5).all()
    with pytest.warns(UserWarning, match="overriding"):
        mx.init.register(type("HelperTestInit", (mx.init.Zero,), {}))


def test_equality():
    assert mx.init.Zero() == mx.init.Zero()
    assert mx.init.Normal(1) != mx.init.Normal(2)
    assert mx.init.Zero() != mx.init.One()
    assert mx.init.Zero() != 3


# ---- dumps: MXNet 1.9.1's text ----

DUMPS = [
    (mx.init.Normal(0.5), '["normal", {"sigma": 0.5}]'),
    (
        mx.init.Xavier(factor_type="in", magnitude=2.34),
        '["xavier", {"rnd_type": "uniform", "factor_type": "in", "magnitude": 2.34}]',
    ),
    (mx.init.Xavier(), '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]'),
    (mx.init.MSRAPrelu(), '["msraprelu", {"factor_type": "avg", "slope": 0.25}]'),
    (mx.init.Uniform(), '["uniform", {"scale": 0.07}]'),
    (mx.init.Zero(), '["zero", {}]'),
    (mx.init.One(), '["one", {}]'),
    (mx.init.Constant(3), '["constant", {"value": 3}]'),
    (mx.init.Constant(nd.array([1, 2])), '["constant", {"value": [1.0, 2.0]}]'),
    (mx.init.Constant(onp.array([1, 2])), '["constant", {"value": [1, 2]}]'),
    (mx.init.Orthogonal(), '["orthogonal", {"scale": 1.414, "rand_type": "uniform"}]'),
    (mx.init.Bilinear(), '["bilinear", {}]'),
    (mx.init.LSTMBias(), '["lstmbias", {"forget_bias": 1.0}]'),
    (mx.init.LSTMBias(2.5), '["lstmbias", {"forget_bias": 2.5}]'),
]


@pytest.mark.parametrize("init,text", DUMPS, ids=[t for _, t in DUMPS])
def test_dumps(init, text):
    assert init.dumps() == text
    json.loads(text)


# ---- Mixed and Load ----


def test_mixed():
    init = mx.init.Mixed([".*bias", ".*"], [mx.init.Zero(), mx.init.Constant(5)])
    assert (filled_desc(init, D("fc_bias"), (2,)) == 0).all()
    assert (filled_desc(init, D("fc_weight"), (2, 2)) == 5).all()
    with pytest.warns(DeprecationWarning):  # plain names too (MXNet's older path)
        assert (filled_desc(init, "fc_bias", (2,)) == 0).all()
    # re.match anchors at the start: 'bias' does not match 'fc_bias'
    init = mx.init.Mixed(["bias", ".*"], [mx.init.One(), mx.init.Constant(5)])
    assert (filled_desc(init, D("fc_bias"), (2,)) == 0).all()  # Constant's bias rule
    with pytest.raises(ValueError, match="Parameter name fc_weight did not match any pattern"):
        mx.init.Mixed(["bias"], [mx.init.Zero()])(D("fc_weight"), nd.zeros((2, 2)))
    with pytest.raises(AssertionError):
        mx.init.Mixed(["bias"], [mx.init.Zero(), mx.init.One()])


def test_load(tmp_path):
    params = {"arg:a": nd.ones((2,)) * 3, "b": nd.ones((2,)) * 4}
    init = mx.init.Load(params, default_init=mx.init.One())
    assert sorted(init.param) == ["a", "b"]
    assert filled_desc(init, "a", (2,)).tolist() == [3, 3]
    assert filled_desc(init, D("b"), (2,)).tolist() == [4, 4]
    assert filled_desc(init, D("c_weight"), (2, 2)).tolist() == [[1, 1], [1, 1]]
    arr = np.zeros((2,))
    init("b", arr)
    assert arr.asnumpy().tolist() == [4, 4]
    path = str(tmp_path / "p.params")
    nd.save(path, {"aux:m": nd.array([1, 2, 3])})
    assert filled_desc(mx.init.Load(path), "m", (3,)).tolist() == [1, 2, 3]
    with pytest.raises(AssertionError, match="Cannot Initialize z. Not found in loaded param"):
        mx.init.Load(params)("z", nd.zeros((2,)))
    with pytest.raises(AssertionError, match=r"Shape mismatch, target \(3,\) vs loaded \(2,\)"):
        mx.init.Load(params)("a", nd.zeros((3,)))


# ---- verbosity ----


def test_verbosity(caplog):
    init = mx.init.Zero().set_verbosity(True)
    assert isinstance(init, mx.init.Zero)
    with caplog.at_level(logging.INFO):
        init(D("fc_weight"), nd.ones((2, 2)))
        mx.init.Zero().set_verbosity(True)(D("x", attrs={"__init__": "ones"}), nd.zeros((2, 2)))
        stat = mx.init.One().set_verbosity(True, print_func=lambda x: "S=%s" % x.sum().asscalar())
        stat(D("fc_gamma"), nd.ones((2, 2)))
        mx.init.Load({"a": nd.ones((2,))}, mx.init.One(), verbose=True)("a", nd.zeros((2,)))
        mx.init.Load({"a": nd.ones((2,))}, mx.init.One(), verbose=True)(D("x_bias"), nd.zeros((2,)))
    # MXNet 1.9.1's lines
    assert caplog.messages == [
        "Initialized fc_weight as weight: 0.0",
        "Initialized x as ones: 1.0",
        "Initialized fc_gamma as gamma: S=4.0",
        "Initialized a by loading",
        "Initialized x_bias by default",
    ]
    quiet = mx.init.Zero().set_verbosity(False)
    with caplog.at_level(logging.INFO):
        caplog.clear()
        quiet(D("fc_weight"), nd.ones((2, 2)))
    assert caplog.messages == []
