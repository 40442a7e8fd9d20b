"""The convolution kernels of cpp/src/ops/conv.cc against torch's conv2d and
its conv2d_input / conv2d_weight gradients, on the shapes of
benchmarks/conv_rnn_train_step.py and the 3x3 stages of a ResNet. mxlite
picks its kernel (im2col + BLAS GEMM, or Winograd F(2x2, 3x3) for 3x3
convolutions with unit stride); the "im2col" column times the same call with
MXLITE_CONV_WINOGRAD=0, in the same process. Interleaved repetitions,
medians in ms.

    PYTHONPATH=build/dev/site python benchmarks/conv_kernels.py [--repeat 20]

Numbers on the 2-core dev machine (shared, so +-15 %), torch 2.13 with the
same 2 threads; see benchmarks/README.md for before/after.
"""

import argparse
import os

import numpy as onp

import mxnet as mx
from mxnet import _core, autograd, np, npx

from common import measure

# (label, data shape, weight shape, pad)
SHAPES = [
    ("LeNet conv1 b64 1->6 5x5 p2", (64, 1, 28, 28), (6, 1, 5, 5), 2),
    ("LeNet conv2 b64 6->16 5x5", (64, 6, 14, 14), (16, 6, 5, 5), 0),
    ("ResNet 3x3 b8 64->64 56x56", (8, 64, 56, 56), (64, 64, 3, 3), 1),
    ("ResNet 3x3 b8 128->128 28x28", (8, 128, 28, 28), (128, 128, 3, 3), 1),
    ("ResNet 3x3 b8 256->256 14x14", (8, 256, 14, 14), (256, 256, 3, 3), 1),
    ("ResNet 3x3 b8 512->512 7x7", (8, 512, 7, 7), (512, 512, 3, 3), 1),
]


def im2col_only(fn):
    """fn with the Winograd kernel switched off for the call."""

    def call():
        os.environ["MXLITE_CONV_WINOGRAD"] = "0"
        try:
            fn()
        finally:
            del os.environ["MXLITE_CONV_WINOGRAD"]

    return call


def mx_calls(x, w, pad):
    k = w.shape[2:]
    xa, wa = np.array(x), np.array(w)
    kw = dict(kernel=k, pad=(pad, pad), num_filter=w.shape[0], no_bias=True)
    dy = np.array(onp.ones((x.shape[0], w.shape[0]) + tuple(npx.convolution(xa, wa, **kw).shape[2:]), "float32"))

    def fwd():
        npx.convolution(xa, wa, **kw).wait_to_read()

    def data_grad():
        npx.deconvolution(dy, wa, kernel=k, pad=(pad, pad), num_filter=w.shape[1], no_bias=True).wait_to_read()

    wg = np.array(w)
    wg.attach_grad()
    with autograd.record():
        y = npx.convolution(xa, wg, **kw)

    def weight_grad():  # the recorded graph's backward: only the weight gradient
        y.backward(dy, retain_graph=True)
        wg.grad.wait_to_read()

    return {"forward": fwd, "data grad": data_grad, "weight grad": weight_grad}


def torch_calls(torch, x, w, pad):
    F = torch.nn.functional
    xt, wt = torch.from_numpy(x), torch.from_numpy(w)
    dy = torch.ones_like(F.conv2d(xt, wt, padding=pad))
    return {
        "forward": lambda: F.conv2d(xt, wt, padding=pad),
        "data grad": lambda: torch.nn.grad.conv2d_input(xt.shape, wt, dy, padding=pad),
        "weight grad": lambda: torch.nn.grad.conv2d_weight(xt, wt.shape, dy, padding=pad),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.0, help="idle seconds before each round of a variant")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(_core.num_threads())
    npx.set_np()
    rng = onp.random.default_rng(0)
    backend = "oneDNN" if mx.runtime.Features().is_enabled("MKLDNN") else "portable kernels"
    print(f"{_core.num_threads()} threads, mxlite convolutions on {backend}, torch {torch.__version__}; median ms")
    os.environ.pop("MXLITE_CONV_WINOGRAD", None)
    head = f"{'shape':<30}{'pass':<13}{'mxlite':>10}{'im2col':>10}{'torch':>10}{'mx/torch':>10}{'im2col/t':>10}"
    print(head)
    print("-" * len(head))
    for label, xs, ws, pad in SHAPES:
        x = rng.standard_normal(xs, dtype=onp.float32)
        w = rng.standard_normal(ws, dtype=onp.float32)
        mc, tc = mx_calls(x, w, pad), torch_calls(torch, x, w, pad)
        for name in mc:
            r = measure({"mx": mc[name], "im2col": im2col_only(mc[name]), "torch": tc[name]}, args.repeat, args.gap)
            m, i, t = r["mx"], r["im2col"], r["torch"]
            print(f"{label:<30}{name:<13}{m:>10.3f}{i:>10.3f}{t:>10.3f}{m / t:>10.2f}{i / t:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
