"""out= on the table-built functions: MXNet 1.9.1's rules (the result goes
into out's storage and out is returned; shape and dtype must match exactly;
under record() out becomes the op's output, unless it already is in a graph)."""
import numpy as onp
import pytest

from mxnet import autograd, nd, np
from mxnet.base import MXNetError


def test_out_receives_the_result_and_is_returned():
    x = np.array([0.25, 4.0])
    o = np.zeros(2)
    view = o.reshape(2, 1)  # shares o's storage: must see the result
    assert np.sqrt(x, out=o) is o
    assert o.asnumpy().tolist() == [0.5, 2.0]
    assert view.asnumpy().ravel().tolist() == [0.5, 2.0]
    lo = nd.zeros((2,))
    assert nd.sqrt(x.as_nd_ndarray(), out=lo) is lo
    assert x.as_nd_ndarray().sqrt(out=lo) is lo and lo.asnumpy().tolist() == [0.5, 2.0]


def test_out_may_be_the_input():
    x = np.array([1.0, -2.0])
    assert np.abs(x, out=x) is x
    assert x.asnumpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("out", [np.zeros(3), np.zeros(2, dtype="float64"), np.zeros((1, 2))])
def test_out_of_another_shape_or_dtype_raises_and_keeps_its_values(out):
    out[...] = 7
    with pytest.raises(MXNetError, match="out= has shape"):
        np.exp(np.array([1.0, 2.0]), out=out)
    assert (out.asnumpy() == 7).all()


def test_out_of_another_face_raises_type_error():
    with pytest.raises(TypeError, match="out must be an mxnet.numpy.ndarray, got ndarray"):
        np.exp(np.array([1.0]), out=onp.zeros(1))
    with pytest.raises(TypeError, match="out must be an mxnet.ndarray.NDArray"):
        nd.exp(nd.array([1.0]), out=np.zeros(1))


def test_out_under_record_is_the_op_output():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        o = np.zeros(2)
        y = np.exp(x, out=o)
        z = (y * 2).sum()
    z.backward()
    assert y is o
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * onp.exp([1.0, 2.0]), rtol=1e-6)


def test_out_already_in_a_graph_is_refused_under_record():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    o = np.zeros(2)
    o.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match="Assigning to NDArrays that are already in a computational graph"):
            np.exp(x, out=o)
        with pytest.raises(MXNetError, match="Inplace operations"):
            np.exp(x, out=x.detach())  # shares the recorded input's memory


def test_out_saved_for_a_gradient_is_detected_when_overwritten():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    w = np.array([3.0, 4.0])
    with autograd.record():
        y = (x * w).sum()
    np.exp(np.array([0.0, 0.0]), out=w)  # w was saved for x's gradient
    with pytest.raises(MXNetError):
        y.backward()
