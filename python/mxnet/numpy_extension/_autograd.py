"""npx functions that steer autograd."""

from .._core import autograd as _ag

__all__ = ["stop_gradient"]


def stop_gradient(data):
    """A copy of ``data`` that autograd treats as a constant: no gradient flows
    back through it (MXNet's ``BlockGrad``)."""
    return _ag.stop_gradient(data)
