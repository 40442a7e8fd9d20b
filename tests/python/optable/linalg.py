"""Matrix and tensor products (mxnet.np, npx.batch_dot): values against NumPy
(1-D promotion, broadcast batch dims, empty operands), dtypes, gradients and
shape errors naming the op and both shapes."""
import numpy as onp

from mxnet import np, npx
from mxnet.base import MXNetError
from optable import OpCase

FLOAT_DTYPES = [(("float32", "float32"), "float32"), (("float64", "float64"), "float64"),
                (("float32", "float64"), "float64"), (("int32", "int32"), "int32"),
                (("int64", "int64"), "int64")]
TOL = dict(rtol=1e-10, atol=1e-12)


def _raises(f, *shapes):
    return lambda: f(*[np.ones(s) for s in shapes])


MATMUL_SHAPES = [((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (4, 3, 2)), ((2, 1, 2, 3), (4, 3, 2)),
                 ((3,), (2, 3, 4)), ((2, 3, 4), (4,)), ((0, 3), (3, 4)), ((2, 0), (0, 4)), ((0, 2, 3), (3, 4)),
                 ((1, 1), (1, 1))]
DOT_SHAPES = [((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((), (2, 3)), ((2, 3), ()),
              ((2, 3, 4), (5, 4, 6)), ((2, 3, 4), (4,)), ((2, 3), (4, 3, 5)), ((0, 3), (3, 2)), ((2, 0), (0,))]

CASES = [
    OpCase(name="matmul", mx=np.matmul, ref=onp.matmul, shapes=MATMUL_SHAPES, dtypes=FLOAT_DTYPES, **TOL,
           errors=[(_raises(np.matmul, (2, 3), (4, 5)), MXNetError, r"matmul.*\(2, 3\).*\(4, 5\).*not aligned"),
                   (_raises(np.matmul, (2, 2, 3), (3, 3, 4)), MXNetError,
                    r"matmul.*\(2, 2, 3\).*\(3, 3, 4\).*broadcast"),
                   (_raises(np.matmul, (), (3,)), MXNetError, r"matmul.*\(\).*\(3,\)")]),
    OpCase(name="matmul-operator", mx=lambda a, b: a @ b, ref=lambda a, b: a @ b,
           shapes=[((4, 2, 3), (1, 3, 5)), ((3,), (3,)), ((2, 3), (3,))], **TOL,
           errors=[(lambda: np.ones((2, 3)) @ np.ones((2, 3)), MXNetError, r"matmul.*\(2, 3\).*\(2, 3\)")]),
    OpCase(name="dot", mx=np.dot, ref=onp.dot, shapes=DOT_SHAPES, dtypes=FLOAT_DTYPES, **TOL,
           errors=[(_raises(np.dot, (2, 3, 4), (5, 3, 6)), MXNetError, r"dot.*\(2, 3, 4\).*\(5, 3, 6\).*not aligned")]),
    OpCase(name="tensordot-2", mx=np.tensordot, ref=onp.tensordot,
           shapes=[((2, 3, 4), (3, 4, 5)), ((3, 4), (3, 4)), ((0, 3, 4), (3, 4, 2))], dtypes=FLOAT_DTYPES, **TOL,
           errors=[(_raises(np.tensordot, (2, 3, 4), (4, 3, 5)), MXNetError, r"tensordot.*\(2, 3, 4\).*\(4, 3, 5\)")]),
    OpCase(name="tensordot-pairs", mx=lambda a, b: np.tensordot(a, b, axes=([1, 2], [1, 0])),
           ref=lambda a, b: onp.tensordot(a, b, axes=([1, 2], [1, 0])),
           shapes=[((2, 3, 4), (4, 3, 5)), ((1, 3, 2), (2, 3))], **TOL,
           errors=[(lambda: np.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([0], [0, 1])), MXNetError,
                    "tensordot.*different lengths")]),
    OpCase(name="tensordot-0", mx=lambda a, b: np.tensordot(a, b, axes=0),
           ref=lambda a, b: onp.tensordot(a, b, axes=0), shapes=[((2, 3), (4,)), ((), (3,))], **TOL),
    OpCase(name="tensordot-negative-axes", mx=lambda a, b: np.tensordot(a, b, axes=([-1], [-2])),
           ref=lambda a, b: onp.tensordot(a, b, axes=([-1], [-2])), shapes=[((2, 3), (4, 3, 5))], **TOL),
    OpCase(name="inner", mx=np.inner, ref=onp.inner, shapes=[((2, 3), (4, 3)), ((3,), (3,)), ((2, 2, 3), (3,)),
                                                             ((), (2,)), ((0, 3), (2, 3))], dtypes=FLOAT_DTYPES,
           **TOL, errors=[(_raises(np.inner, (2, 3), (3, 2)), MXNetError, r"inner.*\(2, 3\).*\(3, 2\)")]),
    OpCase(name="outer", mx=np.outer, ref=onp.outer, shapes=[((3,), (4,)), ((2, 3), (2,)), ((0,), (3,)), ((), (2,))],
           dtypes=FLOAT_DTYPES, **TOL),
    OpCase(name="vdot", mx=np.vdot, ref=onp.vdot, shapes=[((3,), (3,)), ((2, 3), (3, 2)), ((0,), (0,))],
           dtypes=FLOAT_DTYPES, **TOL,
           errors=[(_raises(np.vdot, (2, 3), (4,)), MXNetError, r"vdot.*\(2, 3\).*\(4,\)")]),
    OpCase(name="batch_dot", mx=npx.batch_dot, ref=lambda a, b: a @ b,
           shapes=[((2, 3, 4), (2, 4, 5)), ((2, 2, 3, 4), (2, 2, 4, 1)), ((0, 3, 4), (0, 4, 2))],
           dtypes=FLOAT_DTYPES[:3], **TOL,
           errors=[(_raises(npx.batch_dot, (1, 3, 4), (2, 4, 5)), MXNetError, r"batch_dot.*\(1, 3, 4\).*\(2, 4, 5\)"),
                   (_raises(npx.batch_dot, (2, 3, 4), (2, 3, 5)), MXNetError, r"batch_dot.*not aligned"),
                   (_raises(npx.batch_dot, (3, 4), (4, 5)), MXNetError, r"batch_dot.*rank")]),
    OpCase(name="batch_dot-transposed", mx=lambda a, b: npx.batch_dot(a, b, transpose_a=True, transpose_b=True),
           ref=lambda a, b: onp.swapaxes(a, -1, -2) @ onp.swapaxes(b, -1, -2),
           shapes=[((2, 4, 3), (2, 5, 4)), ((3, 1, 2), (3, 2, 1))], **TOL),
    OpCase(name="batch_dot-transpose_a", mx=lambda a, b: npx.batch_dot(a, b, transpose_a=True),
           ref=lambda a, b: onp.swapaxes(a, -1, -2) @ b, shapes=[((2, 4, 3), (2, 4, 5))], **TOL),
    OpCase(name="einsum-matmul", mx=lambda a, b: np.einsum("ij,jk->ik", a, b),
           ref=lambda a, b: onp.einsum("ij,jk->ik", a, b), shapes=[((2, 3), (3, 4)), ((0, 3), (3, 2))],
           dtypes=FLOAT_DTYPES, **TOL,
           errors=[(_raises(lambda a, b: np.einsum("ij,jk->ik", a, b), (2, 3), (4, 5)), MXNetError,
                    r"einsum.*'j'.*\(4, 5\)")]),
    OpCase(name="einsum-batch", mx=lambda a, b: np.einsum("bij,bkj->bik", a, b),
           ref=lambda a, b: onp.einsum("bij,bkj->bik", a, b), shapes=[((3, 2, 4), (3, 5, 4))], **TOL),
]
