"""Run under mpirun by tests/python/test_kvstore_dist.py: ``worker.py SCENARIO OUTDIR``.
Each scenario checks itself with asserts (a failing rank aborts the job with a non-zero exit)
and writes what the test compares to OUTDIR."""

import os
import sys
import time

import numpy as onp

import mxnet as mx
from mxnet import autograd, gluon, nd

CONFIGS = [  # (kvstore, update_on_kvstore, optimizer)
    ("dist_sync", None, "adam"),
    ("dist_sync", False, "sgd"),
    ("dist_device_sync", True, "sgd"),
    ("horovod", None, "adam"),
]
STEPS, PER_RANK, FEATURES = 5, 4, 6


def make_net(seed):
    mx.random.seed(seed)
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(8, in_units=FEATURES, activation="relu"), gluon.nn.Dense(3, in_units=8))
    net.initialize(mx.init.Xavier())
    return net


def train(net, trainer, xs, ys, global_batch):
    loss_fn = gluon.loss.L2Loss()
    for x, y in zip(xs, ys):
        with autograd.record():
            loss = loss_fn(net(mx.np.array(x)), mx.np.array(y))
        loss.backward()
        trainer.step(global_batch)


def params_of(net):
    """The parameters in creation order (names differ between nets of one process)."""
    return [p.data().asnumpy() for p in net.collect_params().values()]


def scenario_train(out):
    rank_kv = mx.kv.create("dist_sync")
    rank, n = rank_kv.rank, rank_kv.num_workers
    rng = onp.random.RandomState(0)
    xs = rng.randn(STEPS, n * PER_RANK, FEATURES).astype("float32")
    ys = rng.randn(STEPS, n * PER_RANK, 3).astype("float32")
    shard = list(gluon.data.SplitSampler(n * PER_RANK, n, rank))
    for c, (kvstore, on_kv, opt) in enumerate(CONFIGS):
        net = make_net(seed=100 + rank)  # every rank starts different: the Trainer broadcasts rank 0's
        trainer = gluon.Trainer(net.collect_params(), opt, {"learning_rate": 0.05}, kvstore=kvstore,
                                update_on_kvstore=on_kv)  # fmt: skip
        assert trainer._update_on_kvstore == (kvstore != "horovod" and on_kv is not False)
        train(net, trainer, xs[:, shard], ys[:, shard], n * PER_RANK)
        onp.savez(os.path.join(out, f"c{c}_rank{rank}.npz"), *params_of(net))
        if rank == 0:  # one process on the concatenated batches, from rank 0's start
            ref = make_net(seed=100)
            ref_trainer = gluon.Trainer(ref.collect_params(), opt, {"learning_rate": 0.05}, kvstore=None)
            train(ref, ref_trainer, xs, ys, n * PER_RANK)
            onp.savez(os.path.join(out, f"c{c}_ref.npz"), *params_of(ref))


def scenario_api(out):
    kv = mx.kv.create("dist_sync")
    rank, n = kv.rank, kv.num_workers
    assert kv.type == "dist_sync" and kv.is_capable("optimizer")
    kv.init(3, nd.ones((2, 3)) * (rank + 7))  # rank 0's value is kept
    a = nd.zeros((2, 3))
    kv.pull(3, out=a)
    assert (a.asnumpy() == 7).all(), a
    kv.push(3, nd.ones((2, 3)) * (rank + 1))  # summed over ranks, replaces the value
    kv.pull(3, out=a)
    assert (a.asnumpy() == n * (n + 1) / 2).all(), a
    kv.push(3, [nd.ones((2, 3)), nd.ones((2, 3)) * 2])  # a list is summed first
    kv.pull(3, out=[a, a])
    assert (a.asnumpy() == 3 * n).all(), a
    big = [mx.np.full((50000,), float(rank)), mx.np.full((7,), 1.0)]  # one alone, one in a bucket
    kv.init([10, 11], [mx.np.zeros((50000,)), mx.np.zeros((7,))])
    kv.bucket_size = 1 << 16
    kv.pushpull([10, 11], big)
    assert (big[0].asnumpy() == n * (n - 1) / 2).all() and (big[1].asnumpy() == n).all()
    outs = [mx.np.zeros((50000,)), [mx.np.zeros((7,)), mx.np.zeros((7,))]]  # reduced straight into out
    kv.pushpull([10, 11], [mx.np.full((50000,), float(rank)), mx.np.full((7,), 2.0)], out=outs)
    assert (outs[0].asnumpy() == n * (n - 1) / 2).all() and all((o.asnumpy() == 2 * n).all() for o in outs[1])
    back = [mx.np.zeros((50000,)), mx.np.zeros((7,))]
    kv.pull([10, 11], out=back)  # pull after pushpull: the reduced values
    assert (back[0].asnumpy() == n * (n - 1) / 2).all() and (back[1].asnumpy() == 2 * n).all()
    kv.push([10, 11], [mx.np.full((50000,), 1.0), mx.np.full((7,), float(rank))])
    kv.pull([10, 11], out=back)
    assert (back[0].asnumpy() == n).all() and (back[1].asnumpy() == n * (n - 1) / 2).all()
    assert (outs[0].asnumpy() == n * (n - 1) / 2).all()  # push alone leaves the last out alone
    kv.pushpull(10, mx.np.full((50000,), 1.0), out=outs[0])
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.5))  # updates start from the reduced value
    kv.pushpull(10, mx.np.full((50000,), 1.0), out=back[0])
    assert (back[0].asnumpy() == n - 0.5 * n).all() and (outs[0].asnumpy() == n).all(), back[0]
    try:
        kv.pull(99, out=a)
        raise AssertionError("pull of a missing key")
    except mx.MXNetError as e:
        assert "Did you init" in str(e)
    try:
        kv.init("s", nd.ones((1,)))
        raise AssertionError("mixed key types")
    except mx.MXNetError as e:
        assert "mixed key types" in str(e)
    skv = mx.kv.create("dist_device_sync")
    skv.init(["w", "v"], [nd.ones((4,)), nd.ones((2,))])
    skv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1))
    w = nd.zeros((4,))
    skv.pushpull("w", nd.ones((4,)) * (rank + 1), out=w)  # w = 1 - 0.1 * sum(rank + 1)
    assert onp.allclose(w.asnumpy(), 1 - 0.1 * n * (n + 1) / 2), w
    skv.save_optimizer_states(os.path.join(out, "states"))
    skv.load_optimizer_states(os.path.join(out, "states"))
    skv.barrier()
    skv._barrier()
    hv = mx.kv.create("horovod")
    assert hv.type == "horovod" and not hv.is_capable("optimizer")
    x = mx.np.full((5,), float(rank + 3))
    y = mx.np.zeros((5,))
    hv.broadcast("x", x, out=y)
    assert (y.asnumpy() == 3).all()
    hv.pushpull("x", x)
    assert (x.asnumpy() == sum(r + 3 for r in range(n))).all()
    with open(os.path.join(out, f"api_rank{rank}"), "w") as f:
        f.write("ok")


def scenario_overlap(out):
    """Trainer with reduction overlapping backward gives the same bits as without, also with a
    second backward before step and with one rank changing its gradients (clipping) before step."""
    rank = mx.kv.create("dist_sync").rank

    def run(overlap, clip=False, twice=False):
        os.environ["MXNET_KVSTORE_OVERLAP"] = "1" if overlap else "0"
        net = make_net(seed=7)
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1}, kvstore="dist_sync",
                                update_on_kvstore=False)  # fmt: skip
        trainer._kvstore.bucket_size = 64  # several buckets, each started from the hooks
        rng = onp.random.RandomState(rank)
        for _ in range(4):
            x = mx.np.array(rng.randn(5, FEATURES).astype("float32"))
            for _ in range(2 if twice else 1):
                with autograd.record():
                    loss = (net(x) ** 2).sum()
                loss.backward()
            if clip and rank == 0:
                for p in net.collect_params().values():
                    p.grad()[:] = p.grad() * 0.5
            trainer.step(10)
        assert (getattr(trainer, "_overlap", None) is not None) == overlap
        return params_of(net)

    for kw in [{}, {"clip": True}, {"twice": True}]:
        plain, overlapped = run(False, **kw), run(True, **kw)
        assert all(onp.array_equal(a, b) for a, b in zip(plain, overlapped)), kw
    with open(os.path.join(out, f"overlap_rank{rank}"), "w") as f:
        f.write("ok")


def scenario_shape_mismatch(out):
    rank = mx.kv.create("dist_sync").rank
    net = gluon.nn.Dense(4 if rank == 0 else 5, in_units=3)
    net.initialize()
    try:
        gluon.Trainer(net.collect_params(), "sgd", kvstore="dist_sync")
    except mx.MXNetError as e:
        print(f"rank {rank} refused: {e}", flush=True)
        return
    raise AssertionError("a shape mismatch across ranks was not detected")


def scenario_raise(out):
    kv = mx.kv.create("horovod")
    if kv.rank == 1:
        raise RuntimeError("rank 1 fails on purpose")
    x = mx.np.ones((3,))
    kv.pushpull("x", x)  # never completes: the failing rank aborts the job


def scenario_hang(out):
    kv = mx.kv.create("horovod")
    if kv.rank == 1:
        time.sleep(120)  # never joins the collective (and does not raise)
    kv.pushpull("x", mx.np.ones((3,)))


if __name__ == "__main__":
    globals()["scenario_" + sys.argv[1]](sys.argv[2])
