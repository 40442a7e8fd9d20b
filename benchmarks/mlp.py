"""One training step of a 784-256-256-10 MLP at batch 128 (forward, softmax
cross-entropy, backward, SGD update), mxlite vs PyTorch (and NumPy with a
hand-written backward), measured side by side in one run.

    python benchmarks/mlp.py
"""

import statistics
import time

import numpy as onp

from mxnet import autograd, np, npx

BATCH, SIZES, LR = 128, (784, 256, 256, 10), 0.1


def median_ms(step, repeat=50, warmup=5):
    # Idle first: another library's spinning worker threads (OpenMP keeps them
    # busy for a while after its last op) would otherwise share the cores.
    time.sleep(0.5)
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def init(rng):
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        params.append(rng.standard_normal((fan_out, fan_in), dtype=onp.float32) * onp.float32(fan_in**-0.5))
        params.append(onp.zeros(fan_out, dtype=onp.float32))
    x = rng.standard_normal((BATCH, SIZES[0]), dtype=onp.float32)
    y = rng.integers(0, SIZES[-1], size=BATCH)
    return params, x, y


def mxlite_step(params, x, y):
    ps = [np.array(p) for p in params]
    for p in ps:
        p.attach_grad()
    xa, ya = np.array(x), np.array(y, dtype="int32")

    def step():
        with autograd.record():
            h = xa
            for i in range(0, len(ps), 2):
                h = npx.fully_connected(h, ps[i], ps[i + 1], num_hidden=ps[i].shape[0])
                if i + 2 < len(ps):
                    h = npx.relu(h)
            loss = -npx.pick(npx.log_softmax(h), ya).mean()
        loss.backward()
        for p in ps:
            p[:] = p - LR * p.grad
        return loss

    return step


def torch_step(torch, params, x, y):
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    F = torch.nn.functional

    def step():
        h = xt
        for i in range(0, len(ps), 2):
            h = F.linear(h, ps[i], ps[i + 1])
            if i + 2 < len(ps):
                h = F.relu(h)
        loss = -F.log_softmax(h, dim=-1).gather(1, yt[:, None]).mean()
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p -= LR * p.grad
                p.grad = None
        return loss

    return step


def numpy_step(params, x, y):
    ps = [p.copy() for p in params]

    def step():
        acts, h = [x], x
        for i in range(0, len(ps), 2):
            h = h @ ps[i].T + ps[i + 1]
            if i + 2 < len(ps):
                h = onp.maximum(h, 0)
            acts.append(h)
        z = h - h.max(axis=1, keepdims=True)
        logp = z - onp.log(onp.exp(z).sum(axis=1, keepdims=True))
        g = onp.exp(logp)
        g[onp.arange(BATCH), y] -= 1
        g /= BATCH
        for i in range(len(ps) - 2, -1, -2):
            a_in = acts[i // 2]
            gw, gb = g.T @ a_in, g.sum(axis=0)
            if i > 0:
                g = (g @ ps[i]) * (a_in > 0)
            ps[i] -= LR * gw
            ps[i + 1] -= LR * gb

    return step


def main():
    rng = onp.random.default_rng(0)
    params, x, y = init(rng)
    rows = [("mxlite", median_ms(mxlite_step(params, x, y)))]
    rows.append(("numpy (hand-written backward)", median_ms(numpy_step(params, x, y))))
    try:
        import torch

        rows.append(
            (
                f"torch {torch.__version__} ({torch.get_num_threads()} threads)",
                median_ms(torch_step(torch, params, x, y)),
            )
        )
    except ImportError:
        pass
    print(f"MLP {'-'.join(map(str, SIZES))} training step, batch {BATCH}, float32")
    base = rows[0][1]
    for name, ms in rows:
        print(f"  {name:<36} {ms:8.3f} ms   mxlite/this {base / ms:5.2f}")


if __name__ == "__main__":
    main()
