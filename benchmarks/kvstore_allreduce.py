"""Allreduce throughput of a 25M-float gradient set (ResNet-50-like: 161 tensors, most small) through
mx.kv against mpi4py's own Allreduce on NumPy buffers (one call per buffer, and by hand in 4 MB
chunks), the cases interleaved repetition by repetition. The weak-scaling MLP training step is
benchmarks/kvstore_scaling.py.

    mpirun --allow-run-as-root --oversubscribe -np 2 python benchmarks/kvstore_allreduce.py
"""

import time

import numpy as onp
from mpi4py import MPI

import mxnet as mx

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()


def gradient_shapes(total=25_000_000):
    shapes = [(256,)] * 53 + [(64, 64, 3, 3)] * 54 + [(2048,)] * 50
    rest = total - sum(int(onp.prod(s)) for s in shapes)
    shapes += [(rest // 4,)] * 3
    shapes.append((total - sum(int(onp.prod(s)) for s in shapes),))
    return shapes


def interleaved(cases, repeat):
    """Median and best seconds per case; each repetition runs every case once, so load on the
    machine hits all of them alike."""
    for fn in cases.values():
        fn()  # warm-up
    times = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            comm.Barrier()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return {name: (float(onp.median(ts)), min(ts)) for name, ts in times.items()}


def allreduce_bench(repeat=9):
    shapes = gradient_shapes()
    nfloat = sum(int(onp.prod(s)) for s in shapes)
    np_bufs = [onp.ones(s, dtype="float32") for s in shapes]
    grads = [mx.np.ones(s) for s in shapes]
    outs = [mx.np.zeros(s) for s in shapes]
    hv = mx.kv.create("horovod")
    ds = mx.kv.create("dist_sync")
    keys = list(range(len(shapes)))
    lists = [[g] for g in grads]
    ds.init(keys, grads)
    chunk = hv.bucket_size // 4

    def mpi_each():
        for b in np_bufs:
            comm.Allreduce(MPI.IN_PLACE, b, MPI.SUM)

    def mpi_chunked():  # what a user tuning mpi4py by hand could do
        for b in np_bufs:
            flat = b.reshape(-1)
            for o in range(0, flat.size, chunk):
                comm.Allreduce(MPI.IN_PLACE, flat[o : o + chunk], MPI.SUM)

    cases = {
        "mpi4py Allreduce, one per NumPy buffer": mpi_each,
        "mpi4py Allreduce, 4 MB chunks of each buffer": mpi_chunked,
        "kv('horovod').pushpull(keys, grads)": lambda: hv.pushpull(keys, grads),
        "Trainer path (kv._allreduce_lists)": lambda: hv._allreduce_lists(lists),
        "kv('dist_sync').pushpull(keys, grads)": lambda: ds.pushpull(keys, grads),
        "kv('dist_sync').pushpull(keys, grads, outs)": lambda: ds.pushpull(keys, grads, outs),
        "kv('dist_sync').push(keys, grads); pull(keys, outs)": lambda: (ds.push(keys, grads), ds.pull(keys, outs)),
    }
    results = interleaved(cases, repeat)
    if rank == 0:
        print(f"allreduce of {nfloat / 1e6:.1f}M float32 in {len(shapes)} tensors over {size} processes "
              f"(bucket {hv.bucket_size >> 20} MB), {repeat} interleaved repetitions:")  # fmt: skip
        base = results["mpi4py Allreduce, one per NumPy buffer"][0]
        for name, (med, best) in results.items():
            print(f"  {name:52s} median {med * 1e3:7.1f} ms (best {best * 1e3:6.1f})  "
                  f"{nfloat * 4 / med / 1e9:5.2f} GB/s  {base / med:5.2f}x mpi4py")  # fmt: skip


if __name__ == "__main__":
    allreduce_bench()
