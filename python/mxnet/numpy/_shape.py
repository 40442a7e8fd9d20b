"""Shape functions of ``mxnet.numpy`` (NumPy signatures) and the matching
ndarray methods: joining, splitting, tiling, flipping, rolling, padding."""

import numpy as _onp

from .. import _core
from .._args import into, no_kwargs
from ..base import MXNetError, MXNetValueError, unsupported_argument
from .multiarray import ndarray

__all__ = [
    "swapaxes",
    "moveaxis",
    "expand_dims",
    "squeeze",
    "ravel",
    "concatenate",
    "stack",
    "vstack",
    "row_stack",
    "hstack",
    "dstack",
    "column_stack",
    "split",
    "array_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "tile",
    "repeat",
    "flip",
    "flipud",
    "fliplr",
    "roll",
    "pad",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
]

_f = _core.np


def swapaxes(a, axis1, axis2):
    return _f.swapaxes(a, axis1, axis2)


def moveaxis(a, source, destination):
    return _f.moveaxis(a, source, destination)


def expand_dims(a, axis):
    """A view with size-1 axes inserted; ``axis`` may be an int or a tuple (NumPy >= 1.18)."""
    if isinstance(axis, (int, _onp.integer)):
        return _f.expand_dims(a, int(axis))
    return _f.expand_dims_axes(a, axis)


def squeeze(a, axis=None):
    return _f.squeeze(a, axis)


def ravel(x, order="C"):
    _check_order(order, "ravel")
    return _f.ravel(x)


def concatenate(seq, axis=0, out=None):
    """The arrays joined along ``axis`` (None: flattened first)."""
    return into("concatenate", _f.concatenate(seq, axis), out)


def stack(arrays, axis=0, out=None):
    """The arrays (all of one shape) joined along a new axis."""
    return into("stack", _f.stack(arrays, axis), out)


def _asarrays(arrays, op):
    if isinstance(arrays, ndarray):
        raise MXNetError(f"{op}: expected a sequence of arrays, got a single array")
    return [a if isinstance(a, ndarray) else _f.array(a, None) for a in arrays]


def atleast_1d(*arys):
    out = [a if a.ndim >= 1 else a.reshape(1) for a in _asarrays(arys, "atleast_1d")]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in _asarrays(arys, "atleast_2d"):
        out.append(a.reshape(1, -1) if a.ndim == 1 else a.reshape(1, 1) if a.ndim == 0 else a)
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in _asarrays(arys, "atleast_3d"):
        if a.ndim == 0:
            a = a.reshape(1, 1, 1)
        elif a.ndim == 1:
            a = a.reshape(1, -1, 1)
        elif a.ndim == 2:
            a = _f.expand_dims(a, 2)
        out.append(a)
    return out[0] if len(out) == 1 else out


def vstack(tup, out=None):
    return into("vstack", _f.concatenate([atleast_2d(a) for a in _asarrays(tup, "vstack")], 0), out)


row_stack = vstack


def hstack(tup, out=None):
    arrays = [atleast_1d(a) for a in _asarrays(tup, "hstack")]
    return into("hstack", _f.concatenate(arrays, 0 if arrays and arrays[0].ndim == 1 else 1), out)


def dstack(tup):
    return _f.concatenate([atleast_3d(a) for a in _asarrays(tup, "dstack")], 2)


def column_stack(tup):
    arrays = [a.reshape(-1, 1) if a.ndim < 2 else a for a in _asarrays(tup, "column_stack")]
    return _f.concatenate(arrays, 1)


def split(ary, indices_or_sections, axis=0):
    """A list of pieces: equal sections for an int (MXNetError when uneven), or
    the pieces between the given indices."""
    if isinstance(indices_or_sections, _onp.integer):
        indices_or_sections = int(indices_or_sections)
    return _f.split(ary, indices_or_sections, axis)


def array_split(ary, indices_or_sections, axis=0):
    """Like split, but an int need not divide the axis: the first
    ``n % sections`` pieces get one element more (NumPy's rule)."""
    if not isinstance(indices_or_sections, (int, _onp.integer)) or isinstance(indices_or_sections, bool):
        return _f.split(ary, indices_or_sections, axis)
    sections = int(indices_or_sections)
    if sections <= 0:
        raise MXNetValueError(f"array_split: number of sections must be larger than 0, got {sections}")
    if ary.ndim == 0:
        raise MXNetError("array_split: cannot split a zero-dimensional array")
    n = ary.shape[_normalize_axis(axis, ary.ndim, "array_split")]
    if sections > max(n, _MAX_EMPTY_SECTIONS):
        raise MXNetValueError(
            f"array_split: {sections} sections for an axis of length {n}: at most "
            f"max(length, {_MAX_EMPTY_SECTIONS}) are supported (the extra ones would all be empty)"
        )
    each, extra = divmod(n, sections)
    bounds, at = [], 0
    for k in range(sections - 1):
        at += each + (1 if k < extra else 0)
        bounds.append(at)
    return _f.split(ary, bounds, axis)


def _normalize_axis(axis, ndim, op):
    if not isinstance(axis, (int, _onp.integer)) or isinstance(axis, bool):
        raise TypeError(f"{op}: axis must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise MXNetValueError(f"{op}: axis {axis} is out of bounds for array of dimension {ndim}")
    return int(axis) % ndim


_MAX_EMPTY_SECTIONS = _core.max_empty_sections  # mxlite::kMaxEmptySections


def hsplit(ary, indices_or_sections):
    if ary.ndim == 0:
        raise MXNetValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(ary, indices_or_sections, 1 if ary.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    if ary.ndim < 2:
        raise MXNetValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    if ary.ndim < 3:
        raise MXNetValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, 2)


def tile(A, reps):
    return _f.tile(A, reps)


def repeat(a, repeats, axis=None):
    """Each element repeated ``repeats`` (an int) times, of the flattened array
    when ``axis`` is None."""
    if isinstance(repeats, _onp.integer):
        repeats = int(repeats)
    if not isinstance(repeats, int):
        raise MXNetError(f"repeat: repeats must be an int, got {repeats!r} (per-element repeats are not supported)")
    return _f.repeat(a, repeats, axis)


def flip(m, axis=None):
    return _f.flip(m, axis)


def flipud(m):
    return _f.flip(m, 0)


def fliplr(m):
    return _f.flip(m, 1)


def roll(a, shift, axis=None):
    return _f.roll(a, shift, axis)


def _pad_pairs(pad_width, ndim):
    """NumPy's pad_width forms (n, (n,), (before, after), or one pair per axis)
    as one (before, after) pair per axis."""
    widths = _onp.asarray(pad_width)
    if widths.dtype.kind not in "iu" and not (widths.dtype.kind == "f" and _onp.all(widths == _onp.round(widths))):
        raise TypeError("pad: `pad_width` must be of integral type.")
    try:
        widths = _onp.broadcast_to(widths.astype(_onp.int64), (ndim, 2))
    except ValueError:
        raise MXNetError(
            f"pad: pad_width {pad_width!r} cannot be broadcast to ({ndim}, 2) for an array with {ndim} dimensions"
        ) from None
    return [(int(b), int(e)) for b, e in widths]


_PAD_MODES = ("edge", "reflect", "symmetric", "wrap", "maximum", "minimum", "mean")


def pad(array, pad_width, mode="constant", constant_values=0, **kwargs):
    """Pads as NumPy does: mode 'constant' (``constant_values``), 'edge',
    'reflect', 'symmetric', 'wrap', 'maximum', 'minimum' or 'mean'.
    Differentiable (padding taken from the array passes its gradient back)."""
    if mode in _PAD_MODES:
        if kwargs.get("reflect_type", "even") != "even":
            unsupported_argument("pad", "reflect_type", kwargs["reflect_type"])
        if kwargs.get("stat_length") is not None:
            unsupported_argument("pad", "stat_length", kwargs["stat_length"])
        no_kwargs("pad", {k: v for k, v in kwargs.items() if k not in ("reflect_type", "stat_length")}, harmless=())
        return _f.pad_mode(array, _pad_pairs(pad_width, array.ndim), mode)
    if mode != "constant":
        unsupported_argument("pad", "mode", mode)
    no_kwargs("pad", kwargs, harmless=())
    if not isinstance(constant_values, (int, float, bool, _onp.number)):
        raise MXNetError("pad: constant_values must be a single number")
    if array.dtype.kind in "iub" and not _onp.isfinite(constant_values):
        raise MXNetValueError(f"pad: cannot convert float {constant_values} to integer (array dtype {array.dtype})")
    return _f.pad_constant(array, _pad_pairs(pad_width, array.ndim), float(constant_values))


def _check_order(order, op):
    if order != "C":
        raise MXNetError(f"{op}: only order='C' is supported, got {order!r}")


# ---- ndarray methods of the shape family (NumPy's method signatures) ---------


def _transpose(self, *axes):
    if not axes:
        return _f.transpose(self, None)
    if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, _onp.integer))):
        axes = axes[0]
    return _f.transpose(self, axes)


def _squeeze(self, axis=None):
    return _f.squeeze(self, axis)


def _swapaxes(self, axis1, axis2):
    return _f.swapaxes(self, axis1, axis2)


def _flatten(self, order="C"):
    """A 1-D copy (NumPy's flatten never returns a view)."""
    _check_order(order, "flatten")
    return _f.ravel(self).copy()


def _ravel(self, order="C"):
    return ravel(self, order)


def _repeat(self, repeats, axis=None):
    return repeat(self, repeats, axis)


for _name, _fn in {
    "transpose": _transpose,
    "squeeze": _squeeze,
    "swapaxes": _swapaxes,
    "flatten": _flatten,
    "ravel": _ravel,
    "repeat": _repeat,
}.items():
    setattr(ndarray, _name, _fn)
