"""Arrays pickle by value (and so ``copy.copy``/``copy.deepcopy`` work, which matplotlib
relies on): checked against MXNet 1.9.1, where the copy keeps face, dtype and shape, owns
its data and carries no gradient."""

import copy
import pickle

import numpy as onp
import pytest

from mxnet import nd, np


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.array([1, 2], dtype="int32"),
        lambda: np.array(onp.array([True, False])),
        lambda: np.ones((2, 3), dtype="float64"),
        lambda: np.arange(6).reshape(2, 3)[1],
        lambda: np.array(3.5),  # MXNet 1.9.1 loses a 0-d shape here; we keep it
    ],
)
def test_np_pickle_round_trip_keeps_dtype_shape_and_values(make):
    a = make()
    b = pickle.loads(pickle.dumps(a))
    assert type(b) is np.ndarray
    assert b.dtype == a.dtype and b.shape == a.shape
    assert (b.asnumpy() == a.asnumpy()).all()


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy])
def test_copies_are_independent_and_have_no_gradient(copier):
    a = np.array([1.0, 2.0])
    a.attach_grad()
    b = copier(a)
    assert b.grad is None
    b[0] = 5
    assert a.asnumpy().tolist() == [1.0, 2.0] and b.asnumpy().tolist() == [5.0, 2.0]

    x = nd.array([1, 2], dtype="int64")
    y = copier(x)
    y[0] = 7
    assert type(y) is nd.NDArray and y.dtype == onp.int64
    assert x.asnumpy().tolist() == [1, 2] and y.asnumpy().tolist() == [7, 2]


def test_nd_pickle_round_trip():
    x = nd.array([[1.5, 2.5]])
    y = pickle.loads(pickle.dumps(x, protocol=2))
    assert type(y) is nd.NDArray and y.shape == (1, 2) and y.dtype == onp.float32
    assert y.asnumpy().tolist() == [[1.5, 2.5]]
