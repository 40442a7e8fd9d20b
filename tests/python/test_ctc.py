"""CTCLoss against MXNet 1.9.1's values (recorded from it), a brute-force sum
over all alignments, and finite differences of its gradient."""

import itertools

import numpy as onp
import pytest

from gradcheck import check_gradient
from mxnet import autograd, nd
from mxnet.base import MXNetError

RNG = onp.random.default_rng(0)
X = RNG.standard_normal((5, 2, 4))
LABEL = [[1, 2, 0], [3, 3, 1]]


def brute_force_nll(x, label, blank=0):
    """-log of the sum over every alignment path that collapses to the label."""
    logp = x - onp.log(onp.exp(x).sum(axis=1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(x.shape[1]), repeat=x.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(label):
            total += onp.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -onp.log(total)


def test_matches_mxnet():
    x = nd.array(X)
    onp.testing.assert_allclose(nd.CTCLoss(x, nd.array(LABEL)).asnumpy(), [4.660435, 6.951664], rtol=1e-6)
    onp.testing.assert_allclose(
        nd.CTCLoss(x, nd.array([[0, 1, -1], [2, 2, 0]]), blank_label="last").asnumpy(), [3.253943, 6.257563], rtol=1e-6
    )
    got = nd.CTCLoss(
        x, nd.array(LABEL), nd.array([4, 5]), nd.array([2, 3]), use_data_lengths=True, use_label_lengths=True
    )
    onp.testing.assert_allclose(got.asnumpy(), [3.629432, 6.951664], rtol=1e-6)
    assert nd.ctc_loss is nd.CTCLoss
    x.attach_grad()
    with autograd.record():
        loss = nd.CTCLoss(x, nd.array(LABEL))
    loss.backward()
    onp.testing.assert_allclose(
        x.grad.asnumpy()[0],
        [[-0.193637, -0.405768, 0.378087, 0.221318], [-0.009864, 0.173319, 0.444763, -0.608219]],
        atol=2e-6,
    )


@pytest.mark.parametrize("label", [[1, 2], [2, 2], [3], [1, 3, 1]])
def test_matches_the_sum_over_alignments(label):
    x = RNG.standard_normal((4, 1, 4))
    want = brute_force_nll(x[:, 0], label)
    got = nd.CTCLoss(nd.array(x, dtype="float64"), nd.array([label + [0] * (3 - len(label))])).asnumpy()
    onp.testing.assert_allclose(got, [want], rtol=1e-10)


def test_gradient_matches_finite_differences_with_weights_and_lengths():
    x = RNG.standard_normal((6, 3, 5))
    label = nd.array([[1, 2, 2], [4, 0, 0], [3, 1, 0]], dtype="float64")

    def f(v):
        loss = nd.CTCLoss(v, label, nd.array([6, 4, 5]), use_data_lengths=True)
        return loss * nd.array([1.0, -2.0, 0.5], dtype="float64")

    check_gradient(f, x, rtol=1e-6, atol=1e-8)


def test_impossible_alignment_is_infinite_without_gradient():
    x = nd.array(RNG.standard_normal((2, 1, 3)))
    x.attach_grad()
    with autograd.record():
        loss = nd.CTCLoss(x, nd.array([[1, 1]]))  # two equal labels need three steps
    loss.backward()
    assert onp.isinf(loss.asnumpy()[0]) and not x.grad.asnumpy().any()


def test_errors():
    x = nd.ones((4, 2, 3))
    with pytest.raises(MXNetError, match=r"CTCLoss: label\[0, 1\] = 3 is not a label of the 3-symbol alphabet"):
        nd.CTCLoss(x, nd.array([[1, 3], [1, 2]]))
    with pytest.raises(MXNetError, match=r"CTCLoss: label of shape \(3, 2\) must be \(batch, max_label_length\)"):
        nd.CTCLoss(x, nd.ones((3, 2)))
    with pytest.raises(MXNetError, match=r"CTCLoss: data_lengths\[0\] = 9 is outside \[0, 4\]"):
        nd.CTCLoss(x, nd.ones((2, 2)), nd.array([9, 1]), use_data_lengths=True)
    with pytest.raises(MXNetError, match="invalid blank_label 'middle'"):
        nd.CTCLoss(x, nd.ones((2, 2)), blank_label="middle")
    with pytest.raises(MXNetError, match="CTCLoss: data must be"):
        nd.CTCLoss(nd.ones((4, 3)), nd.ones((2, 2)))
    with pytest.raises(TypeError, match="use_label_lengths=True needs label_lengths"):
        nd.CTCLoss(x, nd.ones((2, 2)), use_label_lengths=True)
