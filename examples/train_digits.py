"""Train a Gluon MLP (or, with --model cnn, a small CNN: Conv2D, BatchNorm,
MaxPool2D, Dense, which ends above the MLP's test accuracy) on
scikit-learn's bundled 8x8 digits (1,797 images, no download), written as
MXNet 1.9.1 code: nn.Sequential, init.Xavier, gluon.loss,
gluon.Trainer, autograd.record, trainer.step. Prints a tqdm progress bar per
epoch and the test accuracy, and saves a plot of loss and accuracy per epoch.

    pip install ".[examples]"
    python examples/train_digits.py --epochs 20 --plot digits.png
"""

import argparse

import numpy as onp
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm import tqdm

import mxnet as mx
from mxnet import autograd, gluon, init, np, npx
from mxnet.gluon import nn


def batches(features, labels, batch_size, rng):
    order = rng.permutation(len(features))
    for start in range(0, len(order), batch_size):
        picked = order[start : start + batch_size]
        yield np.array(features[picked]), np.array(labels[picked])


def accuracy(net, features, labels):
    predicted = net(np.array(features)).argmax(axis=1).asnumpy()
    return float((predicted == labels).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.003)
    parser.add_argument("--plot", default="digits_training.png", help="where to save the plot ('' for none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", choices=("mlp", "cnn"), default="mlp", help="an MLP or a small CNN")
    args = parser.parse_args()

    npx.set_np()
    mx.random.seed(args.seed)
    digits = load_digits()
    features = (digits.data / 16.0).astype("float32")  # pixel values 0..16
    x_train, x_test, y_train, y_test = train_test_split(
        features, digits.target.astype("float32"), test_size=0.25, random_state=args.seed, stratify=digits.target
    )

    net = nn.Sequential()
    if args.model == "cnn":
        # Images as (batch, channel, 8, 8): 3x3 convolutions with BatchNorm, 2x2 max pooling twice.
        x_train, x_test = x_train.reshape(-1, 1, 8, 8), x_test.reshape(-1, 1, 8, 8)
        for channels in (32, 32, None, 64, None):
            if channels is None:
                net.add(nn.MaxPool2D(2))
            else:
                net.add(nn.Conv2D(channels, 3, padding=1, use_bias=False), nn.BatchNorm(), nn.Activation("relu"))
        net.add(nn.Dense(128, activation="relu"), nn.Dropout(0.2), nn.Dense(10))
    else:
        net.add(nn.Dense(128, activation="relu"), nn.Dropout(0.1), nn.Dense(64, activation="relu"), nn.Dense(10))
    net.initialize(init.Xavier())
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": args.lr})

    rng = onp.random.default_rng(args.seed)
    history = {"loss": [], "train accuracy": [], "test accuracy": []}
    for epoch in range(1, args.epochs + 1):
        total, count = 0.0, 0
        steps = (len(x_train) + args.batch_size - 1) // args.batch_size
        with tqdm(total=steps, desc=f"epoch {epoch:2d}/{args.epochs}", leave=False) as bar:
            for data, label in batches(x_train, y_train, args.batch_size, rng):
                with autograd.record():
                    loss = loss_fn(net(data), label)
                loss.backward()
                trainer.step(data.shape[0])
                total += float(loss.sum())
                count += data.shape[0]
                bar.set_postfix(loss=f"{total / count:.4f}")
                bar.update()
        history["loss"].append(total / count)
        history["train accuracy"].append(accuracy(net, x_train, y_train))
        history["test accuracy"].append(accuracy(net, x_test, y_test))
        print(
            f"epoch {epoch:2d}: loss {history['loss'][-1]:.4f}, train accuracy "
            f"{history['train accuracy'][-1]:.3f}, test accuracy {history['test accuracy'][-1]:.3f}"
        )
    print(f"test accuracy: {history['test accuracy'][-1]:.4f}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        epochs = range(1, args.epochs + 1)
        fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
        left.plot(epochs, history["loss"])
        left.set(xlabel="epoch", ylabel="training loss")
        for key in ("train accuracy", "test accuracy"):
            right.plot(epochs, history[key], label=key)
        right.set(xlabel="epoch", ylabel="accuracy")
        right.legend()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
