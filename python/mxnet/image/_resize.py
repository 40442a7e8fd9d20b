"""OpenCV-compatible image resizing written with NumPy (MXNet 1.9.1 resizes with OpenCV 3.4).

Each interpolation is separable: for each axis a (new_size, old_size) weight matrix is built
with OpenCV's source-coordinate rule, and the image is multiplied by the row matrix and the
column matrix. Borders replicate the edge pixel, as OpenCV's resize does.

How values can differ from OpenCV: for uint8 images OpenCV computes with fixed-point weights
(11 fractional bits for bilinear, and SIMD paths with their own rounding), while this module
computes in float64 and rounds to nearest once at the end. Results therefore agree with
OpenCV's up to 1 intensity level for uint8, and up to float32 rounding for float images.
"""

import numpy as _np

# MXNet's (= OpenCV's) interpolation codes.
NEAREST, LINEAR, CUBIC, AREA, LANCZOS4 = 0, 1, 2, 3, 4


def _clamped(rows, cols, weights, n_in):
    """A dense weight matrix from (output row, input index, weight) triples, indices clamped."""
    mat = _np.zeros((rows, n_in), dtype=_np.float64)
    _np.add.at(mat, (_np.broadcast_to(_np.arange(rows)[:, None], cols.shape), _np.clip(cols, 0, n_in - 1)), weights)
    return mat


def _nearest(n_in, n_out):
    scale = n_in / n_out
    src = _np.minimum(_np.floor(_np.arange(n_out) * scale).astype(_np.int64), n_in - 1)
    mat = _np.zeros((n_out, n_in))
    mat[_np.arange(n_out), src] = 1.0
    return mat


def _linear_positions(n_in, n_out, area_rule):
    """Left source index and fraction for each output pixel (OpenCV's INTER_LINEAR rule, or the
    INTER_AREA rule it uses when enlarging)."""
    scale = n_in / n_out
    dst = _np.arange(n_out, dtype=_np.float64)
    if area_rule:
        left = _np.floor(dst * scale)
        frac = (dst + 1) - (left + 1) * (n_out / n_in)
        frac = _np.where(frac <= 0, 0.0, frac - _np.floor(frac))
    else:
        pos = (dst + 0.5) * scale - 0.5
        left = _np.floor(pos)
        frac = pos - left
    left = left.astype(_np.int64)
    low = left < 0
    frac[low], left[low] = 0.0, 0
    high = left >= n_in - 1
    frac[high], left[high] = 0.0, n_in - 1
    return left, frac


def _linear(n_in, n_out, area_rule=False):
    left, frac = _linear_positions(n_in, n_out, area_rule)
    cols = _np.stack([left, left + 1], axis=1)
    weights = _np.stack([1.0 - frac, frac], axis=1)
    return _clamped(n_out, cols, weights, n_in)


def _kernel_positions(n_in, n_out):
    pos = (_np.arange(n_out, dtype=_np.float64) + 0.5) * (n_in / n_out) - 0.5
    left = _np.floor(pos)
    return left.astype(_np.int64), pos - left


def _cubic(n_in, n_out):
    a = -0.75  # OpenCV's bicubic constant
    left, x = _kernel_positions(n_in, n_out)
    x = x[:, None]
    d = _np.abs(_np.arange(-1, 3)[None, :] - x)  # distances to taps left-1 .. left+2
    near = ((a + 2) * d - (a + 3)) * d * d + 1
    far = ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    weights = _np.where(d <= 1, near, _np.where(d < 2, far, 0.0))
    return _clamped(n_out, left[:, None] + _np.arange(-1, 3)[None, :], weights, n_in)


def _lanczos4(n_in, n_out):
    left, x = _kernel_positions(n_in, n_out)
    d = _np.arange(-3, 5)[None, :] - x[:, None]  # taps left-3 .. left+4
    with _np.errstate(invalid="ignore", divide="ignore"):
        weights = _np.sinc(d) * _np.sinc(d / 4)
    weights /= weights.sum(axis=1, keepdims=True)
    return _clamped(n_out, left[:, None] + _np.arange(-3, 5)[None, :], weights, n_in)


def _area_shrink(n_in, n_out):
    """Each output pixel averages the input it covers, partial pixels by their covered part."""
    scale = n_in / n_out
    starts = _np.arange(n_out) * scale
    ends = starts + scale
    edges = _np.arange(n_in + 1, dtype=_np.float64)
    overlap = _np.clip(
        _np.minimum(ends[:, None], edges[None, 1:]) - _np.maximum(starts[:, None], edges[None, :-1]), 0, None
    )
    return overlap / overlap.sum(axis=1, keepdims=True)


def weights(n_in, n_out, interp, shrinking_both):
    """The (n_out, n_in) matrix that resizes one axis."""
    if interp == NEAREST:
        return _nearest(n_in, n_out)
    if interp == LINEAR:
        return _linear(n_in, n_out)
    if interp == CUBIC:
        return _cubic(n_in, n_out)
    if interp == LANCZOS4:
        return _lanczos4(n_in, n_out)
    # INTER_AREA: a true area average when both axes shrink (or stay), else OpenCV's
    # bilinear variant with the area rule for the fractions.
    if shrinking_both:
        return _area_shrink(n_in, n_out)
    return _linear(n_in, n_out, area_rule=True)


def resize(img, w, h, interp):
    """Resize the (H, W, C) NumPy image ``img`` to (h, w, C); uint8 results are rounded and saturated."""
    in_h, in_w = img.shape[:2]
    shrinking_both = h <= in_h and w <= in_w
    wy = weights(in_h, h, interp, shrinking_both)
    wx = weights(in_w, w, interp, shrinking_both)
    data = img.astype(_np.float64)
    out = _np.einsum("yh,hwc->ywc", wy, data)
    out = _np.einsum("xw,ywc->yxc", wx, out)
    if img.dtype == _np.uint8:
        return _np.clip(_np.floor(out + 0.5), 0, 255).astype(_np.uint8)
    return out.astype(img.dtype)
