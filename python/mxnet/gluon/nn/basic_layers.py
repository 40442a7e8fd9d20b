"""Gluon's basic layers (MXNet 1.9.1 names, arguments, parameter names and
printing): containers, Dense, Dropout, the normalisations, Embedding,
Flatten, Lambda/HybridLambda, Identity."""

from ... import _core
from ...base import MXNetError, NotSupportedError
from ...util import is_np_array
from ..block import Block, HybridBlock, _indent

__all__ = [
    "Sequential",
    "HybridSequential",
    "Dense",
    "Dropout",
    "BatchNorm",
    "LayerNorm",
    "InstanceNorm",
    "GroupNorm",
    "Embedding",
    "Flatten",
    "Lambda",
    "HybridLambda",
    "Identity",
]


class _Chain:
    """What Sequential and HybridSequential share: add, indexing, len, printing."""

    def add(self, *blocks):
        """Appends blocks, run in order."""
        for block in blocks:
            if not isinstance(block, Block):
                raise MXNetError(f"{type(self).__name__}.add: expected a Block, got {type(block).__name__}")
            self.register_child(block)

    def _run(self, x, args, call):
        for block in self._children.values():
            x = call(block, x, args)
            args = []
            if isinstance(x, (tuple, list)):
                args, x = list(x[1:]), x[0]
        return tuple([x] + list(args)) if args else x

    def __repr__(self):
        body = "\n".join(f"  ({key}): {_indent(repr(block), 2)}" for key, block in self._children.items())
        return f"{type(self).__name__}(\n{body}\n)"

    def __getitem__(self, key):
        layers = list(self._children.values())[key]
        if not isinstance(layers, list):
            return layers
        net = type(self)(prefix=self._prefix)
        with net.name_scope():
            net.add(*layers)
        return net

    def __len__(self):
        return len(self._children)


class Sequential(_Chain, Block):
    """Blocks run one after another."""

    def __init__(self, prefix=None, params=None):
        Block.__init__(self, prefix=prefix, params=params)

    def forward(self, x, *args):
        return self._run(x, args, _call_block)

    def hybridize(self, active=True, **kwargs):
        Block.hybridize(self, active, **kwargs)


class HybridSequential(_Chain, HybridBlock):
    """HybridBlocks run one after another."""

    def __init__(self, prefix=None, params=None):
        HybridBlock.__init__(self, prefix=prefix, params=params)

    def hybrid_forward(self, F, x, *args):
        return self._run(x, args, _call_block)


def _call_block(block, value, rest):
    return block(value, *rest)


def _npx():
    from ... import numpy_extension

    return numpy_extension


def _product(shape):
    n = 1
    for d in shape:
        n *= d
    return n


class Dense(HybridBlock):
    """A fully connected layer: ``activation(dot(x, weight.T) + bias)`` with
    weight (units, in_units); ``flatten`` collapses all axes but the first,
    else the layer applies to the last axis. in_units=0 infers it at the
    first forward."""

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        flatten=True,
        dtype="float32",
        weight_initializer=None,
        bias_initializer="zeros",
        in_units=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._flatten = flatten
        with self.name_scope():
            self._units = units
            self._in_units = in_units
            self.weight = self.params.get(
                "weight", shape=(units, in_units), init=weight_initializer, dtype=dtype, allow_deferred_init=True
            )
            self.bias = (
                self.params.get("bias", shape=(units,), init=bias_initializer, dtype=dtype, allow_deferred_init=True)
                if use_bias
                else None
            )
            from .activations import Activation

            self.act = Activation(activation, prefix=activation + "_") if activation is not None else None

    def infer_shape(self, x, *args):
        self.weight.shape = (self._units, _product(x.shape[1:]) if self._flatten else x.shape[-1])

    def hybrid_forward(self, F, x, weight, bias=None):
        if is_np_array():
            out = F.npx.fully_connected(
                x, weight, bias, no_bias=bias is None, num_hidden=self._units, flatten=self._flatten
            )
        else:
            out = F.FullyConnected(x, weight, bias, no_bias=bias is None, num_hidden=self._units, flatten=self._flatten)
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        shape = self.weight.shape
        layout = f"{shape[1] if shape[1] else None} -> {shape[0]}"
        return f"{type(self).__name__}({layout}, {self.act if self.act is not None else 'linear'})"


class Dropout(HybridBlock):
    """Zeroes elements with probability ``rate`` in training mode (``axes``
    share one mask); the identity otherwise."""

    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        self._rate = rate
        self._axes = axes

    def hybrid_forward(self, F, x):
        if self._rate <= 0:
            return x
        if is_np_array():
            return F.npx.dropout(x, p=self._rate, axes=self._axes)
        return F.Dropout(x, p=self._rate, axes=self._axes)

    def __repr__(self):
        return f"{type(self).__name__}(p = {self._rate}, axes={self._axes})"


class _Norm(HybridBlock):
    """gamma and beta over ``in_channels`` (0: inferred from the input's ``axis``)."""

    def __init__(self, axis, center, scale, beta_initializer, gamma_initializer, in_channels, shape=None, **kwargs):
        super().__init__(**kwargs)
        self._axis = axis
        self._center, self._scale = center, scale
        self._in_channels = in_channels
        shape = (in_channels,) if shape is None else shape
        self.gamma = self.params.get(
            "gamma",
            grad_req="write" if scale else "null",
            shape=shape,
            init=gamma_initializer,
            allow_deferred_init=True,
            differentiable=scale,
        )
        self.beta = self.params.get(
            "beta",
            grad_req="write" if center else "null",
            shape=shape,
            init=beta_initializer,
            allow_deferred_init=True,
            differentiable=center,
        )

    def infer_shape(self, x, *args):
        channels = x.shape[self._axis]
        for p in self._reg_params.values():
            p.shape = (channels,)


class BatchNorm(_Norm):
    """Normalises with the batch's statistics in training (updating the
    running ones by ``momentum``), with the running ones otherwise or with
    ``use_global_stats``. ``scale=False`` fixes gamma at 1."""

    def __init__(
        self,
        axis=1,
        momentum=0.9,
        epsilon=1e-5,
        center=True,
        scale=True,
        use_global_stats=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        running_mean_initializer="zeros",
        running_variance_initializer="ones",
        in_channels=0,
        **kwargs,
    ):
        super().__init__(axis, center, scale, beta_initializer, gamma_initializer, in_channels, **kwargs)
        self._kwargs = {
            "eps": epsilon,
            "momentum": momentum,
            "fix_gamma": not scale,
            "use_global_stats": use_global_stats,
        }
        self.running_mean = self.params.get(
            "running_mean",
            grad_req="null",
            shape=(in_channels,),
            init=running_mean_initializer,
            allow_deferred_init=True,
            differentiable=False,
        )
        self.running_var = self.params.get(
            "running_var",
            grad_req="null",
            shape=(in_channels,),
            init=running_variance_initializer,
            allow_deferred_init=True,
            differentiable=False,
        )

    def cast(self, dtype):
        if str(dtype) == "float16":
            dtype = "float32"  # as MXNet: the statistics stay float32
        super().cast(dtype)

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        norm = F.npx.batch_norm if is_np_array() else F.BatchNorm
        return norm(x, gamma, beta, running_mean, running_var, axis=self._axis, **self._kwargs)

    def __repr__(self):
        channels = self.gamma.shape[0]
        return (
            f"{type(self).__name__}(axis={self._axis}, eps={self._kwargs['eps']}, "
            f"momentum={self._kwargs['momentum']}, fix_gamma={self._kwargs['fix_gamma']}, "
            f"use_global_stats={self._kwargs['use_global_stats']}, in_channels={channels if channels else None})"
        )


class LayerNorm(_Norm):
    """Normalises over ``axis`` per sample: (x - mean) / sqrt(var + eps) * gamma + beta."""

    def __init__(
        self,
        axis=-1,
        epsilon=1e-5,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        in_channels=0,
        **kwargs,
    ):
        super().__init__(axis, center, scale, beta_initializer, gamma_initializer, in_channels, **kwargs)
        self._epsilon = epsilon

    def hybrid_forward(self, F, data, gamma, beta):
        norm = F.npx.layer_norm if is_np_array() else F.LayerNorm
        return norm(data, gamma, beta, axis=self._axis, eps=self._epsilon)

    def __repr__(self):
        return (
            f"{type(self).__name__}(eps={self._epsilon}, axis={self._axis}, center={self._center}, "
            f"scale={self._scale}, in_channels={self._in_channels})"
        )


def _legacy(x):
    return x.as_nd_ndarray() if isinstance(x, _core.ndarray) else x


def _like(result, x):
    return result.as_np_ndarray() if isinstance(x, _core.ndarray) else result


class InstanceNorm(LayerNorm):
    """Normalises each sample and channel over the remaining axes."""

    def __init__(
        self,
        axis=1,
        epsilon=1e-5,
        center=True,
        scale=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        in_channels=0,
        **kwargs,
    ):
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer, in_channels, **kwargs)

    def hybrid_forward(self, F, x, gamma, beta):
        from ... import ndarray as nd

        data = _legacy(x)
        if self._axis != 1:
            data = data.swapaxes(1, self._axis)
        out = nd.InstanceNorm(data, _legacy(gamma), _legacy(beta), eps=self._epsilon)
        if self._axis != 1:
            out = out.swapaxes(1, self._axis)
        return _like(out, x)


class GroupNorm(_Norm):
    """Normalises each sample over groups of channels (gamma and beta per group, as MXNet 1.9.1)."""

    def __init__(
        self,
        num_groups=1,
        epsilon=1e-5,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        **kwargs,
    ):
        super().__init__(
            1, center, scale, beta_initializer, gamma_initializer, num_groups, shape=(num_groups,), **kwargs
        )
        self._num_groups = num_groups
        self._epsilon = epsilon

    def hybrid_forward(self, F, data, gamma, beta):
        from ... import ndarray as nd

        out = nd.GroupNorm(_legacy(data), _legacy(gamma), _legacy(beta), num_groups=self._num_groups, eps=self._epsilon)
        return _like(out, data)

    def __repr__(self):
        return (
            f"{type(self).__name__}(eps={self._epsilon}, num_groups={self._num_groups}, center={self._center}, "
            f"scale={self._scale})"
        )


class Embedding(HybridBlock):
    """Rows of weight (input_dim, output_dim) picked by integer indices."""

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None, sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        if sparse_grad:
            raise NotSupportedError("Embedding: sparse_grad=True (row_sparse gradients) is not supported by mxlite")
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype}
        self.weight = self.params.get(
            "weight", shape=(input_dim, output_dim), init=weight_initializer, dtype=dtype, allow_deferred_init=True
        )

    def hybrid_forward(self, F, x, weight):
        embed = F.npx.embedding if is_np_array() else F.Embedding
        return embed(x, weight, **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return f"{type(self).__name__}({k['input_dim']} -> {k['output_dim']}, {k['dtype']})"


class Flatten(HybridBlock):
    """Collapses all axes but the first."""

    def hybrid_forward(self, F, x):
        return F.npx.batch_flatten(x) if is_np_array() else F.Flatten(x)

    def __repr__(self):
        return type(self).__name__


class Lambda(Block):
    """A Block around a function of arrays (or the name of an ``mxnet.ndarray`` function)."""

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            from ... import ndarray as nd

            if not hasattr(nd, function):
                raise MXNetError(f"Function name {function} is not found in ndarray.")
            function = getattr(nd, function)
        elif not callable(function):
            raise ValueError(f"Unrecognized function in lambda: {function} of type {type(function)}")
        self._func_impl = function

    def forward(self, *args):
        return self._func_impl(*args)

    def __repr__(self):
        return f"{type(self).__name__}({getattr(self._func_impl, '__name__', self._func_impl)})"


class HybridLambda(HybridBlock):
    """A HybridBlock around ``function(F, x, *args)`` (or the name of an F function)."""

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            from ... import ndarray as nd

            if not hasattr(nd, function):
                raise MXNetError(f"Function name {function} is not found in symbol/ndarray.")
            name = function

            def function(F, *args):
                return getattr(F, name)(*args)

            function.__name__ = name
        elif not callable(function):
            raise ValueError(f"Unrecognized function in lambda: {function} of type {type(function)}")
        self._func = function

    def hybrid_forward(self, F, x, *args):
        return self._func(F, x, *args)

    def __repr__(self):
        return f"{type(self).__name__}({getattr(self._func, '__name__', self._func)})"


class Identity(HybridBlock):
    """Returns its input."""

    def hybrid_forward(self, F, x):
        return x
