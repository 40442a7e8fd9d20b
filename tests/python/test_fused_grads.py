"""The fused kernels behind npx.batch_norm's training gradient and the LSTM
step of npx.rnn / gluon.rnn.LSTM: a plain backward uses them, a backward
recorded with create_graph uses the composed ops, and both agree; LSTM with
state clipping (composed step) agrees with the fused step when the clip
bounds are never reached; second-order gradients flow through both."""

import numpy as onp
import pytest

from mxnet import autograd, gluon, np, npx


@pytest.fixture(autouse=True)
def _np_mode():
    npx.set_np()
    yield
    npx.reset_np()


def _bn_inputs(shape, axis):
    rng = onp.random.default_rng(1)
    c = shape[axis]
    x = np.array(rng.standard_normal(shape).astype("float32") * 3 + 1)
    gamma = np.array(rng.standard_normal(c).astype("float32"))
    beta = np.array(rng.standard_normal(c).astype("float32"))
    w = np.array(rng.standard_normal(shape).astype("float32"))
    return x, gamma, beta, w


@pytest.mark.parametrize("shape,axis,fix_gamma", [((4, 3, 5, 5), 1, False), ((6, 7), 1, True), ((2, 5, 3), 2, False)])
def test_batch_norm_fused_gradient_matches_composed(shape, axis, fix_gamma):
    x, gamma, beta, w = _bn_inputs(shape, axis)
    c = shape[axis]
    for a in (x, gamma, beta):
        a.attach_grad()

    def loss():
        y = npx.batch_norm(x, gamma, beta, np.zeros(c), np.ones(c), axis=axis, fix_gamma=fix_gamma, eps=1e-3)
        return (y * w).sum()

    with autograd.record():
        out = loss()
    out.backward()
    fused = [a.grad.asnumpy().copy() for a in (x, gamma, beta)]
    with autograd.record():
        composed = autograd.grad(loss(), [x, gamma, beta], create_graph=True)
    for f, g in zip(fused, composed):
        onp.testing.assert_allclose(f, g.asnumpy(), rtol=1e-4, atol=1e-5)
    # Against a float64 NumPy reference of the same formula.
    xn, gn, wn = x.asnumpy().astype("float64"), gamma.asnumpy().astype("float64"), w.asnumpy().astype("float64")
    red = tuple(i for i in range(len(shape)) if i != axis)
    bshape = [1] * len(shape)
    bshape[axis] = c
    xc = xn - xn.mean(axis=red, keepdims=True)
    rstd = 1 / onp.sqrt((xc**2).mean(axis=red, keepdims=True) + 1e-3)
    xhat = xc * rstd
    ge = onp.ones(bshape) if fix_gamma else gn.reshape(bshape)
    dxhat = wn * ge
    dx = rstd * (dxhat - dxhat.mean(axis=red, keepdims=True) - xhat * (dxhat * xhat).mean(axis=red, keepdims=True))
    onp.testing.assert_allclose(fused[0], dx, rtol=1e-4, atol=1e-5)
    onp.testing.assert_allclose(fused[1], 0 if fix_gamma else (wn * xhat).sum(axis=red), rtol=1e-4, atol=1e-5)
    onp.testing.assert_allclose(fused[2], wn.sum(axis=red), rtol=1e-4, atol=1e-5)


def test_batch_norm_fused_gradient_is_deterministic():
    x, gamma, beta, w = _bn_inputs((8, 16, 20, 20), 1)
    x.attach_grad()
    grads = []
    for _ in range(3):
        with autograd.record():
            loss = (npx.batch_norm(x, gamma, beta, np.zeros(16), np.ones(16), fix_gamma=False) * w).sum()
        loss.backward()
        grads.append(x.grad.asnumpy().copy())
    assert all((g == grads[0]).all() for g in grads)


def _lstm_pair(**kw):
    fused = gluon.rnn.LSTM(6, num_layers=2, input_size=4, **kw)
    clipped = gluon.rnn.LSTM(6, num_layers=2, input_size=4, state_clip_min=-1e30, state_clip_max=1e30, **kw)
    fused.initialize()
    clipped.initialize()
    for p, q in zip(fused.collect_params().values(), clipped.collect_params().values()):
        q.set_data(p.data())
    return fused, clipped


@pytest.mark.parametrize("kw", [{}, {"bidirectional": True}, {"projection_size": 3}])
def test_lstm_fused_step_matches_composed_step(kw):
    rng = onp.random.default_rng(2)
    data = np.array(rng.standard_normal((5, 3, 4)).astype("float32"))
    results = []
    for net in _lstm_pair(**kw):
        data.attach_grad()
        with autograd.record():
            out = net(data)
            loss = (out * out).sum() + out[-1].sum()
        loss.backward()
        params = [p.grad().asnumpy() for p in net.collect_params().values()]
        results.append((out.asnumpy(), data.grad.asnumpy(), params))
    (o1, d1, p1), (o2, d2, p2) = results
    onp.testing.assert_allclose(o1, o2, rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(d1, d2, rtol=1e-4, atol=1e-6)
    for a, b in zip(p1, p2):
        onp.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_lstm_fused_step_second_order():
    rng = onp.random.default_rng(3)
    data = np.array(rng.standard_normal((4, 2, 4)).astype("float32"))
    grads = []
    for net in _lstm_pair():
        data.attach_grad()
        with autograd.record():
            out = net(data)
            gx = autograd.grad((out * out).sum(), [data], create_graph=True)[0]
            z = (gx * gx).sum()
        z.backward()
        grads.append(data.grad.asnumpy())
    assert onp.abs(grads[0]).max() > 0
    onp.testing.assert_allclose(grads[0], grads[1], rtol=1e-4, atol=1e-9)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_fused_sequence_state_gradients_match_composed(bidirectional):
    # Gradients reaching the initial states and the returned last states,
    # through the whole-sequence op and through the per-step composition.
    rng = onp.random.default_rng(4)
    data = np.array(rng.standard_normal((6, 3, 4)).astype("float32"))
    dirs = 2 if bidirectional else 1
    h0 = np.array(rng.standard_normal((2 * dirs, 3, 6)).astype("float32"))
    c0 = np.array(rng.standard_normal((2 * dirs, 3, 6)).astype("float32"))
    results = []
    for net in _lstm_pair(bidirectional=bidirectional):
        for a in (data, h0, c0):
            a.attach_grad()
        with autograd.record():
            out, (h, c) = net(data, [h0, c0])
            loss = (out * out).sum() + 2 * (h * h).sum() + (c * c * c).sum()
        loss.backward()
        params = [p.grad().asnumpy() for p in net.collect_params().values()]
        results.append(
            [
                out.asnumpy(),
                h.asnumpy(),
                c.asnumpy(),
                data.grad.asnumpy(),
                h0.grad.asnumpy(),
                c0.grad.asnumpy(),
                *params,
            ]
        )
    for a, b in zip(*results):
        onp.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_lstm_fused_sequence_second_order_reaches_weights_and_states():
    rng = onp.random.default_rng(5)
    data = np.array(rng.standard_normal((5, 2, 4)).astype("float32"))
    h0 = np.array(rng.standard_normal((2, 2, 6)).astype("float32"))
    grads = []
    for net in _lstm_pair():
        c0 = np.zeros((2, 2, 6))
        h0.attach_grad()
        weights = [p.data() for p in net.collect_params().values()]
        with autograd.record():
            out, _ = net(data, [h0, c0])
            gw = autograd.grad((out * out).sum(), weights, create_graph=True)
            z = sum((g * g).sum() for g in gw)
        z.backward()
        grads.append([h0.grad.asnumpy()] + [p.grad().asnumpy() for p in net.collect_params().values()])
    assert onp.abs(grads[0][0]).max() > 0
    for a, b in zip(*grads):
        onp.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-6)


def test_lstm_fused_sequence_of_length_zero():
    net = gluon.rnn.LSTM(3, input_size=2)
    net.initialize()
    h0, c0 = np.ones((1, 4, 3)), np.full((1, 4, 3), 2.0)
    h0.attach_grad()
    with autograd.record():
        out, (h, c) = net(np.zeros((0, 4, 2)), [h0, c0])
        (h * 3).sum().backward()
    assert out.shape == (0, 4, 3)
    onp.testing.assert_array_equal(h.asnumpy(), h0.asnumpy())
    onp.testing.assert_array_equal(c.asnumpy(), c0.asnumpy())
    onp.testing.assert_array_equal(h0.grad.asnumpy(), onp.full((1, 4, 3), 3.0))


@pytest.mark.parametrize("scale", [1e-7, 0.1, 1.0, 60.0])
def test_lstm_fused_gate_math_is_accurate_in_float64(scale):
    # The fused gate math takes tanh and the logistic function from one
    # vectorised exp per row; against the composed ops (libm) in float64,
    # from tiny pre-activations (the series branch) to saturated ones.
    rng = onp.random.default_rng(6)
    data = np.array(rng.standard_normal((4, 3, 4)) * scale, dtype="float64")
    fused, composed = _lstm_pair()
    for net in (fused, composed):
        net.cast("float64")
    for p, q in zip(fused.collect_params().values(), composed.collect_params().values()):
        q.set_data(p.data() * 0 + np.array(rng.standard_normal(p.shape) * scale, dtype="float64"))
        p.set_data(q.data())
    outs = [net(data).asnumpy() for net in (fused, composed)]
    onp.testing.assert_allclose(outs[0], outs[1], rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_fused_gradient_matches_composed(dtype):
    x = np.array(onp.array([[-1.0, 0.0, -0.0, 2.0, onp.nan], [3.0, -onp.inf, onp.inf, 1e-30, -1e-30]], dtype))
    head = np.array(onp.array([[1.0, 2.0, 3.0, onp.nan, 5.0], [onp.inf, 7.0, -8.0, 9.0, onp.nan]], dtype))
    x.attach_grad()
    with autograd.record():
        y = npx.relu(x)
    y.backward(head)  # plain backward: the one-pass relu_grad
    fused = x.grad.asnumpy().copy()
    with autograd.record():
        y = npx.relu(x)
    (composed,) = autograd.grad(y, [x], head, create_graph=True)  # recorded: composed ops
    want = head.asnumpy() * (x.asnumpy() > 0)
    onp.testing.assert_array_equal(fused, want)
    onp.testing.assert_array_equal(composed.asnumpy(), want)


@pytest.mark.parametrize("mode", ["lstm", "gru"])
@pytest.mark.parametrize("batch,hidden", [(1, 13), (3, 40), (6, 16), (7, 70)])
def test_float32_recurrence_matches_float64(mode, batch, hidden):
    # float32 sequences multiply by recurrent weights packed once per call
    # (kernels/rows_operand.cc on AVX-512 CPUs): odd batches (blocks of 4
    # rows and their remainders) and gate widths that end in a partial
    # strip of 64 columns, forward and backward, against float64 (BLAS).
    rng = onp.random.default_rng(batch * hidden)
    layer = {"lstm": gluon.rnn.LSTM, "gru": gluon.rnn.GRU}[mode]
    results = {}
    for dtype in ("float64", "float32"):
        net = layer(hidden, num_layers=2, bidirectional=True, input_size=5, dtype=dtype)
        net.initialize()
        for p in net.collect_params().values():
            p.set_data(np.array(onp.random.default_rng(len(p.shape) * 7 + p.shape[0]).uniform(-0.3, 0.3, p.shape)))
        x = np.array(rng.uniform(-1, 1, (4, batch, 5)), dtype=dtype) if not results else results["x"].astype(dtype)
        x.attach_grad()
        with autograd.record():
            y = net(x)
        y.backward(np.array(onp.linspace(-1, 1, y.size).reshape(y.shape), dtype=dtype))
        grads = [p.grad().asnumpy() for p in net.collect_params().values()]
        results.setdefault("x", x)
        results[dtype] = (y.asnumpy(), x.grad.asnumpy(), grads)
    y64, dx64, g64 = results["float64"]
    y32, dx32, g32 = results["float32"]
    onp.testing.assert_allclose(y32, y64, rtol=1e-4, atol=1e-5)
    onp.testing.assert_allclose(dx32, dx64, rtol=1e-4, atol=1e-4)
    for a, b in zip(g32, g64):
        onp.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
