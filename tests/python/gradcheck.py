"""Finite-difference gradient checks in float64, shared by the op tests."""
import numpy as onp

from mxnet import autograd, np


def numeric_grad(f, inputs, head, eps=1e-6):
    """d(sum(f(inputs) * head))/d(input) by central differences, per input."""
    grads = []
    for x in inputs:
        g = onp.zeros_like(x)
        flat = x.reshape(-1)
        gflat = g.reshape(-1)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            plus = (f(*[np.array(v, dtype="float64") for v in inputs]).asnumpy() * head).sum()
            flat[i] = orig - eps
            minus = (f(*[np.array(v, dtype="float64") for v in inputs]).asnumpy() * head).sum()
            flat[i] = orig
            gflat[i] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def check_gradient(f, *inputs, rtol=1e-5, atol=1e-7, seed=0):
    """Compares autograd's gradient of f at `inputs` (NumPy float64 arrays)
    with central differences, using a random head gradient."""
    rng = onp.random.default_rng(seed)
    inputs = [onp.array(x, dtype=onp.float64, order="C") for x in inputs]
    xs = [np.array(x, dtype="float64") for x in inputs]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    head = rng.standard_normal(y.shape)
    y.backward(np.array(head, dtype="float64"))
    expected = numeric_grad(f, inputs, head)
    for x, e in zip(xs, expected):
        onp.testing.assert_allclose(x.grad.asnumpy(), e, rtol=rtol, atol=atol)
