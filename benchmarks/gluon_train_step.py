"""One full Gluon training step (forward, loss, backward, optimizer step) of
mxlite vs PyTorch (torch.nn + torch.optim), same shapes and initial weights,
float32, with torch using as many threads as mxlite's pool, measured side by
side in one run:

  mlp-sgd   MLP 784-256-256-10 (ReLU), batch 128, softmax cross-entropy,
            SGD (lr 0.1, momentum 0.9)
  mlp-adam  the same with Adam (lr 0.001)
  tiny-sgd  3 x Dense(32) (input 32, ReLU between), batch 8, SGD as above:
            a model so small that the time is per-op and per-parameter overhead

Each mxlite model runs imperative and hybridized (``hybridize()`` on the net
and the loss), in legacy ``nd`` mode and in numpy mode (``npx.set_np()``).
Before timing, the first losses of every mxlite variant are checked against
torch's (same weights, same batch), so the steps compare like with like.
Repetitions are interleaved: each round runs a block of steps of every
variant in turn (after an idle pause, so that the previous library's
spinning worker threads are gone), and the median over rounds of the time per
step is reported.

    python benchmarks/gluon_train_step.py [--rounds N] [--only mlp-sgd,tiny-sgd]

Run it on idle cores: with more runnable threads than cores, the spinning
worker pools of both libraries (mxlite's, OpenBLAS's, OpenMP's) get preempted
and two-thread steps took 10-80 ms instead of ~2 ms in our runs; on a shared
machine, MXLITE_NUM_THREADS=1 (torch follows) gives usable numbers.
"""

import argparse
import statistics
import time

import numpy as onp

import mxnet as mx
from mxnet import _core, autograd, gluon, nd, npx
from mxnet import numpy as mnp
from mxnet.gluon import nn

WORKLOADS = {
    # name: (layer sizes, batch, optimizer, optimizer params (mxnet), torch optimizer kwargs)
    "mlp-sgd": ((784, 256, 256, 10), 128, "sgd", {"learning_rate": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9}),
    "mlp-adam": ((784, 256, 256, 10), 128, "adam", {"learning_rate": 0.001}, {"lr": 0.001}),
    "tiny-sgd": ((32, 32, 32, 32), 8, "sgd", {"learning_rate": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9}),
}
AIMS = {  # issue 11: mxlite time / torch time at most this
    ("mlp-sgd", "imperative"): 0.8,
    ("mlp-adam", "imperative"): 0.8,
    ("mlp-sgd", "hybridized"): 0.6,
    ("mlp-adam", "hybridized"): 0.6,
    ("tiny-sgd", "hybridized"): 0.4,
}
CHECK_STEPS = 3
BLOCK_S = 0.1  # target duration of one timed block of steps


def make_data(sizes, batch, seed):
    rng = onp.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        weights.append(rng.standard_normal((fan_out, fan_in), dtype=onp.float32) * onp.float32(fan_in**-0.5))
        weights.append(rng.standard_normal(fan_out, dtype=onp.float32) * onp.float32(0.1))
    x = rng.standard_normal((batch, sizes[0]), dtype=onp.float32)
    y = rng.integers(0, sizes[-1], size=batch)
    return weights, x, y


class MxliteRunner:
    """A Gluon model, loss and Trainer in one array mode ('nd' or 'np')."""

    def __init__(self, workload, mode, hybridized, weights, x, y):
        sizes, batch, opt, opt_params, _ = WORKLOADS[workload]
        self.label = f"mxlite {mode} {'hybridized' if hybridized else 'imperative'}"
        self.mode, self.batch = mode, batch
        with self:
            net = nn.HybridSequential()
            with net.name_scope():
                for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
                    act = "relu" if i + 2 < len(sizes) else None
                    net.add(nn.Dense(fan_out, activation=act, in_units=fan_in))
            net.initialize()
            params = [p for layer in net for p in (layer.weight, layer.bias)]
            for p, w in zip(params, weights):
                p.set_data(mnp.array(w) if mode == "np" else nd.array(w))
            loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
            if hybridized:
                net.hybridize()
                loss_fn.hybridize()
            self.trainer = gluon.Trainer(net.collect_params(), opt, dict(opt_params))
            if mode == "np":
                self.x, self.y = mnp.array(x), mnp.array(y, dtype="float32")
            else:
                self.x, self.y = nd.array(x), nd.array(y, dtype="float32")
            self.net, self.loss_fn = net, loss_fn

    def __enter__(self):
        if self.mode == "np":
            npx.set_np()
        return self

    def __exit__(self, *exc):
        if self.mode == "np":
            npx.reset_np()

    def step(self):
        with autograd.record():
            loss = self.loss_fn(self.net(self.x), self.y)
        loss.backward()
        self.trainer.step(self.batch)
        return loss

    def loss_value(self, loss):
        return float(loss.asnumpy().mean())

    def sync(self):
        nd.waitall()


class TorchRunner:
    def __init__(self, torch, workload, weights, x, y):
        sizes, _, opt, _, opt_kwargs = WORKLOADS[workload]
        self.label = f"torch {torch.__version__}"
        layers = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(torch.nn.Linear(fan_in, fan_out))
            if i + 2 < len(sizes):
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        with torch.no_grad():
            for i, lin in enumerate(linears):
                lin.weight.copy_(torch.from_numpy(weights[2 * i]))
                lin.bias.copy_(torch.from_numpy(weights[2 * i + 1]))
        self.loss_fn = torch.nn.CrossEntropyLoss()
        cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[opt]
        self.opt = cls(self.model.parameters(), **opt_kwargs)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def step(self):
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        return loss

    def loss_value(self, loss):
        return float(loss.item())

    def sync(self):
        pass


def check_same_losses(runners):
    """Every runner's first CHECK_STEPS losses must match the last one's (torch's)."""
    traces = []
    for r in runners:
        with r:
            traces.append([r.loss_value(r.step()) for _ in range(CHECK_STEPS)])
    ref = traces[-1]
    for r, trace in zip(runners, traces):
        if not onp.allclose(trace, ref, rtol=2e-4, atol=2e-5):
            raise AssertionError(f"{r.label}: losses {trace} differ from {runners[-1].label}'s {ref}")


def steps_per_block(r):
    with r:
        for _ in range(3):
            r.step()
        r.sync()
        n, t = 1, 0.0
        while True:
            t0 = time.perf_counter()
            for _ in range(n):
                r.step()
            r.sync()
            t = time.perf_counter() - t0
            if t >= BLOCK_S / 4 or n >= 1 << 16:
                break
            n *= 2
    return max(1, int(n * BLOCK_S / max(t, 1e-9)))


def time_interleaved(runners, rounds, idle):
    blocks = [steps_per_block(r) for r in runners]
    times = [[] for _ in runners]
    for _ in range(rounds):
        for i, r in enumerate(runners):
            # Idle first: the worker threads of the previous library (OpenMP's,
            # OpenBLAS's) keep spinning for a while after their last parallel
            # region and would otherwise share the cores with this one.
            time.sleep(idle)
            with r:
                t0 = time.perf_counter()
                for _ in range(blocks[i]):
                    r.step()
                r.sync()
                times[i].append((time.perf_counter() - t0) / blocks[i])
    quartiles = [statistics.quantiles(t, n=4) for t in times]
    return [statistics.median(t) * 1e3 for t in times], [(q[2] - q[0]) * 1e3 for q in quartiles]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved timing rounds (default 15)")
    parser.add_argument("--idle", type=float, default=0.3, help="seconds idle before each timed block (default 0.3)")
    parser.add_argument("--only", default="", help="comma-separated workloads (default all)")
    parser.add_argument("--modes", default="nd,np", help="mxlite array modes to run (default nd,np)")
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2")
    import torch

    threads = _core.num_threads()
    torch.set_num_threads(threads)
    names = [w for w in args.only.split(",") if w] or list(WORKLOADS)
    modes = [m for m in args.modes.split(",") if m]
    print(
        f"mxlite {mx.__version__}, torch {torch.__version__}; "
        f"threads: mxlite {threads}, torch {torch.get_num_threads()}"
    )
    print(f"median ms per training step over {args.rounds} interleaved rounds (iqr: inter-quartile range)")
    failed = []
    for name in names:
        sizes, batch, *_ = WORKLOADS[name]
        weights, x, y = make_data(sizes, batch, seed=0)
        runners = [MxliteRunner(name, mode, hyb, weights, x, y) for mode in modes for hyb in (False, True)] + [
            TorchRunner(torch, name, weights, x, y)
        ]
        check_same_losses(runners)
        medians, iqrs = time_interleaved(runners, args.rounds, args.idle)
        print(f"\n{name}: {'-'.join(map(str, sizes))}, batch {batch}")
        print(f"  {'':<28}{'ms/step':>10}{'iqr':>9}{'/torch':>9}{'aim':>7}")
        for r, ms, iqr in zip(runners, medians, iqrs):
            line = f"  {r.label:<28}{ms:>10.4f}{iqr:>9.4f}"
            if isinstance(r, MxliteRunner):
                ratio = ms / medians[-1]
                aim = AIMS.get((name, r.label.split()[-1]))
                line += f"{ratio:>9.2f}" + (f"{'<=' + str(aim):>7}" if aim else "")
                if aim and ratio > aim:
                    line += "  (not met)"
                    failed.append(f"{name} {r.label}")
            print(line)
    if failed:
        print(f"\naims not met: {len(failed)}")


if __name__ == "__main__":
    main()
