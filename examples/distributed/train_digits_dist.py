"""Data-parallel training of an MLP on scikit-learn's digits, one process per shard:

    mpirun --allow-run-as-root --oversubscribe -np 2 python examples/distributed/train_digits_dist.py

Every rank starts from rank 0's parameters (the Trainer broadcasts them), reads its own shard
(SplitSampler) and the Trainer sums the gradients over the ranks before each update, so all
ranks end with the same parameters. See README.md beside this file for several hosts."""

import argparse

import numpy as onp
from sklearn.datasets import load_digits

import mxnet as mx
from mxnet import autograd, gluon

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--batch-size", type=int, default=32, help="per process")
parser.add_argument("--kvstore", default="dist_sync", choices=["dist_sync", "dist_device_sync", "horovod"])
args = parser.parse_args()

kv = mx.kv.create(args.kvstore)
digits = load_digits()
x = (digits.data / 16.0).astype("float32")
y = digits.target.astype("float32")
dataset = gluon.data.ArrayDataset(mx.np.array(x[:1500]), mx.np.array(y[:1500]))
sampler = gluon.data.SplitSampler(len(dataset), kv.num_workers, kv.rank, shuffle=True)
loader = gluon.data.DataLoader(dataset, batch_size=args.batch_size, sampler=sampler, last_batch="discard")

mx.random.seed(kv.rank)  # deliberately different: the Trainer makes every rank start from rank 0's
net = gluon.nn.HybridSequential()
net.add(gluon.nn.Dense(64, in_units=64, activation="relu"), gluon.nn.Dense(10, in_units=64))
net.initialize(mx.init.Xavier())
trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01}, kvstore=kv)
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()

for epoch in range(args.epochs):
    for data, label in loader:
        with autograd.record():
            loss = loss_fn(net(data), label)
        loss.backward()
        trainer.step(args.batch_size * kv.num_workers)  # the gradient sum covers every rank's batch
    pred = net(mx.np.array(x[1500:])).asnumpy().argmax(axis=1)
    if kv.rank == 0:
        print(f"epoch {epoch}: held-out accuracy {(pred == digits.target[1500:]).mean():.3f}", flush=True)

checksum = onp.array([sum(float(p.data().asnumpy().sum()) for p in net.collect_params().values())])
sums = kv._comm.allgather(float(checksum[0]))
if kv.rank == 0:
    print(f"parameter checksums per rank: {sums} (identical: {len(set(sums)) == 1})")
