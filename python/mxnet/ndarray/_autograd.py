"""Legacy nd functions that steer autograd."""

from .._core import autograd as _ag
from .._args import into, no_kwargs

__all__ = ["BlockGrad", "stop_gradient"]


def BlockGrad(data, out=None, name=None, **kwargs):  # noqa: N802 - MXNet's name
    """A copy of ``data`` through which no gradient flows back."""
    no_kwargs("BlockGrad", kwargs)
    return into("BlockGrad", _ag.stop_gradient(data), out)


stop_gradient = BlockGrad
