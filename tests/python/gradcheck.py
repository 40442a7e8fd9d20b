"""Finite-difference gradient checks in float64, shared by the op tests (the
public helpers of mxnet.test_utils)."""

from mxnet.test_utils import check_gradient, numeric_grad  # noqa: F401
