"""Gluon parameters as MXNet 1.9.1 has them: ``Parameter`` (shape with unknown
dimensions filled at the first forward, one copy per context, gradient
buffers by ``grad_req``), ``Constant`` and ``ParameterDict``."""

import re
import warnings
from collections import OrderedDict

import numpy as onp

from .. import _core, autograd
from ..base import MXNetError
from ..context import Context, cpu, current_context
from ..util import is_np_array

__all__ = ["DeferredInitializationError", "Parameter", "Constant", "ParameterDict", "tensor_types"]

tensor_types = (_core.NDArray, _core.ndarray)


class DeferredInitializationError(MXNetError):
    """A parameter whose initialisation waits for the first forward pass was used before it."""


def _shape_known(shape):
    return shape is not None and all(d > 0 for d in shape)


def _contexts(ctx):
    if ctx is None:
        return [current_context()]
    if isinstance(ctx, Context):
        return [ctx]
    return list(ctx)


def _zeros(shape, dtype, ctx):
    if is_np_array():
        from .. import numpy as np

        return np.zeros(shape, dtype=dtype, ctx=ctx)
    from .. import ndarray as nd

    return nd.zeros(shape, ctx=ctx, dtype=dtype)


class Parameter:
    """A weight of a Block: its value on each context it is initialised on,
    and, unless ``grad_req='null'``, a gradient buffer beside each copy.

    ``shape`` may hold unknown dimensions (0) when ``allow_deferred_init``;
    they are filled in, and the parameter initialised, at the first forward
    pass. ``init`` (an Initializer or its name) overrides the initializer
    given to ``initialize``."""

    # Bumped whenever any parameter gets new value or gradient arrays or a new
    # grad_req (initialize, cast, reset_ctx, grad_req=): blocks and Trainers
    # reuse the arrays they looked up until then.
    _generation = 0

    def __init__(
        self,
        name,
        grad_req="write",
        shape=None,
        dtype=onp.float32,
        lr_mult=1.0,
        wd_mult=1.0,
        init=None,
        allow_deferred_init=False,
        differentiable=True,
        stype="default",
        grad_stype="default",
    ):
        if stype != "default" or grad_stype != "default":
            from ..base import unsupported_argument

            unsupported_argument(f"Parameter {name}", "stype" if stype != "default" else "grad_stype", "row_sparse")
        self.name = name
        self._shape = None if shape is None else ((shape,) if isinstance(shape, int) else tuple(shape))
        self.dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.init = init
        self.allow_deferred_init = allow_deferred_init
        self._differentiable = differentiable
        self._data = None  # OrderedDict context -> array
        self._grad = None
        self._deferred_init = ()
        self._grad_req = None
        self.grad_req = grad_req if differentiable else "null"
        self._trainer = None

    def __repr__(self):
        dtype = self.dtype if isinstance(self.dtype, str) else repr(self.dtype)
        if isinstance(self.dtype, type):
            dtype = f"<class '{self.dtype.__module__}.{self.dtype.__name__}'>"
        return f"{type(self).__name__} {self.name} (shape={self.shape}, dtype={dtype})"

    # ---- attributes -------------------------------------------------------------
    @property
    def grad_req(self):
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in ("write", "add", "null"):
            raise ValueError(f"grad_req must be one of 'write', 'add', or 'null', but got '{req}'")
        if not self._differentiable:
            req = "null"
        if self._grad_req == req:
            return
        self._grad_req = req
        Parameter._generation += 1
        if req == "null" and self._grad is not None:
            self._grad = None
            for d in self._data.values():
                d.drop_grad()
        elif self._data is not None:
            self._init_grad()

    @property
    def shape(self):
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        new_shape = tuple(new_shape)
        if self._shape is None:
            self._shape = new_shape
            return
        fits = len(self._shape) == len(new_shape) and all(i <= 0 or i == j for i, j in zip(self._shape, new_shape))
        if not fits:
            raise AssertionError(f"Expected shape {new_shape} is incompatible with given shape {self._shape}.")
        self._shape = new_shape

    # ---- initialisation ---------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=None, force_reinit=False):
        """Creates the value on each of ``ctx`` (a context or a list; default the
        current one) with ``self.init``, else ``init``, else ``default_init``
        (Uniform(0.07)). A shape still unknown defers this to the first forward."""
        from .. import initializer

        if self._data is not None and not force_reinit:
            warnings.warn(
                f"Parameter '{self.name}' is already initialized, ignoring. Set force_reinit=True to re-initialize.",
                stacklevel=2,
            )
            return
        self._data = self._grad = None
        Parameter._generation += 1
        contexts = _contexts(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        if init is None:
            init = initializer.Uniform()
        if not _shape_known(self.shape):
            if self.allow_deferred_init:
                self._deferred_init = (init, contexts)
                return
            raise ValueError(f"Cannot initialize Parameter '{self.name}' because it has invalid shape: {self.shape}.")
        self._deferred_init = (init, contexts)
        self._finish_deferred_init()

    def _finish_deferred_init(self):
        if not self._deferred_init:
            return
        init, contexts = self._deferred_init
        if not _shape_known(self.shape):
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized yet because initialization was deferred and "
                f"its shape {self.shape} is still unknown."
            )
        from .. import initializer

        with autograd.pause(), _core.CapturePause():  # never part of a hybridized graph
            value = _zeros(self.shape, self.dtype, cpu(0))
            chosen = init if callable(init) and not isinstance(init, (str, type)) else initializer.create(init)
            if hasattr(chosen, "_init_weight"):
                # As MXNet: the chosen initializer's weight rule, whatever the name
                # (name-based dispatch is for initializers called on a name alone).
                chosen._init_weight(initializer.InitDesc(self.name, {"__init__": chosen}), value)
            else:  # Mixed, Load: they pick by name
                chosen(initializer.InitDesc(self.name), value)
            self._init_impl(value, contexts)
        self._deferred_init = ()

    def _init_impl(self, value, contexts):
        self._data = OrderedDict((c, value.copyto(c)) for c in contexts)
        self._init_grad()

    def _init_grad(self):
        Parameter._generation += 1  # new value and gradient arrays
        if self.grad_req == "null":
            self._grad = None
            return
        self._grad = OrderedDict()
        for c, d in self._data.items():
            d.attach_grad(self.grad_req)
            self._grad[c] = d.grad

    # ---- access -----------------------------------------------------------------
    def _check_and_get(self, store, ctx):
        if store is not None:
            if ctx is list:
                return list(store.values())
            if ctx is None:
                ctx = next(iter(store)) if len(store) == 1 else current_context()
            if ctx in store:
                return store[ctx]
            raise RuntimeError(
                f"Parameter '{self.name}' was not initialized on context {ctx}. "
                f"It was only initialized on {list(store)}."
            )
        if self._deferred_init:
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized yet because initialization was deferred. "
                "Actual initialization happens during the first forward pass. Please pass one batch of data "
                "through the network before accessing Parameters. You can also avoid deferred initialization "
                "by specifying in_units, num_features, etc., for network layers."
            )
        raise RuntimeError(
            f"Parameter '{self.name}' has not been initialized. Note that you should initialize parameters and "
            "create Trainer with Block.collect_params() instead of Block.params because the later does not "
            "include Parameters of nested child Blocks"
        )

    def data(self, ctx=None):
        """The value on ``ctx`` (default: the only context, else the current one)."""
        store = self._data
        if store is not None and ctx is not None:
            value = store.get(ctx)  # the hot path: every forward asks for its input's context
            if value is not None:
                return value
        return self._check_and_get(store, ctx)

    def list_data(self):
        """The values on every context, in initialisation order."""
        return self._check_and_get(self._data, list)

    def grad(self, ctx=None):
        """The gradient buffer on ``ctx``."""
        if self._data is not None and self._grad is None:
            raise RuntimeError(f"Cannot get gradient array for Parameter '{self.name}' because grad_req='null'")
        return self._check_and_get(self._grad, ctx)

    def list_grad(self):
        if self._data is not None and self._grad is None:
            raise RuntimeError(f"Cannot get gradient array for Parameter '{self.name}' because grad_req='null'")
        return self._check_and_get(self._grad, list)

    def list_ctx(self):
        """The contexts the parameter is (or, deferred, will be) initialised on."""
        if self._data is None:
            if self._deferred_init:
                return list(self._deferred_init[1])
            raise RuntimeError(f"Parameter '{self.name}' has not been initialized")
        return list(self._data)

    def zero_grad(self):
        """Sets every gradient buffer to 0."""
        if self._grad is None:
            return
        for g in self._grad.values():
            g[:] = 0

    def set_data(self, data):
        """Copies ``data`` into the value on every context (the shape must fit)."""
        self.shape = data.shape
        if self._data is None:
            if not self._deferred_init:
                raise RuntimeError(f"Parameter '{self.name}' has not been initialized")
            init, contexts = self._deferred_init
            self._deferred_init = ()
            with autograd.pause(), _core.CapturePause():
                self._init_impl(_as_array(data, self.dtype), contexts)
            return
        with autograd.pause():
            for d in self._data.values():
                d[:] = data

    def _reduce(self):
        """The value averaged over the contexts, on cpu(0) (what save_parameters writes)."""
        values = self.list_data()
        total = _sum_on_cpu0(values)
        with autograd.pause():
            return total / len(values) if len(values) > 1 else total

    def reset_ctx(self, ctx):
        """Moves the value (and gradient buffers) to the context(s) ``ctx``."""
        contexts = _contexts(ctx)
        if self._data is not None:
            with autograd.pause():
                value = self._reduce()
                self._init_impl(value, contexts)
        elif self._deferred_init:
            self._deferred_init = (self._deferred_init[0], contexts)
        else:
            raise ValueError(f"Cannot reset context for Parameter '{self.name}' because it has not been initialized.")

    def cast(self, dtype):
        """Converts the value, and the gradient buffers, to ``dtype``."""
        self.dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = OrderedDict((c, d.astype(dtype)) for c, d in self._data.items())
        self._init_grad()

    def var(self):
        from ..base import NotSupportedError

        raise NotSupportedError(f"Parameter {self.name}.var(): symbols are not supported by mxlite")

    def row_sparse_data(self, row_id):
        from ..base import NotSupportedError

        raise NotSupportedError(f"Parameter {self.name}.row_sparse_data: sparse storage is not supported by mxlite")

    list_row_sparse_data = row_sparse_data


def _sum_on_cpu0(arrays):
    """The sum of same-shaped arrays living on any contexts, on cpu(0) (not recorded)."""
    with autograd.pause():
        total = arrays[0].copyto(cpu(0))
        for a in arrays[1:]:
            total = total + a.copyto(cpu(0))
        return total


def _as_array(data, dtype):
    if is_np_array():
        from .. import numpy as np

        return np.array(data, dtype=dtype)
    from .. import ndarray as nd

    return nd.array(data, dtype=dtype)


class Constant(Parameter):
    """A parameter that holds ``value`` and is never trained (grad_req 'null')."""

    def __init__(self, name, value):
        if not isinstance(value, tensor_types):
            value = _as_array(onp.asarray(value, dtype=onp.float32), onp.float32)
        self.value = value
        from .. import initializer

        class _Value(initializer.Initializer):
            def _init_weight(self, _, arr):
                arr[:] = value

        super().__init__(name, grad_req="null", shape=value.shape, dtype=value.dtype, init=_Value())

    @Parameter.grad_req.setter
    def grad_req(self, req):
        if req != "null":
            warnings.warn(f"Constant parameter '{self.name}' does not support grad_req other than 'null'", stacklevel=2)
        self._grad_req = "null"


class ParameterDict:
    """An ordered dict of Parameters named with a common ``prefix``; ``get``
    creates or shares them (with ``shared``, a ParameterDict whose parameters
    are reused by name)."""

    def __init__(self, prefix="", shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        body = "\n".join(f"  {p!r}" for p in self._params.values())
        return f"{self._prefix} (\n{body}\n)" if body else f"{self._prefix} (\n\n)"

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self):
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._params[name]
        return None

    def get(self, name, **kwargs):
        """The parameter ``prefix + name``, created with ``kwargs`` if new; an
        existing one must agree with them (an unknown shape dimension is filled in)."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for key, value in kwargs.items():
            if not hasattr(param, key):
                raise MXNetError(f"Parameter '{name}' has no attribute '{key}'")
            if value is None:
                continue
            existing = getattr(param, key)
            if key == "shape":
                param.shape = _merge_shapes(name, existing, value)
            elif existing != value and not (key == "dtype" and onp.dtype(existing) == onp.dtype(value)):
                if key == "init":
                    continue  # the first block's initializer wins, as in MXNet
                raise AssertionError(
                    f"Cannot retrieve Parameter '{name}' because desired attribute does not match with stored for "
                    f"attribute '{key}': desired '{value}' vs stored '{existing}'."
                )
        return param

    def get_constant(self, name, value=None):
        """The Constant ``prefix + name``, created from ``value`` if new."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError(
                    f"No constant named '{name}'. Please specify value if you want to create a new constant."
                )
            param = Constant(name, value)
            self._params[name] = param
        elif not isinstance(param, Constant):
            raise AssertionError(f"Parameter '{name}' already exists but it is not a constant.")
        return param

    def update(self, other):
        """Adds the parameters of ``other`` (a name clash with another parameter raises)."""
        for key, value in other.items():
            if key in self._params and self._params[key] is not value:
                raise ValueError(
                    f"Cannot update self with other because they have different Parameters with the same name '{key}'"
                )
            self._params[key] = value

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False):
        """Initialises every parameter (``init`` is the default initializer: Uniform(0.07))."""
        from .. import initializer

        if init is None:
            init = initializer.Uniform()
        if verbose and hasattr(init, "set_verbosity"):
            init.set_verbosity(verbose=verbose)
        for param in self.values():
            param.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        for param in self.values():
            param.zero_grad()

    def reset_ctx(self, ctx):
        for param in self.values():
            param.reset_ctx(ctx)

    def list_ctx(self):
        seen = []
        for param in self.values():
            for c in param.list_ctx():
                if c not in seen:
                    seen.append(c)
        return seen

    def setattr(self, name, value):
        """Sets attribute ``name`` (e.g. 'grad_req', 'lr_mult') of every parameter."""
        for param in self.values():
            setattr(param, name, value)

    def save(self, filename, strip_prefix=""):
        """Writes the values (averaged over contexts) to ``filename`` in MXNet's format."""
        from ..ndarray import utils as nd_utils

        arrays = {}
        for param in self.values():
            name = param.name
            if strip_prefix:
                if not name.startswith(strip_prefix):
                    raise ValueError(
                        f"Prefix '{strip_prefix}' is to be striped before saving, but Parameter's name '{name}' does "
                        "not start with it."
                    )
                name = name[len(strip_prefix) :]
            arrays[name] = param._reduce()
        nd_utils.save(filename, arrays)

    def load(
        self,
        filename,
        ctx=None,
        allow_missing=False,
        ignore_extra=False,
        restore_prefix="",
        cast_dtype=False,
        dtype_source="current",
    ):
        """Reads values saved by ``save`` (or ``nd.save``) into the parameters."""
        loaded = _load_arrays(filename)
        if not isinstance(loaded, dict):
            raise ValueError(f"{filename} holds a list of arrays, not named parameters")
        loaded = {restore_prefix + k: v for k, v in loaded.items()}
        _load_into(
            self._params, loaded, filename, ctx, allow_missing, ignore_extra, cast_dtype, dtype_source, "ParameterDict"
        )

    def select(self, pattern):
        """The parameters whose names match the regular expression ``pattern`` (from the start)."""
        regex = re.compile(pattern)
        selected = ParameterDict(self._prefix)
        selected._params.update((k, v) for k, v in self._params.items() if regex.match(k))
        return selected


def _merge_shapes(name, existing, wanted):
    if existing is None:
        return tuple(wanted)
    wanted = tuple(wanted)
    if len(existing) != len(wanted):
        raise AssertionError(
            f"Cannot retrieve Parameter '{name}' because desired attribute does not match with stored for attribute "
            f"'shape': desired '{wanted}' vs stored '{existing}'."
        )
    merged = []
    for a, b in zip(existing, wanted):
        if a > 0 and b > 0 and a != b:
            raise AssertionError(
                f"Cannot retrieve Parameter '{name}' because desired attribute does not match with stored for "
                f"attribute 'shape': desired '{wanted}' vs stored '{existing}'."
            )
        merged.append(a if a > 0 else b)
    return tuple(merged)


def _load_into(params, loaded, filename, ctx, allow_missing, ignore_extra, cast_dtype, dtype_source, owner):
    """Copies ``loaded`` (name -> array) into ``params`` (name -> Parameter) with MXNet's checks."""
    if not allow_missing:
        for name in params:
            if name not in loaded:
                raise AssertionError(
                    f"Parameter '{name}' is missing in file '{filename}', which contains parameters: "
                    f"{_names(loaded)}. Set allow_missing=True to ignore missing parameters."
                )
    for name, value in loaded.items():
        if name not in params:
            if ignore_extra:
                continue
            raise ValueError(
                f"Parameter '{name}' loaded from file '{filename}' is not present in {owner}, which contains "
                f"parameters {_names(params)}. Set ignore_extra=True to ignore. "
            )
        param = params[name]
        if cast_dtype:
            if dtype_source == "saved":
                param.dtype = value.dtype
            else:
                value = value.astype(param.dtype)
        elif onp.dtype(value.dtype) != onp.dtype(param.dtype):
            raise AssertionError(
                f"Failed loading Parameter '{name}' from saved params: dtype incompatible expected "
                f"{onp.dtype(param.dtype)} vs saved {onp.dtype(value.dtype)}. Set cast_dtype=True to cast the dtype "
                "of saved params."
            )
        if param.shape is not None and _shape_known(param.shape) and tuple(param.shape) != tuple(value.shape):
            raise AssertionError(
                f"Failed loading Parameter '{name}' from saved params: shape incompatible expected {param.shape} vs "
                f"saved {value.shape}"
            )
        if is_np_array() and isinstance(value, _core.NDArray):
            value = value.as_np_ndarray()
        elif not is_np_array() and isinstance(value, _core.ndarray):
            value = value.as_nd_ndarray()
        if param._data is None and not param._deferred_init:
            param.shape = value.shape
            with autograd.pause():
                param._init_impl(value.copyto(cpu(0)), _contexts(ctx))
        elif param._data is None:
            if ctx is not None:
                param._deferred_init = (param._deferred_init[0], _contexts(ctx))
            param.set_data(value)
        else:
            param.set_data(value)
            if ctx is not None and _contexts(ctx) != param.list_ctx():
                param.reset_ctx(ctx)


def _load_arrays(filename):
    """The arrays of a parameter file as the current mode's array type: files
    written under either shape semantics load (as MXNet's load_parameters does)."""
    if not isinstance(filename, str):
        raise TypeError("fname required to be a string")
    names, arrays = _core.io.load(filename, is_np_array(), None)
    return dict(zip(names, arrays)) if names else arrays


def _names(store):
    return ", ".join(f"'{k}'" for k in store)
