"""Timing helpers shared by the benchmarks: medians of repeated timeit runs."""

import statistics
import time
import timeit


def per_call_us(stmt, setup_globals, number=20000, repeat=15):
    """Median microseconds per call of `stmt` (a zero-argument callable)."""
    timer = timeit.Timer(stmt, globals=setup_globals)
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e6


def try_import_torch():
    try:
        import torch

        torch.set_num_threads(1)
        return torch
    except ImportError:
        return None


def print_table(title, rows, columns):
    """rows: list of (label, {column: microseconds or None})."""
    print(f"\n{title}")
    head = f"{'workload':<34}" + "".join(f"{c:>12}" for c in columns)
    ratios = [c for c in columns if c != "mxlite"]
    head += "".join(f"{'mx/' + c:>12}" for c in ratios)
    print(head)
    print("-" * len(head))
    for label, values in rows:
        line = f"{label:<34}"
        for c in columns:
            v = values.get(c)
            line += f"{v:>12.3f}" if v is not None else f"{'-':>12}"
        for c in ratios:
            v = values.get(c)
            line += f"{values['mxlite'] / v:>12.2f}" if v else f"{'-':>12}"
        print(line)


def measure(steps, repeat, gap=0.0, warmup=3):
    """Interleaved: each round runs every variant twice and times the second
    call; medians in ms. The untimed call pays for switching libraries (the
    other library's worker threads spinning on the cores for a while after
    their last op, this one's waking up), so each time is a warm one while
    all variants still share the machine's slow drifts. `gap` adds idle
    seconds before each untimed call."""
    for fn in steps.values():
        for _ in range(warmup):
            fn()
    times = {k: [] for k in steps}
    for _ in range(repeat):
        for k, fn in steps.items():
            if gap:
                time.sleep(gap)
            fn()
            t = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) * 1e3 for k, v in times.items()}
