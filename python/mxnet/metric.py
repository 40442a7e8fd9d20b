"""``mxnet.metric``: evaluation metrics with MXNet 1.9.1's classes, names and averaging.

Each metric keeps a running ``sum_metric`` / ``num_inst`` (and global twins that
``reset_local`` keeps); ``get()`` returns ``(name, sum_metric / num_inst)``.  Inputs are
mxnet arrays (``mx.nd`` or ``mx.np``), one or a list of them; values are computed on
the host with NumPy, vectorised.  How a metric counts instances follows 1.9.1: Accuracy,
TopKAccuracy, CrossEntropy, NegativeLogLikelihood, Perplexity and Loss count samples;
MAE, MSE, RMSE, PearsonCorrelation (macro), CustomMetric (scalar feval) count arrays;
F1 / MCC (macro) and PCC count update() calls.
"""

import math
from collections import OrderedDict

import numpy

from . import registry
from .base import MXNetError
from .ndarray import NDArray

__all__ = [
    "EvalMetric",
    "CompositeEvalMetric",
    "Accuracy",
    "TopKAccuracy",
    "F1",
    "MCC",
    "Perplexity",
    "MAE",
    "MSE",
    "RMSE",
    "CrossEntropy",
    "NegativeLogLikelihood",
    "PearsonCorrelation",
    "PCC",
    "Loss",
    "Torch",
    "Caffe",
    "CustomMetric",
    "check_label_shapes",
    "create",
    "register",
    "alias",
    "np",
]


def _is_array(x):
    return isinstance(x, NDArray) or hasattr(x, "asnumpy")


def _host(x, who):
    """The NumPy value of one mxnet array (``mx.nd`` or ``mx.np``)."""
    if not hasattr(x, "asnumpy"):
        raise TypeError(
            f"{who}.update: expected mxnet arrays (mx.nd or mx.np), got {type(x).__module__}.{type(x).__name__}"
        )
    return x.asnumpy()


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Raises ValueError unless ``labels`` and ``preds`` have equal length (or shape, with
    ``shape=True``); with ``wrap`` a single array is returned as a one-element list."""
    if shape:
        lshape, pshape = tuple(labels.shape), tuple(preds.shape)
    else:
        lshape, pshape = len(labels), len(preds)
    if lshape != pshape:
        raise ValueError(f"Shape of labels {lshape} does not match shape of predictions {pshape}")
    if wrap:
        if _is_array(labels):
            labels = [labels]
        if _is_array(preds):
            preds = [preds]
    return labels, preds


class EvalMetric:
    """Base class: running ``sum_metric`` / ``num_inst`` with global counterparts."""

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop("has_global_stats", False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        """The constructor arguments, with ``metric`` (class name) and names."""
        config = dict(self._kwargs)
        config.update(
            {
                "metric": type(self).__name__,
                "name": self.name,
                "output_names": self.output_names,
                "label_names": self.label_names,
            }
        )
        return config

    def update_dict(self, label, pred):
        """update() from name -> array dicts, picking ``output_names``/``label_names``."""
        preds = [pred[n] for n in self.output_names] if self.output_names is not None else list(pred.values())
        labels = [label[n] for n in self.label_names] if self.label_names is not None else list(label.values())
        self.update(labels, preds)

    def update(self, labels, preds):
        raise NotImplementedError()

    def _add(self, value, count):
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def reset(self):
        """Clears local and global statistics."""
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        """Clears the local statistics only."""
        self.num_inst = 0
        self.sum_metric = 0.0

    def get(self):
        """``(name, value)``; value is NaN before any update."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.sum_metric / self.num_inst)

    def get_global(self):
        """``(name, value)`` over everything since the last reset()."""
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.global_sum_metric / self.global_num_inst)

    @staticmethod
    def _pairs(name, value):
        names = name if isinstance(name, list) else [name]
        values = value if isinstance(value, list) else [value]
        return list(zip(names, values))

    def get_name_value(self):
        """``[(name, value), ...]``."""
        return self._pairs(*self.get())

    def get_global_name_value(self):
        """``[(name, value), ...]`` from get_global()."""
        if not self._has_global_stats:
            return self.get_name_value()
        return self._pairs(*self.get_global())


register = registry.get_register_func(EvalMetric, "metric")
alias = registry.get_alias_func(EvalMetric, "metric")
_create = registry.get_create_func(EvalMetric, "metric")


def create(metric, *args, **kwargs):
    """A metric from a registered name, an instance, a callable (CustomMetric) or a list
    of those (CompositeEvalMetric)."""
    if callable(metric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    return _create(metric, *args, **kwargs)


@register
@alias("composite")
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; get() returns ``([names], [values])``."""

    def __init__(self, metrics=None, name="composite", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)
        self.metrics = [create(m) for m in (metrics or [])]

    def add(self, metric):
        """Appends ``create(metric)``."""
        self.metrics.append(create(metric))

    def get_metric(self, index):
        """The child metric at ``index``; out of range, MXNet 1.9.1 *returns* (does not raise)
        a ValueError, and so does this."""
        try:
            return self.metrics[index]
        except IndexError:
            return ValueError(f"Metric index {index} is out of range 0 and {len(self.metrics)}")

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict((k, v) for k, v in labels.items() if k in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict((k, v) for k, v in preds.items() if k in self.output_names)
        for m in self.metrics:
            m.update_dict(labels, preds)

    def update(self, labels, preds):
        for m in self.metrics:
            m.update(labels, preds)

    def reset(self):
        for m in getattr(self, "metrics", []):
            m.reset()

    def reset_local(self):
        for m in self.metrics:
            m.reset_local()

    def _collect(self, getter):
        names, values = [], []
        for m in self.metrics:
            name, value = getter(m)
            names.extend(name if isinstance(name, list) else [name])
            values.extend(value if isinstance(value, list) else [value])
        return (names, values)

    def get(self):
        return self._collect(lambda m: m.get())

    def get_global(self):
        return self._collect(lambda m: m.get_global())

    def get_config(self):
        config = super().get_config()
        config["metrics"] = [m.get_config() for m in self.metrics]
        return config


@register
@alias("acc")
class Accuracy(EvalMetric):
    """Fraction of correct labels; predictions of another shape than the labels are
    class scores reduced by argmax over ``axis``."""

    def __init__(self, axis=1, name="accuracy", output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names, label_names=label_names, has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            p = _host(pred, "Accuracy")
            lab = _host(label, "Accuracy")
            if p.shape != lab.shape:
                p = numpy.argmax(p, axis=self.axis)
            p = p.astype(numpy.int32).ravel()
            lab = lab.astype(numpy.int32).ravel()
            check_label_shapes(lab, p)
            self._add(int((p == lab).sum()), p.size)


@register
@alias("top_k_accuracy", "top_k_acc")
class TopKAccuracy(EvalMetric):
    """Fraction of samples whose label is among the ``top_k`` highest scores."""

    def __init__(self, top_k=1, name="top_k_accuracy", output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names, label_names=label_names, has_global_stats=True)
        self.top_k = top_k
        assert self.top_k > 1, "Please use Accuracy if top_k is no more than 1"
        self.name += f"_{self.top_k}"

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            assert len(pred.shape) <= 2, "Predictions should be no more than 2 dims"
            order = numpy.argpartition(_host(pred, "TopKAccuracy").astype(numpy.float32), -self.top_k)
            lab = _host(label, "TopKAccuracy").astype(numpy.int32)
            check_label_shapes(lab, order)
            if order.ndim == 1:
                # As 1.9.1: a 1-D score vector compares its partition order with the labels,
                # and adds to the local sum only.
                self.sum_metric += int((order == lab.ravel()).sum())
            else:
                k = min(order.shape[1], self.top_k)
                hits = int((order[:, order.shape[1] - k :] == lab.reshape(-1, 1)).sum())
                self.sum_metric += hits
                self.global_sum_metric += hits
            self.num_inst += order.shape[0]
            self.global_num_inst += order.shape[0]


class _BinaryClassificationMetrics:
    """Confusion counts of a binary classifier (local and global)."""

    def __init__(self):
        self.reset_stats()

    def update_binary_stats(self, label, pred):
        p = _host(pred, type(self).__name__)
        lab = _host(label, type(self).__name__).astype(numpy.int32)
        predicted = numpy.argmax(p, axis=1)
        check_label_shapes(lab, p)
        if len(numpy.unique(lab)) > 2:
            raise ValueError(f"{type(self).__name__} currently only supports binary classification.")
        pt = predicted == 1
        lt = lab == 1
        counts = {
            "tp": int((pt & lt).sum()),
            "fp": int((pt & ~lt).sum()),
            "fn": int((~pt & lt).sum()),
            "tn": int((~pt & ~lt).sum()),
        }
        for k, v in counts.items():
            self.local[k] += v
            self.glob[k] += v

    @staticmethod
    def _precision(c):
        d = c["tp"] + c["fp"]
        return c["tp"] / d if d > 0 else 0.0

    @staticmethod
    def _recall(c):
        d = c["tp"] + c["fn"]
        return c["tp"] / d if d > 0 else 0.0

    @classmethod
    def _fscore(cls, c):
        p, r = cls._precision(c), cls._recall(c)
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    @staticmethod
    def _mcc(c):
        if sum(c.values()) == 0:
            return 0.0
        tp, fp, fn, tn = (float(c[k]) for k in ("tp", "fp", "fn", "tn"))
        denom = 1.0
        for t in (tp + fp, tp + fn, tn + fp, tn + fn):
            if t != 0.0:
                denom *= t
        return (tp * tn - fp * fn) / math.sqrt(denom)

    @property
    def fscore(self):
        return self._fscore(self.local)

    @property
    def global_fscore(self):
        return self._fscore(self.glob)

    def matthewscc(self, use_global=False):
        return self._mcc(self.glob if use_global else self.local)

    @property
    def total_examples(self):
        return sum(self.local.values())

    @property
    def global_total_examples(self):
        return sum(self.glob.values())

    def local_reset_stats(self):
        self.local = dict.fromkeys(("tp", "fp", "fn", "tn"), 0)

    def reset_stats(self):
        self.local_reset_stats()
        self.glob = dict.fromkeys(("tp", "fp", "fn", "tn"), 0)


class _BinaryMetric(EvalMetric):
    """F1 / MCC: 'macro' averages the per-update score, 'micro' scores all counts."""

    def __init__(self, name, output_names, label_names, average):
        if average not in ("macro", "micro"):
            raise ValueError(f"{type(self).__name__}: average must be 'macro' or 'micro', got {average!r}")
        self.average = average
        self._stats = _BinaryClassificationMetrics()
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)

    def _scores(self):
        raise NotImplementedError()

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            self._stats.update_binary_stats(label, pred)
        local, glob = self._scores()
        if self.average == "macro":
            self._add(local, 1)
            self._stats.reset_stats()
        else:
            self.num_inst = self._stats.total_examples
            self.global_num_inst = self._stats.global_total_examples
            self.sum_metric = local * self.num_inst
            self.global_sum_metric = glob * self.global_num_inst

    def reset(self):
        super().reset()
        self._stats.reset_stats()

    def reset_local(self):
        super().reset_local()
        self._stats.local_reset_stats()


@register
class F1(_BinaryMetric):
    """F1 score of a binary classifier (class 1 positive, prediction = argmax over axis 1)."""

    def __init__(self, name="f1", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)

    def _scores(self):
        return self._stats.fscore, self._stats.global_fscore


@register
class MCC(_BinaryMetric):
    """Matthews correlation coefficient of a binary classifier."""

    def __init__(self, name="mcc", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)

    def _scores(self):
        return self._stats.matthewscc(), self._stats.matthewscc(use_global=True)

    def reset(self):
        super().reset()
        self.num_inst = 0.0  # 1.9.1 counts MCC instances as floats
        self.global_num_inst = 0.0

    def reset_local(self):
        super().reset_local()
        self.num_inst = 0.0


@register
class Perplexity(EvalMetric):
    """exp of the mean negative log probability of the labels (``ignore_label`` skipped)."""

    def __init__(self, ignore_label, axis=-1, name="perplexity", output_names=None, label_names=None):
        super().__init__(
            name, ignore_label=ignore_label, output_names=output_names, label_names=label_names, has_global_stats=True
        )
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        assert len(labels) == len(preds)
        loss = 0.0
        num = 0
        for label, pred in zip(labels, preds):
            assert label.size == pred.size / pred.shape[-1], f"shape mismatch: {label.shape} vs. {pred.shape}"
            p = _host(pred, "Perplexity")
            lab = _host(label, "Perplexity").reshape(-1)
            axis = self.axis % p.ndim
            rest = p.shape[:axis] + p.shape[axis + 1 :]
            if rest != lab.shape:
                raise MXNetError(
                    f"Perplexity: predictions of shape {p.shape} with the class axis {self.axis} removed "
                    f"must have the labels' flattened shape {lab.shape}"
                )
            idx = numpy.clip(lab.astype(numpy.int32), 0, p.shape[axis] - 1)
            picked = numpy.take_along_axis(p, numpy.expand_dims(idx, axis), axis=axis).squeeze(axis)
            if self.ignore_label is not None:
                ignore = (lab == self.ignore_label).astype(picked.dtype)
                num -= int(ignore.sum())
                picked = picked * (1 - ignore) + ignore
            loss -= float(numpy.log(numpy.maximum(picked.dtype.type(1e-10), picked)).sum(dtype=picked.dtype))
            num += picked.size
        self._add(loss, num)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))


class _Regression(EvalMetric):
    """Per-array error averaged over arrays (1-D inputs are treated as columns)."""

    def __init__(self, name, output_names, label_names):
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)

    @staticmethod
    def _error(diff):
        raise NotImplementedError()

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        who = type(self).__name__
        for label, pred in zip(labels, preds):
            lab, p = _host(label, who), _host(pred, who)
            lab = lab.reshape(-1, 1) if lab.ndim == 1 else lab
            p = p.reshape(-1, 1) if p.ndim == 1 else p
            self._add(float(self._error(lab - p)), 1)


@register
class MAE(_Regression):
    """Mean absolute error, averaged per update array."""

    def __init__(self, name="mae", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _error(diff):
        return numpy.abs(diff).mean()


@register
class MSE(_Regression):
    """Mean squared error, averaged per update array."""

    def __init__(self, name="mse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _error(diff):
        return (diff**2.0).mean()


@register
class RMSE(_Regression):
    """Root mean squared error of each update array, averaged over arrays (as 1.9.1)."""

    def __init__(self, name="rmse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _error(diff):
        return numpy.sqrt((diff**2.0).mean())


class _LogLoss(EvalMetric):
    def __init__(self, eps, name, output_names, label_names):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names, has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        who = type(self).__name__
        for label, pred in zip(labels, preds):
            lab = _host(label, who).ravel()
            p = _host(pred, who)
            n = p.shape[0]
            assert lab.shape[0] == n, (lab.shape[0], n)
            prob = p[numpy.arange(n, dtype=numpy.int64), lab.astype(numpy.int64)]
            self._add(float((-numpy.log(prob + self.eps)).sum()), n)


@register
@alias("ce")
class CrossEntropy(_LogLoss):
    """Mean of -log(p[label] + eps) over samples."""

    def __init__(self, eps=1e-12, name="cross-entropy", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("nll_loss")
class NegativeLogLikelihood(_LogLoss):
    """Mean negative log likelihood of the labels over samples."""

    def __init__(self, eps=1e-12, name="nll-loss", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("pearsonr")
class PearsonCorrelation(EvalMetric):
    """Pearson correlation of predictions and labels: 'macro' averages it per array,
    'micro' computes it over all values seen (streaming)."""

    def __init__(self, name="pearsonr", output_names=None, label_names=None, average="macro"):
        if average not in ("macro", "micro"):
            raise ValueError(f"PearsonCorrelation: average must be 'macro' or 'micro', got {average!r}")
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)

    def reset(self):
        super().reset()
        self._n = 0
        self._mean_l = 0.0
        self._mean_p = 0.0
        self._ss_l = 0.0
        self._ss_p = 0.0
        self._cov = 0.0

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            lab = _host(label, "PearsonCorrelation").ravel().astype(numpy.float64)
            p = _host(pred, "PearsonCorrelation").ravel().astype(numpy.float64)
            if self.average == "macro":
                self._add(float(numpy.corrcoef(p, lab)[0, 1]), 1)
                continue
            # micro: merge this array's moments into the running ones (Chan et al.); the
            # global sum stays 0 here, as in 1.9.1, whose get_global() then reports 0.
            self.num_inst += 1
            self.global_num_inst += 1
            m = lab.size
            n = self._n + m
            ml, mp = lab.mean(), p.mean()
            dl, dp = ml - self._mean_l, mp - self._mean_p
            w = self._n * m / n
            self._ss_l += ((lab - ml) ** 2).sum() + dl * dl * w
            self._ss_p += ((p - mp) ** 2).sum() + dp * dp * w
            self._cov += ((lab - ml) * (p - mp)).sum() + dl * dp * w
            self._mean_l += dl * m / n
            self._mean_p += dp * m / n
            self._n = n

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        if self.average == "macro":
            return (self.name, self.sum_metric / self.num_inst)
        return (self.name, float(self._cov / numpy.sqrt(self._ss_p * self._ss_l)))


@register
class PCC(EvalMetric):
    """Multi-class Matthews correlation from a confusion matrix grown as classes appear;
    averaged per update() call."""

    def __init__(self, name="pcc", output_names=None, label_names=None, has_global_stats=True):
        self.k = 2
        super().__init__(
            name=name, output_names=output_names, label_names=label_names, has_global_stats=has_global_stats
        )

    def _grow(self, inc):
        self.lcm = numpy.pad(self.lcm, ((0, inc), (0, inc)))
        self.gcm = numpy.pad(self.gcm, ((0, inc), (0, inc)))
        self.k += inc

    @staticmethod
    def _calc_mcc(cmat):
        n = cmat.sum()
        x = cmat.sum(axis=1)
        y = cmat.sum(axis=0)
        cov_xx = numpy.sum(x * (n - x))
        cov_yy = numpy.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float("nan")
        cov_xy = numpy.sum(cmat.diagonal() * n - x * y)
        return cov_xy / (cov_xx * cov_yy) ** 0.5

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            lab = _host(label, "PCC").astype(numpy.int32)
            p = _host(pred, "PCC")
            p = p.argmax(axis=1) if p.shape != lab.shape else p.astype(numpy.int32)
            n = max(p.max(), lab.max())
            if n >= self.k:
                self._grow(int(n) + 1 - self.k)
            bcm = numpy.zeros((self.k, self.k))
            numpy.add.at(bcm, (p.ravel(), lab.ravel()), 1)
            self.lcm += bcm
            self.gcm += bcm
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        return self._calc_mcc(self.lcm) * self.num_inst

    @property
    def global_sum_metric(self):
        return self._calc_mcc(self.gcm) * self.global_num_inst

    def reset(self):
        self.global_num_inst = 0.0
        self.gcm = numpy.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        self.num_inst = 0.0
        self.lcm = numpy.zeros((self.k, self.k))


@register
class Loss(EvalMetric):
    """Mean of the given loss values (labels ignored)."""

    def __init__(self, name="loss", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)

    def update(self, _, preds):
        if _is_array(preds):
            preds = [preds]
        for pred in preds:
            p = _host(pred, type(self).__name__)
            self._add(float(p.sum(dtype=p.dtype)), p.size)


@register
class Torch(Loss):
    """Loss under the name 'torch'."""

    def __init__(self, name="torch", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class Caffe(Loss):
    """Loss under the name 'caffe'."""

    def __init__(self, name="caffe", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class CustomMetric(EvalMetric):
    """A metric from ``feval(label, pred)`` on NumPy arrays returning a value (averaged per
    array) or a ``(sum, count)`` pair."""

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None, label_names=None):
        if name is None:
            name = feval.__name__
            if "<" in name:
                name = f"custom({name})"
        super().__init__(
            name,
            feval=feval,
            allow_extra_outputs=allow_extra_outputs,
            output_names=output_names,
            label_names=label_names,
            has_global_stats=True,
        )
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            reval = self._feval(_host(label, "CustomMetric"), _host(pred, "CustomMetric"))
            if isinstance(reval, tuple):
                self._add(reval[0], reval[1])
            else:
                self._add(reval, 1)

    def get_config(self):
        raise NotImplementedError("CustomMetric cannot be serialized")


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """A CustomMetric from a NumPy function ``numpy_feval(label, pred)``."""

    def feval(label, pred):
        return numpy_feval(label, pred)

    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)
