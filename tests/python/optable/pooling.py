"""Pooling (npx.pooling / nd.Pooling): max, avg (count_include_pad), sum and
lp over 1-, 2- and 3-D windows, valid and full conventions, global pooling,
against a direct NumPy loop over the output positions."""

import itertools
import math

import numpy as onp

from mxnet import nd, np, npx
from mxnet.base import MXNetError
from optable import OpCase


def ref_pool(x, kernel=None, pool_type="max", stride=None, pad=None, full=False, count_include_pad=True, p_value=2,
             global_pool=False):  # fmt: skip
    rank = x.ndim - 2
    if global_pool:
        kernel, stride, pad = x.shape[2:], (1,) * rank, (0,) * rank
    s = stride or (1,) * rank
    p = pad or (0,) * rank
    out = []
    for i in range(rank):
        span = x.shape[2 + i] + 2 * p[i] - kernel[i]
        o = (math.ceil(span / s[i]) if full else span // s[i]) + 1
        if full and o > 1 and (o - 1) * s[i] >= x.shape[2 + i] + p[i]:
            o -= 1
        out.append(o)
    y = onp.zeros(x.shape[:2] + tuple(out), dtype=x.dtype)
    for pos in itertools.product(*[range(o) for o in out]):
        lo = [pos[i] * s[i] - p[i] for i in range(rank)]
        hi_padded = [min(lo[i] + kernel[i], x.shape[2 + i] + p[i]) for i in range(rank)]
        window = tuple(slice(max(lo[i], 0), min(hi_padded[i], x.shape[2 + i])) for i in range(rank))
        patch = x[(slice(None), slice(None)) + window].reshape(x.shape[0], x.shape[1], -1)
        if pool_type == "max":
            v = patch.max(axis=2)
        elif pool_type == "sum":
            v = patch.sum(axis=2)
        elif pool_type == "lp":
            v = (patch**p_value).sum(axis=2) ** (1.0 / p_value)
        else:
            count = math.prod(hi_padded[i] - lo[i] for i in range(rank)) if count_include_pad else patch.shape[2]
            v = patch.sum(axis=2) / count
        y[(slice(None), slice(None)) + pos] = v
    return y


POOLS = [
    ("max-2d", (2, 3, 5, 6), dict(kernel=(2, 2), stride=(2, 2))),
    ("max-2d-overlap-pad", (1, 2, 5, 5), dict(kernel=(3, 3), stride=(2, 1), pad=(1, 1))),
    ("max-2d-full", (1, 2, 5, 5), dict(kernel=(2, 2), stride=(2, 2), full=True)),
    ("max-1d", (2, 2, 7), dict(kernel=(3,), stride=(2,))),
    ("max-3d", (1, 2, 4, 4, 3), dict(kernel=(2, 2, 2), stride=(2, 1, 1))),
    ("avg-2d-pad", (1, 2, 5, 5), dict(pool_type="avg", kernel=(3, 3), stride=(2, 2), pad=(1, 1))),
    (
        "avg-2d-pad-exclude",
        (1, 2, 5, 5),
        dict(pool_type="avg", kernel=(3, 3), stride=(2, 2), pad=(1, 1), count_include_pad=False),
    ),  # fmt: skip
    ("avg-2d-full", (1, 1, 5, 5), dict(pool_type="avg", kernel=(2, 2), stride=(2, 2), full=True)),
    ("avg-3d", (1, 1, 3, 4, 4), dict(pool_type="avg", kernel=(2, 3, 2), stride=(1, 1, 2))),
    ("sum-2d", (1, 2, 4, 4), dict(pool_type="sum", kernel=(2, 2))),
    ("sum-1d-stride-over-kernel", (1, 2, 9), dict(pool_type="sum", kernel=(2,), stride=(3,))),
    ("lp2-2d", (1, 2, 4, 4), dict(pool_type="lp", p_value=2, kernel=(2, 2))),
    ("lp3-1d", (1, 2, 5), dict(pool_type="lp", p_value=3, kernel=(2,))),
    ("global-avg", (2, 3, 4, 5), dict(pool_type="avg", global_pool=True)),
    ("global-max-1d", (2, 3, 6), dict(pool_type="max", global_pool=True)),
]


def pool_case(name, shape, kw):
    args = dict(kw)
    full = args.pop("full", False)

    def mx(x):
        return npx.pooling(x, pooling_convention="full" if full else "valid", **args)

    low = 0.5 if kw.get("pool_type") == "lp" else -1.0  # x^p with fractional 1/p needs positive sums
    return OpCase(
        name=f"pooling-{name}",
        mx=mx,
        ref=lambda x: ref_pool(x, full=full, **args),
        shapes=[(shape,)],
        low=low,
        rtol=1e-6,
        atol=1e-9,
        grad_rtol=1e-4,
        grad_atol=1e-6,
    )


CASES = [pool_case(*p) for p in POOLS]
CASES[0].dtypes = [(("float32",), "float32"), (("float64",), "float64")]
CASES[0].errors = [
    (lambda: npx.pooling(np.ones((1, 1, 5, 5)), kernel=(6, 6)), MXNetError, r"Pooling: kernel extent 6 exceeds"),
    (
        lambda: npx.pooling(np.ones((1, 1, 5, 5)), kernel=(2, 2), pad=(2, 2)),
        MXNetError,
        r"Pooling: pad 2 must be smaller",
    ),
    (
        lambda: npx.pooling(np.ones((1, 1, 5, 5)), kernel=(2, 2), pool_type="median"),
        MXNetError,
        r"invalid pool_type 'median'",
    ),
    (
        lambda: npx.pooling(np.ones((1, 1, 5, 5)), kernel=(2, 2), pooling_convention="same"),
        MXNetError,
        r"'same' is not supported",
    ),
    (lambda: npx.pooling(np.ones((1, 1, 5, 5))), MXNetError, r"Pooling: kernel is required"),
    (lambda: npx.pooling(np.ones((5, 5)), kernel=(2, 2)), MXNetError, r"Pooling: data must be 3-D, 4-D or 5-D"),
    (
        lambda: nd.Pooling(nd.ones((1, 1, 4, 4)), kernel=(2, 2), pool_type="lp"),
        MXNetError,
        r"Pooling: pool_type='lp' needs p_value",
    ),
]
