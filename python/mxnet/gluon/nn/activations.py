"""Gluon's activation layers (MXNet 1.9.1 names, arguments and printing)."""

from ...util import is_np_array
from ..block import HybridBlock

__all__ = ["Activation", "LeakyReLU", "PReLU", "ELU", "SELU", "GELU", "Swish"]


class Activation(HybridBlock):
    """``act_type`` element-wise: 'relu', 'sigmoid', 'tanh', 'softrelu' or 'softsign'."""

    def __init__(self, activation, **kwargs):
        self._act_type = activation
        super().__init__(**kwargs)

    def _alias(self):
        return self._act_type

    def hybrid_forward(self, F, x):
        act = F.npx.activation if is_np_array() else F.Activation
        return act(x, act_type=self._act_type)

    def __repr__(self):
        return f"{type(self).__name__}({self._act_type})"


def _leaky(F, x, **kwargs):
    return (F.npx.leaky_relu if is_np_array() else F.LeakyReLU)(x, **kwargs)


class LeakyReLU(HybridBlock):
    """x for x > 0, alpha * x otherwise."""

    def __init__(self, alpha, **kwargs):
        if alpha < 0:
            raise AssertionError("Slope coefficient for LeakyReLU must be no less than 0.")
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return _leaky(F, x, act_type="leaky", slope=self._alpha)

    def __repr__(self):
        return f"{type(self).__name__}({self._alpha})"


class PReLU(HybridBlock):
    """Leaky ReLU with a learned slope ``alpha`` per channel (axis 1; in_channels of them)."""

    def __init__(self, alpha_initializer=None, in_channels=1, **kwargs):
        super().__init__(**kwargs)
        if alpha_initializer is None:
            from ... import initializer

            alpha_initializer = initializer.Constant(0.25)
        with self.name_scope():
            self.alpha = self.params.get("alpha", shape=(in_channels,), init=alpha_initializer)

    def hybrid_forward(self, F, x, alpha):
        return _leaky(F, x, gamma=alpha, act_type="prelu")


class ELU(HybridBlock):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return _leaky(F, x, act_type="elu", slope=self._alpha)


class SELU(HybridBlock):
    """The scaled ELU of Klambauer et al. (fixed alpha and scale)."""

    def hybrid_forward(self, F, x):
        return _leaky(F, x, act_type="selu")


class GELU(HybridBlock):
    """x * Phi(x), with Phi the standard normal CDF (the erf form, as MXNet)."""

    def hybrid_forward(self, F, x):
        return _leaky(F, x, act_type="gelu")


class Swish(HybridBlock):
    """x * sigmoid(beta * x)."""

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self._beta = beta

    def hybrid_forward(self, F, x):
        sigmoid = F.npx.sigmoid if is_np_array() else F.sigmoid
        return x * sigmoid(self._beta * x)
