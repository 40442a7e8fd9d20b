"""The parameterised samplers (mxnet.numpy.random, mxnet.nd.random, the legacy
nd.random_* / nd.sample_* operators): moments and Kolmogorov-Smirnov or
chi-square tests against scipy.stats with fixed seeds, shapes and dtypes per
face, reproducibility under the seed, and errors for invalid parameters."""

import numpy as onp
import pytest
import scipy.stats as st

import mxnet as mx
from mxnet import nd, np
from mxnet.base import MXNetError
from conftest import assert_library_usable

N = 100_000


def _check_moments(x, dist, k=6.0):
    """Sample mean and variance within k standard errors of dist's."""
    x = onp.asarray(x, dtype=onp.float64).ravel()
    n = x.size
    mean, var = dist.mean(), dist.var()
    kurt = float(dist.stats(moments="k"))
    assert abs(x.mean() - mean) <= k * onp.sqrt(var / n), (x.mean(), mean)
    se_var = var * onp.sqrt(2.0 / (n - 1) + kurt / n)
    assert abs(x.var() - var) <= k * se_var, (x.var(), var)


def _check_ks(x, dist):
    x = onp.asarray(x, dtype=onp.float64).ravel()
    assert st.kstest(x, dist.cdf).pvalue > 1e-4


def _check_discrete(x, dist):
    """Chi-square of the frequencies against dist's pmf (cells with >= 20 expected)."""
    x = onp.asarray(x).ravel()
    assert onp.all(x == onp.round(x)) and x.min() >= 0
    n = x.size
    values = onp.arange(int(x.max()) + 1)
    expected = dist.pmf(values) * n
    keep = expected >= 20
    observed = onp.bincount(x.astype(onp.int64), minlength=values.size)[keep]
    exp = expected[keep]
    rest_obs, rest_exp = n - observed.sum(), n - exp.sum()
    obs = onp.append(observed, rest_obs)
    exp = onp.append(exp, rest_exp)
    assert st.chisquare(obs, exp).pvalue > 1e-4
    _check_moments(x, dist)


CONTINUOUS = [
    ("exponential", lambda s: np.random.exponential(2.0, size=s), st.expon(scale=2.0)),
    ("gamma small shape", lambda s: np.random.gamma(0.3, 2.0, size=s, dtype="float64"), st.gamma(0.3, scale=2.0)),
    ("gamma", lambda s: np.random.gamma(2.5, 1.5, size=s, dtype="float64"), st.gamma(2.5, scale=1.5)),
    ("gamma large shape", lambda s: np.random.gamma(80.0, size=s, dtype="float64"), st.gamma(80.0)),
    ("beta", lambda s: np.random.beta(2.0, 5.0, size=s, dtype="float64"), st.beta(2.0, 5.0)),
    ("beta small", lambda s: np.random.beta(0.4, 0.7, size=s, dtype="float64"), st.beta(0.4, 0.7)),
    ("chisquare", lambda s: np.random.chisquare(3.0, size=s, dtype="float64"), st.chi2(3.0)),
    ("gumbel", lambda s: np.random.gumbel(1.0, 2.0, size=s), st.gumbel_r(1.0, 2.0)),
    ("logistic", lambda s: np.random.logistic(-1.0, 0.5, size=s), st.logistic(-1.0, 0.5)),
    (
        "lognormal",
        lambda s: np.random.lognormal(0.5, 0.4, size=s, dtype="float64"),
        st.lognorm(0.4, scale=onp.exp(0.5)),
    ),
    ("pareto", lambda s: np.random.pareto(5.0, size=s), st.lomax(5.0)),
    ("power", lambda s: np.random.power(3.0, size=s), st.powerlaw(3.0)),
    ("rayleigh", lambda s: np.random.rayleigh(2.0, size=s), st.rayleigh(scale=2.0)),
    ("weibull", lambda s: np.random.weibull(1.5, size=s), st.weibull_min(1.5)),
    ("uniform array", lambda s: np.random.uniform(np.array([1.0]), 3.0, size=s), st.uniform(1.0, 2.0)),
    ("normal array", lambda s: np.random.normal(np.array(2.0), np.array([3.0]), size=s), st.norm(2.0, 3.0)),
    ("rand", lambda s: np.random.rand(*s), st.uniform()),
    ("randn", lambda s: np.random.randn(*s), st.norm()),
    ("nd exponential", lambda s: nd.random.exponential(0.5, shape=s), st.expon(scale=0.5)),
    ("nd gamma", lambda s: nd.random.gamma(3.0, 2.0, shape=s, dtype="float64"), st.gamma(3.0, scale=2.0)),
    ("random_exponential", lambda s: nd.random_exponential(lam=4.0, shape=s), st.expon(scale=0.25)),
    ("random_gamma", lambda s: nd.random_gamma(0.5, 1.0, shape=s), st.gamma(0.5)),
    ("exponential_like", lambda s: nd.random.exponential_like(nd.zeros(s), lam=2.0), st.expon(scale=0.5)),
    ("gamma_like", lambda s: nd.random.gamma_like(nd.zeros(s), alpha=4.0, beta=0.5), st.gamma(4.0, scale=0.5)),
    ("uniform_like", lambda s: nd.random.uniform_like(nd.zeros(s), low=-2, high=5), st.uniform(-2, 7)),
    ("normal_like", lambda s: nd.random.normal_like(nd.zeros(s), loc=5, scale=0.1), st.norm(5, 0.1)),
]


@pytest.mark.parametrize("name,draw,dist", CONTINUOUS, ids=[c[0] for c in CONTINUOUS])
def test_continuous_matches_scipy(name, draw, dist):
    mx.random.seed(11)
    x = draw((N,)).asnumpy()
    assert x.shape == (N,)
    _check_moments(x, dist)
    _check_ks(x, dist)


DISCRETE = [
    ("poisson small", lambda s: nd.random.poisson(3.0, shape=s), st.poisson(3.0)),
    ("poisson large", lambda s: nd.random.poisson(45.0, shape=s), st.poisson(45.0)),
    ("poisson_like", lambda s: nd.random.poisson_like(nd.zeros(s), lam=12.5), st.poisson(12.5)),
    ("random_poisson", lambda s: nd.random_poisson(lam=0.7, shape=s), st.poisson(0.7)),
    ("negative_binomial", lambda s: nd.random.negative_binomial(3, 0.4, shape=s), st.nbinom(3, 0.4)),
    ("random_negative_binomial", lambda s: nd.random_negative_binomial(k=5, p=0.8, shape=s), st.nbinom(5, 0.8)),
    (
        "generalized_negative_binomial",
        lambda s: nd.random.generalized_negative_binomial(2.0, 0.3, shape=s),
        st.nbinom(1 / 0.3, 1 / (1 + 2.0 * 0.3)),
    ),
    ("gnb alpha 0 is poisson", lambda s: nd.random.generalized_negative_binomial(4.0, 0.0, shape=s), st.poisson(4.0)),
    (
        "gnb like",
        lambda s: nd.random.generalized_negative_binomial_like(nd.zeros(s), mu=6.0, alpha=0.5),
        st.nbinom(2.0, 1 / (1 + 6.0 * 0.5)),
    ),
    ("negative_binomial_like", lambda s: nd.random.negative_binomial_like(nd.zeros(s), k=2, p=0.3), st.nbinom(2, 0.3)),
    ("binomial via multinomial", lambda s: np.random.multinomial(400, [0.3, 0.7], size=s)[:, 0], st.binom(400, 0.3)),
    ("binomial small n p", lambda s: np.random.multinomial(20, [0.1, 0.9], size=s)[:, 0], st.binom(20, 0.1)),
    ("binomial p > 1/2", lambda s: np.random.multinomial(60, [0.85, 0.15], size=s)[:, 0], st.binom(60, 0.85)),
]


@pytest.mark.parametrize("name,draw,dist", DISCRETE, ids=[c[0] for c in DISCRETE])
def test_discrete_matches_scipy(name, draw, dist):
    mx.random.seed(12)
    _check_discrete(draw((N,)).asnumpy(), dist)


def test_per_parameter_samples_use_their_own_parameters():
    mx.random.seed(3)
    lam = nd.array([0.5, 4.0, 30.0])
    x = nd.random.poisson(lam, shape=(N // 4,))
    assert x.shape == (3, N // 4) and x.dtype == onp.float32
    for row, value in zip(x.asnumpy(), [0.5, 4.0, 30.0]):
        _check_discrete(row, st.poisson(value))
    alpha, beta = nd.array([[0.5, 2.0], [7.0, 1.0]]), nd.array([[1.0, 3.0], [0.5, 2.0]])
    g = nd.sample_gamma(alpha=alpha, beta=beta, shape=(2, N // 8)).asnumpy()
    assert g.shape == (2, 2, 2, N // 8)
    for i in range(2):
        for j in range(2):
            _check_moments(g[i, j], st.gamma(alpha.asnumpy()[i, j], scale=beta.asnumpy()[i, j]))
    e = nd.sample_exponential(nd.array([1e-3, 1e3]), shape=N // 4).asnumpy()
    _check_moments(e[0], st.expon(scale=1e3))
    _check_moments(e[1], st.expon(scale=1e-3))
    mu, sigma = nd.array([-5.0, 5.0]), nd.array([0.1, 2.0])
    nrm = nd.sample_normal(mu, sigma, shape=N // 4).asnumpy()
    _check_ks(nrm[0], st.norm(-5, 0.1))
    _check_ks(nrm[1], st.norm(5, 2.0))
    u = nd.sample_uniform(nd.array([0.0, 10.0]), nd.array([1.0, 12.0]), shape=N // 4).asnumpy()
    _check_ks(u[1], st.uniform(10, 2))
    nb = nd.sample_negative_binomial(k=nd.array([2.0]), p=nd.array([0.5])).asnumpy()
    assert nb.shape == (1,)
    gnb = nd.sample_generalized_negative_binomial(mu=nd.array([2.0, 3.0]), alpha=nd.array([0.2, 0.0]), shape=N // 4)
    _check_discrete(gnb.asnumpy()[1], st.poisson(3.0))
    sp = nd.sample_poisson(lam=nd.array([2.0, 3.0]), shape=2, dtype="float64")
    assert sp.shape == (2, 2) and sp.dtype == onp.float64
    # nd.random.* with arrays are the same samplers
    assert nd.random.exponential(nd.array([1.0, 2.0]), shape=2).shape == (2, 2)
    assert nd.random.uniform(nd.array([1.0, 2.0]), nd.array([3.0, 4.0]), shape=(3,)).shape == (2, 3)
    assert nd.random.normal(nd.array([1.0, 2.0]), nd.array([3.0, 4.0])).shape == (2,)


def test_numpy_array_parameters_broadcast_to_size():
    mx.random.seed(4)
    scale = np.array([1.0, 100.0])
    x = np.random.exponential(scale, size=(N // 2, 2)).asnumpy()
    assert x.shape == (N // 2, 2)
    _check_moments(x[:, 0], st.expon())
    _check_moments(x[:, 1], st.expon(scale=100.0))
    assert np.random.exponential(scale).shape == (2,)
    g = np.random.gamma(np.array([1.0, 9.0]), np.array([[1.0], [2.0], [3.0]]))
    assert g.shape == (3, 2)
    b = np.random.beta(np.array([0.5, 2.0]), 2.0, size=(N // 2, 2)).asnumpy()
    _check_ks(b[:, 0], st.beta(0.5, 2.0))
    _check_ks(b[:, 1], st.beta(2.0, 2.0))
    assert np.random.beta(np.array([1.0, 2.0]), 2.0).shape == (2,)
    assert np.random.chisquare(np.array([1.0, 2.0])).shape == (2,)
    assert np.random.weibull(np.array([[1.0, 2.0]]), size=(3, 2)).shape == (3, 2)
    assert np.random.power(np.array([1.0, 2.0]), size=(3, 2)).shape == (3, 2)
    assert np.random.uniform(np.array([1.0, 2.0]), 3.0, size=(3, 2)).shape == (3, 2)
    assert np.random.gumbel(np.zeros((2, 1)), np.ones((3,))).shape == (2, 3)
    with pytest.raises(MXNetError, match="exponential: operands could not be broadcast"):
        np.random.exponential(scale, size=(2, 3))
    with pytest.raises(ValueError, match="exponential: a parameter of shape \\(3, 1\\) does not broadcast to size"):
        np.random.exponential(np.ones((3, 1)), size=(3,))


def test_shapes_and_dtypes_per_face():
    for f in (
        lambda: np.random.exponential(),
        lambda: np.random.gumbel(),
        lambda: np.random.logistic(),
        lambda: np.random.rayleigh(),
        lambda: np.random.weibull(1.0),
        lambda: np.random.pareto(1.0),
        lambda: np.random.power(1.0),
        lambda: np.random.gamma(1.0),
        lambda: np.random.beta(1.0, 1.0),
        lambda: np.random.chisquare(1.0),
        lambda: np.random.lognormal(),
        lambda: np.random.rand(),
        lambda: np.random.randn(),
    ):
        r = f()
        assert isinstance(r, np.ndarray) and r.shape == () and r.dtype == onp.float32
    assert np.random.exponential(size=3).shape == (3,)
    assert np.random.exponential(np.array([1, 2])).dtype == onp.float32  # integer parameters: float32 samples
    assert np.random.gamma(np.array([1.0, 2.0], dtype="float64")).dtype == onp.float32
    assert np.random.gamma(2.0, size=2, dtype="float64").dtype == onp.float64
    assert np.random.beta(2.0, 3.0, size=(2, 2), dtype="float64").dtype == onp.float64
    assert np.random.rand(2, 3, dtype="float64").dtype == onp.float64
    assert np.random.randn(2, 3).shape == (2, 3)
    assert np.random.exponential(2.0, size=(2, 0)).shape == (2, 0)
    assert np.random.exponential(2.0, size=3, ctx=mx.cpu()).shape == (3,)
    out = np.zeros((3, 2))
    r = np.random.pareto(2.0, size=(3, 2), out=out)
    assert r is out and (out.asnumpy() > 0).all()
    out = np.zeros((3,))
    assert np.random.uniform(size=3, out=out) is out and np.random.normal(out=out) is out
    out = np.zeros((4,), dtype="float64")
    assert np.random.gamma(2.0, out=out) is out and (out.asnumpy() > 0).all()
    m = np.random.multinomial(10, [0.2, 0.8], size=3)
    assert m.dtype == onp.int64 and m.shape == (3, 2) and (m.asnumpy().sum(axis=1) == 10).all()
    assert np.random.multinomial(10, np.array([0.2, 0.3, 0.5]), size=(2, 3)).shape == (2, 3, 3)
    assert np.random.multinomial(10, (0.2, 0.8)).shape == (2,)
    assert np.random.multinomial(10, [0.5]).asnumpy().tolist() == [10]
    assert np.random.multinomial(0, [0.2, 0.8]).asnumpy().tolist() == [0, 0]
    # nd.random: numbers give shape (default (1,)), float32 unless dtype says otherwise
    for f in (
        lambda **k: nd.random.poisson(2.0, **k),
        lambda **k: nd.random.exponential(2.0, **k),
        lambda **k: nd.random.gamma(2.0, 3.0, **k),
        lambda **k: nd.random.negative_binomial(3, 0.4, **k),
        lambda **k: nd.random.generalized_negative_binomial(2.0, 0.3, **k),
        lambda **k: mx.random.poisson(2.0, **k),
        lambda **k: mx.random.exponential(**k),
        lambda **k: mx.random.gamma(**k),
        lambda **k: mx.random.negative_binomial(**k),
        lambda **k: mx.random.generalized_negative_binomial(**k),
    ):
        r = f()
        assert isinstance(r, nd.NDArray) and r.shape == (1,) and r.dtype == onp.float32
        assert f(shape=(2, 3), dtype="float64").shape == (2, 3)
        assert f(shape=(2, 3), dtype="float64").dtype == onp.float64
        out = nd.zeros((2, 2))
        assert f(out=out) is out
    assert nd.random.NDArray is nd.NDArray
    assert nd.random.poisson(nd.array([1.0, 2.0], dtype="float64")).dtype == onp.float32
    like = nd.random.uniform_like(nd.zeros((2, 3), dtype="float64"))
    assert like.shape == (2, 3) and like.dtype == onp.float64
    for f in (
        nd.random.uniform_like,
        nd.random.normal_like,
        nd.random.exponential_like,
        nd.random.gamma_like,
        nd.random.poisson_like,
        nd.random.negative_binomial_like,
        nd.random.generalized_negative_binomial_like,
    ):
        assert f(nd.zeros((4, 1))).shape == (4, 1)
        assert f(data=nd.zeros((2,))).dtype == onp.float32
    assert nd.random_gamma(2.0, 1.0, shape=(3,)).shape == (3,)
    assert nd.random_poisson(shape=2).shape == (2,)
    assert nd.random_exponential(shape=(2, 2), dtype="float64").dtype == onp.float64


def test_categorical_multinomial():
    mx.random.seed(5)
    p = nd.array([0.2, 0.3, 0.5])
    r = nd.random.multinomial(p)
    assert r.shape == (1,) and r.dtype == onp.int32
    x = nd.random.multinomial(p, shape=N).asnumpy()
    assert x.shape == (N,)
    counts = onp.bincount(x, minlength=3)
    assert st.chisquare(counts, onp.array([0.2, 0.3, 0.5]) * N).pvalue > 1e-4
    two = nd.random.multinomial(nd.array([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]]), shape=(4,))
    assert two.shape == (2, 4) and (two.asnumpy()[1] == 1).all()
    assert nd.random.multinomial(nd.array([[0.5, 0.5, 0.0]] * 3)).shape == (3,)
    s, logp = nd.random.multinomial(p, shape=(2, 3), get_prob=True)
    assert s.shape == logp.shape == (2, 3) and logp.dtype == onp.float32
    onp.testing.assert_allclose(logp.asnumpy(), onp.log(onp.array([0.2, 0.3, 0.5])[s.asnumpy()]), rtol=1e-6)
    _, lp64 = nd.random.multinomial(nd.array([0.2, 0.8], dtype="float64"), get_prob=True)
    assert lp64.dtype == onp.float64
    assert nd.random.multinomial(p, dtype="float32").dtype == onp.float32
    assert nd.sample_multinomial(p, shape=3).shape == (3,)
    assert mx.random.multinomial(p, shape=3).dtype == onp.int32
    out = nd.zeros((5,), dtype="int32")
    assert nd.random.multinomial(p, shape=5, out=out) is out
    with pytest.raises(MXNetError, match="multinomial: data must be float32 or float64"):
        nd.random.multinomial(nd.array([1, 0], dtype="int32"))
    with pytest.raises(ValueError, match="multinomial: the probabilities .* must sum to 1"):
        nd.random.multinomial(nd.array([0.2, 0.3, 0.9]))
    with pytest.raises(ValueError, match="multinomial: probabilities must be >= 0"):
        nd.random.multinomial(nd.array([-0.2, 0.3, 0.9]))
    with pytest.raises(MXNetError, match="multinomial: dtype must be int32, uint8, float32 or float64"):
        nd.random.multinomial(p, dtype="int64")


def test_multinomial_counts():
    mx.random.seed(6)
    pvals = [0.1, 0.2, 0.3, 0.4]
    m = np.random.multinomial(50, pvals, size=N // 2).asnumpy()
    assert (m.sum(axis=1) == 50).all()
    onp.testing.assert_allclose(m.mean(axis=0), 50 * onp.array(pvals), atol=0.05)
    expected_cov = 50 * (onp.diag(pvals) - onp.outer(pvals, pvals))
    onp.testing.assert_allclose(onp.cov(m.T), expected_cov, atol=0.25)
    big = np.random.multinomial(10**7, [0.5, 0.5], size=1000).asnumpy()
    _check_moments(big[:, 0], st.binom(10**7, 0.5))


def test_multivariate_normal():
    mx.random.seed(7)
    mean = np.array([1.0, -2.0, 0.5], dtype="float64")
    cov = np.array([[2.0, 0.6, 0.2], [0.6, 1.0, -0.3], [0.2, -0.3, 0.5]], dtype="float64")
    x = np.random.multivariate_normal(mean, cov, size=N)
    assert x.shape == (N, 3) and x.dtype == onp.float64
    v = x.asnumpy()
    onp.testing.assert_allclose(v.mean(axis=0), mean.asnumpy(), atol=0.03)
    onp.testing.assert_allclose(onp.cov(v.T), cov.asnumpy(), atol=0.03)
    _check_ks(v[:, 1], st.norm(-2.0, 1.0))
    f32 = np.random.multivariate_normal(np.array([0.0, 1.0]), np.array([[1.0, 0.5], [0.5, 2.0]]))
    assert f32.shape == (2,) and f32.dtype == onp.float32
    assert np.random.multivariate_normal(np.zeros((2, 2)), np.eye(2), size=3).shape == (3, 2, 2)
    assert np.random.multivariate_normal(np.zeros(2), np.eye(2), size=(4, 3)).shape == (4, 3, 2)
    batch = np.random.multivariate_normal(np.zeros(2), np.stack([np.eye(2), 100 * np.eye(2)]), size=N // 4)
    assert batch.shape == (N // 4, 2, 2)
    s = batch.asnumpy().std(axis=0)
    onp.testing.assert_allclose(s, [[1, 1], [10, 10]], rtol=0.03)
    with pytest.raises(ValueError, match="multivariate_normal: cov must be symmetric positive definite"):
        np.random.multivariate_normal(np.array([0.0, 1.0]), np.array([[1.0, 2.0], [2.0, 1.0]]), size=3)
    with pytest.raises(ValueError, match="multivariate_normal: the last two dimensions of cov must be equal"):
        np.random.multivariate_normal(np.array([0.0, 1.0]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    with pytest.raises(NotImplementedError, match="multivariate_normal: argument 'check_valid='warn''"):
        np.random.multivariate_normal(np.zeros(2), np.eye(2), check_valid="warn")
    assert_library_usable()


def test_seed_reproduces_every_distribution():
    def draws():
        return [
            np.random.exponential(size=(50,)),
            np.random.gamma(0.5, size=(50,)),
            np.random.gamma(np.array([3.0, 0.2]), size=(25, 2)),
            np.random.beta(2.0, 3.0, size=(50,)),
            np.random.chisquare(2.0, size=(50,)),
            np.random.gumbel(size=(50,)),
            np.random.logistic(size=(50,)),
            np.random.lognormal(size=(50,)),
            np.random.pareto(2.0, size=(50,)),
            np.random.power(2.0, size=(50,)),
            np.random.rayleigh(size=(50,)),
            np.random.weibull(2.0, size=(50,)),
            np.random.multinomial(100, [0.3, 0.7], size=(20,)),
            np.random.multivariate_normal(np.zeros(2), np.eye(2), size=(10,)),
            np.random.rand(5),
            np.random.randn(5),
            nd.random.poisson(30.0, shape=(50,)),
            nd.random.negative_binomial(2, 0.5, shape=(50,)),
            nd.random.generalized_negative_binomial(2.0, 0.5, shape=(50,)),
            nd.random.multinomial(nd.array([0.2, 0.8]), shape=(50,)),
            nd.sample_gamma(nd.array([1.0, 2.0]), nd.array([1.0, 1.0]), shape=(20,)),
        ]

    mx.random.seed(42)
    first = [d.asnumpy() for d in draws()]
    mx.random.seed(42)
    second = [d.asnumpy() for d in draws()]
    for a, b in zip(first, second):
        onp.testing.assert_array_equal(a, b)
    np.random.seed(43)
    assert not onp.array_equal(np.random.exponential(size=(50,)).asnumpy(), first[0])
    # a large draw (filled in parallel) is the same whatever the split of the work
    mx.random.seed(9)
    big = np.random.gamma(0.7, size=(300_001,), dtype="float64").asnumpy()
    mx.random.seed(9)
    again = np.random.gamma(0.7, size=(300_001,), dtype="float64").asnumpy()
    onp.testing.assert_array_equal(big, again)


INVALID = [
    (lambda: np.random.exponential(-1.0, size=3), ValueError, "exponential: scale must be >= 0"),
    (lambda: np.random.exponential(np.array([-1.0, 2.0])), ValueError, "exponential: scale must be >= 0"),
    (lambda: np.random.gamma(-1.0, size=2), ValueError, "gamma: shape must be > 0"),
    (lambda: np.random.gamma(1.0, -1.0, size=2), ValueError, "gamma: scale must be > 0"),
    (lambda: np.random.gamma(0.0, size=2), ValueError, "gamma: shape must be > 0"),
    (lambda: np.random.beta(-1.0, 1.0, size=2), ValueError, "beta: a must be > 0"),
    (lambda: np.random.beta(1.0, 0.0, size=2), ValueError, "beta: b must be > 0"),
    (lambda: np.random.chisquare(-1.0, size=2), ValueError, "chisquare: df must be > 0"),
    (lambda: np.random.weibull(0.0, size=2), ValueError, "weibull: a must be > 0"),
    (lambda: np.random.pareto(-1.0, size=2), ValueError, "pareto: a must be > 0"),
    (lambda: np.random.power(-1.0, size=2), ValueError, "power: a must be > 0"),
    (lambda: np.random.rayleigh(-1.0, size=2), ValueError, "rayleigh: scale must be >= 0"),
    (lambda: np.random.gumbel(0.0, -1.0, size=2), ValueError, "gumbel: scale must be >= 0"),
    (lambda: np.random.logistic(0.0, -1.0, size=2), ValueError, "logistic: scale must be >= 0"),
    (lambda: np.random.lognormal(0.0, -1.0, size=2), ValueError, "lognormal: sigma must be >= 0"),
    (lambda: np.random.normal(np.array([0.0]), -1.0), ValueError, "normal: scale must be >= 0"),
    (lambda: np.random.exponential(1.0, size=(-1,)), ValueError, "exponential: negative dimensions"),
    (lambda: np.random.multinomial(10, [0.2, 0.9]), ValueError, "multinomial: sum\\(pvals\\) > 1.0"),
    (lambda: np.random.multinomial(10, [-0.2, 0.9]), ValueError, "multinomial: pvals must be in \\[0, 1\\]"),
    (lambda: np.random.multinomial(-1, [0.2, 0.8]), ValueError, "multinomial: n must be >= 0"),
    (lambda: np.random.multinomial(10, [[0.2, 0.8]]), ValueError, "multinomial: pvals must be 1-dimensional"),
    (lambda: np.random.multinomial(10, [0.2, 0.8], foo=1), TypeError, "multinomial\\(\\) got unexpected keyword"),
    (lambda: np.random.exponential(size=3, ctx=mx.gpu()), NotImplementedError, "exponential: ctx="),
    (lambda: nd.random.poisson(-1.0, shape=2), ValueError, "poisson: lam must be >= 0"),
    (lambda: nd.random.poisson(nd.array([-1.0]), shape=2), ValueError, "poisson: lam must be >= 0"),
    (lambda: nd.random.exponential(-1.0, shape=2), ValueError, "exponential: scale must be >= 0"),
    (lambda: nd.random.gamma(-1.0, 1.0, shape=2), ValueError, "gamma: alpha must be > 0"),
    (lambda: nd.random.gamma(nd.array([-1.0]), nd.array([1.0])), ValueError, "gamma: alpha must be > 0"),
    (lambda: nd.random.gamma(1.0, -1.0, shape=2), ValueError, "gamma: beta must be > 0"),
    (lambda: nd.random.negative_binomial(-1, 0.5, shape=2), ValueError, "negative_binomial: k must be >= 0"),
    (lambda: nd.random.negative_binomial(1, 1.5, shape=2), ValueError, "negative_binomial: p must be in \\(0, 1\\]"),
    (lambda: nd.random.negative_binomial(1, 0.0, shape=2), ValueError, "negative_binomial: p must be in \\(0, 1\\]"),
    (
        lambda: nd.random.generalized_negative_binomial(-1, 0.5, shape=2),
        ValueError,
        "generalized_negative_binomial: mu must be >= 0",
    ),
    (
        lambda: nd.random.generalized_negative_binomial(1, -0.5, shape=2),
        ValueError,
        "generalized_negative_binomial: alpha must be >= 0",
    ),
    (lambda: nd.random.gamma(nd.array([1.0]), 2.0), AssertionError, "gamma: distribution parameters must all"),
    (lambda: nd.random.poisson(2, shape=3, dtype="int32"), MXNetError, "poisson: dtype must be float32 or float64"),
    (lambda: nd.random.poisson(2, foo=3), TypeError, "poisson\\(\\) got unexpected keyword"),
    (lambda: nd.random_exponential(lam=0.0, shape=2), ValueError, "random_exponential: lam must be > 0"),
    (lambda: nd.random_gamma(), ValueError, "random_gamma: shape is required"),
    (lambda: nd.random_gamma(nd.array([1.0]), shape=2), TypeError, "random_gamma: alpha must be a number"),
    (lambda: nd.sample_exponential(nd.array([0.0])), ValueError, "sample_exponential: lam must be > 0"),
    (lambda: nd.sample_normal(nd.array([1.0]), nd.array([-1.0])), ValueError, "sample_normal: sigma must be >= 0"),
    (
        lambda: nd.sample_normal(nd.array([1.0, 2.0]), nd.array([1.0, 2.0, 3.0])),
        MXNetError,
        "sample_normal: the parameters must have one shape",
    ),
    (lambda: nd.sample_poisson(nd.array([1.0]), shape=(-2,)), ValueError, "sample_poisson: negative dimensions"),
    (lambda: nd.random.poisson_like(nd.zeros((2,), dtype="int32")), MXNetError, "poisson_like: dtype must be float"),
    (lambda: nd.random.normal_like(nd.zeros((2,)), scale=-1), ValueError, "normal_like: scale must be >= 0"),
    (lambda: nd.random.exponential_like(nd.zeros((2,)), lam=-1), ValueError, "exponential_like: lam must be > 0"),
    (lambda: nd.random.normal_like(nd.zeros((2,)), foo=-1), TypeError, "normal_like\\(\\) got unexpected keyword"),
]


@pytest.mark.parametrize("call,kind,message", INVALID, ids=[m for _, _, m in INVALID])
def test_invalid_parameters_raise_naming_the_function(call, kind, message):
    with pytest.raises(kind, match=message):
        call()
    assert_library_usable()


def test_samples_are_not_differentiable():
    from mxnet import autograd

    lam = nd.array([2.0, 3.0])
    lam.attach_grad()
    with autograd.record():
        y = nd.random.poisson(lam, shape=4) * lam.reshape((2, 1))
    y.backward()
    # the gradient reaches lam through the product only: d(x * lam)/d lam = x
    onp.testing.assert_allclose(lam.grad.asnumpy(), (y / lam.reshape((2, 1))).asnumpy().sum(axis=1), rtol=1e-5)
