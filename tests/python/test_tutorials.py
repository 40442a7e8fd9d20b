"""The four MXNet autograd tutorials in ../shared/seeds run verbatim and print
what Apache MXNet 1.9.1 prints (outputs recorded from MXNet 1.9.1 with
NumPy 1.23.5). Where MXNet 1.9.1 itself fails on a tutorial, the test says so
and checks the behaviour MXNet documents instead."""

import numpy as onp
import pytest

from conftest import assert_library_usable, seed_file
from tutorial_runner import code_blocks, run_tutorial

X_REPR = "array([[1., 2.],\n       [3., 4.]])"
GRAD_REPR = "array([[ 4.,  8.],\n       [12., 16.]])"


def run(seeds_dir, prefix):
    result = run_tutorial(seed_file(seeds_dir, prefix))
    for i, block in enumerate(result.blocks):
        assert block.error is None, f"block {i} raised {block.error!r}:\n{block.code}"
    return result


def test_block_extraction_finds_every_cell(seeds_dir):
    counts = {p: len(code_blocks(seed_file(seeds_dir, p))) for p in ("000", "001", "002", "003")}
    assert counts == {"000": 9, "001": 20, "002": 9, "003": 10}


def test_seed_000_basic_autograd(seeds_dir):
    r = run(seeds_dir, "000")
    assert r.blocks[1].display == X_REPR
    assert r.blocks[5].display == GRAD_REPR  # dy/dx = 4x
    ns = r.namespace
    # Control flow: c = b[0], so a.grad is [c/a[0], 0].
    a, c = ns["a"].asnumpy(), ns["c"].item()
    onp.testing.assert_allclose(ns["a"].grad.asnumpy(), [c / a[0], 0.0], rtol=1e-6)
    assert r.blocks[8].display == "array([ True, False])"


def test_seed_001_backward_retain_graph_and_functions(seeds_dir):
    r = run(seeds_dir, "001")
    b = r.blocks
    assert b[1].display == X_REPR
    assert b[5].display == GRAD_REPR
    assert b[6].display == GRAD_REPR  # y.sum().backward() gives the same gradient
    assert b[7].stdout == (
        "[[ 4.  8.]\n [12. 16.]]\n"
        "Since you have retained your previous graph you can run backward again\n"
        "[[ 4.  8.]\n [12. 16.]]\n"
        "However, you can't do backward twice unless you retain the graph.\n"
    )
    assert b[9].stdout == "True\nTrue\n"
    # The custom Function's backward returns the global x and y. MXNet 1.9.1
    # fails here (assigning np arrays into its legacy gradient buffers recurses
    # until RecursionError, reported later); its documentation says the values
    # backward returns become the inputs' gradients, and that is what happens.
    # MXNet 1.9.1 without the failure (a fresh process) prints exactly this:
    assert b[11].stdout == "True\n[[1. 1. 1.]\n [1. 1. 1.]]\n[[4. 4. 4.]\n [4. 4. 4.]]\n"
    assert b[13].stdout == "[[2. 2. 2.]\n [2. 2. 2.]]\n"
    assert b[14].stdout == "[[4. 4. 4.]\n [4. 4. 4.]]\n"
    assert b[17].display == "array([ True, False])"
    # attach_grad inside record() cuts the graph: x.grad is 2, not 14.
    assert b[18].stdout == "[[2. 2. 2.]\n [2. 2. 2.]]\n[[4. 4. 4.]\n [4. 4. 4.]]\n"
    assert b[19].stdout == "[[14. 14. 14.]\n [14. 14. 14.]]\nNone\n"


def test_seed_001_custom_function_gradients_are_what_backward_returns(seeds_dir):
    blocks = code_blocks(seed_file(seeds_dir, "001"))
    ns = {"__name__": "__main__"}
    for code in blocks[:10]:  # up to and including the custom-op block
        exec(code, ns)
    x, y = ns["x"], ns["y"]
    onp.testing.assert_array_equal(x.grad.asnumpy(), x.asnumpy())
    onp.testing.assert_array_equal(y.grad.asnumpy(), y.asnumpy())


def test_seed_002_legacy_ndarray_notebook(seeds_dir):
    r = run(seeds_dir, "002")
    printed = "\n[[4.  8. ]\n [1.2 1.6]]\n<NDArray 2x2 @cpu(0)>"
    assert r.blocks[5].stdout == printed + "\n"  # head gradients [[1,1],[.1,.1]] scale 4x
    assert r.blocks[8].display == printed  # x.grad unchanged by the later backward
    ns = r.namespace
    # c = k * a for a k chosen by the loop; the head gradient scales each entry.
    a, c = ns["a"].asnumpy(), ns["c"].asnumpy()
    expected = onp.array([0.1, 1.0, 0.0001], dtype=onp.float32) * (c / a)
    onp.testing.assert_allclose(ns["a"].grad.asnumpy(), expected, rtol=1e-5)


def test_seed_003_legacy_dot_and_training_mode(seeds_dir):
    r = run(seeds_dir, "003")
    assert r.blocks[1].display == "\n[[0.]\n [1.]\n [2.]\n [3.]]\n<NDArray 4x1 @cpu(0)>"
    assert r.blocks[5].display == "\n[[ 0.]\n [ 4.]\n [ 8.]\n [12.]]\n<NDArray 4x1 @cpu(0)>"
    assert r.blocks[6].stdout == "False\nTrue\n"
    assert r.blocks[9].display == "\n[1.]\n<NDArray 1 @cpu(0)>"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_library_usable_after_each_tutorial(seeds_dir, prefix):
    run(seeds_dir, prefix)
    assert_library_usable()
