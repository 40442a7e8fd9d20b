"""Gluon Parameters, Blocks and the basic layers against MXNet 1.9.1: names and
prefixes, deferred initialisation, printing, save/load (including a .params
file MXNet 1.9.1 wrote), hooks, contexts, and forward/backward values
recorded from MXNet on the same parameters."""

import pathlib

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd, np
from mxnet.gluon import nn

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [0.0, 1.0, 1.0]]
HEAD = [[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]]
# MXNet 1.9.1 on gluon_mlp_mxnet_1_9_1.params (Dense(4, relu) -> BatchNorm -> Dense(2)).
MX_INFER = [[-0.27606910, 1.17646646], [-0.66958755, 0.28135699], [-0.75012326, 0.34849638]]
MX_TRAIN = [[0.31151247, 0.74723989], [-0.03432463, -0.31759256], [-0.27718776, -0.42964733]]
MX_XGRAD = [
    [-0.12813342, 0.66305876, 0.40766573],
    [-0.01171366, -0.00587431, 0.00486268],
    [0.34074154, -0.06231811, -0.00325068],
]
MX_W0GRAD = [
    [0.41848597, -1.02469111, 1.48622465],
    [-0.01906572, 0.28184545, 0.29455593],
    [0.0, 0.0, 0.0],
    [-0.04332096, 0.35148662, 0.09156084],
]
MX_GAMMA_GRAD = [0.12326928, -0.13052773, 0.0, -2.12995696]
MX_RUNNING_MEAN = [0.14482170, 0.24214740, 0.27000001, 0.44371474]
MX_RUNNING_VAR = [1.38312507, 1.86777556, 0.45, 0.96207452]


def mlp():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation="relu", in_units=3), nn.BatchNorm(in_channels=4), nn.Dense(2, in_units=4))
    return net


@pytest.mark.parametrize("np_mode", [False, True])
def test_mxnet_params_file_loads_and_the_network_computes_as_mxnet(np_mode):
    with mx.util.np_array(np_mode), mx.util.np_shape(np_mode):
        net = mlp()
        net.load_parameters(str(FIXTURES / "gluon_mlp_mxnet_1_9_1.params"))
        face = np if np_mode else nd
        x = face.array(X)
        assert isinstance(net[0].weight.data(), type(x))
        onp.testing.assert_allclose(net(x).asnumpy(), MX_INFER, rtol=1e-5, atol=1e-6)
        x.attach_grad()
        with autograd.record():
            y = net(x)
        y.backward(face.array(HEAD))
        onp.testing.assert_allclose(y.asnumpy(), MX_TRAIN, rtol=1e-5, atol=1e-6)
        onp.testing.assert_allclose(x.grad.asnumpy(), MX_XGRAD, rtol=1e-4, atol=1e-6)
        onp.testing.assert_allclose(net[0].weight.grad().asnumpy(), MX_W0GRAD, rtol=1e-4, atol=1e-6)
        onp.testing.assert_allclose(net[1].gamma.grad().asnumpy(), MX_GAMMA_GRAD, rtol=1e-4, atol=1e-6)
        onp.testing.assert_allclose(net[1].running_mean.data().asnumpy(), MX_RUNNING_MEAN, rtol=1e-5)
        onp.testing.assert_allclose(net[1].running_var.data().asnumpy(), MX_RUNNING_VAR, rtol=1e-5)


def test_names_prefixes_and_printing_as_mxnet():
    net = nn.HybridSequential(prefix="model_")
    with net.name_scope():
        net.add(nn.Dense(4, activation="relu"), nn.Dense(2, in_units=4), nn.Dropout(0.5), nn.Flatten())
    assert [p for p in net.collect_params().keys()] == [
        "model_dense0_weight",
        "model_dense0_bias",
        "model_dense1_weight",
        "model_dense1_bias",
    ]
    assert net.prefix == "model_" and net[0].name == "model_dense0"
    assert repr(net) == (
        "HybridSequential(\n  (0): Dense(None -> 4, Activation(relu))\n  (1): Dense(4 -> 2, linear)\n"
        "  (2): Dropout(p = 0.5, axes=())\n  (3): Flatten\n)"
    )
    assert repr(net[0].weight) == "Parameter model_dense0_weight (shape=(4, 0), dtype=float32)"
    assert nn.Dense(3, prefix="mine_").weight.name == "mine_weight"
    assert list(net.collect_params(".*weight").keys()) == ["model_dense0_weight", "model_dense1_weight"]
    assert repr(nn.BatchNorm()) == (
        "BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=None)"
    )
    assert repr(nn.LayerNorm()) == "LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, in_channels=0)"
    assert repr(nn.Embedding(10, 4)) == "Embedding(10 -> 4, float32)"
    assert repr(nn.GroupNorm(2)) == "GroupNorm(eps=1e-05, num_groups=2, center=True, scale=True)"
    assert repr(nn.LeakyReLU(0.1)) == "LeakyReLU(0.1)" and repr(nn.Activation("tanh")) == "Activation(tanh)"


def test_deferred_initialisation_fills_shapes_at_the_first_forward():
    net = nn.Sequential()
    net.add(nn.Dense(4, activation="relu"), nn.Dense(2))
    net.initialize()
    with pytest.raises(gluon.DeferredInitializationError, match="initialization was deferred"):
        net[0].weight.data()
    assert net(nd.ones((3, 5))).shape == (3, 2)
    assert net[0].weight.shape == (4, 5) and net[1].weight.shape == (2, 4)
    assert repr(net[0]) == "Dense(5 -> 4, Activation(relu))"
    flat = nn.Dense(3, flatten=False)
    flat.initialize()
    assert flat(nd.ones((2, 7, 6))).shape == (2, 7, 3) and flat.weight.shape == (3, 6)
    with pytest.raises(RuntimeError, match="has not been initialized. Note that you should initialize"):
        nn.Dense(3).weight.data()


def test_parameter_api_as_mxnet():
    p = gluon.Parameter("w", shape=(2, 3))
    assert repr(p) == "Parameter w (shape=(2, 3), dtype=<class 'numpy.float32'>)"
    p.initialize(init=mx.init.Constant(2.0))
    assert p.data().asnumpy().tolist() == [[2.0] * 3] * 2 and p.grad().shape == (2, 3)
    assert p.list_ctx() == [mx.cpu(0)]
    with pytest.raises(AssertionError, match=r"Expected shape \(3, 3\) is incompatible with given shape \(2, 3\)"):
        p.shape = (3, 3)
    q = gluon.Parameter("q", shape=(0, 3))
    q.shape = (5, 3)
    assert q.shape == (5, 3)
    with pytest.raises(ValueError, match="Cannot initialize Parameter 'r' because it has invalid shape"):
        gluon.Parameter("r", shape=(0, 3)).initialize()
    r = gluon.Parameter("r", shape=(2,), grad_req="null")
    r.initialize()
    with pytest.raises(RuntimeError, match="because grad_req='null'"):
        r.grad()
    p.grad_req = "null"
    assert p.data().grad is None
    p.grad_req = "add"
    assert p.grad().asnumpy().tolist() == [[0.0] * 3] * 2
    p.set_data(nd.ones((2, 3)))
    assert p.data().asnumpy().sum() == 6
    p.cast("float64")
    assert p.data().dtype == onp.float64 and p.grad().dtype == onp.float64
    c = gluon.Constant("c", nd.array([1.0, 2.0]))
    c.initialize()
    assert c.grad_req == "null" and c.data().asnumpy().tolist() == [1.0, 2.0]


def test_grad_req_null_and_add_on_a_block():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    net.collect_params().setattr("grad_req", "add")
    x = nd.ones((1, 3))
    for _ in range(2):
        with autograd.record():
            y = net(x).sum()
        y.backward()
    onp.testing.assert_allclose(net.bias.grad().asnumpy(), [2.0, 2.0])
    net.collect_params().zero_grad()
    assert net.bias.grad().asnumpy().tolist() == [0.0, 0.0]
    net.collect_params(".*weight").setattr("grad_req", "null")
    with autograd.record():
        y = net(x).sum()
    y.backward()
    assert net.weight.data().grad is None and net.bias.grad().asnumpy().tolist() == [1.0, 1.0]


def test_save_load_round_trip_and_mxnet_errors(tmp_path):
    net = mlp()
    net.initialize()
    path = str(tmp_path / "net.params")
    net.save_parameters(path)
    assert sorted(nd.load(path)) == [
        "0.bias",
        "0.weight",
        "1.beta",
        "1.gamma",
        "1.running_mean",
        "1.running_var",
        "2.bias",
        "2.weight",
    ]
    other = mlp()
    other.load_parameters(path)
    x = nd.array(X)
    onp.testing.assert_array_equal(other(x).asnumpy(), net(x).asnumpy())
    smaller = nn.HybridSequential()
    smaller.add(nn.Dense(4, in_units=3))
    with pytest.raises(ValueError, match=r"Parameter '1\.\w+' loaded from file .* is not present in ParameterDict"):
        smaller.load_parameters(path)
    smaller.load_parameters(path, ignore_extra=True)
    bigger = mlp()
    bigger.add(nn.Dense(2, in_units=2))
    with pytest.raises(AssertionError, match="Parameter '3.weight' is missing in file"):
        bigger.load_parameters(path)
    bigger.load_parameters(path, allow_missing=True)

    # The older format: full names (here saved without the prefix), read back with a block's prefix.
    def scoped():
        block = nn.HybridSequential()
        with block.name_scope():
            block.add(nn.Dense(4, activation="relu", in_units=3), nn.Dense(2, in_units=4))
        return block

    first = scoped()
    first.initialize()
    first.collect_params().save(str(tmp_path / "old.params"), strip_prefix=first.prefix)
    assert sorted(nd.load(str(tmp_path / "old.params"))) == [
        "dense0_bias",
        "dense0_weight",
        "dense1_bias",
        "dense1_weight",
    ]
    second = scoped()
    second.load_parameters(str(tmp_path / "old.params"))
    onp.testing.assert_array_equal(second(x).asnumpy(), first(x).asnumpy())
    with pytest.raises(ValueError, match="Prefix 'nope_' is to be striped before saving"):
        first.collect_params().save(str(tmp_path / "bad.params"), strip_prefix="nope_")


def test_several_contexts_keep_one_copy_each():
    net = nn.Dense(2, in_units=3)
    net.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    w = net.weight
    assert w.list_ctx() == [mx.cpu(0), mx.cpu(1)]
    assert [d.ctx for d in w.list_data()] == [mx.cpu(0), mx.cpu(1)]
    onp.testing.assert_array_equal(w.data(mx.cpu(0)).asnumpy(), w.data(mx.cpu(1)).asnumpy())
    x1 = nd.ones((2, 3), ctx=mx.cpu(1))
    with autograd.record():
        y = net(x1).sum()
    y.backward()
    assert y.ctx == mx.cpu(1)
    assert w.grad(mx.cpu(1)).asnumpy().sum() == 12 and w.grad(mx.cpu(0)).asnumpy().sum() == 0
    net.reset_ctx(mx.cpu(2))
    assert w.list_ctx() == [mx.cpu(2)]


def test_children_hooks_apply_and_slicing():
    class Net(nn.Block):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.encoder = nn.Dense(3, in_units=2)
                self.decoder = nn.Dense(2, in_units=3)

        def forward(self, x):
            return self.decoder(self.encoder(x))

    net = Net()
    net.initialize()
    assert list(net._collect_params_with_prefix()) == [
        "encoder.weight",
        "encoder.bias",
        "decoder.weight",
        "decoder.bias",
    ]
    seen = []
    pre = net.encoder.register_forward_pre_hook(lambda b, inputs: seen.append(("pre", inputs[0].shape)))
    post = net.register_forward_hook(lambda b, inputs, out: seen.append(("post", out.shape)))
    net(nd.ones((4, 2)))
    assert seen == [("pre", (4, 2)), ("post", (4, 2))]
    pre.detach()
    post.detach()
    net(nd.ones((1, 2)))
    assert len(seen) == 2
    names = []
    net.apply(lambda b: names.append(type(b).__name__))
    assert names == ["Dense", "Dense", "Net"]
    seq = nn.HybridSequential()
    seq.add(nn.Dense(3), nn.Dense(4), nn.Dense(5))
    part = seq[1:]
    assert isinstance(part, nn.HybridSequential) and len(part) == 2 and part[0] is seq[1]
    with pytest.raises(TypeError, match="Changing attribute type for encoder"):
        net.encoder = 3


def test_hybrid_forward_gets_F_and_parameters_in_both_modes():
    class Scale(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.scale = self.params.get("scale", shape=(1,), init=mx.init.One())

        def hybrid_forward(self, F, x, scale):
            return F.np.multiply(x, scale) if mx.util.is_np_array() else F.broadcast_mul(x, scale)

    block = Scale()
    block.initialize()
    block.hybridize()
    assert block(nd.array([1.0, 2.0])).asnumpy().tolist() == [1.0, 2.0]
    with mx.util.np_array(True), mx.util.np_shape(True):
        block = Scale()
        block.initialize()
        assert isinstance(block(np.array([3.0])), np.ndarray)
    with pytest.raises(ValueError, match="In HybridBlock, there must be one NDArray"):
        block([1.0])


def test_layers_compute_as_their_ops():
    x = nd.array([[-1.0, 0.5, 2.0], [3.0, -0.25, 0.0]])
    for layer, want in [
        (nn.LeakyReLU(0.1), onp.where(x.asnumpy() > 0, x.asnumpy(), 0.1 * x.asnumpy())),
        (nn.ELU(), onp.where(x.asnumpy() > 0, x.asnumpy(), onp.expm1(x.asnumpy()))),
        (nn.Swish(), x.asnumpy() / (1 + onp.exp(-x.asnumpy()))),
        (nn.Identity(), x.asnumpy()),
        (nn.Lambda("relu"), onp.maximum(x.asnumpy(), 0)),
        (nn.HybridLambda(lambda F, v: F.tanh(v)), onp.tanh(x.asnumpy())),
    ]:
        layer.initialize()
        onp.testing.assert_allclose(layer(x).asnumpy(), want, rtol=1e-6, atol=1e-7)
    prelu = nn.PReLU()
    prelu.initialize()
    onp.testing.assert_allclose(prelu(x).asnumpy(), onp.where(x.asnumpy() > 0, x.asnumpy(), 0.25 * x.asnumpy()))
    emb = nn.Embedding(5, 2)
    emb.initialize()
    assert emb(nd.array([[0, 4], [1, 1]])).shape == (2, 2, 2)
    ln = nn.LayerNorm()
    ln.initialize()
    onp.testing.assert_allclose(ln(x).asnumpy().mean(-1), [0, 0], atol=1e-6)
    for norm in (nn.InstanceNorm(), nn.GroupNorm(num_groups=1)):
        norm.initialize()
        assert norm(nd.ones((2, 3, 4))).shape == (2, 3, 4)


def test_d2l_style_numpy_mode_network():
    # d2l (MXNet edition), chapter "Concise Implementation of Multilayer Perceptrons".
    with mx.util.np_array(True), mx.util.np_shape(True):
        net = nn.Sequential()
        net.add(nn.Dense(256, activation="relu"), nn.Dense(10))
        net.initialize(mx.init.Normal(sigma=0.01))
        x = np.random.uniform(size=(4, 784))
        y = net(x)
        assert isinstance(y, np.ndarray) and y.shape == (4, 10)
        w = net[0].weight.data()
        assert isinstance(w, np.ndarray) and w.shape == (256, 784)
        assert abs(float(w.asnumpy().std()) - 0.01) < 0.001 and net[0].bias.data().asnumpy().sum() == 0
        with autograd.record():
            loss = (net(x) ** 2).sum()
        loss.backward()
        assert isinstance(net[1].weight.grad(), np.ndarray) and float(abs(net[1].weight.grad()).sum()) > 0


SUMMARY_SEQUENTIAL = """\
--------------------------------------------------------------------------------
        Layer (type)                                Output Shape         Param #
================================================================================
               Input                                      (2, 4)               0
        Activation-1                                      (2, 8)               0
             Dense-2                                      (2, 8)              40
        Activation-3                                      (2, 8)               0
         BatchNorm-4                                      (2, 8)              32
           Dropout-5                                      (2, 8)               0
             Dense-6                                      (2, 3)              27
================================================================================
Parameters in forward computation graph, duplicate included
   Total params: 99
   Trainable params: 83
   Non-trainable params: 16
Shared params in forward computation graph: 0
Unique parameters in model: 99
--------------------------------------------------------------------------------
"""

SUMMARY_SHARED = """\
--------------------------------------------------------------------------------
        Layer (type)                                Output Shape         Param #
================================================================================
               Input                              (2, 3), (4, 3)               0
             Dense-1                                      (2, 3)              12
             Dense-2                                      (4, 3)              12
          TwoHeads-3                      (2, 3), [(4, 3), (3,)]               3
================================================================================
Parameters in forward computation graph, duplicate included
   Total params: 27
   Trainable params: 27
   Non-trainable params: 0
Shared params in forward computation graph: 12
Unique parameters in model: 15
--------------------------------------------------------------------------------
"""


def test_summary_prints_mxnet_table(capsys):
    # MXNet 1.9.1's text (a net already run once: MXNet's deferred shape inference would
    # add an extra Activation row showing a Symbol on a first call).
    net = nn.Sequential()
    net.add(nn.Dense(8, activation="relu"), nn.Activation("tanh"), nn.BatchNorm(), nn.Dropout(0.5), nn.Dense(3))
    net.initialize()
    net(nd.ones((2, 4)))
    capsys.readouterr()
    assert net.summary(nd.ones((2, 4))) is None
    assert capsys.readouterr().out == SUMMARY_SEQUENTIAL
    assert all(not b._forward_hooks for b in [net, *net._children.values()])  # hooks removed


def test_summary_nested_outputs_own_and_shared_params(capsys):
    class TwoHeads(gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.a = nn.Dense(3, in_units=3)
            self.b = nn.Dense(3, in_units=3, params=self.a.params)
            self.w = self.params.get("w", shape=(3,))

        def forward(self, x, y):
            return self.a(x), [self.b(y), self.w.data() + 1]

    net = TwoHeads()
    net.initialize()
    net.summary(nd.ones((2, 3)), nd.ones((4, 3)))
    assert capsys.readouterr().out == SUMMARY_SHARED


def test_summary_refuses_hybridized_and_uninitialized_blocks(capsys):
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=2), nn.Dense(1, in_units=2))
    net.initialize()
    net.hybridize()
    name = net[0].name
    with pytest.raises(AssertionError, match=f'"{name}" must not be hybridized to print summary'):
        net.summary(nd.ones((1, 2)))
    assert not net[0]._forward_hooks
    fresh = nn.Sequential()
    fresh.add(nn.Dense(4))
    with pytest.raises(RuntimeError, match="has not been initialized"):
        fresh.summary(nd.ones((1, 2)))
    assert not fresh[0]._forward_hooks
    assert capsys.readouterr().out == ""
