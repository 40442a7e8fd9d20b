"""gluon.loss against MXNet 1.9.1: each loss and the gradient of its sum with
respect to the prediction, recorded from MXNet on the same inputs
(fixtures/gluon_losses_mxnet_1_9_1.json), in legacy and numpy mode; second
derivatives by finite differences; MXNet's errors."""

import json
import math
import pathlib

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, nd, np
from mxnet.gluon import loss as gloss

REF = json.loads((pathlib.Path(__file__).parent / "fixtures" / "gluon_losses_mxnet_1_9_1.json").read_text())
PRED = [[0.3, -1.2, 2.0], [1.5, 0.2, -0.7]]
LAB3 = [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]
SIGNED = [[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]]
PROB = [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]


def _log_softmax(x):
    x = onp.asarray(x, "float64")
    return x - x.max(-1, keepdims=True) - onp.log(onp.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True))


CASES = {
    "l2": (gloss.L2Loss, {}, PRED, [LAB3]),
    "l2w": (gloss.L2Loss, {"weight": 3.0}, PRED, [LAB3, [[0.5], [2.0]]]),
    "l1": (gloss.L1Loss, {}, PRED, [LAB3]),
    "bce": (gloss.SigmoidBCELoss, {}, PRED, [LAB3]),
    "bce_sig": (gloss.SigmoidBCELoss, {"from_sigmoid": True}, (1 / (1 + onp.exp(-onp.array(PRED)))).tolist(), [LAB3]),
    "bce_pos": (gloss.SigmoidBCELoss, {}, PRED, [LAB3, None, [2.0, 1.0, 0.5]]),
    "ce": (gloss.SoftmaxCrossEntropyLoss, {}, PRED, [[2, 0]]),
    "ce_dense": (gloss.SoftmaxCrossEntropyLoss, {"sparse_label": False}, PRED, [PROB]),
    "ce_logits": (
        gloss.SoftmaxCrossEntropyLoss,
        {"from_logits": True},
        _log_softmax(PRED).tolist(),
        [[2, 0], [[0.5], [2.0]]],
    ),
    "ce_axis0": (gloss.SoftmaxCrossEntropyLoss, {"axis": 0}, PRED, [[1, 0, 1]]),
    "kl": (gloss.KLDivLoss, {}, _log_softmax(PRED).tolist(), [PROB]),
    "kl_logits": (gloss.KLDivLoss, {"from_logits": False}, PRED, [PROB]),
    "huber": (gloss.HuberLoss, {"rho": 0.5}, PRED, [LAB3]),
    "hinge": (gloss.HingeLoss, {}, PRED, [SIGNED]),
    "sqhinge": (gloss.SquaredHingeLoss, {"margin": 2}, PRED, [SIGNED]),
    "logistic": (gloss.LogisticLoss, {}, PRED, [SIGNED]),
    "logistic_bin": (gloss.LogisticLoss, {"label_format": "binary"}, PRED, [LAB3]),
    "triplet": (gloss.TripletLoss, {}, PRED, [LAB3, SIGNED]),
    "poisson": (gloss.PoissonNLLLoss, {}, PRED, [[[1, 0, 3], [2, 5, 0]]]),
    "cosine": (gloss.CosineEmbeddingLoss, {"margin": 0.1}, PRED, [(onp.array(LAB3) + 0.1).tolist(), [1, -1]]),
    "sdml": (gloss.SDMLLoss, {}, PRED, [LAB3]),
    "ctc": (gloss.CTCLoss, {}, onp.random.RandomState(0).randn(2, 5, 4).tolist(), [[[0, 1], [2, 2]]]),
}


@pytest.mark.parametrize("np_mode", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_and_gradient_as_mxnet(name, np_mode):
    cls, kwargs, pred, rest = CASES[name]
    with mx.util.np_array(np_mode), mx.util.np_shape(np_mode):
        face = np if np_mode else nd
        loss = cls(**kwargs)
        x = face.array(pred)
        x.attach_grad()
        with autograd.record():
            out = loss(x, *[None if r is None else face.array(r) for r in rest])
        out.backward()
        assert isinstance(out, type(x))
        onp.testing.assert_allclose(out.asnumpy(), REF[name]["loss"], rtol=2e-5, atol=1e-6)
        onp.testing.assert_allclose(x.grad.asnumpy(), REF[name]["grad"], rtol=2e-4, atol=1e-5)


def test_poisson_full_adds_stirlings_term():
    # MXNet 1.9.1 fails on compute_full=True (its formula calls mxnet's np.pi); this is what its doc gives.
    rate = onp.exp(onp.array(PRED))
    target = onp.array([[1, 2, 3], [2, 5, 4]], "float64")
    want = rate - target * onp.log(rate + 1e-8)
    want += (target * onp.log(target) - target + 0.5 * onp.log(2 * target * math.pi)) * (target > 1)
    got = gloss.PoissonNLLLoss(from_logits=False, compute_full=True)(nd.array(rate), nd.array(target))
    onp.testing.assert_allclose(got.asnumpy(), [want.mean()], rtol=1e-5)


@pytest.mark.parametrize("cls", [gloss.L2Loss, gloss.SigmoidBCELoss, gloss.SoftmaxCELoss, gloss.LogisticLoss])
def test_second_derivatives_by_finite_differences(cls):
    label = nd.array([[0.0, 1.0, 2.0]]) if cls is gloss.SoftmaxCELoss else nd.array([[0.0, 1.0, 1.0]])
    if cls is gloss.SoftmaxCELoss:
        label = nd.array([2.0])
    loss = cls()

    def gradient(values):
        x = nd.array(values, dtype="float64")
        x.attach_grad()
        with autograd.record():
            y = loss(x, label.astype("float64")).sum()
        (g,) = autograd.grad(y, [x], create_graph=True)
        return x, g

    base = onp.array([[0.3, -1.2, 2.0]])
    x = nd.array(base, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = loss(x, label.astype("float64")).sum()
        (g,) = autograd.grad(y, [x], create_graph=True)
        s = g.sum()
    s.backward()
    eps = 1e-6
    numeric = []
    for i in range(3):
        up, down = base.copy(), base.copy()
        up[0, i] += eps
        down[0, i] -= eps
        numeric.append((gradient(up)[1].asnumpy().sum() - gradient(down)[1].asnumpy().sum()) / (2 * eps))
    onp.testing.assert_allclose(x.grad.asnumpy()[0], numeric, rtol=1e-4, atol=1e-6)


def test_repr_and_errors_as_mxnet():
    assert repr(gloss.L2Loss()) == "L2Loss(batch_axis=0, w=1.0)"
    assert repr(gloss.SoftmaxCELoss(weight=2.0, batch_axis=1)) == "SoftmaxCrossEntropyLoss(batch_axis=1, w=2.0)"
    with pytest.raises(ValueError, match="label_format can only be signed or binary"):
        gloss.LogisticLoss(label_format="other")
    with pytest.raises(AssertionError, match="Only 'NTC' and 'TNC' layouts"):
        gloss.CTCLoss(layout="NCT")
    with pytest.raises(AssertionError, match="weight must be a number"):
        gloss.L1Loss(weight=nd.ones(1))(nd.ones((1, 2)), nd.ones((1, 2)))
