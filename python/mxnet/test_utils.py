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
    "default_numeric_eps", "check_numeric_gradient",
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


# ---- MXNet's check_numeric_gradient, for callables (mxlite has no symbols) ------------------
def default_numeric_eps():
    """dtype -> the finite-difference step MXNet uses by default (powers of two,
    so that adding them to an input drops no bits)."""
    return {onp.dtype(onp.float16): 1.0 / 2**6, onp.dtype(onp.float32): 1.0 / 2**9, onp.dtype(onp.float64): 1.0 / 2**14}


def _argument_names(f, count):
    """Names of the first ``count`` positional parameters of ``f`` (``arg<i>``
    where it has none)."""
    import inspect

    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [positional[i] if i < len(positional) else f"arg{i}" for i in range(count)]


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None, atol=None, grad_nodes=None,
                           use_forward_train=True, ctx=None, grad_stype_dict=None, dtype=onp.float32):  # fmt: skip
    """MXNet's gradient check, for a Python callable in place of a Symbol:
    ``sym(*arrays)`` (``location`` a list or tuple) or ``sym(**arrays)``
    (``location`` a dict name -> value) must return one array built from
    mxnet operations. Autograd's gradients of ``sum(sym(...) * proj)`` (proj
    random in [0.1, 1.1), from NumPy's global generator, as MXNet) are compared
    with central differences of step ``numeric_eps`` (MXNet's per-dtype
    default) through ``assert_almost_equal``, which raises AssertionError
    naming the argument (``NUMERICAL_<name>`` vs ``BACKWARD_<name>``).

    NumPy values of ``location`` become ``dtype`` arrays (mx.nd ones, or mx.np
    under ``npx.set_np``); mxnet arrays are used as they are. Arguments are
    named by the dict keys or by ``sym``'s positional parameter names (else
    ``arg0``, ``arg1``, ...); ``grad_nodes`` (default: every floating argument)
    lists names, positions, or a dict name -> grad_req ('write', 'add' or
    'null': not checked). Forward passes for the differences run in training
    mode when ``use_forward_train``. A Symbol (or anything not callable),
    ``aux_states`` and sparse ``grad_stype_dict`` entries are not supported."""
    from . import autograd
    from ._args import cpu_only
    from .base import NotSupportedError, unsupported_argument
    from .util import is_np_array

    if not callable(sym):
        raise NotSupportedError(
            f"check_numeric_gradient: sym must be a Python callable taking arrays (mxlite has no symbols), "
            f"got {type(sym).__name__}"
        )
    if aux_states is not None:
        unsupported_argument("check_numeric_gradient", "aux_states")
    if grad_stype_dict and any(v != "default" for v in grad_stype_dict.values()):
        unsupported_argument("check_numeric_gradient", "grad_stype_dict", grad_stype_dict)
    cpu_only("check_numeric_gradient", ctx)
    assert dtype in (onp.float16, onp.float32, onp.float64), f"check_numeric_gradient: dtype {dtype} is not a float"
    if not isinstance(location, (list, tuple, dict)):
        raise TypeError(
            f"check_numeric_gradient: location must be a list, tuple or dict, got {type(location).__name__}"
        )

    from . import nd

    make = _np().array if is_np_array() else nd.array
    keyword = isinstance(location, dict)
    names = list(location) if keyword else _argument_names(sym, len(location))
    values = list(location.values()) if keyword else list(location)
    arrays = [make(v, dtype=dtype) if isinstance(v, onp.ndarray) else v for v in values]
    floating = [onp.dtype(a.dtype).kind == "f" for a in arrays]

    if grad_nodes is None:
        grad_req = {n: "write" for n, f in zip(names, floating) if f}
    elif isinstance(grad_nodes, (list, tuple)):
        grad_req = {(names[n] if isinstance(n, int) else n): "write" for n in grad_nodes}
    elif isinstance(grad_nodes, dict):
        grad_req = {(names[n] if isinstance(n, int) else n): r for n, r in grad_nodes.items()}
    else:
        raise ValueError(
            f"check_numeric_gradient: grad_nodes must be None, a list, a tuple or a dict, got {grad_nodes!r}"
        )
    for n, req in grad_req.items():
        if n not in names:
            raise ValueError(f"check_numeric_gradient: grad node {n!r} is not an argument (arguments: {names})")
        if req not in ("write", "add", "null"):
            raise ValueError(f"check_numeric_gradient: invalid grad_req {req!r} for argument {n!r}")
        if req != "null" and not floating[names.index(n)]:
            raise ValueError(f"check_numeric_gradient: argument {n!r} is not floating point, so has no gradient")

    def call(inputs):
        out = sym(**dict(zip(names, inputs))) if keyword else sym(*inputs)
        if isinstance(out, (list, tuple)):
            if len(out) != 1:
                raise ValueError(f"check_numeric_gradient: sym must return one array, got {len(out)}")
            out = out[0]
        return out

    checked = [n for n, r in grad_req.items() if r != "null"]
    initial = {}
    for n in checked:
        a = arrays[names.index(n)]
        a.attach_grad(grad_req=grad_req[n])
        if grad_req[n] == "add":
            # a gradient already there, which backward must add to
            initial[n] = onp.random.normal(0, 0.01, size=a.shape).astype(dtype)
            a.grad[:] = initial[n]
    with autograd.record():
        out = call(arrays)
    proj = onp.asarray(onp.random.rand(*out.shape) + 0.1).astype(dtype)
    autograd.backward([out], [make(proj, dtype=dtype)])

    eps = get_tolerance(out, numeric_eps, default_numeric_eps())
    # finite differences with small steps need more precision than these have
    if dtype in (onp.float16, onp.float32):
        assert eps >= 1e-5, f"check_numeric_gradient: numeric_eps {eps} is too small for {onp.dtype(dtype).name}"

    def projected(inputs):
        with autograd.pause(train_mode=use_forward_train):
            return call(inputs).asnumpy() * proj

    for n in checked:
        i = names.index(n)
        point = arrays[i].asnumpy()
        numeric = onp.zeros(point.shape, dtype=point.dtype)
        probe = point.copy()
        for k in range(point.size):
            flat = probe.reshape(-1)
            flat[k] = point.reshape(-1)[k] + eps / 2.0
            plus = projected(arrays[:i] + [make(probe, dtype=point.dtype)] + arrays[i + 1 :])
            flat[k] = point.reshape(-1)[k] - eps / 2.0
            minus = projected(arrays[:i] + [make(probe, dtype=point.dtype)] + arrays[i + 1 :])
            flat[k] = point.reshape(-1)[k]
            numeric.reshape(-1)[k] = (plus - minus).sum() / eps
        backward = arrays[i].grad.asnumpy()
        if grad_req[n] == "add":
            backward = backward - initial[n]
        assert_almost_equal(numeric, backward, rtol, atol, ("NUMERICAL_%s" % n, "BACKWARD_%s" % n))
