"""mxnet.numpy functions composed of registered ops (numpy/_composed.py) and
the new aliases and constants: NumPy's values, MXNet's dtypes, gradients."""

import numpy as onp
import pytest

from mxnet import np
from mxnet.test_utils import check_gradient

A = onp.array([1.0, 4.0, 9.0, 16.0])
M = onp.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize(
    "mx_call, onp_call",
    [
        (lambda: np.diff(np.array(A)), lambda: onp.diff(A)),
        (lambda: np.diff(np.array(M), n=2, axis=0), lambda: onp.diff(M, n=2, axis=0)),
        (lambda: np.ediff1d(np.array(A), to_end=[0.5]), lambda: onp.ediff1d(A, to_end=[0.5])),
        (lambda: np.append(np.array(A), np.array([1.0, 2.0])), lambda: onp.append(A, [1.0, 2.0])),
        (lambda: np.append(np.array(M), np.array(M), axis=1), lambda: onp.append(M, M, axis=1)),
        (
            lambda: np.average(np.array(A), weights=np.array([1.0, 0, 0, 1])),
            lambda: onp.average(A, weights=[1, 0, 0, 1]),
        ),
        (
            lambda: np.average(np.array(M), axis=1, weights=np.array([1.0, 2, 3, 4])),
            lambda: onp.average(M, axis=1, weights=[1, 2, 3, 4]),
        ),
        (lambda: np.divmod(np.array(A), 3)[0], lambda: onp.divmod(A, 3)[0]),
        (lambda: np.modf(np.array([1.5, -2.25]))[0], lambda: onp.modf([1.5, -2.25])[0]),
        (lambda: np.float_power(np.array(A), 2), lambda: onp.float_power(A, 2)),
        (lambda: np.logspace(0, 2, 3), lambda: onp.logspace(0, 2, 3)),
        (lambda: np.tril(np.array(M), -1), lambda: onp.tril(M, -1)),
        (lambda: np.triu(np.array(M), 1), lambda: onp.triu(M, 1)),
        (lambda: np.rot90(np.array(M)), lambda: onp.rot90(M)),
        (lambda: np.rot90(np.array(M), 2), lambda: onp.rot90(M, 2)),
        (lambda: np.rot90(np.array(M), -1), lambda: onp.rot90(M, -1)),
        (lambda: np.meshgrid(np.array([1.0, 2]), np.array([3.0, 4, 5]))[1], lambda: onp.meshgrid([1, 2], [3, 4, 5])[1]),
        (
            lambda: np.meshgrid(np.array([1.0, 2]), np.array([3.0, 4, 5]), indexing="ij")[0],
            lambda: onp.meshgrid([1, 2], [3, 4, 5], indexing="ij")[0],
        ),
        (lambda: np.diagflat(np.array([1.0, 2.0]), 1), lambda: onp.diagflat([1.0, 2.0], 1)),
        (lambda: np.indices((2, 3)), lambda: onp.indices((2, 3))),
        (lambda: np.hamming(5), lambda: onp.hamming(5)),
        (lambda: np.hanning(5), lambda: onp.hanning(5)),
        (lambda: np.blackman(5), lambda: onp.blackman(5)),
        (lambda: np.unique(np.array([3.0, 1, 3])), lambda: onp.unique([3.0, 1, 3])),
        (lambda: np.percentile(np.array(A), 50), lambda: onp.percentile(A, 50)),
        (lambda: np.quantile(np.array(M), 0.25, axis=1), lambda: onp.quantile(M, 0.25, axis=1)),
        (lambda: np.fabs(np.array([-1.0, 2.0])), lambda: onp.fabs([-1.0, 2.0])),
        (lambda: np.deg2rad(np.array([180.0])), lambda: onp.deg2rad([180.0])),
        (lambda: np.rad2deg(np.array([3.0])), lambda: onp.rad2deg([3.0])),
        (lambda: np.product(np.array(A)), lambda: onp.prod(A)),
        (lambda: np.nan_to_num(np.array([onp.nan, onp.inf, 1.0]), posinf=9.0), lambda: [0.0, 9.0, 1.0]),
    ],
)
def test_values_as_numpy(mx_call, onp_call):
    onp.testing.assert_allclose(mx_call().asnumpy(), onp_call(), rtol=1e-6, atol=1e-7)


def test_mxnet_dtypes_and_python_results():
    assert np.indices((2, 2)).dtype == onp.int32 and np.hamming(4).dtype == onp.float32
    assert np.percentile(np.array([1.0, 2.0]), 50).dtype == onp.float32
    assert np.unravel_index(5, (2, 3)) == (1, 2) and np.shape(np.ones((2, 3))) == (2, 3)
    assert [i.asnumpy().tolist() for i in np.diag_indices_from(np.ones((2, 2)))] == [[0, 1], [0, 1]]
    assert onp.isnan(np.NAN) and np.NaN is np.nan and np.NINF == -onp.inf and np.PINF == onp.inf
    assert str(np.NZERO) == "-0.0" and np.PZERO == 0.0 and np.bool is bool
    assert np.finfo(np.float32).eps == onp.finfo(onp.float32).eps


@pytest.mark.parametrize(
    "f",
    [
        lambda x: np.diff(x, n=2, axis=1),
        lambda x: np.average(x, axis=0, weights=np.array([1.0, 3.0])),
        lambda x: np.tril(x),
        lambda x: np.rot90(x),
        lambda x: np.append(x, x * 2, axis=0),
        lambda x: np.float_power(x * x + 1, 1.5),
    ],
)
def test_gradients_through_the_compositions(f):
    check_gradient(f, onp.array([[0.3, -1.2, 0.8], [1.5, 0.1, -0.6]]))
