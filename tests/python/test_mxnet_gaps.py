"""MXNet 1.9.1's behaviours from ../shared/reference/MXNET_API_GAPS.md §2.2, one
test per gap (its id in the name), checked against what MXNet 1.9.1 returns."""

import numpy as onp
import pytest

from mxnet import autograd, nd, np
from mxnet.base import MXNetError


def test_a3_integer_variables_receive_gradients_through_casts():
    x = np.array([1, 2, 3], dtype="int32")
    x.attach_grad()
    with autograd.record():
        y = np.sum(x, dtype="float32")
    y.backward()
    assert x.grad.dtype == onp.int32 and x.grad.asnumpy().tolist() == [1, 1, 1]
    with autograd.record():
        y = x.astype("float32") * 2
    y.backward()
    assert x.grad.asnumpy().tolist() == [2, 2, 2]


def test_b5_division_of_integer_ndarrays_truncates():
    a, b = nd.array([7, -7, 3], dtype="int32"), nd.array([2, 2, 4], dtype="int32")
    for r in (a / b, nd.divide(a, b)):
        assert r.dtype == onp.int32 and r.asnumpy().tolist() == [3, -3, 0]
    assert (a / 2).asnumpy().tolist() == [3, -3, 1]
    assert (7 / a).asnumpy().tolist() == [1, -1, 2]
    c = nd.array([7, -7], dtype="int64")
    c /= 2
    assert c.dtype == onp.int64 and c.asnumpy().tolist() == [3, -3]
    assert (np.array([7], dtype="int32") / 2).dtype == onp.float32  # np stays true division


def test_c2_inplace_wording_names_the_recorded_value():
    x = np.zeros((3,))
    y = np.ones((1,))
    y.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match=r"Inplace operations \(\+=, -=, x\[:\]=, etc\) are not supported"):
            x[0:1] = y
    w = np.ones((2,))
    w.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match="Assigning to NDArrays that are already in a computational graph"):
            w[0:1] = 5


def test_c4_range_indices_act_as_lists():
    assert np.arange(5)[range(1, 3)].asnumpy().tolist() == [1.0, 2.0]
    assert np.arange(10).reshape(5, 2)[range(1, 3), 0].asnumpy().tolist() == [2.0, 4.0]
    x = np.arange(5)
    x[range(1, 3)] = 9
    assert x.asnumpy().tolist() == [0.0, 9.0, 9.0, 3.0, 4.0]


@pytest.mark.parametrize(
    "call",
    [
        lambda: nd.zeros((4, 6)).reshape((2, 3)),
        lambda: bool(nd.ones((2, 2))),
        lambda: bool(np.ones((2, 2))),
        lambda: np.zeros((2, 3, 4)).transpose((1, 1, 0)),
        lambda: np.transpose(np.zeros((2, 3, 4)), (1, 1, 0)),
    ],
)
def test_d1_builtin_value_errors(call):
    with pytest.raises(ValueError):
        call()


def test_d1_messages_and_the_mxnet_error_kept():
    with pytest.raises(ValueError, match=r"Cannot reshape array of size 24 into shape \(2, 3\)"):
        nd.zeros((4, 6)).reshape((2, 3))
    with pytest.raises(MXNetError):  # more elements than the input: MXNetError in MXNet too
        nd.zeros((4, 6)).reshape((5, 5))
    with pytest.raises(ValueError, match="truth value of an NDArray with multiple elements is ambiguous"):
        bool(nd.ones((2,)))


def test_d2_empty_arrays_are_false():
    assert bool(nd.array([])) is False and bool(np.array([])) is False
    assert bool(np.array([3.0])) is True


def test_d5_copy_takes_order_c_only():
    x = np.array([1, 2])
    assert x.copy(order="C").asnumpy().tolist() == [1.0, 2.0]
    for order in ("F", "A", "K"):
        with pytest.raises(NotImplementedError, match="order='C'"):
            x.copy(order=order)


def test_d6_format_specs_only_on_0d_arrays():
    with pytest.raises(TypeError, match="Cannot format mxnet.numpy.ndarray with format_spec"):
        "{:>12}".format(np.array([1.25, 2.5]))
    assert "{:.3g}".format(np.array(3.14159)) == "3.14"
    assert "{}".format(np.array([1.5, 2.0])) == str(np.array([1.5, 2.0]))


def test_d7_axis_0_and_minus_1_of_a_0d_array():
    a = np.array(0.5)
    for r in (np.argmax(a, axis=0), np.argmin(a, -1), a.argmax(0)):
        assert r.dtype == onp.int64 and r.item() == 0
    for r in (np.squeeze(a, 0), np.squeeze(a, -1), a.squeeze(0), np.sum(a, axis=0)):
        assert r.shape == () and r.item() == 0.5
    with pytest.raises(MXNetError):
        np.sum(a, axis=1)


def test_e1_astype_without_copy_returns_the_array():
    x = np.ones((3,), dtype="float32")
    assert x.astype("float32", copy=False) is x and x.astype(onp.float32, copy=False) is x
    assert x.astype("float32") is not x and x.astype("float64", copy=False) is not x
    y = nd.ones((2,))
    assert y.astype("float32", copy=False) is y


def test_a1_null_variables_have_no_gradient_after_backward():
    a = np.array([0.5, 1.5])
    a.attach_grad(grad_req="null")
    b = np.array([2.0, 4.0])
    b.attach_grad()
    assert a.grad.asnumpy().tolist() == [0.0, 0.0]  # before any backward
    with autograd.record():
        y = np.matmul(a, b)
    y.backward()
    assert a.grad is None and b.grad.asnumpy().tolist() == [0.5, 1.5]
    c = nd.array([1.0])
    c.attach_grad(grad_req="null")
    with autograd.record():
        z = c * 2
    with pytest.raises(MXNetError, match="no inputs in computation graph that require gradients"):
        z.backward()


@pytest.mark.parametrize(
    "head",
    [
        lambda x: x > 1,
        lambda x: 1 <= x,
        lambda x: x == x,
        lambda x: np.argmax(x),
        lambda x: np.logical_not(x),
        lambda x: np.isnan(x),
        lambda x: (x > 0) * 2.0,
        lambda x: (x.as_nd_ndarray() > 1).as_np_ndarray(),
    ],
)
def test_a2_backward_through_ops_without_gradient_gives_zeros(head):
    x = np.array([1.0, 2.0])
    x.attach_grad()
    x.grad[:] = 7
    with autograd.record():
        y = head(x)
    y.backward()
    assert x.grad.asnumpy().tolist() == [0.0, 0.0]


def test_a2_second_derivative_of_relu_is_zero():
    from mxnet import npx

    x = np.array([-1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        g = autograd.grad(npx.relu(x), x, create_graph=True, retain_graph=True)[0]
        gg = autograd.grad(g, x, create_graph=True, retain_graph=True)[0]
    assert g.asnumpy().tolist() == [0.0, 1.0] and gg.asnumpy().tolist() == [0.0, 0.0]


def test_a2_a_head_from_no_recorded_variable_still_raises():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    y = x > 1  # outside record()
    with pytest.raises(MXNetError, match="not in a computational graph"):
        y.backward()
    with autograd.record():
        z = x.detach() > 1
    with pytest.raises(MXNetError, match="not in a computational graph"):
        z.backward()


def test_b1_b2_legacy_samplers_in_nd_and_mx_random():
    import mxnet as mx

    assert nd.uniform(shape=(2, 3)).shape == (2, 3) and nd.normal(shape=(2,)).shape == (2,)
    assert nd.uniform(low=-1, high=1, shape=(3,), dtype="float64").dtype == onp.float64
    assert mx.random.uniform(-1, 1, (4,)).shape == (4,)
    assert mx.random.normal(0, 1, shape=(2, 3)).shape == (2, 3)
    r = mx.random.randint(0, 3, shape=(2,))
    assert r.dtype == onp.int32 and isinstance(r, nd.NDArray)
    assert nd.random.randn(2, 3).shape == (2, 3)
    assert nd.random.randn(2, loc=1, scale=2, dtype="float64").dtype == onp.float64
    mx.random.seed(3)
    a = mx.random.uniform(shape=(5,)).asnumpy()
    mx.random.seed(3)
    assert (nd.uniform(shape=(5,)).asnumpy() == a).all()
    assert sorted(nd.shuffle(nd.array([1, 2, 3])).asnumpy().tolist()) == [1.0, 2.0, 3.0]


def test_b4_fluent_ndarray_methods():
    x = nd.array([[-1.0, 2.0]])
    assert x.abs().asnumpy().tolist() == [[1.0, 2.0]] == abs(x).asnumpy().tolist()
    assert x.zeros_like().asnumpy().tolist() == [[0.0, 0.0]] and x.ones_like().asnumpy().tolist() == [[1.0, 1.0]]
    assert x.broadcast_to((3, 2)).shape == (3, 2) and x.broadcast_to(shape=(3, 2)).shape == (3, 2)
    onp.testing.assert_allclose(x.softmax().asnumpy(), nd.softmax(x).asnumpy())
    onp.testing.assert_allclose(x.log_softmax().asnumpy(), nd.log_softmax(x).asnumpy())
    assert nd.round(nd.array([0.5, 1.5, -0.5, 2.5, -2.6])).asnumpy().tolist() == [1.0, 2.0, -1.0, 3.0, -3.0]
    assert x.round().asnumpy().tolist() == [[-1.0, 2.0]]
    target = nd.zeros((1, 2))
    assert x.copyto(target) is target and target.asnumpy().tolist() == [[-1.0, 2.0]]


@pytest.mark.parametrize(
    "key",
    [
        True,
        False,
        (0, True),
        (False, 0),
        (Ellipsis, False),
        (True, Ellipsis, True),
        (0, slice(None), True),
        (True, True),
        (slice(None), True, 0),
        (None, False),
        (1, True, 2),
    ],
)
def test_c3_0d_boolean_indices(key):
    a = onp.arange(24.0).reshape(2, 3, 4)
    got = np.array(a)[key]
    onp.testing.assert_array_equal(got.asnumpy(), a[key])
    assert np.array(a)[np.array(True, dtype=bool)].shape == (1, 2, 3, 4)
    b = np.zeros((2,))
    b[True] = 5
    b[False] = 7  # selects nothing
    assert b.asnumpy().tolist() == [5.0, 5.0]
