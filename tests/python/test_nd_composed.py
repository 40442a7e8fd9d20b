"""Legacy nd operators composed of registered ops (ndarray/_composed.py):
MXNet 1.9.1's values, and gradients through the composition."""

import numpy as onp
import pytest

from mxnet import nd
from mxnet.base import MXNetError
from mxnet.test_utils import check_gradient

X = nd.array([[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: nd.add_n(X, X, X), [[3.0, 6.0, 9.0], [12.0, 15.0, 18.0]]),
        (lambda: nd.ElementWiseSum(X, X), [[2.0, 4.0, 6.0], [8.0, 10.0, 12.0]]),
        (lambda: nd.cast(X, dtype="int32"), [[1, 2, 3], [4, 5, 6]]),
        (lambda: nd.shape_array(X), [2, 3]),
        (lambda: nd.size_array(X), [6]),
        (lambda: nd.hard_sigmoid(X), [[0.7, 0.9, 1.0], [1.0, 1.0, 1.0]]),
        (lambda: nd.smooth_l1(nd.array([-2, 0.5, 0.1]), scalar=1), [1.5, 0.125, 0.005]),
        (lambda: nd.nansum(nd.array([1, float("nan"), 2])), [3.0]),
        (lambda: nd.nanprod(nd.array([[1, float("nan"), 2]]), axis=1), [2.0]),
        (lambda: nd.broadcast_axis(nd.array([[1], [2]]), axis=1, size=3), [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]),
        (lambda: nd.broadcast_like(nd.array([[1, 2, 3]]), X), [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]),
        (lambda: nd.reshape_like(nd.array([1, 2, 3, 4, 5, 6]), X), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        (lambda: nd.slice_like(X, nd.zeros((1, 2))), [[1.0, 2.0]]),
        (lambda: nd.slice_like(X, nd.zeros((1, 2)), axes=(1,)), [[1.0, 2.0], [4.0, 5.0]]),
        (lambda: nd.concatenate([X, X], axis=1), [[1.0, 2.0, 3.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 4.0, 5.0, 6.0]]),
        (lambda: nd.moveaxis(X, 0, 1), [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]),
        (lambda: nd.identity(X), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        (lambda: nd.sum_axis(X, axis=1), [6.0, 15.0]),
        (lambda: nd.max_axis(X, axis=0), [4.0, 5.0, 6.0]),
        (lambda: nd.softmin(X)[0], [0.66524094, 0.24472847, 0.09003057]),
        (lambda: X.nansum(), [21.0]),
        (lambda: X.shape_array(), [2, 3]),
    ],
)
def test_values_as_mxnet(call, expected):
    onp.testing.assert_allclose(call().asnumpy(), expected, rtol=1e-6)


def test_moments():
    mean, var = nd.moments(X, axes=(1,))
    onp.testing.assert_allclose(mean.asnumpy(), [2.0, 5.0])
    onp.testing.assert_allclose(var.asnumpy(), [2 / 3, 2 / 3], rtol=1e-6)


def test_errors_name_the_operator():
    with pytest.raises(MXNetError, match="add_n: all arrays must have the same shape"):
        nd.add_n(X, nd.ones((3,)))
    with pytest.raises(MXNetError, match="broadcast_axis: axis 1 of shape"):
        nd.broadcast_axis(X, axis=1, size=4)


@pytest.mark.parametrize(
    "f",
    [
        lambda x: nd.smooth_l1(x.as_nd_ndarray(), scalar=2).as_np_ndarray(),
        lambda x: nd.hard_sigmoid(x.as_nd_ndarray()).as_np_ndarray(),
        lambda x: nd.nansum(x.as_nd_ndarray(), axis=1).as_np_ndarray(),
        lambda x: nd.softmin(x.as_nd_ndarray()).as_np_ndarray(),
        lambda x: nd.add_n(x.as_nd_ndarray(), x.as_nd_ndarray()).as_np_ndarray(),
    ],
)
def test_gradients(f):
    check_gradient(f, onp.array([[-1.3, 0.2, 0.7], [2.1, -0.05, 0.4]]))


def test_npx_shape_helpers_as_mxnet():
    from mxnet import np, npx

    x = np.array([[1.0, 0, 3], [0, 5, 6]])
    assert npx.nonzero(x).asnumpy().tolist() == [[0, 0], [0, 2], [1, 1], [1, 2]]
    assert npx.arange_like(x).asnumpy().tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert npx.arange_like(x, axis=1).asnumpy().tolist() == [0.0, 1.0, 2.0]
    assert npx.arange_like(x, start=2, step=0.5, repeat=2).asnumpy().tolist() == [[2.0, 2.0, 2.5], [2.5, 3.0, 3.0]]
    assert npx.slice(x, begin=(0, 1), end=(2, 3)).asnumpy().tolist() == [[0.0, 3.0], [5.0, 6.0]]
    assert npx.slice(x, begin=(None, 0), end=(None, 3), step=(-1, 2)).asnumpy().tolist() == [[0.0, 6.0], [1.0, 3.0]]
    assert npx.shape_array(x).asnumpy().tolist() == [2, 3] and npx.cast(x, dtype="int32").dtype == onp.int32
    assert npx.reshape_like(np.arange(6), x).shape == (2, 3)
    onp.testing.assert_allclose(npx.smooth_l1(np.array([-2, 0.5, 0.1])).asnumpy(), [1.5, 0.125, 0.005], rtol=1e-6)
