"""``mxnet.numpy.random``: seedable sampling (float32 unless ``dtype`` says otherwise)."""
from .. import _core

__all__ = ["seed", "uniform", "normal"]


def seed(seed=None):
    """Seed the generator shared by every sampler; the same seed repeats the draws."""
    _core.seed(0 if seed is None else int(seed))


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Samples from the half-open interval [low, high)."""
    return _core.np.random_uniform(low, high, () if size is None else size, dtype)


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Samples from a normal distribution with mean ``loc`` and deviation ``scale``."""
    return _core.np.random_normal(loc, scale, () if size is None else size, dtype)
