"""``mxnet.nd.random``: legacy samplers (``shape=`` instead of ``size=``).

With number parameters a sampler draws ``shape`` samples (default (1,)); with
NDArray parameters (all of one shape P) it draws ``shape`` samples for each
element of P, giving shape P + shape (MXNet's sample_* operators)."""

from .. import _core
from .._args import cpu_only, into, no_kwargs
from .ndarray import NDArray

__all__ = [
    "uniform",
    "normal",
    "randn",
    "poisson",
    "exponential",
    "gamma",
    "multinomial",
    "negative_binomial",
    "generalized_negative_binomial",
    "shuffle",
    "randint",
]

_ARRAYS = (NDArray, _core.ndarray)


def _sample(fn, dist, params, names, shape, dtype, ctx, out, kwargs):
    """MXNet's _random_helper: all parameters arrays (per-parameter samples) or all numbers."""
    no_kwargs(fn, kwargs)
    with cpu_only(fn, ctx):
        arrays = [isinstance(p, _ARRAYS) for p in params]
        if any(arrays) and not all(arrays):
            kinds = sorted({type(p).__name__ for p in params})
            raise AssertionError(
                f"{fn}: distribution parameters must all have the same type, but got {' and '.join(kinds)}"
            )
        if not any(arrays) and shape is None:
            shape = (1,) if out is None else out.shape
        return _core.nd.random_sample(dist, params, shape, dtype, out, fn, names)


def uniform(low=0, high=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Samples uniform in [low, high)."""
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and out is None:
        no_kwargs("uniform", kwargs)
        with cpu_only("uniform", ctx):
            return _core.nd.random_uniform(low, high, (1,) if shape is None else shape, dtype)
    return _sample("uniform", "uniform", [low, high], ["low", "high"], shape, dtype, ctx, out, kwargs)


def normal(loc=0, scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Normal samples with mean ``loc`` and deviation ``scale``."""
    if isinstance(loc, (int, float)) and isinstance(scale, (int, float)) and out is None:
        no_kwargs("normal", kwargs)
        with cpu_only("normal", ctx):
            return _core.nd.random_normal(loc, scale, (1,) if shape is None else shape, dtype)
    return _sample("normal", "normal", [loc, scale], ["loc", "scale"], shape, dtype, ctx, out, kwargs)


def randint(low, high, shape=(1,), dtype=None, ctx=None, out=None, **kwargs):
    """Integers uniform in [low, high); int32 unless ``dtype`` is int64 (as MXNet 1.x)."""
    no_kwargs("randint", kwargs)
    with cpu_only("randint", ctx):
        drawn = _core.nd.random_randint(int(low), int(high), shape, "int32" if dtype is None else dtype)
        return into("randint", drawn, out)


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, out=None, **kwargs):
    """Standard normal samples (``loc`` + ``scale`` * N(0, 1)) of shape ``shape``, given inline."""
    return normal(loc, scale, shape if shape else (1,), dtype, ctx, out, **kwargs)


def poisson(lam=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Poisson samples of rate ``lam`` (as floating point numbers, float32 by default)."""
    return _sample("poisson", "poisson", [lam], ["lam"], shape, dtype, ctx, out, kwargs)


def exponential(scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Exponential samples with mean ``scale`` (rate 1 / scale)."""
    return _sample("exponential", "exponential", [scale], ["scale"], shape, dtype, ctx, out, kwargs)


def gamma(alpha=1, beta=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Gamma samples of shape ``alpha`` and scale ``beta``."""
    return _sample("gamma", "gamma", [alpha, beta], ["alpha", "beta"], shape, dtype, ctx, out, kwargs)


def negative_binomial(k=1, p=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Failures before the ``k``-th success, success probability ``p`` (floats)."""
    return _sample("negative_binomial", "negative_binomial", [k, p], ["k", "p"], shape, dtype, ctx, out, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Negative binomial samples of mean ``mu`` and dispersion ``alpha`` (variance mu + alpha mu^2)."""
    return _sample(
        "generalized_negative_binomial",
        "generalized_negative_binomial",
        [mu, alpha],
        ["mu", "alpha"],
        shape,
        dtype,
        ctx,
        out,
        kwargs,
    )


def multinomial(data, shape=None, get_prob=False, out=None, dtype="int32", **kwargs):
    """Outcome indices drawn from the distributions along the last axis of
    ``data`` (``shape`` draws each; shape data.shape[:-1] + shape); with
    ``get_prob`` also their log probabilities."""
    no_kwargs("multinomial", kwargs)
    result = _core.nd.random_categorical(data, shape, bool(get_prob), dtype)
    if not get_prob:
        return into("multinomial", result, out)
    if out is None:
        return result
    # get_prob: MXNet's out= is the pair (samples, log probabilities).
    if not isinstance(out, (list, tuple)) or len(out) != 2:
        raise TypeError(f"multinomial: with get_prob=True, out must be a pair of arrays, got {out!r}")
    return [into("multinomial", r, o) for r, o in zip(result, out)]


def shuffle(data, **kwargs):
    """A copy of ``data`` with its rows (axis 0) in random order (``data`` is unchanged)."""
    no_kwargs("shuffle", kwargs)
    result = data.copy()
    _core.nd.shuffle(result)
    return result


# ---- the samplers shaped like an array (MXNet's _random_*_like operators) ----
def _like(fn, dist, data, params, names, out, kwargs):
    no_kwargs(fn, kwargs)
    if not isinstance(data, _ARRAYS):
        raise TypeError(f"{fn}: data must be an NDArray, got {type(data).__name__}")
    return _core.nd.random_sample(dist, params, data.shape, data.dtype, out, fn, names)


def uniform_like(data=None, low=0, high=1, out=None, name=None, **kwargs):
    """Uniform samples in [low, high) of ``data``'s shape and dtype."""
    return _like("uniform_like", "uniform", data, [low, high], ["low", "high"], out, kwargs)


def normal_like(data=None, loc=0, scale=1, out=None, name=None, **kwargs):
    """Normal samples of ``data``'s shape and dtype."""
    return _like("normal_like", "normal", data, [loc, scale], ["loc", "scale"], out, kwargs)


def exponential_like(data=None, lam=1, out=None, name=None, **kwargs):
    """Exponential samples of rate ``lam``, of ``data``'s shape and dtype."""
    return _like("exponential_like", "exponential_rate", data, [lam], ["lam"], out, kwargs)


def gamma_like(data=None, alpha=1, beta=1, out=None, name=None, **kwargs):
    """Gamma samples (shape ``alpha``, scale ``beta``) of ``data``'s shape and dtype."""
    return _like("gamma_like", "gamma", data, [alpha, beta], ["alpha", "beta"], out, kwargs)


def poisson_like(data=None, lam=1, out=None, name=None, **kwargs):
    """Poisson samples of ``data``'s shape and dtype."""
    return _like("poisson_like", "poisson", data, [lam], ["lam"], out, kwargs)


def negative_binomial_like(data=None, k=1, p=1, out=None, name=None, **kwargs):
    """Negative binomial samples of ``data``'s shape and dtype."""
    return _like("negative_binomial_like", "negative_binomial", data, [k, p], ["k", "p"], out, kwargs)


def generalized_negative_binomial_like(data=None, mu=1, alpha=1, out=None, name=None, **kwargs):
    """Generalized negative binomial samples of ``data``'s shape and dtype."""
    return _like(
        "generalized_negative_binomial_like",
        "generalized_negative_binomial",
        data,
        [mu, alpha],
        ["mu", "alpha"],
        out,
        kwargs,
    )
