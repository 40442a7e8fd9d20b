"""The row kernels of softmax / log_softmax (lane-wise max and sum, the
vectorised exp) and the fused softmax cross-entropy op behind Gluon's
SoftmaxCrossEntropyLoss with class labels: values and gradients against
NumPy and against the composed log_softmax + pick, pick's clipping of
labels, non-contiguous and empty inputs, second derivatives, errors."""

import numpy as onp
import pytest

from mxnet import _core, autograd, np, npx
from mxnet.base import MXNetError
from mxnet.gluon import loss as gloss
from gradcheck import check_gradient


def _ref_log_softmax(x, axis=-1):
    m = x.max(axis, keepdims=True)
    return x - m - onp.log(onp.exp(x - m).sum(axis, keepdims=True))


@pytest.mark.parametrize("classes", [1, 15, 16, 33, 1000])
@pytest.mark.parametrize("dtype,tol", [("float64", 1e-13), ("float32", 2e-6)])
def test_softmax_rows_match_numpy(classes, dtype, tol, np_mode):
    rng = onp.random.default_rng(classes)
    for t in (1.0, 0.5, -2.0):
        x = rng.standard_normal((3, 5, classes)) * 4
        if classes > 1:
            x[0, 0, 0] = -onp.inf * t  # a class that can never happen
        want = _ref_log_softmax(x / t)
        got = npx.log_softmax(np.array(x, dtype=dtype), temperature=t).asnumpy()
        onp.testing.assert_allclose(got, want, rtol=tol, atol=tol)
        got = npx.softmax(np.array(x, dtype=dtype), temperature=t).asnumpy()
        onp.testing.assert_allclose(got, onp.exp(want), rtol=tol, atol=tol)


def _composed(pred, label, axis=-1):
    return -npx.pick(npx.log_softmax(pred, axis=axis), label, axis=axis, keepdims=True)


@pytest.mark.parametrize(
    "pshape,lshape",
    [((6, 1000), (6,)), ((4, 3, 17), (4, 3)), ((4, 3, 17), (4, 3, 1)), ((5, 1), (5,)), ((7,), ())],
)
@pytest.mark.parametrize("dtype,tol", [("float64", 1e-12), ("float32", 1e-5)])
def test_fused_matches_log_softmax_and_pick(pshape, lshape, dtype, tol, np_mode):
    rng = onp.random.default_rng(2)
    x = rng.standard_normal(pshape) * 3
    classes = pshape[-1]
    # integers, fractions (truncated) and out-of-range labels (clipped, as pick's default mode)
    label = rng.integers(-3, classes + 3, size=lshape) + rng.uniform(0, 0.9, size=lshape)
    head = rng.standard_normal(pshape[:-1] + (1,))
    got_x, want_x = np.array(x, dtype=dtype), np.array(x, dtype=dtype)
    for a in (got_x, want_x):
        a.attach_grad()
    with autograd.record():
        got = _core.np.softmax_ce_loss(got_x, np.array(label))
        want = _composed(want_x, np.array(label))
    assert got.shape == want.shape == pshape[:-1] + (1,) and got.dtype == onp.dtype(dtype)
    onp.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=tol, atol=tol)
    got.backward(np.array(head, dtype=dtype))
    want.backward(np.array(head, dtype=dtype))
    onp.testing.assert_allclose(got_x.grad.asnumpy(), want_x.grad.asnumpy(), rtol=tol, atol=tol)


def test_gluon_loss_takes_the_fused_op_and_other_axes_still_work(np_mode):
    rng = onp.random.default_rng(4)
    x = rng.standard_normal((8, 10, 12))
    label = rng.integers(0, 10, size=(8, 12)).astype("float32")
    want = -onp.take_along_axis(_ref_log_softmax(x, 1), label.astype(int)[:, None], 1).mean(axis=(1, 2))
    got = gloss.SoftmaxCrossEntropyLoss(axis=1)(np.array(x), np.array(label))
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12)
    xt = onp.ascontiguousarray(x.transpose(0, 2, 1))
    got = gloss.SoftmaxCrossEntropyLoss()(np.array(x).transpose(0, 2, 1), np.array(label))  # a strided view
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12)
    got = gloss.SoftmaxCrossEntropyLoss()(np.array(xt), np.array(label), np.array(onp.full((8, 1, 1), 2.0)))
    onp.testing.assert_allclose(got.asnumpy(), 2 * want, rtol=1e-12)


def test_empty_rows(np_mode):
    x = np.zeros((0, 5))
    x.attach_grad()
    with autograd.record():
        y = _core.np.softmax_ce_loss(x, np.zeros((0,)))
    y.backward()
    assert y.shape == (0, 1) and x.grad.shape == (0, 5)


def test_second_derivatives(np_mode):
    rng = onp.random.default_rng(5)
    x0 = rng.standard_normal((4, 6))
    label = np.array([0.0, 5.0, 2.0, 9.0])
    head = np.array(rng.standard_normal((4, 6)))

    def first_gradient(x):  # of sum(loss^2), itself recorded; check_gradient records the outer pass
        if not autograd.is_recording():
            x = x.copy()
            x.attach_grad()
        with autograd.record():
            loss = _core.np.softmax_ce_loss(x, label)
            head_sum = (loss * loss).sum()
        (g,) = autograd.grad(head_sum, [x], create_graph=True, retain_graph=True)
        return g * head

    check_gradient(lambda x: _core.np.softmax_ce_loss(x, label), x0)
    check_gradient(first_gradient, x0, rtol=1e-4, atol=1e-6)


def test_errors_name_the_loss(np_mode):
    with pytest.raises(MXNetError, match=r"softmax_cross_entropy: label of shape \(3,\) does not match pred of shape"):
        gloss.SoftmaxCrossEntropyLoss()(np.ones((4, 5)), np.ones((3,)))
    with pytest.raises(MXNetError, match=r"softmax_cross_entropy.*int32"):
        _core.np.softmax_ce_loss(np.ones((4, 5), dtype="int32"), np.ones((4,)))
    y = gloss.SoftmaxCrossEntropyLoss()(np.ones((4, 5)), np.ones((4,)))  # still usable
    onp.testing.assert_allclose(y.asnumpy(), onp.full(4, onp.log(5.0)), rtol=1e-6)
