"""Elementwise binary math, logical ops, where, clip, special functions and
activations (mxnet.np / npx): values vs NumPy/SciPy with broadcasting, scalars
on either side, MXNet's result dtypes, gradients and shape errors."""

import numpy as onp
import scipy.special as sps

from mxnet import np, npx
from mxnet.base import MXNetError
from optable import OpCase

BIN_SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1, 3), (4, 1)), ((), (3,)), ((0, 3), (3,)), ((5,), ())]
UNARY_SHAPES = [((2, 3),), ((),), ((0,),), ((5,),), ((2, 1, 3),)]


def away_from_zero(rng, shapes):
    """a anywhere in [-3, 3); b with |b| in [0.5, 2) and either sign."""
    a = rng.uniform(-3, 3, size=shapes[0])
    b = rng.uniform(0.5, 2, size=shapes[1]) * rng.choice([-1.0, 1.0], size=shapes[1])
    return [a, b]


def with_zeros(rng, shapes):
    return [rng.integers(-1, 2, size=s).astype(onp.float64) for s in shapes]


def broadcast_error(fn, name):
    return (lambda: fn(np.ones((2, 3)), np.ones((2,))), MXNetError, name + r": .*\(2, 3\) \(2,\)")


CASES = [
    OpCase(
        name="mod",
        mx=np.mod,
        ref=onp.mod,
        shapes=BIN_SHAPES,
        input_maker=away_from_zero,
        rtol=1e-12,
        dtypes=[
            (("int32", "int32"), "int32"),
            (("float32", "float32"), "float32"),
            (("int32", "float32"), "float32"),
            (("float32", "float64"), "float64"),
        ],
        errors=[broadcast_error(np.mod, "mod")],
    ),
    OpCase(
        name="remainder-operator",
        mx=lambda a, b: a % b,
        ref=onp.remainder,
        shapes=BIN_SHAPES[:3],
        input_maker=away_from_zero,
        rtol=1e-12,
        dtypes=[(("int64", "int64"), "int64")],
    ),
    OpCase(
        name="mod-scalar-right",
        mx=lambda a: np.mod(a, 1.5),
        ref=lambda a: onp.mod(a, 1.5),
        shapes=UNARY_SHAPES,
        low=-3,
        high=3,
        rtol=1e-12,
        dtypes=[(("float32",), "float32"), (("int32",), "int32")],
    ),
    OpCase(
        name="mod-scalar-left",
        mx=lambda a: 2.5 % a,
        ref=lambda a: onp.mod(2.5, a),
        shapes=UNARY_SHAPES,
        low=0.4,
        high=2,
        rtol=1e-12,
        dtypes=[(("float32",), "float32")],
    ),
    OpCase(
        name="floor_divide",
        mx=np.floor_divide,
        ref=onp.floor_divide,
        shapes=BIN_SHAPES,
        input_maker=away_from_zero,
        rtol=1e-12,
        dtypes=[(("int32", "int32"), "int32"), (("float32", "int32"), "float32"), (("int64", "int64"), "int64")],
        errors=[broadcast_error(np.floor_divide, "floor_divide")],
    ),
    OpCase(
        name="floordiv-operator",
        mx=lambda a, b: a // b,
        ref=lambda a, b: a // b,
        shapes=BIN_SHAPES[:3],
        input_maker=away_from_zero,
        rtol=1e-12,
    ),
    OpCase(
        name="floordiv-scalar-left",
        mx=lambda a: 7 // a,
        ref=lambda a: 7 // a,
        shapes=UNARY_SHAPES,
        low=0.4,
        high=2,
        rtol=1e-12,
    ),
    OpCase(
        name="hypot",
        mx=np.hypot,
        ref=onp.hypot,
        shapes=BIN_SHAPES,
        low=-2,
        high=2,
        rtol=1e-12,
        dtypes=[
            (("float32", "float32"), "float32"),
            (("int32", "int32"), "float32"),
            (("float64", "float32"), "float64"),
        ],
        errors=[broadcast_error(np.hypot, "hypot")],
    ),
    OpCase(
        name="hypot-scalar", mx=lambda a: np.hypot(a, 2), ref=lambda a: onp.hypot(a, 2), shapes=UNARY_SHAPES, rtol=1e-12
    ),
    OpCase(
        name="arctan2",
        mx=np.arctan2,
        ref=onp.arctan2,
        shapes=BIN_SHAPES,
        input_maker=away_from_zero,
        rtol=1e-12,
        dtypes=[(("float32", "float32"), "float32"), (("int32", "int32"), "float32")],
        errors=[broadcast_error(np.arctan2, "arctan2")],
    ),
    OpCase(
        name="copysign",
        mx=np.copysign,
        ref=onp.copysign,
        shapes=BIN_SHAPES,
        input_maker=away_from_zero,
        rtol=1e-12,
        dtypes=[(("float32", "float32"), "float32")],
    ),
    OpCase(
        name="lcm",
        mx=np.lcm,
        ref=onp.lcm,
        shapes=BIN_SHAPES[:4],
        int_inputs=(0, 1),
        int_range=(-9, 10),
        grad_shapes=[],
        dtypes=[(("int32", "int32"), "int32")],
        errors=[(lambda: np.lcm(np.ones((2,)), np.ones((2,))), MXNetError, "lcm: not supported")],
    ),
    OpCase(
        name="gcd",
        mx=np.gcd,
        ref=onp.gcd,
        shapes=BIN_SHAPES[:4],
        int_inputs=(0, 1),
        int_range=(-9, 10),
        grad_shapes=[],
        dtypes=[(("int64", "int64"), "int64")],
    ),
    OpCase(
        name="bitwise_and-operator",
        mx=lambda a, b: a & b,
        ref=lambda a, b: a & b,
        shapes=BIN_SHAPES,
        int_inputs=(0, 1),
        int_range=(-20, 20),
        grad_shapes=[],
        dtypes=[(("int32", "int32"), "int32"), (("bool", "bool"), "bool")],
        errors=[(lambda: np.ones((2,)) & np.ones((2,)), MXNetError, "bitwise_and: not supported")],
    ),
    OpCase(
        name="bitwise_or-operator",
        mx=lambda a, b: a | b,
        ref=lambda a, b: a | b,
        shapes=BIN_SHAPES,
        int_inputs=(0, 1),
        int_range=(-20, 20),
        grad_shapes=[],
        dtypes=[(("bool", "bool"), "bool")],
    ),
    OpCase(
        name="bitwise_xor",
        mx=np.bitwise_xor,
        ref=onp.bitwise_xor,
        shapes=BIN_SHAPES,
        int_inputs=(0, 1),
        int_range=(-20, 20),
        grad_shapes=[],
        dtypes=[(("int64", "int64"), "int64")],
    ),
    OpCase(
        name="invert-operator",
        mx=lambda a: ~a,
        ref=lambda a: ~a,
        shapes=UNARY_SHAPES,
        int_inputs=(0,),
        int_range=(-20, 20),
        grad_shapes=[],
        dtypes=[(("int32",), "int32"), (("bool",), "bool")],
        errors=[(lambda: ~np.ones((2,)), MXNetError, "invert: not supported")],
    ),
]
for name in ["logical_and", "logical_or", "logical_xor"]:
    fn = getattr(np, name)
    CASES.append(
        OpCase(
            name=name,
            mx=fn,
            ref=getattr(onp, name),
            shapes=BIN_SHAPES,
            input_maker=with_zeros,
            grad_shapes=[],
            dtypes=[(("float32", "float32"), "bool"), (("int32", "float32"), "bool"), (("bool", "bool"), "bool")],
            errors=[broadcast_error(fn, name)],
        )
    )
    CASES.append(
        OpCase(
            name=name + "-scalar",
            mx=lambda a, fn=fn: fn(a, 0),
            ref=lambda a, name=name: getattr(onp, name)(a, 0),
            shapes=UNARY_SHAPES,
            input_maker=with_zeros,
            grad_shapes=[],
        )
    )
CASES.append(
    OpCase(
        name="logical_not",
        mx=np.logical_not,
        ref=onp.logical_not,
        shapes=UNARY_SHAPES,
        input_maker=with_zeros,
        grad_shapes=[],
        dtypes=[(("float32",), "bool"), (("int32",), "bool")],
    )
)


def where_inputs(rng, shapes):
    return [rng.random(shapes[0]) > 0.5, rng.uniform(-1, 1, shapes[1]), rng.uniform(-1, 1, shapes[2])]


CASES += [
    OpCase(
        name="where",
        mx=np.where,
        ref=onp.where,
        shapes=[
            ((2, 3), (2, 3), (2, 3)),
            ((2, 3), (3,), (2, 1)),
            ((3,), (2, 3), ()),
            ((), (2,), (2,)),
            ((0, 3), (3,), (0, 1)),
        ],
        input_maker=where_inputs,
        rtol=1e-12,
        dtypes=[
            (("bool", "float32", "float32"), "float32"),
            (("bool", "int32", "int32"), "int32"),
            (("float32", "float32", "float64"), "float64"),
            (("bool", "bool", "bool"), "bool"),
        ],
        errors=[
            (lambda: np.where(np.ones((2,)) > 0, np.ones((3,)), np.ones((3,))), MXNetError, r"where: .*\(2,\) \(3,\)")
        ],
    ),
    OpCase(
        name="where-scalar-y",
        mx=lambda c, x: np.where(c, x, 2.5),
        ref=lambda c, x: onp.where(c, x, 2.5),
        shapes=[((2, 3), (2, 3)), ((3,), (2, 3))],
        input_maker=lambda rng, s: [rng.random(s[0]) > 0.5, rng.uniform(-1, 1, s[1])],
        rtol=1e-12,
        dtypes=[(("bool", "float32"), "float32")],
    ),
    OpCase(
        name="where-scalar-x",
        mx=lambda c, y: np.where(c, -1, y),
        ref=lambda c, y: onp.where(c, -1, y),
        shapes=[((2, 3), (2, 3))],
        input_maker=lambda rng, s: [rng.random(s[0]) > 0.5, rng.uniform(-1, 1, s[1])],
        rtol=1e-12,
    ),
    OpCase(
        name="clip",
        mx=lambda a: np.clip(a, -0.5, 0.5),
        ref=lambda a: onp.clip(a, -0.5, 0.5),
        shapes=UNARY_SHAPES,
        rtol=1e-12,
        # A bool array takes the bounds' dtype: float32 beside these float bounds.
        dtypes=[(("float32",), "float32"), (("int32",), "int32"), (("float64",), "float64"), (("bool",), "float32")],
        errors=[(lambda: np.clip(np.ones((2,)), None, None), ValueError, "either max or min")],
    ),
    OpCase(
        name="clip-upper-only",
        mx=lambda a: np.clip(a, None, 0.3),
        ref=lambda a: onp.clip(a, None, 0.3),
        shapes=UNARY_SHAPES,
        rtol=1e-12,
    ),
    OpCase(
        name="clip-lower-only",
        mx=lambda a: np.clip(a, -0.2, None),
        ref=lambda a: onp.clip(a, -0.2, None),
        shapes=UNARY_SHAPES,
        rtol=1e-12,
    ),
]

SPECIAL = {
    # name: (mx function, reference, low, high)
    "erf": (npx.erf, sps.erf, -2, 2),
    "erfinv": (npx.erfinv, sps.erfinv, -0.95, 0.95),
    "gamma": (npx.gamma, sps.gamma, 0.3, 4),
    "gamma-negative": (npx.gamma, sps.gamma, -0.9, -0.1),
    "gammaln": (npx.gammaln, sps.gammaln, 0.3, 6),
    "gammaln-negative": (npx.gammaln, sps.gammaln, -1.9, -1.1),
    "sigmoid": (npx.sigmoid, sps.expit, -5, 5),
    "relu": (npx.relu, lambda a: onp.maximum(a, 0), -2, 2),
}
for name, (fn, ref, low, high) in SPECIAL.items():
    CASES.append(
        OpCase(
            name=name,
            mx=fn,
            ref=ref,
            shapes=UNARY_SHAPES,
            low=low,
            high=high,
            rtol=1e-12,
            atol=1e-13,
            grad_rtol=1e-5,
            grad_atol=1e-6,
            dtypes=[
                (("float32",), "float32"),
                (("float64",), "float64"),
                (("int32",), "int32" if name == "relu" else "float32"),
            ]
            + ([(("bool",), "bool")] if name == "relu" else []),
            errors=[(lambda fn=fn: fn("abc"), TypeError, "not supported")],
        )
    )
