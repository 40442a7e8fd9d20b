"""stop_gradient / BlockGrad: the identity on values; no gradient (its
blocking is tested in test_autograd_api.py)."""

from mxnet import nd, npx
from optable import OpCase

SHAPES = [((2, 3),), ((),), ((0,),), ((4, 1, 2),)]

CASES = [
    OpCase(
        name="stop_gradient",
        mx=npx.stop_gradient,
        ref=lambda x: x.copy(),
        shapes=SHAPES,
        grad_shapes=[],
        rtol=0,
        atol=0,
        dtypes=[(("float32",), "float32"), (("float64",), "float64"), (("int32",), "int32"), (("bool",), "bool")],
        errors=[
            (lambda: npx.stop_gradient(None), TypeError, "stop_gradient"),
            (lambda: npx.stop_gradient("abc"), TypeError, "not supported"),
        ],
    ),
    OpCase(
        name="nd.BlockGrad",
        mx=lambda x: nd.BlockGrad(x.as_nd_ndarray()).as_np_ndarray(),
        ref=lambda x: x.copy(),
        shapes=SHAPES[:2],
        grad_shapes=[],
        rtol=0,
        atol=0,
        views=False,
    ),
]
