"""Max pooling's value and gradient routing on ties, NaN and -inf (the
branch-free window kernels), against a direct NumPy loop."""

import numpy as onp
import pytest

from mxnet import autograd, np, npx


def _reference(x, k, s):
    # Value: NaN if the window holds one, else its maximum; the gradient goes
    # to the first NaN, else to the first maximum.
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    y = onp.empty((n, c, oh, ow), x.dtype)
    route = onp.zeros_like(x)
    for a in range(n):
        for b in range(c):
            for i in range(oh):
                for j in range(ow):
                    win = x[a, b, i * s : i * s + k, j * s : j * s + k].ravel()
                    nan = onp.isnan(win)
                    at = int(onp.argmax(nan)) if nan.any() else int(onp.argmax(win))
                    y[a, b, i, j] = win[at]
                    route[a, b, i * s + at // k, j * s + at % k] += 1
    return y, route


@pytest.mark.parametrize("k,s", [(2, 2), (3, 1), (3, 2)])
def test_max_pooling_ties_nan_and_inf(k, s):
    rng = onp.random.default_rng(0)
    x = rng.integers(-2, 3, (2, 3, 7, 7)).astype("float32")  # many ties
    x[0, 0, 1, 1] = onp.nan
    x[0, 1, 3, 2:5] = onp.nan
    x[1, 2] = -onp.inf
    want, route = _reference(x, k, s)
    a = np.array(x)
    a.attach_grad()
    with autograd.record():
        y = npx.pooling(a, kernel=(k, k), stride=(s, s), pool_type="max")
    y.backward()
    onp.testing.assert_array_equal(y.asnumpy(), want)
    onp.testing.assert_array_equal(a.grad.asnumpy(), route)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_pooling_2x2_routes_infinite_gradients_only_to_the_maximum(dtype):
    # The 2x2 stride-2 kernel selects with masks: an infinite or NaN head
    # gradient lands on the window's maximum and nowhere else (0 * inf = NaN).
    x = onp.array([[[[1.0, 4.0, 0.0, 0.0], [2.0, 3.0, 0.0, -1.0]]]], dtype)
    a = np.array(x)
    a.attach_grad()
    with autograd.record():
        y = npx.pooling(a, kernel=(2, 2), stride=(2, 2), pool_type="max")
    y.backward(np.array([[[[onp.inf, onp.nan]]]], dtype=dtype))
    got = a.grad.asnumpy()
    onp.testing.assert_array_equal(got[0, 0, :, :2], [[0, onp.inf], [0, 0]])
    assert onp.isnan(got[0, 0, 0, 2]) and (got[0, 0, :, 2:].ravel()[1:] == 0).all()
