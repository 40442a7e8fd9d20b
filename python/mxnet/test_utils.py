"""Helpers for testing gradients, e.g. of your own ``autograd.Function``.

``check_gradient(f, *inputs)`` compares what autograd computes for ``f`` with
central finite differences taken in float64::

    from mxnet import autograd, np
    from mxnet.test_utils import check_gradient

    class Cube(autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x * x
        def backward(self, dy):
            x, = self.saved_tensors
            return dy * 3 * x * x

    check_gradient(lambda x: Cube()(x), onp.random.rand(3, 4))

A Function instance can be called only once, so pass ``f`` that creates a
new instance per call, as above.
"""

import numpy as onp

__all__ = [
    "numeric_grad", "check_gradient", "default_rtols", "default_atols", "get_rtol", "get_atol", "effective_dtype",
    "get_tolerance", "almost_equal", "assert_almost_equal", "assert_almost_equal_ignore_nan", "assert_allclose",
    "assert_exception", "same", "same_array", "collapse_sum_like", "np_reduce", "default_context",
    "set_default_context", "default_dtype", "list_gpus", "rand_shape_2d", "rand_shape_3d", "rand_shape_nd",
    "random_arrays", "random_uniform_arrays", "rand_ndarray", "retry", "environment", "use_np",
]  # fmt: skip


def _np():
    from . import numpy as np  # late: mxnet.numpy imports a lot

    return np


def _outputs(result):
    return list(result) if isinstance(result, (list, tuple)) else [result]


def _as_float64(x):
    if hasattr(x, "asnumpy"):
        x = x.asnumpy()
    return onp.array(x, dtype=onp.float64, order="C")


def numeric_grad(f, inputs, head_grads, eps=1e-6):
    """Central-difference gradients of ``sum_k sum(f(*inputs)[k] * head_grads[k])``
    with respect to each input.

    ``inputs``: NumPy float64 arrays (changed in place while probing, then
    restored); ``f`` receives them as float64 mxnet arrays and returns an
    array or a tuple of arrays; ``head_grads``: one NumPy array per output
    (a single array for a single output). Returns one NumPy array per input.
    """
    np = _np()
    heads = _outputs(head_grads)

    def objective():
        outs = _outputs(f(*[np.array(v, dtype="float64") for v in inputs]))
        if len(outs) != len(heads):
            raise ValueError("f returned %d outputs but %d head gradients were given" % (len(outs), len(heads)))
        return sum(float((o.asnumpy().astype(onp.float64) * h).sum()) for o, h in zip(outs, heads))

    grads = []
    for x in inputs:
        g = onp.zeros_like(x)
        flat, gflat = x.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            plus = objective()
            flat[i] = orig - eps
            minus = objective()
            flat[i] = orig
            gflat[i] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def check_gradient(f, *inputs, rtol=1e-5, atol=1e-7, eps=1e-6, seed=0):
    """Assert that autograd's gradients of ``f`` at ``inputs`` match finite
    differences.

    ``inputs`` are array-likes (NumPy or mxnet arrays), converted to float64;
    ``f`` gets them as float64 mxnet arrays and returns an array or a tuple of
    arrays. Each output is weighted with a random head gradient (``seed``) so
    that every output element matters. Raises ``AssertionError`` naming the
    input whose gradient differs, with the largest difference.
    """
    from . import autograd

    np = _np()
    rng = onp.random.default_rng(seed)
    points = [_as_float64(x) for x in inputs]
    xs = [np.array(p, dtype="float64") for p in points]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        outs = _outputs(f(*xs))
    heads = [rng.standard_normal(o.shape) for o in outs]
    autograd.backward(outs, [np.array(h, dtype="float64") for h in heads])
    expected = numeric_grad(f, points, heads, eps=eps)
    for i, (x, e) in enumerate(zip(xs, expected)):
        got = x.grad.asnumpy()
        if not onp.allclose(got, e, rtol=rtol, atol=atol, equal_nan=False):
            worst = float(onp.max(onp.abs(got - e)))
            raise AssertionError(
                "gradient of input %d (shape %s) differs from finite differences by up to %.3g "
                "(rtol=%g, atol=%g)\nautograd:\n%s\nnumeric:\n%s" % (i, e.shape, worst, rtol, atol, got, e)
            )


# ---- MXNet 1.9.1's comparison and data helpers ----------------------------------------------
# Tolerances per dtype, MXNet's (bool and integers compare exactly).
_RTOLS = {"float16": 1e-2, "float32": 1e-4, "float64": 1e-5}
_ATOLS = {"float16": 1e-1, "float32": 1e-3, "float64": 1e-20}
_EXACT = ("bool", "int8", "uint8", "int32", "uint32", "int64", "uint64")


def default_rtols():
    """dtype -> the relative tolerance MXNet's comparisons use by default."""
    return {onp.dtype(k): v for k, v in {**_RTOLS, **dict.fromkeys(_EXACT, 0)}.items()}


def default_atols():
    """dtype -> the absolute tolerance MXNet's comparisons use by default."""
    return {onp.dtype(k): v for k, v in {**_ATOLS, **dict.fromkeys(_EXACT, 0)}.items()}


_FLOAT64 = onp.dtype(onp.float64)


def get_rtol(rtol=None, dtype=_FLOAT64):
    """``rtol``, or the default relative tolerance of ``dtype``."""
    return default_rtols()[onp.dtype(dtype)] if rtol is None else rtol


def get_atol(atol=None, dtype=_FLOAT64):
    """``atol``, or the default absolute tolerance of ``dtype``."""
    return default_atols()[onp.dtype(dtype)] if atol is None else atol


def effective_dtype(dat):
    """The dtype comparisons of ``dat`` are made in (its own: mxlite runs on the CPU)."""
    return onp.dtype(dat.dtype)


def get_tolerance(dat, tol, default_tol):
    """``tol`` if a number, else its entry for ``dat``'s dtype, else ``default_tol``'s."""
    import numbers

    if isinstance(tol, numbers.Number):
        return tol
    dtype = effective_dtype(dat)
    return ({} if tol is None else tol).get(dtype, default_tol[dtype])


def _host(a):
    return a.asnumpy() if hasattr(a, "asnumpy") else onp.asarray(a)


def _check_shapes(a, b):
    if a.shape != b.shape:
        raise AssertionError(f"shapes differ: {a.shape} and {b.shape}")


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True):
    """Whether ``a`` and ``b`` (mxnet or NumPy arrays) are equal within the tolerances."""
    a, b = _host(a), _host(b)
    if not use_broadcast:
        _check_shapes(a, b)
    return bool(onp.allclose(a, b, rtol=get_rtol(rtol), atol=get_atol(atol), equal_nan=equal_nan))


def assert_almost_equal(
    a, b, rtol=None, atol=None, names=("a", "b"), equal_nan=False, use_broadcast=True, mismatches=(10, 10)
):
    """Raises AssertionError, with the largest differences, unless ``a`` and ``b`` are almost equal."""
    a, b = _host(a), _host(b)
    if not use_broadcast:
        _check_shapes(a, b)
    rtol = get_tolerance(a, rtol, default_rtols())
    atol = get_tolerance(a, atol, default_atols())
    if onp.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return
    diff = onp.abs(a.astype(onp.float64) - b.astype(onp.float64))
    worst = onp.unravel_index(onp.nanargmax(diff), diff.shape) if diff.size else ()
    raise AssertionError(
        f"{names[0]} and {names[1]} differ beyond rtol={rtol}, atol={atol}: largest difference "
        f"{diff[worst] if diff.size else 0} at {worst}\n{names[0]}: {a}\n{names[1]}: {b}"
    )


def assert_almost_equal_ignore_nan(a, b, rtol=None, atol=None, names=("a", "b")):
    """assert_almost_equal where a NaN in either array counts as equal."""
    a, b = onp.copy(_host(a)), onp.copy(_host(b))
    nan = onp.logical_or(onp.isnan(a), onp.isnan(b))
    a[nan] = 0
    b[nan] = 0
    assert_almost_equal(a, b, rtol, atol, names)


def assert_allclose(a, b, rtol=1e-07, atol=0, equal_nan=True):
    """NumPy's assert_allclose on mxnet or NumPy arrays."""
    onp.testing.assert_allclose(_host(a), _host(b), rtol=rtol, atol=atol, equal_nan=equal_nan)


def assert_exception(f, exception_type, *args, **kwargs):
    """Asserts that ``f(*args, **kwargs)`` raises ``exception_type``."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError(f"{getattr(f, '__name__', f)} did not raise {exception_type.__name__}")


def same(a, b):
    """Whether ``a`` and ``b`` hold exactly the same values and shape."""
    return bool(onp.array_equal(_host(a), _host(b)))


def same_array(array1, array2):
    """Whether two arrays share their memory (MXNet's probe: change one, look at the other)."""
    from . import autograd

    with autograd.pause():
        array1 += 1
        changed = same(array1, array2)
        array1 -= 1
    return changed


def collapse_sum_like(a, shape):
    """NumPy array ``a`` summed down to ``shape`` (the gradient of a broadcast to a.shape)."""
    assert len(a.shape) >= len(shape)
    if onp.prod(shape) == 0 or a.size == 0:
        return onp.zeros(shape, dtype=a.dtype)
    lead = len(a.shape) - len(shape)
    axes = list(range(lead)) + [lead + i for i, s in enumerate(shape) if s != a.shape[lead + i]]
    return onp.sum(a, axis=tuple(axes)).reshape(shape)


def np_reduce(dat, axis, keepdims, numpy_reduce_func):
    """``numpy_reduce_func`` applied over each axis of ``axis`` (None: all) in turn."""
    if isinstance(axis, int):
        axis = [axis]
    axis = list(range(dat.ndim)) if axis is None else list(axis)
    ret = dat
    for ax in reversed(sorted(a % dat.ndim for a in axis)):
        ret = numpy_reduce_func(ret, axis=ax)
    if keepdims:
        shape = list(dat.shape)
        for ax in axis:
            shape[ax] = 1
        ret = ret.reshape(tuple(shape))
    return ret


def default_context():
    """The context arrays are made in: mxlite's only one, the CPU."""
    from .context import current_context

    return current_context()


def set_default_context(ctx):
    """Sets the default context; mxlite has only the CPU (others raise)."""
    from ._args import cpu_only

    cpu_only("set_default_context", ctx)


def default_dtype():
    """The dtype of arrays made from Python numbers: float32."""
    return onp.float32


def list_gpus():
    """The GPUs arrays can live on: none in mxlite (CPU only)."""
    return range(0)


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return onp.random.randint(low, dim0 + 1), onp.random.randint(low, dim1 + 1)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return onp.random.randint(low, dim0 + 1), onp.random.randint(low, dim1 + 1), onp.random.randint(low, dim2 + 1)


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return tuple(onp.random.randint(low, dim + 1, size=num_dim))


def random_arrays(*shapes):
    """Standard normal NumPy arrays (float32), one per shape; a single array for one shape."""
    arrays = [
        onp.array(onp.random.randn(), dtype=default_dtype()) if len(s) == 0 else onp.random.randn(*s).astype(
            default_dtype())
        for s in shapes
    ]  # fmt: skip
    return arrays[0] if len(arrays) == 1 else arrays


def random_uniform_arrays(*shapes, **kwargs):
    """Uniform NumPy arrays in [low, high) (keywords ``low=0``, ``high=1``, ``dtype``), one per shape."""
    low, high = kwargs.pop("low", 0.0), kwargs.pop("high", 1.0)
    dtype = kwargs.pop("dtype", default_dtype())
    if kwargs:
        raise TypeError(f"random_uniform_arrays: unexpected keyword arguments {sorted(kwargs)}")
    arrays = [onp.random.uniform(low, high, size=s).astype(dtype) for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def rand_ndarray(shape, stype="default", density=None, dtype=None, modifier_func=None, shuffle_csr_indices=False,
                 distribution=None, ctx=None):  # fmt: skip
    """A dense NDArray of standard normal values (sparse storage types are not in mxlite)."""
    from . import nd
    from .util import is_np_array

    if stype != "default":
        raise NotImplementedError(f"rand_ndarray: stype={stype!r} (sparse storage) is not supported by mxlite")
    if density is not None or distribution is not None:
        raise NotImplementedError("rand_ndarray: density= and distribution= apply to sparse arrays only")
    values = random_arrays(shape)
    if modifier_func is not None:
        values = modifier_func(values)
    if is_np_array():
        return _np().array(values, dtype=dtype)
    return nd.array(values, dtype=dtype)


def retry(n):
    """Decorator: runs a test up to ``n`` times until it passes (for random tests)."""
    import functools

    assert n > 0

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            for attempt in range(n):
                try:
                    return f(*args, **kwargs)
                except AssertionError:
                    if attempt == n - 1:
                        raise

        return wrapper

    return decorate


class environment:
    """A scope setting environment variables: ``environment('VAR', 'value')``
    or ``environment({'VAR': 'value', ...})``; a value None unsets one."""

    def __init__(self, *args):
        if len(args) == 2:
            self._values = {args[0]: args[1]}
        elif len(args) == 1 and isinstance(args[0], dict):
            self._values = dict(args[0])
        else:
            raise ValueError("environment: expected (name, value) or a dict of them")
        self._saved = {}

    def __enter__(self):
        import os

        for k, v in self._values.items():
            self._saved[k] = os.environ.get(k)
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = str(v)
        return self

    def __exit__(self, *exc):
        import os

        for k, v in self._saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def use_np(func):
    """MXNet's ``test_utils.use_np``: ``mxnet.util.use_np``."""
    from .util import use_np as _use_np

    return _use_np(func)
