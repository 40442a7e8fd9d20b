"""``mxnet.random``: the global seed shared by ``np.random`` and ``nd.random``,
and, as in MXNet 1.x, the legacy samplers of ``nd.random``."""

from . import _core
from .ndarray.random import (  # noqa: F401
    exponential,
    gamma,
    generalized_negative_binomial,
    multinomial,
    negative_binomial,
    normal,
    poisson,
    randint,
    randn,
    shuffle,
    uniform,
)


def seed(seed_state, ctx="all"):
    """Seed the generator; the same seed gives the same draws."""
    _core.seed(int(seed_state))
