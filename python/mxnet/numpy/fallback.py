"""The functions of ``mxnet.numpy`` that MXNet 1.9.1 itself serves by falling
back to official NumPy: the arguments are copied to the host as NumPy arrays,
NumPy computes, and array results come back as ``mxnet.numpy.ndarray`` (NumPy
results of a dtype mxlite has no arrays for, such as complex, are returned as
NumPy arrays). As in MXNet, these are not differentiable: inside
``autograd.record()`` their results are constants.

Four names NumPy 2 no longer has are served by their replacements: ``alltrue``
(``all``), ``trapz`` (``trapezoid``), ``in1d`` (``isin`` of the flattened
array) and ``msort`` (``sort`` along axis 0). MXNet's financial fallbacks
(``mirr``, ``npv``, ``ppmt``, ``pv``, ``rate``) left NumPy in 1.20; they are
written from their formulas in ``_more.py``.
"""

import numpy as _onp

from .. import _core

FALLBACK = (
    "alltrue", "corrcoef", "correlate", "count_nonzero", "cov", "digitize", "histogram2d", "histogram_bin_edges",
    "histogramdd", "i0", "interp", "isclose", "nanargmax", "nanargmin", "nancumprod", "nancumsum", "nanmax",
    "nanmedian", "nanmin", "nanpercentile", "nanprod", "nanquantile", "poly", "polyadd", "polydiv", "polyfit",
    "polyint", "polymul", "polysub", "ptp", "real", "roots", "trapz", "unwrap", "apply_along_axis",
    "apply_over_axes", "argpartition", "argwhere", "choose", "compress", "extract", "flatnonzero", "in1d",
    "intersect1d", "isin", "ix_", "lexsort", "msort", "ndim", "packbits", "partition", "piecewise", "rollaxis",
    "searchsorted", "select", "setdiff1d", "setxor1d", "size", "take_along_axis", "tril_indices_from",
    "trim_zeros", "triu_indices_from", "union1d", "unpackbits", "vander", "min_scalar_type", "promote_types",
    "result_type",
)  # fmt: skip

# Names NumPy 2 dropped, and what computes them now.
_REPLACED = {
    "alltrue": _onp.all,
    "trapz": getattr(_onp, "trapezoid", None) or getattr(_onp, "trapz", None),
    "in1d": lambda ar1, ar2, assume_unique=False, invert=False, **kw: _onp.isin(
        _onp.ravel(ar1), ar2, assume_unique=assume_unique, invert=invert, **kw
    ),
    "msort": lambda a: _onp.sort(a, axis=0),
}

__all__ = list(FALLBACK)


def _to_numpy(obj):
    if isinstance(obj, (_core.ndarray, _core.NDArray)):
        return obj.asnumpy()
    if isinstance(obj, (list, tuple)):
        converted = [_to_numpy(x) for x in obj]
        return type(obj)(converted) if isinstance(obj, list) else tuple(converted)
    return obj


def _to_mxnet(obj):
    if isinstance(obj, _onp.ndarray):
        try:
            return _core.np.array(obj, obj.dtype)
        except (TypeError, ValueError, RuntimeError):
            return obj  # a dtype mxlite has no arrays for (complex, object, ...)
    if isinstance(obj, tuple):
        return tuple(_to_mxnet(x) for x in obj)
    if isinstance(obj, list):
        return [_to_mxnet(x) for x in obj]
    return obj


def _fallback(name):
    numpy_fn = _REPLACED.get(name) or getattr(_onp, name)

    def fn(*args, **kwargs):
        return _to_mxnet(numpy_fn(*_to_numpy(args), **{k: _to_numpy(v) for k, v in kwargs.items()}))

    # NumPy's own docstring and signature are NumPy's to document (they differ
    # between NumPy versions); this one says what the fallback does.
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = "mxnet.numpy"
    fn.__doc__ = (
        f"NumPy's ``numpy.{name}`` on a host copy of the arguments, array results as mxnet arrays "
        "(MXNet 1.9.1's fallback to official NumPy; not differentiable)."
    )
    return fn


for _name in FALLBACK:
    globals()[_name] = _fallback(_name)
