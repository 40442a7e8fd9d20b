"""Convolutions on shapes large enough to take the kernels' fast paths (the
portable path's tiles of output rows, several small images per GEMM,
oneDNN's Winograd and blocked layouts in MXLITE_WITH_DNNL builds, the batch
split over the pool, data gradients into 8 or more channels), forward and
both gradients against NumPy loops."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, np, npx
from optable.conv import ref_conv, ref_deconv, ref_weight_grad

CASES = [
    # (x shape, w shape, stride, dilate, pad, groups)
    ((3, 16, 48, 48), (16, 16, 3, 3), (1, 1), (1, 1), (1, 1), 1),  # Winograd-eligible 3x3
    ((2, 12, 40, 36), (8, 12, 5, 5), (2, 2), (1, 1), (2, 1), 1),
    ((2, 16, 33, 33), (16, 4, 3, 3), (1, 1), (2, 2), (2, 2), 4),  # grouped, dilated
    ((4, 1, 28, 28), (6, 1, 5, 5), (1, 1), (1, 1), (2, 2), 1),  # LeNet's first layer
    # small outputs: several images lowered side by side per GEMM
    ((12, 16, 14, 14), (16, 16, 5, 5), (1, 1), (1, 1), (0, 0), 1),  # batches of 5, 5 and 2 images
    ((5, 32, 7, 7), (24, 32, 3, 3), (1, 1), (1, 1), (1, 1), 1),  # too few tiles for Winograd
    ((9, 64, 6, 6), (12, 32, 3, 3), (2, 2), (1, 1), (1, 1), 2),  # grouped, strided
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-g{c[5]}" for c in CASES])
def test_forward_and_gradients_match_numpy(case, np_mode):
    xs, ws, stride, dilate, pad, groups = case
    rng = onp.random.default_rng(1)
    x = rng.standard_normal(xs).astype(onp.float32)
    w = rng.standard_normal(ws).astype(onp.float32)
    k = ws[2:]
    y_ref = ref_conv(x.astype(onp.float64), w.astype(onp.float64), None, stride, dilate, pad, groups)
    dy = rng.standard_normal(y_ref.shape).astype(onp.float32)
    xa, wa = np.array(x), np.array(w)
    xa.attach_grad()
    wa.attach_grad()
    with autograd.record():
        y = npx.convolution(
            xa, wa, kernel=k, stride=stride, dilate=dilate, pad=pad, num_filter=ws[0], num_group=groups, no_bias=True
        )
    y.backward(np.array(dy))
    dx_ref = ref_deconv(dy.astype(onp.float64), w.astype(onp.float64), None, stride, dilate, pad, groups, target=xs[2:])
    dw_ref = ref_weight_grad(x.astype(onp.float64), dy.astype(onp.float64), k, stride, dilate, pad, groups)
    for got, want in ((y, y_ref), (xa.grad, dx_ref), (wa.grad, dw_ref)):
        scale = onp.abs(want).max()
        onp.testing.assert_allclose(got.asnumpy() / scale, want / scale, rtol=0, atol=2e-5)


def test_runtime_names_the_backend():
    assert mx.runtime.Features().is_enabled("MKLDNN") == mx._core.conv_uses_dnnl()
