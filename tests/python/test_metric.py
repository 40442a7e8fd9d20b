"""mx.metric against values recorded from MXNet 1.9.1 on the same inputs."""

import math

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd

P1 = [[0.3, 0.7], [0.6, 0.4], [0.2, 0.8], [0.9, 0.1]]
L1 = [1, 1, 0, 0]
P2 = [[0.1, 0.9], [0.8, 0.2], [0.45, 0.55]]
L2 = [1, 0, 0]
P3 = [[0.7, 0.3], [0.35, 0.65], [0.15, 0.85], [0.6, 0.4], [0.2, 0.8]]
L3 = [0, 1, 1, 1, 0]
BIN = [(L1, P1), (L2, P2), (L3, P3)]

PK1 = [[0.1, 0.5, 0.3, 0.05, 0.05], [0.4, 0.1, 0.2, 0.25, 0.05], [0.02, 0.08, 0.6, 0.2, 0.1]]
LK1 = [2, 3, 4]
PK2 = [[0.3, 0.2, 0.1, 0.15, 0.25], [0.05, 0.15, 0.35, 0.4, 0.05]]
LK2 = [4, 1]
MULTI = [(LK1, PK1), (LK2, PK2)]

RL1, RP1 = [1.0, 2.0, 3.5, -1.0], [1.5, 1.0, 3.0, 0.0]
RL2, RP2 = [[0.5, 1.5], [2.0, -0.5], [1.0, 1.0]], [[0.0, 2.0], [2.5, 0.0], [1.0, 3.0]]
RL3, RP3 = [4.0, -2.0], [3.0, -1.0]
REG = [(RL1, RP1), (RL2, RP2), (RL3, RP3)]


def A(x):
    return nd.array(onp.array(x, dtype="float32"))


def NP(x):
    return mx.np.array(onp.array(x, dtype="float32"))


def run(metric, batches, conv=A):
    for label, pred in batches:
        metric.update([conv(label)], [conv(pred)])
    return metric


def my_metric(label, pred):
    return onp.abs(label - pred.argmax(1)).sum(), label.size


# (metric factory, batches, name, value, num_inst) recorded with MXNet 1.9.1
CASES = [
    (lambda: mx.metric.Accuracy(), BIN, "accuracy", 0.5833333333333334, 12),
    (lambda: mx.metric.create("acc"), BIN, "accuracy", 0.5833333333333334, 12),
    (lambda: mx.metric.F1(), BIN, "f1", 0.611111111111111, 3),
    (lambda: mx.metric.F1(average="micro"), BIN, "f1", 0.6153846153846153, 12),
    (lambda: mx.metric.MCC(), BIN, "mcc", 0.2222222222222222, 3.0),
    (lambda: mx.metric.MCC(average="micro"), BIN, "mcc", 0.16903085094570333, 12),
    (lambda: mx.metric.CrossEntropy(), BIN, "cross-entropy", 0.6325401266415914, 12),
    (lambda: mx.metric.NegativeLogLikelihood(), BIN, "nll-loss", 0.6325401266415914, 12),
    (lambda: mx.metric.Perplexity(ignore_label=None), BIN, "perplexity", 1.8823859730519221, 12),
    (lambda: mx.metric.Perplexity(ignore_label=0), BIN, "perplexity", 1.6182086912708717, 6),
    (lambda: mx.metric.PCC(), BIN, "pcc", 0.16903085094570333, 3.0),
    (lambda: mx.metric.TopKAccuracy(top_k=2), MULTI, "top_k_accuracy_2", 0.6, 5),
    (lambda: mx.metric.TopKAccuracy(top_k=3), MULTI, "top_k_accuracy_3", 1.0, 5),
    (lambda: mx.metric.Accuracy(), MULTI, "accuracy", 0.0, 5),
    (lambda: mx.metric.PCC(), MULTI, "pcc", -0.16666666666666666, 2.0),
    (lambda: mx.metric.CrossEntropy(), MULTI, "cross-entropy", 1.63525333404541, 5),
    (lambda: mx.metric.create("mae"), REG, "mae", 0.8055555621782938, 3),
    (lambda: mx.metric.create("mse"), REG, "mse", 0.8194444378217062, 3),
    (lambda: mx.metric.create("rmse"), REG, "rmse", 0.9011467893918356, 3),
    (lambda: mx.metric.create("pearsonr"), REG, "pearsonr", 0.8907605367170998, 3),
    (lambda: mx.metric.PearsonCorrelation(average="micro"), REG, "pearsonr", 0.858723796314869, 3),
    (lambda: mx.metric.Loss(), REG[:2], "loss", 1.4, 10),
    (lambda: mx.metric.Torch(), REG[:1], "torch", 1.375, 4),
    (lambda: mx.metric.Caffe(), REG[:1], "caffe", 1.375, 4),
    (lambda: mx.metric.create(my_metric), BIN, "my_metric", 0.4166666666666667, 12),
    (lambda: mx.metric.np(my_metric), BIN, "my_metric", 0.4166666666666667, 12),
    (
        lambda: mx.metric.CustomMetric(lambda l, p: float((p.argmax(1) == l).mean())),
        BIN,
        "custom(<lambda>)",
        0.5888888888888889,
        3,
    ),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_match_mxnet(case):
    make, batches, name, value, num_inst = CASES[case]
    m = run(make(), batches)
    got_name, got = m.get()
    assert got_name == name == m.name
    assert got == pytest.approx(value, rel=1e-6, abs=1e-12)
    assert m.num_inst == num_inst
    assert type(m.num_inst) is type(num_inst)
    if isinstance(m, mx.metric.PearsonCorrelation) and m.average == "micro":
        assert m.get_global() == (name, 0.0)  # 1.9.1 keeps no global micro sum
    else:
        assert m.get_global()[1] == pytest.approx(value, rel=1e-6, abs=1e-12)


def test_mx_np_arrays_and_single_arrays():
    assert run(mx.metric.Accuracy(), BIN, NP).get()[1] == pytest.approx(0.5833333333333334)
    assert run(mx.metric.RMSE(), REG, NP).get()[1] == pytest.approx(0.9011467893918356, rel=1e-6)
    m = mx.metric.Accuracy()
    m.update(A([1, 0, 1]), A([[0.1, 0.9], [0.3, 0.7], [0.8, 0.2]]))
    assert m.get()[1] == pytest.approx(1 / 3)
    m = mx.metric.Accuracy()  # same shapes: predictions are labels
    m.update([A([[1, 0], [0, 1]])], [A([[1, 0], [1, 1]])])
    assert m.get() == ("accuracy", 0.75)
    m = mx.metric.MSE()
    m.update_dict({"l": A([1, 2])}, {"o": A([1, 4])})
    assert m.get() == ("mse", 2.0)


def test_rmse_averages_per_batch():
    m = mx.metric.RMSE()
    m.update([A([0.0, 0.0])], [A([3.0, 3.0])])
    m.update([A([0.0])], [A([1.0])])
    assert m.get()[1] == pytest.approx(2.0)  # mean of 3 and 1, not sqrt(19/3)


def test_composite_and_printing():
    c = mx.metric.create(["acc", "f1"])
    assert isinstance(c, mx.metric.CompositeEvalMetric)
    run(c, BIN)
    assert c.get() == (["accuracy", "f1"], [pytest.approx(0.5833333333333334), pytest.approx(0.611111111111111)])
    assert c.get_global()[0] == ["accuracy", "f1"]
    assert c.get_metric(1).name == "f1"
    err = c.get_metric(5)  # 1.9.1 returns, not raises, this error
    assert isinstance(err, ValueError) and str(err) == "Metric index 5 is out of range 0 and 2"
    assert not hasattr(c, "num_inst")
    assert str(c).startswith("EvalMetric: {'accuracy': 0.58333")
    assert c.get_name_value()[1] == ("f1", pytest.approx(0.611111111111111))
    c.add("mae")
    assert [m.name for m in c.metrics] == ["accuracy", "f1", "mae"]
    assert str(mx.metric.Accuracy()) == "EvalMetric: {'accuracy': nan}"
    assert isinstance(mx.metric.create("composite"), mx.metric.CompositeEvalMetric)


def test_reset_and_reset_local():
    m = run(mx.metric.Accuracy(), BIN)
    m.reset_local()
    assert math.isnan(m.get()[1]) and m.get_global()[1] == pytest.approx(0.5833333333333334)
    m.reset()
    assert math.isnan(m.get()[1]) and math.isnan(m.get_global()[1])
    c = run(mx.metric.create(["acc", "mse"]), BIN)
    c.reset()
    assert all(math.isnan(v) for v in c.get()[1])


def test_registry_and_config():
    assert mx.metric.create("top_k_acc", top_k=3).name == "top_k_accuracy_3"
    assert isinstance(mx.metric.create("top_k_accuracy", top_k=2), mx.metric.TopKAccuracy)
    assert mx.metric.create("ce", eps=1e-3).eps == 1e-3
    assert isinstance(mx.metric.create("nll_loss"), mx.metric.NegativeLogLikelihood)
    mse = mx.metric.MSE()
    assert mx.metric.create(mse) is mse
    assert mx.metric.Accuracy().get_config() == {
        "axis": 1,
        "metric": "Accuracy",
        "name": "accuracy",
        "output_names": None,
        "label_names": None,
    }
    with pytest.raises(AssertionError, match="nosuch is not registered. Please register with metric.register first"):
        mx.metric.create("nosuch")
    with pytest.raises(NotImplementedError, match="CustomMetric cannot be serialized"):
        mx.metric.CustomMetric(lambda a, b: 1).get_config()
    with pytest.raises(AssertionError, match="Please use Accuracy if top_k is no more than 1"):
        mx.metric.TopKAccuracy(1)

    @mx.metric.register
    class Twice(mx.metric.MAE):
        pass

    assert isinstance(mx.metric.create("twice"), Twice)


def test_shape_errors_as_mxnet():
    bad = [A([[0.1, 0.9], [0.3, 0.7], [0.2, 0.8]])]
    with pytest.raises(ValueError, match=r"^Shape of labels 2 does not match shape of predictions 3"):
        mx.metric.Accuracy().update([A([1, 0])], bad)
    with pytest.raises(ValueError, match=r"^Shape of labels 2 does not match shape of predictions 1"):
        mx.metric.Accuracy().update([A([1, 0]), A([1])], [A([[0.1, 0.9], [0.3, 0.7]])])
    with pytest.raises(ValueError, match="operands could not be broadcast together"):
        mx.metric.MAE().update([A([1, 0])], [A([1, 2, 3])])
    with pytest.raises(ValueError, match=r"^_BinaryClassificationMetrics currently only supports binary"):
        mx.metric.F1().update([A([1, 0, 2])], bad)
    with pytest.raises(ValueError, match=r"^Shape of labels 2 does not match shape of predictions 3"):
        mx.metric.F1().update([A([1, 0])], bad)
    with pytest.raises(ValueError, match=r"^Shape of labels \(3,\) does not match shape of predictions \(4,\)"):
        mx.metric.PearsonCorrelation().update([A([1, 0, 2])], [A([1, 2, 3, 4])])
    with pytest.raises(AssertionError, match=r"^shape mismatch: \(3,\) vs. \(2, 2\)"):
        mx.metric.Perplexity(None).update([A([1, 0, 2])], [A([[0.1, 0.9], [0.3, 0.7]])])
    with pytest.raises(mx.MXNetError, match="Perplexity"):
        mx.metric.Perplexity(None).update(
            [A([[1, 0], [0, 1]])], [A([[[0.1, 0.9], [0.3, 0.7]], [[0.6, 0.4], [0.5, 0.5]]])]
        )
    # MXNet fails on host NumPy inputs (AttributeError: no asnumpy); mxlite names the problem.
    with pytest.raises(TypeError, match="Accuracy.update: expected mxnet arrays"):
        mx.metric.Accuracy().update([onp.array([1, 0])], [onp.array([1, 0])])
    with pytest.raises(ValueError, match="average must be 'macro' or 'micro'"):
        mx.metric.F1(average="weighted")
