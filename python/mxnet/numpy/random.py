"""``mxnet.numpy.random``: seedable sampling (float32 unless ``dtype`` says otherwise).

Distribution parameters may be numbers or arrays; arrays broadcast to ``size``
(or, without it, to one another) and each element draws with its own."""

from .. import _core
from .._args import cpu_only, into, no_kwargs
from ..base import unsupported_argument

__all__ = [
    "seed",
    "uniform",
    "normal",
    "randint",
    "choice",
    "shuffle",
    "rand",
    "randn",
    "multinomial",
    "multivariate_normal",
    "logistic",
    "gumbel",
    "gamma",
    "beta",
    "chisquare",
    "exponential",
    "lognormal",
    "weibull",
    "pareto",
    "power",
    "rayleigh",
]


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _draw(fn, dist, params, names, size, dtype=None, ctx=None, out=None, device=None):
    with cpu_only(fn, ctx, device):
        return _core.np.random_draw(dist, params, None if size == () else size, dtype, out, fn, names)


def seed(seed=None):
    """Seed the generator shared by every sampler; the same seed repeats the draws."""
    _core.seed(0 if seed is None else int(seed))


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Samples from the half-open interval [low, high)."""
    if _is_number(low) and _is_number(high) and out is None:
        with cpu_only("uniform", ctx, device):
            return _core.np.random_uniform(low, high, () if size is None else size, dtype)
    return _draw("uniform", "uniform", [low, high], ["low", "high"], size, dtype, ctx, out, device)


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None, device=None):
    """Samples from a normal distribution with mean ``loc`` and deviation ``scale``."""
    if _is_number(loc) and _is_number(scale) and out is None:
        with cpu_only("normal", ctx, device):
            return _core.np.random_normal(loc, scale, () if size is None else size, dtype)
    return _draw("normal", "normal", [loc, scale], ["loc", "scale"], size, dtype, ctx, out, device)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None, device=None):
    """Integers uniform in [low, high) ([0, low) without ``high``); int64 unless
    ``dtype`` is int32."""
    with cpu_only("randint", ctx, device):
        if high is None:
            low, high = 0, low
        drawn = _core.np.random_randint(
            int(low), int(high), () if size is None else size, "int64" if dtype is None else dtype
        )
        return into("randint", drawn, out)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None, device=None):
    """Samples of ``a`` (an int n means arange(n), giving int64), with or without
    replacement, optionally with probabilities ``p``."""
    with cpu_only("choice", ctx, device):
        return into("choice", _core.np.random_choice(a, () if size is None else size, bool(replace), p), out)


def shuffle(x):
    """Shuffles ``x`` in place along its first axis (returns None)."""
    _core.np.shuffle(x)


def rand(*size, **kwargs):
    """Uniform samples in [0, 1) of shape ``size`` (given inline); ``uniform``'s keywords."""
    return uniform(0, 1, size=tuple(size), **kwargs)


def randn(*size, **kwargs):
    """Standard normal samples of shape ``size`` (given inline); ``normal``'s keywords."""
    return normal(0, 1, size=tuple(size), **kwargs)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):
    """exp of normal samples with mean ``mean`` and deviation ``sigma``."""
    return _draw("lognormal", "lognormal", [mean, sigma], ["mean", "sigma"], size, dtype, ctx, out)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Samples of the logistic distribution (location ``loc``, scale ``scale``)."""
    return _draw("logistic", "logistic", [loc, scale], ["loc", "scale"], size, None, ctx, out)


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Samples of the Gumbel (extreme value type I) distribution."""
    return _draw("gumbel", "gumbel", [loc, scale], ["loc", "scale"], size, None, ctx, out)


def exponential(scale=1.0, size=None, ctx=None, out=None):
    """Samples of the exponential distribution with mean ``scale``."""
    return _draw("exponential", "exponential", [scale], ["scale"], size, None, ctx, out)


def rayleigh(scale=1.0, size=None, ctx=None, out=None):
    """Samples of the Rayleigh distribution with mode ``scale``."""
    return _draw("rayleigh", "rayleigh", [scale], ["scale"], size, None, ctx, out)


def weibull(a, size=None, ctx=None, out=None):
    """Samples of the Weibull distribution of shape ``a`` (scale 1)."""
    return _draw("weibull", "weibull", [a], ["a"], size, None, ctx, out)


def pareto(a, size=None, ctx=None, out=None):
    """Samples of the Pareto II (Lomax) distribution of shape ``a``, as NumPy's pareto."""
    return _draw("pareto", "pareto", [a], ["a"], size, None, ctx, out)


def power(a, size=None):
    """Samples in [0, 1] of the power distribution with exponent ``a - 1``."""
    return _draw("power", "power", [a], ["a"], size)


def gamma(shape, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples of the gamma distribution of shape ``shape`` and scale ``scale``."""
    return _draw("gamma", "gamma", [shape, scale], ["shape", "scale"], size, dtype, ctx, out)


def beta(a, b, size=None, dtype=None, ctx=None):
    """Samples of the beta distribution with parameters ``a`` and ``b``."""
    return _draw("beta", "beta", [a, b], ["a", "b"], size, dtype, ctx)


def chisquare(df, size=None, dtype=None, ctx=None):
    """Samples of the chi-square distribution with ``df`` degrees of freedom."""
    return _draw("chisquare", "chisquare", [df], ["df"], size, dtype, ctx)


def multinomial(n, pvals, size=None, **kwargs):
    """Counts of ``n`` trials over the outcomes of ``pvals`` (int64, shape size + (len(pvals),))."""
    no_kwargs("multinomial", kwargs, harmless=())
    return _core.np.random_multinomial(int(n), pvals, None if size == () else size)


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):
    """Samples of the multivariate normal N(mean, cov) (shape size + batch + (k,))."""
    if check_valid is not None:
        unsupported_argument("multivariate_normal", "check_valid", check_valid)
    if tol is not None:
        unsupported_argument("multivariate_normal", "tol", tol)
    return _core.np.random_multivariate_normal(mean, cov, None if size == () else size)
