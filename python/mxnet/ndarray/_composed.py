"""Legacy ``mxnet.nd`` operators that are compositions of registered ops (so
they are differentiable through them): add_n, cast, identity, concatenate,
moveaxis, broadcast_axis/axes/like, reshape_like, slice_like, shape_array,
size_array, nansum/nanprod, moments, softmin, hard_sigmoid, smooth_l1 and the
``*_axis`` names of the reductions, depth_to_space/space_to_depth, split_v2,
batch_take, argmax_channel, khatri_rao, softmax_cross_entropy and crop. The
index helpers unravel_index/ravel_multi_index and histogram compute on a host
copy, as they are not differentiable in MXNet either. Arguments mxlite does not
implement raise NotSupportedError; ``name`` names a symbol in MXNet and has no
effect here."""

import functools
import operator

import numpy as onp

from .. import _core
from .._args import into, no_kwargs, no_out
from .ndarray import NDArray
from ..base import MXNetAxisError, MXNetError, MXNetTypeError, MXNetValueError, unsupported_argument

__all__ = [
    "add_n", "ElementWiseSum", "cast", "Cast", "identity", "concatenate", "moveaxis", "broadcast_axis",
    "broadcast_axes", "broadcast_like", "reshape_like", "slice_like", "shape_array", "size_array", "nansum",
    "nanprod", "moments", "softmin", "hard_sigmoid", "smooth_l1", "sum_axis", "max_axis", "min_axis",
    "depth_to_space", "space_to_depth", "split_v2", "batch_take", "unravel_index", "ravel_multi_index",
    "argmax_channel", "khatri_rao", "histogram", "softmax_cross_entropy", "crop", "from_numpy",
]  # fmt: skip

_f = _core.nd


def _nd():
    from .. import ndarray

    return ndarray


def add_n(*args, **kwargs):
    """The element-wise sum of all the (same-shaped) arguments."""
    out = kwargs.pop("out", None)
    kwargs.pop("name", None)
    no_kwargs("add_n", kwargs)
    if not args:
        raise MXNetError("add_n: at least one array is required")
    shape = args[0].shape
    for a in args[1:]:
        if a.shape != shape:
            raise MXNetError(f"add_n: all arrays must have the same shape, got {shape} and {a.shape}")
    return into("add_n", functools.reduce(lambda x, y: x + y, args), out)


ElementWiseSum = add_n


def cast(data, dtype, out=None, name=None):
    """``data`` converted to ``dtype`` (differentiable for float dtypes)."""
    return into("cast", data.astype(dtype), out)


Cast = cast


def identity(data, out=None, name=None):
    """A copy of ``data`` (the gradient passes through)."""
    return into("identity", data.copy(), out)


def concatenate(arrays, axis=0, always_copy=True):
    """The arrays joined along ``axis`` (legacy NumPy-style name of concat)."""
    return _f.concatenate(list(arrays), axis)


def moveaxis(tensor, source, destination):
    """``tensor`` with axis ``source`` moved to ``destination``."""
    return _f.moveaxis(tensor, source, destination)


def broadcast_axis(data, axis=(), size=(), out=None, name=None):
    """``data`` with its length-1 axes ``axis`` broadcast to ``size``."""
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
    return into("broadcast_axis", _f.broadcast_to(data, tuple(shape)), out)


broadcast_axes = broadcast_axis


def broadcast_like(lhs, rhs, lhs_axes=None, rhs_axes=None, out=None, name=None):
    """``lhs`` broadcast to ``rhs``'s shape (``lhs_axes``/``rhs_axes``: only those axes)."""
    if (lhs_axes is None) != (rhs_axes is None):
        raise MXNetError("broadcast_like: give both lhs_axes and rhs_axes or neither")
    if lhs_axes is None:
        return into("broadcast_like", _f.broadcast_to(lhs, rhs.shape), out)
    shape = list(lhs.shape)
    for la, ra in zip(lhs_axes, rhs_axes):
        shape[la] = rhs.shape[ra]
    return into("broadcast_like", _f.broadcast_to(lhs, tuple(shape)), out)


def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None, out=None, name=None):
    """``lhs`` reshaped to ``rhs``'s shape."""
    for arg, value in (("lhs_begin", lhs_begin), ("lhs_end", lhs_end), ("rhs_begin", rhs_begin), ("rhs_end", rhs_end)):
        if value is not None:
            unsupported_argument("reshape_like", arg, value)
    return into("reshape_like", _f.reshape(lhs, rhs.shape), out)


def slice_like(data, shape_like, axes=(), out=None, name=None):
    """``data`` cut to ``shape_like``'s extents on ``axes`` (all axes when empty), from the start."""
    axes = range(min(data.ndim, shape_like.ndim)) if not axes else [a % data.ndim for a in axes]
    index = [slice(None)] * data.ndim
    for a in axes:
        index[a] = slice(0, shape_like.shape[a])
    return into("slice_like", data[tuple(index)], out)


def shape_array(data, out=None, name=None):
    """The shape of ``data`` as an int64 NDArray."""
    return into("shape_array", _f.array(list(data.shape), "int64"), out)


def size_array(data, out=None, name=None):
    """The size of ``data`` as a one-element int64 NDArray."""
    return into("size_array", _f.array([data.size], "int64"), out)


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
    nd = _nd()
    axis = tuple(axes) if axes is not None else None
    mean = nd.mean(data, axis=axis, keepdims=True)
    var = nd.mean(nd.square(data - mean), axis=axis, keepdims=keepdims)
    no_out("moments", out)  # two outputs: MXNet's out= would be a list
    return [mean if keepdims else nd.mean(data, axis=axis, keepdims=False), var]


def softmin(data, axis=-1, temperature=None, dtype=None, use_length=False, out=None, name=None):
    """softmax of ``-data`` along ``axis``."""
    return into(
        "softmin", _nd().softmax(-data, axis=axis, temperature=temperature, dtype=dtype, use_length=use_length), out
    )


def hard_sigmoid(data, alpha=0.2, beta=0.5, out=None, name=None):
    """clip(alpha * data + beta, 0, 1)."""
    return into("hard_sigmoid", _f.clip(data * alpha + beta, 0.0, 1.0), out)


def smooth_l1(data, scalar=1.0, out=None, name=None):
    """0.5 (scalar x)^2 where |x| < 1 / scalar^2, else |x| - 0.5 / scalar^2."""
    s2 = float(scalar) ** 2
    magnitude = abs(data)
    return into("smooth_l1", _f.where(magnitude < 1.0 / s2, 0.5 * s2 * data * data, magnitude - 0.5 / s2), out)


def _axis_alias(reduction):
    def fn(data, axis=None, keepdims=False, exclude=False, out=None, name=None):
        return getattr(_nd(), reduction)(data, axis=axis, keepdims=keepdims, exclude=exclude, out=out)

    fn.__name__ = fn.__qualname__ = reduction + "_axis"
    fn.__doc__ = f"MXNet's other name of ``nd.{reduction}``."
    return fn


sum_axis, max_axis, min_axis = _axis_alias("sum"), _axis_alias("max"), _axis_alias("min")


# ---- layout, splitting and indexing operators of MXNet 1.x -------------------------------------
def _dt(a):
    return onp.dtype(a.dtype).name


def _block_size(function, block_size):
    if block_size is None:
        raise MXNetError(f"{function}: the required parameter block_size is missing")
    if isinstance(block_size, bool) or not isinstance(block_size, int):
        raise MXNetTypeError(f"{function}: block_size must be an int, got {block_size!r}")
    if block_size <= 0:
        raise MXNetValueError(f"{function}: block_size must be a positive integer, got {block_size}")
    return block_size


def _four_d(function, data):
    if data.ndim != 4:
        raise MXNetError(f"{function}: data must be a 4-D (N, C, H, W) array, got shape {data.shape}")
    if 0 in data.shape:
        raise MXNetError(f"{function}: no extent of data may be 0 (as in MXNet), got shape {data.shape}")
    return data.shape


def depth_to_space(data, block_size=None, out=None, name=None):
    """Moves depth to space: (N, C, H, W) -> (N, C / b^2, H b, W b), with
    ``out[n, c, h b + i, w b + j] = data[n, (i b + j) (C / b^2) + c, h, w]``
    (b = ``block_size``; C must be a multiple of b^2)."""
    b = _block_size("depth_to_space", block_size)
    n, c, h, w = _four_d("depth_to_space", data)
    if c % (b * b):
        raise MXNetError(
            f"depth_to_space: the depth (axis 1) of shape {data.shape} must be a multiple of block_size^2 = {b * b}"
        )
    x = _f.reshape(data, (n, b, b, c // (b * b), h, w))
    x = _f.transpose(x, (0, 3, 4, 1, 5, 2))
    return into("depth_to_space", _f.reshape(x, (n, c // (b * b), h * b, w * b)), out)


def space_to_depth(data, block_size=None, out=None, name=None):
    """Moves blocks of space to depth: (N, C, H, W) -> (N, C b^2, H / b, W / b),
    the inverse of depth_to_space (H and W must be multiples of b = ``block_size``)."""
    b = _block_size("space_to_depth", block_size)
    n, c, h, w = _four_d("space_to_depth", data)
    if h % b or w % b:
        raise MXNetError(
            f"space_to_depth: the spatial extents (axes 2, 3) of shape {data.shape} must be multiples of block_size {b}"
        )
    x = _f.reshape(data, (n, c, h // b, b, w // b, b))
    x = _f.transpose(x, (0, 3, 5, 1, 2, 4))
    return into("space_to_depth", _f.reshape(x, (n, c * b * b, h // b, w // b)), out)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Pieces of ``ary`` along ``axis``: an int N gives N equal pieces (the extent
    must divide), a tuple of sorted indices splits before each of them (so
    ``(2, 3)`` gives ``ary[:2], ary[2:3], ary[3:]``). A list of pieces, or the
    array itself when there is one; ``squeeze_axis`` drops the axis from pieces
    of extent 1 (all pieces must have it)."""
    if not -ary.ndim <= axis < ary.ndim:
        raise MXNetAxisError(f"split_v2: axis {axis} is out of bounds for an array of shape {ary.shape}")
    axis %= ary.ndim
    extent = ary.shape[axis]
    # As MXNet: a Python int (bool included) or a tuple; lists and NumPy ints are refused.
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise MXNetValueError(f"split_v2: the number of sections must be positive, got {sections}")
        if extent % sections:
            raise MXNetValueError(
                f"split_v2: array split does not result in an equal division: axis {axis} of shape {ary.shape} "
                f"into {sections} sections"
            )
        size = extent // sections
        starts = [i * size for i in range(sections)]
    elif isinstance(indices_or_sections, tuple):
        starts = [0] + [operator.index(i) for i in indices_or_sections]
    else:
        raise MXNetValueError(
            f"split_v2: indices_or_sections must be an int or a tuple of ints, got {type(indices_or_sections).__name__}"
        )
    ends = starts[1:] + [extent]
    for piece, (begin, end) in enumerate(zip(starts, ends)):
        if begin > end:
            raise MXNetError(f"split_v2: indices must be sorted: piece {piece} would run from {begin} to {end}")
        if end > extent:
            raise MXNetError(f"split_v2: index {end} is beyond the extent {extent} of axis {axis} of shape {ary.shape}")
        if squeeze_axis and end - begin != 1:
            raise MXNetError(f"split_v2: squeeze_axis needs pieces of extent 1, but piece {piece} has {end - begin}")
    pieces = [_f.slice_axis(ary, axis, begin, end) for begin, end in zip(starts, ends)]
    if squeeze_axis:
        pieces = [_f.squeeze(p, axis) for p in pieces]
    return pieces[0] if len(pieces) == 1 else pieces


def _int32_indices(function, what, indices):
    if onp.dtype(indices.dtype) != onp.int32:
        raise MXNetTypeError(f"{function}: {what} must be an int32 array (as MXNet requires), got {_dt(indices)}")


def batch_take(a, indices, out=None, name=None):
    """``out[i] = a[i, indices[i]]`` for 2-D ``a`` and int32 ``indices`` (one per
    row, any shape: the result has it); indices outside [0, a.shape[1]) are
    clipped. (Differentiable in ``a`` here; MXNet registers no gradient.)"""
    if a.ndim != 2:
        # MXNet accepts more axes but its kernel then reads the wrong rows.
        raise MXNetError(f"batch_take: data must be a 2-D array, got shape {a.shape}")
    _int32_indices("batch_take", "indices", indices)
    if indices.size != a.shape[0]:
        raise MXNetError(
            f"batch_take: indices of shape {indices.shape} must hold one index per row of data of shape {a.shape}"
        )
    picked = _f.pick(a, _f.reshape(indices, (-1,)), 1, False, "clip")
    return into("batch_take", _f.reshape(picked, indices.shape), out)


def _index_shape(function, shape):
    if shape is None:
        raise MXNetError(f"{function}: the required parameter shape is missing")
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    if not dims:
        raise MXNetError(f"{function}: shape must not be empty")
    if any(d == 0 for d in dims):
        raise MXNetValueError(f"{function}: shape {dims} has a zero extent")
    return [int(d) for d in dims]


def _trunc_div(a, b):
    # C++ integer division (truncation toward zero), which MXNet's kernels use.
    q = onp.abs(a) // abs(b)
    return onp.where((a < 0) != (b < 0), -q, q)


def unravel_index(data, shape=None, out=None, name=None):
    """The coordinates in an array of ``shape`` of the flat indices ``data``
    (1-D), as a (len(shape), data.size) array of ``data``'s dtype. As in MXNet,
    values are truncated to integers and the first coordinate is not wrapped
    (an index past the end gives a first coordinate beyond ``shape[0]``)."""
    dims = _index_shape("unravel_index", shape)
    if data.ndim != 1:
        raise MXNetError(f"unravel_index: data must be 1-D, got shape {data.shape}")
    host = data.asnumpy()
    idx = host.astype(onp.int64)
    coords = [None] * len(dims)
    for j in range(len(dims) - 1, 0, -1):
        quotient = _trunc_div(idx, dims[j])
        coords[j] = idx - quotient * dims[j]
        idx = quotient
    coords[0] = idx
    return into("unravel_index", _f.array(onp.stack(coords).astype(host.dtype), host.dtype), out)


def ravel_multi_index(data, shape=None, out=None, name=None):
    """The flat indices in an array of ``shape`` of the coordinates ``data``
    (a (len(shape), N) array), as an (N,) array of ``data``'s dtype. As in
    MXNet, coordinates are not checked against ``shape`` and the sums are
    formed in ``data``'s dtype and truncated at each step."""
    dims = _index_shape("ravel_multi_index", shape)
    if data.ndim != 2:
        raise MXNetError(f"ravel_multi_index: data must be 2-D (len(shape), N), got shape {data.shape}")
    if data.shape[0] != len(dims):
        raise MXNetError(
            f"ravel_multi_index: the first extent of data of shape {data.shape} must equal len(shape) = {len(dims)}"
        )
    host = data.asnumpy()
    flat = onp.zeros(host.shape[1], onp.int64)
    for j, d in enumerate(dims):
        if host.dtype.kind == "f":
            flat = onp.trunc((flat * d).astype(host.dtype) + host[j]).astype(onp.int64)
        else:
            flat = flat * d + host[j].astype(onp.int64)
    return into("ravel_multi_index", _f.array(flat.astype(host.dtype), host.dtype), out)


def argmax_channel(data, out=None, name=None):
    """The position of the largest value along axis 1 (the first on ties, NaN
    counting as largest), in ``data``'s dtype (MXNet's legacy argmax_channel)."""
    if data.ndim < 2:
        raise MXNetAxisError(f"argmax_channel: data must have at least 2 axes (channels on axis 1), got {data.shape}")
    if data.shape[1] == 0:
        raise MXNetError(f"argmax_channel: data of shape {data.shape} has no channels (axis 1) to search")
    return into("argmax_channel", _nd().argmax(data, axis=1).astype(data.dtype), out)


def khatri_rao(*args, **kwargs):
    """The column-wise Kronecker product of 2-D matrices with equal column counts:
    for (I, K) and (J, K) the (I J, K) matrix with row i J + j equal to
    ``A[i] * B[j]``; more matrices fold from the left. (Differentiable here;
    MXNet registers no gradient.)"""
    out = kwargs.pop("out", None)
    no_kwargs("khatri_rao", kwargs)
    if not args:
        raise MXNetError("khatri_rao: at least one matrix is required")
    for a in args:
        if a.ndim != 2:
            raise MXNetError(f"khatri_rao: every argument must be a 2-D matrix, got shape {a.shape}")
        if a.shape[1] != args[0].shape[1]:
            raise MXNetError(
                f"khatri_rao: all matrices must have the same number of columns, got {args[0].shape} and {a.shape}"
            )
        if a.dtype != args[0].dtype:
            raise MXNetTypeError(f"khatri_rao: all matrices must have one dtype, got {_dt(args[0])} and {_dt(a)}")
    result = args[0].copy()
    for b in args[1:]:
        k = result.shape[1]
        rows = _f.expand_dims(result, 1) * _f.expand_dims(b, 0)
        result = _f.reshape(rows, (result.shape[0] * b.shape[0], k))
    return into("khatri_rao", result, out)


def _histogram_counts(values, edges, bin_cnt, low=None, high=None):
    """Bin numbers of ``values`` as MXNet's kernels find them (-1: outside)."""
    if low is not None:
        # uniform bins: a first guess from the position, corrected by one
        # against the edges (which were rounded to the data's dtype)
        inside = (values >= low) & (values <= high)
        with onp.errstate(invalid="ignore"):
            guess = ((values.astype(onp.float64) - low) * bin_cnt / (high - low)).astype(onp.int64)
        target = onp.minimum(bin_cnt - 1, onp.where(inside, guess, 0))
        target = target - (values < edges[target])
        upper = edges[onp.minimum(target + 1, bin_cnt)]
        target = target + ((values >= upper) & (target != bin_cnt - 1))
    else:
        # given edges: the bin before the first edge the value lies below
        # (MXNet scans the edges linearly, which defines a result for unsorted
        # edges too; sorted ones allow a binary search)
        inside = (values >= edges[0]) & (values <= edges[-1])
        if onp.all(edges[:-1] <= edges[1:]):
            first = onp.searchsorted(edges, values, side="right")
        else:
            below = values[:, None] < edges[None, :]
            first = onp.where(below.any(axis=1), below.argmax(axis=1), len(edges))
        target = onp.minimum(first - 1, bin_cnt - 1)
    target = onp.where(inside, target, -1)
    return onp.bincount(target[target >= 0], minlength=bin_cnt).astype(onp.int64)


def histogram(a, bins=10, range=None):  # noqa: A002 - MXNet's parameter name
    """[counts, bin_edges] of the flattened ``a``. ``bins`` is an int (equal
    bins over ``range``) or an NDArray of edges (the last bin includes its
    right edge). With an int and no ``range``, NumPy's histogram is used and
    both results are float32, returned as a tuple (MXNet warns so); otherwise
    the counts are int64 and the edges have ``a``'s dtype."""
    import warnings

    if isinstance(bins, NDArray):
        edges = bins.asnumpy()
        if edges.ndim != 1:
            raise MXNetError(f"histogram: bins must be a 1-D array of edges, got shape {edges.shape}")
        if edges.size < 2:
            raise MXNetError(f"histogram: bins must hold at least 2 edges, got {edges.size}")
        if edges.dtype != onp.dtype(a.dtype):
            raise MXNetTypeError(f"histogram: bins ({edges.dtype}) must have the dtype of the data ({_dt(a)})")
        counts = _histogram_counts(a.asnumpy().reshape(-1), edges, edges.size - 1)
        return [_f.array(counts, "int64"), _f.array(edges, edges.dtype)]
    if isinstance(bins, bool) or not isinstance(bins, (int, onp.integer)):
        raise MXNetValueError(f"histogram: bins must be an int or an NDArray of edges, got {type(bins).__name__}")
    bins = int(bins)
    if range is None:
        if bins <= 0:
            raise MXNetValueError(f"histogram: bins must be positive when an integer, got {bins}")
        warnings.warn("range is not specified, using numpy's result to ensure consistency with numpy", stacklevel=2)
        counts, edges = onp.histogram(a.asnumpy(), bins=bins)
        return _f.array(counts, "float32"), _f.array(edges, "float32")
    low_high = tuple(range)
    if len(low_high) != 2:
        raise MXNetError(f"histogram: range must be a pair (low, high), got {range!r}")
    low, high = float(low_high[0]), float(low_high[1])
    if low > high:
        raise MXNetError(f"histogram: the low end of range ({low}) must not exceed the high end ({high})")
    if bins < 0:
        raise MXNetValueError(f"histogram: bins must not be negative, got {bins}")
    if low == high:
        low, high = low - 0.5, high + 0.5
    dtype = onp.dtype(a.dtype)
    with onp.errstate(invalid="ignore", divide="ignore"):
        steps = onp.arange(bins + 1, dtype=onp.float64)
        edges = ((high * steps + (bins - steps) * low) / bins).astype(dtype)
    if bins == 0:
        return [_f.array(onp.zeros(0, onp.int64), "int64"), _f.array(edges, dtype)]
    counts = _histogram_counts(a.asnumpy().reshape(-1), edges, bins, low, high)
    return [_f.array(counts, "int64"), _f.array(edges, dtype)]


# -log(1e-8): MXNet clips the picked probability at 1e-8
_CE_CAP = 18.420680743952367


def softmax_cross_entropy(data, label, out=None, name=None):
    """sum_i -log(softmax(data[i])[label[i]]) over the rows of 2-D ``data``,
    as a (1,) array; ``label`` is 1-D of ``data``'s dtype (values truncated to
    integers). As MXNet, each probability is clipped at 1e-8 (a term is at most
    -log(1e-8)) and the gradient is softmax(data) - one_hot(label) regardless."""
    if data.ndim != 2:
        raise MXNetError(f"softmax_cross_entropy: data must be 2-D (batch, classes), got shape {data.shape}")
    if label.ndim != 1:
        raise MXNetError(f"softmax_cross_entropy: label must be 1-D, got shape {label.shape}")
    if label.shape[0] != data.shape[0]:
        raise MXNetError(f"softmax_cross_entropy: data of shape {data.shape} and label of shape {label.shape} differ")
    if label.dtype != data.dtype:
        raise MXNetTypeError(f"softmax_cross_entropy: label ({_dt(label)}) must have data's dtype ({_dt(data)})")
    classes = onp.trunc(label.asnumpy().astype(onp.float64))
    bad = (classes < 0) | (classes >= data.shape[1]) | onp.isnan(classes)
    if bad.any():
        # MXNet reads past the row (or the array) for these
        raise MXNetValueError(
            f"softmax_cross_entropy: label {label.asnumpy()[bad][0]} is outside [0, {data.shape[1]}) classes"
        )
    index = _f.array(classes, "int64")
    nll = -_f.pick(_f.log_softmax(data, 1), index, 1, False, "clip")
    capped = _nd().minimum(nll.detach(), _CE_CAP)
    # the value of the capped terms with the gradient of the uncapped ones, as MXNet
    loss = (nll - nll.detach()) + capped
    return into("softmax_cross_entropy", _f.reshape(loss.sum(), (1,)), out)


def crop(data, begin, end, step=None, out=None, name=None):
    """MXNet's ``crop``: the other name of ``slice`` (``data[begin:end:step]``
    per axis; None entries take the defaults)."""
    return into("crop", _f.slice(data, begin, end, step), out)


def from_numpy(ndarray, zero_copy=True, array_cls=NDArray):
    """An NDArray from the NumPy array ``ndarray``, keeping its dtype (and, as
    MXNet, always an NDArray whatever ``array_cls`` says). With ``zero_copy``
    (C-contiguous arrays only) the NDArray shares the NumPy buffer and, as in
    MXNet, the NumPy array is made read-only, so that the NDArray owns the
    values; otherwise the values are copied."""
    if not isinstance(ndarray, onp.ndarray):
        raise MXNetTypeError(f"from_numpy: expected a numpy.ndarray, got {type(ndarray).__name__}")
    if zero_copy:
        if not ndarray.flags["C_CONTIGUOUS"]:
            raise MXNetValueError("from_numpy: only C-contiguous arrays are supported for zero-copy")
        shared = _f.wrap_numpy(ndarray)
        ndarray.flags.writeable = False
        return shared
    return _f.array(ndarray, ndarray.dtype)
