"""Bad input raises MXNetError (a RuntimeError) naming the op and the shapes,
never crashes, and leaves the library usable."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, np
from mxnet.base import MXNetError
from conftest import assert_library_usable


@pytest.fixture(autouse=True)
def library_still_works():
    yield
    assert_library_usable()


def test_mxnet_error_is_a_runtime_error():
    assert issubclass(MXNetError, RuntimeError)
    assert MXNetError.__module__ == "mxnet.base"


@pytest.mark.parametrize("face", [np, mx.nd])
def test_broadcast_mismatch_names_op_and_shapes(face):
    with pytest.raises(MXNetError, match=r"add.*\(2, 3\).*\(4,\)"):
        face.ones((2, 3)) + face.ones((4,))


def test_backward_on_unrecorded_array():
    y = np.ones((2,)) * 2
    with pytest.raises(MXNetError, match="not in a computational graph"):
        y.backward()


def test_second_backward_without_retain_graph():
    x = np.ones((2,))
    x.attach_grad()
    with autograd.record():
        y = (x * 3).sum()
    y.backward()
    with pytest.raises(MXNetError, match="retain_graph=True"):
        y.backward()


def test_head_gradient_of_wrong_shape():
    x = np.ones((2, 2))
    x.attach_grad()
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match=r"head gradient.*\(3,\).*\(2, 2\)"):
        y.backward(np.ones((3,)))


def test_unsupported_dtype():
    with pytest.raises(MXNetError, match="complex64"):
        np.array([1, 2], dtype="complex64")
    with pytest.raises(MXNetError, match="complex64"):
        np.zeros((2,), dtype="complex64")


def test_index_out_of_range_is_mxnet_and_index_error():
    b = np.array([1.0, 2.0])
    with pytest.raises(MXNetError, match="index 5 is out of bounds for axis 0 with size 2"):
        _ = b[5]
    with pytest.raises(IndexError):
        _ = b[-3]
    with pytest.raises(IndexError, match="too many indices"):
        _ = b[0, 0]
    assert [v.item() for v in b] == [1.0, 2.0]  # iteration stops at IndexError


def test_reshape_to_wrong_size():
    with pytest.raises(MXNetError, match=r"reshape.*size 4.*\(3,\)"):
        np.ones((2, 2)).reshape(3)


def test_dot_misaligned():
    with pytest.raises(MXNetError, match=r"dot.*\(2, 3\).*\(2, 3\).*not aligned"):
        np.dot(np.ones((2, 3)), np.ones((2, 3)))


def test_bad_axis():
    with pytest.raises(MXNetError, match="axis 2 is out of bounds"):
        np.sum(np.ones((2, 2)), axis=2)


def test_inplace_under_record_is_refused():
    x = np.ones((2,))
    x.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match="Assigning to NDArrays that are already in a computational graph"):
            x += 1
        y = x * 2
        with pytest.raises(MXNetError, match="inplace operations"):
            y[0] = 5


def test_unsupported_operand_type():
    with pytest.raises(TypeError, match="not supported"):
        _ = np.ones((2,)) == None  # noqa: E711
    with pytest.raises(TypeError, match="not supported"):
        _ = np.ones((2,)) + "abc"


def test_custom_function_with_wrong_gradient_count_and_shape():
    class WrongCount(autograd.Function):
        def forward(self, a, b):
            return a + b

        def backward(self, dy):
            return dy

    class WrongShape(autograd.Function):
        def forward(self, a):
            return a * 2

        def backward(self, dy):
            return np.ones((5,))

    a, b = np.ones((2,)), np.ones((2,))
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        y = WrongCount()(a, b)
    with pytest.raises(MXNetError, match="WrongCount.*returned 1 gradients, expected 2"):
        y.backward()
    with autograd.record():
        y = WrongShape()(a)
    with pytest.raises(MXNetError, match=r"WrongShape.*\(5,\).*\(2,\)"):
        y.backward()


def test_function_instance_called_twice():
    class Double(autograd.Function):
        def forward(self, a):
            return a * 2

        def backward(self, dy):
            return dy * 2

    f = Double()
    f(np.ones((1,)))
    with pytest.raises(AssertionError, match="only be called once"):
        f(np.ones((1,)))


def test_python_error_in_backward_propagates():
    class Boom(autograd.Function):
        def forward(self, a):
            return a * 1

        def backward(self, dy):
            raise ValueError("boom in backward")

    a = np.ones((2,))
    a.attach_grad()
    with autograd.record():
        y = Boom()(a)
    with pytest.raises(ValueError, match="boom in backward"):
        y.backward()


def test_negative_dimension():
    with pytest.raises(MXNetError, match="negative dimensions"):
        np.zeros((2, -1))
    assert onp.array_equal(np.zeros((1,)).asnumpy(), [0.0])


@pytest.mark.parametrize("convert", [float, int])
def test_scalar_conversion_of_several_elements_is_a_type_error(convert):
    # As MXNet 1.9.1 (matplotlib relies on the TypeError); still an MXNetError too.
    for array in (np.ones(2), mx.nd.ones(2)):
        with pytest.raises(TypeError, match="only size-1 arrays can be converted to Python scalars"):
            convert(array)
        with pytest.raises(MXNetError):
            convert(array)
    assert convert(np.ones(1)) == 1
