"""Random input values and their rendering as Python source.

Every array in a generated call is written out as a literal (``np.array([[1.5, -2.0]], dtype='float32')``), so
the source text is a complete reproducer that means the same with ``np`` bound to ``mxnet.np`` or to NumPy.
"""

import math

import numpy as onp

DTYPES = ("bool", "uint8", "int8", "int32", "int64", "float32", "float64")
INT_DTYPES = ("uint8", "int8", "int32", "int64")
FLOAT_DTYPES = ("float32", "float64")
INT_RANGE = {d: (int(onp.iinfo(d).min), int(onp.iinfo(d).max)) for d in INT_DTYPES}

# Values that find bugs: type limits, signed zero, NaN/inf, float32 overflow and subnormal boundaries.
INT_EDGES = {
    "uint8": (0, 1, 2, 127, 128, 254, 255),
    "int8": (-128, -127, -1, 0, 1, 126, 127),
    "int32": (-(2**31), -(2**31) + 1, -65536, -1, 0, 1, 65536, 2**31 - 2, 2**31 - 1),
    "int64": (-(2**63), -(2**63) + 1, -(2**31), -1, 0, 1, 2**31, 2**40, 2**63 - 1),
}
FLOAT_EDGES = {
    "float32": (0.0, -0.0, math.nan, math.inf, -math.inf, 1e-40, -1e-40, 3.4e38, -3.4e38, 1e15, 16777217.0),
    "float64": (0.0, -0.0, math.nan, math.inf, -math.inf, 1e-40, 3.4e38, -3.4e38, 1e15, 5e-324, 1.7e308, -1.7e308),
}


def render_scalar(x, dtype=None):
    """Source text of one element (works under both ``np`` bindings: np.nan and np.inf exist in mxnet.np)."""
    if dtype == "bool" or isinstance(x, (bool, onp.bool_)):
        return "True" if x else "False"
    if dtype in INT_DTYPES or isinstance(x, (int, onp.integer)):
        return str(int(x))
    x = float(x)
    if dtype == "float32" and math.isfinite(x):
        return str(onp.float32(x))  # the shortest text that gives the same float32
    if math.isnan(x):
        return "np.nan"
    if math.isinf(x):
        return "np.inf" if x > 0 else "-np.inf"
    return repr(x)


def render_nested(values, dtype):
    """Nested-list source text of a NumPy array of values (a bare scalar for 0-d)."""
    if values.ndim == 0:
        return render_scalar(values.item(), dtype)
    return "[" + ", ".join(render_nested(v, dtype) for v in values) + "]"


def random_element(rng, dtype, special_rate):
    """One value of dtype: mostly small and exact (dyadic floats, small ints), sometimes an edge value."""
    if dtype == "bool":
        return rng.random() < 0.5
    special = rng.random() < special_rate
    if dtype in INT_DTYPES:
        if special:
            return rng.choice(INT_EDGES[dtype])
        lo = 0 if dtype == "uint8" else -6
        return rng.randint(lo, 9)
    if special:
        return rng.choice(FLOAT_EDGES[dtype])
    if rng.random() < 0.6:
        return rng.randint(-16, 16) / 4.0
    return round(rng.uniform(-5, 5), 3)


def random_array(rng, shape, dtype, special_rate=0.05, finite=False):
    """A NumPy array of the given shape and dtype filled with random_element values (no NaN/inf if finite)."""
    n = math.prod(shape)
    flat = [random_element(rng, dtype, special_rate) for _ in range(n)]
    if finite:
        flat = [v if not isinstance(v, float) or math.isfinite(v) else 1.0 for v in flat]
    return onp.array(flat, dtype=dtype).reshape(shape)


def smooth_array(rng, shape, low, high, min_gap=0.0):
    """float64 values for gradient checks: uniform in [low, high), 3 decimals, pairwise at least min_gap
    apart when min_gap > 0 (so max/sort/maximum are differentiable there)."""
    n = math.prod(shape)
    values = []
    while len(values) < n:
        v = round(rng.uniform(low, high), 3)
        if min_gap and any(abs(v - w) < min_gap for w in values):
            if (high - low) < min_gap * n * 2:  # no room left for distinct values
                min_gap = 0.0
            continue
        values.append(v)
    return onp.array(values, dtype="float64").reshape(shape)


def random_shape(rng, max_ndim=4, max_extent=5, empty_rate=0.08, max_size=64):
    """A shape of 0..max_ndim axes with extents 1..max_extent (0 at empty_rate) and at most max_size elements."""
    while True:
        ndim = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4)) if max_ndim >= 4 else rng.randint(0, max_ndim)
        ndim = min(ndim, max_ndim)
        shape = tuple(0 if rng.random() < empty_rate else rng.randint(1, max_extent) for _ in range(ndim))
        if math.prod(shape) <= max_size:
            return shape


def render_array(rng, values, dtype, layout=None):
    """Source text making an array equal to ``values`` (NumPy array) of dtype. layout picks how: 'plain' (a
    literal), 'transposed' (a literal of the transposed array, then .transpose(perm)), 'strided' (a literal
    twice as long on one axis, then a step slice) or 'reversed' (a literal reversed on one axis, then [::-1])."""
    shape = values.shape
    if layout is None:
        layout = rng.choice(("plain", "plain", "plain", "transposed", "strided", "reversed")) if shape else "plain"
    dt = f"dtype='{dtype}'"
    if values.size == 0 and layout == "plain":
        return f"np.zeros({shape!r}, {dt})"
    if layout == "transposed" and len(shape) >= 2:
        perm = list(range(len(shape)))
        while perm == sorted(perm):
            rng.shuffle(perm)
        inverse = [perm.index(i) for i in range(len(shape))]
        base = values.transpose(inverse)
        tail = ".T" if len(shape) == 2 else f".transpose({', '.join(map(str, perm))})"
        if base.size == 0:
            return f"np.zeros({base.shape!r}, {dt}){tail}"
        return f"np.array({render_nested(base, dtype)}, {dt}){tail}"
    if layout in ("strided", "reversed") and shape:
        axis = rng.randrange(len(shape))
        index = ", ".join([":"] * axis + ["::2" if layout == "strided" else "::-1"])
        if layout == "strided":
            filler = random_array(rng, shape, dtype)
            base = onp.stack([values, filler], axis=axis + 1).reshape(
                shape[:axis] + (2 * shape[axis],) + shape[axis + 1 :]
            )
        else:
            base = onp.flip(values, axis)
        if base.size == 0:
            return f"np.zeros({base.shape!r}, {dt})[{index}]"
        return f"np.array({render_nested(base, dtype)}, {dt})[{index}]"
    return f"np.array({render_nested(values, dtype)}, {dt})"
