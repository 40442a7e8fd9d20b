"""MXNet's sampling operators under their own names: ``nd.random_*`` (number
parameters, ``shape`` required) and ``nd.sample_*`` (array parameters, ``shape``
samples per parameter element)."""

from .. import _core
from .._args import cpu_only, no_kwargs
from .random import _ARRAYS, multinomial

__all__ = [
    "random_exponential",
    "random_gamma",
    "random_poisson",
    "random_negative_binomial",
    "random_generalized_negative_binomial",
    "sample_uniform",
    "sample_normal",
    "sample_exponential",
    "sample_gamma",
    "sample_poisson",
    "sample_negative_binomial",
    "sample_generalized_negative_binomial",
    "sample_multinomial",
]


# ---- MXNet's operator names (nd.random_* take numbers, nd.sample_* arrays) ----
def _legacy(fn, dist, params, names, shape, dtype, ctx, out, kwargs):
    no_kwargs(fn, kwargs)
    with cpu_only(fn, ctx):
        for name, value in zip(names, params):
            if isinstance(value, _ARRAYS):
                raise TypeError(f"{fn}: {name} must be a number, got an array (sample_* take arrays)")
        if shape is None:
            if out is None:
                raise ValueError(f"{fn}: shape is required")
            shape = out.shape
        return _core.nd.random_sample(dist, params, shape, dtype, out, fn, names)


def random_exponential(lam=1, shape=None, ctx=None, dtype=None, out=None, name=None, **kwargs):
    """Exponential samples of rate ``lam``."""
    return _legacy("random_exponential", "exponential_rate", [lam], ["lam"], shape, dtype, ctx, out, kwargs)


def random_gamma(alpha=1, beta=1, shape=None, ctx=None, dtype=None, out=None, name=None, **kwargs):
    """Gamma samples of shape ``alpha`` and scale ``beta``."""
    return _legacy("random_gamma", "gamma", [alpha, beta], ["alpha", "beta"], shape, dtype, ctx, out, kwargs)


def random_poisson(lam=1, shape=None, ctx=None, dtype=None, out=None, name=None, **kwargs):
    """Poisson samples of rate ``lam``."""
    return _legacy("random_poisson", "poisson", [lam], ["lam"], shape, dtype, ctx, out, kwargs)


def random_negative_binomial(k=1, p=1, shape=None, ctx=None, dtype=None, out=None, name=None, **kwargs):
    """Negative binomial samples (``k`` successes, success probability ``p``)."""
    return _legacy("random_negative_binomial", "negative_binomial", [k, p], ["k", "p"], shape, dtype, ctx, out, kwargs)


def random_generalized_negative_binomial(
    mu=1, alpha=1, shape=None, ctx=None, dtype=None, out=None, name=None, **kwargs
):
    """Generalized negative binomial samples (mean ``mu``, dispersion ``alpha``)."""
    return _legacy(
        "random_generalized_negative_binomial",
        "generalized_negative_binomial",
        [mu, alpha],
        ["mu", "alpha"],
        shape,
        dtype,
        ctx,
        out,
        kwargs,
    )


def _per_param(fn, dist, params, names, shape, dtype, out, kwargs):
    no_kwargs(fn, kwargs)
    return _core.nd.random_sample(dist, params, shape, dtype, out, fn, names)


def sample_uniform(low=None, high=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` uniform samples for each element of ``low``/``high``."""
    return _per_param("sample_uniform", "uniform", [low, high], ["low", "high"], shape, dtype, out, kwargs)


def sample_normal(mu=None, sigma=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` normal samples for each element of ``mu``/``sigma``."""
    return _per_param("sample_normal", "normal", [mu, sigma], ["mu", "sigma"], shape, dtype, out, kwargs)


def sample_exponential(lam=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` exponential samples for each rate in ``lam``."""
    return _per_param("sample_exponential", "exponential_rate", [lam], ["lam"], shape, dtype, out, kwargs)


def sample_gamma(alpha=None, beta=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` gamma samples for each element of ``alpha`` (shape) / ``beta`` (scale)."""
    return _per_param("sample_gamma", "gamma", [alpha, beta], ["alpha", "beta"], shape, dtype, out, kwargs)


def sample_poisson(lam=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` Poisson samples for each rate in ``lam``."""
    return _per_param("sample_poisson", "poisson", [lam], ["lam"], shape, dtype, out, kwargs)


def sample_negative_binomial(k=None, p=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` negative binomial samples for each element of ``k``/``p``."""
    return _per_param("sample_negative_binomial", "negative_binomial", [k, p], ["k", "p"], shape, dtype, out, kwargs)


def sample_generalized_negative_binomial(mu=None, alpha=None, shape=None, dtype=None, out=None, name=None, **kwargs):
    """``shape`` generalized negative binomial samples for each element of ``mu``/``alpha``."""
    return _per_param(
        "sample_generalized_negative_binomial",
        "generalized_negative_binomial",
        [mu, alpha],
        ["mu", "alpha"],
        shape,
        dtype,
        out,
        kwargs,
    )


def sample_multinomial(data=None, shape=None, get_prob=False, dtype="int32", out=None, name=None, **kwargs):
    """nd.random.multinomial under MXNet's operator name."""
    return multinomial(data, shape, get_prob, out, dtype, **kwargs)
