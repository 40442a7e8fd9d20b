"""Throughput on large workloads, mxlite vs NumPy vs PyTorch measured side by
side in one run (every library at its default thread count):
1e7-element float32 add / exp (fresh output each call) and sum, reported
in milliseconds, GB/s of memory traffic and ratios.

    python benchmarks/large.py
"""

import statistics
import time

import numpy as onp

from mxnet import np
import mxnet as mx

N = 10_000_000


def median_ms(fn, repeat=25, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def torch_or_none():
    try:
        import torch

        return torch
    except ImportError:
        return None


def report(title, rows):
    libs = ["mxlite", "numpy", "torch"]
    print(f"\n{title}")
    head = f"{'workload':<28}" + "".join(f"{lib + ' ms':>12}" for lib in libs) + f"{'mx GB/s':>10}"
    head += "".join(f"{'mx/' + lib:>10}" for lib in libs[1:])
    print(head)
    print("-" * len(head))
    for label, nbytes, vals in rows:
        line = f"{label:<28}"
        for lib in libs:
            v = vals.get(lib)
            line += f"{v:>12.3f}" if v is not None else f"{'-':>12}"
        line += f"{nbytes / (vals['mxlite'] * 1e-3) / 1e9:>10.1f}"
        for lib in libs[1:]:
            v = vals.get(lib)
            # > 1 means mxlite takes longer.
            line += f"{vals['mxlite'] / v:>10.2f}" if v else f"{'-':>10}"
        print(line)


def elementwise_rows(torch):
    rng = onp.random.default_rng(0)
    na = rng.standard_normal(N, dtype=onp.float32)
    nb = rng.standard_normal(N, dtype=onp.float32)
    a, b = np.array(na), np.array(nb)
    ta, tb = (torch.from_numpy(na), torch.from_numpy(nb)) if torch else (None, None)
    rows = []
    for label, nbytes, f_mx, f_np, f_t in [
        ("1e7 add (fresh output)", 12 * N, lambda: a + b, lambda: na + nb, lambda: ta + tb),
        ("1e7 exp (fresh output)", 8 * N, lambda: np.exp(a), lambda: onp.exp(na), lambda: torch.exp(ta)),
        ("1e7 sum", 4 * N, lambda: np.sum(a), lambda: na.sum(), lambda: ta.sum()),
    ]:
        vals = {"mxlite": median_ms(f_mx), "numpy": median_ms(f_np)}
        if torch:
            vals["torch"] = median_ms(f_t)
        rows.append((label, nbytes, vals))
    return rows


def main():
    torch = torch_or_none()
    print(
        f"mxlite threads {mx._core.num_threads()}, numpy {onp.__version__}"
        + (f", torch {torch.__version__} threads {torch.get_num_threads()}" if torch else ", torch not installed")
    )
    report("Elementwise and reduction, float32", elementwise_rows(torch))


if __name__ == "__main__":
    main()
