"""More of ``mxnet.numpy`` as MXNet 1.9.1 has it.

Compositions of registered ops (differentiable w.r.t. their array inputs):
delete, insert, resize (``take``/``concatenate`` with host-computed positions),
broadcast_arrays (``broadcast_to``) and polyval (Horner's rule). Computed on a
host copy, as MXNet computes them (not differentiable): bincount, histogram,
frexp, spacing and genfromtxt; the financial functions npv, pv, ppmt, rate and
mirr (NumPy fallbacks in MXNet that NumPy 1.20 removed, written here from their
defining formulas). Also may_share_memory/shares_memory, sometrue and
set_printoptions.
"""

import numbers
import operator

import numpy as _onp

from .. import _core
from .._args import cpu_only, no_out
from ..base import (
    MXNetAxisError,
    MXNetIndexError,
    MXNetTypeError,
    MXNetValueError,
    NotSupportedError,
    unsupported_argument,
)

__all__ = [
    "bincount", "broadcast_arrays", "delete", "insert", "resize", "frexp", "spacing", "polyval", "histogram",
    "genfromtxt", "may_share_memory", "shares_memory", "sometrue", "set_printoptions", "npv", "pv", "ppmt", "rate",
    "mirr",
]  # fmt: skip


def _np():
    from .. import numpy

    return numpy


def _is_array(x):
    return isinstance(x, _core.ndarray)


def _need_array(fn, name, x):
    if not _is_array(x):
        raise MXNetTypeError(f"{fn}: '{name}' must be an mxnet.numpy.ndarray, got {type(x).__name__}")


def _axis(fn, axis, ndim):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise MXNetTypeError(f"{fn}: axis must be an integer or None, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise MXNetAxisError(f"{fn}: axis {axis} is out of bounds for an array of dimension {ndim}")
    return int(axis) % ndim


def _is_int(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, _onp.bool_))


def _positions(values):
    return _core.np.array(_onp.asarray(values, dtype=_onp.int64), _onp.int64)


# ---- compositions of registered ops --------------------------------------------------------------
def delete(arr, obj, axis=None):
    """``arr`` without the entries ``obj`` (an int, a slice or an index array) along
    ``axis`` (of the flattened array when None); differentiable w.r.t. ``arr``.

    As in MXNet 1.9.1, an int index must lie in [-n, n), while the entries of
    an index array are truncated to integers and those outside [0, n) --
    negative ones included -- are skipped; a bool index array counts as 0/1."""
    np = _np()
    _need_array("delete", "arr", arr)
    if axis is None:
        arr, ax = np.ravel(arr), 0
    else:
        ax = _axis("delete", axis, arr.ndim)
    n = arr.shape[ax]
    if isinstance(obj, slice):
        if obj.step == 0:
            raise MXNetValueError("delete: slice step cannot be zero")
        gone = _onp.arange(*obj.indices(n), dtype=_onp.int64)
    elif _is_int(obj):
        if not -n <= obj < n:
            raise MXNetIndexError(f"delete: index {obj} is out of bounds for axis {ax} with size {n}")
        gone = _onp.array([int(obj) % n], dtype=_onp.int64)
    elif _is_array(obj):
        v = obj.asnumpy().ravel().astype(_onp.float64)
        gone = v[(v >= 0) & (v < n)].astype(_onp.int64)  # MXNet skips the others
    else:
        raise MXNetTypeError(f"delete: 'obj' can not support type {type(obj)}")
    keep = _onp.ones(n, dtype=bool)
    keep[gone] = False
    return np.take(arr, _positions(_onp.flatnonzero(keep)), axis=ax)


def _slot_values(values, target, scalar_index, ax):
    """``values`` shaped for the inserted slot ``target`` (NumPy's rule: at least
    ``len(target)`` dims, the first moved to ``ax`` for a scalar index)."""
    np = _np()
    ndim = len(target)
    if values.ndim < ndim:
        values = np.reshape(values, (1,) * (ndim - values.ndim) + tuple(values.shape))
    if scalar_index:
        values = np.moveaxis(values, 0, ax)
    return values


def _broadcast_into(fn, values, shape):
    np = _np()
    vshape = tuple(values.shape)
    extra = len(vshape) - len(shape)
    if extra > 0:  # leading size-1 dims beyond the slot's rank drop out, as in assignment
        if any(d != 1 for d in vshape[:extra]):
            raise MXNetValueError(f"{fn}: values of shape {vshape} cannot be broadcast to {tuple(shape)}")
        values = np.reshape(values, vshape[extra:])
        vshape = vshape[extra:]
    if any(v not in (1, s) for v, s in zip(vshape, shape)):
        raise MXNetValueError(f"{fn}: values of shape {vshape} cannot be broadcast to {tuple(shape)}")
    return values if vshape == tuple(shape) else np.broadcast_to(values, tuple(shape))


def insert(arr, obj, values, axis=None):
    """``values`` inserted into ``arr`` before the index or indices ``obj`` (an int,
    a slice or an int index array) along ``axis`` (of the flattened array when
    None), cast to ``arr``'s dtype; differentiable w.r.t. ``arr`` and ``values``.

    NumPy's rules: for an int ``obj`` the values' first axis becomes ``axis``
    (so several rows can be inserted at one place); for index arrays each index
    takes one slice of ``values`` and indices refer to the original array."""
    np = _np()
    _need_array("insert", "arr", arr)
    if isinstance(values, numbers.Number) and not _is_array(values):
        values = np.array(values, dtype=arr.dtype)
    elif not _is_array(values):
        raise MXNetTypeError(f"insert: 'values' can not support type {type(values)}")
    if axis is None:
        arr, ax = np.ravel(arr), 0
    else:
        ax = _axis("insert", axis, arr.ndim)
    n = arr.shape[ax]
    scalar_index = False
    if isinstance(obj, slice):
        if obj.step == 0:
            raise MXNetValueError("insert: slice step cannot be zero")
        index = _onp.arange(*obj.indices(n), dtype=_onp.int64)
    elif _is_int(obj):
        index, scalar_index = _onp.array(int(obj), dtype=_onp.int64), True
    elif _is_array(obj):
        if _onp.dtype(obj.dtype).kind not in "iu":
            raise MXNetTypeError(f"insert: an index array 'obj' must have an integer dtype, got {obj.dtype}")
        if obj.ndim > 1:
            raise MXNetValueError(f"insert: index array 'obj' must be one dimensional or scalar, got shape {obj.shape}")
        index, scalar_index = obj.asnumpy().astype(_onp.int64), obj.ndim == 0
    else:
        raise MXNetTypeError(f"insert: 'obj' can not support type {type(obj)}")
    bad = index[(index < -n) | (index > n)]
    if bad.size:
        raise MXNetIndexError(f"insert: index {int(bad[0])} is out of bounds for axis {ax} with size {n}")
    index = _onp.where(index < 0, index + n, index).ravel()
    if values.dtype != arr.dtype:
        values = values.astype(arr.dtype)
    if index.size == 1:
        # One place: all of the (shaped) values go there, in order.
        values = _slot_values(values, arr.shape, scalar_index, ax)
        count = values.shape[ax]
        places = int(index[0]) + _onp.arange(count)
    else:
        values = _slot_values(values, arr.shape, False, ax)
        count = index.size
        order = _onp.argsort(index, kind="stable")
        places = _onp.empty(count, dtype=_onp.int64)
        places[order] = index[order] + _onp.arange(count)  # each earlier insertion shifts the later ones
    slot = list(arr.shape)
    slot[ax] = count
    values = _broadcast_into("insert", values, slot)
    # The result takes, in output order, old rows 0..n-1 and inserted row j at places[j].
    source = _onp.empty(n + count, dtype=_onp.int64)
    is_new = _onp.zeros(n + count, dtype=bool)
    is_new[places] = True
    source[places] = n + _onp.arange(count)
    source[~is_new] = _onp.arange(n)
    return np.take(np.concatenate([arr, values], axis=ax), _positions(source), axis=ax)


def _shape_arg(fn, shape):
    dims = (shape,) if not isinstance(shape, (tuple, list)) else tuple(shape)
    try:
        dims = tuple(operator.index(d) for d in dims)
    except TypeError:
        raise MXNetTypeError(f"{fn}: new_shape must be an int or a sequence of ints, got {shape!r}") from None
    if any(d < 0 for d in dims):
        raise MXNetValueError(f"{fn}: new_shape {dims} has a negative dimension")
    return dims


def resize(a, new_shape):
    """An array of ``new_shape`` filled with ``a``'s flattened values, repeated as
    often as needed (NumPy's resize); differentiable w.r.t. ``a``."""
    np = _np()
    _need_array("resize", "a", a)
    dims = _shape_arg("resize", new_shape)
    total = int(_onp.prod(dims, dtype=_onp.int64))
    if a.size == 0:
        return np.zeros(dims, dtype=a.dtype)  # nothing to repeat
    flat = np.take(np.ravel(a), _positions(_onp.arange(total) % a.size))
    return np.reshape(flat, dims)


def _broadcast_shape(shapes):
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        for i, d in enumerate(s, ndim - len(s)):
            if d != out[i] and d != 1 and out[i] != 1:
                raise MXNetValueError(
                    "broadcast_arrays: shapes " + ", ".join(str(tuple(t)) for t in shapes) + " cannot be broadcast"
                )
            if out[i] == 1:
                out[i] = d
    return tuple(out)


def broadcast_arrays(*args):
    """The arrays broadcast to their common shape, as a list (the arguments
    themselves when they all have it already); differentiable."""
    np = _np()
    for i, a in enumerate(args):
        if not _is_array(a):
            raise MXNetTypeError(
                f"broadcast_arrays: argument {i} must be an mxnet.numpy.ndarray, not {type(a).__name__}"
            )
    shape = _broadcast_shape([tuple(a.shape) for a in args])
    if all(tuple(a.shape) == shape for a in args):
        return list(args)
    return [np.broadcast_to(a, shape) for a in args]


def polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) at ``x``, by
    Horner's rule; differentiable w.r.t. ``p`` and ``x``.

    As in MXNet: ``p`` and ``x`` are both mxnet arrays of one dtype (``p`` 1-D),
    or neither is, in which case NumPy computes (a NumPy result)."""
    if not _is_array(p) and not _is_array(x):
        return _onp.polyval(p, x)
    if not (_is_array(p) and _is_array(x)):
        raise MXNetTypeError(
            f"polyval: p and x must both be mxnet.numpy.ndarray or both not, got {type(p).__name__} and "
            f"{type(x).__name__}"
        )
    if p.ndim != 1:
        raise MXNetValueError(f"polyval: p has to be a 1-D array, got shape {p.shape}")
    if p.dtype != x.dtype or p.dtype == _onp.bool_:
        raise MXNetTypeError(f"polyval: p and x must have one numeric dtype, got {p.dtype} and {x.dtype}")
    np = _np()
    y = np.zeros_like(x)
    for i in range(p.shape[0]):
        y = y * x + p[i]
    return y


# ---- computed on the host ------------------------------------------------------------------------
def _to_mx(r):
    """A NumPy array result as an mxnet array (NumPy arrays of dtypes mxlite has no
    arrays for, e.g. float16, and NumPy scalars unchanged)."""
    if isinstance(r, _onp.ndarray):
        try:
            return _core.np.array(r, r.dtype)
        except (TypeError, ValueError, RuntimeError):
            return r
    return r


def bincount(x, weights=None, minlength=0):
    """The number of occurrences of each value in the non-negative integer array
    ``x`` (0-d or 1-D), or the sums of ``weights`` per value; at least
    ``minlength`` bins. The result has ``x``'s dtype (``weights``' with weights),
    as in MXNet. Computed on the host (not differentiable)."""
    _need_array("bincount", "x", x)
    if not _is_int(minlength):
        raise MXNetTypeError(f"bincount: minlength must be an int, got {minlength!r}")
    if minlength < 0:
        raise MXNetValueError(f"bincount: minlength must be non-negative, got {minlength}")
    if _onp.dtype(x.dtype).kind not in "iu":
        raise MXNetTypeError(f"bincount: x must have an integer dtype, got {x.dtype}")
    if x.ndim > 1:
        raise MXNetValueError(f"bincount: x must be 0-d or 1-D, got shape {x.shape}")
    values = x.asnumpy().ravel().astype(_onp.int64)
    if values.size and values.min() < 0:
        raise MXNetValueError(f"bincount: x must be non-negative, got {int(values.min())}")
    size = max(int(values.max()) + 1 if values.size else 0, minlength)
    if weights is None:
        counts = _onp.bincount(values, minlength=size)
        return _core.np.array(counts.astype(x.dtype), x.dtype)  # MXNet counts in x's dtype
    _need_array("bincount", "weights", weights)
    if weights.shape != x.shape:
        raise MXNetValueError(f"bincount: weights of shape {weights.shape} do not match x of shape {x.shape}")
    if weights.dtype == _onp.bool_:
        raise MXNetTypeError("bincount: weights must be numeric, got bool")
    sums = _onp.bincount(values, weights=weights.asnumpy().ravel().astype(_onp.float64), minlength=size)
    return _core.np.array(sums.astype(weights.dtype), weights.dtype)


def _range_edges(fn, range, bins):  # noqa: A002  (NumPy's name)
    try:
        lo, hi = (float(v) for v in range)
    except (TypeError, ValueError):
        raise MXNetValueError(f"{fn}: range should be a tuple of two numbers, got {range!r}") from None
    if not (_onp.isfinite(lo) and _onp.isfinite(hi)):
        raise MXNetValueError(f"{fn}: range {range!r} is not finite")
    if lo > hi:
        raise MXNetValueError(f"{fn}: the left end of range ({lo}) must not exceed the right end ({hi})")
    if lo == hi:  # MXNet and NumPy widen an empty range
        lo, hi = lo - 0.5, hi + 0.5
    i = _onp.arange(bins + 1, dtype=_onp.float64)
    return lo, hi, (hi * i + (bins - i) * lo) / bins  # MXNet's edges: weighted means of the ends


def histogram(a, bins=10, range=None, normed=None, weights=None, density=None):  # noqa: A002
    """``[hist, bin_edges]`` of the values of ``a`` (a list, as MXNet returns):
    int64 counts and the edges in ``a``'s dtype. ``bins`` is a count, which
    needs ``range`` (MXNet 1.9.1 has no automatic range), or an mxnet array of
    edges of ``a``'s dtype. Values outside the edges are not counted; the last
    bin includes its right edge. For a count, MXNet's binning is used: the bin
    found from the position in ``range``, corrected against the edges cast to
    ``a``'s dtype (truncated edges for integer arrays). Computed on the host
    (not differentiable)."""
    if normed:
        unsupported_argument("histogram", "normed", normed)
    if weights is not None:
        unsupported_argument("histogram", "weights")
    if density:
        unsupported_argument("histogram", "density", density)
    _need_array("histogram", "a", a)
    if a.dtype == _onp.bool_:
        raise MXNetTypeError("histogram: a must be numeric, got bool")
    data = a.asnumpy().ravel()
    wide = data.astype(_onp.float64)
    if _is_int(bins):
        if range is None:
            raise NotSupportedError("histogram: bins given as a count needs range= (no automatic range in MXNet 1.9.1)")
        bins = int(bins)
        if bins < 1:
            raise MXNetValueError(f"histogram: the number of bins must be positive, got {bins}")
        lo, hi, edges64 = _range_edges("histogram", range, bins)
        edges = edges64.astype(a.dtype)
        inside = (wide >= lo) & (wide <= hi)
        d, w = data[inside], wide[inside]
        t = _onp.minimum(_onp.floor((w - lo) * bins / (hi - lo)).astype(_onp.int64), bins - 1)
        # Where rounding put a value on the wrong side of a (cast) edge, move it one bin.
        t -= (d < edges[t]).astype(_onp.int64)
        t += ((t != bins - 1) & (d >= edges[t + 1])).astype(_onp.int64)
        counts = _onp.bincount(t[t >= 0], minlength=bins)
    elif _is_array(bins):
        if bins.ndim != 1:
            raise MXNetValueError(f"histogram: bins must be a 1-D array of edges, got shape {bins.shape}")
        if bins.shape[0] < 2:
            raise MXNetValueError(f"histogram: bins must hold at least 2 edges, got {bins.shape[0]}")
        if bins.dtype != a.dtype:
            raise MXNetTypeError(f"histogram: bins of dtype {bins.dtype} must have a's dtype {a.dtype}")
        edges = bins.asnumpy()
        n = edges.size - 1
        d = data[(data >= edges[0]) & (data <= edges[-1])]
        t = _onp.minimum(_onp.searchsorted(edges, d, side="right") - 1, n - 1)
        counts = _onp.bincount(t[t >= 0], minlength=n)
    elif isinstance(bins, (list, tuple)):
        raise NotSupportedError("histogram: bins as a list or tuple is not supported (pass an mxnet array of edges)")
    elif isinstance(bins, str):
        raise NotSupportedError(f"histogram: bins={bins!r} (a binning rule) is not supported")
    else:
        raise MXNetTypeError(f"histogram: bins must be an int or an mxnet array of edges, got {bins!r}")
    return [_core.np.array(counts.astype(_onp.int64), _onp.int64), _core.np.array(edges, a.dtype)]


def _ufunc_on_host(name, fn, x, out, kwargs):
    no_out(name, out)
    for key in kwargs:
        unsupported_argument(name, key)
    if _is_array(x):
        r = fn(x.asnumpy())
        return tuple(_to_mx(v) for v in r) if isinstance(r, tuple) else _to_mx(r)
    return fn(x)  # MXNet's np.frexp/np.spacing are NumPy's ufuncs: NumPy results for NumPy inputs


def frexp(x, out=None, **kwargs):
    """(mantissa, exponent) with ``x == mantissa * 2**exponent`` and 0.5 <= |mantissa| < 1
    (NumPy's dtypes: float mantissa, int32 exponent). Mxnet arrays give mxnet
    arrays (NumPy scalars for a 0-d array); other inputs NumPy's results.
    Computed on the host (not differentiable)."""
    return _ufunc_on_host("frexp", _onp.frexp, x, out, kwargs)


def spacing(x, out=None, **kwargs):
    """The distance from ``x`` to the nearest adjacent floating-point number (NumPy's
    dtypes: float64 for int32/int64 arrays). Mxnet arrays give mxnet arrays
    (NumPy scalars for a 0-d array); other inputs NumPy's results. Computed on
    the host (not differentiable)."""
    return _ufunc_on_host("spacing", _onp.spacing, x, out, kwargs)


def genfromtxt(*args, ctx=None, **kwargs):
    """``numpy.genfromtxt`` (same arguments) with the result as an mxnet array of
    NumPy's dtype (float64 unless ``dtype``); ``ctx`` may name the CPU."""
    with cpu_only("genfromtxt", ctx):
        r = _onp.genfromtxt(*args, **kwargs)
        return _core.np.array(r, r.dtype)


def _same_storage(fn, a, b):
    _need_array(fn, "a", a)
    _need_array(fn, "b", b)
    return a._overlaps(b)


def may_share_memory(a, b, max_work=None):
    """Whether ``a`` and ``b`` may share memory: True when their elements overlap
    in one storage (one a view of the other, or overlapping views of one
    array); False for separate arrays, disjoint pieces and empty arrays. Views
    are contiguous in mxlite, so this is exact and takes constant time
    (``max_work`` limits nothing)."""
    return _same_storage("may_share_memory", a, b)


def shares_memory(a, b, max_work=None):
    """Whether ``a`` and ``b`` share memory; the same exact answer as
    ``may_share_memory`` (views are contiguous ranges of one storage)."""
    return _same_storage("shares_memory", a, b)


def sometrue(a, axis=None, keepdims=False, out=None):
    """Whether any element over ``axis`` is non-zero (``any``)."""
    return _np().any(a, axis=axis, keepdims=keepdims, out=out)


def set_printoptions(precision=None, threshold=None, **kwarg):
    """Sets the number of digits (``precision``) and the size above which arrays
    are summarised (``threshold``) when arrays are printed; None keeps a
    setting. As in MXNet this sets NumPy's print options, which mxnet arrays
    print with; other options are not supported (as in MXNet 1.9.1)."""
    if kwarg:
        raise NotSupportedError(
            f"set_printoptions: {', '.join(sorted(kwarg))} not supported: only precision and threshold"
        )
    _onp.set_printoptions(precision=precision, threshold=threshold)


# ---- financial functions (NumPy fallbacks in MXNet; removed from NumPy in 1.20) --------------------
_WHEN = {"end": 0, "finish": 0, "e": 0, "begin": 1, "start": 1, "beginning": 1, "b": 1}


def _host(x):
    return _onp.asarray(x.asnumpy() if _is_array(x) else x, dtype=_onp.float64)


def _when(fn, when):
    if isinstance(when, str):
        if when not in _WHEN:
            raise MXNetValueError(f"{fn}: when must be 'begin' (1) or 'end' (0), got {when!r}")
        return _onp.float64(_WHEN[when])
    w = _host(when)
    if not _onp.all((w == 0) | (w == 1)):
        raise MXNetValueError(f"{fn}: when must be 'begin' (1) or 'end' (0), got {when!r}")
    return w


def _result(r):
    """A NumPy float64 scalar for a scalar result, else an mxnet float64 array."""
    r = _onp.asarray(r, dtype=_onp.float64)
    return _onp.float64(r) if r.ndim == 0 else _core.np.array(r, _onp.float64)


def _growth(rate, nper):
    return (1.0 + rate) ** nper


def _annuity(rate, nper, when):
    """(1 + rate*when) * ((1+rate)**nper - 1) / rate: what a payment of 1 per period
    grows to; nper at rate 0."""
    zero = rate == 0
    safe = _onp.where(zero, 1.0, rate)
    return _onp.where(zero, nper, (1.0 + safe * when) * (_growth(safe, nper) - 1.0) / safe)


def _fv(rate, nper, pmt, pv, when):
    return -(pv * _growth(rate, nper) + pmt * _annuity(rate, nper, when))


def _pmt(rate, nper, pv, fv, when):
    return -(fv + pv * _growth(rate, nper)) / _annuity(rate, nper, when)


def npv(rate, values):
    """Net present value of the cash flows ``values`` (1-D; the first at time 0) at
    the scalar ``rate``: sum(values / (1 + rate)**t). A NumPy float64."""
    r = _host(rate)
    v = _host(values)
    if r.ndim != 0:
        raise MXNetValueError(f"npv: rate must be a scalar, got shape {r.shape}")
    if v.ndim != 1:
        raise MXNetValueError(f"npv: values must be 1-D, got shape {v.shape}")
    return _onp.float64((v / (1.0 + r) ** _onp.arange(v.size)).sum())


def pv(rate, nper, pmt, fv=0, when="end"):
    """Present value: the ``pv`` solving fv + pv*(1+rate)**nper +
    pmt*(1+rate*when)*((1+rate)**nper - 1)/rate == 0 (fv + pv + pmt*nper == 0
    at rate 0); ``when`` 'end' (0) or 'begin' (1). Arguments broadcast; a NumPy
    float64 for scalars, else an mxnet float64 array."""
    w = _when("pv", when)
    r, n, p, f = (_host(v) for v in (rate, nper, pmt, fv))
    with _onp.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _result(-(f + p * _annuity(r, n, w)) / _growth(r, n))


def ppmt(rate, per, nper, pv, fv=0, when="end"):
    """The principal part of payment number ``per`` (counted from 1) of the
    constant payment that turns ``pv`` into ``fv`` over ``nper`` periods: the
    payment less the interest on the balance (with ``when='begin'`` the
    interest of the period before, discounted one period, and none in period
    1). Arguments broadcast; a NumPy float64 for scalars, else an mxnet float64
    array."""
    w = _when("ppmt", when)
    r, k, n, p, f = (_host(v) for v in (rate, per, nper, pv, fv))
    with _onp.errstate(divide="ignore", invalid="ignore", over="ignore"):
        payment = _pmt(r, n, p, f, w)
        interest = _fv(r, k - 1, payment, p, w) * r  # on the balance after per-1 payments
        interest = _onp.where(w == 1, interest / (1.0 + r), interest)
        interest = _onp.where((w == 1) & (k == 1), 0.0, interest)
        return _result(payment - interest)


def rate(nper, pmt, pv, fv, when="end", guess=None, tol=None, maxiter=100):
    """The interest rate per period that solves the ``pv`` equation for the other
    terms, by Newton's method from ``guess`` (0.1) until a step is below
    ``tol`` (1e-6), at most ``maxiter`` steps; NaN where it does not converge.
    Arguments broadcast; a NumPy float64 for scalars, else an mxnet float64
    array."""
    w = _when("rate", when)
    n, p, v, f = (_host(x) for x in (nper, pmt, pv, fv))
    tol = 1e-6 if tol is None else float(tol)
    maxiter = operator.index(maxiter)
    shape = _onp.broadcast_shapes(n.shape, p.shape, v.shape, f.shape, _onp.shape(w))
    r = _onp.full(shape, 0.1 if guess is None else guess, dtype=_onp.float64)
    close = _onp.zeros(shape, dtype=bool)
    with _onp.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(maxiter):
            step = _newton_step(r, n, p, v, f, w)
            r = r - step
            close = _onp.abs(step) < tol
            if _onp.all(close):
                break
    return _result(_onp.where(close, r, _onp.nan))


def _newton_step(r, n, p, v, f, w):
    """g(r)/g'(r) for g(r) = fv + pv*(1+r)**n + pmt*(1+r*w)*((1+r)**n - 1)/r."""
    zero = r == 0
    s = _onp.where(zero, 1.0, r)
    grow = (1.0 + s) ** n
    d_grow = n * (1.0 + s) ** (n - 1.0)
    g = f + v * grow + p * (1.0 + s * w) * (grow - 1.0) / s
    dg = v * d_grow + p * (w * (grow - 1.0) / s + (1.0 + s * w) * (d_grow * s - (grow - 1.0)) / s**2)
    # At r == 0 the annuity factor's limits: n and n*w + n*(n-1)/2.
    g0 = f + v + p * n
    dg0 = v * n + p * (n * w + n * (n - 1.0) / 2.0)
    return _onp.where(zero, g0 / dg0, g / dg)


def mirr(values, finance_rate, reinvest_rate):
    """Modified internal rate of return of the cash flows ``values`` (1-D): the
    positive flows compounded to the end at ``reinvest_rate``, the negative ones
    discounted to the start at ``finance_rate``, and the rate that turns one
    into the other over len(values)-1 periods. NaN unless there are both
    positive and negative flows. A NumPy float64."""
    v = _host(values)
    if v.ndim != 1:
        raise MXNetValueError(f"mirr: values must be 1-D, got shape {v.shape}")
    positive, negative = v > 0, v < 0
    if not (positive.any() and negative.any()):
        return _onp.float64(_onp.nan)
    gains = abs(npv(reinvest_rate, v * positive))
    costs = abs(npv(finance_rate, v * negative))
    periods = v.size - 1
    return _onp.float64((gains / costs) ** (1.0 / periods) * (1.0 + float(_host(reinvest_rate))) - 1.0)
