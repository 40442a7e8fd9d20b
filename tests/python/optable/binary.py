"""Binary rows added with the op table (ldexp, heaviside) and the legacy
integer division (truncate_divide, behind nd.divide): values vs NumPy,
MXNet's result dtypes, gradients and shape errors."""

import numpy as onp

from mxnet import nd, np
from mxnet.base import MXNetError
from optable import OpCase

BIN_SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1, 3), (4, 1)), ((), (3,)), ((0, 3), (3,)), ((5,), ())]


def truncated_quotient(a, b):
    q = onp.trunc(a / onp.where(b == 0, 1, b))
    return onp.where(b == 0, 0, q).astype(onp.result_type(a, b))


def legacy_divide(a, b):
    return nd.divide(a.as_nd_ndarray(), b.as_nd_ndarray()).as_np_ndarray()


def nonzero_heaviside_inputs(rng, shapes):
    """x1 away from 0 (the step), x2 anywhere."""
    a = rng.uniform(0.1, 2, size=shapes[0]) * rng.choice([-1.0, 1.0], size=shapes[0])
    return [a, rng.uniform(-1, 1, size=shapes[1])]


CASES = [
    OpCase(
        name="ldexp",
        mx=np.ldexp,
        ref=lambda a, b: a * onp.power(2.0, b),
        shapes=BIN_SHAPES,
        low=-2,
        high=2,
        rtol=1e-12,
        dtypes=[(("float32", "float32"), "float32"), (("int32", "int32"), "int32")],
        errors=[(lambda: np.ldexp(np.ones((2, 3)), np.ones((2,))), MXNetError, r"ldexp: .*\(2, 3\) \(2,\)")],
    ),
    OpCase(
        name="ldexp-scalar", mx=lambda a: np.ldexp(a, 3), ref=lambda a: a * 8.0, shapes=[((2, 3),), ((),)], rtol=1e-12
    ),
    OpCase(
        name="heaviside",
        mx=np.heaviside,
        ref=onp.heaviside,
        shapes=BIN_SHAPES,
        input_maker=nonzero_heaviside_inputs,
        rtol=1e-12,
        dtypes=[(("float32", "float32"), "float32"), (("int32", "int32"), "float32")],
    ),
    OpCase(
        name="heaviside-at-zero",
        mx=lambda a: np.heaviside(a * 0, 0.5),
        ref=lambda a: onp.heaviside(a * 0, 0.5),
        shapes=[((4,),)],
        grad_shapes=[],
    ),
    OpCase(
        name="truncate_divide-legacy",
        mx=legacy_divide,
        ref=truncated_quotient,
        shapes=BIN_SHAPES,
        int_inputs=(0, 1),
        int_range=(-9, 10),
        grad_shapes=[],
        dtypes=[(("int32", "int32"), "int32"), (("int64", "int32"), "int64"), (("float32", "float32"), "float32")],
    ),
]
