"""Read, decode, resize and crop images held as (height, width, channels) arrays (MXNet 1.9.1's
``mxnet.image`` functions). Results are ``nd.NDArray`` in legacy mode and ``np.ndarray`` when
NumPy mode is active (``npx.set_np()``), as MXNet returns them."""

import os
import random

import numpy as _onp

from .. import _core
from .. import ndarray as _nd
from .. import numpy as _mnp
from ..base import MXNetError, unsupported_argument
from ..util import is_np_array
from . import _resize

__all__ = [
    "imread",
    "imdecode",
    "imresize",
    "scale_down",
    "resize_short",
    "fixed_crop",
    "random_crop",
    "center_crop",
    "color_normalize",
    "random_size_crop",
]


def _pil():
    try:
        from PIL import Image
    except ImportError as err:  # pragma: no cover - Pillow is a test/examples dependency
        raise ImportError(
            "mxnet.image needs Pillow to decode images: pip install Pillow (mxlite decodes with Pillow, not OpenCV)"
        ) from err
    return Image


def _to_numpy(src, where):
    if isinstance(src, (_core.NDArray, _core.ndarray)):
        return src.asnumpy()
    if isinstance(src, _onp.ndarray):
        return src
    raise TypeError(f"{where}: expected an NDArray image, got {type(src).__name__}")


def _like(values, src):
    """``values`` (a NumPy array) as the array type of ``src`` (or of the current mode)."""
    if isinstance(src, _core.ndarray) or (src is None and is_np_array()):
        return _mnp.array(values, dtype=values.dtype)
    return _nd.array(values, dtype=values.dtype)


def _check_flag(flag, where):
    if flag not in (0, 1):
        raise MXNetError(f"{where}: flag must be 0 (grayscale) or 1 (color), got {flag!r}")


def _decode_pil(pil_image, flag, to_rgb):
    # Grayscale uses ITU-R 601 luma (Pillow's "L" conversion); OpenCV uses the same weights,
    # and both round, but JPEG decoders differ slightly (values can differ by a few levels).
    if flag == 0:
        arr = _onp.asarray(pil_image.convert("L"))[:, :, None]
    else:
        arr = _onp.asarray(pil_image.convert("RGB"))
        if not to_rgb:
            arr = arr[:, :, ::-1]
    return _onp.ascontiguousarray(arr, dtype=_onp.uint8)


def imread(filename, flag=1, to_rgb=True, out=None):
    """Read and decode the image file ``filename`` into an (H, W, 3) uint8 array (flag=1, RGB unless
    ``to_rgb`` is False) or an (H, W, 1) grayscale one (flag=0)."""
    if out is not None:
        unsupported_argument("imread", "out")
    _check_flag(flag, "imread")
    if not os.path.isfile(filename):
        raise MXNetError(f"imread: cannot read image file {filename!r}: no such file")
    with open(filename, "rb") as f:
        data = f.read()
    return _decode(data, flag, to_rgb, f"imread({filename!r})")


def imdecode(buf, flag=1, to_rgb=True, out=None):
    """Decode an encoded image (bytes, bytearray, a NumPy uint8 buffer or a uint8 NDArray) into an
    (H, W, 3) RGB (or BGR if ``to_rgb`` is False) or (H, W, 1) grayscale uint8 array."""
    if out is not None:
        unsupported_argument("imdecode", "out")
    if isinstance(buf, (_core.NDArray, _core.ndarray)):
        buf = buf.asnumpy().astype(_onp.uint8).tobytes()
    elif isinstance(buf, _onp.ndarray):
        buf = buf.astype(_onp.uint8, copy=False).tobytes()
    elif not isinstance(buf, (bytes, bytearray)):
        raise ValueError(
            "buf must be of type bytes, bytearray or numpy.ndarray,"
            "if you would like to input type str, please convert to bytes"
        )
    _check_flag(flag, "imdecode")
    return _decode(bytes(buf), flag, to_rgb, "imdecode")


def _decode(data, flag, to_rgb, where):
    import io

    image_mod = _pil()
    try:
        with image_mod.open(io.BytesIO(data)) as pil_image:
            pil_image.load()
            arr = _decode_pil(pil_image, flag, to_rgb)
    except (OSError, ValueError, SyntaxError) as err:
        raise MXNetError(f"{where}: cannot decode the {len(data)} bytes as an image ({err})") from err
    return _like(arr, None)


def _check_image(src, where):
    if len(src.shape) != 3:
        raise MXNetError(f"{where}: expected an (H, W, C) image, got shape {tuple(src.shape)}")


def imresize(src, w, h, interp=1, out=None):
    """Resize the (H, W, C) image ``src`` to width ``w`` and height ``h``. ``interp``: 0 nearest,
    1 bilinear, 2 bicubic, 3 area, 4 Lanczos (OpenCV's codes, as MXNet). uint8 results can differ
    from MXNet's (OpenCV) by one intensity level: see ``mxnet.image._resize``."""
    if out is not None:
        unsupported_argument("imresize", "out")
    arr = _to_numpy(src, "imresize")
    _check_image(arr, "imresize")
    w, h = int(w), int(h)
    if w < 1 or h < 1:
        raise MXNetError(f"imresize: the new size must be at least 1x1, got w={w}, h={h}")
    if interp not in (0, 1, 2, 3, 4):
        raise MXNetError(f"imresize: unknown interpolation method {interp!r} (expected 0-4)")
    if arr.dtype not in (_onp.uint8, _onp.float32, _onp.float64):
        raise MXNetError(f"imresize: images must be uint8, float32 or float64, got {arr.dtype}")
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise MXNetError(f"imresize: cannot resize an empty image of shape {arr.shape}")
    return _like(_resize.resize(arr, w, h, interp), src)


def scale_down(src_size, size):
    """Shrink the crop ``size`` (w, h) so it fits in ``src_size`` (w, h), keeping its aspect ratio."""
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def _get_interp_method(interp, sizes=()):
    """Resolve 9 (auto: bicubic to enlarge, area to shrink, else bilinear) and 10 (random)."""
    if interp == 9:
        if sizes:
            oh, ow, nh, nw = sizes
            if nh > oh and nw > ow:
                return 2
            if nh < oh and nw < ow:
                return 3
            return 1
        return 2
    if interp == 10:
        return random.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise ValueError("Unknown interp method %d" % interp)
    return interp


def resize_short(src, size, interp=2):
    """Resize so that the shorter edge is ``size``, the longer one in proportion (rounded down)."""
    _check_image(src, "resize_short")
    h, w, _ = src.shape
    if h > w:
        new_h, new_w = size * h // w, size
    else:
        new_h, new_w = size, size * w // h
    return imresize(src, new_w, new_h, interp=_get_interp_method(interp, (h, w, new_h, new_w)))


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """The ``w`` x ``h`` region at (``x0``, ``y0``), resized to ``size`` (w, h) if given."""
    _check_image(src, "fixed_crop")
    ih, iw = src.shape[:2]
    if x0 < 0 or y0 < 0 or w < 1 or h < 1 or x0 + w > iw or y0 + h > ih:
        raise MXNetError(
            f"fixed_crop: the crop (x0={x0}, y0={y0}, w={w}, h={h}) is not inside the {iw}x{ih} (WxH) image"
        )
    out = src[y0 : y0 + h, x0 : x0 + w]
    if size is not None and (w, h) != tuple(size):
        out = imresize(out, *size, interp=_get_interp_method(interp, (h, w, size[1], size[0])))
    return out


def random_crop(src, size, interp=2):
    """A random crop of ``size`` (w, h) (scaled down to fit, then resized up to ``size``); returns
    (image, (x0, y0, w, h))."""
    _check_image(src, "random_crop")
    h, w, _ = src.shape
    new_w, new_h = scale_down((w, h), size)
    x0 = random.randint(0, w - new_w)
    y0 = random.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def center_crop(src, size, interp=2):
    """The centred crop of ``size`` (w, h) (scaled down to fit, then resized up to ``size``);
    returns (image, (x0, y0, w, h))."""
    _check_image(src, "center_crop")
    h, w, _ = src.shape
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src, mean, std=None):
    """``(src - mean) / std`` computed in place on ``src`` (which is returned), as MXNet does."""
    if mean is not None:
        src -= mean
    if std is not None:
        src /= std
    return src


def random_size_crop(src, size, area, ratio, interp=2, **kwargs):
    """A crop with random area (fraction ``area`` or range) and aspect ratio (``ratio`` range),
    resized to ``size`` (w, h); falls back to ``center_crop`` after 10 failed draws. Returns
    (image, (x0, y0, w, h))."""
    import warnings

    _check_image(src, "random_size_crop")
    h, w, _ = src.shape
    src_area = h * w
    if "min_area" in kwargs:
        warnings.warn("`min_area` is deprecated. Please use `area` instead.", DeprecationWarning, stacklevel=2)
        area = kwargs.pop("min_area")
    if kwargs:
        raise TypeError(f"random_size_crop: unexpected keyword arguments {sorted(kwargs)}")
    if isinstance(area, (int, float)):
        area = (area, 1.0)
    for _ in range(10):
        target_area = random.uniform(area[0], area[1]) * src_area
        log_ratio = (_onp.log(ratio[0]), _onp.log(ratio[1]))
        new_ratio = _onp.exp(random.uniform(*log_ratio))
        new_w = int(round(_onp.sqrt(target_area * new_ratio)))
        new_h = int(round(_onp.sqrt(target_area / new_ratio)))
        if 0 < new_w <= w and 0 < new_h <= h:
            x0 = random.randint(0, w - new_w)
            y0 = random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)
