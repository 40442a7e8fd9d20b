"""Legacy ``nd.random_pdf_*``: densities of samples under batches of
distributions, MXNet 1.x names and keywords. The parameter arrays share one
shape that leads the sample's shape; the result has the sample's shape (for
Dirichlet, without its last axis). Composed of registered ops in the engine,
so differentiable in the sample and the parameters (uniform and the discrete
distributions pass no gradient to the sample, as in MXNet)."""

from .. import _core
from .._args import into, no_kwargs

__all__ = [
    "random_pdf_uniform", "random_pdf_normal", "random_pdf_gamma", "random_pdf_exponential", "random_pdf_poisson",
    "random_pdf_negative_binomial", "random_pdf_generalized_negative_binomial", "random_pdf_dirichlet",
]  # fmt: skip

_f = _core.nd


def random_pdf_uniform(sample=None, low=None, high=None, is_log=False, out=None, name=None, **kwargs):
    """Density 1 / (high - low) of uniform distributions on [low, high) (the
    sample's place in the support is not checked, as in MXNet)."""
    no_kwargs("random_pdf_uniform", kwargs)
    return into("random_pdf_uniform", _f.random_pdf_uniform(sample, low, high, is_log), out)


def random_pdf_normal(sample=None, mu=None, sigma=None, is_log=False, out=None, name=None, **kwargs):
    """Density of normal distributions with means ``mu`` and standard deviations ``sigma``."""
    no_kwargs("random_pdf_normal", kwargs)
    return into("random_pdf_normal", _f.random_pdf_normal(sample, mu, sigma, is_log), out)


def random_pdf_gamma(sample=None, alpha=None, beta=None, is_log=False, out=None, name=None, **kwargs):
    """Density of gamma distributions with shapes ``alpha`` and rates ``beta``:
    beta^alpha x^(alpha-1) exp(-beta x) / Gamma(alpha)."""
    no_kwargs("random_pdf_gamma", kwargs)
    return into("random_pdf_gamma", _f.random_pdf_gamma(sample, alpha, beta, is_log), out)


def random_pdf_exponential(sample=None, lam=None, is_log=False, out=None, name=None, **kwargs):
    """Density lam exp(-lam x) of exponential distributions with rates ``lam``."""
    no_kwargs("random_pdf_exponential", kwargs)
    return into("random_pdf_exponential", _f.random_pdf_exponential(sample, lam, is_log), out)


def random_pdf_poisson(sample=None, lam=None, is_log=False, out=None, name=None, **kwargs):
    """Probability lam^x exp(-lam) / x! of Poisson distributions with rates ``lam``."""
    no_kwargs("random_pdf_poisson", kwargs)
    return into("random_pdf_poisson", _f.random_pdf_poisson(sample, lam, is_log), out)


def random_pdf_negative_binomial(sample=None, k=None, p=None, is_log=False, out=None, name=None, **kwargs):
    """Probability Gamma(x + k) / (Gamma(k) x!) p^k (1 - p)^x of negative
    binomial distributions with failure limits ``k`` (real-valued) and failure
    probabilities ``p``."""
    no_kwargs("random_pdf_negative_binomial", kwargs)
    return into("random_pdf_negative_binomial", _f.random_pdf_negative_binomial(sample, k, p, is_log), out)


def random_pdf_generalized_negative_binomial(
    sample=None, mu=None, alpha=None, is_log=False, out=None, name=None, **kwargs
):
    """Probability of generalized negative binomial distributions with means
    ``mu`` and dispersions ``alpha``: the negative binomial with k = 1 / alpha
    and p = 1 / (mu alpha + 1)."""
    fn = "random_pdf_generalized_negative_binomial"
    no_kwargs(fn, kwargs)
    return into(fn, _f.random_pdf_generalized_negative_binomial(sample, mu, alpha, is_log), out)


def random_pdf_dirichlet(sample=None, alpha=None, is_log=False, out=None, name=None, **kwargs):
    """Density of Dirichlet distributions with concentrations ``alpha`` (shape
    P + (k,)) at samples of shape P + S + (k,) (not checked to lie on the
    simplex); the result has shape P + S, or (1,) for a single 1-D sample."""
    no_kwargs("random_pdf_dirichlet", kwargs)
    return into("random_pdf_dirichlet", _f.random_pdf_dirichlet(sample, alpha, is_log), out)
