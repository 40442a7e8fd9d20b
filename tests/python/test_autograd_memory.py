"""What a graph saves is freed by backward (without retain_graph) or when the
graph is dropped; long record/backward loops keep memory flat; no reference
cycle keeps a graph or a Function alive (checked with the collector off)."""

import gc
import os
import weakref

import pytest

from mxnet import _core, autograd, np


@pytest.fixture
def no_gc():
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    yield
    if was:
        gc.enable()


def _rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Scale(autograd.Function):
    def forward(self, x, w):
        self.save_for_backward(x, w)
        return x * w

    def backward(self, dy):
        x, w = self.saved_tensors
        return dy * w, dy * x


def test_saved_arrays_are_freed_by_backward_while_the_head_lives(no_gc):
    x = np.ones((512, 512))
    x.attach_grad()
    before = _core._live_bytes()
    with autograd.record():
        y = (np.sin(x) * np.exp(x)).sum()  # multiply saves sin(x) and exp(x)
    assert _core._live_bytes() - before >= 2 * x.size * 4
    y.backward()
    assert _core._live_bytes() - before <= 64  # only y itself
    del y
    assert _core._live_bytes() <= before


def test_retained_graph_is_freed_when_dropped(no_gc):
    x = np.ones((256, 256))
    x.attach_grad()
    before = _core._live_bytes()
    with autograd.record():
        y = (np.sin(x) * np.exp(x)).sum()
    y.backward(retain_graph=True)
    assert _core._live_bytes() - before >= 2 * x.size * 4
    del y
    assert _core._live_bytes() <= before


def test_function_and_its_saved_tensors_die_with_the_graph(no_gc):
    x, w = np.ones((64, 64)), np.ones((64, 64))
    x.attach_grad()
    before = _core._live_bytes()
    with autograd.record():
        f = Scale()
        y = f(x * 2, w)
    ref = weakref.ref(f)
    del f
    assert ref() is not None  # the graph holds it
    y.backward()
    assert ref() is None  # freed by backward, no collector needed
    del y
    assert _core._live_bytes() <= before

    with autograd.record():
        f = Scale()
        y = f(x * 2, w)
    ref = weakref.ref(f)
    del f, y  # dropped without backward
    assert ref() is None
    assert _core._live_bytes() <= before


def test_create_graph_results_release_the_graph(no_gc):
    x = np.ones((128, 128))
    x.attach_grad()
    before = _core._live_bytes()
    with autograd.record():
        y = (np.sin(x) * x).sum()
        (dx,) = autograd.grad(y, [x], create_graph=True)
        z = (dx * dx).sum()
    z.backward()
    del y, dx, z
    assert _core._live_bytes() - before <= 0


def test_100k_record_backward_iterations_keep_memory_flat(no_gc):
    x = np.array([1.0, 2.0, 3.0])
    w = np.array([0.5, 0.5, 0.5])
    x.attach_grad()
    w.attach_grad(grad_req="add")

    def iterate(n):
        for i in range(n):
            with autograd.record():
                if i % 10 == 0:
                    y = Scale()(x, w).sum()
                else:
                    y = (np.tanh(x * w) + x).sum()
            y.backward()

    iterate(2000)  # warm up allocator caches and lazily built tables
    rss0, live0 = _rss(), _core._live_bytes()
    iterate(100_000)
    assert _core._live_bytes() == live0
    # A leak of even one small node per iteration would be several MB.
    assert _rss() - rss0 < 1 << 20


def test_grad_create_graph_loop_keeps_memory_flat(no_gc):
    x = np.array([0.1, 0.2])
    x.attach_grad()

    def iterate(n):
        for _ in range(n):
            with autograd.record():
                y = np.sin(x) * x
                (dx,) = autograd.grad(y, [x], create_graph=True)
                z = (dx * x).sum()
            z.backward()

    iterate(500)
    rss0, live0 = _rss(), _core._live_bytes()
    iterate(5000)
    assert _core._live_bytes() == live0
    assert _rss() - rss0 < 1 << 20
