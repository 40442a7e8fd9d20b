"""hybridize(): the first call per input signature captures the forward as an
engine graph, later calls replay it without running hybrid_forward. Every
layer and loss gives bit-identical values and gradients hybridized and not,
in both modes; the Python rules are MXNet's (control flow runs once, reading
values raises NotImplementedForSymbol)."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import _core, autograd, gluon, nd, np, npx
from mxnet.base import MXNetError, NotImplementedForSymbol, NotSupportedError
from mxnet.gluon import nn

RNG = onp.random.RandomState(7)
X45 = RNG.randn(4, 5).astype("float32")


@pytest.fixture(params=["nd", "np"])
def F(request):
    if request.param == "np":
        with mx.util.np_array(True), mx.util.np_shape(True):
            yield np
    else:
        yield nd


def arr(F, value):
    return F.array(onp.asarray(value, dtype="float32"))


def run_pair(make, F, inputs, steps=2, train=True, seed=0):
    """Runs the same block hybridized and not on the same parameters; returns
    (imperative outputs, hybridized outputs, grads of both) per step."""
    mx.random.seed(seed)
    a = make()
    a.initialize(mx.init.Xavier())
    mx.random.seed(seed)
    b = make()
    b.initialize(mx.init.Xavier())
    b.hybridize()
    results = []
    for step in range(steps):
        pair = []
        for net in (a, b):
            mx.random.seed(100 + step)
            xs = [arr(F, v) for v in inputs]
            for x in xs:
                x.attach_grad()
            if train:
                with autograd.record():
                    y = net(*xs)
                    head = (y * y).sum()
                head.backward()
            else:
                y = net(*xs)
            grads = [p.grad().asnumpy() for p in net.collect_params().values() if train and p.grad_req != "null"]
            pair.append((y.asnumpy(), grads, [x.grad.asnumpy() for x in xs] if train else []))
        results.append(pair)
    return a, b, results


def assert_identical(results):
    for (ya, ga, xa), (yb, gb, xb) in results:
        assert onp.array_equal(ya, yb)
        assert len(ga) == len(gb) and all(onp.array_equal(u, v) for u, v in zip(ga, gb))
        assert all(onp.array_equal(u, v) for u, v in zip(xa, xb))


LAYERS = {
    "dense": lambda: nn.Dense(3, activation="tanh"),
    "dense_no_flatten": lambda: nn.Dense(2, flatten=False, use_bias=False),
    "batchnorm": lambda: nn.BatchNorm(),
    "layernorm": lambda: nn.LayerNorm(),
    "instancenorm": lambda: nn.InstanceNorm(),
    "groupnorm": lambda: nn.GroupNorm(num_groups=1),
    "dropout": lambda: nn.Dropout(0.5),
    "leakyrelu": lambda: nn.LeakyReLU(0.1),
    "prelu": lambda: nn.PReLU(),
    "elu": lambda: nn.ELU(),
    "selu": lambda: nn.SELU(),
    "gelu": lambda: nn.GELU(),
    "swish": lambda: nn.Swish(),
    "activation": lambda: nn.Activation("softrelu"),
    "flatten": lambda: nn.Flatten(),
    "identity": lambda: nn.Identity(),
    "hybrid_lambda": lambda: nn.HybridLambda(lambda F, x: F.relu(x) if hasattr(F, "relu") else F.npx.relu(x)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("train", [True, False])
def test_every_layer_is_bit_identical_hybridized(name, train, F):
    inputs = [RNG.randn(4, 3, 2).astype("float32")] if name in ("instancenorm", "groupnorm") else [X45]
    _, b, results = run_pair(LAYERS[name], F, inputs, train=train)
    assert_identical(results)
    assert len(b._cached_graphs) == 1


def test_embedding_is_bit_identical_hybridized(F):
    _, _, results = run_pair(lambda: nn.Embedding(10, 3), F, [[[1, 2], [3, 9]]])
    assert_identical(results)


def mlp():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(8, activation="relu"), nn.BatchNorm(), nn.Dropout(0.3), nn.Dense(3))
    return net


def test_network_with_deferred_init_batchnorm_and_dropout(F):
    a, b, results = run_pair(mlp, F, [X45], steps=3)
    assert_identical(results)
    # The running statistics move on replay exactly as imperatively.
    for p, q in zip(a.collect_params().values(), b.collect_params().values()):
        assert onp.array_equal(p.data().asnumpy(), q.data().asnumpy())


LOSSES = {
    "l2": (lambda: gluon.loss.L2Loss(), [X45[:, :3], X45[:, 1:4]]),
    "l1": (lambda: gluon.loss.L1Loss(), [X45[:, :3], X45[:, 1:4]]),
    "softmax_ce": (lambda: gluon.loss.SoftmaxCrossEntropyLoss(), [X45, [0, 4, 2, 1]]),
    "softmax_ce_dense": (lambda: gluon.loss.SoftmaxCrossEntropyLoss(sparse_label=False), [X45, onp.eye(5)[:4]]),
    "sigmoid_bce": (lambda: gluon.loss.SigmoidBinaryCrossEntropyLoss(), [X45, (X45 > 0)]),
    "kl": (lambda: gluon.loss.KLDivLoss(from_logits=False), [X45, onp.full((4, 5), 0.2)]),
    "huber": (lambda: gluon.loss.HuberLoss(), [X45, X45[::-1]]),
    "hinge": (lambda: gluon.loss.HingeLoss(), [X45, onp.sign(X45[::-1])]),
    "squared_hinge": (lambda: gluon.loss.SquaredHingeLoss(), [X45, onp.sign(X45[::-1])]),
    "logistic": (lambda: gluon.loss.LogisticLoss(), [X45, onp.sign(X45[::-1])]),
    "triplet": (lambda: gluon.loss.TripletLoss(), [X45, X45[::-1], X45 * 0.5]),
    "poisson": (lambda: gluon.loss.PoissonNLLLoss(), [X45, onp.abs(X45[::-1])]),
    "cosine": (lambda: gluon.loss.CosineEmbeddingLoss(), [X45, X45[::-1], [1, -1, 1, -1]]),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_is_bit_identical_hybridized(name, F):
    make, values = LOSSES[name]
    outs = []
    for hybrid in (False, True):
        loss = make()
        if hybrid:
            loss.hybridize()
        pred = arr(F, values[0])
        pred.attach_grad()
        rest = [arr(F, v) for v in values[1:]]
        for _ in range(2):  # the second call replays
            with autograd.record():
                value = loss(pred, *rest)
            value.backward()
        outs.append((value.asnumpy(), pred.grad.asnumpy()))
    assert onp.array_equal(outs[0][0], outs[1][0]) and onp.array_equal(outs[0][1], outs[1][1])


class Counting(gluon.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0
        with self.name_scope():
            self.dense = nn.Dense(2, in_units=3)

    def hybrid_forward(self, F, x):
        self.calls += 1
        return self.dense(x) * 2


def test_replay_skips_python_and_a_new_shape_recaptures(F):
    net = Counting()
    net.initialize()
    net.hybridize()
    x = arr(F, RNG.randn(4, 3))
    first = net(x)
    for _ in range(3):
        again = net(x)
    assert net.calls == 1 and onp.array_equal(first.asnumpy(), again.asnumpy())
    net(arr(F, RNG.randn(2, 3)))
    assert net.calls == 2
    net(x)
    assert net.calls == 2  # both signatures stay cached
    with autograd.record():
        net(x)
    assert net.calls == 3  # recording is part of the signature (training mode too)
    net.hybridize(False)
    net(x)
    assert net.calls == 4
    net(x)
    assert net.calls == 5


def test_replay_reads_the_current_parameter_values(F):
    net = Counting()
    net.initialize()
    net.hybridize()
    x = arr(F, RNG.randn(4, 3))
    net(x)
    net.dense.weight.set_data(F.ones((2, 3)))
    net.dense.bias.set_data(F.zeros((2,)))
    expected = x.asnumpy().sum(axis=1, keepdims=True) * 2 * onp.ones((1, 2))
    assert onp.allclose(net(x).asnumpy(), expected)
    net.initialize(mx.init.Zero(), force_reinit=True)  # new arrays, passed anew
    assert onp.array_equal(net(x).asnumpy(), onp.zeros((4, 2)))
    assert net.calls == 1


def test_deferred_initialisation_is_not_replayed():
    net = nn.HybridSequential()
    net.add(nn.Dense(3))
    net.initialize()
    net.hybridize()
    x = nd.array(X45)
    net(x)
    w = net[0].weight.data().asnumpy().copy()
    net(x)
    net(x)
    assert onp.array_equal(net[0].weight.data().asnumpy(), w)


def test_second_order_gradient_through_a_replay():
    block = nn.HybridLambda(lambda F, x: F.sin(x) * x)
    block.hybridize()
    x = nd.array([0.5, 1.0, -2.0])
    block(x)  # capture
    x.attach_grad()
    with autograd.record():
        y = block(x)
        (dy,) = autograd.grad(y, [x], head_grads=nd.ones_like(y), create_graph=True)
    dy.backward()
    v = x.asnumpy()
    assert onp.allclose(dy.asnumpy(), onp.cos(v) * v + onp.sin(v), atol=1e-6)
    assert onp.allclose(x.grad.asnumpy(), 2 * onp.cos(v) - v * onp.sin(v), atol=1e-6)


class Branching(gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        if x.sum() > 0:
            return x * 2
        return x


class Printing(gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        self.seen = repr(x)
        return x + 1


class ShapeBranching(gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        return x * 2 if x.shape[0] > 2 else x - 1


def test_python_control_flow_follows_mxnet(F):
    x = arr(F, [1.0, 2.0, 3.0])
    b = Branching()
    b.hybridize()
    with pytest.raises(NotImplementedForSymbol, match="__bool__"):
        b(x)
    assert not _core.capture_active()  # the failed capture is closed
    assert onp.array_equal(Branching()(x).asnumpy(), [2, 4, 6])  # imperative is unaffected
    p = Printing()
    p.hybridize()
    assert onp.array_equal(p(x).asnumpy(), [2, 3, 4])
    assert "Symbol" in p.seen
    s = ShapeBranching()
    s.hybridize()
    assert onp.array_equal(s(x).asnumpy(), [2, 4, 6])
    assert onp.array_equal(s(arr(F, [1.0, 2.0])).asnumpy(), [0, 1])  # a new shape, captured again

    class Reading(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return x * float(x.asnumpy().sum())

    r = Reading()
    r.hybridize()
    with pytest.raises(NotImplementedForSymbol, match="asnumpy"):
        r(x)


def test_nested_inputs_and_outputs(F):
    class Pair(gluon.HybridBlock):
        def hybrid_forward(self, F, x, rest):
            a, b = rest
            return [x + a, (x * b, x - a)]

    blk = Pair()
    blk.hybridize()
    x, a, b = arr(F, [1.0, 2.0]), arr(F, [3.0, 4.0]), arr(F, [5.0, 6.0])
    for _ in range(2):
        out = blk(x, (a, b))
        assert isinstance(out, list) and isinstance(out[1], tuple)
        assert onp.array_equal(out[0].asnumpy(), [4, 6]) and onp.array_equal(out[1][0].asnumpy(), [5, 12])
        assert onp.array_equal(out[1][1].asnumpy(), [-2, -2])
    with pytest.raises(ValueError, match="list of Symbol or NDArray"):
        blk(x, {"a": a})


def test_in_place_writes_inside_the_forward_are_replayed(F):
    class InPlace(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            y = x * 1
            y[0] = 7
            y += 1
            return y

    blk = InPlace()
    blk.hybridize()
    for values in ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]):
        assert onp.array_equal(blk(arr(F, values)).asnumpy(), [8] + [v + 1 for v in values[1:]])


def test_hooks_run_once_per_call_and_children_are_not_hybridized_apart():
    net = mlp()
    net.initialize()
    calls = []
    net.register_forward_hook(lambda blk, inp, out: calls.append("top"))
    net[0].register_forward_hook(lambda blk, inp, out: calls.append("child"))
    net.hybridize()
    x = nd.array(X45)
    net(x)
    net(x)
    assert calls == ["child", "top", "top"]  # a replay does not run the children's Python
    assert net[0]._cached_graphs == {}


def test_cast_and_training_mode_give_new_graphs():
    net = mlp()
    net.initialize()
    net.hybridize()
    x = nd.array(X45)
    net(x)
    with autograd.record(train_mode=False):
        net(x)
    with autograd.train_mode():
        net(x)
    assert len(net._cached_graphs) == 3
    net.cast("float64")
    assert net._cached_graphs == {}
    y = net(nd.array(X45, dtype="float64"))
    assert y.dtype == onp.float64


def test_hybridize_arguments_and_errors():
    net = mlp()
    net.initialize()
    net.hybridize(static_alloc=True, static_shape=True)
    assert net(nd.array(X45)).shape == (4, 3)
    with pytest.raises(NotSupportedError, match="backend"):
        net.hybridize(backend="MKLDNN")
    with pytest.raises(ValueError, match="at least one array"):
        nn.Dense(2).hybridize() or _hybridized_without_inputs()


def _hybridized_without_inputs():
    class NoInput(gluon.HybridBlock):
        def forward(self):
            return nd.ones((1,))

    blk = NoInput()
    blk.hybridize()
    blk()


def test_wrong_input_to_a_captured_layer_names_it():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    net.hybridize()
    net(nd.ones((4, 3)))
    with pytest.raises(MXNetError, match="FullyConnected|fully_connected|dense"):
        net(nd.ones((4, 5)))
    assert onp.array_equal(net(nd.zeros((1, 3))).asnumpy(), net.bias.data().asnumpy()[None])


def test_custom_function_inside_a_hybridized_forward_is_refused():
    class Square(autograd.Function):
        def forward(self, x):
            return x * x

        def backward(self, dy):
            return dy

    class UsesFunction(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return Square()(x)

    blk = UsesFunction()
    blk.hybridize()
    x = nd.ones((2,))
    x.attach_grad()
    with autograd.record(), pytest.raises(NotImplementedForSymbol, match="autograd.Function"):
        blk(x)


def test_training_matches_imperative_over_steps():
    losses = []
    for hybrid in (False, True):
        mx.random.seed(3)
        net = mlp()
        net.initialize(mx.init.Xavier())
        if hybrid:
            net.hybridize()
        loss = gluon.loss.SoftmaxCrossEntropyLoss()
        if hybrid:
            loss.hybridize()
        trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
        x, y = nd.array(X45), nd.array([0, 1, 2, 1])
        trace = []
        for step in range(5):
            mx.random.seed(50 + step)
            with autograd.record():
                value = loss(net(x), y)
            value.backward()
            trainer.step(4)
            trace.append(value.asnumpy())
        losses.append(onp.array(trace))
    assert onp.array_equal(losses[0], losses[1])


def test_npx_mode_d2l_style():
    npx.set_np()
    try:
        net = nn.HybridSequential()
        net.add(nn.Dense(16, activation="relu"), nn.Dense(2))
        net.initialize()
        x = np.random.uniform(size=(3, 4))
        imperative = net(x)
        net.hybridize()
        assert onp.array_equal(net(x).asnumpy(), imperative.asnumpy())
        assert onp.array_equal(net(x).asnumpy(), imperative.asnumpy())
        assert isinstance(net(x), np.ndarray)
    finally:
        npx.reset_np()


def conv_net():
    net = nn.HybridSequential()
    net.add(
        nn.HybridLambda(
            lambda F, x: F.Pooling(
                F.LeakyReLU(F.Convolution(x, F.ones((2, 1, 3, 3)), kernel=(3, 3), num_filter=2, no_bias=True)),
                kernel=(2, 2),
                pool_type="max",
            )
        ),
        nn.Dense(4, activation="relu"),
        nn.BatchNorm(),
        nn.Dropout(0.5),
        nn.Dense(2),
    )
    return net


@pytest.mark.parametrize("np_mode", [False, True])
def test_export_and_symbolblock_imports_round_trip(tmp_path, np_mode):
    with mx.util.np_array(np_mode), mx.util.np_shape(np_mode):
        F = np if np_mode else nd
        net = mlp() if np_mode else conv_net()
        net.initialize()
        net.hybridize()
        x = F.array(RNG.randn(3, 1, 6, 6).astype("float32")) if not np_mode else F.array(X45)
        with autograd.record():
            net(x)  # a training-mode capture: export still writes the inference graph
        symbol_file, params_file = net.export(str(tmp_path / "model"), epoch=7)
        assert symbol_file.endswith("model-symbol.json") and params_file.endswith("model-0007.params")
        doc = __import__("json").load(open(symbol_file))
        assert doc["nodes"][0]["name"] == "data" and doc["heads"] and doc["arg_nodes"][0] == 0
        saved = nd.load(params_file)
        assert any(k.startswith("aux:") and k.endswith("running_mean") for k in saved)
        assert any(k.startswith("arg:") and k.endswith("weight") for k in saved)
        loaded = gluon.SymbolBlock.imports(symbol_file, ["data"], params_file)
        expected = net(x)
        got = loaded(x)
        assert type(got) is type(expected) and onp.array_equal(got.asnumpy(), expected.asnumpy())
        # Trainable: gradients reach the loaded parameters.
        trainer = gluon.Trainer(loaded.collect_params(), "sgd", {"learning_rate": 0.1})
        with autograd.record():
            value = (loaded(x) ** 2).sum()
        value.backward()
        trainer.step(1)
        assert not onp.array_equal(loaded(x).asnumpy(), expected.asnumpy())


def test_export_and_imports_errors(tmp_path):
    net = mlp()
    net.initialize()
    with pytest.raises(RuntimeError, match="hybridize"):
        net.export(str(tmp_path / "m"))
    net.hybridize()
    net(nd.array(X45))
    sym, params = net.export(str(tmp_path / "m"))
    with pytest.raises(MXNetError, match="input_names"):
        gluon.SymbolBlock.imports(sym, ["x"], params)
    with pytest.raises(MXNetError, match="missing"):
        gluon.SymbolBlock.imports(sym, ["data"])
    assert gluon.SymbolBlock.imports(sym, ["data"], allow_missing=True)(nd.array(X45)).shape == (4, 3)
    extra = dict(nd.load(params))
    extra["arg:unused"] = nd.ones((1,))
    nd.save(str(tmp_path / "extra.params"), extra)
    with pytest.raises(MXNetError, match="unused"):
        gluon.SymbolBlock.imports(sym, ["data"], str(tmp_path / "extra.params"))
    gluon.SymbolBlock.imports(sym, "data", str(tmp_path / "extra.params"), ignore_extra=True)
    with pytest.raises(MXNetError, match="exported for inputs"):
        gluon.SymbolBlock.imports(sym, ["data"], params)(nd.ones((2, 5)))
    mxnet_style = tmp_path / "mxnet-symbol.json"
    mxnet_style.write_text(
        '{"nodes": [{"op": "null", "name": "data", "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]], '
        '"attrs": {"mxnet_version": ["int", 10901]}}'
    )
    with pytest.raises(NotSupportedError, match="Apache MXNet"):
        gluon.SymbolBlock.imports(str(mxnet_style), ["data"])
    with pytest.raises(NotSupportedError, match="Symbol API"):
        gluon.SymbolBlock(None, None)

    class Writes(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            y = x * 1
            y[0] = 1
            return y

    w = Writes()
    w.hybridize()
    w(nd.ones((3,)))
    with pytest.raises(MXNetError, match="cannot be exported"):
        w.export(str(tmp_path / "w"))
