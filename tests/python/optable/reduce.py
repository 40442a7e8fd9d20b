"""Reductions (mxnet.np): sum, mean, prod, max/min, argmax/argmin, all/any,
std/var, cumsum and linalg.norm over several axis/keepdims combinations,
0-d and empty inputs, views, MXNet's result dtypes, gradients and errors."""

import warnings

import numpy as onp

from mxnet import np
from mxnet.base import MXNetError
from optable import OpCase

# axis -> input shapes it is valid for (3-D shapes for multi-axis reductions).
AXES = {
    None: [((2, 3),), ((),), ((5,),), ((2, 1, 3),)],
    0: [((2, 3),), ((4,),), ((3, 1, 2),)],
    -1: [((2, 3),), ((4,),), ((3, 1, 2),)],
    (0, 2): [((2, 3, 4),), ((3, 1, 2),)],
    (-1, 0): [((2, 3, 4),), ((1, 2, 3),)],
    (): [((2, 3),)],
    (0, 1, 2): [((2, 3, 4),)],
}
# Empty inputs, for the ops that NumPy defines on them.
EMPTY = {None: [((0,),), ((2, 0),)], 0: [((0, 3),)], -1: [((3, 0),)], (0, 2): [((0, 2, 3),)]}
# Empty inputs whose reduced axes are all non-empty (valid even for max/min).
EMPTY_KEPT = {0: [((3, 0),)], -1: [((0, 3),)], (0, 2): [((2, 0, 3),)]}


def axis_id(axis):
    if axis is None:
        return "all"
    if isinstance(axis, tuple):
        return "ax(" + ",".join(str(a) for a in axis) + ")"
    return f"ax{axis}"


def reduction_cases(name, mx_fn, ref_fn, dtypes, empty=True, differentiable=True, grad_rtol=1e-5, **kw):
    cases = []
    for axis, shapes in AXES.items():
        for keepdims in (False, True):
            extra = EMPTY.get(axis, []) if empty else EMPTY_KEPT.get(axis, [])
            cases.append(
                OpCase(
                    name=f"{name}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, axis=axis, k=keepdims: mx_fn(x, axis=axis, keepdims=k),
                    ref=lambda x, axis=axis, k=keepdims: ref_fn(x, axis=axis, keepdims=k),
                    shapes=shapes + extra,
                    grad_shapes=None if differentiable else [],
                    dtypes=dtypes if axis is None and not keepdims else (),
                    grad_rtol=grad_rtol,
                    **kw,
                )
            )
    return cases


def bad_axis(fn, pattern):
    return (lambda: fn(np.ones((2, 3)), axis=2), MXNetError, pattern)


CASES = []
CASES += reduction_cases(
    "sum",
    np.sum,
    onp.sum,
    [(("int32",), "int32"), (("bool",), "int64"), (("float64",), "float64")],
    errors=[
        bad_axis(np.sum, r"sum.*out of bounds.*\(2, 3\)"),
        (lambda: np.sum(np.ones((2, 3)), axis=(0, -2)), MXNetError, r"sum.*repeated axis"),
    ],
)
CASES += reduction_cases(
    "prod",
    np.prod,
    onp.prod,
    [(("int32",), "int32"), (("bool",), "int64"), (("float64",), "float64"), (("float32",), "float32")],
    low=0.5,
    high=1.5,
    errors=[bad_axis(np.prod, r"prod.*\(2, 3\)")],
)
for name, ref in [("max", onp.max), ("min", onp.min), ("amax", onp.amax), ("amin", onp.amin)]:
    op_name = name[-3:]
    mx_f = getattr(np, name)
    CASES += reduction_cases(
        name,
        getattr(np, name),
        ref,
        [(("int32",), "int32"), (("bool",), "bool"), (("float64",), "float64")],
        empty=False,
        errors=[
            bad_axis(getattr(np, name), op_name + r".*out of bounds.*\(2, 3\)"),
            (lambda f=mx_f: f(np.ones((0, 3))), MXNetError, op_name + r".*zero-size array"),
            (lambda f=mx_f: f(np.ones((0, 3)), axis=0), MXNetError, op_name + r".*zero-size"),
        ],
    )
for name in ["all", "any"]:
    CASES += reduction_cases(
        name,
        getattr(np, name),
        getattr(onp, name),
        [(("float32",), "bool"), (("int32",), "bool"), (("bool",), "bool")],
        differentiable=False,
        # Exact zeros in a quarter of the entries so that both outcomes occur.
        input_maker=lambda rng, shapes: [
            onp.where(rng.uniform(size=shapes[0]) < 0.25, 0.0, rng.uniform(0.5, 1, size=shapes[0]))
        ],
        errors=[bad_axis(getattr(np, name), name + r".*\(2, 3\)")],
    )


def quiet_std_var(f, x, **kw):
    """NumPy's std/var; on an empty array they give NaN with RuntimeWarnings (mxlite gives NaN silently)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(x, **kw)


for name in ["std", "var"]:
    mx_f, np_f = getattr(np, name), getattr(onp, name)
    for ddof in (0, 1):
        for axis, shapes in [
            (None, [((2, 3),), ((5,),), ((2, 1, 3),)]),
            (1, [((2, 3),), ((3, 4, 2),)]),
            ((0, 2), [((2, 3, 4),)]),
            (-1, [((4, 5),)]),
        ]:
            for keepdims in (False, True):
                extra = [((0,),)] if axis is None and ddof == 0 and not keepdims else []
                CASES.append(
                    OpCase(
                        name=f"{name}-ddof{ddof}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                        mx=lambda x, f=mx_f, a=axis, d=ddof, k=keepdims: f(x, axis=a, ddof=d, keepdims=k),
                        ref=lambda x, f=np_f, a=axis, d=ddof, k=keepdims: quiet_std_var(
                            f, x, axis=a, ddof=d, keepdims=k
                        ),
                        shapes=shapes + extra,
                        grad_rtol=1e-4,
                        dtypes=[(("float32",), "float32"), (("float64",), "float64"), (("int32",), "float32")]
                        if axis is None and ddof == 0 and not keepdims
                        else (),
                        errors=[bad_axis(getattr(np, name), name + r".*\(2, 3\)")]
                        if ddof == 0 and axis is None and not keepdims
                        else (),
                    )
                )
    # 0-d input: a single value has no spread.
    CASES.append(OpCase(name=f"{name}-0d", mx=getattr(np, name), ref=np_f, shapes=[((),)], grad_shapes=[]))

for name, op_name in [("argmax", "argmax"), ("argmin", "argmin")]:
    mx_f, np_f = getattr(np, name), getattr(onp, name)
    for axis, shapes in [
        (None, [((2, 3),), ((),), ((7,),), ((2, 1, 3),)]),
        (0, [((2, 3),), ((3, 0),)]),
        (1, [((2, 3),), ((4, 5, 2),)]),
        (-1, [((2, 3),), ((3, 2, 4),)]),
    ]:
        for keepdims in (False, True):
            CASES.append(
                OpCase(
                    name=f"{name}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, f=mx_f, a=axis, k=keepdims: f(x, axis=a, keepdims=k),
                    ref=lambda x, f=np_f, a=axis, k=keepdims: f(x, axis=a, keepdims=k),
                    shapes=shapes,
                    grad_shapes=[],
                    dtypes=[(("float32",), "int64"), (("int32",), "int64"), (("float64",), "int64")]
                    if axis is None and not keepdims
                    else (),
                    errors=[
                        bad_axis(getattr(np, name), op_name + r".*\(2, 3\)"),
                        (lambda f=mx_f: f(np.ones((0, 3))), MXNetError, op_name + r".*empty"),
                        (
                            lambda f=mx_f: f(np.ones((2, 3)), axis=(0, 1)),
                            MXNetError,
                            op_name + r".*axis must be an int",
                        ),
                    ]
                    if axis is None and not keepdims
                    else (),
                )
            )
    # Ties and NaN: the first position wins, as in NumPy.
    CASES.append(
        OpCase(
            name=f"{name}-ties-nan",
            mx=lambda x, f=mx_f: f(x, axis=1),
            ref=lambda x, f=np_f: f(x, axis=1),
            shapes=[((3, 4),)],
            grad_shapes=[],
            views=False,
            input_maker=lambda rng, shapes: [
                onp.array([[1.0, 3.0, 3.0, -1.0], [2.0, onp.nan, 5.0, onp.nan], [-1.0, -1.0, 0.0, -1.0]])
            ],
        )
    )

for axis, shapes in [
    (None, [((2, 3),), ((),), ((0,),), ((2, 1, 3),)]),
    (0, [((2, 3),), ((0, 2),), ((4,),)]),
    (1, [((2, 3, 2),), ((3, 0),)]),
    (-1, [((2, 3),), ((2, 3, 4),)]),
]:
    CASES.append(
        OpCase(
            name=f"cumsum-{axis_id(axis)}",
            mx=lambda x, a=axis: np.cumsum(x, axis=a),
            ref=lambda x, a=axis: onp.cumsum(x, axis=a),
            shapes=shapes,
            dtypes=[(("int32",), "int32"), (("bool",), "int64"), (("int8",), "int8"), (("float64",), "float64")]
            if axis is None
            else (),
            errors=[
                bad_axis(np.cumsum, r"cumsum.*\(2, 3\)"),
                (lambda: np.cumsum(np.ones((2, 3)), axis=(0,)), MXNetError, r"cumsum.*axis must be an int"),
            ]
            if axis is None
            else (),
        )
    )
CASES.append(
    OpCase(
        name="cumsum-dtype",
        mx=lambda x: np.cumsum(x, axis=1, dtype="float64"),
        ref=lambda x: onp.cumsum(x, axis=1, dtype="float64"),
        shapes=[((2, 3),)],
        dtypes=[(("int32",), "float64")],
    )
)

# linalg.norm: vector orders over one axis (or a 1-D input), matrix orders over two.
NORM_ERRORS = [
    (lambda: np.linalg.norm(np.ones((2, 3, 4)), 2), MXNetError, r"norm.*dimensions.*\(2, 3, 4\)"),
    (lambda: np.linalg.norm(np.ones((2, 3)), "nuc", axis=(1, -1)), MXNetError, r"norm.*duplicate"),
    (lambda: np.linalg.norm(np.ones((2, 3)), "bad"), MXNetError, r"norm.*invalid norm order 'bad'"),
    (lambda: np.linalg.norm(np.ones((0, 3)), -2), MXNetError, r"norm.*ord=-2.*zero-size.*\(0, 3\)"),
    (lambda: np.linalg.norm(np.ones((2, 3, 4)), 1), MXNetError, r"norm.*dimensions.*\(2, 3, 4\)"),
    (lambda: np.linalg.norm(np.ones((3,)), "fro"), MXNetError, r"norm.*vectors"),
    (lambda: np.linalg.norm(np.ones((2, 3)), axis=(0, 0)), MXNetError, r"norm.*duplicate"),
    (lambda: np.linalg.norm(np.ones((2, 3)), axis=2), MXNetError, r"norm.*\(2, 3\)"),
    (lambda: np.linalg.norm(np.ones((2, 3)), 3, axis=(0, 1)), MXNetError, r"norm.*invalid norm order"),
]
for ord_ in [None, 1, 2, onp.inf, -onp.inf, 0, 3, 0.5]:
    for axis, shapes in [(None, [((5,),), ((1,),)]), (1, [((2, 3),), ((2, 4, 3),)]), (-1, [((3, 4),)])]:
        if ord_ is None and axis is None:
            shapes = shapes + [((2, 3),), ((2, 1, 3),), ((),), ((0,),)]
        for keepdims in (False, True):
            CASES.append(
                OpCase(
                    name=f"norm-vec-ord{ord_}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, o=ord_, a=axis, k=keepdims: np.linalg.norm(x, o, a, k),
                    ref=lambda x, o=ord_, a=axis, k=keepdims: onp.linalg.norm(x, o, a, k),
                    shapes=shapes,
                    grad_shapes=[] if ord_ == 0 else None,
                    low=0.2,
                    high=2.0,
                    grad_rtol=1e-4,
                    # Signs mixed so that |x| matters; no value near 0 (|x| is not smooth there).
                    input_maker=lambda rng, shapes: [
                        rng.choice([-1.0, 1.0], size=shapes[0]) * rng.uniform(0.2, 2.0, size=shapes[0])
                    ],
                    dtypes=[(("float64",), "float64"), (("float32",), "float32"), (("int32",), "float32")]
                    if axis is None and not keepdims
                    else (),
                    errors=NORM_ERRORS if ord_ is None and axis is None and not keepdims else (),
                )
            )
for ord_ in [None, "fro", 1, -1, onp.inf, -onp.inf]:
    for axis, shapes in [
        (None, [((3, 4),), ((1, 2),)]),
        ((0, 2), [((2, 3, 4),)]),
        ((2, 0), [((3, 2, 4),)]),
        ((-1, -2), [((2, 3, 4),)]),
    ]:
        for keepdims in (False, True):
            CASES.append(
                OpCase(
                    name=f"norm-mat-ord{ord_}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, o=ord_, a=axis, k=keepdims: np.linalg.norm(x, o, a, k),
                    ref=lambda x, o=ord_, a=axis, k=keepdims: onp.linalg.norm(x, o, a, k),
                    shapes=shapes,
                    grad_rtol=1e-4,
                    input_maker=lambda rng, shapes: [
                        rng.choice([-1.0, 1.0], size=shapes[0]) * rng.uniform(0.2, 2.0, size=shapes[0])
                    ],
                )
            )


# Matrix norms from the singular values: ord 2 (largest), -2 (smallest), 'nuc'
# (sum). Inputs are U diag(s) V^T with well separated singular values, so the
# norms are smooth and their gradients (u_j v_j^T, U V^T) well defined.
def well_conditioned(rng, shape, axis, dtype="float64"):
    nd = len(shape)
    r, c = (0, 1) if axis is None else (axis[0] % nd, axis[1] % nd)
    others = [i for i in range(nd) if i not in (r, c)]
    batch = [shape[i] for i in others]
    m, n = shape[r], shape[c]
    k = min(m, n)
    mats = []
    for _ in range(int(onp.prod(batch, dtype=onp.int64))):
        q1, _ = onp.linalg.qr(rng.standard_normal((m, k)))
        q2, _ = onp.linalg.qr(rng.standard_normal((n, k)))
        sv = 1.0 + onp.arange(k)[::-1] + rng.uniform(0.0, 0.3, size=k)
        mats.append((q1 * sv) @ q2.T)
    x = onp.array(mats, dtype=onp.float64).reshape(batch + [m, n])
    return onp.moveaxis(x, [-2, -1], [r, c]).astype(dtype)


def norm_ref(x, ord_, axis, keepdims):
    """NumPy's norm. The 2-norm of an empty matrix is 0 from NumPy 2.3 (numpy#28343); older NumPy (the
    newest for Python 3.9 and 3.10) raises, so it comes from the Frobenius norm, also 0."""
    if ord_ == 2 and x.size == 0:
        ord_ = "fro"
    return onp.linalg.norm(x, ord_, axis, keepdims)


for ord_ in [2, -2, "nuc"]:
    empty = [((0, 3),)] if ord_ != -2 else []  # NumPy: no smallest singular value of an empty matrix
    for axis, shapes in [
        (None, [((3, 4),), ((4, 3),), ((2, 5),), ((5, 2),), ((3, 3),), ((1, 3),)] + empty),
        ((0, 2), [((2, 3, 4),), ((4, 3, 2),)]),
        ((2, 0), [((3, 2, 4),)]),
        ((-1, -2), [((2, 3, 4),), ((2, 2, 5, 2),)]),
        ((1, -1), [((2, 5, 3),), ((0, 2, 3),)]),
    ]:
        for keepdims in (False, True):
            CASES.append(
                OpCase(
                    name=f"norm-svd-ord{ord_}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, o=ord_, a=axis, k=keepdims: np.linalg.norm(x, o, a, k),
                    ref=lambda x, o=ord_, a=axis, k=keepdims: norm_ref(x, o, a, k),
                    shapes=shapes,
                    grad_rtol=1e-5,
                    rtol=1e-10,
                    atol=1e-12,
                    input_maker=lambda rng, shapes, a=axis: [well_conditioned(rng, shapes[0], a)],
                    # Built from singular vectors, whose derivatives are issue 14's
                    # (the second derivative raises a clear MXNetError; test_reduce.py).
                    second_order=False,
                    dtypes=[(("float64",), "float64"), (("float32",), "float32"), (("int32",), "float32")]
                    if axis is None and not keepdims
                    else (),
                )
            )
    CASES.append(
        OpCase(
            name=f"norm-svd-ord{ord_}-float32",
            mx=lambda x, o=ord_: np.linalg.norm(x, o, (0, 2)),
            ref=lambda x, o=ord_: onp.linalg.norm(x.astype(onp.float64), o, (0, 2)).astype(onp.float32),
            shapes=[((3, 2, 5),), ((5, 3, 5),)],
            grad_shapes=[],
            rtol=1e-5,
            atol=1e-6,
            input_maker=lambda rng, shapes: [well_conditioned(rng, shapes[0], (0, 2), "float32")],
        )
    )


# ---- 0-d inputs with an axis: NumPy and MXNet take axis 0 / -1 (MXNet also the
# 1-tuples, and mean/std/var) as the implicit length-1 axis; nothing is reduced
# and keepdims has no axis to keep. NumPy refuses some of these forms, so the
# reference is the call without an axis.
ZERO_D_AXES = [0, -1, (0,), (-1,)]
for name in ["sum", "prod", "max", "min", "amax", "amin", "all", "any", "mean", "std", "var"]:
    mx_f, np_f = getattr(np, name), getattr(onp, name)
    for axis in ZERO_D_AXES:
        for keepdims in (False, True):
            CASES.append(
                OpCase(
                    name=f"{name}-0d-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, f=mx_f, a=axis, k=keepdims: f(x, axis=a, keepdims=k),
                    ref=lambda x, f=np_f: f(x),
                    shapes=[((),)],
                    views=False,
                    grad_shapes=[] if name in ("all", "any") else None,
                    dtypes=[
                        (
                            ("int32",),
                            {"all": "bool", "any": "bool", "mean": "float32", "std": "float32", "var": "float32"}.get(
                                name, "int32"
                            ),
                        ),
                        (("bool",), {"sum": "int64", "prod": "int64", "mean": "float32"}.get(name, "bool")),
                    ]
                    if name not in ("std", "var") and axis == 0 and not keepdims
                    else (),
                )
            )
    CASES.append(
        OpCase(
            name=f"{name}-0d-bad-axis",
            mx=lambda x, f=mx_f: f(x, axis=None),
            ref=np_f,
            shapes=[((),)],
            grad_shapes=[],
            errors=[
                (lambda f=mx_f: f(np.array(2.0), axis=1), MXNetError, r"axis 1 is out of bounds"),
                (lambda f=mx_f: f(np.array(2.0), axis=(0, -1)), MXNetError, r"repeated axis"),
            ],
        )
    )
for name in ["argmax", "argmin", "cumsum"]:
    mx_f, np_f = getattr(np, name), getattr(onp, name)
    for axis in (0, -1):
        for keepdims in (False, True) if name != "cumsum" else (None,):
            kw = {} if keepdims is None else {"keepdims": keepdims}
            CASES.append(
                OpCase(
                    name=f"{name}-0d-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                    mx=lambda x, f=mx_f, a=axis, kw=kw: f(x, axis=a, **kw),
                    ref=lambda x, f=np_f, a=axis, kw=kw: f(x, axis=a, **kw),
                    shapes=[((),)],
                    views=False,
                    grad_shapes=None if name == "cumsum" else [],
                )
            )

# ---- initial=: NumPy's semantics (MXNet 1.9.1 raises "initial is not supported
# yet"): the value joins the reduction, also an empty one; max/min with an
# initial value take empty reductions.
for name in ["sum", "prod", "max", "min"]:
    mx_f, np_f = getattr(np, name), getattr(onp, name)
    for initial in (5, -1.5, 0.25):
        for axis, shapes in [
            (None, [((2, 3),), ((),), ((0,),), ((2, 0),)]),
            (1, [((2, 3),), ((3, 0),), ((0, 2),)]),
            ((0, 2), [((2, 3, 4),), ((0, 2, 3),)]),
        ]:
            for keepdims in (False, True):
                CASES.append(
                    OpCase(
                        name=f"{name}-initial{initial}-{axis_id(axis)}" + ("-keepdims" if keepdims else ""),
                        mx=lambda x, f=mx_f, a=axis, k=keepdims, i=initial: f(x, axis=a, keepdims=k, initial=i),
                        ref=lambda x, f=np_f, a=axis, k=keepdims, i=initial: f(x, axis=a, keepdims=k, initial=i),
                        shapes=shapes,
                        low=0.5 if name == "prod" else -1.0,
                        high=1.5 if name == "prod" else 1.0,
                        # MXNet's result dtypes; the initial value is converted to them first.
                        dtypes=[(("int32",), "int32"), (("float64",), "float64"), (("uint8",), "uint8")]
                        + ([(("bool",), "int64")] if name in ("sum", "prod") else [(("bool",), "bool")])
                        if axis is None and not keepdims and initial == 5
                        else (),
                    )
                )
    CASES.append(
        OpCase(
            name=f"{name}-initial-integral",
            mx=lambda x, f=mx_f: f(np.array(x, dtype="int32"), axis=1, initial=-1.5),
            ref=lambda x, f=np_f, n=name: (
                f(x.astype("int32"), axis=1, initial=-1, dtype="int32")
                if n in ("sum", "prod")
                else f(x.astype("int32"), axis=1, initial=-1)
            ),
            shapes=[((3, 4),), ((2, 0),)],
            grad_shapes=[],
            int_inputs=(0,),
            int_range=(-3, 4),
            errors=[
                (
                    lambda f=mx_f: f(np.ones((2,), dtype="uint8"), initial=-2),
                    OverflowError,
                    name + r": initial value -2 is out of bounds for uint8",
                ),
                (
                    lambda f=mx_f: f(np.ones((2,), dtype="int32"), initial=2**31),
                    OverflowError,
                    name + r": initial value 2147483648 is out of bounds for int32",
                ),
                (
                    lambda f=mx_f: f(np.ones((2,), dtype="int64"), initial=float("nan")),
                    ValueError,
                    name + r": cannot convert the initial value NaN to integer",
                ),
                (lambda f=mx_f: f(np.ones((2,)), initial="a"), TypeError, name + r": initial must be a number"),
            ],
        )
    )
CASES.append(
    OpCase(
        name="max-initial-nan",
        mx=lambda x: np.max(x, axis=1, initial=onp.nan),
        ref=lambda x: onp.max(x, axis=1, initial=onp.nan),
        shapes=[((2, 3),)],
        grad_shapes=[],
    )
)
CASES.append(
    OpCase(
        name="min-initial-with-nan",
        mx=lambda x: np.min(x, axis=0, initial=-5.0),
        ref=lambda x: onp.min(x, axis=0, initial=-5.0),
        shapes=[((3, 2),)],
        grad_shapes=[],
        views=False,
        input_maker=lambda rng, shapes: [onp.array([[1.0, onp.nan], [2.0, 3.0], [0.5, 1.0]])],
    )
)


# ---- dtype=: the elements are cast to the dtype before they are accumulated,
# as NumPy does (an integral mean: the sum in that dtype, divided, truncated).
def integral_data(rng, shapes):
    return [rng.integers(-50, 120, size=shapes[0])]


def integral_mean_ref(x, axis=None, dtype=None, keepdims=False):
    """NumPy's mean, except that an empty one in an integral dtype is 0 (MXNet;
    NumPy casts its NaN to whatever the platform gives)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = onp.asarray(onp.mean(x, axis=axis, dtype=dtype, keepdims=keepdims))
    if onp.dtype(dtype).kind in "biu":
        counts = onp.sum(onp.ones_like(x, dtype=onp.int64), axis=axis, keepdims=keepdims)
        r = onp.where(counts == 0, 0, r).astype(dtype)
    return r


for name in ["sum", "prod", "mean", "cumsum"]:
    mx_f, np_f = getattr(np, name), integral_mean_ref if name == "mean" else getattr(onp, name)
    for in_dt in ["bool", "uint8", "int32", "int64", "float32", "float64"]:
        for out_dt in ["int32", "int64", "float32", "float64"]:
            for axis in (None, 1):
                kw = {} if name == "cumsum" else {"keepdims": axis == 1}
                CASES.append(
                    OpCase(
                        name=f"{name}-{in_dt}-dtype-{out_dt}-{axis_id(axis)}",
                        mx=lambda x, f=mx_f, a=axis, d=out_dt, i=in_dt, kw=kw: f(
                            np.array(x.asnumpy().astype(i), dtype=i), axis=a, dtype=d, **kw
                        ),
                        ref=lambda x, f=np_f, a=axis, d=out_dt, i=in_dt, kw=kw: f(x.astype(i), axis=a, dtype=d, **kw),
                        shapes=[((3, 4),), ((2, 0),)],
                        grad_shapes=[],
                        views=False,
                        input_maker=(lambda rng, shapes: [rng.uniform(-60, 130, size=shapes[0])])
                        if in_dt.startswith("float")
                        else integral_data,
                        rtol=2e-6 if "float32" in (in_dt, out_dt) else 1e-7,
                    )
                )
