"""The Winograd F(2x2, 3x3) kernel of 2-D 3x3 convolutions with unit stride
and dilation (cpp/src/ops/conv_winograd.cc), which the forward pass, the
data gradient (padding up to 2) and the weight gradient take.
MXLITE_CONV_WINOGRAD=1 makes it take every such problem, so small and odd
shapes are checked against NumPy loops, float64 finite differences and
second derivatives; the size rule of the default choice is checked by
comparing bit patterns with both kernels."""

import numpy as onp
import pytest

import test_op_table as op_table
from mxnet import _core, autograd, np, npx
from optable.conv import ref_conv, ref_deconv, ref_weight_grad

CASES = [
    # (x shape, w shape, pad, groups)
    ((2, 16, 7, 9), (32, 16, 3, 3), 1, 1),  # odd extents: partial last tile row and column
    ((1, 32, 8, 8), (16, 32, 3, 3), 0, 1),  # no padding
    ((3, 8, 5, 6), (12, 4, 3, 3), 2, 2),  # groups, padding 2
    ((2, 3, 1, 1), (4, 3, 3, 3), 1, 1),  # 1x1 images: one tile, mostly padding
    ((1, 2, 3, 3), (2, 2, 3, 3), 3, 1),  # padding larger than the kernel
    ((1, 1, 3, 4), (1, 1, 3, 3), 0, 1),  # one channel, one output row
    ((1, 4, 30, 61), (5, 4, 3, 3), 1, 1),  # several blocks within one image
    ((3, 64, 20, 20), (64, 64, 3, 3), 1, 1),  # blocks that span images
    ((5, 6, 9, 7), (6, 3, 3, 3), 1, 2),
]


def _run(x, w, pad, groups, dy):
    xa, wa = np.array(x), np.array(w)
    xa.attach_grad()
    wa.attach_grad()
    with autograd.record():
        y = npx.convolution(
            xa, wa, kernel=(3, 3), pad=(pad, pad), num_filter=w.shape[0], num_group=groups, no_bias=True
        )
    y.backward(np.array(dy))
    return y.asnumpy(), xa.grad.asnumpy(), wa.grad.asnumpy()


@pytest.mark.parametrize("dtype,tol", [("float64", 1e-13), ("float32", 2e-6)])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-p{c[2]}-g{c[3]}" for c in CASES])
def test_matches_numpy_loops(case, dtype, tol, np_mode, monkeypatch):
    monkeypatch.setenv("MXLITE_CONV_WINOGRAD", "1")
    xs, ws, pad, groups = case
    rng = onp.random.default_rng(7)
    x, w = rng.standard_normal(xs), rng.standard_normal(ws)
    p2 = (pad, pad)
    y_ref = ref_conv(x, w, None, (1, 1), (1, 1), p2, groups)
    dy = rng.standard_normal(y_ref.shape)
    got = _run(x.astype(dtype), w.astype(dtype), pad, groups, dy.astype(dtype))
    wants = (
        y_ref,
        ref_deconv(dy, w, None, (1, 1), (1, 1), p2, groups, target=xs[2:]),
        ref_weight_grad(x, dy, (3, 3), (1, 1), (1, 1), p2, groups),
    )
    for name, g, want in zip(("forward", "data gradient", "weight gradient"), got, wants):
        assert g.dtype == onp.dtype(dtype)
        scale = onp.abs(want).max()
        onp.testing.assert_allclose(g / scale, want / scale, rtol=0, atol=tol, err_msg=name)


def test_empty_batch(np_mode, monkeypatch):
    monkeypatch.setenv("MXLITE_CONV_WINOGRAD", "1")
    y, dx, dw = _run(onp.ones((0, 16, 6, 6)), onp.ones((16, 16, 3, 3)), 1, 1, onp.ones((0, 16, 6, 6)))
    assert y.shape == (0, 16, 6, 6) and dx.shape == (0, 16, 6, 6)
    onp.testing.assert_array_equal(dw, onp.zeros((16, 16, 3, 3)))


def test_non_contiguous_inputs(np_mode, monkeypatch):
    monkeypatch.setenv("MXLITE_CONV_WINOGRAD", "1")
    rng = onp.random.default_rng(3)
    big = rng.standard_normal((2, 20, 9, 11))
    w = rng.standard_normal((16, 10, 3, 3))
    x = np.array(big)[:, ::2, 1:, ::2]  # strided view
    y = npx.convolution(x, np.array(w), kernel=(3, 3), pad=(1, 1), num_filter=16, no_bias=True)
    want = ref_conv(big[:, ::2, 1:, ::2], w, None, (1, 1), (1, 1), (1, 1), 1)
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-12, atol=1e-12)


# The op table's 2-D 3x3 unit-stride cases, rerun through the Winograd kernel:
# values, gradients (float64 central differences) and second derivatives.
TABLE = [c for c in op_table.CASES if c.name in ("convolution-2d", "convolution-2d-groups")]


@pytest.mark.parametrize("case", TABLE, ids=[c.name for c in TABLE])
def test_op_table_cases(case, np_mode, monkeypatch):
    monkeypatch.setenv("MXLITE_CONV_WINOGRAD", "1")
    assert len(TABLE) == 2
    for i in range(len(case.shapes)):
        op_table.test_values(case, i)
        op_table.test_gradients(case, i)
    op_table.test_second_derivatives(case)


def _bits(shape, wshape, env, monkeypatch):
    if env is None:
        monkeypatch.delenv("MXLITE_CONV_WINOGRAD", raising=False)
    else:
        monkeypatch.setenv("MXLITE_CONV_WINOGRAD", env)
    rng = onp.random.default_rng(11)
    x = rng.standard_normal(shape, dtype=onp.float32)
    w = rng.standard_normal(wshape, dtype=onp.float32)
    dy = rng.standard_normal((shape[0], wshape[0]) + shape[2:], dtype=onp.float32)
    return _run(x, w, 1, 1, dy)


@pytest.mark.skipif(_core.conv_uses_dnnl(), reason="float32 convolutions run on oneDNN in this build")
@pytest.mark.parametrize(
    "shape,wshape,kernels",
    [
        # (forward, data gradient, weight gradient): "w" Winograd, "i" im2col
        ((2, 64, 32, 32), (64, 64, 3, 3), "www"),  # 512 tiles, 64 channels
        ((2, 16, 32, 32), (32, 16, 3, 3), "wwi"),  # too few channels for the weight gradient's GEMMs
        ((8, 64, 7, 7), (64, 64, 3, 3), "iii"),  # 128 tiles
        ((2, 8, 32, 32), (32, 8, 3, 3), "iii"),  # 8 input channels
    ],
)
def test_default_choice(shape, wshape, kernels, np_mode, monkeypatch):
    auto = _bits(shape, wshape, None, monkeypatch)
    wino = _bits(shape, wshape, "1", monkeypatch)
    im2col = _bits(shape, wshape, "0", monkeypatch)
    for a, w, i, k in zip(auto, wino, im2col, kernels):
        onp.testing.assert_allclose(w, i, rtol=0, atol=2e-5 * onp.abs(i).max())
        assert not onp.array_equal(w, i)  # the two kernels round differently
        onp.testing.assert_array_equal(a, w if k == "w" else i)
