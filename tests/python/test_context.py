"""CPU contexts as MXNet 1.9.1 has them: cpu(i) labels arrays (data-parallel
code keeps one copy of a parameter per context), ``with mx.cpu(i):`` sets the
current context, an op's result lives on its first input's context, and
as_in_context / copyto move arrays between them (recorded)."""

import threading

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, nd, np, npx
from mxnet.base import NotSupportedError


def test_creation_takes_ctx_and_the_current_context():
    assert nd.ones(2).ctx == mx.cpu(0) and mx.context.current_context() == mx.cpu(0)
    assert nd.ones(2, ctx=mx.cpu(1)).ctx == mx.cpu(1)
    assert np.zeros(2, ctx=mx.cpu(3)).ctx == mx.cpu(3)
    assert np.array([1, 2], ctx="cpu(2)").context == mx.cpu(2)
    with mx.cpu(2):
        assert mx.context.current_context() == mx.cpu(2)
        assert nd.zeros(2).ctx == mx.cpu(2) and np.arange(3).device == mx.cpu(2)
        with mx.cpu(4):
            assert nd.array([1.0]).ctx == mx.cpu(4)
        assert np.ones(1).ctx == mx.cpu(2)
    assert np.ones(1).ctx == mx.cpu(0) and mx.context.current_context() == mx.cpu(0)


def test_an_op_result_lives_on_its_first_input_context():
    # MXNet 1.9.1: (a + b).ctx is a's, (b + a).ctx is b's, on any current context.
    a, b = nd.ones(2, ctx=mx.cpu(0)), nd.ones(2, ctx=mx.cpu(1))
    assert (a + b).ctx == mx.cpu(0) and (b + a).ctx == mx.cpu(1)
    assert nd.dot(b, a).ctx == mx.cpu(1)
    with mx.cpu(2):
        assert (a * 2).ctx == mx.cpu(0)
    x = np.ones((2, 3), ctx=mx.cpu(1))
    assert x.reshape(3, 2).ctx == mx.cpu(1) and x[0].ctx == mx.cpu(1) and x.sum().ctx == mx.cpu(1)
    assert npx.relu(x).ctx == mx.cpu(1) and np.concatenate([x, x]).ctx == mx.cpu(1)


def test_as_in_context_and_copyto_move_arrays():
    b = nd.array([1.0, 2.0], ctx=mx.cpu(1))
    assert b.as_in_context(mx.cpu(1)) is b
    moved = b.as_in_context(mx.cpu(0))
    assert moved.ctx == mx.cpu(0) and moved.asnumpy().tolist() == [1.0, 2.0]
    moved[:] = 5  # a copy: b keeps its values
    assert b.asnumpy().tolist() == [1.0, 2.0]
    copied = b.copyto(mx.cpu(1))
    assert copied is not b and copied.ctx == mx.cpu(1)
    x = np.ones(2)
    assert x.as_in_ctx(mx.cpu(3)).ctx == mx.cpu(3) and x.to_device(mx.cpu(0)) is x
    with pytest.raises(NotSupportedError, match="as_in_context: ctx=gpu\\(0\\)"):
        b.as_in_context(mx.gpu(0))


def test_gradients_flow_across_contexts_and_live_beside_their_array():
    b = nd.array([1.0, 2.0], ctx=mx.cpu(1))
    b.attach_grad()
    assert b.grad.ctx == mx.cpu(1)
    with autograd.record():
        y = (b.as_in_context(mx.cpu(0)) * 2).sum()
    y.backward()
    assert b.grad.ctx == mx.cpu(1)
    onp.testing.assert_array_equal(b.grad.asnumpy(), [2.0, 2.0])


def test_the_current_context_is_per_thread():
    seen = []
    with mx.cpu(5):
        worker = threading.Thread(target=lambda: seen.append(nd.ones(1).ctx))
        worker.start()
        worker.join()
        assert nd.ones(1).ctx == mx.cpu(5)
    assert seen == [mx.cpu(0)]


def test_gpu_contexts_hold_no_arrays():
    with pytest.raises(NotSupportedError, match="mxlite computes on the CPU only"):
        with mx.gpu(0):
            pass
    assert mx.context.current_context() == mx.cpu(0)
    with pytest.raises(NotSupportedError, match="zeros: ctx=gpu\\(1\\)"):
        np.zeros(2, ctx=mx.gpu(1))


def test_a_context_block_is_left_on_exceptions():
    with pytest.raises(ZeroDivisionError):
        with mx.cpu(7):
            raise ZeroDivisionError("inside the block")
    assert mx.context.current_context() == mx.cpu(0)


def test_random_draws_take_ctx_and_the_current_context():
    assert np.random.uniform(size=2, ctx=mx.cpu(1)).ctx == mx.cpu(1)
    assert nd.random.normal(shape=(2,), ctx=mx.cpu(2)).ctx == mx.cpu(2)
    assert np.random.gamma(2.0, size=3, ctx=mx.cpu(3)).ctx == mx.cpu(3)
    with mx.cpu(4):
        assert np.random.randint(5, size=2).ctx == mx.cpu(4)
    o = np.zeros(3, dtype="int64")
    assert np.random.randint(0, 5, size=3, out=o) is o and ((o.asnumpy() >= 0) & (o.asnumpy() < 5)).all()
