"""mxnet.autograd's API against MXNet 1.9.1: scopes nested in any order, the
flag setters, backward/grad with several heads, grad_req, mark_variables,
detach, stop_gradient/BlockGrad, attach_grad inside record, error cases."""

import itertools

import numpy as onp
import pytest

from mxnet import MXNetError, autograd, nd, np, npx

SCOPES = {
    "record": (autograd.record, True, True),
    "record_predict": (lambda: autograd.record(train_mode=False), True, False),
    "pause": (autograd.pause, False, False),
    "pause_train": (lambda: autograd.pause(train_mode=True), False, True),
    "train_mode": (autograd.train_mode, None, True),
    "predict_mode": (autograd.predict_mode, None, False),
}


@pytest.mark.parametrize("names", list(itertools.permutations(SCOPES, 3)))
def test_scopes_nest_in_any_order_and_restore(names):
    state = (autograd.is_recording(), autograd.is_training())
    assert state == (False, False)
    stack = [state]
    with SCOPES[names[0]][0]():
        stack.append(_expect(SCOPES[names[0]], stack[-1]))
        with SCOPES[names[1]][0]():
            stack.append(_expect(SCOPES[names[1]], stack[-1]))
            with SCOPES[names[2]][0]():
                _expect(SCOPES[names[2]], stack[-1])
            assert (autograd.is_recording(), autograd.is_training()) == stack[-1]
        assert (autograd.is_recording(), autograd.is_training()) == stack[-2]
    assert (autograd.is_recording(), autograd.is_training()) == (False, False)


def _expect(scope, outer):
    _, rec, train = scope
    expected = (outer[0] if rec is None else rec, train)
    assert (autograd.is_recording(), autograd.is_training()) == expected
    return expected


def test_scope_restores_after_an_exception():
    with pytest.raises(ValueError):
        with autograd.record():
            raise ValueError
    assert not autograd.is_recording() and not autograd.is_training()


def test_setters_return_the_previous_state():
    assert autograd.set_recording(True) is False
    assert autograd.set_recording(True) is True
    assert autograd.set_recording(False) is True
    assert autograd.set_training(True) is False
    assert autograd.set_training(False) is True
    assert autograd.set_training(False) is False


def test_backward_several_heads_default_and_given_head_grads():
    x = np.array([3.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
        z = y * x
    autograd.backward([y, z])  # 2x + 3x^2 = 33 (MXNet: [33.])
    assert x.grad.item() == 33.0
    with autograd.record():
        y = x * x
        z = y * x
    autograd.backward([y, z], [np.array([2.0]), None])
    assert x.grad.item() == 2 * 6.0 + 27.0


def test_backward_head_grad_count_mismatch():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match="2 heads but 1 head gradients"):
        autograd.backward([y, y * 1], [np.ones(1)])


def test_backward_head_grad_shape_mismatch_names_shapes():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match=r"shape \(3,\).*\(2,\)"):
        y.backward(np.ones(3))


def test_ndarray_backward_arguments():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    seen = {}

    class Probe(autograd.Function):
        def forward(self, a):
            return a * 1

        def backward(self, dy):
            seen["training"] = autograd.is_training()
            seen["recording"] = autograd.is_recording()
            return dy

    with autograd.record():
        y = Probe()(x) * x
    y.backward(np.array([1.0, 3.0]), retain_graph=True, train_mode=False)
    assert seen == {"training": False, "recording": False}
    assert x.grad.asnumpy().tolist() == [2.0, 12.0]
    y.backward(train_mode=True)  # graph retained
    assert seen["training"] is True
    with pytest.raises(MXNetError, match="retain_graph=True"):
        y.backward()
    assert not autograd.is_training() and not autograd.is_recording()


def test_backward_twice_without_retain_graph_says_what_to_do():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = np.sin(x) * 2
    y.backward()
    with pytest.raises(MXNetError, match="retain_graph=True"):
        y.backward()


def test_backward_of_an_unrecorded_array():
    with pytest.raises(MXNetError, match="not in a computational graph"):
        np.ones(2).backward()


def test_grad_does_not_touch_dot_grad_and_returns_a_list():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    x.grad[:] = 7
    with autograd.record():
        y = x * x * x
    grads = autograd.grad(y, [x])
    assert isinstance(grads, list) and len(grads) == 1
    assert grads[0].asnumpy().tolist() == [3.0, 12.0]
    assert x.grad.asnumpy().tolist() == [7.0, 7.0]
    assert not x._fresh_grad


def test_grad_several_heads_and_variables_with_head_grads():
    a, b = np.array([2.0]), np.array([5.0])
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        p = a * b
        s = a + b
    da, db = autograd.grad([p, s], [a, b], [np.array([3.0]), np.array([1.0])])
    assert (da.item(), db.item()) == (16.0, 7.0)


def test_grad_retain_graph_defaults_to_create_graph():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = np.exp(x)
    autograd.grad(y, [x])
    with pytest.raises(MXNetError, match="retain_graph"):
        autograd.grad(y, [x])
    with autograd.record():
        y = np.exp(x)
    autograd.grad(y, [x], create_graph=True)
    autograd.grad(y, [x])  # still there


def test_grad_of_a_variable_not_in_the_graph():
    x, w = np.array([1.0]), np.array([2.0])
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        y = x * 3
    # MXNet: "Cannot differentiate with respect to the 2-th variable because
    # it is unreachable from the outputs."
    with pytest.raises(MXNetError, match="2-th variable because it is unreachable"):
        autograd.grad(y, [x, w])


def test_grad_of_an_unmarked_variable():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * 3
    with pytest.raises(MXNetError, match="1-th variable because it does not require gradient"):
        autograd.grad(y, [np.array([1.0])])


@pytest.mark.parametrize("req,expected", [("write", [2.0, 2.0]), ("add", [6.0, 6.0]), ("null", None)])
def test_attach_grad_reqs_over_repeated_backward(req, expected):
    x = np.array([1.0, 2.0])
    x.attach_grad(grad_req=req)
    w = np.array([2.0, 2.0])
    w.attach_grad()  # a graph with one 'null' variable still has something to differentiate
    for _ in range(3):
        with autograd.record():
            y = x * w
        y.backward()
    assert (x.grad is None) if expected is None else x.grad.asnumpy().tolist() == expected
    assert x._fresh_grad is (req != "null")


def test_grad_with_respect_to_a_null_variable_raises():
    x = np.array([1.0])
    x.attach_grad("null")
    w = np.array([2.0])
    w.attach_grad()
    with autograd.record():
        y = x * w
    with pytest.raises(MXNetError, match="grad_req is 'null'"):
        autograd.grad(y, [x])


def test_attach_grad_rejects_unknown_req():
    with pytest.raises(MXNetError, match="grad_req"):
        np.ones(2).attach_grad("sometimes")


def test_mark_variables_single_and_list():
    x = np.array([1.0, 2.0])
    gx = np.zeros(2)
    autograd.mark_variables(x, gx)
    with autograd.record():
        y = x * x
    y.backward()
    assert gx.asnumpy().tolist() == [2.0, 4.0]
    assert x.grad.asnumpy().tolist() == [2.0, 4.0]

    a, b = np.array([1.0]), np.array([2.0])
    ga, gb = np.zeros(1), np.ones(1)
    autograd.mark_variables([a, b], [ga, gb], ["write", "add"])
    with autograd.record():
        y = a * b
    y.backward()
    assert (ga.item(), gb.item()) == (2.0, 2.0)  # MXNet: [2.] [2.]


def test_mark_variables_count_and_shape_errors():
    with pytest.raises(MXNetError, match="2 variables but 1 gradient"):
        autograd.mark_variables([np.ones(1), np.ones(1)], [np.zeros(1)])
    with pytest.raises(MXNetError, match=r"shape \(3,\)"):
        autograd.mark_variables(np.ones(2), np.zeros(3))


def test_detach_cuts_the_graph():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x.detach() * x
    y.backward()
    assert x.grad.asnumpy().tolist() == [1.0, 2.0]  # MXNet: [1. 2.]


def test_stop_gradient_and_blockgrad():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        s = npx.stop_gradient(x * 2)
        y = s * x
    y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 4.0]  # MXNet BlockGrad: [2. 4.]
    assert y.asnumpy().tolist() == [2.0, 8.0]
    assert type(s) is type(x)

    xn = nd.array([1.0, 2.0])
    xn.attach_grad()
    with autograd.record():
        y = nd.BlockGrad(xn * 2) * xn + nd.stop_gradient(xn)
    y.backward()
    assert isinstance(y, nd.NDArray)
    assert xn.grad.asnumpy().tolist() == [2.0, 4.0]


def test_stop_gradient_alone_gives_a_zero_gradient():
    # MXNet 1.9.1's BlockGrad is recorded: backward through it gives zeros.
    x = np.array([1.0])
    x.attach_grad()
    x.grad[:] = 5
    with autograd.record():
        y = npx.stop_gradient(x)
    y.backward()
    assert x.grad.asnumpy().tolist() == [0.0]


def test_stop_gradient_is_a_copy():
    x = np.array([1.0, 2.0])
    s = npx.stop_gradient(x)
    x[:] = 5
    assert s.asnumpy().tolist() == [1.0, 2.0]


def test_attach_grad_inside_record_cuts_the_graph():
    # Seed 001 / MXNet 1.9.1: x.grad is zeros, y.grad is 2y.
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
        y.attach_grad()
        z = (y * y).sum()
    z.backward()
    assert x.grad.asnumpy().tolist() == [0.0, 0.0]
    assert y.grad.asnumpy().tolist() == [4.0, 8.0]


def test_variables_absent_from_the_graph_keep_their_grad():
    # MXNet #8673: a marked variable the heads don't reach is left alone.
    x, w = np.array([1.0]), np.array([1.0])
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        y = x * w
    y.backward()
    with autograd.record():
        y = x * 5
    y.backward()
    assert (x.grad.item(), w.grad.item()) == (5.0, 1.0)


def test_unrecorded_ops_are_not_in_the_graph():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        c = np.ones(1) * 3  # no input requires grad
        y = x * c
    with pytest.raises(MXNetError, match="has no recorded history"):
        autograd.get_symbol(c)
    y.backward()
    assert x.grad.item() == 3.0


def test_values_match_mxnet_reference_for_a_small_network():
    rng = onp.random.default_rng(0)
    w0, x0 = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    w, x = np.array(w0, dtype="float64"), np.array(x0, dtype="float64")
    w.attach_grad()
    with autograd.record():
        y = np.tanh(np.dot(w, x)).sum()
    y.backward()
    t = onp.tanh(w0 @ x0)
    onp.testing.assert_allclose(w.grad.asnumpy(), (1 - t * t) @ x0.T, rtol=1e-12)


def test_in_place_change_of_a_saved_input_is_caught_by_name():
    x = np.array([0.5, 1.0])
    x.attach_grad()
    with autograd.record():
        h = x * 3
        y = np.sin(h)  # sin saves h
    h[:] = 0  # outside record: allowed, but sin's gradient needs the old h
    with pytest.raises(
        MXNetError,
        match=r"sin: the input 0 of shape \(2,\) that the gradient of 'sin' needs was "
        r"modified in place",
    ):
        y.backward()


def test_in_place_change_of_a_saved_output_is_caught_by_name():
    x = np.array([0.5, 1.0])
    x.attach_grad()
    with autograd.record():
        y = np.exp(x)  # exp saves its output
    y += 1
    with pytest.raises(MXNetError, match=r"exp: the output 0 .* was modified in place"):
        y.backward()


def test_in_place_change_of_an_unsaved_array_is_harmless():
    x = np.array([0.5, 1.0])
    x.attach_grad()
    with autograd.record():
        h = x + 1  # add saves nothing
        y = h * 2  # multiply_scalar saves nothing
    h[:] = 7
    y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 2.0]


def test_error_names_the_failing_head_and_the_api():
    x = np.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
    with pytest.raises(MXNetError, match=r"^backward: .*head 1 of shape \(3,\) was not computed inside"):
        autograd.backward([y, np.ones(3)])
    with pytest.raises(MXNetError, match=r"^grad: got 1 heads but 2 head gradients"):
        autograd.grad([y], [x], [None, None])


def test_grad_accepts_a_single_variable_and_legacy_arrays():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
    grads = autograd.grad(y, x, np.array([1.0, 1.0]))
    assert isinstance(grads, list) and grads[0].asnumpy().tolist() == [2.0, 4.0]
    xn = nd.array([1.0, 2.0])
    xn.attach_grad()
    with autograd.record():
        yn = xn * xn
    (dxn,) = autograd.grad(yn, [xn])
    assert isinstance(dxn, nd.NDArray) and dxn.asnumpy().tolist() == [2.0, 4.0]


def test_grad_hook_fires_when_a_leaf_gradient_is_final():
    from mxnet._core import autograd as _ag

    w1, w2 = np.ones((3,)), np.ones((3,)) * 2
    w1.attach_grad()
    w2.attach_grad()
    seen = []
    _ag._set_grad_hook(w1, lambda: seen.append(("w1", w1.grad.asnumpy().tolist(), w2.grad.asnumpy().tolist())))
    _ag._set_grad_hook(w2, lambda: seen.append(("w2", w2.grad.asnumpy().tolist())))
    x = np.array([1.0, 2.0, 3.0])
    with autograd.record():
        h = w1 * x  # w1 is used first, so its gradient is final last
        y = (h * w2).sum()
    y.backward()
    assert seen == [("w2", [1, 2, 3]), ("w1", [2, 4, 6], [1, 2, 3])]
    _ag._set_grad_hook(w2, None)
    with autograd.record():
        y = (w1 * w2).sum()
    autograd.grad(y, [w1])  # no gradient buffer is written: no hook
    assert len(seen) == 2
    y = None
    with autograd.record():
        y = (w1 * w2).sum()
    y.backward()
    assert [s[0] for s in seen] == ["w2", "w1", "w1"]

    def fail():
        raise ValueError("hook says no")

    _ag._set_grad_hook(w1, fail)
    with autograd.record():
        y = (w1 * 3).sum()
    with pytest.raises(MXNetError, match="a gradient hook raised: ValueError: hook says no"):
        y.backward()
    with pytest.raises(MXNetError, match="not marked for gradients"):
        _ag._set_grad_hook(np.ones((2,)), lambda: None)
