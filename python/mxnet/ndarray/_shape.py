"""Legacy ``mxnet.ndarray`` shape functions with MXNet 1.x names and
conventions (reshape codes 0/-1/-2/-3/-4, ``dim=``/``num_outputs=``, no 0-d
results) and the matching NDArray methods."""

import math

from .. import _core
from .._args import into, no_kwargs
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
    "Reshape",
    "pad",
    "Pad",
    "Crop",
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


Reshape = reshape


def pad(data, mode, pad_width, constant_value=0.0, out=None, name=None, **kwargs):
    """MXNet's Pad of a 4-D or 5-D array: ``pad_width`` holds (before, after)
    for every axis, flattened, with zeros for the first two axes; ``mode`` is
    'constant' (``constant_value``), 'edge' or 'reflect' (the widths must then
    be smaller than the axes)."""
    no_kwargs("pad", kwargs)
    if data.ndim not in (4, 5):
        raise MXNetError(f"pad: data must be 4-D or 5-D, got shape {data.shape}")
    widths = tuple(int(w) for w in pad_width)
    if len(widths) != 2 * data.ndim:
        raise MXNetError(f"pad: pad_width must hold {2 * data.ndim} values for shape {data.shape}, got {pad_width!r}")
    if any(widths[:4]):
        raise MXNetError(f"pad: the first two axes (batch, channel) cannot be padded, got pad_width {pad_width!r}")
    pairs = [(widths[2 * i], widths[2 * i + 1]) for i in range(data.ndim)]
    if mode == "constant":
        return into("pad", _f.pad_constant(data, pairs, float(constant_value)), out)
    if mode == "reflect":
        for axis, (before, after) in enumerate(pairs):
            if max(before, after) >= data.shape[axis]:
                raise MXNetError(
                    f"pad: mode='reflect' needs pad widths smaller than the axis, got {(before, after)} "
                    f"for axis {axis} of shape {data.shape}"
                )
    elif mode != "edge":
        raise MXNetError(f"pad: invalid mode {mode!r}, valid values are: 'constant', 'edge', 'reflect'")
    return into("pad", _f.pad_mode(data, pairs, mode), out)


Pad = pad


def Crop(*data, offset=(0, 0), h_w=(0, 0), num_args=None, center_crop=False, out=None, name=None, **kwargs):  # noqa: N802
    """MXNet's legacy Crop of the last two axes of a 4-D array: to ``h_w`` at
    ``offset``, or to the height and width of a second array; ``center_crop``
    centres the window instead."""
    no_kwargs("Crop", kwargs)
    if len(data) not in (1, 2) or (num_args is not None and int(num_args) != len(data)):
        raise MXNetError(f"Crop: takes 1 or 2 arrays (num_args={num_args}), got {len(data)}")
    x = data[0]
    if x.ndim != 4:
        raise MXNetError(f"Crop: data must be 4-D (batch, channel, height, width), got shape {x.shape}")
    height, width = (data[1].shape[2], data[1].shape[3]) if len(data) == 2 else (int(h_w[0]), int(h_w[1]))
    if center_crop:
        top, left = (x.shape[2] - height) // 2, (x.shape[3] - width) // 2
    else:
        top, left = int(offset[0]), int(offset[1])
    if height <= 0 or width <= 0 or top < 0 or left < 0 or top + height > x.shape[2] or left + width > x.shape[3]:
        raise MXNetError(
            f"Crop: a ({height}, {width}) window at offset ({top}, {left}) does not fit data of shape {x.shape}"
        )
    return into("Crop", x[:, :, top : top + height, left : left + width], out)


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
    "pad": lambda self, mode, pad_width, constant_value=0.0, **kwargs: pad(
        self, mode, pad_width, constant_value, **kwargs
    ),
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
