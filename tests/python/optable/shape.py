"""Shape family (mxnet.np): reshaping views, joining, splitting, tiling,
flipping, rolling and padding. Shape ops keep the dtype (float, int, bool)."""

import numpy as onp

from mxnet import nd, np, npx
from mxnet.base import MXNetError
from optable import OpCase

KEEP = [
    (("float32",), "float32"),
    (("float64",), "float64"),
    (("int32",), "int32"),
    (("int64",), "int64"),
    (("bool",), "bool"),
]
KEEP2 = [((d, d), r) for (d,), r in KEEP]


def first(f):
    """The first piece of a multi-output op (the gradient checker needs one output)."""
    return lambda *a: f(*a)[0]


def z(*shape):
    return np.zeros(shape)


CASES = [
    OpCase(
        name="reshape-infer",
        mx=lambda a: np.reshape(a, (-1, 2)),
        ref=lambda a: onp.reshape(a, (-1, 2)),
        shapes=[((2, 3),), ((4,),), ((0, 2),), ((2, 1, 2),)],
        dtypes=KEEP,
        errors=[
            (lambda: np.reshape(z(2, 3), (4, -1)), MXNetError, r"reshape.*\(2, 3\)"),
            (lambda: np.reshape(z(2, 3), (5, 2)), MXNetError, r"reshape.*size 6"),
            (lambda: np.reshape(z(2, 3), (-1, -1)), MXNetError, r"reshape.*one unknown"),
        ],
    ),
    OpCase(
        name="reshape-method-ints",
        mx=lambda a: a.reshape(2, -1),
        ref=lambda a: a.reshape(2, -1),
        shapes=[((2, 3),), ((4, 1),)],
    ),
    OpCase(
        name="reshape-method-tuple",
        mx=lambda a: a.reshape((3, -1)),
        ref=lambda a: a.reshape((3, -1)),
        shapes=[((2, 3),), ((3,),)],
    ),
    OpCase(
        name="reshape-0d",
        mx=lambda a: np.reshape(a, (1, 1)),
        ref=lambda a: onp.reshape(a, (1, 1)),
        shapes=[((),)],
        views=False,
    ),
    OpCase(
        name="transpose-axes",
        mx=lambda a: np.transpose(a, (1, 0, 2)),
        ref=lambda a: onp.transpose(a, (1, 0, 2)),
        shapes=[((2, 3, 4),), ((0, 2, 1),)],
        dtypes=KEEP,
        errors=[
            (lambda: np.transpose(z(2, 3), (0, 2)), MXNetError, r"transpose.*axis 2"),
            (lambda: np.transpose(z(2, 3), (0,)), MXNetError, r"transpose.*\(2, 3\)"),
        ],
    ),
    OpCase(
        name="transpose-method-star",
        mx=lambda a: a.transpose(2, 0, 1),
        ref=lambda a: a.transpose(2, 0, 1),
        shapes=[((2, 3, 4),)],
    ),
    OpCase(
        name="transpose-method-none",
        mx=lambda a: a.transpose(),
        ref=lambda a: a.transpose(),
        shapes=[((2, 3),), ((),), ((2, 0, 3),)],
    ),
    OpCase(
        name="swapaxes",
        mx=lambda a: np.swapaxes(a, 0, -1),
        ref=lambda a: onp.swapaxes(a, 0, -1),
        shapes=[((2, 3, 4),), ((3,),), ((0, 2),)],
        dtypes=KEEP,
        errors=[(lambda: np.swapaxes(z(2, 3), 0, 2), MXNetError, r"swapaxes.*axis 2")],
    ),
    OpCase(name="swapaxes-method", mx=lambda a: a.swapaxes(1, 0), ref=lambda a: a.swapaxes(1, 0), shapes=[((2, 3),)]),
    OpCase(
        name="moveaxis",
        mx=lambda a: np.moveaxis(a, 0, -1),
        ref=lambda a: onp.moveaxis(a, 0, -1),
        shapes=[((2, 3, 4),), ((0, 3),)],
        dtypes=KEEP,
        errors=[
            (lambda: np.moveaxis(z(2, 3), 0, 3), MXNetError, r"moveaxis.*axis 3"),
            (lambda: np.moveaxis(z(2, 3), (0, 1), 0), MXNetError, r"moveaxis.*same number"),
        ],
    ),
    OpCase(
        name="moveaxis-tuple",
        mx=lambda a: np.moveaxis(a, (0, 2), (3, 0)),
        ref=lambda a: onp.moveaxis(a, (0, 2), (3, 0)),
        shapes=[((2, 3, 4, 5),)],
    ),
    OpCase(
        name="expand_dims",
        mx=lambda a: np.expand_dims(a, -1),
        ref=lambda a: onp.expand_dims(a, -1),
        shapes=[((2, 3),), ((),), ((0,),)],
        dtypes=KEEP,
        errors=[(lambda: np.expand_dims(z(2, 3), 3), MXNetError, r"expand_dims.*axis 3")],
    ),
    OpCase(
        name="expand_dims-tuple",
        mx=lambda a: np.expand_dims(a, (0, -1)),
        ref=lambda a: onp.expand_dims(a, (0, -1)),
        shapes=[((2, 3),), ((),)],
        errors=[(lambda: np.expand_dims(z(2), (0, 0)), MXNetError, r"expand_dims.*repeated")],
    ),
    OpCase(
        name="squeeze-all",
        mx=np.squeeze,
        ref=onp.squeeze,
        shapes=[((1, 3, 1),), ((),), ((1, 0, 1),), ((1, 1),)],
        dtypes=KEEP,
    ),
    OpCase(
        name="squeeze-axis",
        mx=lambda a: np.squeeze(a, axis=-1),
        ref=lambda a: onp.squeeze(a, axis=-1),
        shapes=[((2, 1),), ((1, 3, 1),)],
        errors=[
            (lambda: np.squeeze(z(2, 3), axis=1), MXNetError, r"squeeze.*size not equal to one.*\(2, 3\)"),
            (lambda: np.squeeze(z(1, 3), axis=2), MXNetError, r"squeeze.*axis 2"),
        ],
    ),
    OpCase(
        name="squeeze-tuple",
        mx=lambda a: np.squeeze(a, axis=(0, 2)),
        ref=lambda a: onp.squeeze(a, axis=(0, 2)),
        shapes=[((1, 3, 1),)],
        views=False,
    ),
    OpCase(name="squeeze-method", mx=lambda a: a.squeeze(), ref=lambda a: a.squeeze(), shapes=[((1, 3, 1),)]),
    OpCase(name="ravel", mx=np.ravel, ref=onp.ravel, shapes=[((2, 3),), ((),), ((2, 0),)], dtypes=KEEP),
    OpCase(name="ravel-method", mx=lambda a: a.ravel(), ref=lambda a: a.ravel(), shapes=[((2, 3, 2),)]),
    OpCase(
        name="flatten-method",
        mx=lambda a: a.flatten(),
        ref=lambda a: a.flatten(),
        shapes=[((2, 3),), ((),)],
        dtypes=KEEP,
    ),
    OpCase(
        name="broadcast_to",
        mx=lambda a: np.broadcast_to(a, (2, 3, 4)),
        ref=lambda a: onp.broadcast_to(a, (2, 3, 4)),
        shapes=[((3, 1),), ((),), ((1, 4),)],
        dtypes=KEEP,
        errors=[(lambda: np.broadcast_to(z(2, 3), (3, 3)), MXNetError, r"broadcast_to.*\(2, 3\)")],
    ),
    OpCase(
        name="concatenate-axis1",
        mx=lambda a, b: np.concatenate([a, b], axis=1),
        ref=lambda a, b: onp.concatenate([a, b], axis=1),
        shapes=[((2, 3), (2, 2)), ((2, 0), (2, 3)), ((1, 2, 3), (1, 1, 3))],
        dtypes=KEEP2,
        errors=[
            (lambda: np.concatenate([z(2, 3), z(3, 3)], axis=1), MXNetError, r"concatenate.*\(2, 3\).*\(3, 3\)"),
            (lambda: np.concatenate([z(2, 3), z(2)], axis=0), MXNetError, r"concatenate.*\(2, 3\).*\(2,\)"),
            (lambda: np.concatenate([z(2, 3), z(2, 3)], axis=2), MXNetError, r"concatenate.*axis 2"),
            (lambda: np.concatenate([z(), z()]), MXNetError, r"concatenate.*zero-dimensional"),
            (lambda: np.concatenate([]), MXNetError, r"concatenate.*at least one"),
        ],
    ),
    OpCase(
        name="concatenate-neg-axis",
        mx=lambda a, b, c: np.concatenate([a, b, c], axis=-2),
        ref=lambda a, b, c: onp.concatenate([a, b, c], axis=-2),
        shapes=[((1, 3), (2, 3), (3, 3))],
    ),
    OpCase(
        name="concatenate-none",
        mx=lambda a, b: np.concatenate([a, b], axis=None),
        ref=lambda a, b: onp.concatenate([a, b], axis=None),
        shapes=[((2, 3), (4,)), ((), (2, 2))],
    ),
    OpCase(
        name="concatenate-mixed-dtypes",
        mx=lambda a, b: np.concatenate([a, b]),
        ref=lambda a, b: onp.concatenate([a, b]),
        shapes=[((2,), (3,))],
        grad_shapes=[],
        dtypes=[(("int32", "float32"), "float32"), (("int32", "int64"), "int64")],
    ),
    OpCase(
        name="stack",
        mx=lambda a, b: np.stack([a, b], axis=-1),
        ref=lambda a, b: onp.stack([a, b], axis=-1),
        shapes=[((2, 3), (2, 3)), ((), ()), ((0, 2), (0, 2))],
        dtypes=KEEP2,
        errors=[
            (lambda: np.stack([z(2, 3), z(3, 2)]), MXNetError, r"stack.*\(2, 3\).*\(3, 2\)"),
            (lambda: np.stack([z(2), z(2)], axis=2), MXNetError, r"stack.*axis 2"),
        ],
    ),
    OpCase(
        name="vstack",
        mx=lambda a, b: np.vstack([a, b]),
        ref=lambda a, b: onp.vstack([a, b]),
        shapes=[((3,), (3,)), ((2, 3), (1, 3)), ((), ())],
    ),
    OpCase(
        name="hstack",
        mx=lambda a, b: np.hstack([a, b]),
        ref=lambda a, b: onp.hstack([a, b]),
        shapes=[((3,), (2,)), ((2, 3), (2, 1)), ((), ())],
    ),
    OpCase(
        name="dstack",
        mx=lambda a, b: np.dstack([a, b]),
        ref=lambda a, b: onp.dstack([a, b]),
        shapes=[((3,), (3,)), ((2, 3), (2, 3)), ((2, 1, 2), (2, 1, 1))],
    ),
    OpCase(
        name="column_stack",
        mx=lambda a, b: np.column_stack([a, b]),
        ref=lambda a, b: onp.column_stack([a, b]),
        shapes=[((3,), (3,)), ((3, 2), (3,))],
    ),
    OpCase(
        name="split-sections",
        mx=lambda a: np.split(a, 3, axis=1),
        ref=lambda a: onp.split(a, 3, axis=1),
        shapes=[((2, 6),), ((1, 3, 2),), ((0, 3),)],
        grad_shapes=[],
        dtypes=KEEP,
        errors=[
            (lambda: np.split(z(2, 3), 2, axis=1), MXNetError, r"split.*equal division.*\(2, 3\)"),
            (lambda: np.split(z(2, 3), 2, axis=2), MXNetError, r"split.*axis 2"),
            (lambda: np.split(z(), 1), MXNetError, r"split.*zero-dimensional"),
        ],
    ),
    OpCase(
        name="split-indices",
        mx=lambda a: np.split(a, [1, 3, 9], axis=-1),
        ref=lambda a: onp.split(a, [1, 3, 9], axis=-1),
        shapes=[((2, 5),), ((4,),), ((3, 0),)],
        grad_shapes=[],
    ),
    OpCase(
        name="split-unordered-indices",
        mx=lambda a: np.split(a, [3, 1, -1]),
        ref=lambda a: onp.split(a, [3, 1, -1]),
        shapes=[((5, 2),), ((6,),)],
        grad_shapes=[],
    ),
    # Gradients: one piece used (the others get zeros), and all pieces used.
    OpCase(
        name="split-grad-one-piece",
        mx=lambda a: np.split(a, 3, axis=1)[1],
        ref=lambda a: onp.split(a, 3, axis=1)[1],
        shapes=[((2, 6),), ((3, 3, 2),)],
    ),
    OpCase(
        name="split-grad-all-pieces",
        mx=lambda a: (lambda p: p[0] * 2 + p[1] * p[2])(np.split(a, [2, 4])),
        ref=lambda a: (lambda p: p[0] * 2 + p[1] * p[2])(onp.split(a, [2, 4])),
        shapes=[((6, 2),)],
    ),
    OpCase(
        name="array_split",
        mx=lambda a: np.array_split(a, 3, axis=0),
        ref=lambda a: onp.array_split(a, 3, axis=0),
        shapes=[((7, 2),), ((2,),), ((0,),)],
        grad_shapes=[],
        errors=[(lambda: np.array_split(z(4), 0), MXNetError, r"array_split.*larger than 0")],
    ),
    OpCase(
        name="array_split-grad",
        mx=first(lambda a: np.array_split(a, 2, axis=1)),
        ref=first(lambda a: onp.array_split(a, 2, axis=1)),
        shapes=[((2, 5),)],
    ),
    OpCase(
        name="tile",
        mx=lambda a: np.tile(a, (2, 3)),
        ref=lambda a: onp.tile(a, (2, 3)),
        shapes=[((2, 3),), ((3,),), ((),), ((2, 1, 2),), ((0, 2),)],
        dtypes=KEEP,
        errors=[(lambda: np.tile(z(2), (-1,)), MXNetError, r"tile.*negative")],
    ),
    OpCase(name="tile-int", mx=lambda a: np.tile(a, 2), ref=lambda a: onp.tile(a, 2), shapes=[((2, 3),), ((),)]),
    OpCase(name="tile-zero", mx=lambda a: np.tile(a, (0, 2)), ref=lambda a: onp.tile(a, (0, 2)), shapes=[((2, 3),)]),
    OpCase(
        name="repeat-flat",
        mx=lambda a: np.repeat(a, 3),
        ref=lambda a: onp.repeat(a, 3),
        shapes=[((2, 3),), ((),), ((0, 2),)],
        dtypes=KEEP,
        errors=[
            (lambda: np.repeat(z(2), -1), MXNetError, r"repeat.*negative"),
            (lambda: np.repeat(z(2), [1, 2]), MXNetError, r"repeat.*int"),
        ],
    ),
    OpCase(
        name="repeat-axis",
        mx=lambda a: np.repeat(a, 2, axis=-2),
        ref=lambda a: onp.repeat(a, 2, axis=-2),
        shapes=[((2, 3),), ((3, 1, 2),)],
        errors=[(lambda: np.repeat(z(2, 3), 2, axis=2), MXNetError, r"repeat.*axis 2")],
    ),
    OpCase(
        name="repeat-method", mx=lambda a: a.repeat(2, axis=0), ref=lambda a: a.repeat(2, axis=0), shapes=[((2, 3),)]
    ),
    OpCase(
        name="repeat-zero",
        mx=lambda a: np.repeat(a, 0, axis=1),
        ref=lambda a: onp.repeat(a, 0, axis=1),
        shapes=[((2, 3),)],
        grad_shapes=[],
    ),
    OpCase(name="flip-all", mx=np.flip, ref=onp.flip, shapes=[((2, 3),), ((),), ((0, 2),), ((4,),)], dtypes=KEEP),
    OpCase(
        name="flip-axis",
        mx=lambda a: np.flip(a, -1),
        ref=lambda a: onp.flip(a, -1),
        shapes=[((2, 3),), ((2, 1, 3),)],
        errors=[(lambda: np.flip(z(2, 3), 2), MXNetError, r"flip.*axis 2")],
    ),
    OpCase(
        name="flip-tuple", mx=lambda a: np.flip(a, (0, 2)), ref=lambda a: onp.flip(a, (0, 2)), shapes=[((2, 3, 4),)]
    ),
    OpCase(name="flipud", mx=np.flipud, ref=onp.flipud, shapes=[((3, 2),)]),
    OpCase(name="fliplr", mx=np.fliplr, ref=onp.fliplr, shapes=[((3, 2),)]),
    OpCase(
        name="roll-flat",
        mx=lambda a: np.roll(a, 2),
        ref=lambda a: onp.roll(a, 2),
        shapes=[((2, 3),), ((),), ((0,),), ((5,),)],
        dtypes=KEEP,
    ),
    OpCase(
        name="roll-axis",
        mx=lambda a: np.roll(a, -4, axis=1),
        ref=lambda a: onp.roll(a, -4, axis=1),
        shapes=[((2, 3),), ((1, 5, 2),)],
        errors=[
            (lambda: np.roll(z(2, 3), 1, axis=2), MXNetError, r"roll.*axis 2"),
            (lambda: np.roll(z(2, 3), (1, 2, 3), axis=(0, 1)), MXNetError, r"roll.*same number"),
        ],
    ),
    OpCase(
        name="roll-tuple",
        mx=lambda a: np.roll(a, (1, 2), axis=(0, -1)),
        ref=lambda a: onp.roll(a, (1, 2), axis=(0, -1)),
        shapes=[((3, 4),), ((2, 0),)],
    ),
    OpCase(
        name="roll-broadcast-shift",
        mx=lambda a: np.roll(a, 1, axis=(0, 1)),
        ref=lambda a: onp.roll(a, 1, axis=(0, 1)),
        shapes=[((3, 4),)],
    ),
    OpCase(
        name="roll-broadcast-axis",
        mx=lambda a: np.roll(a, (1, 3), axis=-1),
        ref=lambda a: onp.roll(a, (1, 3), axis=-1),
        shapes=[((3, 5),)],
    ),
    OpCase(
        name="roll-flat-tuple",
        mx=lambda a: np.roll(a, (1, 3)),
        ref=lambda a: onp.roll(a, (1, 3)),
        shapes=[((3, 5),), ((),)],
    ),
    OpCase(
        name="roll-zero-shift",
        mx=lambda a: np.roll(a, 3, axis=0),
        ref=lambda a: onp.roll(a, 3, axis=0),
        shapes=[((3, 2),)],
    ),
    OpCase(
        name="pad-int",
        mx=lambda a: np.pad(a, 1),
        ref=lambda a: onp.pad(a, 1),
        shapes=[((2, 3),), ((),), ((0, 2),)],
        dtypes=KEEP,
        errors=[
            (lambda: np.pad(z(2, 3), -1), MXNetError, r"pad.*negative"),
            (lambda: np.pad(z(2, 3), 1, mode="linear_ramp"), MXNetError, r"pad.*'linear_ramp'"),
            (lambda: np.pad(z(0, 3), 1, mode="edge"), ValueError, r"pad.*empty axis 0"),
            (lambda: np.pad(z(2, 3), ((1, 2, 3),)), MXNetError, r"pad.*\(2, 2\)"),
        ],
    ),
    OpCase(
        name="pad-pairs-value",
        mx=lambda a: np.pad(a, ((1, 2), (0, 3)), constant_values=5),
        ref=lambda a: onp.pad(a, ((1, 2), (0, 3)), constant_values=5),
        shapes=[((2, 3),), ((0, 1),)],
        dtypes=KEEP[:4],
    ),
    OpCase(
        name="pad-one-pair",
        mx=lambda a: np.pad(a, (2, 1), mode="constant"),
        ref=lambda a: onp.pad(a, (2, 1), mode="constant"),
        shapes=[((2, 3, 1),)],
    ),
]

# NumPy's other pad modes (differentiable: the padding gathers from the array).
for mode in ["edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean"]:
    CASES.append(
        OpCase(
            name=f"pad-{mode}",
            mx=lambda a, mode=mode: np.pad(a, ((1, 2), (3, 0)), mode=mode),
            ref=lambda a, mode=mode: onp.pad(a, ((1, 2), (3, 0)), mode=mode),
            shapes=[((2, 3),), ((1, 2),), ((3, 1),)],
            dtypes=KEEP[:2] if mode == "mean" else KEEP[:4],
            # max/min pick one element per lane: their derivative jumps where two are equal, never hit here.
        )
    )
CASES += [
    OpCase(
        name="pad-reflect-wide",
        mx=lambda a: np.pad(a, ((5, 4), (0, 7)), mode="reflect"),
        ref=lambda a: onp.pad(a, ((5, 4), (0, 7)), mode="reflect"),
        shapes=[((2, 3),), ((3, 1),)],
    ),
    OpCase(
        name="pad-symmetric-wide-3d",
        mx=lambda a: np.pad(a, 3, mode="symmetric"),
        ref=lambda a: onp.pad(a, 3, mode="symmetric"),
        shapes=[((2, 1, 2),)],
    ),
    OpCase(
        name="nd.pad-modes",
        mx=lambda a: np.concatenate(
            [
                nd.pad(a.as_nd_ndarray(), mode=m, pad_width=(0, 0, 0, 0, 1, 1, 2, 1)).as_np_ndarray().reshape(-1)
                for m in ("constant", "edge", "reflect")
            ]
        ),
        ref=lambda a: onp.concatenate(
            [onp.pad(a, ((0, 0), (0, 0), (1, 1), (2, 1)), mode=m).reshape(-1) for m in ("constant", "edge", "reflect")]
        ),
        shapes=[((2, 1, 3, 3),), ((1, 2, 2, 3),)],
        errors=[
            (lambda: nd.pad(nd.ones((2, 3)), mode="constant", pad_width=(0, 0, 1, 1)), MXNetError, r"pad.*4-D or 5-D"),
            (
                lambda: nd.pad(nd.ones((1, 1, 2, 3)), mode="reflect", pad_width=(0, 0, 0, 0, 2, 2, 0, 0)),
                MXNetError,
                r"pad: mode='reflect' needs pad widths smaller",
            ),
            (
                lambda: nd.pad(nd.ones((1, 1, 2, 3)), mode="constant", pad_width=(1, 0, 0, 0, 1, 1, 1, 1)),
                MXNetError,
                r"pad: the first two axes",
            ),
            (lambda: nd.pad(nd.ones((1, 1, 2, 3)), mode="wrap", pad_width=(0,) * 8), MXNetError, r"pad: invalid mode"),
        ],
    ),
]

# npx.reshape's codes (MXNet's numpy-extension semantics); always a copy.
NPX_RESHAPES = [
    ((2, 3, 4), (-2, -1), False),
    ((2, 3, 4), (-4,), False),
    ((2, 3, 4), (2, -5), False),
    ((2, 3, 4), (-5, 4), False),
    ((2, 3, 4), (-6, 1, 2, -2, -2), False),
    ((2, 3, 4), (-6, 2, -1, -4), False),
    ((2, 3, 4), (6, -1), True),
    ((8, 1, 1, 1, 3), (-2, -3, -3, -3, -2), False),
    ((8, 3, 2, 4, 8), (-4, -1, 2, -6), True),
]
EXPECTED = [(2, 12), (2, 3, 4), (2, 12), (6, 4), (1, 2, 3, 4), (2, 1, 3, 4), (6, 4), (8, 3), (8, 3, 2, 4, 4, 2)]
CASES += [
    OpCase(
        name=f"npx.reshape-{i}",
        mx=lambda a, spec=spec, rev=rev: npx.reshape(a, spec, reverse=rev),
        ref=lambda a, want=want: a.reshape(want),
        shapes=[(shape,)],
        errors=[
            (lambda: npx.reshape(np.ones((2, 3, 4)), (-3, 4)), MXNetError, r"npx.reshape: code -3 skips only"),
            (lambda: npx.reshape(np.ones((2, 3)), (-6, 4, -1, -2)), MXNetError, r"npx.reshape: code -6 cannot split"),
            (lambda: npx.reshape(np.ones((2, 3)), (4, -1)), MXNetError, r"npx.reshape.*does not divide"),
        ]
        if i == 0
        else [],
    )
    for i, ((shape, spec, rev), want) in enumerate(zip(NPX_RESHAPES, EXPECTED))
]
