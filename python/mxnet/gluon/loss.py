"""Gluon's losses (MXNet 1.9.1's names, arguments and formulas). Each loss is
a composition of registered ops on whole arrays, so it is differentiable (to
any order where its ops are); both array faces are served by one
implementation that computes on the ``mxnet.numpy`` view of the inputs (a view
shares the array and its autograd history) and returns the caller's face."""

import functools
import math

import numpy as onp

from .. import _core
from .. import numpy as _np
from .. import numpy_extension as _npx
from .block import HybridBlock

__all__ = [
    "Loss",
    "L2Loss",
    "L1Loss",
    "SigmoidBinaryCrossEntropyLoss",
    "SigmoidBCELoss",
    "SoftmaxCrossEntropyLoss",
    "SoftmaxCELoss",
    "KLDivLoss",
    "CTCLoss",
    "HuberLoss",
    "HingeLoss",
    "SquaredHingeLoss",
    "LogisticLoss",
    "TripletLoss",
    "PoissonNLLLoss",
    "CosineEmbeddingLoss",
    "SDMLLoss",
]


numeric_types = (int, float, onp.number)


def _np_view(x):
    if isinstance(x, _core.NDArray):
        return x.as_np_ndarray()
    if isinstance(x, _core.ndarray) or x is None or isinstance(x, numeric_types):
        return x
    raise TypeError(f"loss: expected mxnet arrays, got {type(x).__name__}")


def _softrelu(x):
    return _npx.activation(x, act_type="softrelu")


class Loss(HybridBlock):
    """The base of the losses: ``weight`` scales the loss, ``batch_axis`` is
    the axis of samples (the loss is averaged over the others)."""

    def __init__(self, weight, batch_axis, **kwargs):
        super().__init__(**kwargs)
        self._weight = weight
        self._batch_axis = batch_axis

    def __repr__(self):
        return f"{type(self).__name__}(batch_axis={self._batch_axis}, w={self._weight})"

    def hybrid_forward(self, F, *args, **kwargs):
        if kwargs:
            kwargs = {k: _np_view(v) for k, v in kwargs.items()}
        out = self._loss(*map(_np_view, args), **kwargs)
        return out.as_nd_ndarray() if isinstance(args[0], _core.NDArray) else out

    def _loss(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} computes no loss")

    def _weighted(self, loss, sample_weight, weight=None):
        """MXNet's _apply_weighting: times sample_weight (broadcast), then the scalar weight."""
        weight = self._weight if weight is None else weight
        if sample_weight is not None:
            loss = loss * sample_weight
        if weight is not None:
            if not isinstance(weight, numeric_types):
                raise AssertionError("weight must be a number")
            loss = loss * weight
        return loss

    def _batch_mean(self, loss):
        """The mean over every axis but the batch axis."""
        axes = _other_axes(loss.ndim, self._batch_axis)
        return loss.mean(axis=axes) if axes else loss

    def _batch_sum(self, loss):
        axes = _other_axes(loss.ndim, self._batch_axis)
        return loss.sum(axis=axes) if axes else loss


@functools.lru_cache(maxsize=64)
def _other_axes(ndim, batch_axis):
    """The axes of an ndim-d loss other than ``batch_axis`` (computed once per pair)."""
    return tuple(i for i in range(ndim) if i != batch_axis % max(ndim, 1))


def _like(x, y):
    """``x`` reshaped to ``y``'s shape (MXNet's _reshape_like)."""
    return x if x.shape == y.shape else x.reshape(y.shape)


class L2Loss(Loss):
    """weight / 2 * (label - pred)^2, averaged per sample."""

    def __init__(self, weight=1.0, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def _loss(self, pred, label, sample_weight=None):
        loss = _np.square(_like(label, pred) - pred)
        return self._batch_mean(self._weighted(loss, sample_weight, self._weight / 2))


class L1Loss(Loss):
    """|label - pred|, averaged per sample."""

    def __init__(self, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def _loss(self, pred, label, sample_weight=None):
        return self._batch_mean(self._weighted(_np.abs(_like(label, pred) - pred), sample_weight))


class SigmoidBinaryCrossEntropyLoss(Loss):
    """Binary cross-entropy of labels in [0, 1] against sigmoid(pred) (or pred
    itself with ``from_sigmoid``); ``pos_weight`` weighs the positive term."""

    def __init__(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    def _loss(self, pred, label, sample_weight=None, pos_weight=None):
        label = _like(label, pred)
        if not self._from_sigmoid:
            # log(1 + exp(-|x|)) keeps large logits finite.
            if pos_weight is None:
                loss = _npx.relu(pred) - pred * label + _softrelu(-_np.abs(pred))
            else:
                log_weight = 1 + (pos_weight - 1) * label
                loss = pred - pred * label + log_weight * (_softrelu(-_np.abs(pred)) + _npx.relu(-pred))
        else:
            eps = 1e-12
            positive = _np.log(pred + eps) * label
            if pos_weight is not None:
                positive = positive * pos_weight
            loss = -(positive + _np.log(1.0 - pred + eps) * (1.0 - label))
        return self._batch_mean(self._weighted(loss, sample_weight))


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class SoftmaxCrossEntropyLoss(Loss):
    """-log softmax(pred)[label] along ``axis`` (a distribution as label
    without ``sparse_label``; pred already log-probabilities with ``from_logits``)."""

    def __init__(self, axis=-1, sparse_label=True, from_logits=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._axis = axis
        self._sparse_label = sparse_label
        self._from_logits = from_logits

    def _loss(self, pred, label, sample_weight=None):
        if self._sparse_label and not self._from_logits:  # one registered op, no log-probabilities kept
            loss = _core.np.softmax_ce_loss(pred, label, self._axis)
            return self._batch_mean(self._weighted(loss, sample_weight))
        if not self._from_logits:
            pred = _npx.log_softmax(pred, axis=self._axis)
        if self._sparse_label:
            loss = -_npx.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            loss = -(pred * _like(label, pred)).sum(axis=self._axis, keepdims=True)
        return self._batch_mean(self._weighted(loss, sample_weight))


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class KLDivLoss(Loss):
    """label * (log(label) - pred), summed per sample; pred are log-probabilities
    (``from_logits``, the default) or logits."""

    def __init__(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._axis = axis

    def _loss(self, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = _npx.log_softmax(pred, axis=self._axis)
        loss = label * (_np.log(label + 1e-12) - pred)
        return self._batch_sum(self._weighted(loss, sample_weight))


class CTCLoss(Loss):
    """Connectionist temporal classification loss (the blank is the last class)."""

    def __init__(self, layout="NTC", label_layout="NT", weight=None, **kwargs):
        if layout not in ("NTC", "TNC"):
            raise AssertionError(f"Only 'NTC' and 'TNC' layouts for pred are supported. Got: {layout}")
        if label_layout not in ("NT", "TN"):
            raise AssertionError(f"Only 'NT' and 'TN' layouts for label are supported. Got: {label_layout}")
        self._layout = layout
        self._label_layout = label_layout
        super().__init__(weight, label_layout.find("N"), **kwargs)

    def _loss(self, pred, label, pred_lengths=None, label_lengths=None, sample_weight=None):
        from .. import ndarray as nd

        if self._layout == "NTC":
            pred = _np.swapaxes(pred, 0, 1)
        if self._batch_axis == 1:
            label = _np.swapaxes(label, 0, 1)

        def legacy(x):
            return None if x is None else x.as_nd_ndarray()

        loss = nd.CTCLoss(
            legacy(pred),
            legacy(label),
            legacy(pred_lengths),
            legacy(label_lengths),
            use_data_lengths=pred_lengths is not None,
            use_label_lengths=label_lengths is not None,
            blank_label="last",
        ).as_np_ndarray()
        return self._weighted(loss, sample_weight)


class HuberLoss(Loss):
    """Quadratic below ``rho``, linear above: smooth L1."""

    def __init__(self, rho=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    def _loss(self, pred, label, sample_weight=None):
        error = _np.abs(_like(label, pred) - pred)
        loss = _np.where(error > self._rho, error - 0.5 * self._rho, (0.5 / self._rho) * _np.square(error))
        return self._batch_mean(self._weighted(loss, sample_weight))


class HingeLoss(Loss):
    """max(0, margin - pred * label) for labels -1/1."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def _loss(self, pred, label, sample_weight=None):
        loss = _npx.relu(self._margin - pred * _like(label, pred))
        return self._batch_mean(self._weighted(loss, sample_weight))


class SquaredHingeLoss(HingeLoss):
    """max(0, margin - pred * label)^2 for labels -1/1."""

    def _loss(self, pred, label, sample_weight=None):
        loss = _np.square(_npx.relu(self._margin - pred * _like(label, pred)))
        return self._batch_mean(self._weighted(loss, sample_weight))


class LogisticLoss(Loss):
    """log(1 + exp(-pred * label)) for labels -1/1 ('signed') or 0/1 ('binary')."""

    def __init__(self, weight=None, batch_axis=0, label_format="signed", **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        if label_format not in ("signed", "binary"):
            raise ValueError(f"label_format can only be signed or binary, recieved {label_format}.")
        self._label_format = label_format

    def _loss(self, pred, label, sample_weight=None):
        label = _like(label, pred)
        if self._label_format == "signed":
            label = (label + 1.0) / 2.0
        loss = _npx.relu(pred) - pred * label + _softrelu(-_np.abs(pred))
        return self._batch_mean(self._weighted(loss, sample_weight))


class TripletLoss(Loss):
    """max(0, |pred - positive|^2 - |pred - negative|^2 + margin) per sample."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def _loss(self, pred, positive, negative):
        gap = _np.square(_like(positive, pred) - pred) - _np.square(_like(negative, pred) - pred)
        return self._weighted(_npx.relu(self._batch_sum(gap) + self._margin), None)


class PoissonNLLLoss(Loss):
    """Negative log-likelihood of ``target`` under Poisson(pred) (pred is the
    log-rate with ``from_logits``); ``compute_full`` adds Stirling's term. The
    mean over every element, as MXNet."""

    def __init__(self, weight=None, from_logits=True, batch_axis=0, compute_full=False, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._compute_full = compute_full

    def _loss(self, pred, target, sample_weight=None, epsilon=1e-08):
        target = _like(target, pred)
        if self._from_logits:
            loss = _np.exp(pred) - target * pred
        else:
            loss = pred - target * _np.log(pred + epsilon)
        if self._compute_full:
            stirling = target * _np.log(target) - target + 0.5 * _np.log(2 * target * math.pi)
            loss = loss + stirling * (target > 1)
        return self._weighted(loss, sample_weight).mean()


class CosineEmbeddingLoss(Loss):
    """1 - cos(input1, input2) for label 1, max(0, cos - margin) for label -1, per sample (shape (N, 1))."""

    def __init__(self, weight=None, batch_axis=0, margin=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def _loss(self, input1, input2, label, sample_weight=None):
        input1 = _like(input1, input2)
        label = label.reshape((-1, 1))
        norms = _np.linalg.norm(input1, axis=-1).reshape((-1, 1)) * _np.linalg.norm(input2, axis=-1).reshape((-1, 1))
        cos = (input1 * input2).sum(axis=-1).reshape((-1, 1)) / _np.maximum(norms, 1e-12)
        similar = (1 - cos) * (label == 1)
        dissimilar = _np.maximum(0.0, (label == -1) * (cos - self._margin))
        return self._weighted(similar + dissimilar, sample_weight)


class SDMLLoss(Loss):
    """Smoothed deep metric learning loss over a batch of paired embeddings."""

    def __init__(self, smoothing_parameter=0.3, weight=1.0, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self.kl_loss = KLDivLoss(from_logits=True)
        self.smoothing_parameter = smoothing_parameter

    def _loss(self, x1, x2):
        if x1.shape != x2.shape:
            raise AssertionError(f"SDMLLoss: x1 {x1.shape} and x2 {x2.shape} must have one shape")
        n = x1.shape[0]
        distances = _np.square(_np.expand_dims(x1, 1) - _np.expand_dims(x2, 0)).sum(axis=2)
        gold = _np.eye(n, ctx=x1.ctx)
        labels = gold * (1 - self.smoothing_parameter) + (1 - gold) * self.smoothing_parameter / (n - 1)
        return self.kl_loss(_npx.log_softmax(-distances, axis=1), labels)
