"""``mxnet.initializer`` (also ``mxnet.init``): how parameters get their first values.

An initializer is called as ``init(desc, arr)``: ``desc`` is the parameter's name (an
``InitDesc``, or a plain str on MXNet's older path) and ``arr`` the array to fill, an
``mx.nd.NDArray`` or ``mx.np.ndarray``, written in place with its shape and dtype kept.
The name's suffix picks the method: ``..weight`` -> ``_init_weight`` (what each
initializer defines), ``..bias`` / ``..beta`` -> 0, ``..gamma`` -> 1, as MXNet 1.9.1.
Random initializers draw from the global generator, so ``mx.random.seed`` repeats them.
"""

import json
import logging
import re
import warnings
from math import sqrt

import numpy as _onp

from . import registry
from .base import MXNetError
from .ndarray import NDArray
from .ndarray import random as _nd_random
from .ndarray.utils import load as _nd_load
from .numpy import ndarray as _np_ndarray
from .numpy import random as _np_random

__all__ = [
    "InitDesc",
    "Initializer",
    "register",
    "alias",
    "create",
    "Load",
    "Mixed",
    "Zero",
    "One",
    "Constant",
    "Uniform",
    "Normal",
    "Orthogonal",
    "Xavier",
    "MSRAPrelu",
    "Bilinear",
    "LSTMBias",
]

_ARRAY_TYPES = (NDArray, _np_ndarray)


class InitDesc(str):
    """A parameter name (a str) that also carries ``attrs`` (a dict; ``attrs['__init__']``
    names an initializer that overrides the suffix rule) and ``global_init`` (the
    initializer to fall back to, set on first use when None)."""

    def __new__(cls, name, attrs=None, global_init=None):
        desc = super().__new__(cls, name)
        desc.attrs = attrs or {}
        desc.global_init = global_init
        return desc


def _sample(who, kind, arr, a, b):
    """Draws ``arr.shape`` samples (uniform on [a, b) or normal(a, b)) of ``arr``'s dtype
    from the generator of ``arr``'s array family."""
    dtype = _onp.dtype(arr.dtype)
    if dtype.kind != "f":
        raise MXNetError(f"{who}: random initialization needs a floating-point array, got dtype {dtype.name}")
    shape = tuple(arr.shape)
    if isinstance(arr, _np_ndarray):
        fn = _np_random.uniform if kind == "uniform" else _np_random.normal
        return fn(a, b, size=shape, dtype=dtype.name)
    fn = _nd_random.uniform if kind == "uniform" else _nd_random.normal
    return fn(a, b, shape=shape, dtype=dtype.name)


def _rms(arr):
    """Root mean square of ``arr`` (MXNet's default verbose statistic), as text."""
    values = _onp.asarray(arr.asnumpy(), dtype=_onp.float32)
    return str(_onp.float32(_onp.linalg.norm(values) / sqrt(max(values.size, 1))))


class Initializer:
    """The base class of an initializer; subclasses define ``_init_weight(name, arr)``
    and may override ``_init_bias``, ``_init_gamma``, ``_init_beta``, ... The keyword
    arguments given to ``__init__`` are what ``dumps()`` records."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Logs (``logging.info``) each initialized array with ``print_func(arr)``, a str
        (default: the root mean square of the array). Returns the initializer."""
        self._verbose = verbose
        self._print_func = _rms if print_func is None else print_func
        return self

    def _verbose_print(self, desc, init, arr):
        if self._verbose and self._print_func:
            logging.info("Initialized %s as %s: %s", desc, init, self._print_func(arr))

    def dumps(self):
        """The initializer as JSON text ``'["<lower-case class name>", {kwargs}]'``,
        which ``mx.init.create`` reads back."""
        return json.dumps([type(self).__name__.lower(), self._kwargs])

    def __call__(self, desc, arr):
        """Fills ``arr`` in place for the parameter named ``desc``."""
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        named = desc.attrs.get("__init__", "")
        if named:
            create(named)._init_weight(desc, arr)
            self._verbose_print(desc, named, arr)
            return
        # MXNet 1.9.1's order; 'weight_quantize' and 'bias_quantize' are reached only
        # because they end in neither 'weight' nor 'bias'.
        for suffix, method in (
            ("weight", self._init_weight),
            ("bias", self._init_bias),
            ("gamma", self._init_gamma),
            ("beta", self._init_beta),
            ("min", self._init_zero),
            ("max", self._init_one),
            ("weight_quantize", self._init_quantized_weight),
            ("bias_quantize", self._init_quantized_bias),
        ):
            if desc.endswith(suffix):
                method(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    def _legacy_init(self, name, arr):
        """MXNet's older ``init(str, arr)`` path, which also knows the BatchNorm
        running statistics (moving_mean/moving_inv_var/moving_avg -> 0, moving_var -> 1)."""
        warnings.warn(
            "Calling initializer with init(str, NDArray) has been deprecated. "
            "please use init(mx.init.InitDesc(...), NDArray) instead.",
            DeprecationWarning,
            stacklevel=3,
        )
        if not isinstance(name, str):
            raise TypeError("name must be string")
        if not isinstance(arr, _ARRAY_TYPES):
            raise TypeError("arr must be NDArray")
        if name.startswith("upsampling"):
            self._init_bilinear(name, arr)
        elif name.startswith("stn_loc") and name.endswith("weight"):
            self._init_zero(name, arr)
        elif name.startswith("stn_loc") and name.endswith("bias"):
            self._init_loc_bias(name, arr)
        else:
            for suffix, method in (
                ("bias", self._init_bias),
                ("gamma", self._init_gamma),
                ("beta", self._init_beta),
                ("weight", self._init_weight),
                ("moving_mean", self._init_zero),
                ("moving_var", self._init_one),
                ("moving_inv_var", self._init_zero),
                ("moving_avg", self._init_zero),
                ("min", self._init_zero),
                ("max", self._init_one),
            ):
                if name.endswith(suffix):
                    method(name, arr)
                    return
            self._init_default(name, arr)

    def _init_bilinear(self, _, arr):
        arr[:] = _bilinear_kernel("Bilinear", arr)

    def _init_loc_bias(self, name, arr):
        if tuple(arr.shape) != (6,):
            raise ValueError(
                f"{name}: a spatial-transformer location bias must have shape (6,), got {tuple(arr.shape)}"
            )
        arr[:] = _onp.array([1.0, 0, 0, 0, 1.0, 0], dtype=_onp.dtype(arr.dtype))

    def _init_zero(self, _, arr):
        arr[:] = 0.0

    def _init_one(self, _, arr):
        arr[:] = 1.0

    def _init_bias(self, _, arr):
        arr[:] = 0.0

    def _init_quantized_bias(self, _, arr):
        arr[:] = 0

    def _init_gamma(self, _, arr):
        arr[:] = 1.0

    def _init_beta(self, _, arr):
        arr[:] = 0.0

    def _init_weight(self, name, arr):
        """Fills a weight; each initializer defines it."""
        raise NotImplementedError("Must override it")

    def _init_quantized_weight(self, _, arr):
        # int8 values in [-127, 127), one draw per element.
        arr[:] = _nd_random.randint(-127, 127, shape=tuple(arr.shape), dtype="int32").asnumpy().astype(_onp.int8)

    def _init_default(self, name, _):
        raise ValueError(
            f"Unknown initialization pattern for {name}. "
            'Default initialization is now limited to "weight", "bias", "gamma" (1.0), and "beta" (0.0).'
            "Please use mx.sym.Variable(init=mx.init.*) to set initialization pattern"
        )

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = object.__hash__


_register = registry.get_register_func(Initializer, "initializer")
alias = registry.get_alias_func(Initializer, "initializer")
create = registry.get_create_func(Initializer, "initializer")


def register(klass):
    """Registers an Initializer subclass under its lower-case class name, so that
    ``mx.init.create(name)`` (and string ``init=`` arguments) can build it::

        @mx.init.register
        class MyInit(mx.init.Initializer):
            def _init_weight(self, _, arr):
                arr[:] = 0.1
    """
    return _register(klass)


class Load:
    """Initializes from saved arrays: ``param`` is a dict name -> array or a file that
    ``mx.nd.load`` reads ('arg:'/'aux:' prefixes are dropped); names not found go to
    ``default_init``. ``verbose`` logs the source of each array."""

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            param = _nd_load(param)
        assert isinstance(param, dict), "Load: param must be a dict of name -> array or a file of named arrays"
        self.param = {}
        for name, arr in param.items():
            key = name[4:] if name.startswith(("arg:", "aux:")) else name
            self.param[key] = arr
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            source = self.param[name]
            assert tuple(arr.shape) == tuple(source.shape), (
                f"Parameter {name} cannot be initialized from loading. "
                f"Shape mismatch, target {tuple(arr.shape)} vs loaded {tuple(source.shape)}"
            )
            arr[:] = source
            if self.verbose:
                logging.info("Initialized %s by loading", name)
            return
        assert self.default_init is not None, (
            f"Cannot Initialize {name}. Not found in loaded param and no default Initializer is provided."
        )
        self.default_init(name, arr)
        if self.verbose:
            logging.info("Initialized %s by default", name)


class Mixed:
    """Picks the initializer of the first regular expression in ``patterns`` that
    matches the parameter name (``re.match``, i.e. at its start); ``initializers`` has
    one initializer per pattern. End with ``'.*'`` to give a default."""

    def __init__(self, patterns, initializers):
        assert len(patterns) == len(initializers), "Mixed: patterns and initializers must have the same length"
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def __call__(self, name, arr):
        for pattern, init in self.map:
            if pattern.match(name):
                init(name, arr)
                return
        raise ValueError(
            f"Parameter name {name} did not match any pattern. "
            'Consider adding a ".*" pattern at the end with a default Initializer.'
        )


@register
@alias("zeros")
class Zero(Initializer):
    """Fills weights with 0 (registered also as 'zeros')."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 0


@register
@alias("ones")
class One(Initializer):
    """Fills weights with 1 (registered also as 'ones')."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = 1


def _as_list(value):
    if isinstance(value, _ARRAY_TYPES):
        return value.asnumpy().tolist()
    if isinstance(value, _onp.ndarray):
        return value.tolist()
    return value


@register
class Constant(Initializer):
    """Fills weights with ``value``: a scalar, or an array broadcast to the weight's shape."""

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        arr[:] = self.value

    def dumps(self):
        return json.dumps([type(self).__name__.lower(), {**self._kwargs, "value": _as_list(self.value)}])


@register
class Uniform(Initializer):
    """Fills weights with samples uniform on [-scale, scale) (default scale 0.07)."""

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        arr[:] = _sample("Uniform", "uniform", arr, -self.scale, self.scale)


@register
class Normal(Initializer):
    """Fills weights with samples of a normal distribution of mean 0 and deviation
    ``sigma`` (default 0.01)."""

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        arr[:] = _sample("Normal", "normal", arr, 0.0, self.sigma)


@register
class Orthogonal(Initializer):
    """Fills a weight (seen as a matrix of shape[0] rows) with ``scale`` times an
    orthonormal matrix: the singular vectors of a matrix of uniform [-1, 1)
    (``rand_type='uniform'``) or standard normal (``'normal'``) samples. With more
    columns than rows the rows are orthonormal, else the columns are
    (Saxe et al., https://arxiv.org/abs/1312.6120)."""

    def __init__(self, scale=1.414, rand_type="uniform"):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, name, arr):
        if len(arr.shape) < 1:
            raise ValueError(f"Orthogonal initializer cannot be applied to the 0-d array {name}")
        rows = int(arr.shape[0])
        cols = int(_onp.prod(arr.shape[1:], dtype=_onp.int64))
        if self.rand_type == "uniform":
            draw = _nd_random.uniform(-1.0, 1.0, shape=(rows, cols))
        elif self.rand_type == "normal":
            draw = _nd_random.normal(0.0, 1.0, shape=(rows, cols))
        else:
            raise ValueError(f"Orthogonal: unknown rand_type {self.rand_type!r}; use 'uniform' or 'normal'")
        matrix = draw.asnumpy()
        left, _, right = _onp.linalg.svd(matrix, full_matrices=False)
        basis = left if left.shape == matrix.shape else right
        arr[:] = (self.scale * basis).reshape(tuple(arr.shape)).astype(_onp.dtype(arr.dtype))


@register
class Xavier(Initializer):
    """Xavier (Glorot) initialization: samples of scale sqrt(magnitude / n), where
    n is fan_in (``factor_type='in'``), fan_out (``'out'``) or their mean (``'avg'``),
    with fan_in = shape[1] * prod(shape[2:]) and fan_out = shape[0] * prod(shape[2:]).
    ``rnd_type='uniform'`` draws on [-scale, scale), ``'gaussian'`` from a normal of
    deviation scale. The weight must have at least 2 dimensions."""

    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _scale(self, name, shape):
        if len(shape) < 2:
            raise ValueError(f"Xavier initializer cannot be applied to vector {name}. It requires at least 2D.")
        receptive = float(_onp.prod(shape[2:])) if len(shape) > 2 else 1.0
        fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
        if self.factor_type == "avg":
            factor = (fan_in + fan_out) / 2.0
        elif self.factor_type == "in":
            factor = fan_in
        elif self.factor_type == "out":
            factor = fan_out
        else:
            raise ValueError("Incorrect factor type")
        return sqrt(self.magnitude / factor)

    def _init_weight(self, name, arr):
        scale = self._scale(name, tuple(arr.shape))
        who = type(self).__name__
        if self.rnd_type == "uniform":
            arr[:] = _sample(who, "uniform", arr, -scale, scale)
        elif self.rnd_type == "gaussian":
            arr[:] = _sample(who, "normal", arr, 0.0, scale)
        else:
            raise ValueError("Unknown random type")


@register
class MSRAPrelu(Xavier):
    """He (MSRA) initialization for (P)ReLU networks: Xavier with gaussian samples and
    magnitude 2 / (1 + slope**2) (https://arxiv.org/abs/1502.01852)."""

    def __init__(self, factor_type="avg", slope=0.25):
        super().__init__("gaussian", factor_type, 2.0 / (1 + slope**2))
        self._kwargs = {"factor_type": factor_type, "slope": slope}


def _bilinear_kernel(who, arr):
    """The bilinear-upsampling kernel for ``arr``'s 4-D shape, computed as MXNet
    does: both axes use the factor and centre of the last axis (so a kernel taller
    than wide gets negative rows, as in MXNet)."""
    shape = tuple(arr.shape)
    if len(shape) != 4:
        raise ValueError(f"{who} initializer needs a 4-D weight (out, in, height, width), got shape {shape}")
    height, width = shape[2], shape[3]
    f = _onp.ceil(width / 2.0)
    c = (2 * f - 1 - f % 2) / (2.0 * f)
    x = _onp.arange(width, dtype=_onp.float64) / f
    y = _onp.arange(height, dtype=_onp.float64) / f
    plane = _onp.outer(1 - _onp.abs(y - c), 1 - _onp.abs(x - c)).astype(_onp.float32)
    return _onp.broadcast_to(plane, shape).astype(_onp.dtype(arr.dtype))


@register
class Bilinear(Initializer):
    """Fills a 4-D weight with a bilinear-upsampling kernel (for Deconvolution)."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr):
        arr[:] = _bilinear_kernel("Bilinear", arr)


@register
class LSTMBias(Initializer):
    """Fills an LSTM bias (4 gates of shape[0] // 4 rows: input, forget, cell, output)
    with 0, except the forget gate with ``forget_bias`` (default 1.0, after
    Jozefowicz et al. 2015). It acts on the ``_init_weight`` path, as in MXNet."""

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr):
        if len(arr.shape) < 1:
            raise ValueError(f"LSTMBias initializer cannot be applied to the 0-d array {name}")
        arr[:] = 0.0
        hidden = int(arr.shape[0] / 4)
        if hidden:
            arr[hidden : 2 * hidden] = self.forget_bias
