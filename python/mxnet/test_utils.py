"""Helpers for testing gradients, e.g. of your own ``autograd.Function``.

``check_gradient(f, *inputs)`` compares what autograd computes for ``f`` with
central finite differences taken in float64::

    from mxnet import autograd, np
    from mxnet.test_utils import check_gradient

    class Cube(autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x * x
        def backward(self, dy):
            x, = self.saved_tensors
            return dy * 3 * x * x

    check_gradient(lambda x: Cube()(x), onp.random.rand(3, 4))

A Function instance can be called only once, so pass ``f`` that creates a
new instance per call, as above.
"""

import numpy as onp

__all__ = ["numeric_grad", "check_gradient"]


def _np():
    from . import numpy as np  # late: mxnet.numpy imports a lot

    return np


def _outputs(result):
    return list(result) if isinstance(result, (list, tuple)) else [result]


def _as_float64(x):
    if hasattr(x, "asnumpy"):
        x = x.asnumpy()
    return onp.array(x, dtype=onp.float64, order="C")


def numeric_grad(f, inputs, head_grads, eps=1e-6):
    """Central-difference gradients of ``sum_k sum(f(*inputs)[k] * head_grads[k])``
    with respect to each input.

    ``inputs``: NumPy float64 arrays (changed in place while probing, then
    restored); ``f`` receives them as float64 mxnet arrays and returns an
    array or a tuple of arrays; ``head_grads``: one NumPy array per output
    (a single array for a single output). Returns one NumPy array per input.
    """
    np = _np()
    heads = _outputs(head_grads)

    def objective():
        outs = _outputs(f(*[np.array(v, dtype="float64") for v in inputs]))
        if len(outs) != len(heads):
            raise ValueError("f returned %d outputs but %d head gradients were given" % (len(outs), len(heads)))
        return sum(float((o.asnumpy().astype(onp.float64) * h).sum()) for o, h in zip(outs, heads))

    grads = []
    for x in inputs:
        g = onp.zeros_like(x)
        flat, gflat = x.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            plus = objective()
            flat[i] = orig - eps
            minus = objective()
            flat[i] = orig
            gflat[i] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def check_gradient(f, *inputs, rtol=1e-5, atol=1e-7, eps=1e-6, seed=0):
    """Assert that autograd's gradients of ``f`` at ``inputs`` match finite
    differences.

    ``inputs`` are array-likes (NumPy or mxnet arrays), converted to float64;
    ``f`` gets them as float64 mxnet arrays and returns an array or a tuple of
    arrays. Each output is weighted with a random head gradient (``seed``) so
    that every output element matters. Raises ``AssertionError`` naming the
    input whose gradient differs, with the largest difference.
    """
    from . import autograd

    np = _np()
    rng = onp.random.default_rng(seed)
    points = [_as_float64(x) for x in inputs]
    xs = [np.array(p, dtype="float64") for p in points]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        outs = _outputs(f(*xs))
    heads = [rng.standard_normal(o.shape) for o in outs]
    autograd.backward(outs, [np.array(h, dtype="float64") for h in heads])
    expected = numeric_grad(f, points, heads, eps=eps)
    for i, (x, e) in enumerate(zip(xs, expected)):
        got = x.grad.asnumpy()
        if not onp.allclose(got, e, rtol=rtol, atol=atol, equal_nan=False):
            worst = float(onp.max(onp.abs(got - e)))
            raise AssertionError(
                "gradient of input %d (shape %s) differs from finite differences by up to %.3g "
                "(rtol=%g, atol=%g)\nautograd:\n%s\nnumeric:\n%s" % (i, e.shape, worst, rtol, atol, got, e)
            )
