"""``mxnet.gluon.utils``: data-parallel splitting and global gradient-norm clipping (MXNet 1.9.1)."""

import warnings

import numpy as _onp

from .. import ndarray as _nd
from .. import numpy as _mnp
from ..util import is_np_array

__all__ = ["split_data", "split_and_load", "clip_global_norm"]


def _section_bounds(size, num_slice):
    """Begin/end of each slice: the first ``size % num_slice`` slices are one longer."""
    base, extra = divmod(size, num_slice)
    bounds, begin = [], 0
    for i in range(num_slice):
        end = begin + base + (1 if i < extra else 0)
        bounds.append((begin, end))
        begin = end
    return bounds


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """Splits ``data`` into ``num_slice`` slices along ``batch_axis`` (always a list).

    With ``even_split`` the axis length must be a multiple of ``num_slice``; otherwise the
    first ``length % num_slice`` slices get one extra element."""
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(
            "data with shape %s cannot be evenly split into %d slices along axis %d. "
            "Use a batch size that's multiple of %d or set even_split=False to allow "
            "uneven partitioning of data." % (str(data.shape), num_slice, batch_axis, num_slice)
        )
    bounds = _section_bounds(size, num_slice)
    if isinstance(data, _mnp.ndarray):
        cuts = [end for _, end in bounds[:-1]]
        return list(_mnp.split(data, cuts, axis=batch_axis))
    return [_nd.slice_axis(data, axis=batch_axis, begin=b, end=e) for b, e in bounds]


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Splits ``data`` along ``batch_axis`` into one slice per context of ``ctx_list`` and copies
    each slice there. Non-mx input (NumPy arrays, lists) is first made an mx array of the
    current mode (``mx.np`` under ``npx.set_np()``) on ``ctx_list[0]``."""
    if not isinstance(data, (_nd.NDArray, _mnp.ndarray)):
        make = _mnp.array if is_np_array() else _nd.array
        data = make(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    pieces = split_data(data, len(ctx_list), batch_axis, even_split)
    return [piece.as_in_context(ctx) for piece, ctx in zip(pieces, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Scales ``arrays`` in place by ``min(1, max_norm / (total_norm + 1e-8))``, where
    ``total_norm`` is the 2-norm of all their elements together.

    Returns ``total_norm`` as a scalar when ``check_isfinite`` (warning if it is nan or inf),
    else as an array of shape (1,) (legacy NDArrays) or () (``mx.np`` arrays, which MXNet 1.9.1
    rejects here), without blocking."""
    assert len(arrays) > 0
    ctx = arrays[0].ctx
    if isinstance(arrays[0], _mnp.ndarray):
        squares = [(_mnp.square(a.reshape(-1))).sum().as_in_context(ctx) for a in arrays]
        total = squares[0]
        for sq in squares[1:]:
            total = total + sq
        total_norm = _mnp.sqrt(total)
        scale = _mnp.minimum(max_norm / (total_norm + 1e-8), 1.0)
    else:
        squares = []
        for a in arrays:
            flat = a.reshape((-1,))
            squares.append(_nd.dot(flat, flat).as_in_context(ctx))
        total_norm = _nd.sqrt(_nd.add_n(*squares))
        scale = _nd.min(_nd.concat(max_norm / (total_norm + 1e-8), _nd.ones(1, ctx=ctx), dim=0))
    for a in arrays:
        a *= scale.as_in_context(a.ctx)
    if not check_isfinite:
        return total_norm
    value = total_norm.item() if isinstance(total_norm, _mnp.ndarray) else total_norm.asscalar()
    if not _onp.isfinite(value):
        warnings.warn(UserWarning("nan or inf is detected. Clipping results will be undefined."), stacklevel=2)
    return value
