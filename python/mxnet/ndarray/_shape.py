"""Legacy ``mxnet.ndarray`` shape functions with MXNet 1.x names and
conventions (reshape codes 0/-1/-2/-3/-4, ``dim=``/``num_outputs=``, no 0-d
results) and the matching NDArray methods."""

import math

from .. import _core
from .._args import no_kwargs
from ..base import MXNetError
from .ndarray import NDArray

__all__ = [
    "reshape",
    "concat",
    "Concat",
    "stack",
    "split",
    "SliceChannel",
    "slice_axis",
    "slice",
    "flatten",
    "Flatten",
    "expand_dims",
    "swapaxes",
    "SwapAxis",
    "tile",
    "repeat",
    "flip",
    "reverse",
    "squeeze",
]

_f = _core.nd


def _shape_arg(args, kwargs):
    """The target shape of reshape(*args, shape=...): a tuple, or ints inline."""
    if "shape" in kwargs:
        if args:
            raise MXNetError("reshape: give the shape either positionally or as shape=, not both")
        return kwargs["shape"]
    if len(args) == 1 and not isinstance(args[0], int):
        return args[0]
    return args


def reshape(data, shape=None, reverse=False, **kwargs):
    """MXNet's Reshape: each entry of ``shape`` is an extent or a code - 0 copies
    the input extent, -1 infers one extent, -2 copies all remaining extents, -3
    merges two input extents, -4 splits one into the next two entries (one may
    be -1). ``reverse=True`` matches the codes from the right."""
    no_kwargs("reshape", kwargs)
    if shape is None:
        raise MXNetError("reshape: a target shape is required")
    return _f.legacy_reshape(data, shape, reverse)


def _no_zero_dim(a):
    return a.reshape(1) if a.ndim == 0 else a


def concat(*data, dim=1, **kwargs):
    no_kwargs("concat", kwargs)
    return _f.concatenate(list(data), dim)


Concat = concat


def stack(*data, axis=0, num_args=None, **kwargs):
    no_kwargs("stack", kwargs)
    return _f.stack(list(data), axis)


def split(data, num_outputs, axis=1, squeeze_axis=False, **kwargs):
    """Equal pieces along ``axis`` (a list; the array itself for one piece),
    with ``squeeze_axis`` dropping the split axis of each piece."""
    no_kwargs("split", kwargs)
    pieces = _f.split(data, int(num_outputs), axis)
    if squeeze_axis:
        if data.shape[axis] != num_outputs:
            raise MXNetError(
                f"split: squeeze_axis needs pieces of extent 1 along axis {axis}, but shape "
                f"{data.shape} splits into {num_outputs} pieces"
            )
        pieces = [_no_zero_dim(_f.squeeze(p, axis)) for p in pieces]
    return pieces[0] if len(pieces) == 1 else pieces


SliceChannel = split


def slice_axis(data, axis, begin, end, **kwargs):
    no_kwargs("slice_axis", kwargs)
    return _f.slice_axis(data, axis, begin, end)


def slice(data, begin, end, step=None, **kwargs):  # noqa: A001 - MXNet's name
    no_kwargs("slice", kwargs)
    return _f.slice(data, begin, end, step)


def flatten(data, **kwargs):
    """Collapses all axes after the first: (d0, d1, ...) -> (d0, d1*...); 1-D (n,) -> (n, 1)."""
    no_kwargs("flatten", kwargs)
    return _f.reshape(data, (data.shape[0], math.prod(data.shape[1:])))


Flatten = flatten


def expand_dims(data, axis, **kwargs):
    no_kwargs("expand_dims", kwargs)
    return _f.expand_dims(data, axis)


def swapaxes(data, dim1=0, dim2=0, **kwargs):
    no_kwargs("swapaxes", kwargs)
    return _f.swapaxes(data, dim1, dim2)


SwapAxis = swapaxes


def tile(data, reps, **kwargs):
    no_kwargs("tile", kwargs)
    return _f.tile(data, reps)


def repeat(data, repeats, axis=None, **kwargs):
    no_kwargs("repeat", kwargs)
    return _f.repeat(data, int(repeats), axis)


def flip(data, axis, **kwargs):
    no_kwargs("flip", kwargs)
    return _f.flip(data, axis)


reverse = flip


def squeeze(data, axis=None, **kwargs):
    """Drops size-1 axes; a fully squeezed array keeps shape (1,) (no 0-d in nd)."""
    no_kwargs("squeeze", kwargs)
    return _no_zero_dim(_f.squeeze(data, axis))


# ---- NDArray methods (MXNet 1.x signatures) ------------------------------------


def _reshape(self, *shape, **kwargs):
    return _f.legacy_reshape(self, _shape_arg(shape, kwargs), kwargs.get("reverse", False))


def _transpose(self, *axes, **kwargs):
    if "axes" in kwargs:
        axes = kwargs["axes"]
    elif len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], int)):
        axes = axes[0]
    return _f.transpose(self, axes if axes != () else None)


def _split(self, num_outputs, axis=1, squeeze_axis=False):
    return split(self, num_outputs, axis, squeeze_axis)


for _name, _fn in {
    "reshape": _reshape,
    "transpose": _transpose,
    "flatten": lambda self: flatten(self),
    "squeeze": lambda self, axis=None: squeeze(self, axis),
    "swapaxes": lambda self, dim1=0, dim2=0: swapaxes(self, dim1, dim2),
    "expand_dims": lambda self, axis: expand_dims(self, axis),
    "tile": lambda self, reps: tile(self, reps),
    "repeat": lambda self, repeats, axis=None: repeat(self, repeats, axis),
    "flip": lambda self, axis: flip(self, axis),
    "split": _split,
    "slice_axis": lambda self, axis, begin, end: slice_axis(self, axis, begin, end),
}.items():
    setattr(NDArray, _name, _fn)
