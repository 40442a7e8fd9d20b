"""Gluon's convolution and pooling layers (MXNet 1.9.1 names, arguments,
parameter names and printing): Conv1D/2D/3D and their transposes, max and
average pooling (local and global) and ReflectionPad2D.

The engine computes channels-first data; a channels-last ``layout`` (NHWC,
NDHWC, NWC for pooling), which MXNet accepts on CPU too, is computed by moving
the channel axis of the data (and of the weight, which MXNet lays out the same
way) to the front and back."""

from ... import _core
from ...base import MXNetError
from ...util import is_np_array
from ..block import HybridBlock
from .activations import Activation

_NUMBERS = (int, float)

__all__ = [
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "ReflectionPad2D",
]


def _tuple(value, n, what):
    """An int repeated n times, or a tuple/list of n ints (MXNet's AssertionError otherwise)."""
    if isinstance(value, _NUMBERS):
        return (int(value),) * n
    value = tuple(value)
    if len(value) != n:
        raise AssertionError(f"{what} must be a number or a list of {n} ints")
    return value


def _check_layout(layout, allowed, message):
    if layout not in allowed:
        raise AssertionError(message)


def _channels_last(layout):
    return layout.find("C") == len(layout) - 1


def _to_first(x):
    """(N, spatial..., C) -> (N, C, spatial...)."""
    n = x.ndim
    return x.transpose((0, n - 1) + tuple(range(1, n - 1)))


def _to_last(x):
    """(N, C, spatial...) -> (N, spatial..., C)."""
    n = x.ndim
    return x.transpose((0,) + tuple(range(2, n)) + (1,))


def _check_input(block, x, ndim):
    if x.ndim != ndim:
        raise MXNetError(
            f"{block.name} ({type(block).__name__}): expected {ndim}-D input in layout {block._layout}, "
            f"got shape {x.shape}"
        )


class _Conv(HybridBlock):
    """What the convolutions share: the weight (and bias) with the shape MXNet
    gives them, in_channels inferred at the first forward when 0."""

    def __init__(
        self,
        channels,
        kernel_size,
        strides,
        padding,
        dilation,
        groups,
        layout,
        in_channels=0,
        activation=None,
        use_bias=True,
        weight_initializer=None,
        bias_initializer="zeros",
        op_name="Convolution",
        adj=None,
        prefix=None,
        params=None,
    ):
        super().__init__(prefix=prefix, params=params)
        n = len(kernel_size)
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            self._layout = layout
            self._transposed = op_name.lower() == "deconvolution"
            self._kwargs = {
                "kernel": tuple(kernel_size),
                "stride": _tuple(strides, n, "strides"),
                "dilate": _tuple(dilation, n, "dilation"),
                "pad": _tuple(padding, n, "padding"),
                "num_filter": channels,
                "num_group": groups,
                "no_bias": not use_bias,
                "layout": layout,
            }
            if adj is not None:
                self._kwargs["adj"] = tuple(adj)
            self.weight = self.params.get(
                "weight", shape=self._weight_shape(in_channels), init=weight_initializer, allow_deferred_init=True
            )
            self.bias = (
                self.params.get("bias", shape=(channels,), init=bias_initializer, allow_deferred_init=True)
                if use_bias
                else None
            )
            self.act = Activation(activation, prefix=activation + "_") if activation is not None else None

    def _weight_shape(self, in_channels):
        groups = self._kwargs["num_group"]
        if self._transposed:
            outer, inner = in_channels, self._channels // groups
        else:
            outer, inner = self._channels, in_channels // groups if in_channels else 0
        kernel = self._kwargs["kernel"]
        if _channels_last(self._layout):
            return (outer,) + kernel + (inner,)
        return (outer, inner) + kernel

    def _alias(self):
        return "conv"

    def infer_shape(self, x, *args):
        _check_input(self, x, len(self._kwargs["kernel"]) + 2)
        channels = x.shape[self._layout.find("C")]
        groups = self._kwargs["num_group"]
        if channels % groups:
            raise MXNetError(
                f"{self.name} ({type(self).__name__}): the input's {channels} channels (shape {x.shape}) "
                f"are not divisible by groups={groups}"
            )
        self.weight.shape = self._weight_shape(channels)

    def hybrid_forward(self, F, x, weight, bias=None):
        _check_input(self, x, len(self._kwargs["kernel"]) + 2)
        last = _channels_last(self._layout)
        channels = x.shape[-1 if last else 1]
        groups = self._kwargs["num_group"]
        if self._transposed:
            expected = weight.shape[0]
        else:
            expected = (weight.shape[-1] if last else weight.shape[1]) * groups
        if channels != expected:
            raise MXNetError(
                f"{self.name} ({type(self).__name__}): the input of shape {x.shape} has {channels} channels, "
                f"but the weight of shape {weight.shape} expects {expected} (layout {self._layout})"
            )
        if last:
            x, weight = _to_first(x), _to_first(weight)
        kwargs = dict(self._kwargs, layout=None)
        if is_np_array():
            op = F.npx.deconvolution if self._transposed else F.npx.convolution
        else:
            op = F.Deconvolution if self._transposed else F.Convolution
        out = op(x, weight, bias, **kwargs)
        if last:
            out = _to_last(out)
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        k = self._kwargs
        n = len(k["kernel"])
        s = f"{type(self).__name__}({{mapping}}, kernel_size={k['kernel']}, stride={k['stride']}"
        if k["pad"] != (0,) * n:
            s += f", padding={k['pad']}"
        if k["dilate"] != (1,) * n:
            s += f", dilation={k['dilate']}"
        # MXNet 1.9.1 prints no output_padding (its __repr__ looks for an attribute it never sets).
        if k["num_group"] != 1:
            s += f", groups={k['num_group']}"
        if self.bias is None:
            s += ", bias=False"
        if self.act:
            s += f", {self.act}"
        s += ")"
        shape = self.weight.shape
        return s.format(mapping=f"{shape[1] if shape[1] else None} -> {shape[0]}")


def _conv_init(cls, n, layouts, message, transposed):
    """The constructor of a Conv{n}D(Transpose) class (MXNet's arguments and defaults)."""

    one = 1 if n == 1 else (1,) * n
    zero = 0 if n == 1 else (0,) * n
    op_name = "Deconvolution" if transposed else "Convolution"

    def finish(self, channels, kernel_size, strides, padding, output_padding, dilation, groups, layout, activation,
               use_bias, weight_initializer, bias_initializer, in_channels, kwargs):  # fmt: skip
        _check_layout(layout, layouts, message)
        kernel_size = _tuple(kernel_size, n, "kernel_size")
        adj = _tuple(output_padding, n, "output_padding") if transposed else None
        kwargs.pop("op_name", None)
        _Conv.__init__(
            self, channels, kernel_size, strides, padding, dilation, groups, layout, in_channels, activation,
            use_bias, weight_initializer, bias_initializer, op_name, adj, **kwargs,
        )  # fmt: skip
        if transposed:
            self.outpad = adj

    if transposed:

        def __init__(self, channels, kernel_size, strides=one, padding=zero, output_padding=zero, dilation=one,
                     groups=1, layout=layouts[0], activation=None, use_bias=True, weight_initializer=None,
                     bias_initializer="zeros", in_channels=0, **kwargs):  # fmt: skip
            finish(self, channels, kernel_size, strides, padding, output_padding, dilation, groups, layout,
                   activation, use_bias, weight_initializer, bias_initializer, in_channels, kwargs)  # fmt: skip

    else:

        def __init__(self, channels, kernel_size, strides=one, padding=zero, dilation=one, groups=1,
                     layout=layouts[0], activation=None, use_bias=True, weight_initializer=None,
                     bias_initializer="zeros", in_channels=0, **kwargs):  # fmt: skip
            finish(self, channels, kernel_size, strides, padding, None, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs)  # fmt: skip

    cls.__init__ = __init__
    return cls


_LAYOUTS = {
    1: (("NCW",), "Only supports 'NCW' layout for now"),
    2: (("NCHW", "NHWC"), "Only supports 'NCHW' and 'NHWC' layout for now"),
    3: (("NCDHW", "NDHWC"), "Only supports 'NCDHW' and 'NDHWC' layout for now"),
}


class Conv1D(_Conv):
    """1-D convolution of (batch, in_channels, width) data; weight (channels, in_channels/groups, k)."""


class Conv2D(_Conv):
    """2-D convolution of (batch, in_channels, height, width) data (NCHW, or
    NHWC); weight (channels, in_channels/groups, kh, kw) (NHWC: (channels, kh, kw, in_channels/groups))."""


class Conv3D(_Conv):
    """3-D convolution of NCDHW (or NDHWC) data; weight (channels, in_channels/groups, kd, kh, kw)."""


class Conv1DTranspose(_Conv):
    """1-D transposed convolution; weight (in_channels, channels/groups, k);
    out_width = (width-1)*strides - 2*padding + dilation*(k-1) + 1 + output_padding."""


class Conv2DTranspose(_Conv):
    """2-D transposed convolution of NCHW (or NHWC) data; weight (in_channels, channels/groups, kh, kw)."""


class Conv3DTranspose(_Conv):
    """3-D transposed convolution of NCDHW (or NDHWC) data; weight (in_channels, channels/groups, kd, kh, kw)."""


for _cls, _n, _transposed in (
    (Conv1D, 1, False),
    (Conv2D, 2, False),
    (Conv3D, 3, False),
    (Conv1DTranspose, 1, True),
    (Conv2DTranspose, 2, True),
    (Conv3DTranspose, 3, True),
):
    _conv_init(_cls, _n, *_LAYOUTS[_n], _transposed)


class _Pooling(HybridBlock):
    """What the poolings share: MXNet's Pooling arguments (ceil_mode is the
    'full' convention) and printing."""

    def __init__(
        self, pool_size, strides, padding, ceil_mode, global_pool, pool_type, layout, count_include_pad=None, **kwargs
    ):
        super().__init__(**kwargs)
        n = len(pool_size)
        if strides is None:
            strides = pool_size
        self._layout = layout
        self._kwargs = {
            "kernel": tuple(pool_size),
            "stride": _tuple(strides, n, "strides"),
            "pad": _tuple(padding, n, "padding"),
            "global_pool": global_pool,
            "pool_type": pool_type,
            "layout": layout,
            "pooling_convention": "full" if ceil_mode else "valid",
        }
        if count_include_pad is not None:
            self._kwargs["count_include_pad"] = count_include_pad

    def _alias(self):
        return "pool"

    def hybrid_forward(self, F, x):
        _check_input(self, x, len(self._kwargs["kernel"]) + 2)
        last = _channels_last(self._layout)
        if last:
            x = _to_first(x)
        pooling = F.npx.pooling if is_np_array() else F.Pooling
        out = pooling(x, **dict(self._kwargs, layout=None))
        return _to_last(out) if last else out

    def __repr__(self):
        k = self._kwargs
        return (
            f"{type(self).__name__}(size={k['kernel']}, stride={k['stride']}, padding={k['pad']}, "
            f"ceil_mode={k['pooling_convention'] == 'full'}, global_pool={k['global_pool']}, "
            f"pool_type={k['pool_type']}, layout={k['layout']})"
        )


_POOL_LAYOUTS = {
    1: (("NCW", "NWC"), "Only NCW and NWC layouts are valid for 1D Pooling"),
    2: (("NCHW", "NHWC"), "Only NCHW and NHWC layouts are valid for 2D Pooling"),
    3: (("NCDHW", "NDHWC"), "Only NCDHW and NDHWC layouts are valid for 3D Pooling"),
}


def _local_pool(n, pool_size, layout):
    _check_layout(layout, *_POOL_LAYOUTS[n])
    return _tuple(pool_size, n, "pool_size")


class MaxPool1D(_Pooling):
    """Max pooling over the width of NCW (or NWC) data."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False, **kwargs):
        super().__init__(_local_pool(1, pool_size, layout), strides, padding, ceil_mode, False, "max", layout, **kwargs)


class MaxPool2D(_Pooling):
    """Max pooling over the height and width of NCHW (or NHWC) data."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, layout="NCHW", ceil_mode=False, **kwargs):
        super().__init__(_local_pool(2, pool_size, layout), strides, padding, ceil_mode, False, "max", layout, **kwargs)


class MaxPool3D(_Pooling):
    """Max pooling over the depth, height and width of NCDHW (or NDHWC) data."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False, layout="NCDHW", **kwargs):
        super().__init__(_local_pool(3, pool_size, layout), strides, padding, ceil_mode, False, "max", layout, **kwargs)


class AvgPool1D(_Pooling):
    """Average pooling over the width; ``count_include_pad`` counts the padding in the divisor."""

    def __init__(
        self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False, count_include_pad=True, **kwargs
    ):
        super().__init__(
            _local_pool(1, pool_size, layout), strides, padding, ceil_mode, False, "avg", layout, count_include_pad,
            **kwargs,
        )  # fmt: skip


class AvgPool2D(_Pooling):
    """Average pooling over the height and width; ``count_include_pad`` counts the padding in the divisor."""

    def __init__(
        self, pool_size=(2, 2), strides=None, padding=0, ceil_mode=False, layout="NCHW", count_include_pad=True,
        **kwargs,
    ):  # fmt: skip
        super().__init__(
            _local_pool(2, pool_size, layout), strides, padding, ceil_mode, False, "avg", layout, count_include_pad,
            **kwargs,
        )  # fmt: skip


class AvgPool3D(_Pooling):
    """Average pooling over the depth, height and width; ``count_include_pad`` counts the padding."""

    def __init__(
        self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False, layout="NCDHW", count_include_pad=True,
        **kwargs,
    ):  # fmt: skip
        super().__init__(
            _local_pool(3, pool_size, layout), strides, padding, ceil_mode, False, "avg", layout, count_include_pad,
            **kwargs,
        )  # fmt: skip


def _global_pool(n, layout):
    _check_layout(layout, *_POOL_LAYOUTS[n])
    return (1,) * n


class GlobalMaxPool1D(_Pooling):
    """The maximum over the width: (N, C, W) -> (N, C, 1)."""

    def __init__(self, layout="NCW", **kwargs):
        super().__init__(_global_pool(1, layout), None, 0, True, True, "max", layout, **kwargs)


class GlobalMaxPool2D(_Pooling):
    """The maximum over height and width: (N, C, H, W) -> (N, C, 1, 1)."""

    def __init__(self, layout="NCHW", **kwargs):
        super().__init__(_global_pool(2, layout), None, 0, True, True, "max", layout, **kwargs)


class GlobalMaxPool3D(_Pooling):
    """The maximum over depth, height and width: (N, C, D, H, W) -> (N, C, 1, 1, 1)."""

    def __init__(self, layout="NCDHW", **kwargs):
        super().__init__(_global_pool(3, layout), None, 0, True, True, "max", layout, **kwargs)


class GlobalAvgPool1D(_Pooling):
    """The mean over the width: (N, C, W) -> (N, C, 1)."""

    def __init__(self, layout="NCW", **kwargs):
        super().__init__(_global_pool(1, layout), None, 0, True, True, "avg", layout, **kwargs)


class GlobalAvgPool2D(_Pooling):
    """The mean over height and width: (N, C, H, W) -> (N, C, 1, 1)."""

    def __init__(self, layout="NCHW", **kwargs):
        super().__init__(_global_pool(2, layout), None, 0, True, True, "avg", layout, **kwargs)


class GlobalAvgPool3D(_Pooling):
    """The mean over depth, height and width: (N, C, D, H, W) -> (N, C, 1, 1, 1)."""

    def __init__(self, layout="NCDHW", **kwargs):
        super().__init__(_global_pool(3, layout), None, 0, True, True, "avg", layout, **kwargs)


class ReflectionPad2D(HybridBlock):
    """Pads the height and width of NCHW data by reflection (``padding`` on
    every side, or MXNet's 8-value pad_width)."""

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, _NUMBERS):
            padding = (0, 0, 0, 0, padding, padding, padding, padding)
        if len(padding) != 8:
            raise AssertionError("ReflectionPad2D: padding must be a number or 8 values (MXNet's pad_width)")
        self._padding = tuple(padding)

    def hybrid_forward(self, F, x):
        from ... import ndarray as nd

        data = x.as_nd_ndarray() if isinstance(x, _core.ndarray) else x
        out = nd.pad(data, mode="reflect", pad_width=self._padding)
        return out.as_np_ndarray() if isinstance(x, _core.ndarray) else out
