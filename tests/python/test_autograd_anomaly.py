"""autograd.detect_anomaly: the first NaN/Inf in forward or backward raises,
naming the op and, for gradients, where the op was recorded."""

import threading

import pytest

from mxnet import MXNetError, autograd, np


def test_off_by_default_and_restored():
    assert not autograd.is_anomaly_enabled()
    with autograd.detect_anomaly():
        assert autograd.is_anomaly_enabled()
        with autograd.detect_anomaly(False):
            assert not autograd.is_anomaly_enabled()
        assert autograd.is_anomaly_enabled()
    assert not autograd.is_anomaly_enabled()
    assert np.log(np.array([-1.0])).asnumpy().tolist() != [0.0]  # NaN passes silently when off


def test_forward_nan_names_the_op_and_shapes():
    x = np.array([1.0, -1.0])
    with autograd.detect_anomaly():
        with pytest.raises(
            MXNetError,
            match=r"log: anomaly mode: op 'log' produced NaN in output 0 of shape "
            r"\(2,\) \(dtype float32, flat index 1\).* in forward",
        ):
            np.log(x)
        with pytest.raises(MXNetError, match="produced Inf"):
            np.array([1.0]) / np.array([0.0])
        np.log(np.array([1.0, 2.0]))  # finite: fine
        np.array([1, 2], dtype="int32") * np.array([1, 1], dtype="int32")  # integers are not checked
    assert not autograd.is_anomaly_enabled()


def test_backward_inf_names_the_op_whose_gradient_failed_and_where_it_was_recorded():
    x = np.array([0.0, 1.0])
    x.attach_grad()
    with autograd.detect_anomaly():
        with autograd.record():
            y = np.sqrt(x)  # recorded here
        with pytest.raises(MXNetError) as info:
            y.backward()
    message = str(info.value)
    assert "while computing the gradient of 'sqrt'" in message
    assert "produced Inf" in message
    assert "test_autograd_anomaly.py" in message and "y = np.sqrt(x)  # recorded here" in message


def test_backward_nan_returned_by_a_function_names_it():
    nan_grad = np.array([float("nan"), 1.0])  # made before anomaly mode is on

    class Bad(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return nan_grad

    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.detect_anomaly():
        with autograd.record():
            y = Bad()(x)
        with pytest.raises(
            MXNetError,
            match=r"(?s)Bad: anomaly mode: the gradient of 'Bad' \(op #\d+ in recording "
            r"order\), recorded at:\n.*y = Bad\(\)\(x\).*contains NaN",
        ):
            y.backward()


def test_without_anomaly_mode_nan_gradients_pass():
    x = np.array([0.0])
    x.attach_grad()
    with autograd.record():
        y = np.sqrt(x)
    y.backward()
    assert x.grad.item() == float("inf")


def test_mode_is_per_thread():
    seen = {}

    def worker():
        seen["enabled"] = autograd.is_anomaly_enabled()
        seen["log"] = np.log(np.array([-1.0])).shape  # no raise here

    with autograd.detect_anomaly():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen == {"enabled": False, "log": (1,)}


def test_library_usable_after_an_anomaly():
    from conftest import assert_library_usable

    with autograd.detect_anomaly():
        with pytest.raises(MXNetError):
            np.log(np.array([-1.0]))
    assert_library_usable()


def test_create_graph_under_anomaly_mode_records_traces_from_backward():
    # Nodes recorded by a create_graph backward (which runs without the GIL)
    # still get a trace, and finite results pass untouched.
    x = np.array([0.5, 1.0], dtype="float64")
    x.attach_grad()
    with autograd.detect_anomaly():
        with autograd.record():
            y = np.sin(x) * x
            (dx,) = autograd.grad(y, [x], create_graph=True)
            z = (dx * dx).sum()
        z.backward()
    graph = autograd.get_symbol(dx)
    assert all("test_autograd_anomaly.py" in n["trace"] for n in graph.nodes if n["kind"] == "op")
    assert x.grad.asnumpy().shape == (2,)
