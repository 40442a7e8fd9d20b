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
