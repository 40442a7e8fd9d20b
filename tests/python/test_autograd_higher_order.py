"""Third-order derivatives through nested autograd.grad(create_graph=True),
compared with analytic derivatives (float64)."""

import numpy as onp
import pytest

from mxnet import MXNetError, autograd, np

X0 = onp.array([0.3, 0.7, 1.2, 2.1])


def derivatives(f, x0, order=3):
    """[f', f'', ...] at x0 elementwise, each taken with grad(create_graph=True)
    of the previous one (grad of a non-scalar head is that of its sum)."""
    x = np.array(x0, dtype="float64")
    x.attach_grad()
    out = []
    with autograd.record():
        g = f(x)
        for _ in range(order):
            (g,) = autograd.grad(g, [x], create_graph=True)
            out.append(g.asnumpy())
    return out


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _sig(x):
    return 1 / (1 + onp.exp(-x))


def _tanh_derivs(x):
    t = onp.tanh(x)
    return [1 - t * t, -2 * t * (1 - t * t), (6 * t * t - 2) * (1 - t * t)]


def _sigmoid_derivs(x):
    s = _sig(x)
    d1 = s * (1 - s)
    return [d1, d1 * (1 - 2 * s), d1 * (1 - 6 * s + 6 * s * s)]


def _exp_sin_derivs(x):
    e, c, s = onp.exp(onp.sin(x)), onp.cos(x), onp.sin(x)
    return [c * e, (c * c - s) * e, (c**3 - 3 * s * c - c) * e]


def _x_pow_x_derivs(x):
    f, lg = x**x, onp.log(x) + 1
    return [f * lg, f * (lg * lg + 1 / x), f * (lg**3 + 3 * lg / x - 1 / x**2)]


CASES = {
    "sin": (np.sin, lambda x: [onp.cos(x), -onp.sin(x), -onp.cos(x)]),
    "cos": (np.cos, lambda x: [-onp.sin(x), -onp.cos(x), onp.sin(x)]),
    "exp": (np.exp, lambda x: [onp.exp(x)] * 3),
    "log": (np.log, lambda x: [1 / x, -1 / x**2, 2 / x**3]),
    "tanh": (np.tanh, _tanh_derivs),
    "sigmoid": (sigmoid, _sigmoid_derivs),
    "power_scalar_exponent": (
        lambda x: np.power(x, 3.5),
        lambda x: [3.5 * x**2.5, 3.5 * 2.5 * x**1.5, 3.5 * 2.5 * 1.5 * x**0.5],
    ),
    "power_array_exponent": (
        lambda x: np.power(x, np.full(x.shape, 4.0, dtype="float64")),
        lambda x: [4 * x**3, 12 * x**2, 24 * x],
    ),
    "power_scalar_base": (lambda x: np.power(2.0, x), lambda x: [onp.log(2) ** k * 2**x for k in (1, 2, 3)]),
    "x_pow_x": (lambda x: np.power(x, x), _x_pow_x_derivs),
    "exp_of_sin": (lambda x: np.exp(np.sin(x)), _exp_sin_derivs),
    "log_times_x": (lambda x: x * np.log(x), lambda x: [onp.log(x) + 1, 1 / x, -1 / x**2]),
    "square_of_tanh": (
        lambda x: np.tanh(x) * np.tanh(x),
        lambda x: (
            [2 * onp.tanh(x) * d[0] for d in [_tanh_derivs(x)]]
            + [2 * (_tanh_derivs(x)[0] ** 2 + onp.tanh(x) * _tanh_derivs(x)[1])]
            + [2 * (3 * _tanh_derivs(x)[0] * _tanh_derivs(x)[1] + onp.tanh(x) * _tanh_derivs(x)[2])]
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_third_order_matches_analytic(name):
    f, analytic = CASES[name]
    got = derivatives(f, X0)
    for k, (g, e) in enumerate(zip(got, analytic(X0)), start=1):
        onp.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12, err_msg=f"{name}: derivative {k}")


def test_third_order_of_matmul_composition():
    # f(X) = sum((X @ B)^3). With P = XB and r = column sums of B:
    # g1 = 3 P^2 B^T, g2 = d sum(g1) = 6 (P * r) B^T, g3 = d sum(g2) = 6 (1 * r^2) B^T.
    rng = onp.random.default_rng(1)
    x0, b0 = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    b = np.array(b0, dtype="float64")
    got = derivatives(lambda x: np.dot(x, b) ** 3, x0)
    p, r = x0 @ b0, b0.sum(axis=0)
    expected = [3 * p**2 @ b0.T, 6 * (p * r) @ b0.T, 6 * onp.ones((3, 1)) * (r**2) @ b0.T]
    for g, e in zip(got, expected):
        onp.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_third_order_of_matmul_in_the_right_operand():
    # f(x) = sum((A @ x)^3) for a vector x; c = row sums of A.
    rng = onp.random.default_rng(2)
    a0, x0 = rng.standard_normal((3, 3)), rng.standard_normal(3)
    a = np.array(a0, dtype="float64")
    got = derivatives(lambda x: np.dot(a, x) ** 3, x0)
    ax, c = a0 @ x0, a0.sum(axis=1)
    expected = [3 * a0.T @ ax**2, 6 * a0.T @ (c * ax), 6 * a0.T @ c**2]
    for g, e in zip(got, expected):
        onp.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_mixed_partial_of_power():
    # d/dy d/dx x^y = x^(y-1) (1 + y ln x)
    x0, y0 = onp.array([0.5, 1.5]), onp.array([2.0, 3.0])
    x, y = np.array(x0, dtype="float64"), np.array(y0, dtype="float64")
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        f = np.power(x, y)
        (dx,) = autograd.grad(f, [x], create_graph=True)
        (dxy,) = autograd.grad(dx, [y], create_graph=True)
    onp.testing.assert_allclose(dx.asnumpy(), y0 * x0 ** (y0 - 1), rtol=1e-12)
    onp.testing.assert_allclose(dxy.asnumpy(), x0 ** (y0 - 1) * (1 + y0 * onp.log(x0)), rtol=1e-12)


def test_backward_through_a_created_graph_fills_dot_grad():
    # Gradient penalty pattern: backward of a function of a gradient.
    x = np.array([0.5, 1.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = np.sin(x) * x
        (dx,) = autograd.grad(y, [x], create_graph=True)
        penalty = (dx * dx).sum()
    penalty.backward()
    x0 = onp.array([0.5, 1.0])
    d1 = onp.cos(x0) * x0 + onp.sin(x0)
    d2 = 2 * onp.cos(x0) - x0 * onp.sin(x0)
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * d1 * d2, rtol=1e-12)


def test_create_graph_false_gives_a_constant():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * x * x
        (dx,) = autograd.grad(y, [x], create_graph=False, retain_graph=True)
    assert dx.item() == 3.0
    with pytest.raises(MXNetError, match="not in a computational graph"):
        autograd.grad(dx, [x])
