"""gluon.Trainer against MXNet 1.9.1: three training steps of a small network
from an MXNet .params file give MXNet's losses and parameters for SGD with
momentum and weight decay, Adam and centered RMSProp (in both modes); several
contexts; stale gradients; learning-rate control; saved optimizer states."""

import json
import pathlib

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd, np
from mxnet.gluon import nn

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
REF = json.loads((FIXTURES / "gluon_trainer_mxnet_1_9_1.json").read_text())
SETTINGS = {
    "sgd": ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01}),
    "adam": ("adam", {"learning_rate": 0.01}),
    "rmsprop": ("rmsprop", {"learning_rate": 0.01, "centered": True}),
}
X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [0.0, 1.0, 1.0], [-0.5, 0.5, 0.25]]
Y = [1, 0, 1, 0]


def mlp():
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation="relu", in_units=3), nn.BatchNorm(in_channels=4), nn.Dense(2, in_units=4))
    net.load_parameters(str(FIXTURES / "gluon_mlp_mxnet_1_9_1.params"))
    return net


@pytest.mark.parametrize("np_mode", [False, True])
@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_three_steps_as_mxnet(name, np_mode):
    with mx.util.np_array(np_mode), mx.util.np_shape(np_mode):
        face = np if np_mode else nd
        net = mlp()
        optimizer, params = SETTINGS[name]
        trainer = gluon.Trainer(net.collect_params(), optimizer, params)
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        x, y = face.array(X), face.array(Y)
        losses = []
        for _ in range(3):
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(4)
            losses.append(float(loss.asnumpy().mean()))
        onp.testing.assert_allclose(losses, REF[name]["losses"], rtol=1e-5)
        got = {k: p.data().asnumpy() for k, p in net._collect_params_with_prefix().items()}
        # Adam and RMSProp divide by the root of the squared gradient, which turns
        # float32 rounding in gradients near 0 (BatchNorm's beta here) into
        # differences of ~1e-4 in the step; SGD keeps them at rounding level.
        atol = 1e-6 if name == "sgd" else 2e-4
        for key, want in REF[name]["params"].items():
            onp.testing.assert_allclose(got[key], want, rtol=1e-4, atol=atol, err_msg=key)


def test_gradients_are_summed_over_contexts_and_copies_stay_equal():
    def train(contexts, batches):
        net = mlp()
        net.reset_ctx(contexts)
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        for _ in range(2):
            with autograd.record():
                losses = [
                    loss_fn(net(nd.array(xb, ctx=c)), nd.array(yb, ctx=c)) for c, (xb, yb) in zip(contexts, batches)
                ]
            autograd.backward(losses)
            trainer.step(4)
        return net

    whole = train([mx.cpu(0)], [(X, Y)])
    split = train([mx.cpu(0), mx.cpu(1)], [(X[:2], Y[:2]), (X[2:], Y[2:])])
    for key, param in split._collect_params_with_prefix().items():
        if "running" in key:
            continue  # batch statistics differ with the batch split, as in MXNet
        copies = [d.asnumpy() for d in param.list_data()]
        onp.testing.assert_array_equal(copies[0], copies[1])
    w_whole = whole[0].weight.data().asnumpy()
    w_split = split[0].weight.data(mx.cpu(1)).asnumpy()
    assert w_whole.shape == w_split.shape and onp.isfinite(w_split).all()


def test_stale_gradients_raise_unless_ignored():
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=3), nn.Dense(2, in_units=3))
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0})
    with autograd.record():
        loss = net[0](nd.ones((1, 3))).sum()
    loss.backward()
    with pytest.raises(UserWarning, match="has not been updated by backward since last `step`"):
        trainer.step(1)
    before = net[1].weight.data().asnumpy().copy()
    with autograd.record():
        loss = net[0](nd.ones((1, 3))).sum()
    loss.backward()
    trainer.step(1, ignore_stale_grad=True)
    onp.testing.assert_array_equal(net[1].weight.data().asnumpy(), before)


def test_step_follows_parameters_replaced_between_steps():
    # Trainer keeps its per-parameter lists between steps; whatever replaces a
    # parameter's arrays (grad_req=, reset_ctx, initialize(force_reinit), cast)
    # must be seen by the next step. loss = sum(x W^T + b) with x = ones(1, 3):
    # every gradient is 1, so each SGD step (lr 1, batch 1) subtracts 1.
    net = nn.Dense(2, in_units=3)
    net.initialize(mx.init.Constant(0.0))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0})

    def step():
        with autograd.record():
            losses = [net(nd.ones((1, 3), ctx=c, dtype=net.weight.dtype)).sum() for c in net.weight.list_ctx()]
        autograd.backward(losses)
        trainer.step(1)

    def values(param):
        return [d.asnumpy() for d in param.list_data()]

    step()
    assert [v.tolist() for v in values(net.weight)] == [[[-1.0] * 3] * 2]
    net.weight.grad_req = "null"
    step()
    assert values(net.weight)[0].tolist() == [[-1.0] * 3] * 2 and values(net.bias)[0].tolist() == [-2.0] * 2
    net.weight.grad_req = "write"
    step()
    assert values(net.weight)[0].tolist() == [[-2.0] * 3] * 2
    net.collect_params().reset_ctx([mx.cpu(0), mx.cpu(1)])
    step()  # each copy's gradient is 1; summed over the two contexts: 2
    for v in values(net.weight):
        assert v.tolist() == [[-4.0] * 3] * 2
    net.initialize(mx.init.Constant(0.0), ctx=mx.cpu(0), force_reinit=True)
    step()
    assert [v.tolist() for v in values(net.bias)] == [[-1.0] * 2]
    net.cast("float64")
    step()
    assert values(net.weight)[0].dtype == onp.float64 and values(net.weight)[0].tolist() == [[-2.0] * 3] * 2


def test_learning_rate_states_and_arguments(tmp_path):
    net = mlp()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
    assert trainer.learning_rate == 0.01
    trainer.set_learning_rate(0.5)
    assert trainer.learning_rate == 0.5 and trainer.optimizer.learning_rate == 0.5
    x, y = nd.array(X), nd.array(Y)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    with autograd.record():
        loss = loss_fn(net(x), y)
    loss.backward()
    trainer.step(4)
    path = str(tmp_path / "adam.states")
    trainer.save_states(path)
    fresh = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.5})
    fresh.load_states(path)
    with pytest.raises(ValueError, match="First argument must be a list or dict of Parameters"):
        gluon.Trainer(3, "sgd")
    with pytest.raises(mx.base.NotSupportedError, match="kvstore='dist_async'"):
        gluon.Trainer(net.collect_params(), "sgd", kvstore="dist_async")
    with pytest.raises(AssertionError, match="optimizer_params must be None"):
        gluon.Trainer(net.collect_params(), mx.optimizer.SGD(), {"learning_rate": 1.0})
