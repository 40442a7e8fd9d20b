"""nd.RNN / npx.rnn against outputs recorded from MXNet 1.9.1 (2-layer
bidirectional lstm, gru and rnn_tanh, fixtures/rnn_mxnet_1_9_1.npz, made in the
side venv with the same random inputs), and finite differences of gradients."""

import pathlib

import numpy as onp
import pytest

from gradcheck import check_gradient
from mxnet import nd, np, npx
from mxnet.base import MXNetError

REF = onp.load(pathlib.Path(__file__).parent / "fixtures" / "rnn_mxnet_1_9_1.npz")


@pytest.mark.parametrize("mode,outputs", [("lstm", 3), ("gru", 2), ("rnn_tanh", 2)])
def test_matches_mxnet(mode, outputs):
    args = [nd.array(REF[f"{mode}_{k}"]) for k in ("x", "w", "h0")]
    if mode == "lstm":
        args.append(nd.array(REF["lstm_c0"]))
    got = nd.RNN(*args, state_size=5, num_layers=2, bidirectional=True, mode=mode, state_outputs=True)
    assert len(got) == outputs
    for i, g in enumerate(got):
        onp.testing.assert_allclose(g.asnumpy(), REF[f"{mode}_out{i}"], atol=1e-6)
    only_out = npx.rnn(*[a.as_np_ndarray() for a in args], state_size=5, num_layers=2, bidirectional=True, mode=mode)
    assert isinstance(only_out, np.ndarray) and only_out.shape == (3, 2, 10)


@pytest.mark.parametrize("mode,projection", [("lstm", None), ("lstm", 2), ("gru", None), ("rnn_relu", None)])
def test_gradients_match_finite_differences(mode, projection):
    rng = onp.random.default_rng(2)
    steps, batch, inputs, hidden = 3, 2, 3, 3
    out = projection or hidden
    gates = {"lstm": 4, "gru": 3}.get(mode, 1)
    n = gates * hidden * inputs + gates * hidden * out + (out * hidden if projection else 0) + 2 * gates * hidden
    x, w = rng.standard_normal((steps, batch, inputs)), rng.standard_normal(n) * 0.5
    h0, c0 = rng.standard_normal((1, batch, out)), rng.standard_normal((1, batch, hidden))

    def f(x, w, h0, *c0):
        return nd.RNN(x, w, h0, *c0, state_size=hidden, num_layers=1, mode=mode, projection_size=projection,
                      state_outputs=True)  # fmt: skip

    check_gradient(f, x, w, h0, *([c0] if mode == "lstm" else []), rtol=1e-5, atol=1e-7)


def test_errors():
    x, h = nd.ones((2, 1, 3)), nd.ones((1, 1, 4))
    with pytest.raises(MXNetError, match=r"RNN: parameters of shape \(5,\) do not match .*expected \(144,\)"):
        nd.RNN(x, nd.ones(5), h, nd.ones((1, 1, 4)), state_size=4, num_layers=1, mode="lstm")
    with pytest.raises(MXNetError, match="RNN: invalid mode 'lstn'"):
        nd.RNN(x, nd.ones(5), h, state_size=4, num_layers=1, mode="lstn")
    with pytest.raises(MXNetError, match=r"RNN: state_cell of shape \(\) must have shape \(1, 1, 4\)"):
        nd.RNN(x, nd.ones(144), h, state_size=4, num_layers=1, mode="lstm")
    with pytest.raises(NotImplementedError, match="use_sequence_length"):
        nd.RNN(x, nd.ones(144), h, state_size=4, num_layers=1, mode="lstm", use_sequence_length=True)


@pytest.mark.parametrize("mode,bidirectional", [("lstm", False), ("lstm", True), ("gru", False), ("gru", True)])
def test_second_derivatives_match_finite_differences(mode, bidirectional):
    # The fused sequence ops differentiate their gradient through composed ops;
    # finite differences of the first derivative check that path.
    from mxnet import autograd

    rng = onp.random.default_rng(3)
    steps, batch, inputs, hidden, dirs = 3, 2, 2, 2, 2 if bidirectional else 1
    gates = {"lstm": 4, "gru": 3}[mode]
    n = dirs * (gates * hidden * inputs + gates * hidden * hidden + 2 * gates * hidden)
    x, w = rng.standard_normal((steps, batch, inputs)), rng.standard_normal(n) * 0.5
    h0, c0 = rng.standard_normal((dirs, batch, hidden)), rng.standard_normal((dirs, batch, hidden))
    head = np.array(rng.standard_normal((steps, batch, dirs * hidden)), dtype="float64")

    def first_derivatives(x, w, h0):
        for a in (x, w, h0):
            if a.grad is None:
                a.attach_grad()
        with autograd.record():
            extra = [np.array(c0, dtype="float64")] if mode == "lstm" else []
            out = npx.rnn(x, w, h0, *extra, state_size=hidden, num_layers=1, mode=mode, bidirectional=bidirectional)
            loss = (out * out * head).sum()
        return tuple(autograd.grad(loss, [x, w, h0], create_graph=True))

    check_gradient(first_derivatives, x, w, h0, rtol=1e-4, atol=1e-6)
