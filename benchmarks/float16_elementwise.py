"""float16 vs float32 elementwise throughput, mxlite and NumPy side by side
in one run: add, mul, exp (fresh output each call) and sum over 1M and 16M
elements. Each round times every (library, dtype) once, interleaved, and the
medians over the rounds are reported in milliseconds with the ratios
f16/f32 (> 1: float16 is slower) and mxlite/NumPy for float16.

mxlite computes a float16 op in float32 (the registry converts the inputs,
runs the float32 kernel and rounds the result once), so its float16 cost is
the float32 op plus the F16C conversions; NumPy loops over float16 elements
converting each one.

    python benchmarks/float16_elementwise.py [--rounds N]
"""

import argparse
import statistics
import time

import numpy as onp

import mxnet as mx
from mxnet import np

SIZES = [1 << 20, 1 << 24]


def once_ms(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1e3


def workloads(n):
    rng = onp.random.default_rng(0)
    base_a = rng.standard_normal(n, dtype=onp.float32)
    base_b = rng.standard_normal(n, dtype=onp.float32)
    cases = {}
    for dt in ["float32", "float16"]:
        na, nb = base_a.astype(dt), base_b.astype(dt)
        a, b = np.array(na, dtype=dt), np.array(nb, dtype=dt)
        cases[dt] = {
            "add": (lambda a=a, b=b: a + b, lambda na=na, nb=nb: na + nb),
            "mul": (lambda a=a, b=b: a * b, lambda na=na, nb=nb: na * nb),
            "exp": (lambda a=a: np.exp(a), lambda na=na: onp.exp(na)),
            "sum": (lambda a=a: float(np.sum(a)), lambda na=na: float(na.sum())),
        }
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    print(f"mxlite threads {mx._core.num_threads()}, numpy {onp.__version__}, {args.rounds} interleaved rounds")
    head = (
        f"{'workload':<14}{'mx f32':>10}{'mx f16':>10}{'np f32':>10}{'np f16':>10}"
        f"{'mx 16/32':>10}{'np 16/32':>10}{'f16 mx/np':>11}"
    )
    print(head)
    print("-" * len(head))
    for n in SIZES:
        cases = workloads(n)
        for op in ["add", "mul", "exp", "sum"]:
            fns = {("mx", dt): cases[dt][op][0] for dt in ["float32", "float16"]} | {
                ("np", dt): cases[dt][op][1] for dt in ["float32", "float16"]
            }
            for fn in fns.values():  # warm-up (allocator, thread pool, page faults)
                fn()
                fn()
            times = {k: [] for k in fns}
            for _ in range(args.rounds):
                for k, fn in fns.items():
                    times[k].append(once_ms(fn))
            m = {k: statistics.median(v) for k, v in times.items()}
            label = f"{op} {n >> 20}M"
            print(
                f"{label:<14}{m['mx', 'float32']:>10.3f}{m['mx', 'float16']:>10.3f}"
                f"{m['np', 'float32']:>10.3f}{m['np', 'float16']:>10.3f}"
                f"{m['mx', 'float16'] / m['mx', 'float32']:>10.2f}{m['np', 'float16'] / m['np', 'float32']:>10.2f}"
                f"{m['mx', 'float16'] / m['np', 'float16']:>11.2f}"
            )


if __name__ == "__main__":
    main()
