"""``mxnet.random``: the global seed shared by ``np.random`` and ``nd.random``."""

from . import _core


def seed(seed_state, ctx="all"):
    """Seed the generator; the same seed gives the same draws."""
    _core.seed(int(seed_state))
