"""The autograd core of the foundation: flags, leaves, head gradients,
sum-of-outputs for non-scalar heads, retain_graph, grad_req, Function."""

import threading

import pytest

from mxnet import autograd, np
from mxnet.base import MXNetError


def test_flags_default_and_scopes():
    assert not autograd.is_recording() and not autograd.is_training()
    with autograd.record():
        assert autograd.is_recording() and autograd.is_training()
        with autograd.pause():
            assert not autograd.is_recording() and not autograd.is_training()
        with autograd.pause(train_mode=True):
            assert autograd.is_training()
    with autograd.record(train_mode=False):
        assert autograd.is_recording() and not autograd.is_training()
    assert autograd.set_recording(True) is False
    assert autograd.set_recording(False) is True
    assert not autograd.is_recording()


def test_flags_are_per_thread():
    seen = {}

    def worker():
        seen["recording"] = autograd.is_recording()

    with autograd.record():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen["recording"] is False


def test_non_scalar_head_is_summed_and_head_grads_scale():
    x = np.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
    y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 4.0, 6.0]
    with autograd.record():
        y = x * x
    y.backward(np.array([1.0, 0.5, 0.0]))
    assert x.grad.asnumpy().tolist() == [2.0, 2.0, 0.0]


def test_retain_graph_allows_a_second_backward():
    x = np.array([2.0])
    x.attach_grad(grad_req="add")
    with autograd.record():
        y = x * x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 24.0  # 12 twice, accumulated


def test_grad_req_write_add_null():
    x = np.array([1.0, 2.0])
    x.attach_grad("write")
    for _ in range(3):
        with autograd.record():
            y = (x * 2).sum()
        y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 2.0]
    x.attach_grad("add")
    for _ in range(3):
        with autograd.record():
            y = (x * 2).sum()
        y.backward()
    assert x.grad.asnumpy().tolist() == [6.0, 6.0]
    x.attach_grad("null")
    assert x.grad.asnumpy().tolist() == [0.0, 0.0]  # before a backward: zeros, as MXNet
    with autograd.record():
        y = (x * 2).sum()
    # MXNet 1.9.1: every variable 'null' leaves nothing to differentiate.
    with pytest.raises(MXNetError, match="no inputs in computation graph that require gradients"):
        y.backward()
    w = np.array([3.0, 4.0])
    w.attach_grad()
    with autograd.record():
        y = (x * w).sum()
    y.backward()
    assert x.grad is None and w.grad.asnumpy().tolist() == [1.0, 2.0]  # MXNet: None after backward


def test_fan_out_accumulates():
    x = np.array([3.0])
    x.attach_grad()
    with autograd.record():
        y = x * x + x * 2 + x
    y.backward()
    assert x.grad.item() == 9.0


def test_several_heads():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        a = x * 2
        b = x * x
    autograd.backward([a, b], [np.ones((2,)), np.array([1.0, 1.0])])
    assert x.grad.asnumpy().tolist() == [4.0, 6.0]


def test_grad_returns_list_without_touching_dot_grad():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    (dx,) = autograd.grad(y, [x])
    assert dx.asnumpy().tolist() == [2.0, 4.0]
    assert x.grad.asnumpy().tolist() == [0.0, 0.0]


def test_backward_on_a_leaf_writes_ones():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    x.backward()
    assert x.grad.asnumpy().tolist() == [1.0, 1.0]


def test_custom_function_multiple_inputs_outputs():
    class MulAdd(autograd.Function):
        def forward(self, a, b):
            self.save_for_backward(a, b)
            return a * b, a + b

        def backward(self, d_prod, d_sum):
            a, b = self.saved_tensors
            return d_prod * b + d_sum, d_prod * a + d_sum

    a, b = np.array([2.0]), np.array([5.0])
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        p, s = MulAdd()(a, b)
        out = p * 3 + s
    out.backward()
    assert a.grad.item() == 16.0 and b.grad.item() == 7.0


def test_graph_is_freed_after_backward():
    import gc

    from mxnet import _core

    x = np.ones((256, 256))
    x.attach_grad()
    before = _core._live_bytes()
    for _ in range(20):
        with autograd.record():
            y = (x * x * 3).sum()
        y.backward()
        del y
    gc.collect()
    assert _core._live_bytes() - before < 256 * 256 * 4 * 2
