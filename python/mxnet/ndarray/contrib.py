"""``mxnet.ndarray.contrib`` (``nd.contrib``): MXNet 1.9.1's contributed operators.

``BilinearResize2D`` is composed of registered ops (two matrix products with
interpolation matrices built from the shapes alone), so autograd records it,
gradients of any order come from those ops' gradients and a hybridized block
captures it (the matrices become constants of the captured graph).
``adamw_update`` and ``CTCLoss`` / ``ctc_loss`` are the functions mxlite has
under other names (``nd.CTCLoss``; mx.optimizer.AdamW's update)."""

import functools

import numpy as _onp

from .. import _core
from .._args import into, no_kwargs
from ..base import MXNetError
from ._nn import CTCLoss, ctc_loss
from ._optimizer import _adamw_update as adamw_update

__all__ = ["BilinearResize2D", "adamw_update", "CTCLoss", "ctc_loss"]

_MODES = ("size", "odd_scale", "like", "to_even_down", "to_even_up", "to_odd_down", "to_odd_up")
_INT16_MAX = 32767  # MXNet keeps the new height and width in an int16


def _f32_times(scale, size):
    """int(scale * size) as MXNet computes it: a float32 product truncated toward zero."""
    return int(_onp.float32(scale) * _onp.float32(size))


def _output_size(shape, like_shape, height, width, scale_height, scale_width, mode):
    """(new height, new width) of BilinearResize2D for an NCHW input of ``shape``."""
    h, w = shape[2], shape[3]
    if mode == "size":
        # MXNet's rule, quirk included: scale_width is used only when scale_height is given.
        if scale_height is None:
            return height, width
        if scale_width is None:
            raise MXNetError("BilinearResize2D: mode 'size' with scale_height also needs scale_width")
        return _f32_times(scale_height, h), _f32_times(scale_width, w)
    if mode == "odd_scale":
        if scale_height is None or scale_width is None:
            raise MXNetError("BilinearResize2D: mode 'odd_scale' needs both scale_height and scale_width")

        def odd_scale(n, scale):
            return _f32_times(scale, n) if n % 2 == 0 else _f32_times(scale, n - 1) + 1

        return odd_scale(h, scale_height), odd_scale(w, scale_width)
    if mode == "like":
        return like_shape[2], like_shape[3]
    step = {"to_even_down": (0, -1), "to_even_up": (0, 1), "to_odd_down": (1, -1), "to_odd_up": (1, 1)}[mode]
    keep, delta = step
    return tuple(n if n % 2 == keep else n + delta for n in (h, w))


@functools.lru_cache(maxsize=256)
def _weights(n_in, n_out, align_corners, dtype):
    """The (n_out, n_in) matrix of 1-D linear interpolation along one axis,
    with MXNet's source positions (rounded to float32 as its kernel does):
    align_corners: src = dst (n_in - 1) / (n_out - 1); otherwise
    src = max(0, (dst + 0.5) n_in / n_out - 0.5); an output of size 1 reads
    source 0. Each row puts 1 - frac on floor(src) and frac on the next pixel
    (the same pixel at the last one)."""
    f32 = _onp.float32
    if n_out > 1:
        scale = f32(n_in - 1) / f32(n_out - 1) if align_corners else f32(n_in) / f32(n_out)
    else:
        scale = f32(0)
    dst = _onp.arange(n_out, dtype=f32)
    if align_corners:
        src = scale * dst
    else:  # the kernel evaluates this one in double and keeps a float
        src = _onp.maximum((_onp.float64(scale) * (dst.astype(_onp.float64) + 0.5) - 0.5).astype(f32), f32(0))
    low = src.astype(_onp.int64)  # truncation, as the kernel's int conversion (src >= 0)
    high = _onp.where(low < n_in - 1, low + 1, low)
    frac = (src - low.astype(f32)).astype(dtype)
    matrix = _onp.zeros((n_out, n_in), dtype=dtype)
    rows = _onp.arange(n_out)
    _onp.add.at(matrix, (rows, low), dtype.type(1) - frac)
    _onp.add.at(matrix, (rows, high), frac)
    matrix.setflags(write=False)
    return matrix


def BilinearResize2D(  # noqa: N802 - MXNet's name
    data, like=None, height=1, width=1, scale_height=None, scale_width=None, mode="size", align_corners=True,
    out=None, name=None, **kwargs,
):  # fmt: skip
    """Resizes NCHW images by bilinear interpolation (MXNet's contrib op).

    The output is (N, C, new_height, new_width), where by ``mode``:
    'size': (height, width), or when ``scale_height`` is given
    (int(scale_height * H), int(scale_width * W)) (as in MXNet, ``scale_width``
    alone is not used); 'odd_scale': each of H and W is int(n * scale) when even
    and int((n - 1) * scale) + 1 when odd; 'like': the height and width of the
    second input ``like``; 'to_even_down' / 'to_even_up' / 'to_odd_down' /
    'to_odd_up': each odd (even) size moved by one to the nearest even (odd)
    size below / above. ``align_corners`` True maps the corner pixels' centres
    onto each other; False scales the whole pixel grid. ``height`` and
    ``width`` must be at least 1 in every mode. The gradient with respect to
    ``like`` is zero. A legacy operator: it takes and returns NDArrays."""
    no_kwargs("BilinearResize2D", kwargs)
    if mode not in _MODES:
        raise MXNetError(f"BilinearResize2D: invalid mode {mode!r}, valid values are: {', '.join(map(repr, _MODES))}")
    for what, value in (("height", height), ("width", width)):
        if int(value) != value or value < 1:
            raise MXNetError(f"BilinearResize2D: {what} must be an integer >= 1, got {value!r}")
    for what, value in (("data", data), ("like", like)):
        if value is not None and not isinstance(value, _core.NDArray):
            # MXNet's legacy operators take legacy NDArrays only (an np.ndarray: x.as_nd_ndarray()).
            raise TypeError(f"BilinearResize2D: {what} must be a legacy NDArray, got {type(value).__name__}")
    if data.ndim != 4:
        raise MXNetError(f"BilinearResize2D: data must be 4-D (NCHW), got shape {data.shape}")
    if mode == "like":
        if like is None:
            raise MXNetError(f"BilinearResize2D: mode 'like' needs the second input like (data shape {data.shape})")
        if like.ndim != 4:
            raise MXNetError(f"BilinearResize2D: like must be 4-D (NCHW), got shape {like.shape}")
    elif like is not None:
        raise MXNetError(f"BilinearResize2D: like is only used with mode 'like', got mode {mode!r}")
    dtype = _onp.dtype(data.dtype)
    if dtype.kind != "f":
        raise MXNetError(f"BilinearResize2D: data must be floating point, got {dtype.name} of shape {data.shape}")
    n, c, h_in, w_in = data.shape
    h_out, w_out = _output_size(
        data.shape, like.shape if like is not None else None, int(height), int(width), scale_height, scale_width, mode
    )
    if not (0 <= h_out <= _INT16_MAX and 0 <= w_out <= _INT16_MAX):
        raise MXNetError(
            f"BilinearResize2D: the output size ({h_out}, {w_out}) for data of shape {data.shape} must be in "
            f"[0, {_INT16_MAX}] (mode {mode!r})"
        )
    if (h_in == 0 and h_out > 0) or (w_in == 0 and w_out > 0):
        raise MXNetError(f"BilinearResize2D: cannot interpolate data of shape {data.shape} to ({h_out}, {w_out})")
    y = data
    # Width first, then height: the order of MXNet's kernel.
    if w_out != w_in:
        y = _core.nd.matmul(y, _core.nd.array(_weights(w_in, w_out, bool(align_corners), dtype).T, dtype.name))
    if h_out != h_in:
        y = _core.nd.matmul(_core.nd.array(_weights(h_in, h_out, bool(align_corners), dtype), dtype.name), y)
    if y is data:
        y = data.copy()
    if mode == "like":
        # The output depends on like only through its shape: adding the sum of
        # none of its elements (exactly 0) makes that a zero gradient, as MXNet's.
        y = y + like.reshape((-1,))[0:0].sum()
    return into("BilinearResize2D", y, out)
