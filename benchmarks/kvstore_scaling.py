"""Weak scaling of data-parallel training on MPI: the MLP 784-512-512-10 training step (forward,
loss, backward, gradient allreduce through Trainer(kvstore='dist_sync'), SGD) with the batch per
process fixed, at 1 process and at 2 processes, and at 2 processes with and without gradient
reduction overlapping backward (MXNET_KVSTORE_OVERLAP=1) for two bucket sizes.

    python benchmarks/kvstore_scaling.py [--rounds 5] [--steps 40] [--batch 64]

The driver launches every configuration once per round, round after round (so load on the machine
hits all of them alike), and reports the median step time over the rounds. Each configuration
states its threads per process (MXLITE_NUM_THREADS). Needs mpi4py and mpirun.
"""

import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

CONFIGS = [  # (label, processes, threads per process, overlap, bucket bytes)
    ("1 process x 1 thread", 1, 1, False, 4 << 20),
    ("1 process x 2 threads", 1, 2, False, 4 << 20),
    ("2 processes x 1 thread, bucket 4 MB", 2, 1, False, 4 << 20),
    ("2 processes x 1 thread, bucket 4 MB, overlap", 2, 1, True, 4 << 20),
    ("2 processes x 1 thread, bucket 256 KB", 2, 1, False, 256 << 10),
    ("2 processes x 1 thread, bucket 256 KB, overlap", 2, 1, True, 256 << 10),
]


def worker(steps, batch):
    import numpy as onp

    import mxnet as mx
    from mxnet import autograd, gluon

    kv = mx.kv.create("dist_sync")
    rank, size = kv.rank, kv.num_workers
    comm = kv._comm.comm
    mx.random.seed(0)
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(512, in_units=784, activation="relu"), gluon.nn.Dense(512, activation="relu"),
            gluon.nn.Dense(10))  # fmt: skip
    net.initialize(mx.init.Xavier())
    net(mx.np.zeros((1, 784)))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01},
                            kvstore="dist_sync" if size > 1 else None, update_on_kvstore=False)  # fmt: skip
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    x = mx.np.random.uniform(size=(batch, 784))
    y = mx.np.array(onp.random.RandomState(rank).randint(0, 10, batch))

    def step():
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(batch * size)

    for _ in range(5):
        step()
    blocks = []
    for _ in range(4):  # the median of 4 blocks of steps
        comm.Barrier()
        t = time.perf_counter()
        for _ in range(steps // 4):
            step()
        net[0].weight.data().asnumpy()  # the last update has landed
        comm.Barrier()
        blocks.append((time.perf_counter() - t) / (steps // 4))
    if rank == 0:
        print(f"STEP_MS {statistics.median(blocks) * 1e3:.4f}", flush=True)


def launch(procs, threads, overlap, bucket, steps, batch):
    env = dict(os.environ, MXLITE_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MXNET_KVSTORE_OVERLAP="1" if overlap else "0", MXNET_KVSTORE_BUCKET_SIZE=str(bucket))  # fmt: skip
    cmd = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(procs)]
    for name in ("PYTHONPATH", "MXLITE_NUM_THREADS", "OMP_NUM_THREADS", "MXNET_KVSTORE_OVERLAP",
                 "MXNET_KVSTORE_BUCKET_SIZE"):  # fmt: skip
        if name in env:
            cmd += ["-x", name]
    cmd += [sys.executable, str(pathlib.Path(__file__).resolve()), "--worker", "--steps", str(steps),
            "--batch", str(batch)]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    m = re.search(r"STEP_MS ([0-9.]+)", run.stdout)
    if run.returncode != 0 or m is None:
        raise RuntimeError(f"{cmd} failed:\n{run.stdout}\n{run.stderr}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    if args.worker:
        worker(args.steps, args.batch)
        return
    times = {c[0]: [] for c in CONFIGS}
    for _ in range(args.rounds):
        for label, procs, threads, overlap, bucket in CONFIGS:
            times[label].append(launch(procs, threads, overlap, bucket, args.steps, args.batch))
    base = statistics.median(times[CONFIGS[0][0]])
    print(f"MLP 784-512-512-10 training step, batch {args.batch} per process, median of {args.rounds} rounds "
          f"(each the median of 4 blocks of {args.steps // 4} steps); os.cpu_count() = {os.cpu_count()}")  # fmt: skip
    for label, procs, *_ in CONFIGS:
        med = statistics.median(times[label])
        print(
            f"  {label:48s} {med:7.2f} ms/step  {args.batch * procs / med * 1e3:8.0f} samples/s  "
            f"weak-scaling efficiency {base / med:4.2f}  (all: {', '.join(f'{t:.2f}' for t in times[label])})"
        )


if __name__ == "__main__":
    main()
