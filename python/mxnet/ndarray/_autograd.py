"""Legacy nd functions that steer autograd."""

from .._core import autograd as _ag
from .._args import no_kwargs

__all__ = ["BlockGrad", "stop_gradient"]


def BlockGrad(data, out=None, name=None, **kwargs):  # noqa: N802 - MXNet's name
    """A copy of ``data`` through which no gradient flows back."""
    no_kwargs("BlockGrad", kwargs)
    if out is not None:
        raise NotImplementedError("BlockGrad(out=...) is not supported by mxlite")
    return _ag.stop_gradient(data)


stop_gradient = BlockGrad
