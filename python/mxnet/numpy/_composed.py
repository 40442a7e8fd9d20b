"""``mxnet.numpy`` functions composed of registered ops (differentiable through
them): diff, ediff1d, append, average, divmod, modf, float_power, nan_to_num,
logspace, tril, triu, rot90, meshgrid, diagflat; index and window helpers
computed from shapes alone (indices, diag_indices_from, unravel_index, shape,
hamming, hanning, blackman); and unique, percentile and quantile, which sort
on a host copy as MXNet's do (not differentiable)."""

import numpy as _onp

from .. import _core
from .._args import into
from ..base import unsupported_argument

__all__ = [
    "diff", "ediff1d", "append", "average", "divmod", "modf", "float_power", "nan_to_num", "logspace", "tril",
    "triu", "rot90", "meshgrid", "diagflat", "indices", "diag_indices_from", "unravel_index", "shape", "hamming",
    "hanning", "blackman", "unique", "percentile", "quantile",
]  # fmt: skip


def _np():
    from .. import numpy

    return numpy


def _arr(x):
    return x if isinstance(x, _core.ndarray) else _np().array(x)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """The n-th discrete difference along ``axis``."""
    if prepend is not None or append is not None:
        unsupported_argument("diff", "prepend" if prepend is not None else "append")
    np = _np()
    a = _arr(a)
    axis = axis % a.ndim
    for _ in range(int(n)):
        hi = [slice(None)] * a.ndim
        lo = [slice(None)] * a.ndim
        hi[axis], lo[axis] = slice(1, None), slice(None, -1)
        a = np.subtract(a[tuple(hi)], a[tuple(lo)])
    return a


def ediff1d(ary, to_end=None, to_begin=None):
    """The differences between consecutive elements of the flattened array, with optional ends."""
    np = _np()
    d = diff(np.ravel(_arr(ary)))
    parts = [np.ravel(_arr(to_begin)).astype(d.dtype)] if to_begin is not None else []
    parts.append(d)
    if to_end is not None:
        parts.append(np.ravel(_arr(to_end)).astype(d.dtype))
    return np.concatenate(parts) if len(parts) > 1 else d


def append(arr, values, axis=None):
    """``values`` appended to ``arr`` (both flattened when ``axis`` is None)."""
    np = _np()
    arr, values = _arr(arr), _arr(values)
    if axis is None:
        return np.concatenate([np.ravel(arr), np.ravel(values)])
    return np.concatenate([arr, values], axis=axis)


def average(a, axis=None, weights=None, returned=False):
    """The (weighted) mean over ``axis``; with ``returned`` also the sum of the weights."""
    np = _np()
    a = _arr(a)
    if weights is None:
        avg = np.mean(a, axis=axis)
        count = np.array(a.size / max(avg.size, 1), dtype=avg.dtype) * np.ones_like(avg)
        return (avg, count) if returned else avg
    w = _arr(weights)
    if w.shape != a.shape:
        if axis is None or w.ndim != 1 or w.shape[0] != a.shape[axis]:
            raise ValueError("average: weights must have the shape of a, or be 1-D along axis")
        shape = [1] * a.ndim
        shape[axis] = w.shape[0]
        w = np.reshape(w, tuple(shape))
    total = np.sum(np.broadcast_to(w, a.shape) if w.shape != a.shape else w, axis=axis)
    avg = np.sum(a * w, axis=axis) / total
    return (avg, total) if returned else avg


def divmod(x1, x2, out=None):  # noqa: A001  (NumPy's name)
    """(x1 // x2, x1 % x2); ``out`` is a pair of arrays, as in NumPy."""
    np = _np()
    return _into_pair("divmod", (np.floor_divide(x1, x2), np.mod(x1, x2)), out)


def modf(x, out=None):
    """(the fractional part, the integral part), both with x's sign; ``out`` is
    a pair of arrays, as in NumPy."""
    np = _np()
    whole = np.trunc(x)
    return _into_pair("modf", (np.subtract(x, whole), whole), out)


def _into_pair(function, results, out):
    if out is None:
        return results
    if not isinstance(out, tuple) or len(out) != 2:
        raise TypeError(f"{function}: out must be a tuple of 2 arrays, got {out!r}")
    return tuple(into(function, r, o) for r, o in zip(results, out))


def float_power(x1, x2, out=None):
    """x1 ** x2 computed in float64 (NumPy's float_power)."""
    np = _np()
    as64 = [_arr(v).astype("float64") if not isinstance(v, (int, float)) else float(v) for v in (x1, x2)]
    return np.power(*as64, out=out)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN as ``nan``, +-inf as ``posinf``/``neginf`` (the dtype's largest magnitudes by default)."""
    np = _np()
    x = _arr(x)
    if _onp.dtype(x.dtype).kind not in "fc":
        return x.copy() if copy else x
    info = _onp.finfo(x.dtype)
    big = info.max if posinf is None else posinf
    small = info.min if neginf is None else neginf
    r = np.where(np.isnan(x), nan, x)
    r = np.where(np.isposinf(r), big, r)
    r = np.where(np.isneginf(r), small, r)
    if not copy:
        x[...] = r
        return x
    return r


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, ctx=None):
    """``base ** linspace(start, stop, num)`` (float32 unless ``dtype``)."""
    np = _np()
    exponents = np.linspace(start, stop, num, endpoint=endpoint, dtype="float64", axis=axis, ctx=ctx)
    return np.power(float(base), exponents).astype(dtype or "float32")


def _triangle(m, k, lower):
    np = _np()
    m = _arr(m)
    rows, cols = m.shape[-2], m.shape[-1]
    mask = _onp.tri(rows, cols, k if lower else k - 1, dtype=bool)
    mask = np.array(mask if lower else ~mask, dtype="bool")
    return np.where(mask, m, np.zeros((), dtype=m.dtype))


def tril(m, k=0):
    """``m`` with the elements above diagonal ``k`` zeroed (the last two axes)."""
    return _triangle(m, k, True)


def triu(m, k=0):
    """``m`` with the elements below diagonal ``k`` zeroed (the last two axes)."""
    return _triangle(m, k, False)


def rot90(m, k=1, axes=(0, 1)):
    """``m`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    np = _np()
    m = _arr(m)
    a0, a1 = axes
    k = int(k) % 4
    if k == 0:
        return m.copy()
    if k == 2:
        return np.flip(np.flip(m, a0), a1)
    perm = list(range(m.ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return np.transpose(np.flip(m, a1), perm)
    return np.flip(np.transpose(m, perm), a1)


def meshgrid(*xi, indexing="xy", sparse=False, copy=True):
    """Coordinate arrays from 1-D coordinate vectors (``indexing`` 'xy' or 'ij')."""
    np = _np()
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: indexing must be 'xy' or 'ij'")
    vectors = [np.ravel(_arr(x)) for x in xi]
    n = len(vectors)
    out = []
    for i, v in enumerate(vectors):
        shape = [1] * n
        shape[i] = v.shape[0]
        if indexing == "xy" and n > 1 and i < 2:
            shape[0], shape[1] = shape[1], shape[0]
        out.append(np.reshape(v, tuple(shape)))
    if sparse:
        return out
    full = tuple(max(o.shape[d] for o in out) for d in range(n))
    return [np.broadcast_to(o, full) for o in out]


def diagflat(v, k=0):
    """A 2-D array with the flattened ``v`` on diagonal ``k``."""
    np = _np()
    return np.diag(np.ravel(_arr(v)), k)


def indices(dimensions, dtype="int32", sparse=False):
    """The index grid of ``dimensions``: one int32 array per axis, stacked (MXNet's dtype)."""
    grid = _onp.indices(tuple(dimensions), dtype=dtype, sparse=sparse)
    if sparse:
        return tuple(_core.np.array(g, g.dtype) for g in grid)
    return _core.np.array(grid, grid.dtype)


def diag_indices_from(arr):
    """The int64 indices of the main diagonal of a square array, one array per axis."""
    return tuple(_core.np.array(i, "int64") for i in _onp.diag_indices_from(_onp.empty(arr.shape, dtype=bool)))


def unravel_index(indices, shape, order="C"):
    """The coordinates of flat ``indices`` in ``shape`` (ints for an int, int64 arrays for arrays)."""
    if order != "C":
        unsupported_argument("unravel_index", "order", order)
    flat = indices.asnumpy() if hasattr(indices, "asnumpy") else indices
    coords = _onp.unravel_index(flat, shape)
    if _onp.ndim(flat) == 0:
        return tuple(int(c) for c in coords)
    return tuple(_core.np.array(c, "int64") for c in coords)


def shape(a):
    """The shape of ``a``."""
    return tuple(a.shape) if hasattr(a, "shape") else _onp.shape(a)


def _window(name):
    def window(M, dtype=None, ctx=None, device=None):
        from .._args import cpu_only

        with cpu_only(name, ctx, device):
            return _core.np.array(getattr(_onp, name)(int(M)), dtype or "float32")

    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"The {name.capitalize()} window of ``M`` points (float32 unless ``dtype``)."
    return window


hamming, hanning, blackman = _window("hamming"), _window("hanning"), _window("blackman")


def _host(x):
    return x.asnumpy() if hasattr(x, "asnumpy") else _onp.asarray(x)


def _back(r):
    if isinstance(r, tuple):
        return tuple(_back(x) for x in r)
    return _core.np.array(r, r.dtype) if isinstance(r, _onp.ndarray) else r


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    """The sorted unique elements (sorted on a host copy; not differentiable)."""
    return _back(_onp.unique(_host(ar), return_index, return_inverse, return_counts, axis))


def percentile(a, q, axis=None, out=None, overwrite_input=None, interpolation="linear", keepdims=False):
    """The q-th percentiles over ``axis`` (computed on a host copy; not differentiable)."""
    x = _host(a)
    r = _onp.percentile(x, _host(q), axis=axis, method=interpolation, keepdims=keepdims)
    return into("percentile", _back(_onp.asarray(r, dtype=_result_dtype(x))), out)


def quantile(a, q, axis=None, out=None, overwrite_input=None, interpolation="linear", keepdims=False):
    """The q-th quantiles over ``axis`` (computed on a host copy; not differentiable)."""
    x = _host(a)
    r = _onp.quantile(x, _host(q), axis=axis, method=interpolation, keepdims=keepdims)
    return into("quantile", _back(_onp.asarray(r, dtype=_result_dtype(x))), out)


def _result_dtype(x):
    """MXNet's: the input's float dtype, float32 for other inputs."""
    return x.dtype if x.dtype.kind == "f" else _onp.float32
