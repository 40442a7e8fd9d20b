"""Legacy ``nd`` neural-network operators with MXNet 1.x names and arguments
(the same engine functions as ``npx.softmax`` etc., returning NDArrays)."""

from .. import _core
from .._args import into, no_kwargs

__all__ = [
    "softmax",
    "log_softmax",
    "Activation",
    "FullyConnected",
    "Dropout",
    "LayerNorm",
    "BatchNorm",
    "Embedding",
    "SoftmaxOutput",
    "LeakyReLU",
    "InstanceNorm",
    "GroupNorm",
    "L2Normalization",
    "SequenceMask",
    "SequenceLast",
    "SequenceReverse",
    "LinearRegressionOutput",
    "LogisticRegressionOutput",
    "MAERegressionOutput",
    "MakeLoss",
    "make_loss",
    "SVMOutput",
    "Softmax",
    "SoftmaxActivation",
    "Convolution",
    "Deconvolution",
    "Pooling",
    "im2col",
    "col2im",
    "UpSampling",
    "LRN",
    "CTCLoss",
    "ctc_loss",
    "RNN",
    "ROIPooling",
    "GridGenerator",
    "BilinearSampler",
    "SpatialTransformer",
    "Correlation",
]

_f = _core.nd


def _stats_as_list(result):
    # output_mean_var=True: MXNet returns the three outputs as a list.
    return list(result) if isinstance(result, tuple) else result


def _unsupported(flag, what):
    if flag:
        raise NotImplementedError(f"{what} is not supported by mxlite")


def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False, **kwargs):
    no_kwargs("softmax", kwargs)
    _unsupported(length is not None or use_length, "softmax(length=..., use_length=True)")
    return _f.softmax(data if dtype is None else data.astype(dtype), int(axis), temperature)


def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False, **kwargs):
    no_kwargs("log_softmax", kwargs)
    _unsupported(use_length, "log_softmax(use_length=True)")
    return _f.log_softmax(data if dtype is None else data.astype(dtype), int(axis), temperature)


def Activation(data, act_type, **kwargs):  # noqa: N802 - MXNet's name
    no_kwargs("Activation", kwargs)
    return _f.activation(data, act_type)


def FullyConnected(data, weight, bias=None, num_hidden=None, no_bias=False, flatten=True, **kwargs):  # noqa: N802
    no_kwargs("FullyConnected", kwargs)
    if num_hidden is None:
        raise TypeError("FullyConnected: the required argument num_hidden is missing")
    return _f.fully_connected(data, weight, None if no_bias else bias, int(num_hidden), bool(flatten))


def Dropout(data, p=0.5, mode="training", axes=(), cudnn_off=True, **kwargs):  # noqa: N802
    no_kwargs("Dropout", kwargs)
    if mode not in ("training", "always"):
        raise ValueError(f"Dropout: mode must be 'training' or 'always', got {mode!r}")
    return _f.dropout(data, float(p), tuple(axes), mode == "always")


def LayerNorm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False, **kwargs):  # noqa: N802
    no_kwargs("LayerNorm", kwargs)
    return _stats_as_list(_f.layer_norm(data, gamma, beta, int(axis), float(eps), bool(output_mean_var)))


def BatchNorm(
    data,
    gamma,
    beta,
    moving_mean,
    moving_var,
    eps=1e-3,
    momentum=0.9,
    fix_gamma=True,  # noqa: N802
    use_global_stats=False,
    output_mean_var=False,
    axis=1,
    cudnn_off=False,
    **kwargs,
):
    no_kwargs("BatchNorm", kwargs)
    return _stats_as_list(
        _f.batch_norm(
            data,
            gamma,
            beta,
            moving_mean,
            moving_var,
            float(eps),
            float(momentum),
            bool(fix_gamma),
            bool(use_global_stats),
            int(axis),
            bool(output_mean_var),
        )
    )


def Embedding(
    data,
    weight,
    input_dim=None,
    output_dim=None,
    dtype="float32",
    sparse_grad=False,  # noqa: N802
    **kwargs,
):
    no_kwargs("Embedding", kwargs)
    from ..numpy_extension._nn import _embedding_args

    _embedding_args("Embedding", weight, dtype, sparse_grad)
    return _f.embedding(
        data, weight, -1 if input_dim is None else int(input_dim), -1 if output_dim is None else int(output_dim)
    )


def SoftmaxOutput(
    data,
    label,
    grad_scale=1.0,
    ignore_label=-1.0,
    multi_output=False,
    use_ignore=False,  # noqa: N802
    preserve_shape=False,
    normalization="null",
    out_grad=False,
    smooth_alpha=0.0,
    **kwargs,
):
    """Softmax forward; its backward ignores the head gradient and gives
    (softmax - one_hot(label)) * grad_scale / normalization (cross-entropy)."""
    no_kwargs("SoftmaxOutput", kwargs)
    _unsupported(multi_output, "SoftmaxOutput(multi_output=True)")
    _unsupported(out_grad, "SoftmaxOutput(out_grad=True)")
    _unsupported(smooth_alpha, "SoftmaxOutput(smooth_alpha=...)")
    return _f.softmax_output(
        data, label, float(grad_scale), float(ignore_label), bool(use_ignore), normalization, bool(preserve_shape)
    )


def LeakyReLU(  # noqa: N802
    data, gamma=None, act_type="leaky", slope=0.25, lower_bound=0.125, upper_bound=0.334, out=None, name=None, **kwargs
):
    """MXNet's LeakyReLU: act_type 'leaky' (x>0 ? x : slope*x), 'elu'
    (slope*(e^x-1) below 0), 'selu', 'gelu' (x*Phi(x)), 'prelu' (learnt slope
    ``gamma``, one value or one per channel of axis 1) or 'rrelu' (random
    slopes in [lower_bound, upper_bound) in training, their mean otherwise;
    returns the output and the slopes, zeros outside training, as MXNet)."""
    no_kwargs("LeakyReLU", kwargs)
    r = _f.leaky_relu(data, gamma, act_type, float(slope), float(lower_bound), float(upper_bound))
    if isinstance(r, tuple):
        return [into("LeakyReLU", r[0], out), r[1]]
    return into("LeakyReLU", r, out)


def InstanceNorm(data, gamma, beta, eps=0.001, out=None, name=None, **kwargs):  # noqa: N802
    """(x - mean) / sqrt(var + eps) * gamma + beta with the statistics of each
    sample and channel over the spatial axes; gamma and beta have one value per channel."""
    no_kwargs("InstanceNorm", kwargs)
    return into("InstanceNorm", _f.instance_norm(data, gamma, beta, float(eps)), out)


def GroupNorm(data, gamma, beta, num_groups=1, eps=1e-5, output_mean_var=False, out=None, name=None, **kwargs):  # noqa: N802
    """The channels split into ``num_groups`` groups, each normalised per sample;
    gamma and beta have one value per group (MXNet 1.9.1). With
    ``output_mean_var`` also the mean and standard deviation, shape (batch, num_groups)."""
    no_kwargs("GroupNorm", kwargs)
    y, mean, std = _f.group_norm(data, gamma, beta, int(num_groups), float(eps))
    y = into("GroupNorm", y, out)
    return [y, mean, std] if output_mean_var else y


def L2Normalization(data, eps=1e-10, mode="instance", out=None, name=None, **kwargs):  # noqa: N802
    """data / sqrt(sum(data**2) + eps) with the sum over all axes but the first
    ('instance'), over axis 1 ('channel') or over axes 2... ('spatial')."""
    no_kwargs("L2Normalization", kwargs)
    return into("L2Normalization", _f.l2_normalization(data, float(eps), mode), out)


def _lengths(function, sequence_length, use_sequence_length):
    if use_sequence_length and sequence_length is None:
        raise TypeError(f"{function}: use_sequence_length=True needs sequence_length")
    if sequence_length is not None and not use_sequence_length:
        # MXNet: "Operator ... expects 1 inputs, but got 2 instead".
        from ..base import MXNetError

        raise MXNetError(f"{function}: sequence_length is given but use_sequence_length is False")
    return sequence_length


def SequenceMask(  # noqa: N802
    data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0, out=None, name=None, **kwargs
):
    """Steps at or after each sequence's length set to ``value``; data is
    (time, batch, ...) for axis=0 or (batch, time, ...) for axis=1."""
    no_kwargs("SequenceMask", kwargs)
    lengths = _lengths("SequenceMask", sequence_length, use_sequence_length)
    return into("SequenceMask", _f.sequence_mask(data, lengths, float(value), int(axis)), out)


def SequenceLast(data, sequence_length=None, use_sequence_length=False, axis=0, out=None, name=None, **kwargs):  # noqa: N802
    """The last valid step of each sequence (data's shape without the time axis)."""
    no_kwargs("SequenceLast", kwargs)
    lengths = _lengths("SequenceLast", sequence_length, use_sequence_length)
    return into("SequenceLast", _f.sequence_last(data, lengths, int(axis)), out)


def SequenceReverse(  # noqa: N802
    data, sequence_length=None, use_sequence_length=False, axis=0, out=None, name=None, **kwargs
):
    """The valid steps of each sequence reversed, the padding after them in place (axis 0 only)."""
    no_kwargs("SequenceReverse", kwargs)
    lengths = _lengths("SequenceReverse", sequence_length, use_sequence_length)
    return into("SequenceReverse", _f.sequence_reverse(data, lengths, int(axis)), out)


def _regression(function, kind):
    def regression(data, label, grad_scale=1.0, out=None, name=None, **kwargs):
        no_kwargs(function, kwargs)
        return into(function, _f.regression_output(data, label, kind, float(grad_scale)), out)

    regression.__name__ = regression.__qualname__ = function
    return regression


LinearRegressionOutput = _regression("LinearRegressionOutput", "linear")
LinearRegressionOutput.__doc__ = """Identity forward; the backward ignores the head gradient and gives
(out - label) * grad_scale / (outputs per sample): the gradient of the squared loss."""
LogisticRegressionOutput = _regression("LogisticRegressionOutput", "logistic")
LogisticRegressionOutput.__doc__ = """Sigmoid forward; the backward ignores the head gradient and gives
(out - label) * grad_scale / (outputs per sample): the gradient of the logistic loss."""
MAERegressionOutput = _regression("MAERegressionOutput", "mae")
MAERegressionOutput.__doc__ = """Identity forward; the backward ignores the head gradient and gives
sign(out - label) * grad_scale / (outputs per sample): the gradient of the absolute loss."""


def MakeLoss(data, grad_scale=1.0, valid_thresh=0.0, normalization="null", out=None, name=None, **kwargs):  # noqa: N802
    """Marks ``data`` as a loss: identity forward; the backward ignores the head
    gradient and gives grad_scale, divided by the batch size ('batch') or by
    the number of elements above valid_thresh ('valid')."""
    no_kwargs("MakeLoss", kwargs)
    return into("MakeLoss", _f.make_loss(data, float(grad_scale), float(valid_thresh), normalization), out)


def make_loss(data, out=None, name=None, **kwargs):
    """Marks ``data`` as a loss: identity forward, gradient one everywhere."""
    no_kwargs("make_loss", kwargs)
    return into("make_loss", _f.make_loss(data, 1.0, 0.0, "null"), out)


def SVMOutput(  # noqa: N802
    data, label, margin=1.0, regularization_coefficient=1.0, use_linear=False, out=None, name=None, **kwargs
):
    """Identity forward; the backward ignores the head gradient and gives the
    gradient of the squared hinge loss (hinge with ``use_linear``) for the
    class of each row in ``label``."""
    no_kwargs("SVMOutput", kwargs)
    return into(
        "SVMOutput",
        _f.svm_output(data, label, float(margin), float(regularization_coefficient), bool(use_linear)),
        out,
    )


Softmax = SoftmaxOutput


def SoftmaxActivation(data, mode="instance", out=None, name=None, **kwargs):  # noqa: N802
    """Softmax over the last axis ('instance') or over the channel axis 1 ('channel')."""
    no_kwargs("SoftmaxActivation", kwargs)
    if mode not in ("instance", "channel"):
        from ..base import MXNetError

        raise MXNetError(f"SoftmaxActivation: invalid mode {mode!r}, valid values are: 'channel', 'instance'")
    if mode == "channel" and data.ndim < 2:
        from ..base import MXNetError

        raise MXNetError(f"SoftmaxActivation: mode='channel' needs at least 2 dimensions, got shape {data.shape}")
    return into("SoftmaxActivation", _f.softmax(data, -1 if mode == "instance" else 1, None), out)


_CHANNELS_FIRST = (None, "NCW", "NCHW", "NCDHW")


def _geometry(value):
    """A per-axis tuple, or None for MXNet's empty default."""
    if value is None:
        return None
    value = tuple(value) if not isinstance(value, int) else (value,)
    return value or None


def _layout(function, data, layout):
    if layout not in _CHANNELS_FIRST or (layout is not None and len(layout) != data.ndim):
        from ..base import NotSupportedError

        raise NotSupportedError(
            f"{function}: layout={layout!r} is not supported for data of shape {data.shape}; "
            "mxlite computes channels-first layouts (NCW, NCHW, NCDHW)"
        )


def _convolution(convolve, function, data, weight, bias, kernel, stride, dilate, pad, num_filter, num_group, no_bias,
                 layout, transposed=False, adj=None, target_shape=None):  # fmt: skip
    _layout(function, data, layout)
    if kernel is None or not _geometry(kernel):
        raise TypeError(f"{function}: the required argument kernel is missing")
    if num_filter is None:
        raise TypeError(f"{function}: the required argument num_filter is missing")
    filters = weight.shape[1] * int(num_group) if transposed else weight.shape[0]
    if int(num_filter) != filters:
        from ..base import MXNetError

        raise MXNetError(f"{function}: num_filter={num_filter} does not match the weight of shape {weight.shape}")
    return convolve(
        data, weight, None if no_bias else bias, _geometry(kernel), _geometry(stride), _geometry(dilate),
        _geometry(pad), int(num_group), transposed, _geometry(adj), _geometry(target_shape),
    )  # fmt: skip


def Convolution(  # noqa: N802
    data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None, num_filter=None, num_group=1,
    workspace=1024, no_bias=False, cudnn_tune=None, cudnn_off=False, layout=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """MXNet's Convolution of data (N, C, spatial...) with weight (num_filter,
    C/num_group, kernel...) and bias (num_filter,): 1-D, 2-D or 3-D, with
    stride, dilate, pad and groups. Differentiable to any order."""
    no_kwargs("Convolution", kwargs)
    y = _convolution(
        _f.convolution,
        "Convolution",
        data,
        weight,
        bias,
        kernel,
        stride,
        dilate,
        pad,
        num_filter,
        num_group,
        no_bias or bias is None,
        layout,
    )
    return into("Convolution", y, out)


def Deconvolution(  # noqa: N802
    data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None, adj=None, target_shape=None,
    num_filter=None, num_group=1, workspace=512, no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None,
    out=None, name=None, **kwargs,
):  # fmt: skip
    """MXNet's Deconvolution (transposed convolution) of data (N, C, spatial...)
    with weight (C, num_filter/num_group, kernel...): output extent
    stride*(in-1) + dilate*(k-1) + 1 - 2*pad + adj, or ``target_shape``."""
    no_kwargs("Deconvolution", kwargs)
    y = _convolution(
        _f.convolution,
        "Deconvolution",
        data,
        weight,
        bias,
        kernel,
        stride,
        dilate,
        pad,
        num_filter,
        num_group,
        no_bias or bias is None,
        layout,
        True,
        adj,
        target_shape,
    )
    return into("Deconvolution", y, out)


def _pooling(pool, data, kernel, pool_type, global_pool, pooling_convention, stride, pad, p_value, count_include_pad,
             layout):  # fmt: skip
    _layout("Pooling", data, layout)
    if pool_type == "lp" and p_value is None:
        from ..base import MXNetError

        raise MXNetError("Pooling: pool_type='lp' needs p_value")
    return pool(
        data, _geometry(kernel), pool_type, bool(global_pool), pooling_convention, _geometry(stride), _geometry(pad),
        2 if p_value is None else int(p_value), True if count_include_pad is None else bool(count_include_pad),
    )  # fmt: skip


def Pooling(  # noqa: N802
    data, kernel=None, pool_type="max", global_pool=False, cudnn_off=False, pooling_convention="valid", stride=None,
    pad=None, p_value=None, count_include_pad=None, layout=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """MXNet's Pooling of data (N, C, spatial...): pool_type 'max', 'avg', 'sum'
    or 'lp' (``p_value`` 1, 2 or 3), ``global_pool`` over all spatial axes,
    pooling_convention 'valid' (floor) or 'full' (ceil), ``count_include_pad``
    for average pooling. Differentiable to any order."""
    no_kwargs("Pooling", kwargs)
    y = _pooling(
        _f.pooling,
        data,
        kernel,
        pool_type,
        global_pool,
        pooling_convention,
        stride,
        pad,
        p_value,
        count_include_pad,
        layout,
    )
    return into("Pooling", y, out)


def im2col(data, kernel, stride=None, dilate=None, pad=None, out=None, name=None, **kwargs):
    """Every kernel window of data (N, C, spatial...) as a column: shape
    (N, C * prod(kernel), number of windows); the adjoint of col2im."""
    no_kwargs("im2col", kwargs)
    y = _f.im2col(data, _geometry(kernel), _geometry(stride), _geometry(dilate), _geometry(pad))
    return into("im2col", y, out)


def col2im(data, output_size, kernel, stride=None, dilate=None, pad=None, out=None, name=None, **kwargs):
    """Columns (N, C * prod(kernel), windows) summed back into images (N, C,
    output_size...): the adjoint of im2col."""
    no_kwargs("col2im", kwargs)
    y = _f.col2im(data, _geometry(output_size), _geometry(kernel), _geometry(stride), _geometry(dilate), _geometry(pad))
    return into("col2im", y, out)


def UpSampling(  # noqa: N802
    *data, scale, sample_type, num_filter=0, multi_input_mode="concat", num_args=None, workspace=512, out=None,
    name=None, **kwargs,
):  # fmt: skip
    """MXNet's UpSampling of NCHW images by the integer ``scale``. 'nearest'
    repeats pixels; several inputs are each scaled to the first one's output
    size and concatenated along the channels (or summed, multi_input_mode
    'sum'). 'bilinear' takes (data, weight) and is the grouped Deconvolution
    with kernel 2*scale - scale % 2, stride scale and pad ceil((scale-1)/2), as
    in MXNet (weight (channels, 1, k, k))."""
    from ..base import MXNetError

    no_kwargs("UpSampling", kwargs)
    if num_args is not None and int(num_args) != len(data):
        raise MXNetError(f"UpSampling: num_args={num_args} but {len(data)} arrays were given")
    scale = int(scale)
    if scale < 1:
        raise MXNetError(f"UpSampling: scale must be a positive integer, got {scale}")
    for d in data:
        if d.ndim != 4:
            raise MXNetError(f"UpSampling: data must be 4-D (NCHW), got shape {d.shape}")
    if sample_type == "bilinear":
        if len(data) != 2:
            raise MXNetError("UpSampling: sample_type='bilinear' takes the data and the weight (2 arrays)")
        x, weight = data
        channels = x.shape[1]
        if int(num_filter) != channels:
            raise MXNetError(f"UpSampling: num_filter={num_filter} must equal the {channels} channels of the data")
        k = 2 * scale - scale % 2
        pad = -(-(scale - 1) // 2)
        y = Deconvolution(x, weight, kernel=(k, k), stride=(scale, scale), pad=(pad, pad), num_filter=channels,
                          num_group=channels, no_bias=True)  # fmt: skip
        return into("UpSampling", y, out)
    if sample_type != "nearest":
        raise MXNetError(f"UpSampling: invalid sample_type {sample_type!r}, valid values are: 'bilinear', 'nearest'")
    if multi_input_mode not in ("concat", "sum"):
        raise MXNetError(
            f"UpSampling: invalid multi_input_mode {multi_input_mode!r}, valid values are: 'concat', 'sum'"
        )
    height, width = data[0].shape[2] * scale, data[0].shape[3] * scale
    parts = []
    for d in data:
        if height % d.shape[2] or width % d.shape[3]:
            raise MXNetError(f"UpSampling: an input of shape {d.shape} cannot be scaled to ({height}, {width})")
        sh, sw = height // d.shape[2], width // d.shape[3]
        parts.append(d.repeat(sh, axis=2).repeat(sw, axis=3))
    if len(parts) == 1:
        y = parts[0]
    elif multi_input_mode == "sum":
        y = parts[0]
        for part in parts[1:]:
            y = y + part
    else:
        from . import _shape

        y = _shape.concat(*parts, dim=1)
    return into("UpSampling", y, out)


def LRN(data, alpha=0.0001, beta=0.75, knorm=2.0, nsize=None, out=None, name=None, **kwargs):  # noqa: N802
    """Local response normalisation across channels:
    data / (knorm + alpha / nsize * sum of data**2 over nsize neighbouring channels) ** beta."""
    from ..base import MXNetError

    no_kwargs("LRN", kwargs)
    if nsize is None:
        raise TypeError("LRN: the required argument nsize is missing")
    nsize = int(nsize)
    if nsize < 1 or nsize % 2 == 0:
        raise MXNetError(f"LRN: nsize must be a positive odd number, got {nsize}")
    if data.ndim < 2:
        raise MXNetError(f"LRN: data must have a channel axis (at least 2 dimensions), got shape {data.shape}")
    half = nsize // 2
    channels = data.shape[1]
    square = data * data
    widths = [(0, 0)] * data.ndim
    widths[1] = (half, half)
    padded = _f.pad_constant(square, widths, 0.0)
    total = padded[:, 0:channels]
    for shift in range(1, nsize):
        total = total + padded[:, shift : shift + channels]
    return into("LRN", data / (knorm + (alpha / nsize) * total) ** beta, out)


def CTCLoss(  # noqa: N802
    data, label, data_lengths=None, label_lengths=None, use_data_lengths=False, use_label_lengths=False,
    blank_label="first", out=None, name=None, **kwargs,
):  # fmt: skip
    """Connectionist temporal classification loss of activations data
    (sequence_length, batch, alphabet_size) (a softmax is applied inside) and
    label (batch, max_label_length): one negative log-likelihood per sequence.
    blank_label 'first': the blank is class 0 and labels are padded with 0;
    'last': the blank is the last class and padding is -1."""
    no_kwargs("CTCLoss", kwargs)
    for flag, lengths, what in ((use_data_lengths, data_lengths, "data"), (use_label_lengths, label_lengths, "label")):
        if flag and lengths is None:
            raise TypeError(f"CTCLoss: use_{what}_lengths=True needs {what}_lengths")
    y = _f.ctc_loss(
        data,
        label,
        data_lengths if use_data_lengths else None,
        label_lengths if use_label_lengths else None,
        blank_label,
    )
    return into("CTCLoss", y, out)


ctc_loss = CTCLoss


def _rnn(run, function, data, parameters, state, state_cell, sequence_length, state_size, num_layers, bidirectional,
         mode, p, state_outputs, projection_size, lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan,
         use_sequence_length):  # fmt: skip
    from ..base import NotSupportedError

    if state_size is None or num_layers is None or mode is None:
        raise TypeError(f"{function}: the required arguments state_size, num_layers and mode must be given")
    if use_sequence_length or sequence_length is not None:
        # MXNet 1.9.1 supports it only with cuDNN; the CPU operator refuses it too.
        raise NotSupportedError(
            f"{function}: use_sequence_length / sequence_length is not supported (as on MXNet's CPU)"
        )
    if lstm_state_clip_nan:
        raise NotSupportedError(f"{function}: lstm_state_clip_nan=True is not supported")
    if (lstm_state_clip_min is None) != (lstm_state_clip_max is None):
        from ..base import MXNetError

        raise MXNetError(f"{function}: lstm_state_clip_min and lstm_state_clip_max must be given together")
    from .. import autograd

    out, hy, cy = run(
        data, parameters, state, state_cell if mode == "lstm" else None, int(state_size), int(num_layers),
        bool(bidirectional), mode, float(p) if autograd.is_training() else 0.0,
        0 if projection_size is None else int(projection_size), lstm_state_clip_min, lstm_state_clip_max,
    )  # fmt: skip
    if not state_outputs:
        return out
    return [out, hy, cy] if mode == "lstm" else [out, hy]


def RNN(  # noqa: N802
    data, parameters, state, state_cell=None, sequence_length=None, state_size=None, num_layers=None,
    bidirectional=False, mode=None, p=0.0, state_outputs=False, projection_size=None, lstm_state_clip_min=None,
    lstm_state_clip_max=None, lstm_state_clip_nan=False, use_sequence_length=False, out=None, name=None, **kwargs,
):  # fmt: skip
    """MXNet's fused recurrent layers over data (T, N, input): mode 'rnn_relu',
    'rnn_tanh', 'lstm' or 'gru', stacked ``num_layers`` deep, optionally
    bidirectional, with MXNet's packed ``parameters`` vector, initial ``state``
    (layers*directions, N, state_size) and, for LSTM, ``state_cell``; ``p`` is
    the dropout between layers (training mode). Returns the output, or with
    ``state_outputs`` [output, hy(, cy)]. Differentiable."""
    no_kwargs("RNN", kwargs)
    r = _rnn(
        _f.rnn, "RNN", data, parameters, state, state_cell, sequence_length, state_size, num_layers, bidirectional,
        mode, p, state_outputs, projection_size, lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan,
        use_sequence_length,
    )  # fmt: skip
    if isinstance(r, list):
        return [into("RNN", r[0], out)] + r[1:]
    return into("RNN", r, out)


def _required(function, **values):
    """MXNet's required operator parameters (TypeError naming the function when one is missing)."""
    for what, value in values.items():
        if value is None:
            raise TypeError(f"{function}: the required argument {what} is missing")


def ROIPooling(data=None, rois=None, pooled_size=None, spatial_scale=None, out=None, name=None, **kwargs):  # noqa: N802
    """Max pooling of data (N, C, H, W) over each region of rois (R, 5), rows
    [batch_index, x1, y1, x2, y2] in image coordinates scaled by
    ``spatial_scale``, into (R, C, *pooled_size). Differentiable in data (the
    first maximum of each bin gets the gradient); rois get none."""
    no_kwargs("ROIPooling", kwargs)
    _required("ROIPooling", pooled_size=pooled_size, spatial_scale=spatial_scale)
    return into("ROIPooling", _f.roi_pooling(data, rois, pooled_size, float(spatial_scale)), out)


def GridGenerator(data=None, transform_type=None, target_shape=None, out=None, name=None, **kwargs):  # noqa: N802
    """A sampling grid (N, 2, h, w) of normalised source coordinates (x, y)
    in [-1, 1]: 'affine' applies data (N, 6) as 2x3 matrices to the target
    grid of ``target_shape`` (h, w); 'warp' adds the optical flow data
    (N, 2, H, W), in pixels, to each pixel's position. Differentiable."""
    no_kwargs("GridGenerator", kwargs)
    _required("GridGenerator", transform_type=transform_type)
    return into("GridGenerator", _f.grid_generator(data, transform_type, target_shape), out)


def BilinearSampler(data=None, grid=None, cudnn_off=None, out=None, name=None, **kwargs):  # noqa: N802
    """data (N, C, H, W) read at grid (N, 2, h, w) (normalised x, y in
    [-1, 1]) with bilinear interpolation, zero outside the data: (N, C, h, w).
    Differentiable to any order in data and grid."""
    no_kwargs("BilinearSampler", kwargs)
    return into("BilinearSampler", _f.bilinear_sampler(data, grid), out)


def SpatialTransformer(  # noqa: N802
    data=None, loc=None, target_shape=None, transform_type="affine", sampler_type="bilinear", cudnn_off=None,
    out=None, name=None, **kwargs,
):  # fmt: skip
    """BilinearSampler(data, GridGenerator(loc, 'affine', target_shape)):
    data (N, C, H, W) warped by the affine matrices loc (N, 6) onto an
    (h, w) output. Differentiable in data and loc."""
    no_kwargs("SpatialTransformer", kwargs)
    _required("SpatialTransformer", target_shape=target_shape)
    y = _f.spatial_transformer(data, loc, target_shape, transform_type, sampler_type)
    return into("SpatialTransformer", y, out)


def Correlation(  # noqa: N802
    data1=None, data2=None, kernel_size=1, max_displacement=1, stride1=1, stride2=1, pad_size=0, is_multiply=True,
    out=None, name=None, **kwargs,
):  # fmt: skip
    """FlowNet's correlation of data1 and data2 (N, C, H, W): for every
    displacement (stride2 steps up to max_displacement) the mean over the
    channels and the kernel_size window of the products (is_multiply) or
    absolute differences of the inputs zero-padded by pad_size, at every
    stride1-th position. Differentiable once in data1 and data2."""
    no_kwargs("Correlation", kwargs)
    y = _f.correlation(
        data1, data2, int(kernel_size), int(max_displacement), int(stride1), int(stride2), int(pad_size),
        bool(is_multiply),
    )  # fmt: skip
    return into("Correlation", y, out)
