"""LAPACK decompositions: inv, cholesky and svd of n x n matrices (512 and
1024 by default, float32 and float64), for mxlite, NumPy and (when installed)
PyTorch, measured side by side in one run; optionally forward + backward for
mxlite and PyTorch.

    python benchmarks/linalg_lapack.py [--sizes 512 1024] [--dtypes float32 float64]
        [--repeat 5] [--threads N] [--no-backward] [--lapack-threads]

Every library gets the same thread count (mxlite's pool size unless
--threads): NumPy's OpenBLAS through threadpoolctl (only NumPy's copy of the
library, not mxlite's), torch through torch.set_num_threads. mxlite runs
LAPACK on one OpenBLAS thread and splits batches over its pool; with
--lapack-threads the script also times mxlite with its OpenBLAS raised to the
thread count around each call ("mx-blasN"), to see whether that would pay.

Workloads (what each library is asked for):
  inv       np.linalg.inv / torch.linalg.inv
  cholesky  of a symmetric positive definite matrix
  svd       the thin SVD with vectors (mxlite's MXNet svd returns (ut, l, v);
            NumPy full_matrices=False, torch.linalg.svd full_matrices=False)
  svdvals   the singular values only: mxlite np.linalg.norm(a, 2) (MXNet's
            svd has no compute_uv; the norm takes them from the same SVD),
            NumPy svd(compute_uv=False), torch.linalg.svdvals
The repetitions of the libraries are interleaved so that load from other
processes hits them alike; the table shows medians and the ratios of
mxlite's median to the others' (below 1: mxlite faster).
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


def numpy_blas(threadpoolctl):
    """A threadpoolctl selection of NumPy's own OpenBLAS (None if not found)."""
    if threadpoolctl is None:
        return None
    ctl = threadpoolctl.ThreadpoolController()
    paths = [i["filepath"] for i in ctl.info() if i["user_api"] == "blas" and "numpy" in i["filepath"]]
    return ctl.select(filepath=paths) if paths else None


def mxlite_blas(threadpoolctl):
    """A threadpoolctl selection of the OpenBLAS that mxlite's _core links."""
    if threadpoolctl is None:
        return None
    ctl = threadpoolctl.ThreadpoolController()
    paths = [i["filepath"] for i in ctl.info() if i["user_api"] == "blas" and "scipy_openblas32" in i["filepath"]]
    return ctl.select(filepath=paths) if paths else None


def matrices(n, dtype):
    rng = onp.random.default_rng(n)
    a = rng.standard_normal((n, n)).astype(dtype)
    spd = (a @ a.T / n + onp.eye(n, dtype=dtype)).astype(dtype)
    return a, spd


def check_agreement(n, dtype):
    """mxlite's results against NumPy's (each library's own LAPACK)."""
    a, spd = matrices(n, dtype)
    tol = 2e-3 if dtype == onp.float32 else 1e-9
    rel = lambda got, want: onp.abs(got - want).max() / onp.abs(want).max()  # noqa: E731
    assert rel(np.linalg.inv(np.array(a)).asnumpy(), onp.linalg.inv(a)) < tol * 10, "inv"
    assert rel(np.linalg.cholesky(np.array(spd)).asnumpy(), onp.linalg.cholesky(spd)) < tol, "cholesky"
    ut, s, v = (x.asnumpy() for x in np.linalg.svd(np.array(a)))
    want = onp.linalg.svd(a, compute_uv=False)
    assert rel(s, want) < tol, "svd values"
    assert rel((ut * s) @ v, a) < tol, "svd reconstruction"
    assert abs(np.linalg.norm(np.array(a), 2).item() / want[0] - 1) < tol, "norm 2"


def workloads(n, dtype, torch, backward):
    a, spd = matrices(n, dtype)
    xa, xs = np.array(a), np.array(spd)
    fwd = {
        "inv": {"mxlite": lambda: np.linalg.inv(xa).wait_to_read(), "numpy": lambda: onp.linalg.inv(a)},
        "cholesky": {
            "mxlite": lambda: np.linalg.cholesky(xs).wait_to_read(),
            "numpy": lambda: onp.linalg.cholesky(spd),
        },
        "svd": {
            "mxlite": lambda: np.linalg.svd(xa)[2].wait_to_read(),
            "numpy": lambda: onp.linalg.svd(a, full_matrices=False),
        },
        "svdvals": {
            "mxlite": lambda: np.linalg.norm(xa, 2).wait_to_read(),
            "numpy": lambda: onp.linalg.svd(a, compute_uv=False),
        },
    }
    if torch is not None:
        ta, ts = torch.from_numpy(a), torch.from_numpy(spd)
        fwd["inv"]["torch"] = lambda: torch.linalg.inv(ta)
        fwd["cholesky"]["torch"] = lambda: torch.linalg.cholesky(ts)
        fwd["svd"]["torch"] = lambda: torch.linalg.svd(ta, full_matrices=False)
        fwd["svdvals"]["torch"] = lambda: torch.linalg.svdvals(ta)
    rows = [(f"{name} {n} {onp.dtype(dtype).name}", fns) for name, fns in fwd.items()]
    if not backward:
        return rows

    # Forward + backward of the sum of every output (head gradients of ones).
    ga, gs = np.array(a), np.array(spd)
    ga.attach_grad()
    gs.attach_grad()

    def mx_bwd(f, x):
        def run():
            with autograd.record():
                outs = f(x)
                outs = outs if isinstance(outs, (list, tuple)) else [outs]
                loss = sum(o.sum() for o in outs)
            loss.backward()
            x.grad.wait_to_read()

        return run

    bwd = {
        "inv": {"mxlite": mx_bwd(np.linalg.inv, ga)},
        "cholesky": {"mxlite": mx_bwd(np.linalg.cholesky, gs)},
        "svd": {"mxlite": mx_bwd(np.linalg.svd, ga)},
    }
    if torch is not None:
        tga = torch.from_numpy(a.copy()).requires_grad_(True)
        tgs = torch.from_numpy(spd.copy()).requires_grad_(True)

        def t_bwd(f, x):
            def run():
                x.grad = None
                outs = f(x)
                outs = outs if isinstance(outs, (list, tuple)) else [outs]
                sum(o.sum() for o in outs).backward()

            return run

        bwd["inv"]["torch"] = t_bwd(torch.linalg.inv, tga)
        bwd["cholesky"]["torch"] = t_bwd(torch.linalg.cholesky, tgs)
        bwd["svd"]["torch"] = t_bwd(lambda t: torch.linalg.svd(t, full_matrices=False), tga)
    rows += [(f"{name} {n} {onp.dtype(dtype).name} +bwd", fns) for name, fns in bwd.items()]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[512, 1024])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None, help="threads for every library (default: mxlite's pool)")
    parser.add_argument("--no-backward", action="store_true", help="forward only")
    parser.add_argument(
        "--lapack-threads", action="store_true", help="also time mxlite with its OpenBLAS at --threads around each call"
    )
    args = parser.parse_args()
    if args.threads is not None:
        mx._core.set_num_threads(args.threads)
    threads = mx._core.num_threads()
    try:
        import threadpoolctl
    except ImportError:
        threadpoolctl = None
    np_blas = numpy_blas(threadpoolctl)
    if np_blas is not None:
        np_blas.limit(limits=threads)
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
    mx_blas = mxlite_blas(threadpoolctl) if args.lapack_threads else None
    if args.lapack_threads and mx_blas is None:
        parser.error("--lapack-threads needs threadpoolctl and mxlite linked to scipy-openblas32")
    print(
        f"mxlite {mx.__version__}, numpy {onp.__version__}"
        + (f", torch {torch.__version__}" if torch is not None else " (PyTorch not installed)")
        + f"; {threads} threads each"
        + ("" if np_blas is not None else " (NumPy's BLAS threads not set: threadpoolctl missing)")
    )
    columns = ["mxlite", "numpy"] + (["torch"] if torch is not None else [])
    extra = f"mx-blas{threads}"
    if mx_blas is not None:
        columns.append(extra)
    ratios = [c for c in columns if c != "mxlite"]
    head = f"{'workload (median ms)':<28}" + "".join(f"{c:>10}" for c in columns)
    head += "".join(f"{'mx/' + c:>12}" for c in ratios)
    print(head)
    print("-" * len(head))
    for dtype in (onp.dtype(d).type for d in args.dtypes):
        for n in args.sizes:
            check_agreement(min(n, 256), dtype)
            for label, fns in workloads(n, dtype, torch, not args.no_backward):
                if mx_blas is not None and "+bwd" not in label:
                    mx_fn = fns["mxlite"]

                    def threaded(fn=mx_fn):
                        with mx_blas.limit(limits=threads):
                            fn()

                    fns[extra] = threaded
                cols = [c for c in columns if c in fns]
                for c in cols:  # warm-up: thread start, first allocations
                    fns[c]()
                runs = {c: [] for c in cols}
                for _ in range(args.repeat):
                    for c in cols:
                        runs[c].append(timed(fns[c]))
                med = {c: statistics.median(runs[c]) * 1e3 for c in cols}
                line = f"{label:<28}" + "".join(f"{med[c]:>10.1f}" if c in med else f"{'-':>10}" for c in columns)
                line += "".join(f"{med['mxlite'] / med[c]:>12.2f}" if c in med else f"{'-':>12}" for c in ratios)
                print(line, flush=True)
    print("\nmx/lib: mxlite's median over the library's (below 1: mxlite faster).")


if __name__ == "__main__":
    main()
