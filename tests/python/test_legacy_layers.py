"""Legacy nd layers composed of other ops (Softmax, SoftmaxActivation, Crop,
5-D pad) and npx.constraint_check, against MXNet 1.9.1's results."""

import numpy as onp
import pytest

from mxnet import autograd, nd, np, npx
from mxnet.base import MXNetError


def test_softmax_activation_modes():
    x = nd.array([[1, 2, 3], [1, 1, 1]])
    onp.testing.assert_allclose(
        nd.SoftmaxActivation(x).asnumpy(), [[0.090031, 0.244728, 0.665241], [1 / 3] * 3], rtol=1e-5
    )
    images = nd.arange(12).reshape((1, 3, 2, 2)) / 5
    onp.testing.assert_allclose(
        nd.SoftmaxActivation(images, mode="channel").asnumpy()[0, :, 0, 0], [0.122271, 0.272118, 0.605611], rtol=1e-5
    )
    onp.testing.assert_allclose(nd.SoftmaxActivation(images).asnumpy()[0, 0, 0], [0.450166, 0.549834], rtol=1e-5)
    with pytest.raises(MXNetError, match="SoftmaxActivation: invalid mode 'spatial'"):
        nd.SoftmaxActivation(x, mode="spatial")


def test_softmax_is_softmax_output():
    x = nd.array([[1.0, 2.0, 3.0]])
    x.attach_grad()
    with autograd.record():
        y = nd.Softmax(x, nd.array([2]))
    y.backward()
    onp.testing.assert_allclose(y.asnumpy(), [[0.090031, 0.244728, 0.665241]], rtol=1e-5)
    onp.testing.assert_allclose(x.grad.asnumpy(), [[0.090031, 0.244728, 0.665241 - 1]], rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs,window",
    [
        (dict(h_w=(2, 2)), (0, 2, 0, 2)),
        (dict(h_w=(2, 2), offset=(1, 1)), (1, 3, 1, 3)),
        (dict(h_w=(2, 2), center_crop=True), (1, 3, 1, 3)),
    ],
)
def test_crop_windows(kwargs, window):
    x = nd.arange(16).reshape((1, 1, 4, 4))
    t, b, left, r = window
    assert nd.Crop(x, **kwargs).asnumpy().tolist() == x.asnumpy()[:, :, t:b, left:r].tolist()


def test_crop_like_a_second_array_and_its_gradient():
    x = nd.arange(16).reshape((1, 1, 4, 4))
    like = nd.ones((1, 1, 3, 2))
    assert nd.Crop(x, like, num_args=2).asnumpy()[0, 0].tolist() == [[0, 1], [4, 5], [8, 9]]
    assert nd.Crop(x, like, num_args=2, center_crop=True).asnumpy()[0, 0].tolist() == [[1, 2], [5, 6], [9, 10]]
    x.attach_grad()
    with autograd.record():
        y = nd.Crop(x, h_w=(2, 3), offset=(1, 0))
    y.backward()
    want = onp.zeros((4, 4))
    want[1:3, 0:3] = 1
    assert x.grad.asnumpy()[0, 0].tolist() == want.tolist()
    with pytest.raises(MXNetError, match=r"Crop: a \(5, 2\) window at offset \(0, 0\) does not fit"):
        nd.Crop(x, h_w=(5, 2))
    with pytest.raises(MXNetError, match="Crop: data must be 4-D"):
        nd.Crop(nd.ones((4, 4)), h_w=(2, 2))


def test_pad_5d_and_the_method():
    x = nd.arange(12).reshape((1, 1, 2, 2, 3))
    got = nd.pad(x, mode="edge", pad_width=(0, 0, 0, 0, 1, 0, 0, 1, 2, 0)).asnumpy()
    assert got.tolist() == onp.pad(x.asnumpy(), ((0, 0), (0, 0), (1, 0), (0, 1), (2, 0)), mode="edge").tolist()
    y = nd.ones((1, 1, 2, 2))
    assert y.pad(mode="constant", pad_width=(0, 0, 0, 0, 1, 1, 1, 1), constant_value=3).shape == (1, 1, 4, 4)
    assert nd.Pad(y, mode="constant", pad_width=(0,) * 8).asnumpy().tolist() == y.asnumpy().tolist()


def test_constraint_check():
    ok = npx.constraint_check(np.array([1.0, 2.0]) > 0, "scale must be positive")
    assert ok.dtype == onp.bool_ and ok.shape == () and bool(ok)
    with pytest.raises(ValueError, match="^scale must be positive$"):
        npx.constraint_check(np.array([1.0, -2.0]) > 0, "scale must be positive")
    with pytest.raises(ValueError, match="constraint_check: x must be a boolean"):
        npx.constraint_check(np.array([1.0]), "m")
