"""MXNet's legacy output layers (whose backward ignores the head gradient),
randomised LeakyReLU, GroupNorm's statistics and the nd/npx faces of the
sequence and gather ops, against MXNet 1.9.1's results (recorded from it)."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, nd, np, npx
from mxnet.base import MXNetError

X = [[0.5, -1.0], [2.0, 0.0]]
LABEL = [[1.0, 0.0], [1.0, 1.0]]


def grad_of(f, x):
    x = nd.array(x)
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward()
    return y.asnumpy(), x.grad.asnumpy()


@pytest.mark.parametrize(
    "op,forward,grad",
    [
        ("LinearRegressionOutput", X, [[-0.5, -1.0], [1.0, -1.0]]),
        (
            "LogisticRegressionOutput",
            [[0.622459, 0.268941], [0.880797, 0.5]],
            [[-0.377541, 0.268941], [-0.119203, -0.5]],
        ),
        ("MAERegressionOutput", X, [[-1.0, -1.0], [1.0, -1.0]]),
    ],
)
def test_regression_outputs_match_mxnet(op, forward, grad):
    y, g = grad_of(lambda x: getattr(nd, op)(x, nd.array(LABEL), grad_scale=2.0), X)
    onp.testing.assert_allclose(y, forward, atol=1e-6)
    onp.testing.assert_allclose(g, grad, atol=1e-6)


def test_regression_output_ignores_the_head_gradient_and_takes_a_flat_label():
    _, g = grad_of(lambda x: nd.LinearRegressionOutput(x, nd.array(LABEL)) * 5, X)
    onp.testing.assert_allclose(g, [[-0.25, -0.5], [0.5, -0.5]])
    _, g = grad_of(lambda x: nd.LinearRegressionOutput(x, nd.array([1.0, 0.0])), [[0.5], [2.0]])
    onp.testing.assert_allclose(g, [[-0.5], [2.0]])
    with pytest.raises(MXNetError, match=r"LinearRegressionOutput: label of shape \(3,\) does not match data"):
        nd.LinearRegressionOutput(nd.array(X), nd.array([1.0, 0.0, 3.0]))
    with pytest.raises(MXNetError, match="LogisticRegressionOutput.*int32"):
        nd.LogisticRegressionOutput(nd.array([1, 2], dtype="int32"), nd.array([1, 2]))


@pytest.mark.parametrize(
    "kwargs,grad",
    [({}, 3.0), ({"normalization": "batch"}, 1.5), ({"normalization": "valid", "valid_thresh": 0.1}, 1.5)],
)
def test_make_loss_scales_as_mxnet(kwargs, grad):
    y, g = grad_of(lambda x: nd.MakeLoss(x * 2, grad_scale=3.0, **kwargs), X)
    onp.testing.assert_allclose(y, onp.array(X) * 2)
    # MakeLoss's gradient, then times 2 through x * 2.
    onp.testing.assert_allclose(g, onp.full((2, 2), 2 * grad))


def test_make_loss_lowercase_and_errors():
    _, g = grad_of(nd.make_loss, X)
    onp.testing.assert_allclose(g, onp.ones((2, 2)))
    with pytest.raises(MXNetError, match="MakeLoss: invalid normalization 'sum'"):
        nd.MakeLoss(nd.array(X), normalization="sum")
    with pytest.raises(TypeError, match="unexpected keyword.*bogus"):
        nd.MakeLoss(nd.array(X), bogus=1)


@pytest.mark.parametrize(
    "use_linear,grad", [(False, [[-0.5, 0.0, 1.3], [3.0, 1.0, -1.5]]), (True, [[-0.5, 0.0, 0.5], [0.5, 0.5, -0.5]])]
)
def test_svm_output_matches_mxnet(use_linear, grad):
    scores = [[0.5, -1.0, 0.3], [2.0, 0.0, -0.5]]
    y, g = grad_of(
        lambda s: nd.SVMOutput(s, nd.array([0, 2]), margin=1.0, regularization_coefficient=0.5, use_linear=use_linear),
        scores,
    )
    onp.testing.assert_allclose(y, scores)
    onp.testing.assert_allclose(g, grad, atol=1e-6)
    with pytest.raises(MXNetError, match="SVMOutput: label of shape"):
        nd.SVMOutput(nd.array(scores), nd.array([0, 1, 2]))


def test_rrelu_uses_the_mean_slope_outside_training_and_random_slopes_inside():
    x = nd.array([[-2.0, -0.5, 0.0, 1.5]])
    out, slopes = nd.LeakyReLU(x, act_type="rrelu")
    onp.testing.assert_allclose(out.asnumpy(), [[-0.459, -0.11475, 0.0, 1.5]], rtol=1e-6)
    assert slopes.asnumpy().tolist() == [[0.0] * 4]
    mx.random.seed(3)
    with autograd.record():
        out, slopes = nd.LeakyReLU(nd.full((1000,), -1.0), act_type="rrelu", lower_bound=0.1, upper_bound=0.3)
    s = slopes.asnumpy()
    assert 0.1 <= s.min() and s.max() < 0.3 and abs(s.mean() - 0.2) < 0.01
    onp.testing.assert_allclose(out.asnumpy(), -s)
    with pytest.raises(MXNetError, match="rrelu.*lower_bound 0.5 exceeds upper_bound 0.2"):
        nd.LeakyReLU(x, act_type="rrelu", lower_bound=0.5, upper_bound=0.2)


def test_leaky_relu_gradients_follow_the_branches():
    x = np.array([-2.0, -0.5, 1.5])
    x.attach_grad()
    with autograd.record():
        y = npx.leaky_relu(x, act_type="leaky", slope=0.1)
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), [0.1, 0.1, 1.0], rtol=1e-6)
    gamma = np.array([0.25])
    gamma.attach_grad()
    with autograd.record():
        y = npx.leaky_relu(x, gamma, act_type="prelu")
    y.backward()
    onp.testing.assert_allclose(gamma.grad.asnumpy(), [-2.5])


def test_group_norm_statistics_match_mxnet():
    y, mean, std = nd.GroupNorm(
        nd.arange(24).reshape((2, 4, 3)), nd.array([1, 2]), nd.array([0, 1]), num_groups=2, output_mean_var=True
    )
    onp.testing.assert_allclose(mean.asnumpy(), [[2.5, 8.5], [14.5, 20.5]])
    onp.testing.assert_allclose(std.asnumpy(), onp.full((2, 2), 1.707828), rtol=1e-6)
    onp.testing.assert_allclose(y.asnumpy()[0, 0], [-1.463848, -0.878309, -0.29277], rtol=1e-5)


def test_sequence_ops_take_float_lengths_and_check_the_flag():
    x = nd.arange(24).reshape((4, 2, 3))
    got = nd.SequenceMask(x, nd.array([2.7, 3.0]), use_sequence_length=True).asnumpy()
    assert (got[2:, 0] == 0).all() and (got[:2, 0] == x.asnumpy()[:2, 0]).all()
    got = nd.SequenceMask(x, nd.array([2, 7]), use_sequence_length=True).asnumpy()
    assert (got[:, 1] == x.asnumpy()[:, 1]).all()  # lengths past the end keep everything
    assert (nd.SequenceMask(x).asnumpy() == x.asnumpy()).all()
    with pytest.raises(MXNetError, match="SequenceMask: sequence_length is given but use_sequence_length is False"):
        nd.SequenceMask(x, nd.array([2, 3]))
    with pytest.raises(TypeError, match="needs sequence_length"):
        nd.SequenceLast(x, use_sequence_length=True)
    assert nd.SequenceLast(x).asnumpy().tolist() == x.asnumpy()[-1].tolist()
    assert nd.SequenceReverse(x).asnumpy().tolist() == x.asnumpy()[::-1].tolist()


def test_out_writes_into_the_given_array_and_checks_it():
    d = nd.arange(12).reshape((3, 4))
    out = nd.zeros((2, 4))
    r = nd.gather_nd(d, nd.array([[0, 2]]), out=out)
    assert r is out and out.asnumpy().tolist() == [[0, 1, 2, 3], [8, 9, 10, 11]]
    with pytest.raises(MXNetError, match=r"gather_nd: out= has shape \(2, 5\)"):
        nd.gather_nd(d, nd.array([[0, 2]]), out=nd.zeros((2, 5)))
    o = np.zeros((2, 3))
    assert npx.leaky_relu(np.ones((2, 3)) * -1, out=o) is o and o.asnumpy().tolist() == [[-0.25] * 3] * 2
    y = nd.zeros((2, 2))
    assert nd.L2Normalization(nd.ones((2, 2)), out=y) is y


def test_faces_return_their_array_class():
    assert isinstance(npx.gather_nd(np.ones((2, 2)), np.array([[0], [1]])), np.ndarray)
    assert isinstance(nd.gather_nd(nd.ones((2, 2)), nd.array([[0], [1]])), nd.NDArray)
    assert isinstance(npx.sequence_mask(np.ones((3, 2)), np.array([1, 2]), use_sequence_length=True), np.ndarray)
