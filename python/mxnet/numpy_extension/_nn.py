"""Neural-network helpers of ``npx`` (MXNet's names and defaults).

``dropout`` and ``batch_norm`` behave differently in training mode, which is on
inside ``autograd.record()`` (its default ``train_mode=True``) and inside
``autograd.train_mode()``.
"""

from .. import _core
from .._args import into, no_kwargs, no_out
from ..base import unsupported_argument

__all__ = [
    "softmax",
    "log_softmax",
    "activation",
    "fully_connected",
    "dropout",
    "layer_norm",
    "batch_norm",
    "embedding",
    "leaky_relu",
    "sequence_mask",
    "convolution",
    "deconvolution",
    "pooling",
    "rnn",
    "roi_pooling",
    "multibox_prior",
    "multibox_target",
    "multibox_detection",
]

_f = _core.np


def _as_dtype(data, dtype):
    return data if dtype is None else data.astype(dtype)


def _embedding_args(function, weight, dtype, sparse_grad):
    """dtype names the weight's dtype; sparse (row_sparse) gradients do not exist."""
    if sparse_grad:
        unsupported_argument(function, "sparse_grad", sparse_grad)
    if dtype is not None and hasattr(weight, "dtype") and str(weight.dtype) != str(dtype) and dtype != "float32":
        raise TypeError(f"{function}: dtype={dtype!r} does not match the weight's dtype {weight.dtype}")


def _no_length(length, use_length, name):
    if length is not None or use_length:
        raise NotImplementedError(f"{name}(length=..., use_length=True) is not supported by mxlite")


def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False, **kwargs):
    """exp(data / temperature) normalised along ``axis`` (computed in ``dtype`` when given)."""
    no_kwargs("softmax", kwargs)
    _no_length(length, use_length, "softmax")
    return _f.softmax(_as_dtype(data, dtype), int(axis), temperature)


def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False, **kwargs):
    """log(softmax(data)), stable for large inputs."""
    no_kwargs("log_softmax", kwargs)
    _no_length(None, use_length, "log_softmax")
    return _f.log_softmax(_as_dtype(data, dtype), int(axis), temperature)


def activation(data, act_type="relu", **kwargs):
    """``act_type``: 'relu', 'sigmoid', 'tanh', 'softrelu' (log(1+e^x)) or 'softsign' (x/(1+|x|))."""
    no_kwargs("activation", kwargs)
    return _f.activation(data, act_type)


def _fc(f, data, weight, bias, num_hidden, no_bias, flatten):
    if num_hidden is None:
        raise TypeError("fully_connected: the required argument num_hidden is missing")
    return f.fully_connected(data, weight, None if no_bias else bias, int(num_hidden), bool(flatten))


def fully_connected(x, weight, bias=None, num_hidden=None, no_bias=False, flatten=True, **kwargs):
    """x . weight.T + bias with weight of shape (num_hidden, in_units). ``flatten``
    collapses every axis of x after the first; otherwise the last axis is used."""
    no_kwargs("fully_connected", kwargs)
    return _fc(_f, x, weight, bias, num_hidden, no_bias or bias is None, flatten)


def dropout(data, p=0.5, mode="training", axes=(), cudnn_off=True, **kwargs):
    """Zero elements with probability ``p`` and scale the rest by 1/(1-p) in
    training mode (``mode='always'``: always); a copy of ``data`` otherwise.
    Along ``axes`` one mask value is shared."""
    no_kwargs("dropout", kwargs)
    if mode not in ("training", "always"):
        raise ValueError(f"dropout: mode must be 'training' or 'always', got {mode!r}")
    return _f.dropout(data, float(p), tuple(axes), mode == "always")


def _stats_as_list(result):
    # output_mean_var=True: MXNet returns the three outputs as a list.
    return list(result) if isinstance(result, tuple) else result


def layer_norm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False, **kwargs):
    """(data - mean) / sqrt(var + eps) * gamma + beta over ``axis``."""
    no_kwargs("layer_norm", kwargs)
    return _stats_as_list(_f.layer_norm(data, gamma, beta, int(axis), float(eps), bool(output_mean_var)))


def batch_norm(
    x,
    gamma,
    beta,
    running_mean,
    running_var,
    eps=1e-3,
    momentum=0.9,
    fix_gamma=True,
    use_global_stats=False,
    output_mean_var=False,
    axis=1,
    cudnn_off=False,
    **kwargs,
):
    """Batch normalisation over every axis but ``axis``. In training mode it
    uses the batch statistics and updates ``running_mean``/``running_var`` in
    place (running = running * momentum + batch * (1 - momentum)); otherwise
    (or with ``use_global_stats``) it uses the running statistics. With
    ``fix_gamma`` (MXNet's default) gamma is taken as 1."""
    no_kwargs("batch_norm", kwargs)
    return _stats_as_list(
        _f.batch_norm(
            x,
            gamma,
            beta,
            running_mean,
            running_var,
            float(eps),
            float(momentum),
            bool(fix_gamma),
            bool(use_global_stats),
            int(axis),
            bool(output_mean_var),
        )
    )


def embedding(data, weight, input_dim=None, output_dim=None, dtype="float32", sparse_grad=False, **kwargs):
    """Rows of ``weight`` (input_dim, output_dim) picked by the indices in ``data``."""
    no_kwargs("embedding", kwargs)
    _embedding_args("embedding", weight, dtype, sparse_grad)
    return _f.embedding(
        data, weight, -1 if input_dim is None else int(input_dim), -1 if output_dim is None else int(output_dim)
    )


def leaky_relu(
    data, gamma=None, act_type="leaky", slope=0.25, lower_bound=0.125, upper_bound=0.334, out=None, name=None
):
    """MXNet's LeakyReLU (see ``mxnet.nd.LeakyReLU``): act_type 'leaky', 'elu',
    'selu', 'gelu', 'prelu' (with ``gamma``) or 'rrelu' (returns output and slopes)."""
    r = _f.leaky_relu(data, gamma, act_type, float(slope), float(lower_bound), float(upper_bound))
    if isinstance(r, tuple):
        return [into("leaky_relu", r[0], out), r[1]]
    return into("leaky_relu", r, out)


def sequence_mask(data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0, out=None, name=None):
    """Steps at or after each sequence's length set to ``value``; data is
    (time, batch, ...), or (batch, time, ...) with axis=1."""
    from ..ndarray._nn import _lengths

    lengths = _lengths("sequence_mask", sequence_length, use_sequence_length)
    return into("sequence_mask", _f.sequence_mask(data, lengths, float(value), int(axis)), out)


def convolution(
    data=None, weight=None, bias=None, kernel=None, stride=None, dilate=None, pad=None, num_filter=None, num_group=1,
    workspace=1024, no_bias=False, cudnn_tune=None, cudnn_off=False, layout=None, out=None, name=None,
):  # fmt: skip
    """Convolution of data (N, C, spatial...) with weight (num_filter,
    C/num_group, kernel...) and bias (see ``mxnet.nd.Convolution``)."""
    from ..ndarray._nn import _convolution

    y = _convolution(
        _f.convolution,
        "convolution",
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
    return into("convolution", y, out)


def deconvolution(
    data=None, weight=None, bias=None, kernel=None, stride=None, dilate=None, pad=None, adj=None, target_shape=None,
    num_filter=None, num_group=1, workspace=512, no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None, out=None,
    name=None,
):  # fmt: skip
    """Transposed convolution (see ``mxnet.nd.Deconvolution``)."""
    from ..ndarray._nn import _convolution

    y = _convolution(
        _f.convolution,
        "deconvolution",
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
    return into("deconvolution", y, out)


def pooling(
    data=None, kernel=None, pool_type="max", global_pool=False, cudnn_off=False, pooling_convention="valid",
    stride=None, pad=None, p_value=None, count_include_pad=None, layout=None, out=None, name=None,
):  # fmt: skip
    """Pooling of data (N, C, spatial...) (see ``mxnet.nd.Pooling``)."""
    from ..ndarray._nn import _pooling

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
    return into("pooling", y, out)


def rnn(
    data=None, parameters=None, state=None, state_cell=None, sequence_length=None, state_size=None, num_layers=None,
    bidirectional=False, mode=None, p=0.0, state_outputs=False, projection_size=None, lstm_state_clip_min=None,
    lstm_state_clip_max=None, lstm_state_clip_nan=False, use_sequence_length=False, out=None, name=None,
):  # fmt: skip
    """MXNet's fused recurrent layers (see ``mxnet.nd.RNN``)."""
    from ..ndarray._nn import _rnn

    r = _rnn(
        _f.rnn, "rnn", data, parameters, state, state_cell, sequence_length, state_size, num_layers, bidirectional,
        mode, p, state_outputs, projection_size, lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan,
        use_sequence_length,
    )  # fmt: skip
    if isinstance(r, list):
        return [into("rnn", r[0], out)] + r[1:]
    return into("rnn", r, out)


def roi_pooling(data=None, rois=None, pooled_size=None, spatial_scale=None, out=None, name=None, **kwargs):
    """Max pooling over regions of interest (see ``mxnet.nd.ROIPooling``)."""
    from ..ndarray._nn import _required

    no_kwargs("roi_pooling", kwargs)
    _required("roi_pooling", pooled_size=pooled_size, spatial_scale=spatial_scale)
    return into("roi_pooling", _f.roi_pooling(data, rois, pooled_size, float(spatial_scale)), out)


_VARIANCES = (0.1, 0.1, 0.2, 0.2)


def multibox_prior(
    data=None, sizes=(1.0,), ratios=(1.0,), clip=False, steps=(-1.0, -1.0), offsets=(0.5, 0.5), out=None, name=None,
    **kwargs,
):  # fmt: skip
    """SSD anchor boxes for the feature map data (N, C, H, W): (1, H * W *
    (len(sizes) + len(ratios) - 1), 4) rows [xmin, ymin, xmax, ymax]
    normalised by the map, per position every size at ratios[0] and then
    sizes[0] at every other ratio; centres (i + offset) * step (steps <= 0:
    1 / extent); ``clip`` to [0, 1]. Not differentiable."""
    no_kwargs("multibox_prior", kwargs)
    return into("multibox_prior", _f.multibox_prior(data, sizes, ratios, bool(clip), steps, offsets), out)


def multibox_target(
    anchor=None, label=None, cls_pred=None, overlap_threshold=0.5, ignore_label=-1.0, negative_mining_ratio=-1.0,
    negative_mining_thresh=0.5, minimum_negative_samples=0, variances=_VARIANCES, out=None, name=None, **kwargs,
):  # fmt: skip
    """SSD training targets [loc_target (B, A*4), loc_mask (B, A*4),
    cls_target (B, A)] of anchors (1, A, 4) for labels (B, L, >= 5), rows
    [class, xmin, ymin, xmax, ymax] padded with -1 rows; cls_pred (B, classes,
    A) ranks the negatives when negative_mining_ratio > 0. Every ground truth
    takes its best anchor, then anchors overlapping one by more than
    overlap_threshold match it; cls_target is class + 1 for matches, 0 for
    negatives and ignore_label for the rest. Not differentiable.
    ``minimum_negative_samples`` has no effect in MXNet 1.9.1; only its default
    0 is accepted."""
    no_kwargs("multibox_target", kwargs)
    no_out("multibox_target", out)
    if minimum_negative_samples != 0:
        unsupported_argument("multibox_target", "minimum_negative_samples", minimum_negative_samples)
    outs = _f.multibox_target(
        anchor, label, cls_pred, float(overlap_threshold), float(ignore_label), float(negative_mining_ratio),
        float(negative_mining_thresh), variances,
    )  # fmt: skip
    return list(outs)


def multibox_detection(
    cls_prob=None, loc_pred=None, anchor=None, clip=True, threshold=0.01, background_id=0, nms_threshold=0.5,
    force_suppress=False, variances=_VARIANCES, nms_topk=-1, out=None, name=None, **kwargs,
):  # fmt: skip
    """SSD detections (B, A, 6), rows [class_id, score, xmin, ymin, xmax,
    ymax] (class_id -1: none or suppressed), from cls_prob (B, classes, A)
    (class 0 the background), loc_pred (B, A*4) decoded against anchor (1, A,
    4) with ``variances``: the best non-background class of each anchor if
    its score reaches ``threshold``, sorted by score, the nms_topk best kept,
    then non-maximum suppression at nms_threshold (within a class unless
    force_suppress; none when nms_threshold is outside (0, 1]). Not
    differentiable. MXNet 1.9.1 always treats class 0 as the background:
    only background_id=0 is accepted."""
    no_kwargs("multibox_detection", kwargs)
    if background_id != 0:
        unsupported_argument("multibox_detection", "background_id", background_id)
    y = _f.multibox_detection(
        cls_prob, loc_pred, anchor, bool(clip), float(threshold), float(nms_threshold), bool(force_suppress),
        variances, int(nms_topk),
    )  # fmt: skip
    return into("multibox_detection", y, out)
