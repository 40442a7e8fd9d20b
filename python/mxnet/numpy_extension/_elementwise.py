"""``npx`` elementwise functions: activations and special functions
(float results; integer inputs compute in float32, except relu)."""
from .. import _core

__all__ = ["relu", "sigmoid", "erf", "erfinv", "gamma", "gammaln"]

_f = _core.np


def relu(data):
    """max(data, 0); the gradient passes where data > 0."""
    return _f.relu(data)


def sigmoid(data):
    """1 / (1 + exp(-data))."""
    return _f.sigmoid(data)


def erf(data):
    return _f.erf(data)


def erfinv(data):
    """Inverse of erf on [-1, 1] (+-inf at +-1, NaN outside)."""
    return _f.erfinv(data)


def gamma(data):
    return _f.gamma(data)


def gammaln(data):
    """log|gamma(data)|; its gradient is digamma."""
    return _f.gammaln(data)
