"""Image operators on (H, W, C) images and (N, H, W, C) batches (MXNet 1.9.1's ``nd.image`` and
``npx.image``): each returns the array type it is given. ``to_tensor`` and ``normalize`` are
composed of registered ops, so they are recorded by autograd; ``resize`` goes through NumPy
(OpenCV's rules, see ``mxnet.image._resize``) and, like MXNet's, has no gradient."""

import numpy as _onp

from .. import _core
from ..base import MXNetError

__all__ = [
    "to_tensor",
    "normalize",
    "resize",
    "crop",
    "flip_left_right",
    "flip_top_bottom",
    "random_flip_left_right",
    "random_flip_top_bottom",
]


def _is_np(x):
    return isinstance(x, _core.ndarray)


def _check(x, op, ndims=(3, 4)):
    if not isinstance(x, (_core.NDArray, _core.ndarray)):
        raise TypeError(f"image.{op}: expected an NDArray, got {type(x).__name__}")
    if x.ndim not in ndims:
        want = " or ".join(str(n) for n in ndims)
        raise MXNetError(f"image.{op}: input image dimension should be {want} but got shape {tuple(x.shape)}")


def _array_like(values, x):
    from .. import ndarray as nd
    from .. import numpy as mnp

    return (mnp if _is_np(x) else nd).array(values, dtype=values.dtype)


def to_tensor(data):
    """(H, W, C) or (N, H, W, C) images with values in [0, 255] -> float32 (C, H, W) or
    (N, C, H, W) with values in [0, 1]."""
    _check(data, "to_tensor")
    out = data.astype("float32") / 255.0
    return out.transpose((2, 0, 1) if data.ndim == 3 else (0, 3, 1, 2))


def _per_channel(values, channels, what):
    vals = [float(v) for v in (values if isinstance(values, (list, tuple)) else [values])]
    if len(vals) == 1:
        vals = vals * channels
    if len(vals) != channels:
        raise MXNetError(
            f"image.normalize: {what} has {len(vals)} values but the input has {channels} channels "
            "(give one value or one per channel)"
        )
    return vals


def normalize(data, mean=0.0, std=1.0):
    """``(data - mean) / std`` per channel on float (C, H, W) or (N, C, H, W) tensors; ``mean`` and
    ``std`` are numbers or one value per channel."""
    _check(data, "normalize")
    if not _onp.issubdtype(_onp.dtype(data.dtype), _onp.floating):
        raise MXNetError(f"image.normalize: the input must be a float tensor (use to_tensor first), got {data.dtype}")
    channels = data.shape[-3]
    dt = _onp.dtype(data.dtype)
    m = _onp.array(_per_channel(mean, channels, "mean"), dtype=dt).reshape(channels, 1, 1)
    s = _onp.array(_per_channel(std, channels, "std"), dtype=dt).reshape(channels, 1, 1)
    return (data - _array_like(m, data)) / _array_like(s, data)


def _target_size(h, w, size, keep_ratio):
    if isinstance(size, (list, tuple)):
        if len(size) == 1:
            size = size[0]
        elif len(size) == 2:
            nw, nh = int(size[0]), int(size[1])
            if nw < 1 or nh < 1:
                raise MXNetError(f"image.resize: width and height must be greater than 0, got {tuple(size)}")
            return nh, nw
        else:
            raise MXNetError(f"image.resize: size must be an int or (width, height), got {tuple(size)}")
    size = int(size)
    if size < 1:
        raise MXNetError(f"image.resize: size should be greater than 0, but got {size}")
    if not keep_ratio:
        return size, size
    if h > w:
        return int(h * size / w), size
    return size, int(w * size / h)


def resize(data, size, keep_ratio=False, interp=1):
    """Resize (H, W, C) images or (N, H, W, C) batches to ``size``: (width, height), or an int for a
    square (or, with ``keep_ratio``, for the shorter edge). ``interp`` is OpenCV's code (0 nearest,
    1 bilinear, 2 bicubic, 3 area, 4 Lanczos)."""
    from ..image import _resize
    from ..image.image import imresize

    _check(data, "resize")
    h, w = data.shape[-3], data.shape[-2]
    nh, nw = _target_size(h, w, size, keep_ratio)
    if data.ndim == 3:
        return imresize(data, nw, nh, interp=interp)
    if interp not in (0, 1, 2, 3, 4):
        raise MXNetError(f"image.resize: unknown interpolation method {interp!r} (expected 0-4)")
    batch = data.asnumpy()
    out = _onp.stack([_resize.resize(img, nw, nh, interp) for img in batch]) if len(batch) else batch
    return _array_like(out, data)


def crop(data, x, y, width, height):
    """The ``width`` x ``height`` region with top-left corner (``x``, ``y``) of each image."""
    _check(data, "crop")
    h, w = data.shape[-3], data.shape[-2]
    if x < 0 or y < 0 or width < 1 or height < 1 or x + width > w or y + height > h:
        raise MXNetError(
            f"image.crop: the region (x={x}, y={y}, width={width}, height={height}) is not inside the "
            f"{w}x{h} (WxH) image of shape {tuple(data.shape)}"
        )
    if data.ndim == 3:
        return data[y : y + height, x : x + width]
    return data[:, y : y + height, x : x + width]


def _flip(data, axis):
    from .. import ndarray as nd
    from .. import numpy as mnp

    return mnp.flip(data, axis=axis) if _is_np(data) else nd.flip(data, axis=axis)


def flip_left_right(data):
    """Mirror each image horizontally (along its width axis)."""
    _check(data, "flip_left_right")
    return _flip(data, data.ndim - 2)


def flip_top_bottom(data):
    """Mirror each image vertically (along its height axis)."""
    _check(data, "flip_top_bottom")
    return _flip(data, data.ndim - 3)


def _coin():
    from . import random

    return float(random.uniform(0, 1, shape=(1,)).asnumpy()[0]) < 0.5


def random_flip_left_right(data):
    """``flip_left_right`` with probability 0.5 (drawn from mxnet's seeded generator)."""
    _check(data, "random_flip_left_right", ndims=(3,))
    return flip_left_right(data) if _coin() else data


def random_flip_top_bottom(data):
    """``flip_top_bottom`` with probability 0.5 (drawn from mxnet's seeded generator)."""
    _check(data, "random_flip_top_bottom", ndims=(3,))
    return flip_top_bottom(data) if _coin() else data
