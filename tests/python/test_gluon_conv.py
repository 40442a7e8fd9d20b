"""gluon.nn's convolution and pooling layers against MXNet 1.9.1: small nets
(fixtures/gluon_conv_rnn_nets.py) with parameters saved by MXNet, their
outputs and gradients (fixtures/gluon_conv_rnn_mxnet_1_9_1.npz, made by
make_gluon_conv_rnn_fixtures.py), in nd and np mode; printing, deferred
initialisation, channels-last layouts and bad inputs."""

import json
import pathlib
import sys

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd
from mxnet.base import MXNetError
from mxnet.gluon import nn

FIX = pathlib.Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIX))
from gluon_conv_rnn_nets import compare_with_fixture, conv_nets  # noqa: E402

REF = onp.load(FIX / "gluon_conv_rnn_mxnet_1_9_1.npz")
REPRS = json.loads((FIX / "gluon_conv_rnn_reprs_mxnet_1_9_1.json").read_text())


@pytest.mark.parametrize("name", ["net2d", "net1d", "net3d"])
def test_matches_mxnet(name, numpy_mode):
    net, _ = conv_nets()[name]
    compare_with_fixture(name, net, REF, str(FIX / f"gluon_{name}_mxnet_1_9_1.params"), numpy_mode)
    assert repr(net) == REPRS[name]


def test_parameter_names_and_deferred_shapes():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(4, 3), nn.Conv2DTranspose(2, 3, groups=2), nn.MaxPool2D(), nn.Conv1D(3, 2, in_channels=5))
    names = list(net.collect_params().keys())
    prefix = net.prefix
    assert names == [prefix + n for n in ("conv0_weight", "conv0_bias", "conv1_weight", "conv1_bias",
                                          "conv2_weight", "conv2_bias")]  # fmt: skip
    assert net[0].weight.shape == (4, 0, 3, 3) and net[1].weight.shape == (0, 1, 3, 3)
    assert net[3].weight.shape == (3, 5, 2)
    assert repr(net[0]) == "Conv2D(None -> 4, kernel_size=(3, 3), stride=(1, 1))"
    net[0].initialize()
    net[1].initialize()
    y = net[1](net[0](nd.ones((1, 3, 6, 6))))
    assert net[0].weight.shape == (4, 3, 3, 3) and net[1].weight.shape == (4, 1, 3, 3) and y.shape == (1, 2, 6, 6)
    assert repr(net[0]) == "Conv2D(3 -> 4, kernel_size=(3, 3), stride=(1, 1))"


def test_channels_last_matches_channels_first():
    rng = onp.random.default_rng(0)
    x = rng.standard_normal((2, 5, 6, 3)).astype("float32")
    first = nn.Conv2D(4, 3, strides=2, padding=1, in_channels=3)
    last = nn.Conv2D(4, 3, strides=2, padding=1, layout="NHWC", in_channels=3)
    first.initialize()
    last.initialize()
    assert last.weight.shape == (4, 3, 3, 3)
    w = first.weight.data().asnumpy()
    last.weight.set_data(nd.array(w.transpose(0, 2, 3, 1)))
    last.bias.set_data(first.bias.data())
    want = first(nd.array(x.transpose(0, 3, 1, 2))).asnumpy().transpose(0, 2, 3, 1)
    onp.testing.assert_allclose(last(nd.array(x)).asnumpy(), want, rtol=1e-5, atol=1e-6)
    pool = nn.MaxPool2D(layout="NHWC")(nd.array(x)).asnumpy()
    want = nn.MaxPool2D()(nd.array(x.transpose(0, 3, 1, 2))).asnumpy().transpose(0, 2, 3, 1)
    onp.testing.assert_array_equal(pool, want)


def test_avg_pool_count_include_pad_and_ceil_mode():
    x = nd.arange(16).reshape((1, 1, 4, 4))
    with_pad = nn.AvgPool2D(3, 2, padding=1)(x).asnumpy()
    without = nn.AvgPool2D(3, 2, padding=1, count_include_pad=False)(x).asnumpy()
    assert with_pad[0, 0, 0, 0] == pytest.approx((0 + 1 + 4 + 5) / 9)
    assert without[0, 0, 0, 0] == pytest.approx((0 + 1 + 4 + 5) / 4)
    assert nn.MaxPool2D(3, 2, ceil_mode=True)(nd.ones((1, 1, 6, 6))).shape == (1, 1, 3, 3)
    assert nn.MaxPool2D(3, 2)(nd.ones((1, 1, 6, 6))).shape == (1, 1, 2, 2)
    assert nn.GlobalAvgPool2D()(x).asnumpy().item() == pytest.approx(7.5)


def test_bad_inputs_name_the_layer():
    conv = nn.Conv2D(8, 3, in_channels=3)
    conv.initialize()
    with pytest.raises(MXNetError, match=r"conv\d+ \(Conv2D\): the input of shape \(1, 4, 5, 5\) has 4 channels"):
        conv(nd.ones((1, 4, 5, 5)))
    with pytest.raises(MXNetError, match=r"\(Conv2D\): expected 4-D input"):
        conv(nd.ones((4, 5, 5)))
    grouped = nn.Conv2D(8, 3, groups=2)
    grouped.initialize()
    with pytest.raises(MXNetError, match="not divisible by groups=2"):
        grouped(nd.ones((1, 3, 5, 5)))
    with pytest.raises(AssertionError, match="Only supports 'NCW' layout"):
        nn.Conv1D(2, 3, layout="NWC")
    with pytest.raises(AssertionError, match="kernel_size must be a number or a list of 2 ints"):
        nn.Conv2D(2, (3, 3, 3))
    with pytest.raises(AssertionError, match="Only NCHW and NHWC layouts are valid for 2D Pooling"):
        nn.MaxPool2D(layout="NCW")


def test_reflection_pad():
    x = nd.arange(9).reshape((1, 1, 3, 3))
    y = nn.ReflectionPad2D(1)(x).asnumpy()[0, 0]
    onp.testing.assert_array_equal(y, onp.pad(onp.arange(9).reshape(3, 3), 1, mode="reflect"))
    mx.npx.set_np()
    try:
        assert isinstance(nn.ReflectionPad2D(1)(mx.np.ones((1, 1, 3, 3))), mx.np.ndarray)
    finally:
        mx.npx.reset_np()
