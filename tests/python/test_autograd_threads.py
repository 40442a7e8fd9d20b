"""Recording state is per thread, and threads recording and running backward
at the same time get correct, independent gradients."""

import threading

import numpy as onp

from mxnet import autograd, np


def test_flags_and_scopes_are_per_thread():
    barrier = threading.Barrier(2)
    seen = {}

    def recorder():
        with autograd.record(train_mode=False):
            barrier.wait()  # both threads inside their scopes
            seen["recorder"] = (autograd.is_recording(), autograd.is_training())
            barrier.wait()

    def trainer():
        with autograd.train_mode():
            barrier.wait()
            seen["trainer"] = (autograd.is_recording(), autograd.is_training())
            barrier.wait()

    threads = [threading.Thread(target=recorder), threading.Thread(target=trainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"recorder": (True, False), "trainer": (False, True)}
    assert (autograd.is_recording(), autograd.is_training()) == (False, False)


def test_ops_of_a_non_recording_thread_are_not_recorded():
    x = np.array([1.0])
    x.attach_grad()
    result = {}

    def other():
        result["y"] = x * 2  # this thread is not recording

    with autograd.record():
        t = threading.Thread(target=other)
        t.start()
        t.join()
    try:
        result["y"].backward()
        result["error"] = None
    except Exception as e:  # noqa: BLE001
        result["error"] = str(e)
    assert "not in a computational graph" in result["error"]


def _worker(seed, n_iter, results, barrier):
    rng = onp.random.default_rng(seed)
    w0 = rng.standard_normal((16, 16))
    x0 = rng.standard_normal((16, 4))
    w = np.array(w0, dtype="float64")
    x = np.array(x0, dtype="float64")
    w.attach_grad(grad_req="add")
    barrier.wait()
    for _ in range(n_iter):
        with autograd.record():
            h = np.tanh(np.dot(w, x))
            loss = (h * h).sum()
            (dw,) = autograd.grad(loss, [w], create_graph=True, retain_graph=True)
        loss.backward()
    t = onp.tanh(w0 @ x0)
    expected = n_iter * ((2 * t * (1 - t * t)) @ x0.T)
    results[seed] = (w.grad.asnumpy(), expected, dw.asnumpy(), (2 * t * (1 - t * t)) @ x0.T)


def test_concurrent_record_and_backward_give_independent_results():
    n_threads, n_iter = 4, 200
    serial = {}
    for seed in range(n_threads):
        _worker(seed, n_iter, serial, threading.Barrier(1))
    barrier = threading.Barrier(n_threads)
    results = {}
    errors = []

    def run(seed):
        try:
            _worker(seed, n_iter, results, barrier)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(s,)) for s in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(n_threads))
    for seed, (got, expected, dw, dw_expected) in results.items():
        onp.testing.assert_allclose(got, expected, rtol=1e-9)
        onp.testing.assert_allclose(dw, dw_expected, rtol=1e-9, atol=1e-15)
        # bitwise the same as the same work done on one thread
        assert onp.array_equal(got, serial[seed][0]) and onp.array_equal(dw, serial[seed][2])


def test_concurrent_backward_into_a_shared_leaf_accumulates_every_pass():
    x = np.array([1.0, 2.0], dtype="float64")
    x.attach_grad(grad_req="add")
    n_threads, n_iter = 4, 250
    barrier = threading.Barrier(n_threads)
    errors = []

    def run():
        try:
            barrier.wait()
            for _ in range(n_iter):
                with autograd.record():
                    y = (x * x).sum()
                y.backward()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert x.grad.asnumpy().tolist() == [2.0 * n_threads * n_iter, 4.0 * n_threads * n_iter]


def _branchy_gradients(seed):
    """Many independent mid-sized branches (the backward runs them as one
    wave, in parallel when the pool has several threads) feeding shared
    leaves, with fan-in sums whose order matters for rounding."""
    rng = onp.random.default_rng(seed)
    x = np.array(rng.standard_normal((96, 96)), dtype="float32")
    w = np.array(rng.standard_normal((96, 96)), dtype="float32")
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        branches = [
            np.sin(x * w),
            np.cos(x + w),
            np.exp(x * 0.1) * w,
            np.tanh(x - w),
            x * x * w,
            np.sin(w) * np.cos(x),
            np.log(x * x + 1) * w,
        ]
        total = branches[0]
        for b in branches[1:]:
            total = total + b
        y = (total * total).sum()
    y.backward()
    return x.grad.asnumpy(), w.grad.asnumpy()


def test_parallel_backward_is_bitwise_identical_to_one_thread():
    from mxnet import _core

    original = _core.num_threads()
    try:
        _core.set_num_threads(1)
        waves = _core.autograd._parallel_waves_run()
        single = [_branchy_gradients(s) for s in range(3)]
        assert _core.autograd._parallel_waves_run() == waves  # one thread: never
        _core.set_num_threads(4)
        for _ in range(3):
            multi = [_branchy_gradients(s) for s in range(3)]
            for (sx, sw), (mx, mw) in zip(single, multi):
                assert onp.array_equal(sx, mx) and onp.array_equal(sw, mw)
        assert _core.autograd._parallel_waves_run() > waves  # the parallel path did run
    finally:
        _core.set_num_threads(original)
