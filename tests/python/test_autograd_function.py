"""autograd.Function: several inputs/outputs, saved tensors, count/shape
errors naming the Function, create_graph through its backward,
once_differentiable, and the public gradient checker on Functions."""

import numpy as onp
import pytest

from mxnet import MXNetError, autograd, np
from mxnet.test_utils import check_gradient, numeric_grad


class Sigmoid(autograd.Function):
    def forward(self, x):
        y = 1 / (1 + np.exp(-x))
        self.save_for_backward(y)
        return y

    def backward(self, dy):
        (y,) = self.saved_tensors
        return dy * y * (1 - y)


class SplitMix(autograd.Function):
    """Three inputs, two outputs: (a*b + c, a - c)."""

    def forward(self, a, b, c):
        self.save_for_backward(a, b)
        return a * b + c, a - c

    def backward(self, d0, d1):
        a, b = self.saved_tensors
        return d0 * b + d1, d0 * a, d0 - d1


def test_saved_tensors_round_trip():
    f = Sigmoid()
    assert f.saved_tensors == ()
    x = np.array([0.0])
    f.save_for_backward(x, 3)
    assert f.saved_tensors[0] is x and f.saved_tensors[1] == 3


def test_several_inputs_and_outputs():
    a, b, c = (np.array([v], dtype="float64") for v in (2.0, 5.0, 7.0))
    for v in (a, b, c):
        v.attach_grad()
    with autograd.record():
        p, q = SplitMix()(a, b, c)
        out = p * 3 + q * q
    out.backward()
    # d/da = 3b + 2q, d/db = 3a, d/dc = 3 - 2q with q = a - c = -5
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (5.0, 6.0, 13.0)


def test_outputs_untouched_when_not_recording():
    x = np.array([0.0])
    y = Sigmoid()(x)
    assert y.item() == 0.5
    with pytest.raises(MXNetError, match="not in a computational graph"):
        y.backward()


def test_an_instance_runs_once():
    f = Sigmoid()
    f(np.array([0.0]))
    with pytest.raises(AssertionError, match="only be called once"):
        f(np.array([0.0]))


def test_wrong_gradient_count_names_the_function():
    class TooFew(autograd.Function):
        def forward(self, a, b):
            return a * b

        def backward(self, dy):
            return dy

    a, b = np.array([1.0]), np.array([2.0])
    a.attach_grad()
    with autograd.record():
        y = TooFew()(a, b)
    with pytest.raises(MXNetError, match=r"TooFew: backward returned 1 gradients, expected 2"):
        y.backward()
    from conftest import assert_library_usable

    assert_library_usable()


def test_wrong_gradient_shape_names_the_function():
    class BadShape(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return np.ones((3,))

    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = BadShape()(x)
    with pytest.raises(
        MXNetError,
        match=r"BadShape: backward returned a gradient of shape \(3,\) for input 0 of "
        r"shape \(2,\)",
    ):
        y.backward()


def test_non_array_gradient_names_the_function():
    class NotAnArray(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return 1.0

    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = NotAnArray()(x)
    with pytest.raises(MXNetError, match="NotAnArray: backward must return ndarrays"):
        y.backward()


def test_exception_in_backward_propagates():
    class Raises(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            raise ValueError("boom")

    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = Raises()(x)
    with pytest.raises(ValueError, match="boom"):
        y.backward()
    assert not autograd.is_recording()


def test_function_backward_is_recorded_under_create_graph():
    # The user backward is written with mxnet ops, so second and third
    # derivatives of the sigmoid come out right (MXNet cannot do this).
    x0 = onp.array([-1.0, 0.2, 1.5])
    x = np.array(x0, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = Sigmoid()(x)
        (d1,) = autograd.grad(y, [x], create_graph=True)
        (d2,) = autograd.grad(d1, [x], create_graph=True)
        (d3,) = autograd.grad(d2, [x], create_graph=True)
    s = 1 / (1 + onp.exp(-x0))
    onp.testing.assert_allclose(d1.asnumpy(), s * (1 - s), rtol=1e-12)
    onp.testing.assert_allclose(d2.asnumpy(), s * (1 - s) * (1 - 2 * s), rtol=1e-12)
    onp.testing.assert_allclose(d3.asnumpy(), s * (1 - s) * (1 - 6 * s + 6 * s * s), rtol=1e-10)


def test_function_inside_a_create_graph_backward_of_another_graph():
    x = np.array([0.5, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = Sigmoid()(x * x)
        (dx,) = autograd.grad(y, [x], create_graph=True)
        penalty = (dx * dx).sum()
    penalty.backward()
    x0 = onp.array([0.5, 2.0])
    s = 1 / (1 + onp.exp(-x0 * x0))
    g = 2 * x0 * s * (1 - s)
    dg = 2 * s * (1 - s) + 4 * x0 * x0 * s * (1 - s) * (1 - 2 * s)
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * g * dg, rtol=1e-10)


def test_once_differentiable_refuses_a_second_derivative_by_name():
    class Cube(autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x * x

        @autograd.once_differentiable
        def backward(self, dy):
            (x,) = self.saved_tensors
            return dy * 3 * x * x

    x = np.array([2.0])
    x.attach_grad()
    with autograd.record():
        y = Cube()(x)
        (dx,) = autograd.grad(y, [x], create_graph=True)
    assert dx.item() == 12.0
    with pytest.raises(MXNetError, match=r"Cube: the backward of 'Cube' is not differentiable"):
        autograd.grad(dx, [x])
    with autograd.record():
        y = Cube()(x)
    y.backward()  # first order is fine
    assert x.grad.item() == 12.0


def test_check_gradient_accepts_a_correct_function():
    rng = onp.random.default_rng(0)
    check_gradient(lambda x: Sigmoid()(x), rng.standard_normal((3, 2)))
    check_gradient(lambda a, b, c: SplitMix()(a, b, c), *rng.standard_normal((3, 4)))


def test_check_gradient_catches_a_wrong_backward():
    class ForgotChainRule(autograd.Function):  # MXNet #9872's mistake
        def forward(self, x):
            y = 1 / (1 + np.exp(-x))
            self.save_for_backward(y)
            return y

        def backward(self, dy):
            (y,) = self.saved_tensors
            return y * (1 - y)

    with pytest.raises(AssertionError, match="gradient of input 0"):
        check_gradient(lambda x: ForgotChainRule()(x), onp.array([0.3, -1.0]))


def test_check_gradient_catches_a_wrong_second_output_gradient():
    class Swapped(autograd.Function):
        def forward(self, a, b, c):
            return a * b + c, a - c

        def backward(self, d0, d1):
            return d0 + d1, d0, d0 - d1  # wrong for a and b

    with pytest.raises(AssertionError, match="gradient of input 0"):
        check_gradient(lambda a, b, c: Swapped()(a, b, c), onp.array([1.5]), onp.array([2.5]), onp.array([0.5]))


def test_numeric_grad_of_a_known_function():
    x = onp.array([1.0, 2.0])
    (g,) = numeric_grad(lambda v: v * v * v, [x], onp.array([1.0, 2.0]))
    onp.testing.assert_allclose(g, [3.0, 24.0], rtol=1e-8)
    assert x.tolist() == [1.0, 2.0]  # restored
