"""mxnet.test_utils' comparison and data helpers, as MXNet 1.9.1 defines them."""

import os

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd, np
from mxnet import test_utils as tu


def test_tolerances_per_dtype():
    assert tu.get_rtol() == 1e-5 and tu.get_atol() == 1e-20 and tu.get_atol(0.5) == 0.5
    assert tu.get_rtol(None, onp.dtype("float32")) == 1e-4 and tu.default_atols()[onp.dtype("int32")] == 0
    assert tu.get_tolerance(onp.ones(2, "float32"), None, tu.default_rtols()) == 1e-4
    assert tu.get_tolerance(onp.ones(2), {onp.dtype("float64"): 3.0}, tu.default_rtols()) == 3.0
    assert tu.effective_dtype(np.ones(2)) == onp.float32


def test_comparisons():
    a = np.array([1.0, 2.0])
    assert tu.almost_equal(a, onp.array([1.0, 2.0 + 1e-6])) and not tu.almost_equal(a, onp.array([1.0, 2.1]))
    tu.assert_almost_equal(a, a.asnumpy())
    with pytest.raises(AssertionError, match="largest difference"):
        tu.assert_almost_equal(a, onp.array([1.0, 3.0]))
    with pytest.raises(AssertionError, match="shapes differ"):
        tu.assert_almost_equal(a, onp.ones((1, 2)), use_broadcast=False)
    tu.assert_almost_equal_ignore_nan(onp.array([onp.nan, 1.0]), onp.array([5.0, 1.0]))
    tu.assert_allclose(a, a)
    tu.assert_exception(lambda: 1 / 0, ZeroDivisionError)
    with pytest.raises(AssertionError):
        tu.assert_exception(lambda: 1, ZeroDivisionError)
    assert tu.same(a, a.asnumpy()) and not tu.same(a, onp.array([1.0]))
    x = nd.ones((2,))
    assert tu.same_array(x, x) and not tu.same_array(x, x.copy()) and x.asnumpy().tolist() == [1.0, 1.0]


def test_data_helpers():
    assert tu.collapse_sum_like(onp.ones((2, 3, 4)), (3, 1)).tolist() == [[8.0]] * 3
    assert tu.np_reduce(onp.ones((2, 3)), 1, True, onp.sum).shape == (2, 1)
    assert tu.default_context() == mx.cpu() and tu.default_dtype() is onp.float32 and list(tu.list_gpus()) == []
    tu.set_default_context(mx.cpu())
    with pytest.raises(NotImplementedError):
        tu.set_default_context(mx.gpu(0))
    assert len(tu.rand_shape_2d()) == 2 and len(tu.rand_shape_3d()) == 3 and len(tu.rand_shape_nd(4)) == 4
    assert all(1 <= d <= 10 for d in tu.rand_shape_nd(5))
    a = tu.random_arrays((2, 3))
    assert isinstance(a, onp.ndarray) and a.dtype == onp.float32 and len(tu.random_arrays((2,), (3,))) == 2
    u = tu.random_uniform_arrays((100,), low=2, high=3)
    assert u.min() >= 2 and u.max() < 3
    r = tu.rand_ndarray((2, 3))
    assert isinstance(r, nd.NDArray) and r.shape == (2, 3)
    with pytest.raises(NotImplementedError, match="sparse"):
        tu.rand_ndarray((2, 3), stype="csr")


def test_retry_and_environment():
    calls = []

    @tu.retry(3)
    def flaky():
        calls.append(1)
        assert len(calls) == 2

    flaky()
    assert len(calls) == 2
    with tu.environment("MXLITE_TEST_VAR", "1"):
        assert os.environ["MXLITE_TEST_VAR"] == "1"
    assert "MXLITE_TEST_VAR" not in os.environ
    with tu.environment({"MXLITE_TEST_VAR": "2"}):
        assert os.environ["MXLITE_TEST_VAR"] == "2"
    assert tu.use_np(lambda: mx.is_np_array())()
