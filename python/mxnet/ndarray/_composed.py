"""Legacy ``mxnet.nd`` operators that are compositions of registered ops (so
they are differentiable through them): add_n, cast, identity, concatenate,
moveaxis, broadcast_axis/axes/like, reshape_like, slice_like, shape_array,
size_array, nansum/nanprod, moments, softmin, hard_sigmoid, smooth_l1 and the
``*_axis`` names of the reductions. Arguments mxlite does not implement raise
NotSupportedError; ``name`` names a symbol in MXNet and has no effect here."""

import functools

from .. import _core
from .._args import no_kwargs, no_out
from ..base import MXNetError, unsupported_argument

__all__ = [
    "add_n", "ElementWiseSum", "cast", "Cast", "identity", "concatenate", "moveaxis", "broadcast_axis",
    "broadcast_axes", "broadcast_like", "reshape_like", "slice_like", "shape_array", "size_array", "nansum",
    "nanprod", "moments", "softmin", "hard_sigmoid", "smooth_l1", "sum_axis", "max_axis", "min_axis",
]  # fmt: skip

_f = _core.nd


def _nd():
    from .. import ndarray

    return ndarray


def add_n(*args, **kwargs):
    """The element-wise sum of all the (same-shaped) arguments."""
    no_out("add_n", kwargs.pop("out", None))
    kwargs.pop("name", None)
    no_kwargs("add_n", kwargs)
    if not args:
        raise MXNetError("add_n: at least one array is required")
    shape = args[0].shape
    for a in args[1:]:
        if a.shape != shape:
            raise MXNetError(f"add_n: all arrays must have the same shape, got {shape} and {a.shape}")
    return functools.reduce(lambda x, y: x + y, args)


ElementWiseSum = add_n


def cast(data, dtype, out=None, name=None):
    """``data`` converted to ``dtype`` (differentiable for float dtypes)."""
    no_out("cast", out)
    return data.astype(dtype)


Cast = cast


def identity(data, out=None, name=None):
    """A copy of ``data`` (the gradient passes through)."""
    no_out("identity", out)
    return data.copy()


def concatenate(arrays, axis=0, always_copy=True):
    """The arrays joined along ``axis`` (legacy NumPy-style name of concat)."""
    return _f.concatenate(list(arrays), axis)


def moveaxis(tensor, source, destination):
    """``tensor`` with axis ``source`` moved to ``destination``."""
    return _f.moveaxis(tensor, source, destination)


def broadcast_axis(data, axis=(), size=(), out=None, name=None):
    """``data`` with its length-1 axes ``axis`` broadcast to ``size``."""
    no_out("broadcast_axis", out)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    sizes = (size,) if isinstance(size, int) else tuple(size)
    if len(axes) != len(sizes):
        raise MXNetError(f"broadcast_axis: {len(axes)} axes but {len(sizes)} sizes")
    shape = list(data.shape)
    for a, s in zip(axes, sizes):
        a = a % data.ndim if data.ndim else a
        if shape[a] != 1:
            raise MXNetError(f"broadcast_axis: axis {a} of shape {data.shape} has length {shape[a]}, not 1")
        shape[a] = s
    return _f.broadcast_to(data, tuple(shape))


broadcast_axes = broadcast_axis


def broadcast_like(lhs, rhs, lhs_axes=None, rhs_axes=None, out=None, name=None):
    """``lhs`` broadcast to ``rhs``'s shape (``lhs_axes``/``rhs_axes``: only those axes)."""
    no_out("broadcast_like", out)
    if (lhs_axes is None) != (rhs_axes is None):
        raise MXNetError("broadcast_like: give both lhs_axes and rhs_axes or neither")
    if lhs_axes is None:
        return _f.broadcast_to(lhs, rhs.shape)
    shape = list(lhs.shape)
    for la, ra in zip(lhs_axes, rhs_axes):
        shape[la] = rhs.shape[ra]
    return _f.broadcast_to(lhs, tuple(shape))


def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None, out=None, name=None):
    """``lhs`` reshaped to ``rhs``'s shape."""
    no_out("reshape_like", out)
    for arg, value in (("lhs_begin", lhs_begin), ("lhs_end", lhs_end), ("rhs_begin", rhs_begin), ("rhs_end", rhs_end)):
        if value is not None:
            unsupported_argument("reshape_like", arg, value)
    return _f.reshape(lhs, rhs.shape)


def slice_like(data, shape_like, axes=(), out=None, name=None):
    """``data`` cut to ``shape_like``'s extents on ``axes`` (all axes when empty), from the start."""
    no_out("slice_like", out)
    axes = range(min(data.ndim, shape_like.ndim)) if not axes else [a % data.ndim for a in axes]
    index = [slice(None)] * data.ndim
    for a in axes:
        index[a] = slice(0, shape_like.shape[a])
    return data[tuple(index)]


def shape_array(data, out=None, name=None):
    """The shape of ``data`` as an int64 NDArray."""
    no_out("shape_array", out)
    return _f.array(list(data.shape), "int64")


def size_array(data, out=None, name=None):
    """The size of ``data`` as a one-element int64 NDArray."""
    no_out("size_array", out)
    return _f.array([data.size], "int64")


def _nan_reduction(reduction, fill):
    def reduce(data, axis=None, keepdims=False, exclude=False, out=None, name=None):
        from .. import numpy as mnp

        is_nan = mnp.isnan(data.as_np_ndarray()).as_nd_ndarray()
        clean = _f.where(is_nan, _f.zeros_like(data) + fill, data)
        return getattr(_nd(), reduction)(clean, axis=axis, keepdims=keepdims, exclude=exclude, out=out)

    reduce.__name__ = reduce.__qualname__ = "nan" + reduction
    reduce.__doc__ = f"``{reduction}`` with NaN counted as {fill} (MXNet's nan{reduction})."
    return reduce


nansum = _nan_reduction("sum", 0.0)
nanprod = _nan_reduction("prod", 1.0)


def moments(data, axes=None, keepdims=False, out=None, name=None):
    """[mean, variance] of ``data`` over ``axes`` (all when None)."""
    no_out("moments", out)
    nd = _nd()
    axis = tuple(axes) if axes is not None else None
    mean = nd.mean(data, axis=axis, keepdims=True)
    var = nd.mean(nd.square(data - mean), axis=axis, keepdims=keepdims)
    return [mean if keepdims else nd.mean(data, axis=axis, keepdims=False), var]


def softmin(data, axis=-1, temperature=None, dtype=None, use_length=False, out=None, name=None):
    """softmax of ``-data`` along ``axis``."""
    no_out("softmin", out)
    return _nd().softmax(-data, axis=axis, temperature=temperature, dtype=dtype, use_length=use_length)


def hard_sigmoid(data, alpha=0.2, beta=0.5, out=None, name=None):
    """clip(alpha * data + beta, 0, 1)."""
    no_out("hard_sigmoid", out)
    return _f.clip(data * alpha + beta, 0.0, 1.0)


def smooth_l1(data, scalar=1.0, out=None, name=None):
    """0.5 (scalar x)^2 where |x| < 1 / scalar^2, else |x| - 0.5 / scalar^2."""
    no_out("smooth_l1", out)
    s2 = float(scalar) ** 2
    magnitude = abs(data)
    return _f.where(magnitude < 1.0 / s2, 0.5 * s2 * data * data, magnitude - 0.5 / s2)


def _axis_alias(reduction):
    def fn(data, axis=None, keepdims=False, exclude=False, out=None, name=None):
        return getattr(_nd(), reduction)(data, axis=axis, keepdims=keepdims, exclude=exclude, out=out)

    fn.__name__ = fn.__qualname__ = reduction + "_axis"
    fn.__doc__ = f"MXNet's other name of ``nd.{reduction}``."
    return fn


sum_axis, max_axis, min_axis = _axis_alias("sum"), _axis_alias("max"), _axis_alias("min")
