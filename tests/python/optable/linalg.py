"""Matrix and tensor products (mxnet.np, npx.batch_dot) and diagonals
(diagonal, trace, diag, einsum with repeated labels): values against NumPy
(1-D promotion, broadcast batch dims, empty operands, offsets of either sign,
negative axes), dtypes, gradients and errors naming the op and the shapes."""

import numpy as onp

from mxnet import np, npx
from mxnet.base import MXNetError
from optable import OpCase

FLOAT_DTYPES = [
    (("float32", "float32"), "float32"),
    (("float64", "float64"), "float64"),
    (("float32", "float64"), "float64"),
    (("int32", "int32"), "int32"),
    (("int64", "int64"), "int64"),
]
TOL = dict(rtol=1e-10, atol=1e-12)


def _raises(f, *shapes):
    return lambda: f(*[np.ones(s) for s in shapes])


MATMUL_SHAPES = [
    ((2, 3), (3, 4)),
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
    ((5, 2, 3), (5, 3, 4)),
    ((1, 2, 3), (4, 3, 2)),
    ((2, 1, 2, 3), (4, 3, 2)),
    ((3,), (2, 3, 4)),
    ((2, 3, 4), (4,)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
    ((0, 2, 3), (3, 4)),
    ((1, 1), (1, 1)),
]
DOT_SHAPES = [
    ((2, 3), (3, 4)),
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((2, 3, 4), (5, 4, 6)),
    ((2, 3, 4), (4,)),
    ((2, 3), (4, 3, 5)),
    ((0, 3), (3, 2)),
    ((2, 0), (0,)),
]

CASES = [
    OpCase(
        name="matmul",
        mx=np.matmul,
        ref=onp.matmul,
        shapes=MATMUL_SHAPES,
        dtypes=FLOAT_DTYPES,
        **TOL,
        errors=[
            (_raises(np.matmul, (2, 3), (4, 5)), MXNetError, r"matmul.*\(2, 3\).*\(4, 5\).*not aligned"),
            (_raises(np.matmul, (2, 2, 3), (3, 3, 4)), MXNetError, r"matmul.*\(2, 2, 3\).*\(3, 3, 4\).*broadcast"),
            (_raises(np.matmul, (), (3,)), MXNetError, r"matmul.*\(\).*\(3,\)"),
        ],
    ),
    OpCase(
        name="matmul-operator",
        mx=lambda a, b: a @ b,
        ref=lambda a, b: a @ b,
        shapes=[((4, 2, 3), (1, 3, 5)), ((3,), (3,)), ((2, 3), (3,))],
        **TOL,
        errors=[(lambda: np.ones((2, 3)) @ np.ones((2, 3)), MXNetError, r"matmul.*\(2, 3\).*\(2, 3\)")],
    ),
    OpCase(
        name="dot",
        mx=np.dot,
        ref=onp.dot,
        shapes=DOT_SHAPES,
        dtypes=FLOAT_DTYPES,
        **TOL,
        errors=[(_raises(np.dot, (2, 3, 4), (5, 3, 6)), MXNetError, r"dot.*\(2, 3, 4\).*\(5, 3, 6\).*not aligned")],
    ),
    OpCase(
        name="tensordot-2",
        mx=np.tensordot,
        ref=onp.tensordot,
        shapes=[((2, 3, 4), (3, 4, 5)), ((3, 4), (3, 4)), ((0, 3, 4), (3, 4, 2))],
        dtypes=FLOAT_DTYPES,
        **TOL,
        errors=[(_raises(np.tensordot, (2, 3, 4), (4, 3, 5)), MXNetError, r"tensordot.*\(2, 3, 4\).*\(4, 3, 5\)")],
    ),
    OpCase(
        name="tensordot-pairs",
        mx=lambda a, b: np.tensordot(a, b, axes=([1, 2], [1, 0])),
        ref=lambda a, b: onp.tensordot(a, b, axes=([1, 2], [1, 0])),
        shapes=[((2, 3, 4), (4, 3, 5)), ((1, 3, 2), (2, 3))],
        **TOL,
        errors=[
            (
                lambda: np.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([0], [0, 1])),
                MXNetError,
                "tensordot.*different lengths",
            )
        ],
    ),
    OpCase(
        name="tensordot-0",
        mx=lambda a, b: np.tensordot(a, b, axes=0),
        ref=lambda a, b: onp.tensordot(a, b, axes=0),
        shapes=[((2, 3), (4,)), ((), (3,))],
        **TOL,
    ),
    OpCase(
        name="tensordot-negative-axes",
        mx=lambda a, b: np.tensordot(a, b, axes=([-1], [-2])),
        ref=lambda a, b: onp.tensordot(a, b, axes=([-1], [-2])),
        shapes=[((2, 3), (4, 3, 5))],
        **TOL,
    ),
    OpCase(
        name="inner",
        mx=np.inner,
        ref=onp.inner,
        shapes=[((2, 3), (4, 3)), ((3,), (3,)), ((2, 2, 3), (3,)), ((), (2,)), ((0, 3), (2, 3))],
        dtypes=FLOAT_DTYPES,
        **TOL,
        errors=[(_raises(np.inner, (2, 3), (3, 2)), MXNetError, r"inner.*\(2, 3\).*\(3, 2\)")],
    ),
    OpCase(
        name="outer",
        mx=np.outer,
        ref=onp.outer,
        shapes=[((3,), (4,)), ((2, 3), (2,)), ((0,), (3,)), ((), (2,))],
        dtypes=FLOAT_DTYPES,
        **TOL,
    ),
    OpCase(
        name="vdot",
        mx=np.vdot,
        ref=onp.vdot,
        shapes=[((3,), (3,)), ((2, 3), (3, 2)), ((0,), (0,))],
        dtypes=FLOAT_DTYPES,
        **TOL,
        errors=[(_raises(np.vdot, (2, 3), (4,)), MXNetError, r"vdot.*\(2, 3\).*\(4,\)")],
    ),
    OpCase(
        name="batch_dot",
        mx=npx.batch_dot,
        ref=lambda a, b: a @ b,
        shapes=[((2, 3, 4), (2, 4, 5)), ((2, 2, 3, 4), (2, 2, 4, 1)), ((0, 3, 4), (0, 4, 2))],
        dtypes=FLOAT_DTYPES[:3],
        **TOL,
        errors=[
            (_raises(npx.batch_dot, (1, 3, 4), (2, 4, 5)), MXNetError, r"batch_dot.*\(1, 3, 4\).*\(2, 4, 5\)"),
            (_raises(npx.batch_dot, (2, 3, 4), (2, 3, 5)), MXNetError, r"batch_dot.*not aligned"),
            (_raises(npx.batch_dot, (3, 4), (4, 5)), MXNetError, r"batch_dot.*rank"),
        ],
    ),
    OpCase(
        name="batch_dot-transposed",
        mx=lambda a, b: npx.batch_dot(a, b, transpose_a=True, transpose_b=True),
        ref=lambda a, b: onp.swapaxes(a, -1, -2) @ onp.swapaxes(b, -1, -2),
        shapes=[((2, 4, 3), (2, 5, 4)), ((3, 1, 2), (3, 2, 1))],
        **TOL,
    ),
    OpCase(
        name="batch_dot-transpose_a",
        mx=lambda a, b: npx.batch_dot(a, b, transpose_a=True),
        ref=lambda a, b: onp.swapaxes(a, -1, -2) @ b,
        shapes=[((2, 4, 3), (2, 4, 5))],
        **TOL,
    ),
    OpCase(
        name="einsum-matmul",
        mx=lambda a, b: np.einsum("ij,jk->ik", a, b),
        ref=lambda a, b: onp.einsum("ij,jk->ik", a, b),
        shapes=[((2, 3), (3, 4)), ((0, 3), (3, 2))],
        dtypes=FLOAT_DTYPES,
        **TOL,
        errors=[
            (_raises(lambda a, b: np.einsum("ij,jk->ik", a, b), (2, 3), (4, 5)), MXNetError, r"einsum.*'j'.*\(4, 5\)")
        ],
    ),
    OpCase(
        name="einsum-batch",
        mx=lambda a, b: np.einsum("bij,bkj->bik", a, b),
        ref=lambda a, b: onp.einsum("bij,bkj->bik", a, b),
        shapes=[((3, 2, 4), (3, 5, 4))],
        **TOL,
    ),
    OpCase(
        name="einsum-diagonal",
        mx=lambda a: np.einsum("ii->i", a),
        ref=lambda a: onp.einsum("ii->i", a),
        shapes=[((3, 3),), ((1, 1),), ((0, 0),)],
        dtypes=[(("int32",), "int32"), (("float64",), "float64")],
        **TOL,
        errors=[
            (_raises(lambda a: np.einsum("ii->i", a), (2, 3)), MXNetError, r"einsum.*'i'.*repeated.*\(2, 3\).*2 and 3")
        ],
    ),
    OpCase(
        name="einsum-trace",
        mx=lambda a: np.einsum("ii", a),
        ref=lambda a: onp.einsum("ii", a),
        shapes=[((4, 4),), ((0, 0),)],
        dtypes=[(("int32",), "int32"), (("float32",), "float32")],
        **TOL,
    ),
    OpCase(
        name="einsum-repeated-with-second-operand",
        mx=lambda a, b: np.einsum("ij,jj->i", a, b),
        ref=lambda a, b: onp.einsum("ij,jj->i", a, b),
        shapes=[((2, 3), (3, 3)), ((4, 1), (1, 1))],
        **TOL,
    ),
    OpCase(
        name="einsum-batched-diagonal",
        mx=lambda a: np.einsum("bii->bi", a),
        ref=lambda a: onp.einsum("bii->bi", a),
        shapes=[((2, 3, 3),), ((0, 2, 2),)],
        **TOL,
    ),
]

# diagonal / trace: (offset, axis1, axis2) -> input shapes valid for it.
DIAGONAL_FORMS = {
    (0, 0, 1): [((3, 3),), ((2, 4),), ((4, 2),), ((2, 3, 4),), ((0, 3),), ((1, 1),)],
    (1, 0, 1): [((3, 3),), ((2, 4),), ((4, 2),), ((3, 1),)],  # last: empty diagonal
    (-1, 0, 1): [((3, 3),), ((2, 4),), ((4, 2),), ((1, 3),)],
    (2, 1, 2): [((2, 3, 4),), ((2, 0, 4),)],
    (-1, -1, 0): [((2, 3, 4),), ((4, 2),)],
    (0, -1, -3): [((2, 3, 4, 5),)],
    (5, 0, 1): [((3, 3),)],
}  # offset beyond the matrix


def diagonal_id(offset, axis1, axis2):
    return f"off{offset}-ax{axis1},{axis2}"


def bad_diagonal_calls(fn, name):
    return [
        (lambda: fn(np.ones((2, 3, 4)), 0, 0, 0), MXNetError, name + r".*same axis.*\(2, 3, 4\)"),
        (lambda: fn(np.ones((2, 3, 4)), 0, 0, -3), MXNetError, name + r".*same axis.*\(2, 3, 4\)"),
        (lambda: fn(np.ones((2, 3, 4)), 0, 0, 3), MXNetError, name + r".*axis 3.*out of bounds.*\(2, 3, 4\)"),
        (lambda: fn(np.ones((2, 3)), 0, -3, 1), MXNetError, name + r".*axis -3.*out of bounds.*\(2, 3\)"),
        (lambda: fn(np.ones((3,))), MXNetError, name + r".*at least 2 dimensions.*\(3,\)"),
    ]


for (offset, axis1, axis2), shapes in DIAGONAL_FORMS.items():
    first = (offset, axis1, axis2) == (0, 0, 1)
    CASES.append(
        OpCase(
            name="diagonal-" + diagonal_id(offset, axis1, axis2),
            mx=lambda a, o=offset, x=axis1, y=axis2: np.diagonal(a, o, x, y),
            ref=lambda a, o=offset, x=axis1, y=axis2: onp.diagonal(a, o, x, y),
            shapes=shapes,
            **TOL,
            dtypes=[
                (("int32",), "int32"),
                (("int64",), "int64"),
                (("float32",), "float32"),
                (("float64",), "float64"),
                (("bool",), "bool"),
                (("uint8",), "uint8"),
            ]
            if first
            else (),
            errors=bad_diagonal_calls(np.diagonal, "diagonal") if first else (),
        )
    )
    CASES.append(
        OpCase(
            name="trace-" + diagonal_id(offset, axis1, axis2),
            mx=lambda a, o=offset, x=axis1, y=axis2: np.trace(a, o, x, y),
            ref=lambda a, o=offset, x=axis1, y=axis2: onp.trace(a, o, x, y),
            shapes=shapes,
            **TOL,
            dtypes=[
                (("int32",), "int32"),
                (("int8",), "int8"),
                (("float32",), "float32"),
                (("float64",), "float64"),
                (("bool",), "int64"),
            ]
            if first
            else (),
            errors=bad_diagonal_calls(np.trace, "trace") if first else (),
        )
    )

CASES += [
    OpCase(
        name="diagonal-keywords",
        mx=lambda a: np.diagonal(a, offset=-1, axis1=2, axis2=1),
        ref=lambda a: onp.diagonal(a, offset=-1, axis1=2, axis2=1),
        shapes=[((2, 3, 4),)],
        **TOL,
    ),
    OpCase(
        name="trace-keywords",
        mx=lambda a: np.trace(a, offset=1, axis1=-2, axis2=-1),
        ref=lambda a: onp.trace(a, offset=1, axis1=-2, axis2=-1),
        shapes=[((2, 3, 4),)],
        **TOL,
    ),
    OpCase(
        name="diag-matrix",
        mx=np.diag,
        ref=onp.diag,
        shapes=[((3, 4),), ((4, 3),), ((0, 2),)],
        **TOL,
        dtypes=[(("int32",), "int32"), (("float64",), "float64")],
        errors=[
            (_raises(np.diag, (2, 2, 2)), MXNetError, r"diag.*1-D or 2-D.*\(2, 2, 2\)"),
            (_raises(np.diag, ()), MXNetError, r"diag.*1-D or 2-D.*\(\)"),
        ],
    ),
    OpCase(
        name="diag-vector",
        mx=np.diag,
        ref=onp.diag,
        shapes=[((3,),), ((1,),), ((0,),)],
        **TOL,
        dtypes=[(("int32",), "int32"), (("float32",), "float32")],
    ),
]
for k in (1, -2, 4):
    CASES.append(
        OpCase(
            name=f"diag-k{k}",
            mx=lambda a, k=k: np.diag(a, k),
            ref=lambda a, k=k: onp.diag(a, k),
            shapes=[((3,),), ((3, 4),), ((0,),)],
            **TOL,
        )
    )
