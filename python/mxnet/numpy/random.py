"""``mxnet.numpy.random``: seedable sampling (float32 unless ``dtype`` says otherwise)."""

from .. import _core
from .._args import cpu_only, no_out

__all__ = ["seed", "uniform", "normal", "randint", "choice", "shuffle"]


def seed(seed=None):
    """Seed the generator shared by every sampler; the same seed repeats the draws."""
    _core.seed(0 if seed is None else int(seed))


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Samples from the half-open interval [low, high)."""
    cpu_only("uniform", ctx, device)
    no_out("uniform", out)
    return _core.np.random_uniform(low, high, () if size is None else size, dtype)


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Samples from a normal distribution with mean ``loc`` and deviation ``scale``."""
    cpu_only("normal", ctx, device)
    no_out("normal", out)
    return _core.np.random_normal(loc, scale, () if size is None else size, dtype)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None, device=None):
    """Integers uniform in [low, high) ([0, low) without ``high``); int64 unless
    ``dtype`` is int32."""
    cpu_only("randint", ctx, device)
    no_out("randint", out)
    if high is None:
        low, high = 0, low
    return _core.np.random_randint(
        int(low), int(high), () if size is None else size, "int64" if dtype is None else dtype
    )


def choice(a, size=None, replace=True, p=None, ctx=None, out=None, device=None):
    """Samples of ``a`` (an int n means arange(n), giving int64), with or without
    replacement, optionally with probabilities ``p``."""
    cpu_only("choice", ctx, device)
    no_out("choice", out)
    return _core.np.random_choice(a, () if size is None else size, bool(replace), p)


def shuffle(x):
    """Shuffles ``x`` in place along its first axis (returns None)."""
    _core.np.shuffle(x)
