"""Legacy ``nd`` neural-network operators with MXNet 1.x names and arguments
(the same engine functions as ``npx.softmax`` etc., returning NDArrays)."""

from .. import _core
from .._args import no_kwargs

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
]

_f = _core.nd


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
    _unsupported(output_mean_var, "LayerNorm(output_mean_var=True)")
    return _f.layer_norm(data, gamma, beta, int(axis), float(eps))


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
    _unsupported(output_mean_var, "BatchNorm(output_mean_var=True)")
    return _f.batch_norm(
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
