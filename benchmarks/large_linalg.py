"""Large float32 matrix products: 1024 and 2048 square matmul, forward alone
and forward + backward (the two gradient products), for mxlite, NumPy and
(when installed) PyTorch, measured side by side in one run. Every library
gets the same thread count (mxlite's pool size, which OpenBLAS follows).

    python benchmarks/large_linalg.py [--sizes 1024 2048] [--repeat 7]

Runs of the three libraries are interleaved so that load from other
processes hits them alike; the table shows the best and the median run.
"""

import argparse
import statistics
import time

import numpy as onp

import mxnet as mx
from mxnet import autograd, np


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def workloads(n, torch):
    rng = onp.random.default_rng(0)
    na = rng.standard_normal((n, n), dtype=onp.float32)
    nb = rng.standard_normal((n, n), dtype=onp.float32)
    ng = onp.ones((n, n), dtype=onp.float32)
    a, b = np.array(na), np.array(nb)
    ga, gb = np.array(na), np.array(nb)
    ga.attach_grad()
    gb.attach_grad()

    def mx_fwd():
        (a @ b).wait_to_read()

    def mx_fwd_bwd():
        with autograd.record():
            c = ga @ gb
        c.backward()
        gb.grad.wait_to_read()

    def np_fwd():
        na @ nb

    def np_fwd_bwd():
        # What a backward pass computes for C = A B with head gradient G.
        na @ nb
        ng @ nb.T
        na.T @ ng

    fwd = {"mxlite": mx_fwd, "numpy": np_fwd}
    fwd_bwd = {"mxlite": mx_fwd_bwd, "numpy": np_fwd_bwd}
    if torch is not None:
        ta, tb = torch.from_numpy(na), torch.from_numpy(nb)
        tga, tgb = ta.clone().requires_grad_(True), tb.clone().requires_grad_(True)
        tg = torch.from_numpy(ng)

        def t_fwd():
            with torch.no_grad():
                ta @ tb

        def t_fwd_bwd():
            tga.grad = tgb.grad = None
            (tga @ tgb).backward(tg)

        fwd["torch"] = t_fwd
        fwd_bwd["torch"] = t_fwd_bwd
    return [(f"{n}x{n} matmul", 2.0 * n**3, fwd), (f"{n}x{n} matmul + backward", 6.0 * n**3, fwd_bwd)]


def check_agreement(n):
    rng = onp.random.default_rng(1)
    na = rng.standard_normal((n, n), dtype=onp.float32)
    nb = rng.standard_normal((n, n), dtype=onp.float32)
    want = na.astype(onp.float64) @ nb.astype(onp.float64)
    got = (np.array(na) @ np.array(nb)).asnumpy()
    err = onp.abs(got - want).max() / onp.abs(want).max()
    assert err < 1e-5, f"mxlite's {n}x{n} product is off by {err:.2e} (relative)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    threads = mx._core.num_threads()
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
    print(
        f"mxlite {mx.__version__} (GEMM on BLAS: {mx._core.gemm_uses_blas()}), numpy {onp.__version__}"
        + (f", torch {torch.__version__}" if torch is not None else " (PyTorch not installed)")
        + f"; {threads} threads each"
    )
    columns = ["mxlite", "numpy"] + (["torch"] if torch is not None else [])
    head = f"{'workload':<28}{'library':>8}{'best ms':>10}{'median ms':>11}{'GFLOP/s':>9}{'mx/lib':>8}"
    print(head)
    print("-" * len(head))
    for n in args.sizes:
        check_agreement(min(n, 512))
        for label, flops, fns in workloads(n, torch):
            for fn in fns.values():  # warm-up: thread start, first allocations
                fn()
            runs = {c: [] for c in columns}
            for _ in range(args.repeat):
                for c in columns:
                    runs[c].append(timed(fns[c]))
            best = {c: min(runs[c]) for c in columns}
            for c in columns:
                line = (
                    f"{label if c == 'mxlite' else '':<28}{c:>8}{best[c] * 1e3:>10.2f}"
                    f"{statistics.median(runs[c]) * 1e3:>11.2f}{flops / best[c] / 1e9:>9.1f}"
                )
                line += f"{best['mxlite'] / best[c]:>8.2f}" if c != "mxlite" else f"{'':>8}"
                print(line)
    print("\nmx/lib: mxlite's best time over the library's (below 1: mxlite faster).")


if __name__ == "__main__":
    main()
