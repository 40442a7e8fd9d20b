"""mxnet.numpy's NumPy fallbacks (the functions MXNet 1.9.1 serves through
official NumPy): NumPy's values, array results as mxnet arrays."""

import numpy as onp
import pytest

from mxnet import autograd, np
from mxnet.numpy import fallback

A = onp.array([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]])
V = onp.array([3.0, 1.0, 2.0, 1.0])


@pytest.mark.parametrize("name", fallback.FALLBACK)
def test_every_fallback_is_public_and_documented(name):
    fn = getattr(np, name)
    assert fn.__module__ == "mxnet.numpy" and "fallback to official NumPy" in fn.__doc__


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("argwhere", (A > 1,), {}),
        ("searchsorted", (onp.sort(V), 2.5), {}),
        ("isclose", (A, A + 1e-9), {}),
        ("nanmax", (A,), {"axis": 0}),
        ("nancumsum", (A,), {"axis": 1}),
        ("cov", (A,), {}),
        ("corrcoef", (A,), {}),
        ("digitize", (V, onp.array([0.0, 1.5, 2.5])), {}),
        ("interp", (V, onp.array([0.0, 5.0]), onp.array([0.0, 10.0])), {}),
        ("take_along_axis", (A, onp.argsort(A, axis=1)), {"axis": 1}),
        ("union1d", (V, onp.array([7.0])), {}),
        ("polyadd", (onp.array([1.0, 2.0]), onp.array([3.0])), {}),
        ("ptp", (A,), {"axis": 1}),
        ("partition", (V, 2), {}),
        ("count_nonzero", (A > 1,), {}),
        ("tril_indices_from", (onp.ones((3, 3)),), {}),
        ("alltrue", (V > 0,), {}),
        ("trapz", (V,), {}),
        ("in1d", (A, V), {}),
        ("msort", (A,), {}),
    ],
)
def test_values_are_numpys(name, args, kwargs):
    if not hasattr(np, name):
        pytest.skip(f"{name} is not a fallback")
    mx_args = [np.array(a, dtype=a.dtype) if isinstance(a, onp.ndarray) else a for a in args]
    got = getattr(np, name)(*mx_args, **kwargs)
    reference = {
        "alltrue": onp.all,
        "trapz": getattr(onp, "trapezoid", None),
        "msort": lambda a: onp.sort(a, 0),
        "in1d": lambda a, b: onp.isin(a.ravel(), b),
    }.get(name) or getattr(onp, name)
    want = reference(*args, **kwargs)
    outs, wants = (got, want) if isinstance(want, tuple) else ((got,), (want,))
    for g, w in zip(outs, wants):
        if isinstance(w, onp.ndarray):
            assert isinstance(g, np.ndarray), f"{name} gave {type(g)}"
            onp.testing.assert_allclose(g.asnumpy(), w)
        else:
            assert g == w


def test_fallbacks_are_not_differentiable():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = np.nancumsum(x)
    assert isinstance(y, np.ndarray)
    with pytest.raises(Exception, match="not in a computational graph"):
        y.backward()


def test_round_nonzero_and_broadcast_to_as_mxnet():
    a = np.array([1.25, -2.5, 3.5, 0.5])
    assert np.round(a).asnumpy().tolist() == [1.0, -2.0, 4.0, 0.0] == a.round().asnumpy().tolist()
    onp.testing.assert_allclose(np.around(a, 1).asnumpy(), [1.2, -2.5, 3.5, 0.5], rtol=1e-6)
    assert np.round_(a, decimals=-1).asnumpy().tolist() == [0.0, 0.0, 0.0, 0.0]
    i = np.array([1234, -15], dtype="int32")
    assert np.round(i, -2).asnumpy().tolist() == [1200, 0] and np.round(i).dtype == onp.int32
    o = np.zeros(4)
    assert np.round(a, 1, out=o) is o
    rows, cols = np.nonzero(np.array([[0, 1], [2, 0]]))
    assert rows.asnumpy().tolist() == [0, 1] and cols.asnumpy().tolist() == [1, 0] and rows.dtype == onp.int64
    assert np.array([[0, 1], [2, 0]]).nonzero()[1].asnumpy().tolist() == [1, 0]
    assert np.array([1, 2]).broadcast_to((2, 2)).shape == (2, 2)
