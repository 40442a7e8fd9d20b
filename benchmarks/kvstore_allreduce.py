"""Allreduce throughput of a 25M-float gradient set (ResNet-50-like: 161 tensors, most small) through
mx.kv against mpi4py's own Allreduce on NumPy buffers, and the MLP training-step time at 1 and 2
processes with the per-process batch fixed (weak scaling).

    mpirun --allow-run-as-root --oversubscribe -np 2 python benchmarks/kvstore_allreduce.py
    python benchmarks/kvstore_allreduce.py          # one process: the weak-scaling baseline
"""

import time

import numpy as onp
from mpi4py import MPI

import mxnet as mx
from mxnet import autograd, gluon

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.Get_size()


def gradient_shapes(total=25_000_000):
    shapes = [(256,)] * 53 + [(64, 64, 3, 3)] * 54 + [(2048,)] * 50
    rest = total - sum(int(onp.prod(s)) for s in shapes)
    shapes += [(rest // 4,)] * 3
    shapes.append((total - sum(int(onp.prod(s)) for s in shapes),))
    return shapes


def timed(fn, repeat):
    fn()  # warm-up
    comm.Barrier()
    best = float("inf")
    for _ in range(repeat):
        comm.Barrier()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def allreduce_bench(repeat=3):
    shapes = gradient_shapes()
    nfloat = sum(int(onp.prod(s)) for s in shapes)
    np_bufs = [onp.ones(s, dtype="float32") for s in shapes]
    flat = onp.ones(nfloat, dtype="float32")
    grads = [mx.np.ones(s) for s in shapes]
    hv = mx.kv.create("horovod")
    ds = mx.kv.create("dist_sync")
    keys = list(range(len(shapes)))
    lists = [[g] for g in grads]
    ds.init(keys, grads)

    def mpi_each():
        for b in np_bufs:
            comm.Allreduce(MPI.IN_PLACE, b, MPI.SUM)

    if rank == 0:
        print("allreduce: start", flush=True)
    results = {}
    cases = [
        ("mpi4py Allreduce, one per NumPy buffer", lambda: timed(mpi_each, repeat)),
        (
            "mpi4py Allreduce, one flat NumPy buffer",
            lambda: timed(lambda: comm.Allreduce(MPI.IN_PLACE, flat, MPI.SUM), repeat),
        ),
        ("kv('horovod').pushpull (in place, bucketed)", lambda: timed(lambda: hv.pushpull(keys, grads), repeat)),
        (
            "Trainer path (kv._allreduce_lists in place)",
            lambda: timed(lambda: hv._allreduce_lists(lists, inplace=True), repeat),
        ),
        ("kv('dist_sync').pushpull (store kept, copies)", lambda: timed(lambda: ds.pushpull(keys, grads), repeat)),
    ]
    for name, run in cases:
        results[name] = run()
        if rank == 0:
            print("  done:", name, flush=True)
    if rank == 0:
        print(f"allreduce of {nfloat / 1e6:.1f}M float32 in {len(shapes)} tensors over {size} processes "
              f"(bucket {hv.bucket_size >> 20} MB), best of {repeat}:")  # fmt: skip
        base = results["mpi4py Allreduce, one per NumPy buffer"]
        for name, t in results.items():
            print(f"  {name:48s} {t * 1e3:8.1f} ms  {nfloat * 4 / t / 1e9:6.2f} GB/s  {base / t:5.2f}x mpi4py")


def mlp_bench(steps=30, batch=64):
    kvstore = "dist_sync" if size > 1 else None
    mx.random.seed(0)
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(512, in_units=784, activation="relu"), gluon.nn.Dense(512, activation="relu"),
            gluon.nn.Dense(10))  # fmt: skip
    net.initialize(mx.init.Xavier())
    net(mx.np.zeros((1, 784)))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01}, kvstore=kvstore,
                            update_on_kvstore=False)  # fmt: skip
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    x = mx.np.random.uniform(size=(batch, 784))
    y = mx.np.array(onp.random.RandomState(rank).randint(0, 10, batch))

    def step():
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(batch * size)
        mx.nd.waitall() if hasattr(mx.nd, "waitall") else None

    for _ in range(3):
        step()
    comm.Barrier()
    t = time.perf_counter()
    for _ in range(steps):
        step()
    comm.Barrier()
    per = (time.perf_counter() - t) / steps
    if rank == 0:
        print(f"MLP 784-512-512-10, batch {batch} per process, {size} process(es): {per * 1e3:.2f} ms/step, "
              f"{batch * size / per:.0f} samples/s")  # fmt: skip


if __name__ == "__main__":
    if size > 1:
        allreduce_bench()
    mlp_bench()
