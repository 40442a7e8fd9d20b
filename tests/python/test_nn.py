"""Neural-network helpers: training/predict behaviour (dropout, batch_norm),
numerical stability, higher-order gradients, a tiny MLP, legacy nd names."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, nd, np, npx
from mxnet import _core
from mxnet.base import MXNetError
from gradcheck import check_gradient


# ---- dropout ----------------------------------------------------------------------
def test_dropout_is_a_copy_in_predict_mode():
    x = np.array(onp.arange(6.0).reshape(2, 3))
    y = npx.dropout(x, p=0.5)
    onp.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    y[0, 0] = 100.0
    assert x[0, 0].item() == 0.0  # not the same memory
    with autograd.record(train_mode=False):
        onp.testing.assert_array_equal(npx.dropout(x, p=0.5).asnumpy(), x.asnumpy())


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_mask_statistics_and_scaling_in_training(p):
    x = np.ones((200, 500))
    with autograd.record():
        y = npx.dropout(x, p=p).asnumpy()
    kept = y != 0
    # 100000 Bernoulli draws: the dropped fraction is within 5 standard deviations of p.
    assert abs((1 - kept.mean()) - p) < 5 * onp.sqrt(p * (1 - p) / y.size)
    onp.testing.assert_allclose(y[kept], 1 / (1 - p), rtol=1e-6)


def test_dropout_train_mode_without_recording_and_mode_always():
    x = np.ones((100, 100))
    with autograd.train_mode():
        assert (npx.dropout(x, p=0.5).asnumpy() == 0).any()
    assert (npx.dropout(x, p=0.5, mode="always").asnumpy() == 0).any()
    assert not (npx.dropout(x, p=0.5).asnumpy() == 0).any()


def test_dropout_backward_uses_the_forward_mask():
    x = np.array(onp.random.default_rng(0).uniform(1, 2, (50, 40)))
    x.attach_grad()
    with autograd.record():
        y = npx.dropout(x, p=0.4)
    y.backward()
    mask = (y.asnumpy() != 0) / 0.6
    onp.testing.assert_allclose(x.grad.asnumpy(), mask, rtol=1e-6)
    onp.testing.assert_allclose(y.asnumpy(), x.asnumpy() * mask, rtol=1e-6)


def test_dropout_axes_share_the_mask():
    with autograd.record():
        y = npx.dropout(np.ones((60, 30)), p=0.5, axes=(1,)).asnumpy()
    assert (y == y[:, :1]).all()  # one draw per row
    assert (y[:, 0] == 0).any() and (y[:, 0] != 0).any()


def test_dropout_edges_and_errors():
    x = np.ones((4, 3))
    with autograd.record():
        onp.testing.assert_array_equal(npx.dropout(x, p=1.0).asnumpy(), onp.zeros((4, 3)))
        onp.testing.assert_array_equal(npx.dropout(x, p=0.0).asnumpy(), onp.ones((4, 3)))
        assert npx.dropout(np.ones((0, 3)), p=0.5).shape == (0, 3)
    with pytest.raises(MXNetError, match="dropout.*p must be in"):
        npx.dropout(x, p=1.5)
    with pytest.raises(MXNetError, match="dropout.*int32"):
        npx.dropout(np.ones((2,), dtype="int32"), mode="always")
    with pytest.raises(MXNetError, match="dropout.*axis"):
        npx.dropout(x, axes=(2,), mode="always")


# ---- batch_norm ---------------------------------------------------------------------
def _bn_stats(x, axis):
    others = tuple(i for i in range(x.ndim) if i != axis)
    return x.mean(axis=others), x.var(axis=others)


def test_batch_norm_training_updates_running_stats_by_momentum():
    rng = onp.random.default_rng(1)
    rm, rv = np.zeros(3), np.ones(3)
    want_m, want_v = onp.zeros(3), onp.ones(3)
    gamma, beta = np.array([2.0, 3.0, 4.0]), np.array([0.5, 0.0, 1.0])
    for _ in range(3):
        xs = rng.uniform(-2, 2, (4, 3, 5)).astype("float32")
        with autograd.record():
            y = npx.batch_norm(np.array(xs), gamma, beta, rm, rv, momentum=0.8, fix_gamma=False)
        mean, var = _bn_stats(xs.astype("float64"), 1)
        want_m = want_m * 0.8 + mean * 0.2
        want_v = want_v * 0.8 + var * 0.2  # biased variance, as MXNet
        onp.testing.assert_allclose(rm.asnumpy(), want_m, rtol=1e-5, atol=1e-6)
        onp.testing.assert_allclose(rv.asnumpy(), want_v, rtol=1e-5, atol=1e-6)
        # normalised with the batch statistics
        norm = (xs - mean[:, None]) / onp.sqrt(var[:, None] + 1e-3)
        onp.testing.assert_allclose(y.asnumpy(), norm * [[2], [3], [4]] + [[0.5], [0], [1]], rtol=1e-4, atol=1e-5)


def test_batch_norm_inference_uses_running_stats_and_leaves_them():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 6.0, 9.0]])
    rm, rv = np.array([1.0, 2.0, 3.0]), np.array([4.0, 1.0, 0.25])
    gamma, beta = np.array([2.0, 3.0, 4.0]), np.array([0.5, 0.0, 1.0])
    want = (x.asnumpy() - [1, 2, 3]) / onp.sqrt([4, 1, 0.25]) * [2, 3, 4] + [0.5, 0, 1]
    y = npx.batch_norm(x, gamma, beta, rm, rv, fix_gamma=False, eps=0.0)  # predict mode outside record()
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-6)
    with autograd.record(train_mode=False):
        y = npx.batch_norm(x, gamma, beta, rm, rv, fix_gamma=False, eps=0.0)
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-6)
    with autograd.record():
        y = npx.batch_norm(x, gamma, beta, rm, rv, fix_gamma=False, eps=0.0, use_global_stats=True)
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-6)
    onp.testing.assert_array_equal(rm.asnumpy(), [1, 2, 3])
    onp.testing.assert_array_equal(rv.asnumpy(), [4, 1, 0.25])


def test_batch_norm_fix_gamma_ignores_gamma_and_its_gradient_is_zero():
    x = np.array(onp.random.default_rng(2).uniform(-1, 1, (5, 2)))
    gamma, beta = np.array([3.0, 4.0]), np.array([0.0, 0.0])
    gamma.attach_grad()
    beta.attach_grad()
    with autograd.record():
        y = npx.batch_norm(x, gamma, beta, np.zeros(2), np.ones(2))  # fix_gamma=True by default
        loss = (y * y).sum()
    loss.backward()
    mean, var = _bn_stats(x.asnumpy(), 1)
    onp.testing.assert_allclose(y.asnumpy(), (x.asnumpy() - mean) / onp.sqrt(var + 1e-3), rtol=1e-5)
    onp.testing.assert_array_equal(gamma.grad.asnumpy(), [0, 0])
    onp.testing.assert_allclose(beta.grad.asnumpy(), 2 * y.asnumpy().sum(axis=0), atol=1e-6)


def test_batch_norm_inference_gradient_wrt_running_stats():
    rng = onp.random.default_rng(3)
    xs = [
        rng.uniform(-1, 1, (3, 2)),
        rng.uniform(0.5, 2, 2),
        rng.uniform(-1, 1, 2),
        rng.uniform(-1, 1, 2),
        rng.uniform(0.5, 2, 2),
    ]

    def f(x, g, b, m, v):
        with autograd.predict_mode():
            return npx.batch_norm(x, g, b, m, v, fix_gamma=False)

    check_gradient(f, *xs, rtol=1e-5, atol=1e-7)


# ---- softmax family ---------------------------------------------------------------------
def test_log_softmax_and_softmax_are_stable_for_large_inputs():
    x = np.array([1000.0, 0.0, -1000.0])
    onp.testing.assert_array_equal(npx.log_softmax(x).asnumpy(), [0.0, -1000.0, -2000.0])
    onp.testing.assert_allclose(npx.softmax(np.array([1e4, 1e4, -1e4])).asnumpy(), [0.5, 0.5, 0.0])
    big = np.array([[3e38, 3e38]])
    onp.testing.assert_allclose(npx.softmax(big).asnumpy(), [[0.5, 0.5]])
    x.attach_grad()
    with autograd.record():
        y = npx.log_softmax(x)
    y.backward()
    assert onp.isfinite(x.grad.asnumpy()).all()


def test_softmax_dtype_argument():
    y = npx.softmax(np.array([1.0, 2.0]), dtype="float64")
    assert y.dtype == onp.float64


def _softmax(z):
    e = onp.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("log", [False, True])
def test_second_order_gradient_of_softmax(log):
    rng = onp.random.default_rng(4)
    xv, wv, vv = rng.standard_normal((2, 4)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    f = npx.log_softmax if log else npx.softmax

    def first_grad(xn):  # NumPy: d/dx sum(w * f(x))
        s = _softmax(xn)
        if log:
            return wv - s * wv.sum(axis=-1, keepdims=True)
        return s * (wv - (wv * s).sum(axis=-1, keepdims=True))

    x = np.array(xv, dtype="float64")
    x.attach_grad()
    with autograd.record():
        z = (f(x) * np.array(wv)).sum()
        (dx,) = autograd.grad(z, [x], create_graph=True)
        h = (dx * np.array(vv)).sum()
    h.backward()
    onp.testing.assert_allclose(dx.asnumpy(), first_grad(xv), rtol=1e-10, atol=1e-12)
    eps = 1e-6
    want = onp.zeros_like(xv)
    for i in onp.ndindex(*xv.shape):
        xp, xm = xv.copy(), xv.copy()
        xp[i] += eps
        xm[i] -= eps
        want[i] = ((first_grad(xp) - first_grad(xm)) * vv).sum() / (2 * eps)
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-5, atol=1e-7)


def test_second_order_gradient_of_layer_norm_and_activation_runs_through_ops():
    rng = onp.random.default_rng(5)
    x = np.array(rng.standard_normal((3, 4)))
    g, b = np.array(rng.uniform(0.5, 2, 4)), np.array(rng.standard_normal(4))
    x.attach_grad()
    with autograd.record():
        y = npx.activation(npx.layer_norm(x, g, b), act_type="softrelu")
        (dx,) = autograd.grad(y.sum(), [x], create_graph=True)
        (dx * dx).sum().backward()

    def first(xn):
        x2 = np.array(xn)
        x2.attach_grad()
        with autograd.record():
            yy = npx.activation(npx.layer_norm(x2, g, b), act_type="softrelu")
        yy.backward()
        return x2.grad.asnumpy()

    xv = x.asnumpy()
    eps = 1e-6
    want = onp.zeros_like(xv)
    for i in onp.ndindex(*xv.shape):
        xp, xm = xv.copy(), xv.copy()
        xp[i] += eps
        xm[i] -= eps
        want[i] = ((first(xp) ** 2).sum() - (first(xm) ** 2).sum()) / (2 * eps)
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-4, atol=1e-6)


def test_results_do_not_depend_on_the_thread_count():
    rng = onp.random.default_rng(6)
    x = np.array(rng.standard_normal((300, 700)).astype("float32"))
    g, b = np.array(rng.standard_normal(700).astype("float32")), np.array(rng.standard_normal(700).astype("float32"))
    before = _core.num_threads()
    set_threads = _core.set_num_threads
    outs = []
    try:
        for n in (1, 2):
            set_threads(n)
            outs.append(
                [
                    npx.softmax(x).asnumpy(),
                    npx.softmax(x, axis=0).asnumpy(),
                    npx.layer_norm(x, g, b).asnumpy(),
                    npx.batch_norm(x, g, b, np.zeros(700), np.ones(700), axis=1).asnumpy(),
                ]
            )
    finally:
        set_threads(before)
    for a, b_ in zip(*outs):
        onp.testing.assert_array_equal(a, b_)


# ---- embedding --------------------------------------------------------------------------
def test_embedding_gradient_scatter_adds_repeated_rows():
    w = np.array(onp.arange(12.0).reshape(4, 3))
    w.attach_grad()
    idx = np.array([[1, 3], [1, 1]], dtype="int64")
    with autograd.record():
        y = npx.embedding(idx, w, input_dim=4, output_dim=3)
    y.backward(np.ones((2, 2, 3)))
    onp.testing.assert_array_equal(w.grad.asnumpy(), [[0, 0, 0], [3, 3, 3], [0, 0, 0], [1, 1, 1]])


def test_embedding_second_order_through_the_scatter():
    w = np.array(onp.random.default_rng(7).standard_normal((4, 2)))
    w.attach_grad()
    idx = np.array([0, 2, 2])
    with autograd.record():
        y = npx.embedding(idx, w)
        (dw,) = autograd.grad((y * y).sum(), [w], create_graph=True)
        dw.sum().backward()
    # d/dw sum(dw) with dw[r] = 2 * count(r) * w[r] is 2 * count(r)
    onp.testing.assert_allclose(w.grad.asnumpy(), [[2, 2], [0, 0], [4, 4], [0, 0]])


# ---- a tiny MLP ---------------------------------------------------------------------------
def test_tiny_mlp_loss_decreases_with_sgd():
    rng = onp.random.default_rng(8)
    n, d, h, k = 64, 5, 16, 3
    xs = rng.standard_normal((n, d)).astype("float32")
    labels = (xs[:, 0] > 0).astype(int) + (xs[:, 1] > 0.5).astype(int)
    onehot = np.array(onp.eye(k, dtype="float32")[labels])
    x = np.array(xs)
    params = [
        np.array(rng.standard_normal((h, d)).astype("float32") * 0.5),
        np.zeros(h),
        np.array(rng.standard_normal((k, h)).astype("float32") * 0.5),
        np.zeros(k),
    ]
    losses = []
    for _ in range(30):
        for p in params:
            p.attach_grad()
        with autograd.record():
            hid = npx.activation(npx.fully_connected(x, params[0], params[1], num_hidden=h), act_type="relu")
            logp = npx.log_softmax(npx.fully_connected(hid, params[2], params[3], num_hidden=k))
            loss = -(logp * onehot).sum() / n
        loss.backward()
        losses.append(loss.item())
        params = [p - 0.5 * p.grad for p in params]
    assert losses[-1] < 0.7 * losses[0]
    assert all(b <= a + 1e-3 for a, b in zip(losses, losses[1:]))


# ---- legacy nd names -----------------------------------------------------------------------
def test_legacy_names_match_npx():
    rng = onp.random.default_rng(9)
    xv = rng.standard_normal((2, 3, 4)).astype("float32")
    w, b = rng.standard_normal((5, 12)).astype("float32"), rng.standard_normal(5).astype("float32")
    g, be = rng.uniform(0.5, 2, 3).astype("float32"), rng.standard_normal(3).astype("float32")
    pairs = [
        (nd.softmax(nd.array(xv), axis=1), npx.softmax(np.array(xv), axis=1)),
        (nd.log_softmax(nd.array(xv), temperature=2.0), npx.log_softmax(np.array(xv), temperature=2.0)),
        (nd.Activation(nd.array(xv), act_type="tanh"), npx.activation(np.array(xv), act_type="tanh")),
        (
            nd.FullyConnected(nd.array(xv), nd.array(w), nd.array(b), num_hidden=5),
            npx.fully_connected(np.array(xv), np.array(w), np.array(b), num_hidden=5),
        ),
        (
            nd.FullyConnected(nd.array(xv), nd.array(w[:, :4]), num_hidden=5, no_bias=True, flatten=False),
            npx.fully_connected(np.array(xv), np.array(w[:, :4]), None, num_hidden=5, no_bias=True, flatten=False),
        ),
        (nd.Dropout(nd.array(xv), p=0.3), np.array(xv)),
        (
            nd.LayerNorm(nd.array(xv), nd.array(g[:1].repeat(4)), nd.array(be[:1].repeat(4))),
            npx.layer_norm(np.array(xv), np.array(g[:1].repeat(4)), np.array(be[:1].repeat(4))),
        ),
        (
            nd.BatchNorm(nd.array(xv), nd.array(g), nd.array(be), nd.zeros(3), nd.ones(3), fix_gamma=False),
            npx.batch_norm(np.array(xv), np.array(g), np.array(be), np.zeros(3), np.ones(3), fix_gamma=False),
        ),
        (
            nd.Embedding(nd.array([2, 0]), nd.array(w), input_dim=5, output_dim=12),
            npx.embedding(np.array([2, 0]), np.array(w), input_dim=5, output_dim=12),
        ),
    ]
    for legacy, new in pairs:
        assert isinstance(legacy, nd.NDArray) and not isinstance(legacy, np.ndarray)
        onp.testing.assert_allclose(legacy.asnumpy(), new.asnumpy(), rtol=1e-6)


def test_legacy_batch_norm_updates_moving_stats_in_training():
    mm, mv = nd.zeros(2), nd.ones(2)
    x = nd.array([[1.0, 2.0], [3.0, 6.0]])
    with autograd.record():
        nd.BatchNorm(x, nd.ones(2), nd.zeros(2), mm, mv)
    onp.testing.assert_allclose(mm.asnumpy(), [0.2, 0.4], rtol=1e-6)
    onp.testing.assert_allclose(mv.asnumpy(), [0.9 + 0.1, 0.9 + 0.4], rtol=1e-6)


def test_missing_num_hidden_and_bad_mode_are_errors():
    with pytest.raises(TypeError, match="num_hidden"):
        npx.fully_connected(np.ones((2, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="mode"):
        npx.dropout(np.ones(3), mode="sometimes")
    assert mx.npx.activation(np.array([-1.0, 2.0])).asnumpy().tolist() == [0.0, 2.0]


def _softmax_output_grad(x, label, **kw):
    x = nd.array(x)
    x.attach_grad()
    with autograd.record():
        y = nd.SoftmaxOutput(x, nd.array(label), **kw)
    y.backward(nd.ones_like(y) * 7)  # the head gradient is ignored, as in MXNet
    return y.asnumpy(), x.grad.asnumpy()


def test_legacy_softmax_output_forward_and_cross_entropy_gradient():
    x = onp.array([[1.0, 2.0, 3.0], [1.0, 1.0, 5.0]])
    s = _softmax(x)
    onehot = onp.array([[0, 0, 1], [1, 0, 0]])
    y, g = _softmax_output_grad(x, [2, 0])
    onp.testing.assert_allclose(y, s, rtol=1e-6)
    onp.testing.assert_allclose(g, s - onehot, rtol=1e-5, atol=1e-7)
    _, g = _softmax_output_grad(x, [2, 0], grad_scale=4.0, normalization="batch")
    onp.testing.assert_allclose(g, (s - onehot) * 2, rtol=1e-5, atol=1e-7)
    _, g = _softmax_output_grad(x, [2, -1], use_ignore=True, ignore_label=-1, normalization="valid")
    onp.testing.assert_allclose(g, [s[0] - onehot[0], [0, 0, 0]], rtol=1e-5, atol=1e-7)
    _, g = _softmax_output_grad(x, [5, -3])  # labels out of range: no one-hot term
    onp.testing.assert_allclose(g, s, rtol=1e-5)
    y, _ = _softmax_output_grad(x.reshape(2, 3, 1), [0, 1])  # softmax over all axes but the first
    onp.testing.assert_allclose(y.reshape(2, 3), s, rtol=1e-6)
    y, _ = _softmax_output_grad(x.reshape(1, 2, 3), [[2, 0]], preserve_shape=True)
    onp.testing.assert_allclose(y.reshape(2, 3), s, rtol=1e-6)
    with pytest.raises(MXNetError, match=r"SoftmaxOutput.*label.*\(3,\).*\(2, 3\)"):
        nd.SoftmaxOutput(nd.array(x), nd.array([0, 1, 2]))


def test_layer_norm_output_mean_var_gives_mean_and_std_as_mxnet():
    # MXNet 1.9.1: [out, mean, std], the statistics keep the normalised axis (size 1)
    # and std includes eps.
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]])
    for face in (npx.layer_norm, nd.LayerNorm):
        data = x if face is npx.layer_norm else x.as_nd_ndarray()
        out, mean, std = face(data, data[0] * 0 + 1, data[0] * 0, output_mean_var=True)
        onp.testing.assert_allclose(out.asnumpy()[1], [-0.9258191, -0.46290955, 1.3887286], rtol=1e-5)
        onp.testing.assert_allclose(mean.asnumpy(), [[2.0], [6.0]])
        onp.testing.assert_allclose(std.asnumpy(), [[0.81650275], [2.1602492]], rtol=1e-6)
    out, mean, std = npx.layer_norm(x, np.ones(2), np.zeros(2), axis=0, eps=0.0, output_mean_var=True)
    assert mean.shape == (1, 3) and std.shape == (1, 3)
    onp.testing.assert_allclose(std.asnumpy(), x.asnumpy().std(0, keepdims=True), rtol=1e-6)


def test_batch_norm_output_mean_var_gives_mean_and_inverse_std_as_mxnet():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]])
    ones, zeros = np.ones(3), np.zeros(3)
    # Training: the batch statistics (MXNet 1.9.1: mean [2.5 3.5 6], 1/std [0.6665 0.6665 0.3333]).
    with autograd.record():
        out, mean, inv_std = npx.batch_norm(x, ones, zeros, np.zeros(3), np.ones(3), output_mean_var=True)
    onp.testing.assert_allclose(mean.asnumpy(), [2.5, 3.5, 6.0])
    onp.testing.assert_allclose(inv_std.asnumpy(), [0.66651857, 0.66651857, 0.3333148], rtol=1e-6)
    # Inference (and use_global_stats): the running statistics.
    rm, rv = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    for kwargs in ({}, {"use_global_stats": True}):
        out, mean, inv_std = npx.batch_norm(x, ones, zeros, rm, rv, output_mean_var=True, **kwargs)
        onp.testing.assert_allclose(out.asnumpy()[1], [1.4998126, 1.3415066, 2.4492855], rtol=1e-6)
        onp.testing.assert_allclose(mean.asnumpy(), [1.0, 2.0, 3.0])
        onp.testing.assert_allclose(inv_std.asnumpy(), [0.49993753, 0.44716886, 0.40821427], rtol=1e-6)
    r = nd.BatchNorm(
        x.as_nd_ndarray(),
        ones.as_nd_ndarray(),
        zeros.as_nd_ndarray(),
        rm.as_nd_ndarray(),
        rv.as_nd_ndarray(),
        output_mean_var=True,
    )
    assert isinstance(r, list) and len(r) == 3 and r[2].shape == (3,)


def test_norm_statistics_outputs_carry_no_gradient_and_out_still_does():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]])
    x.attach_grad()
    with autograd.record():
        out, mean, std = npx.layer_norm(x, np.ones(3), np.zeros(3), output_mean_var=True)
        loss = (out * np.array([1.0, 2.0, 3.0])).sum() + mean.sum() + std.sum()
    loss.backward()
    want = x.grad.asnumpy().copy()
    with autograd.record():
        loss = (npx.layer_norm(x, np.ones(3), np.zeros(3)) * np.array([1.0, 2.0, 3.0])).sum()
    loss.backward()
    onp.testing.assert_allclose(want, x.grad.asnumpy(), rtol=1e-6)


def test_where_with_the_condition_alone_is_nonzero():
    got = np.where(np.array([[0, 1], [2, 0]]))
    assert [g.asnumpy().tolist() for g in got] == [[0, 1], [1, 0]] and got[0].dtype == onp.int64
    # MXNet 1.9.1 (NumPy 1.x): a 0-d condition counts as 1-d.
    assert [g.asnumpy().tolist() for g in np.where(np.array(3))] == [[0]]
    with pytest.raises(ValueError, match="either both or neither of x and y"):
        np.where(np.array([1]), np.array([2]))
