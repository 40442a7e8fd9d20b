"""Train a character-level LSTM language model (Gluon: Embedding, rnn.LSTM,
Dense) on the first chapter of Jane Austen's Pride and Prejudice (1813,
public domain; examples/data/), written as MXNet 1.9.1 code with truncated
backpropagation through time: the text is cut into `--batch-size` parallel
streams, each step trains on `--seq-len` characters and carries the LSTM
state forward, detached. Prints the perplexity of every epoch (a tqdm bar
shows it during the epoch) and a sample of generated text at the end.

    python examples/char_lstm.py --epochs 20
"""

import argparse
import math
import pathlib

import numpy as onp
from tqdm import tqdm

import mxnet as mx
from mxnet import autograd, gluon, init, np, npx
from mxnet.gluon import nn, rnn

TEXT = pathlib.Path(__file__).resolve().parent / "data" / "pride_and_prejudice_ch1.txt"


class CharLM(nn.HybridBlock):
    def __init__(self, vocab, embed, hidden, layers):
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = rnn.LSTM(hidden, num_layers=layers, layout="NTC")
        self.out = nn.Dense(vocab, flatten=False)

    def forward(self, x, state):
        y, state = self.lstm(self.embed(x), state)
        return self.out(y), state


def streams(ids, batch_size):
    """The text as (batch_size, length) parallel streams, inputs and targets."""
    length = (len(ids) - 1) // batch_size
    x = ids[: batch_size * length].reshape(batch_size, length)
    y = ids[1 : batch_size * length + 1].reshape(batch_size, length)
    return x, y


def sample(net, chars, index, prime, length, rng):
    state = net.lstm.begin_state(batch_size=1)
    out, state = net(np.array([[index[c] for c in prime]], dtype="float32"), state)
    text = prime
    for _ in range(length):
        logits = out[0, -1].asnumpy().astype("float64")
        p = onp.exp(logits - logits.max())
        nxt = int(rng.choice(len(chars), p=p / p.sum()))
        text += chars[nxt]
        out, state = net(np.array([[nxt]], dtype="float32"), state)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seq-len", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--clip", type=float, default=1.0, help="global gradient norm limit")
    parser.add_argument("--max-steps", type=int, default=0, help="stop each epoch after this many steps (0: all)")
    parser.add_argument("--sample", type=int, default=200, help="characters to generate at the end (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    npx.set_np()
    mx.random.seed(args.seed)
    text = TEXT.read_text(encoding="utf-8")
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = onp.array([index[c] for c in text], dtype="float32")
    x_all, y_all = streams(ids, args.batch_size)
    print(f"{len(text)} characters, vocabulary {len(chars)}, {x_all.shape[1] // args.seq_len} steps per epoch")

    net = CharLM(len(chars), 32, args.hidden, args.layers)
    net.initialize(init.Xavier())
    net.hybridize()
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": args.lr})

    steps = x_all.shape[1] // args.seq_len
    if args.max_steps:
        steps = min(steps, args.max_steps)
    for epoch in range(1, args.epochs + 1):
        state = net.lstm.begin_state(batch_size=args.batch_size)
        total, count = 0.0, 0
        with tqdm(total=steps, desc=f"epoch {epoch:2d}/{args.epochs}", leave=False) as bar:
            for s in range(steps):
                cols = slice(s * args.seq_len, (s + 1) * args.seq_len)
                data, label = np.array(x_all[:, cols]), np.array(y_all[:, cols])
                state = [h.detach() for h in state]
                with autograd.record():
                    out, state = net(data, state)
                    loss = loss_fn(out, label)  # mean over the sequence, per stream
                loss.backward()
                grads = [p.grad() for p in net.collect_params().values() if p.grad_req != "null"]
                gluon.utils.clip_global_norm(grads, args.clip * args.batch_size)
                trainer.step(args.batch_size)
                total += float(loss.sum())
                count += args.batch_size
                bar.set_postfix(perplexity=f"{math.exp(total / count):.2f}")
                bar.update()
        print(f"epoch {epoch:2d}: perplexity {math.exp(total / count):.3f}", flush=True)

    if args.sample:
        rng = onp.random.default_rng(args.seed)
        print("sample:", sample(net, chars, index, "It is a truth", args.sample, rng))


if __name__ == "__main__":
    main()
