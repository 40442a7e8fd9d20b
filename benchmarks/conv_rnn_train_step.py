"""One training step (forward, loss, backward, SGD step) of three small
networks, mxlite Gluon (imperative and hybridized) next to PyTorch, measured
side by side in one run with interleaved repetitions:

* LeNet-5 on 1x28x28 images, batch 64 (conv 6@5x5 pad 2, max-pool, conv
  16@5x5, max-pool, dense 120, 84, 10; ReLU);
* a ResNet basic block on 64x56x56, batch 8 (two 3x3 convolutions 64->64,
  each with BatchNorm, ReLU, the identity shortcut) with a mean-square loss;
* a 2-layer LSTM (hidden 256, sequence 35, batch 32, embedding 256 of a
  1000-word vocabulary) with a 1000-way softmax cross-entropy at every step.

PyTorch runs with as many threads as mxlite's pool. Prints medians (ms) and
mxlite / torch ratios (below 1 means mxlite is faster).

    PYTHONPATH=build/dev/site python benchmarks/conv_rnn_train_step.py [--repeat 15]
"""

import argparse

import numpy as onp

import mxnet as mx
from mxnet import _core, autograd, gluon, np, npx
from mxnet.gluon import nn, rnn

from common import measure

LR = 0.01


# ---------------------------------------------------------------- mxlite side
def mx_lenet():
    net = nn.HybridSequential()
    net.add(
        nn.Conv2D(6, 5, padding=2, activation="relu"),
        nn.MaxPool2D(2),
        nn.Conv2D(16, 5, activation="relu"),
        nn.MaxPool2D(2),
        nn.Dense(120, activation="relu"),
        nn.Dense(84, activation="relu"),
        nn.Dense(10),
    )
    return net


class MxBasicBlock(nn.HybridBlock):
    def __init__(self, channels=64):
        super().__init__()
        self.conv1 = nn.Conv2D(channels, 3, padding=1, use_bias=False)
        self.bn1 = nn.BatchNorm()
        self.conv2 = nn.Conv2D(channels, 3, padding=1, use_bias=False)
        self.bn2 = nn.BatchNorm()

    def hybrid_forward(self, F, x):
        y = F.npx.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.npx.relu(y + x)


class MxLstmLM(nn.HybridBlock):
    def __init__(self, vocab=1000, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.lstm = rnn.LSTM(hidden, num_layers=2, layout="TNC")
        self.out = nn.Dense(vocab, flatten=False)

    def hybrid_forward(self, F, x):
        return self.out(self.lstm(self.embed(x)))


def mx_step(net, x, y, loss_fn, hybridize):
    net.initialize(mx.init.Xavier())
    if hybridize:
        net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": LR})
    xa, ya = np.array(x), np.array(y)

    def step():
        with autograd.record():
            loss = loss_fn(net(xa), ya)
        loss.backward()
        trainer.step(xa.shape[0] if xa.ndim == 4 else xa.shape[1])
        npx.waitall()

    return step


# ----------------------------------------------------------------- torch side
def torch_nets(torch):
    tnn = torch.nn

    class Block(tnn.Module):
        def __init__(self, c=64):
            super().__init__()
            self.conv1 = tnn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn1 = tnn.BatchNorm2d(c)
            self.conv2 = tnn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn2 = tnn.BatchNorm2d(c)

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            return torch.relu(self.bn2(self.conv2(y)) + x)

    class LM(tnn.Module):
        def __init__(self, vocab=1000, hidden=256):
            super().__init__()
            self.embed = tnn.Embedding(vocab, hidden)
            self.lstm = tnn.LSTM(hidden, hidden, num_layers=2)
            self.out = tnn.Linear(hidden, vocab)

        def forward(self, x):
            return self.out(self.lstm(self.embed(x))[0])

    lenet = tnn.Sequential(
        tnn.Conv2d(1, 6, 5, padding=2), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Conv2d(6, 16, 5), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Flatten(),
        tnn.Linear(400, 120), tnn.ReLU(), tnn.Linear(120, 84), tnn.ReLU(), tnn.Linear(84, 10),
    )  # fmt: skip
    return lenet, Block(), LM()


def torch_step(torch, net, x, y, loss_fn):
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xt), yt)
        loss.backward()
        opt.step()

    return step


# ------------------------------------------------------------------- running
def workloads(torch, rng):
    sce = gluon.loss.SoftmaxCrossEntropyLoss()
    l2 = gluon.loss.L2Loss()
    t_lenet, t_block, t_lm = torch_nets(torch)
    F = torch.nn.functional

    x_img = rng.standard_normal((64, 1, 28, 28), dtype=onp.float32)
    y_img = rng.integers(0, 10, size=64)
    x_blk = rng.standard_normal((8, 64, 56, 56), dtype=onp.float32)
    y_blk = rng.standard_normal((8, 64, 56, 56), dtype=onp.float32)
    x_seq = rng.integers(0, 1000, size=(35, 32))
    y_seq = rng.integers(0, 1000, size=(35, 32))

    def t_sce(out, y):
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))

    out = []
    for name, mk, x, y, mloss, tnet, tloss in [
        ("LeNet-5 1x28x28 b64", mx_lenet, x_img, y_img.astype("float32"), sce, t_lenet, F.cross_entropy),
        ("ResNet block 64x56x56 b8", MxBasicBlock, x_blk, y_blk, l2,
         t_block, lambda o, t: 0.5 * F.mse_loss(o, t)),
        ("LSTM 2x256 seq35 b32 V1000", MxLstmLM, x_seq.astype("float32"), y_seq.astype("float32"), sce,
         t_lm, t_sce),
    ]:  # fmt: skip
        ty = y.astype("int64") if name.startswith(("LeNet", "LSTM")) else y
        tx = x.astype("int64") if name.startswith("LSTM") else x
        out.append(
            (
                name,
                {
                    "mx imperative": mx_step(mk(), x, y, mloss, False),
                    "mx hybridized": mx_step(mk(), x, y, mloss, True),
                    "torch": torch_step(torch, tnet, tx, ty, tloss),
                },
            )
        )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="run only workloads whose name contains this")
    parser.add_argument("--gap", type=float, default=0.0, help="idle seconds before each round of a variant")
    args = parser.parse_args()
    import torch

    threads = _core.num_threads()
    torch.set_num_threads(threads)
    npx.set_np()
    rng = onp.random.default_rng(0)
    print(f"training step, float32, {threads} threads (mxlite pool and torch {torch.__version__}); median ms")
    cols = ["mx imperative", "mx hybridized", "torch"]
    head = f"{'workload':<28}" + "".join(f"{c:>15}" for c in cols) + f"{'imp/torch':>11}{'hyb/torch':>11}"
    print(head)
    print("-" * len(head))
    for name, steps in workloads(torch, rng):
        if args.only and args.only not in name:
            continue
        r = measure(steps, args.repeat, args.gap)
        line = f"{name:<28}" + "".join(f"{r[c]:>15.2f}" for c in cols)
        line += f"{r['mx imperative'] / r['torch']:>11.2f}{r['mx hybridized'] / r['torch']:>11.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
