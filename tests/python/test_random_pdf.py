"""nd.random_pdf_*: densities against scipy.stats (batched parameters, is_log
both ways, float32 and float64), MXNet 1.9.1's recorded values where MXNet
departs from the textbook density (no support checks, unnormalised Dirichlet
samples), gradients in the sample and the parameters against float64 finite
differences (first and second order), MXNet's zero sample gradient for the
uniform and discrete densities, and errors naming the op."""

import numpy as onp
import pytest
from scipy import stats

from gradcheck import check_gradient
from mxnet import autograd, nd
from mxnet.base import MXNetError

RNG = onp.random.default_rng(7)
P_SHAPE = (2, 3)  # parameters: 2 x 3 distributions
S_SHAPE = P_SHAPE + (4,)  # four samples of each


def positive(lo, hi, shape=P_SHAPE):
    return RNG.uniform(lo, hi, shape)


def counts(shape=S_SHAPE):
    return RNG.integers(0, 8, shape).astype(onp.float64)


def expand(p, sample):
    """Parameters broadcast against the samples (P + (1,) * len(S))."""
    return p.reshape(p.shape + (1,) * (sample.ndim - p.ndim))


# name -> (mxnet function, parameter names, make (sample, params), scipy logpdf(sample, *params))
LOW, WIDTH = RNG.uniform(-2, 2, P_SHAPE), positive(0.5, 3)
CASES = {
    "uniform": (
        nd.random_pdf_uniform,
        ("low", "high"),
        lambda: (
            expand(LOW, onp.zeros(S_SHAPE)) + RNG.uniform(0, 1, S_SHAPE) * expand(WIDTH, onp.zeros(S_SHAPE)),
            [LOW, LOW + WIDTH],
        ),
        lambda x, lo, hi: stats.uniform.logpdf(x, lo, hi - lo),
    ),
    "normal": (
        nd.random_pdf_normal,
        ("mu", "sigma"),
        lambda: (RNG.normal(0, 2, S_SHAPE), [RNG.normal(0, 1, P_SHAPE), positive(0.5, 2)]),
        lambda x, mu, sigma: stats.norm.logpdf(x, mu, sigma),
    ),
    "gamma": (
        nd.random_pdf_gamma,
        ("alpha", "beta"),
        lambda: (RNG.uniform(0.2, 5, S_SHAPE), [positive(0.5, 4), positive(0.3, 2)]),
        lambda x, a, b: stats.gamma.logpdf(x, a, scale=1 / b),
    ),
    "exponential": (
        nd.random_pdf_exponential,
        ("lam",),
        lambda: (RNG.uniform(0, 4, S_SHAPE), [positive(0.3, 3)]),
        lambda x, lam: stats.expon.logpdf(x, scale=1 / lam),
    ),
    "poisson": (
        nd.random_pdf_poisson,
        ("lam",),
        lambda: (counts(), [positive(0.5, 6)]),
        lambda x, lam: stats.poisson.logpmf(x, lam),
    ),
    "negative_binomial": (
        nd.random_pdf_negative_binomial,
        ("k", "p"),
        lambda: (counts(), [positive(0.5, 5), positive(0.2, 0.8)]),
        lambda x, k, p: stats.nbinom.logpmf(x, k, p),
    ),
    "generalized_negative_binomial": (
        nd.random_pdf_generalized_negative_binomial,
        ("mu", "alpha"),
        lambda: (counts(), [positive(0.5, 5), positive(0.2, 2)]),
        lambda x, mu, alpha: stats.nbinom.logpmf(x, 1 / alpha, 1 / (1 + mu * alpha)),
    ),
}
CONTINUOUS = ("normal", "gamma", "exponential")  # differentiable in the sample
NO_SAMPLE_GRADIENT = ("uniform", "poisson", "negative_binomial", "generalized_negative_binomial")


def call(name, sample, params, is_log=False, dtype="float64"):
    fn, names, _, _ = CASES[name]
    kwargs = {n: nd.array(p, dtype=dtype) for n, p in zip(names, params)}
    return fn(sample=nd.array(sample, dtype=dtype), is_log=is_log, **kwargs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("is_log", [False, True])
@pytest.mark.parametrize("name", list(CASES))
def test_values_match_scipy(name, is_log, dtype):
    _, _, make, logpdf = CASES[name]
    sample, params = make()
    expected = logpdf(sample, *[expand(p, sample) for p in params])
    if not is_log:
        expected = onp.exp(expected)
    got = call(name, sample, params, is_log, dtype)
    assert isinstance(got, nd.NDArray) and got.shape == S_SHAPE and got.dtype == onp.dtype(dtype)
    tol = 1e-5 if dtype == "float32" else 1e-12
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=tol * 10, atol=tol)


@pytest.mark.parametrize("name", list(CASES))
def test_sample_of_the_parameters_shape(name):
    """One sample per distribution (S empty), and a 0-d parameter set for any sample."""
    _, _, make, logpdf = CASES[name]
    sample, params = make()
    first = sample[..., 0]
    got = call(name, first, params, is_log=True).asnumpy()
    assert got.shape == P_SHAPE
    onp.testing.assert_allclose(got, logpdf(first, *params), rtol=1e-12)
    scalar = [p[0, 0] for p in params]
    got = call(name, sample, scalar, is_log=True).asnumpy()
    if name == "uniform":  # the samples of the other distributions lie outside this one's support (not checked)
        sample = onp.clip(sample, scalar[0], scalar[1] - 1e-9)
    onp.testing.assert_allclose(got, logpdf(sample, *scalar), rtol=1e-12)


def dirichlet_case():
    alpha = RNG.uniform(0.5, 3, (2, 3))  # two distributions over 3 categories
    sample = RNG.dirichlet([1, 1, 1], (2, 4))  # four samples of each: (2, 4, 3)
    return sample, alpha


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("is_log", [False, True])
def test_dirichlet_matches_scipy(is_log, dtype):
    sample, alpha = dirichlet_case()
    expected = onp.array([[stats.dirichlet.logpdf(x, a) for x in xs] for xs, a in zip(sample, alpha)])
    if not is_log:
        expected = onp.exp(expected)
    got = nd.random_pdf_dirichlet(nd.array(sample, dtype=dtype), nd.array(alpha, dtype=dtype), is_log=is_log)
    assert got.shape == (2, 4) and got.dtype == onp.dtype(dtype)
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=1e-4 if dtype == "float32" else 1e-12)
    # One alpha for every sample; one sample per distribution.
    got = nd.random_pdf_dirichlet(nd.array(sample), nd.array(alpha[0]), is_log=True).asnumpy()
    expected = stats.dirichlet.logpdf(sample.reshape(-1, 3).T, alpha[0]).reshape(2, 4)
    onp.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    got = nd.random_pdf_dirichlet(nd.array(sample[:, 0]), nd.array(alpha), is_log=True).asnumpy()
    expected = [stats.dirichlet.logpdf(x, a) for x, a in zip(sample[:, 0], alpha)]
    onp.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_mxnet_recorded_values():
    """Where MXNet computes its formula without checking the support: values
    recorded from MXNet 1.9.1 (its docstring's Dirichlet case included)."""
    s = [[[1, 2, 3], [10, 20, 30], [100, 200, 300]], [[0.1, 0.2, 0.3], [0.01, 0.02, 0.03], [0.001, 0.002, 0.003]]]
    got = nd.random_pdf_dirichlet(nd.array(s), nd.array([0.1, 0.4, 0.9]))
    expected = [[0.023257458582520485, 0.0005842010723426938, 1.4674471458420157e-05],
                [0.925896167755127, 36.86058807373047, 1467.44677734375]]  # fmt: skip
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=2e-6)
    got = nd.random_pdf_dirichlet(nd.array(s), nd.array([0.1, 0.4, 0.9]), is_log=True)
    expected = [[-3.761129379272461, -7.445265293121338, -11.129401206970215],
                [-0.07699320465326309, 3.607142925262451, 7.291279315948486]]  # fmt: skip
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=2e-6, atol=1e-6)
    # A single vector sample gives shape (1,).
    got = nd.random_pdf_dirichlet(nd.array([0.2, 0.3, 0.5]), nd.array([1, 2, 3]))
    assert got.shape == (1,)
    onp.testing.assert_allclose(got.asnumpy(), [4.5], rtol=1e-6)
    # Uniform: 1 / (high - low) also outside [low, high).
    x = nd.array([[-5, 0.5, 20], [1, 2, 3]])
    got = nd.random_pdf_uniform(x, nd.array([0, 1]), nd.array([1, 5]))
    onp.testing.assert_allclose(got.asnumpy(), [[1, 1, 1], [0.25, 0.25, 0.25]])
    got = nd.random_pdf_uniform(x, nd.array([0, 1]), nd.array([1, 5]), is_log=True)
    onp.testing.assert_allclose(got.asnumpy(), [[0, 0, 0], [-1.3862943649291992] * 3], rtol=1e-7)
    # Exponential at a negative sample, Poisson at fractional counts (through lgamma).
    got = nd.random_pdf_exponential(nd.array([[-1, 2]]), nd.array([2]))
    onp.testing.assert_allclose(got.asnumpy(), [[14.778112411499023, 0.036631278693675995]], rtol=1e-6)
    got = nd.random_pdf_poisson(nd.array([[0.5, 2.5]]), nd.array([2]))
    onp.testing.assert_allclose(got.asnumpy(), [[0.21596387028694153, 0.2303614467382431]], rtol=1e-6)
    got = nd.random_pdf_generalized_negative_binomial(
        nd.array([[1, 2, 3, 4], [1, 2, 3, 4]]), alpha=nd.array([1, 0.6666]), mu=nd.array([1, 1.5])
    )
    expected = [[0.25, 0.125, 0.0625, 0.03125], [0.2651706337928772, 0.16573330760002136, 0.09667706489562988,
                                                 0.05437994375824928]]  # fmt: skip
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=1e-6)
    # The docstring's negative binomial, with a real-valued k.
    got = nd.random_pdf_negative_binomial(nd.array([[1, 2, 3, 4]] * 2), k=nd.array([1, 1.5]), p=nd.array([0.5, 0.5]))
    expected = [[0.25, 0.125, 0.0625, 0.03125], [0.26516506, 0.16572815, 0.09667476, 0.05437956]]
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=1e-6)


# ---- gradients -------------------------------------------------------------------
SMALL_P, SMALL_S = (2,), (2, 3)


def small_case(name):
    """A small float64 case: (sample, params) inside the domain."""
    rng = onp.random.default_rng(11)
    pos = lambda lo, hi: rng.uniform(lo, hi, SMALL_P)  # noqa: E731
    if name == "uniform":
        low = rng.uniform(-1, 1, SMALL_P)
        return rng.uniform(-1, 2, SMALL_S), [low, low + pos(1, 2)]
    if name == "normal":
        return rng.normal(0, 1, SMALL_S), [rng.normal(0, 1, SMALL_P), pos(0.5, 2)]
    if name == "gamma":
        return rng.uniform(0.5, 3, SMALL_S), [pos(1, 3), pos(0.5, 2)]
    if name == "exponential":
        return rng.uniform(0.1, 2, SMALL_S), [pos(0.5, 2)]
    if name == "poisson":
        return rng.integers(0, 5, SMALL_S).astype(float), [pos(0.5, 4)]
    if name == "negative_binomial":
        return rng.integers(0, 5, SMALL_S).astype(float), [pos(1, 4), pos(0.3, 0.7)]
    return rng.integers(0, 5, SMALL_S).astype(float), [pos(0.5, 3), pos(0.3, 1.5)]


def pdf_function(name, is_log, sample=None):
    """f(*arrays) for check_gradient: (sample, *params), or (*params) with the sample fixed."""
    fn, names, _, _ = CASES[name]

    def f(*arrays):
        if sample is None:
            x, params = arrays[0], arrays[1:]
        else:
            x, params = nd.array(sample, dtype="float64"), arrays
        return fn(x, *params, is_log=is_log)

    return f


def second_order(f):
    """The first gradient of sum(f * w) as a function of the inputs (recorded
    with create_graph=True), so check_gradient checks second derivatives."""
    weights = {}

    def weighted(variables):
        out = f(*variables)
        if "w" not in weights:
            weights["w"] = nd.array(onp.random.default_rng(3).standard_normal(out.shape), dtype="float64")
        return (out * weights["w"]).sum()

    def first_gradient(*vars_):
        if autograd.is_recording():  # check_gradient's pass: vars_ are its attached inputs
            variables = list(vars_)
            head = weighted(variables)
        else:  # a finite-difference point: differentiate fresh copies
            variables = [v.copy() for v in vars_]
            for v in variables:
                v.attach_grad()
            with autograd.record():
                head = weighted(variables)
        grads = autograd.grad(head, variables, create_graph=True, retain_graph=True)
        tie = 0.0 * sum(v.sum() for v in variables)  # keep constant gradients tied to the inputs
        return tuple(g + tie for g in grads)

    return first_gradient


@pytest.mark.parametrize("is_log", [False, True])
@pytest.mark.parametrize("name", list(CASES))
def test_gradients(name, is_log):
    sample, params = small_case(name)
    if name in CONTINUOUS:
        check_gradient(pdf_function(name, is_log), sample, *params, rtol=1e-5, atol=1e-8)
    else:  # MXNet passes no gradient to these samples (checked below): the parameters only
        check_gradient(pdf_function(name, is_log, sample), *params, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("is_log", [False, True])
@pytest.mark.parametrize("name", list(CASES))
def test_second_derivatives(name, is_log):
    sample, params = small_case(name)
    if name in CONTINUOUS:
        f = pdf_function(name, is_log)
        check_gradient(second_order(f), sample, *params, rtol=1e-4, atol=1e-7)
    else:
        f = pdf_function(name, is_log, sample)
        check_gradient(second_order(f), *params, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("is_log", [False, True])
def test_dirichlet_gradients(is_log):
    rng = onp.random.default_rng(5)
    sample, alpha = rng.dirichlet([2, 2, 2], (2, 2)), rng.uniform(0.8, 3, (2, 3))

    def f(x, a):
        return nd.random_pdf_dirichlet(x, a, is_log=is_log)

    check_gradient(f, sample, alpha, rtol=1e-5, atol=1e-8)
    check_gradient(second_order(f), sample, alpha, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("name", NO_SAMPLE_GRADIENT)
def test_sample_gradient_is_zero_as_in_mxnet(name):
    """MXNet 1.9.1's gradient in the sample is 0 for uniform and the discrete
    densities (their parameters' gradients are exact)."""
    sample, params = small_case(name)
    fn = CASES[name][0]
    x = nd.array(sample, dtype="float64")
    ps = [nd.array(p, dtype="float64") for p in params]
    for v in [x] + ps:
        v.attach_grad()
    with autograd.record():
        y = fn(x, *ps, is_log=True)
    y.backward(retain_graph=True)
    assert x.grad.asnumpy().tolist() == onp.zeros(SMALL_S).tolist()
    assert all(onp.abs(p.grad.asnumpy()).sum() > 0 for p in ps)
    # The sample is part of the graph, as in MXNet: autograd.grad gives zeros.
    (gx,) = autograd.grad(y, [x])
    assert gx.asnumpy().tolist() == onp.zeros(SMALL_S).tolist()


def test_mxnet_recorded_gradients():
    """Gradients recorded from MXNet 1.9.1 (head gradient 1..n over the outputs)."""
    s = nd.array([[1.0, 2, 3], [4, 5, 6]], dtype="float64")
    mu, sigma = nd.array([0.0, 1], dtype="float64"), nd.array([1.0, 2], dtype="float64")
    for v in (s, mu, sigma):
        v.attach_grad()
    with autograd.record():
        y = nd.random_pdf_normal(s, mu, sigma)
    y.backward(nd.array(onp.arange(1, 7).reshape(2, 3), dtype="float64"))
    onp.testing.assert_allclose(s.grad.asnumpy().ravel(), [-0.24197, -0.21596, -0.03989, -0.19428, -0.13498, -0.06573],
                                atol=1e-5)  # fmt: skip
    onp.testing.assert_allclose(mu.grad.asnumpy(), [0.49782, 0.39498], atol=1e-5)
    onp.testing.assert_allclose(sigma.grad.asnumpy(), [0.43031, 0.5024], atol=1e-5)


# ---- arguments and errors ---------------------------------------------------------
def test_keywords_out_and_flags():
    s, mu, sigma = nd.array([[1, 2, 3], [4, 5, 6]]), nd.array([0, 1]), nd.array([1, 2])
    expected = stats.norm.logpdf(s.asnumpy(), [[0], [1]], [[1], [2]])
    onp.testing.assert_allclose(nd.random_pdf_normal(sample=s, mu=mu, sigma=sigma, is_log=1).asnumpy(), expected, 1e-6)
    out = nd.zeros((2, 3))
    r = nd.random_pdf_normal(s, mu, sigma, True, out=out, name="pdf")
    assert r is out
    onp.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-6)
    lam = nd.array([1.0, 0.5])
    onp.testing.assert_allclose(
        nd.random_pdf_exponential(s, lam=lam).asnumpy(), stats.expon.pdf(s.asnumpy(), scale=[[1], [2]]), rtol=1e-6
    )
    # Empty batches work.
    assert nd.random_pdf_normal(nd.zeros((2, 0)), mu, sigma).shape == (2, 0)


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda s, p: nd.random_pdf_normal(s, p, nd.array([1, 1, 1])),
            r"random_pdf_normal: .*one shape.*\(2,\).*\(3,\)",
        ),
        (
            lambda s, p: nd.random_pdf_normal(s, nd.array([[0, 1]]), nd.array([[1, 1]])),
            r"random_pdf_normal: the parameter shape \(1, 2\) must lead the sample shape \(2, 3\)",
        ),
        (lambda s, p: nd.random_pdf_gamma(s, nd.ones((2, 3, 1)), nd.ones((2, 3, 1))), r"random_pdf_gamma: .*must lead"),
        (lambda s, p: nd.random_pdf_poisson(s, nd.array([1, 2, 3])), r"random_pdf_poisson: .*\(3,\).*\(2, 3\)"),
        (lambda s, p: nd.random_pdf_dirichlet(s, nd.array([1, 2])), r"random_pdf_dirichlet: alpha of shape \(2,\)"),
        (lambda s, p: nd.random_pdf_dirichlet(s, nd.array([[1, 2, 3]])), r"random_pdf_dirichlet: .*\(1, 3\).*\(2, 3\)"),
        (lambda s, p: nd.random_pdf_dirichlet(s, nd.array(1.0)), r"random_pdf_dirichlet: alpha of shape \(\)"),
        (lambda s, p: nd.random_pdf_normal(s, p), r"random_pdf_normal: the required argument 'sigma' is missing"),
        (lambda s, p: nd.random_pdf_uniform(None, p, p), r"random_pdf_uniform: .*'sample' is missing"),
    ],
)
def test_shape_errors_name_the_op(call, match):
    s, p = nd.array([[1, 2, 3], [4, 5, 6]]), nd.array([0.5, 1])
    with pytest.raises(MXNetError, match=match):
        call(s, p)


def test_dtype_and_argument_errors():
    s, p = nd.array([[1, 2, 3], [4, 5, 6]]), nd.array([0.5, 1])
    with pytest.raises(TypeError, match=r"random_pdf_normal: .*share one dtype.*float32.*float64"):
        nd.random_pdf_normal(s, p.astype("float64"), p)
    with pytest.raises(TypeError, match=r"random_pdf_exponential: .*float32 or float64, got sample of dtype int32"):
        nd.random_pdf_exponential(s.astype("int32"), p.astype("int32"))
    with pytest.raises(MXNetError):  # also an MXNetError, as in MXNet
        nd.random_pdf_exponential(s, p.astype("int64"))
    with pytest.raises(TypeError, match="random_pdf_poisson: is_log must be a boolean"):
        nd.random_pdf_poisson(s, p, is_log="yes")
    with pytest.raises(TypeError, match="unexpected keyword argument.*foo"):
        nd.random_pdf_poisson(s, p, foo=1)
    with pytest.raises(MXNetError, match="random_pdf_normal"):
        nd.random_pdf_normal(s, p, p, out=nd.zeros((3, 2)))
