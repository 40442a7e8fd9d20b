"""nd.contrib.BilinearResize2D (also mx.contrib.nd): output shapes, values and input
gradients against real MXNet 1.9.1 (fixtures/bilinear_resize_mxnet_1_9_1.npz, made by
fixtures/make_bilinear_resize_fixtures.py over its CASES table) in every mode with
align_corners True and False; float64 finite differences of first and second order;
hybridized equals imperative; MXNet's errors."""

import pathlib
import sys

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, gluon, nd
from mxnet.base import MXNetError

from gradcheck import check_gradient

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_bilinear_resize_fixtures import CASES  # noqa: E402

REF = onp.load(FIXTURES / "bilinear_resize_mxnet_1_9_1.npz")
resize = nd.contrib.BilinearResize2D
TABLE = [(i, align) for i in range(len(CASES)) for align in (True, False)]


def _case_id(case):
    i, align = case
    shape, like_shape, kwargs, dtype = CASES[i]
    mode = kwargs.get("mode", "size")
    return f"{i}-{mode}-{'x'.join(map(str, shape))}-{'ac' if align else 'noac'}-{dtype}"


@pytest.mark.parametrize("case", TABLE, ids=_case_id)
def test_values_and_gradient_match_mxnet(case):
    i, align = case
    shape, like_shape, kwargs, dtype = CASES[i]
    key = f"{i}_{int(align)}"
    x = nd.array(REF[f"{i}_x"], dtype=dtype)
    x.attach_grad()
    like = None
    if like_shape is not None:
        like = nd.array(onp.random.RandomState(i).uniform(-1, 1, like_shape), dtype=dtype)
        like.attach_grad()
    with autograd.record():
        y = resize(x, like, align_corners=align, **kwargs)
    assert isinstance(y, nd.NDArray) and y.dtype == onp.dtype(dtype)
    want = REF[key + "_y"]
    assert y.shape == want.shape
    tol = 1e-6 if dtype == "float32" else 1e-12
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=tol, atol=tol)
    y.backward(nd.array(REF[key + "_head"], dtype=dtype))
    onp.testing.assert_allclose(x.grad.asnumpy(), REF[key + "_grad"], rtol=tol, atol=tol)
    if like is not None:
        onp.testing.assert_array_equal(like.grad.asnumpy(), REF[key + "_like_grad"])  # zeros


def test_namespaces():
    assert mx.contrib.nd is mx.contrib.ndarray
    assert mx.contrib.nd.BilinearResize2D is resize
    assert mx.nd.contrib.adamw_update is mx.nd._optimizer._adamw_update
    assert mx.nd.contrib.CTCLoss is mx.nd.CTCLoss and mx.nd.contrib.ctc_loss is mx.nd.ctc_loss


def test_same_size_is_a_copy_and_out_is_written():
    x = nd.array(onp.arange(40.0).reshape(1, 2, 4, 5))
    for align in (True, False):
        y = resize(x, height=4, width=5, align_corners=align)
        onp.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
        y[:] = 0
        assert x.asnumpy().sum() == 780  # not a view
    out = nd.zeros((1, 2, 3, 3))
    r = resize(x, height=3, width=3, out=out)
    assert r is out
    onp.testing.assert_allclose(out.asnumpy(), resize(x, height=3, width=3).asnumpy())


SMALL = [
    ((1, 2, 3, 4), None, {"height": 5, "width": 2}),
    ((2, 1, 5, 3), None, {"mode": "odd_scale", "scale_height": 0.5, "scale_width": 2.0}),
    ((1, 1, 4, 3), (1, 1, 2, 6), {"mode": "like"}),
    ((1, 2, 3, 3), None, {"mode": "to_even_up"}),
]


@pytest.mark.parametrize("shape, like_shape, kwargs", SMALL)
@pytest.mark.parametrize("align", [True, False])
def test_float64_finite_differences(shape, like_shape, kwargs, align):
    rs = onp.random.RandomState(3)
    x = rs.randn(*shape)
    if like_shape is None:
        check_gradient(lambda a: resize(a.as_nd_ndarray(), align_corners=align, **kwargs).as_np_ndarray(), x)
    else:
        like = rs.randn(*like_shape)
        check_gradient(
            lambda a, b: resize(a.as_nd_ndarray(), b.as_nd_ndarray(), align_corners=align, **kwargs).as_np_ndarray(),
            x,
            like,
        )


@pytest.mark.parametrize("align", [True, False])
def test_second_order_matches_finite_differences_of_the_gradient(align):
    rs = onp.random.RandomState(5)
    x0 = rs.uniform(0.5, 1.5, (1, 2, 3, 4))
    v = rs.randn(1, 2, 3, 4)

    def first_grad(xv, create_graph=False):
        x = nd.array(xv, dtype="float64")
        x.attach_grad()
        with autograd.record():
            y = resize(x, height=5, width=3, align_corners=align)
            loss = (y * y * y).sum()
            (g,) = autograd.grad(loss, [x], create_graph=create_graph)
        return x, g

    x, g = first_grad(x0, create_graph=True)
    with autograd.record():
        s = (g * nd.array(v, dtype="float64")).sum()
    s.backward()
    eps = 1e-6
    numeric = (first_grad(x0 + eps * v)[1].asnumpy() - first_grad(x0 - eps * v)[1].asnumpy()) / (2 * eps)
    # the Hessian is symmetric: d/dx <g(x), v> = H v = d/de g(x + e v)
    onp.testing.assert_allclose(x.grad.asnumpy(), numeric, rtol=1e-6, atol=1e-8)


class Resizer(gluon.HybridBlock):
    def __init__(self, mode, align, **kwargs):
        super().__init__()
        self.kwargs = dict(mode=mode, align_corners=align, **kwargs)
        self.conv = gluon.nn.Conv2D(3, kernel_size=1, in_channels=2)

    def hybrid_forward(self, F, x, like=None):
        return F.contrib.BilinearResize2D(self.conv(x), like, **self.kwargs)


@pytest.mark.parametrize(
    "mode, kwargs, with_like",
    [("size", {"height": 7, "width": 3}, False), ("odd_scale", {"scale_height": 1.5, "scale_width": 0.5}, False),
     ("like", {}, True), ("to_odd_down", {}, False)],
)  # fmt: skip
@pytest.mark.parametrize("align", [True, False])
def test_hybridized_equals_imperative(mode, kwargs, with_like, align):
    rs = onp.random.RandomState(11)
    xv, lv = rs.randn(2, 2, 4, 6).astype("float32"), rs.randn(2, 1, 5, 9).astype("float32")
    results = []
    for hybrid in (False, True):
        mx.random.seed(0)
        net = Resizer(mode, align, **kwargs)
        net.initialize(mx.init.Xavier())
        if hybrid:
            net.hybridize()
        for step in range(2):  # the second hybridized call replays the captured graph
            x = nd.array(xv * (step + 1))
            x.attach_grad()
            args = (x, nd.array(lv)) if with_like else (x,)
            with autograd.record():
                y = net(*args)
                loss = (y * y).sum()
            loss.backward()
            results.append((y.asnumpy(), x.grad.asnumpy(), net.conv.weight.grad().asnumpy()))
        if hybrid:
            assert net._cached_graphs
    for imperative, hybridized in zip(results[:2], results[2:]):
        for a, b in zip(imperative, hybridized):
            onp.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-6)


X = nd.ones((2, 3, 4, 5))
ERRORS = [
    (lambda: resize(X, mode="bogus"), MXNetError, "BilinearResize2D: invalid mode 'bogus'"),
    (lambda: resize(X, mode="like"), MXNetError, r"BilinearResize2D: mode 'like' needs .*\(2, 3, 4, 5\)"),
    (lambda: resize(X, X, height=2), MXNetError, "BilinearResize2D: like is only used with mode 'like'"),
    (lambda: resize(X, nd.ones((3, 4, 5)), mode="like"), MXNetError, r"like must be 4-D .*\(3, 4, 5\)"),
    (lambda: resize(nd.ones((6, 4, 5)), height=2, width=2), MXNetError, r"BilinearResize2D: .*4-D.*\(6, 4, 5\)"),
    (lambda: resize(nd.ones((1, 2, 2, 4, 5)), height=2), MXNetError, r"4-D.*\(1, 2, 2, 4, 5\)"),
    (lambda: resize(X, height=0, width=2), MXNetError, "BilinearResize2D: height must be an integer >= 1, got 0"),
    (lambda: resize(X, height=3, width=-2), MXNetError, "width must be an integer >= 1, got -2"),
    (lambda: resize(X, mode="like", like=X, height=0), MXNetError, "height must be an integer >= 1"),
    (lambda: resize(X, scale_height=-2.0, scale_width=2.0), MXNetError, r"output size \(-8, 10\).*\(2, 3, 4, 5\)"),
    (lambda: resize(X, height=40000, width=2), MXNetError, r"output size \(40000, 2\)"),
    (lambda: resize(X, scale_height=2.0), MXNetError, "mode 'size' with scale_height also needs scale_width"),
    (lambda: resize(X, mode="odd_scale", scale_width=2.0), MXNetError, "'odd_scale' needs both"),
    (lambda: resize(X.astype("int32"), height=2), MXNetError, r"floating point, got int32 of shape \(2, 3, 4, 5\)"),
    (lambda: resize(mx.np.ones((1, 1, 2, 2)), height=3), TypeError, "data must be a legacy NDArray, got ndarray"),
    (lambda: resize(X, height=2, width=2, bogus=1), Exception, "bogus"),
]


@pytest.mark.parametrize("call, error, message", ERRORS)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_shapes_follow_mxnet_rules():
    x = nd.ones((2, 3, 4, 5))
    assert resize(x, scale_height=0.1, scale_width=0.1).shape == (2, 3, 0, 0)
    assert resize(x, scale_width=2.0).shape == (2, 3, 1, 1)  # MXNet: scale_width alone is not used
    assert resize(x, height=4, width=5, scale_height=1.0, scale_width=2.0, mode="to_even_up").shape == (2, 3, 4, 6)
    assert resize(x, like=nd.ones((1, 1, 2, 1)), mode="like").shape == (2, 3, 2, 1)
    assert resize(x, scale_height=0.5, scale_width=0.1, mode="odd_scale").shape == (2, 3, 2, 1)
    assert resize(nd.ones((1, 1, 1, 1)), mode="to_odd_down").shape == (1, 1, 1, 1)


def test_gradient_with_respect_to_like_is_zero_not_unreachable():
    x, like = nd.ones((1, 1, 2, 3)), nd.ones((1, 1, 4, 2))
    x.attach_grad()
    like.attach_grad()
    with autograd.record():
        y = resize(x, like, mode="like")
    gx, glike = autograd.grad(y, [x, like])
    assert glike.shape == (1, 1, 4, 2) and not glike.asnumpy().any()
    onp.testing.assert_allclose(gx.asnumpy().sum(), 8.0, rtol=1e-6)  # each output's weights sum to 1
