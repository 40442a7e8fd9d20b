"""Elementwise unary math (mxnet.np), float results for float inputs."""

import numpy as onp

from mxnet import np
from optable import OpCase

SHAPES = [((2, 3),), ((),), ((0,),), ((5,),), ((2, 1, 3),)]
# Where each op is defined and smooth enough for finite differences.
DOMAIN = {
    "log": (0.2, 2),
    "log1p": (0.2, 2),
    "log2": (0.2, 2),
    "log10": (0.2, 2),
    "sqrt": (0.2, 2),
    "cbrt": (0.2, 2),
    "reciprocal": (0.2, 2),
    "arcsin": (-0.9, 0.9),
    "arccos": (-0.9, 0.9),
    "arctanh": (-0.9, 0.9),
    "arccosh": (1.2, 3),
    "tan": (-1.2, 1.2),
}
FLOAT_OUT = [
    "exp",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "sqrt",
    "cbrt",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "degrees",
    "radians",
]
# reciprocal of integers is NumPy's (and MXNet's) integer 1 / x.
SAME_OUT = ["abs", "negative", "positive", "square", "floor", "ceil", "rint", "trunc", "reciprocal"]

CASES = []
for name in FLOAT_OUT + SAME_OUT:
    f = getattr(np, name)
    low, high = DOMAIN.get(name, (-2, 2))
    int_result = "int32" if name in SAME_OUT else "float32"
    CASES.append(
        OpCase(
            name=name,
            mx=f,
            ref=getattr(onp, name),
            shapes=SHAPES,
            low=low,
            high=high,
            rtol=1e-12,
            dtypes=[(("float32",), "float32"), (("float64",), "float64"), (("int32",), int_result)],
            errors=[(lambda f=f: f("abc"), TypeError, "not supported")],
        )
    )
for name in ["isnan", "isinf", "isfinite"]:
    CASES.append(
        OpCase(
            name=name,
            mx=getattr(np, name),
            ref=getattr(onp, name),
            shapes=SHAPES,
            grad_shapes=[],
            input_maker=lambda rng, shapes: [
                onp.array([1.0, onp.nan, onp.inf, -onp.inf, 0.0])[: shapes[0][0]]
                if shapes[0] and shapes[0][0] <= 5 and len(shapes[0]) == 1
                else rng.standard_normal(shapes[0])
            ],
            dtypes=[(("float32",), "bool"), (("int32",), "bool")],
        )
    )


# Rows of the legacy face (MXNet has them in mx.nd only) and the newer NumPy names.
def _legacy(name):
    from mxnet import nd

    def f(x):
        return getattr(nd, name)(x.as_nd_ndarray()).as_np_ndarray()

    f.__name__ = name
    return f


for name, ref, low, high in [
    ("rsqrt", lambda x: 1 / onp.sqrt(x), 0.2, 2),
    ("rcbrt", lambda x: 1 / onp.cbrt(x), 0.2, 2),
    ("softsign", lambda x: x / (1 + onp.abs(x)), -2, 2),
]:
    CASES.append(
        OpCase(
            name=name,
            mx=_legacy(name),
            ref=ref,
            shapes=SHAPES,
            low=low,
            high=high,
            rtol=1e-12,
            dtypes=[(("float32",), "float32"), (("float64",), "float64"), (("int32",), "float32")],
        )
    )
CASES.append(
    OpCase(
        name="fix",
        mx=np.fix,
        ref=onp.fix,
        shapes=SHAPES,
        low=-3,
        high=3,
        dtypes=[(("float32",), "float32"), (("float64",), "float64"), (("int32",), "int32")],
    )
)
CASES.append(
    OpCase(
        name="round-legacy",
        mx=_legacy("round"),
        # halves away from zero, as C's round (NumPy's rounds them to even)
        ref=lambda x: onp.where(x >= 0, onp.floor(x + 0.5), onp.ceil(x - 0.5)),
        shapes=SHAPES,
        input_maker=lambda rng, shapes: [
            onp.round(rng.uniform(-3, 3, size=shapes[0]) * 2) / 2 + 0.1 * (rng.uniform(size=shapes[0]) > 0.5)
        ],
        grad_shapes=[],
        dtypes=[(("float32",), "float32"), (("float64",), "float64"), (("int32",), "int32")],
    )
)
for name in ["isposinf", "isneginf", "signbit"]:
    CASES.append(
        OpCase(
            name=name,
            mx=getattr(np, name),
            ref=getattr(onp, name),
            shapes=SHAPES,
            grad_shapes=[],
            input_maker=lambda rng, shapes: [
                onp.array([1.0, -0.0, onp.inf, -onp.inf, -2.0])[: shapes[0][0]]
                if shapes[0] and shapes[0][0] <= 5 and len(shapes[0]) == 1
                else rng.standard_normal(shapes[0])
            ],
            dtypes=[(("float32",), "bool"), (("int32",), "bool")],
        )
    )
