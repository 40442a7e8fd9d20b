"""Neural-network helpers (mxnet.npx) against NumPy reference formulas."""

import numpy as onp

from mxnet import _core, autograd, nd, np, npx
from mxnet.base import MXNetError
from optable import OpCase

FLOATS = [(("float32",), "float32"), (("float64",), "float64")]


# ---- NumPy references ---------------------------------------------------------
def ref_softmax(x, axis=-1, t=1.0):
    z = x / t
    if z.ndim == 0:
        return onp.ones_like(z)
    if z.size == 0:
        return z.copy()
    e = onp.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def ref_log_softmax(x, axis=-1, t=1.0):
    z = x / t
    if z.ndim == 0:
        return onp.zeros_like(z)
    if z.size == 0:
        return z.copy()
    m = z.max(axis=axis, keepdims=True)
    return z - m - onp.log(onp.exp(z - m).sum(axis=axis, keepdims=True))


ACTIVATIONS = {
    "relu": lambda x: onp.maximum(x, 0),
    "sigmoid": lambda x: 1 / (1 + onp.exp(-x)),
    "tanh": onp.tanh,
    "softrelu": lambda x: onp.log1p(onp.exp(x)),
    "softsign": lambda x: x / (1 + onp.abs(x)),
}


def ref_fc(x, w, b=None, flatten=True):
    x2 = x.reshape(x.shape[0], int(onp.prod(x.shape[1:]))) if flatten else x
    y = x2 @ w.T
    return y if b is None else y + b


def channel(v, ndim, axis):
    shape = [1] * ndim
    shape[axis] = v.size
    return v.reshape(shape)


def ref_layer_norm(x, gamma, beta, axis=-1, eps=1e-5):
    if x.size == 0:
        return x.copy()
    mean = x.mean(axis=axis, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axis, keepdims=True)
    return (x - mean) / onp.sqrt(var + eps) * channel(gamma, x.ndim, axis) + channel(beta, x.ndim, axis)


def ref_batch_norm(x, gamma, beta, mean, var, eps=1e-3, axis=1, fix_gamma=True, batch_stats=False):
    others = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    if x.size == 0:
        return x.copy()
    if batch_stats:
        mean = x.mean(axis=others)
        var = ((x - channel(mean, x.ndim, axis)) ** 2).mean(axis=others)
    g = onp.ones_like(gamma) if fix_gamma else gamma
    return (x - channel(mean, x.ndim, axis)) / onp.sqrt(channel(var, x.ndim, axis) + eps) * channel(
        g, x.ndim, axis
    ) + channel(beta, x.ndim, axis)


def ref_embedding(idx, w):
    return w[onp.clip(idx.astype(onp.int64), 0, w.shape[0] - 1)]


# ---- cases ----------------------------------------------------------------------
SM_SHAPES = [((2, 3),), ((),), ((0, 4),), ((5,),), ((2, 3, 4),), ((3, 0),), ((2, 3, 70),)]
CASES = []
for name, mx_f, ref_f in [("softmax", npx.softmax, ref_softmax), ("log_softmax", npx.log_softmax, ref_log_softmax)]:
    CASES += [
        OpCase(
            name=name,
            mx=mx_f,
            ref=ref_f,
            shapes=SM_SHAPES,
            low=-3,
            high=3,
            grad_shapes=[((2, 3),), ((),), ((5,),), ((2, 3, 4),)],
            dtypes=FLOATS,
            errors=[
                (lambda f=mx_f: f(np.ones((2, 3)), axis=2), MXNetError, name + ".*axis 2.*dimension 2"),
                (lambda f=mx_f: f(np.ones((2, 3), dtype="int32")), MXNetError, name + ".*float.*int32"),
            ],
        ),
        OpCase(
            name=name + "-axis0-temperature",
            mx=lambda x, f=mx_f: f(x, axis=0, temperature=2.5),
            ref=lambda x, f=ref_f: f(x, 0, 2.5),
            shapes=[((4, 3),), ((3, 2, 70),), ((0, 2),)],
            low=-3,
            high=3,
            grad_shapes=[((4, 3),), ((3, 2, 2),)],
        ),
        OpCase(
            name=name + "-axis-2",
            mx=lambda x, f=mx_f: f(x, axis=-2),
            ref=lambda x, f=ref_f: f(x, -2),
            shapes=[((2, 4, 3),), ((3, 1),)],
            low=-3,
            high=3,
        ),
    ]


def ref_softmax_ce(x, label, axis=-1):
    """-log_softmax(x)[label] along axis, keeping it; labels clipped as pick does."""
    i = onp.clip(label, 0, x.shape[axis] - 1).reshape(x.shape[:-1] + (1,)).astype(onp.int64)
    return -onp.take_along_axis(ref_log_softmax(x, axis), i, axis)


# Gluon's SoftmaxCrossEntropyLoss with class labels (_core.np.softmax_ce_loss):
# out-of-range labels are clipped; an axis other than the last composes
# log_softmax and pick.
CASES.append(
    OpCase(
        name="softmax_cross_entropy",
        mx=lambda x, label: _core.np.softmax_ce_loss(x, label),
        ref=ref_softmax_ce,
        shapes=[((4, 5), (4,)), ((2, 3, 5), (2, 3)), ((2, 3, 5), (2, 3, 1)), ((0, 5), (0,)), ((5,), ())],
        int_inputs=(1,),
        int_range=(-2, 7),
        low=-3,
        high=3,
        dtypes=[(("float32", "int64"), "float32"), (("float64", "float32"), "float64")],
        errors=[
            (
                lambda: _core.np.softmax_ce_loss(np.ones((2, 3)), np.zeros((3,))),
                MXNetError,
                r"softmax_cross_entropy: label of shape \(3,\) does not match pred of shape \(2, 3\)",
            )
        ],
    )
)

for act, ref_f in ACTIVATIONS.items():
    CASES.append(
        OpCase(
            name="activation-" + act,
            mx=lambda x, a=act: npx.activation(x, act_type=a),
            ref=ref_f,
            shapes=[((2, 3),), ((),), ((0,),), ((4, 1, 2),)],
            low=-3,
            high=3,
            dtypes=FLOATS,
            # relu's kink at 0 is never hit by uniform draws
            errors=[
                (lambda a=act: npx.activation(np.ones(2), act_type="foo"), MXNetError, "activation.*foo"),
                (lambda a=act: npx.activation(np.ones(2, dtype="int32"), act_type=a), MXNetError, "activation.*int32"),
            ],
        )
    )

FC_ERRORS = [
    (
        lambda: npx.fully_connected(np.ones((2, 3)), np.ones((5, 4)), np.ones(5), num_hidden=5),
        MXNetError,
        r"fully_connected.*\(5, 4\).*\(2, 3\)",
    ),
    (
        lambda: npx.fully_connected(np.ones((2, 3)), np.ones((5, 3)), np.ones(4), num_hidden=5),
        MXNetError,
        r"fully_connected.*bias.*\(5,\).*\(4,\)",
    ),
    (
        lambda: npx.fully_connected(np.ones((2, 3)), np.ones((5, 3)), np.ones(5), num_hidden=4),
        MXNetError,
        r"fully_connected.*num_hidden=4",
    ),
]
CASES += [
    OpCase(
        name="fully_connected",
        mx=lambda x, w, b: npx.fully_connected(x, w, b, num_hidden=w.shape[0]),
        ref=ref_fc,
        shapes=[((2, 3), (4, 3), (4,)), ((2, 3, 2), (4, 6), (4,)), ((0, 3), (4, 3), (4,)), ((3,), (2, 1), (2,))],
        dtypes=[(("float32",) * 3, "float32"), (("float64",) * 3, "float64")],
        errors=FC_ERRORS,
    ),
    OpCase(
        name="fully_connected-no_flatten",
        mx=lambda x, w, b: npx.fully_connected(x, w, b, num_hidden=w.shape[0], flatten=False),
        ref=lambda x, w, b: ref_fc(x, w, b, flatten=False),
        shapes=[((2, 3, 5), (4, 5), (4,)), ((5,), (2, 5), (2,)), ((2, 0, 3), (4, 3), (4,))],
    ),
    OpCase(
        name="fully_connected-no_bias",
        mx=lambda x, w: npx.fully_connected(x, w, None, num_hidden=w.shape[0], no_bias=True),
        ref=lambda x, w: ref_fc(x, w),
        shapes=[((2, 3), (4, 3)), ((3, 2, 2), (1, 4))],
    ),
]

LN_ERRORS = [
    (
        lambda: npx.layer_norm(np.ones((2, 3)), np.ones(2), np.zeros(3)),
        MXNetError,
        r"layer_norm.*gamma.*\(3,\).*\(2, 3\).*\(2,\)",
    ),
    (lambda: npx.layer_norm(np.ones((2, 3)), np.ones(3), np.zeros(3), axis=2), MXNetError, "layer_norm.*axis 2"),
]
CASES += [
    OpCase(
        name="layer_norm",
        mx=npx.layer_norm,
        ref=ref_layer_norm,
        low=-2,
        high=2,
        shapes=[((2, 5), (5,), (5,)), ((6,), (6,), (6,)), ((0, 3), (3,), (3,)), ((2, 3, 4), (4,), (4,))],
        dtypes=[(("float32",) * 3, "float32"), (("float64",) * 3, "float64")],
        errors=LN_ERRORS,
        grad_rtol=1e-4,
        grad_atol=1e-6,
    ),
    OpCase(
        name="layer_norm-axis0-eps",
        mx=lambda x, g, b: npx.layer_norm(x, g, b, axis=0, eps=0.1),
        ref=lambda x, g, b: ref_layer_norm(x, g, b, 0, 0.1),
        low=-2,
        high=2,
        shapes=[((4, 3), (4,), (4,)), ((3, 2, 70), (3,), (3,))],
        grad_shapes=[((4, 3), (4,), (4,))],
        grad_rtol=1e-4,
        grad_atol=1e-6,
    ),
    OpCase(
        name="layer_norm-axis1of3",
        mx=lambda x, g, b: npx.layer_norm(x, g, b, axis=1),
        ref=lambda x, g, b: ref_layer_norm(x, g, b, 1),
        low=-2,
        high=2,
        shapes=[((2, 3, 4), (3,), (3,))],
        grad_rtol=1e-4,
        grad_atol=1e-6,
    ),
]


def bn_inputs(rng, shapes):
    """x, gamma, beta, running mean and a positive running variance."""
    x, g, b, m, v = shapes
    return [
        rng.uniform(-2, 2, x),
        rng.uniform(0.5, 2, g),
        rng.uniform(-1, 1, b),
        rng.uniform(-1, 1, m),
        rng.uniform(0.5, 2, v),
    ]


def bn_infer(**kw):
    def f(x, g, b, m, v):
        with autograd.predict_mode():
            return npx.batch_norm(x, g, b, m, v, **kw)

    return f


def bn_train(**kw):
    def f(x, g, b):
        c = g.shape[0]
        with autograd.train_mode():
            return npx.batch_norm(x, g, b, np.zeros(c, dtype=x.dtype), np.ones(c, dtype=x.dtype), **kw)

    return f


BN_SHAPES = [((4, 3), (3,), (3,), (3,), (3,)), ((2, 3, 5), (3,), (3,), (3,), (3,)), ((0, 2), (2,), (2,), (2,), (2,))]
BN_ERRORS = [
    (
        lambda: npx.batch_norm(np.ones((2, 3, 2)), np.ones(2), np.zeros(3), np.zeros(3), np.ones(3)),
        MXNetError,
        r"batch_norm.*gamma.*\(3,\).*\(2, 3, 2\).*\(2,\)",
    ),
    (
        lambda: npx.batch_norm(np.ones((2, 3)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), axis=-3),
        MXNetError,
        "batch_norm.*axis -3",
    ),
]
CASES += [
    OpCase(
        name="batch_norm-inference",
        mx=bn_infer(fix_gamma=False),
        input_maker=bn_inputs,
        shapes=BN_SHAPES,
        ref=lambda x, g, b, m, v: ref_batch_norm(x, g, b, m, v, fix_gamma=False),
        dtypes=[(("float32",) * 5, "float32"), (("float64",) * 5, "float64")],
        errors=BN_ERRORS,
    ),
    OpCase(
        name="batch_norm-inference-fix_gamma-axis-1",
        mx=bn_infer(axis=-1, eps=0.01),
        input_maker=bn_inputs,
        ref=lambda x, g, b, m, v: ref_batch_norm(x, g, b, m, v, eps=0.01, axis=-1),
        shapes=[((2, 3), (3,), (3,), (3,), (3,)), ((4, 2, 3), (3,), (3,), (3,), (3,))],
    ),
    OpCase(
        name="batch_norm-training",
        mx=bn_train(fix_gamma=False),
        low=-2,
        high=2,
        ref=lambda x, g, b: ref_batch_norm(x, g, b, None, None, fix_gamma=False, batch_stats=True),
        shapes=[((4, 3), (3,), (3,)), ((2, 3, 5), (3,), (3,)), ((3, 2, 2, 2), (2,), (2,))],
        grad_rtol=1e-4,
        grad_atol=1e-6,
    ),
    OpCase(
        name="batch_norm-training-fix_gamma-axis0",
        mx=bn_train(axis=0),
        low=-2,
        high=2,
        ref=lambda x, g, b: ref_batch_norm(x, g, b, None, None, axis=0, batch_stats=True),
        shapes=[((3, 4), (3,), (3,)), ((2, 3, 4), (2,), (2,))],
        grad_rtol=1e-4,
        grad_atol=1e-6,
    ),
]

EMB_ERRORS = [
    (
        lambda: npx.embedding(np.array([0, 1]), np.ones((4, 3)), input_dim=5, output_dim=3),
        MXNetError,
        r"embedding.*\(4, 3\).*input_dim=5",
    ),
    (
        lambda: npx.embedding(np.array([0, 1]), np.ones((4,)), input_dim=4, output_dim=1),
        MXNetError,
        r"embedding.*2-D.*\(4,\)",
    ),
]
CASES += [
    OpCase(
        name="embedding",
        mx=lambda i, w: npx.embedding(i, w, input_dim=w.shape[0], output_dim=w.shape[1]),
        ref=ref_embedding,
        int_inputs=(0,),
        int_range=(-2, 6),  # out-of-range indices are clipped
        shapes=[((5,), (4, 3)), ((2, 3), (4, 2)), ((), (4, 3)), ((0,), (4, 3)), ((3,), (4, 0))],
        dtypes=[(("int64", "float32"), "float32"), (("int32", "float64"), "float64"), (("float32", "int32"), "int32")],
        errors=EMB_ERRORS,
    ),
]


# ---- LeakyReLU family, instance/group/L2 normalisation, sequence ops -----------
SELU_ALPHA, SELU_LAMBDA = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def ref_gelu(x):
    from math import erf

    return 0.5 * x * (1 + onp.vectorize(erf)(x / onp.sqrt(2.0))) if x.size else x.copy()


LEAKY = {
    "leaky": (dict(slope=0.3), lambda x: onp.where(x > 0, x, 0.3 * x)),
    "elu": (dict(slope=0.7), lambda x: onp.where(x > 0, x, 0.7 * onp.expm1(x))),
    "selu": ({}, lambda x: SELU_LAMBDA * onp.where(x > 0, x, SELU_ALPHA * onp.expm1(x))),
    "gelu": ({}, ref_gelu),
}
for act, (kw, ref_f) in LEAKY.items():
    CASES.append(
        OpCase(
            name="leaky_relu-" + act,
            mx=lambda x, a=act, kw=kw: npx.leaky_relu(x, act_type=a, **kw),
            ref=ref_f,
            shapes=[((2, 3),), ((),), ((0,),), ((4, 1, 2),)],
            low=-3,
            high=3,
            dtypes=FLOATS,
            errors=[
                (lambda: npx.leaky_relu(np.ones(2), act_type="foo"), MXNetError, "LeakyReLU.*'foo'.*'elu'"),
                (lambda a=act: npx.leaky_relu(np.ones(2, dtype="int32"), act_type=a), MXNetError, "LeakyReLU.*int32"),
            ],
        )
    )


def ref_prelu(x, g):
    gb = g.reshape((1, -1) + (1,) * (x.ndim - 2)) if x.ndim >= 2 and g.size > 1 else g.reshape(()) if g.size == 1 else g
    return onp.where(x > 0, x, gb * x)


CASES.append(
    OpCase(
        name="prelu",
        mx=lambda x, g: npx.leaky_relu(x, g, act_type="prelu"),
        ref=ref_prelu,
        shapes=[((2, 3, 4), (3,)), ((2, 3), (1,)), ((5,), (5,)), ((0, 2), (2,))],
        low=-2,
        high=2,
        errors=[
            (
                lambda: npx.leaky_relu(np.ones((2, 3, 2)), np.ones(2), act_type="prelu"),
                MXNetError,
                r"prelu.*gamma of shape \(2,\).*3 channels.*\(2, 3, 2\)",
            ),
            (lambda: npx.leaky_relu(np.ones((2, 3)), act_type="prelu"), MXNetError, "prelu.*needs the gamma"),
        ],
    )
)


def ref_instance_norm(x, g, b, eps=1e-3):
    axes = tuple(range(2, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / onp.sqrt(var + eps) * channel(g, x.ndim, 1) + channel(b, x.ndim, 1)


def ref_group_norm(x, g, b, groups, eps=1e-5):
    n = x.shape[0]
    xg = x.reshape(n, groups, -1)
    mean = xg.mean(axis=2, keepdims=True)
    var = ((xg - mean) ** 2).mean(axis=2, keepdims=True)
    y = (xg - mean) / onp.sqrt(var + eps) * g.reshape(1, groups, 1) + b.reshape(1, groups, 1)
    return y.reshape(x.shape)


def ref_l2(x, mode="instance", eps=1e-10):
    axes = {"instance": tuple(range(1, x.ndim)), "channel": (1,), "spatial": tuple(range(2, x.ndim))}[mode]
    return x / onp.sqrt((x * x).sum(axis=axes, keepdims=True) + eps)


CASES += [
    OpCase(
        name="instance_norm",
        mx=lambda x, g, b: nd.InstanceNorm(x.as_nd_ndarray(), g.as_nd_ndarray(), b.as_nd_ndarray()).as_np_ndarray(),
        ref=ref_instance_norm,
        shapes=[((2, 3, 4), (3,), (3,)), ((1, 2, 3, 3), (2,), (2,)), ((2, 1, 5), (1,), (1,))],
        low=-2,
        high=2,
        grad_rtol=1e-4,
        grad_atol=1e-6,
        errors=[
            (
                lambda: nd.InstanceNorm(nd.ones((2, 3)), nd.ones(3), nd.ones(3)),
                MXNetError,
                r"InstanceNorm.*3 dim.*\(2, 3\)",
            ),
            (
                lambda: nd.InstanceNorm(nd.ones((2, 3, 2)), nd.ones(2), nd.ones(3)),
                MXNetError,
                r"InstanceNorm.*gamma.*\(3,\)",
            ),
        ],
    ),
    OpCase(
        name="group_norm",
        mx=lambda x, g, b: nd.GroupNorm(
            x.as_nd_ndarray(), g.as_nd_ndarray(), b.as_nd_ndarray(), num_groups=g.shape[0]
        ).as_np_ndarray(),
        ref=lambda x, g, b: ref_group_norm(x, g, b, g.shape[0]),
        shapes=[((2, 4, 3), (2,), (2,)), ((1, 6, 2, 2), (3,), (3,)), ((3, 2), (1,), (1,))],
        low=-2,
        high=2,
        grad_rtol=1e-4,
        grad_atol=1e-6,
        errors=[
            (
                lambda: nd.GroupNorm(nd.ones((2, 4, 3)), nd.ones(3), nd.ones(3), num_groups=3),
                MXNetError,
                r"GroupNorm.*num_groups=3.*4 channels",
            ),
            (
                lambda: nd.GroupNorm(nd.ones((2, 4, 3)), nd.ones(4), nd.ones(4), num_groups=2),
                MXNetError,
                r"GroupNorm.*gamma.*\(2,\)",
            ),
        ],
    ),
] + [
    OpCase(
        name="l2_normalization-" + mode,
        mx=lambda x, mode=mode: nd.L2Normalization(x.as_nd_ndarray(), mode=mode).as_np_ndarray(),
        ref=lambda x, mode=mode: ref_l2(x, mode),
        shapes=[((2, 3, 4),), ((3, 2, 1, 2),)] + ([((4, 5),)] if mode != "spatial" else []),
        low=0.2,
        high=2,
        errors=[(lambda mode=mode: nd.L2Normalization(nd.ones((2,)), mode=mode), MXNetError, "L2Normalization.*mode")],
    )
    for mode in ["instance", "channel", "spatial"]
]


def lengths_maker(steps, batch_axis_first=False):
    """Random data and per-batch lengths in [1, steps] (int64, so not differentiated)."""

    def make(rng, shapes):
        data = rng.uniform(-1, 1, size=shapes[0])
        batch = shapes[0][0 if batch_axis_first else 1]
        return [data, rng.integers(1, steps + 1, size=batch).astype(onp.int64)]

    return make


def ref_sequence_mask(x, n, value=0.0, axis=0):
    t = onp.arange(x.shape[axis])
    keep = t[:, None] < n[None, :] if axis == 0 else t[None, :] < n[:, None]
    keep = keep.reshape(keep.shape + (1,) * (x.ndim - 2))
    return onp.where(keep, x, value)


def ref_sequence_last(x, n, axis=0):
    xs = onp.moveaxis(x, axis, 0)
    return onp.stack([xs[int(n[b]) - 1, b] for b in range(xs.shape[1])])


def ref_sequence_reverse(x, n):
    out = x.copy()
    for b in range(x.shape[1]):
        k = int(n[b])
        out[:k, b] = x[:k, b][::-1]
    return out


def nd_face(f):
    return lambda *xs: f(*[x.as_nd_ndarray() for x in xs]).as_np_ndarray()


CASES += [
    OpCase(
        name="sequence_mask",
        mx=lambda x, n: npx.sequence_mask(x, n, use_sequence_length=True, value=-2.0),
        ref=lambda x, n: ref_sequence_mask(x, n, -2.0),
        shapes=[((4, 3, 2), (3,)), ((5, 2), (2,)), ((3, 1, 2, 2), (1,))],
        input_maker=lengths_maker(3),
        errors=[
            (
                lambda: npx.sequence_mask(np.ones((4, 3)), np.ones(2), use_sequence_length=True),
                MXNetError,
                r"SequenceMask.*sequence_length of shape \(2,\).*\(3,\)",
            ),
            (
                lambda: npx.sequence_mask(np.ones(4), np.ones(1), use_sequence_length=True),
                MXNetError,
                "SequenceMask.*2 dim",
            ),
        ],
    ),
    OpCase(
        name="sequence_mask-axis1",
        mx=nd_face(lambda x, n: nd.SequenceMask(x, n, use_sequence_length=True, axis=1)),
        ref=lambda x, n: ref_sequence_mask(x, n, 0.0, 1),
        shapes=[((3, 4, 2), (3,)), ((2, 5), (2,))],
        input_maker=lengths_maker(4, batch_axis_first=True),
    ),
    OpCase(
        name="sequence_last",
        mx=nd_face(lambda x, n: nd.SequenceLast(x, n, use_sequence_length=True)),
        ref=ref_sequence_last,
        shapes=[((4, 3, 2), (3,)), ((5, 2), (2,))],
        input_maker=lengths_maker(4),
        errors=[
            (
                lambda: nd.SequenceLast(nd.ones((4, 2)), nd.array([0, 2]), use_sequence_length=True),
                IndexError,
                r"SequenceLast.*sequence_length\[0\] = 0 is outside \[1, 4\]",
            )
        ],
    ),
    OpCase(
        name="sequence_last-axis1",
        mx=nd_face(lambda x, n: nd.SequenceLast(x, n, use_sequence_length=True, axis=1)),
        ref=lambda x, n: ref_sequence_last(x, n, 1),
        shapes=[((3, 4, 2), (3,))],
        input_maker=lengths_maker(4, batch_axis_first=True),
    ),
    OpCase(
        name="sequence_reverse",
        mx=nd_face(lambda x, n: nd.SequenceReverse(x, n, use_sequence_length=True)),
        ref=ref_sequence_reverse,
        shapes=[((4, 3, 2), (3,)), ((5, 2), (2,))],
        input_maker=lengths_maker(4),
        errors=[
            (
                lambda: nd.SequenceReverse(nd.ones((4, 2)), nd.array([5, 2]), use_sequence_length=True),
                IndexError,
                r"SequenceReverse.*sequence_length\[0\] = 5 is outside \[0, 4\]",
            ),
            (lambda: nd.SequenceReverse(nd.ones((4, 2)), axis=1), MXNetError, "SequenceReverse.*axis=0"),
        ],
    ),
]


# ---- UpSampling and LRN (compositions) --------------------------------------------
def ref_lrn(x, nsize, alpha=1e-4, beta=0.75, knorm=2.0):
    half = nsize // 2
    sq = onp.pad(x * x, [(0, 0), (half, half)] + [(0, 0)] * (x.ndim - 2))
    total = sum(sq[:, i : i + x.shape[1]] for i in range(nsize))
    return x / (knorm + alpha / nsize * total) ** beta


CASES += [
    OpCase(
        name="upsampling-nearest",
        mx=nd_face(lambda x: nd.UpSampling(x, scale=3, sample_type="nearest")),
        ref=lambda x: x.repeat(3, axis=2).repeat(3, axis=3),
        shapes=[((1, 2, 2, 3),), ((2, 1, 1, 1),)],
    ),
    OpCase(
        name="upsampling-nearest-sum",
        mx=nd_face(
            lambda a, b: nd.UpSampling(a, b, scale=2, sample_type="nearest", multi_input_mode="sum", num_args=2)
        ),
        ref=lambda a, b: a.repeat(2, axis=2).repeat(2, axis=3) + b.repeat(4, axis=2).repeat(4, axis=3),
        shapes=[((1, 2, 2, 2), (1, 2, 1, 1))],
    ),
    OpCase(
        name="upsampling-bilinear",
        mx=nd_face(lambda x, w: nd.UpSampling(x, w, scale=2, sample_type="bilinear", num_filter=2)),
        ref=lambda x, w: __import__("optable.conv", fromlist=["ref_deconv"]).ref_deconv(
            x, w, stride=(2, 2), pad=(1, 1), groups=2
        ),
        shapes=[((1, 2, 3, 2), (2, 1, 4, 4))],
        errors=[
            (
                lambda: nd.UpSampling(nd.ones((1, 2, 2, 2)), scale=2, sample_type="bilinear", num_filter=2),
                MXNetError,
                "UpSampling: sample_type='bilinear' takes the data and the weight",
            ),  # fmt: skip
            (
                lambda: nd.UpSampling(nd.ones((1, 2, 2)), scale=2, sample_type="nearest"),
                MXNetError,
                "UpSampling: data must be 4-D",
            ),
        ],
    ),
    OpCase(
        name="lrn",
        mx=nd_face(lambda x: nd.LRN(x, nsize=3, alpha=0.5, beta=0.5, knorm=1.0)),
        ref=lambda x: ref_lrn(x, 3, 0.5, 0.5, 1.0),
        shapes=[((1, 5, 1, 2),), ((2, 3, 2, 2),)],
        errors=[
            (lambda: nd.LRN(nd.ones((1, 3, 2, 2)), nsize=2), MXNetError, "LRN: nsize must be a positive odd number")
        ],
    ),
    OpCase(
        name="lrn-defaults-wide",
        mx=nd_face(lambda x: nd.LRN(x, nsize=5)),
        ref=lambda x: ref_lrn(x, 5),
        shapes=[((1, 7, 2, 1),)],
    ),
]
