"""Per-op overhead of small eager ops: microseconds per 2x2 add and multiply,
outside and inside autograd recording, and per tiny record+backward round
trip; and what out= costs on 1e7 elements; for mxlite, NumPy and (when
installed) PyTorch, measured in one run.

    python benchmarks/dispatch.py
"""

import os
import subprocess
import sys

import numpy as onp

from common import per_call_us, print_table, try_import_torch

import mxnet as mx
from mxnet import autograd, np


def import_time_s(module):
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
    return sorted(times)[len(times) // 2]


def main():
    torch = try_import_torch()
    a, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]])
    na, nb = a.asnumpy(), b.asnumpy()
    ga = np.array([[1.0, 2.0], [3.0, 4.0]])
    ga.attach_grad()
    g = {"a": a, "b": b, "na": na, "nb": nb, "ga": ga, "autograd": autograd}
    if torch is not None:
        g.update(ta=torch.tensor(na), tb=torch.tensor(nb), tga=torch.tensor(na, requires_grad=True), torch=torch)

    rows = []
    for label, mx_stmt, np_stmt, t_stmt in [
        ("2x2 add", "a + b", "na + nb", "ta + tb"),
        ("2x2 multiply", "a * b", "na * nb", "ta * tb"),
    ]:
        vals = {"mxlite": per_call_us(mx_stmt, g), "numpy": per_call_us(np_stmt, g)}
        if torch is not None:
            with torch.no_grad():
                vals["torch"] = per_call_us(t_stmt, g)
        rows.append((label, vals))

    # Recorded: the input requires a gradient, so a graph node is made per op.
    autograd.set_recording(True)
    try:
        rec = {"mxlite": per_call_us("ga * b", g)}
    finally:
        autograd.set_recording(False)
    if torch is not None:
        rec["torch"] = per_call_us("tga * tb", g)
    rows.append(("2x2 multiply, recorded", rec))

    trip = {"mxlite": per_call_us("with autograd.record():\n    y = (ga * b).sum()\ny.backward()", g, number=5000)}
    if torch is not None:
        trip["torch"] = per_call_us("y = (tga * tb).sum()\ny.backward()", g, number=5000)
    rows.append(("record + backward round trip", trip))

    # out= must cost nothing: on 1e7 elements the kernel writes straight into
    # out (no temporary); the last row is the ratio of the two mxlite times.
    n = 10**7
    g.update(
        la=np.ones(n),
        lb=np.ones(n),
        lc=np.zeros(n),
        nla=onp.ones(n, onp.float32),
        nlb=onp.ones(n, onp.float32),
        nlc=onp.zeros(n, onp.float32),
        onp=onp,
        np=np,
    )
    if torch is not None:
        g.update(tla=torch.ones(n), tlb=torch.ones(n), tlc=torch.zeros(n))
    large = []
    for label, mx_stmt, np_stmt, t_stmt in [
        ("1e7 add", "np.add(la, lb)", "onp.add(nla, nlb)", "torch.add(tla, tlb)"),
        ("1e7 add, out=", "np.add(la, lb, out=lc)", "onp.add(nla, nlb, out=nlc)", "torch.add(tla, tlb, out=tlc)"),
        (
            "1e7 add, out= an operand",
            "np.add(la, lb, out=la)",
            "onp.add(nla, nlb, out=nla)",
            "torch.add(tla, tlb, out=tla)",
        ),
    ]:
        vals = {
            "mxlite": per_call_us(mx_stmt, g, number=10, repeat=15) / 1e3,
            "numpy": per_call_us(np_stmt, g, number=10, repeat=15) / 1e3,
        }
        if torch is not None:
            vals["torch"] = per_call_us(t_stmt, g, number=10, repeat=15) / 1e3
        large.append((label, vals))

    columns = ["mxlite", "numpy"] + (["torch"] if torch is not None else [])
    print(
        f"mxlite {mx.__version__}, numpy {onp.__version__}"
        + (f", torch {torch.__version__}" if torch is not None else " (PyTorch not installed)")
        + f"; threads: {os.environ.get('MXLITE_NUM_THREADS', 'default')}"
    )
    print_table("microseconds per call (median)", rows, columns)
    print_table("milliseconds per call (median), float32", large, columns)
    print(f"\nmxlite 1e7 add: out= / without out= = {large[1][1]['mxlite'] / large[0][1]['mxlite']:.2f}")
    imports = {"mxnet (mxlite)": import_time_s("mxnet")}
    if torch is not None:
        imports["torch"] = import_time_s("torch")
    print(
        "\nimport time, seconds (median of 5 fresh processes): " + ", ".join(f"{k} {v:.3f}" for k, v in imports.items())
    )


if __name__ == "__main__":
    main()
