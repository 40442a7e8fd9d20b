"""gluon.rnn's fused layers and cells against MXNet 1.9.1: parameters saved by
MXNet (fused layers under MXNet's '_unfused...' names), outputs, states and
gradients (fixtures/gluon_conv_rnn_mxnet_1_9_1.npz), in nd and np mode;
printing, deferred input size and bad states."""

import json
import pathlib
import sys

import numpy as onp
import pytest

from mxnet import nd, np, npx
from mxnet.base import MXNetError
from mxnet.gluon import rnn

FIX = pathlib.Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIX))
from gluon_conv_rnn_nets import Stateful, Unrolled, compare_with_fixture, rnn_cells, rnn_layers  # noqa: E402

REF = onp.load(FIX / "gluon_conv_rnn_mxnet_1_9_1.npz")
REPRS = json.loads((FIX / "gluon_conv_rnn_reprs_mxnet_1_9_1.json").read_text())


@pytest.mark.parametrize("name", ["lstm", "gru", "rnn"])
def test_layers_match_mxnet(name, numpy_mode):
    net = Stateful(rnn_layers()[name], prefix=name + "w_")
    compare_with_fixture(name, net, REF, str(FIX / f"gluon_{name}_mxnet_1_9_1.params"), numpy_mode)
    assert repr(net) == REPRS[name]


@pytest.mark.parametrize("name", ["lstmcell", "grucell", "rnncell", "bicell", "seqcell"])
def test_cells_match_mxnet(name, numpy_mode):
    cell, merge, valid = rnn_cells()[name]
    net = Unrolled(cell, merge, valid, prefix=name + "w_")
    compare_with_fixture(name, net, REF, str(FIX / f"gluon_{name}_mxnet_1_9_1.params"), numpy_mode)
    assert repr(net) == REPRS[name]


def test_parameter_names_and_deferred_input_size():
    layer = rnn.LSTM(4, num_layers=2, bidirectional=True)
    names = [n[len(layer.prefix) :] for n in layer.collect_params()]
    assert names[:5] == ["l0_i2h_weight", "l0_h2h_weight", "l0_i2h_bias", "l0_h2h_bias", "r0_i2h_weight"]
    assert layer.l0_i2h_weight.shape == (16, 0) and layer.l1_i2h_weight.shape == (16, 8)
    assert repr(layer) == "LSTM(None -> 4, TNC, num_layers=2, bidirectional)"
    layer.initialize()
    out = layer(nd.ones((3, 2, 5)))
    assert out.shape == (3, 2, 8) and layer.r0_i2h_weight.shape == (16, 5)
    out, states = layer(nd.ones((3, 2, 5)), layer.begin_state(2))
    assert [s.shape for s in states] == [(4, 2, 4), (4, 2, 4)]
    cell = rnn.GRUCell(3)
    cell.initialize()
    out, states = cell(nd.ones((2, 7)), cell.begin_state(2))
    assert cell.i2h_weight.shape == (9, 7) and out.shape == (2, 3)
    npx.set_np()
    try:
        layer = rnn.GRU(3, layout="NTC")
        layer.initialize()
        assert isinstance(layer(np.ones((2, 4, 5))), np.ndarray)
        assert isinstance(layer.begin_state(2)[0], np.ndarray)
    finally:
        npx.reset_np()


def test_bad_states_and_inputs_name_the_layer():
    layer = rnn.LSTM(5, input_size=4)
    layer.initialize()
    x = nd.ones((3, 2, 4))
    with pytest.raises(ValueError, match=r"lstm\d+ \(LSTM\): Invalid recurrent state shape. Expecting \(1, 2, 5\)"):
        layer(x, [nd.zeros((1, 3, 5)), nd.zeros((1, 2, 5))])
    with pytest.raises(ValueError, match=r"\(LSTM\): expected 2 state\(s\), got 1"):
        layer(x, nd.zeros((1, 2, 5)))
    with pytest.raises(
        MXNetError, match=r"\(LSTM\): inputs of shape \(3, 2, 6\) .* have 6 features, but input_size is 4"
    ):
        layer(nd.ones((3, 2, 6)))
    with pytest.raises(AssertionError, match="Invalid layout"):
        rnn.GRU(3, layout="CTN")
    cell = rnn.LSTMCell(3, input_size=2)
    cell.initialize()
    with pytest.raises(ValueError, match=r"lstm\d+ \(LSTMCell\): Invalid recurrent state shape"):
        cell(nd.ones((2, 2)), [nd.zeros((2, 3)), nd.zeros((1, 3))])
    with pytest.raises(MXNetError, match=r"\(LSTMCell\): inputs of shape \(2, 5\) do not match input_size 2"):
        cell(nd.ones((2, 5)), cell.begin_state(2))
    with pytest.raises(NotImplementedError, match="Bidirectional cannot be stepped"):
        rnn.BidirectionalCell(rnn.GRUCell(2), rnn.GRUCell(2))(nd.ones((1, 2)), [])


def test_modifiers_and_dropout():
    base = rnn.RNNCell(3, input_size=3)
    zone = rnn.ZoneoutCell(base, 0.5, 0.5)
    zone.initialize()
    with pytest.raises(AssertionError, match="base cell cannot be called directly"):
        base.begin_state(2)
    out, states = zone.unroll(4, nd.ones((2, 4, 3)), merge_outputs=True)
    assert out.shape == (2, 4, 3)
    assert repr(zone) == "ZoneoutCell(p_out=0.5, p_state=0.5, RNNCell(3 -> 3, tanh))"
    drop = rnn.DropoutCell(0.5)
    out, states = drop.unroll(2, nd.ones((2, 2, 3)), merge_outputs=True)
    onp.testing.assert_array_equal(out.asnumpy(), onp.ones((2, 2, 3)))  # identity outside training
