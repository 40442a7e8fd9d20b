"""mx.lr_scheduler: the schedules against MXNet 1.9.1's recorded values
(fixtures/optimizer_mxnet_1_9_1.npz, cases in fixtures/optimizer_cases.py)
and against the formulas written out here; warm-up modes; errors."""

import math
import pathlib

import numpy as onp
import pytest

import mxnet as mx
from mxnet import lr_scheduler as lrs

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
CASES = {}
exec((FIXTURES / "optimizer_cases.py").read_text(), CASES)
REC = onp.load(FIXTURES / "optimizer_mxnet_1_9_1.npz")


@pytest.mark.parametrize("case", CASES["SCHEDULER_CASES"], ids=[c[0] for c in CASES["SCHEDULER_CASES"]])
def test_schedule_matches_mxnet(case):
    name, cls, kwargs, counts = case
    sched = getattr(mx.lr_scheduler, cls)(**kwargs)
    got = [sched(n) for n in counts]
    onp.testing.assert_allclose(got, REC["sched/" + name], rtol=1e-15, atol=0)


def _warmup(n, steps, begin, final, mode):
    return begin if mode == "constant" else begin + (final - begin) * n / steps


def formula(cls, kw, n):
    """The schedules' closed forms (for counts past the warm-up, called in order)."""
    steps, begin = kw.get("warmup_steps", 0), kw.get("warmup_begin_lr", 0)
    base = kw.get("base_lr", 0.01)
    if n < steps:
        return _warmup(n, steps, begin, base, kw.get("warmup_mode", "linear"))
    if cls == "FactorScheduler":
        k = max(0, math.ceil(n / kw["step"]) - 1)
        return max(base * kw.get("factor", 1) ** k, kw.get("stop_factor_lr", 1e-8))
    if cls == "MultiFactorScheduler":
        return base * kw.get("factor", 1) ** sum(n > s for s in kw["step"])
    final, left = kw.get("final_lr", 0), min(n, kw["max_update"]) - steps
    frac = left / (kw["max_update"] - steps)
    if cls == "PolyScheduler":
        return final + (base - final) * (1 - frac) ** kw.get("pwr", 2)
    return final + (base - final) * (1 + math.cos(math.pi * frac)) / 2


@pytest.mark.parametrize("case", CASES["SCHEDULER_CASES"], ids=[c[0] for c in CASES["SCHEDULER_CASES"]])
def test_schedule_matches_formula(case):
    name, cls, kwargs, counts = case
    sched = getattr(mx.lr_scheduler, cls)(**kwargs)
    for n in counts:
        assert sched(n) == pytest.approx(formula(cls, kwargs, n), rel=1e-12), (name, n)


def test_warmup_modes_and_state():
    s = lrs.PolyScheduler(max_update=10, base_lr=1.0, warmup_steps=4, warmup_begin_lr=0.2, warmup_mode="constant")
    assert [s(n) for n in range(4)] == [0.2] * 4
    assert s(4) == 1.0 and s(10) == 0.0 and s(50) == 0.0
    lin = lrs.CosineScheduler(max_update=8, base_lr=0.8, warmup_steps=4, warmup_begin_lr=0.0)
    assert [lin(n) for n in range(4)] == pytest.approx([0.0, 0.2, 0.4, 0.6])
    with pytest.raises(AssertionError):
        lin.get_warmup_lr(4)
    # base_lr assigned later (as an optimizer's learning_rate= does) changes
    # Factor schedules but not Poly/Cosine ones, which start from base_lr_orig
    f = lrs.FactorScheduler(step=100, base_lr=1.0)
    f.base_lr = 0.3
    assert f(5) == 0.3
    c = lrs.CosineScheduler(max_update=10, base_lr=1.0)
    c.base_lr = 0.3
    assert c(0) == 1.0
    with pytest.raises(NotImplementedError):
        lrs.LRScheduler()(1)
    opt = mx.optimizer.SGD(lr_scheduler=lrs.MultiFactorScheduler(step=[2, 4], factor=0.1, base_lr=1.0))
    assert opt.learning_rate == 1.0
    opt.num_update = 3
    assert opt.learning_rate == pytest.approx(0.1)


def test_errors():
    with pytest.raises(ValueError, match="Base lr has to be higher than warmup_begin_lr"):
        lrs.FactorScheduler(step=2, base_lr=0.1, warmup_begin_lr=0.5)
    with pytest.raises(ValueError, match="Warmup steps has to be positive or 0"):
        lrs.CosineScheduler(max_update=5, warmup_steps=-1)
    with pytest.raises(ValueError, match="Supports only linear and constant modes of warmup"):
        lrs.PolyScheduler(max_update=5, warmup_mode="cubic")
    with pytest.raises(AssertionError, match="warmup_steps must be an int"):
        lrs.PolyScheduler(max_update=5, warmup_steps=1.5)
    with pytest.raises(ValueError, match="Schedule step must be greater or equal than 1 round"):
        lrs.FactorScheduler(step=0)
    with pytest.raises(ValueError, match="Factor must be no more than 1"):
        lrs.FactorScheduler(step=2, factor=2.0)
    with pytest.raises(ValueError, match="increasing integer list"):
        lrs.MultiFactorScheduler(step=[3, 3])
    with pytest.raises(AssertionError, match="step must be a non-empty list"):
        lrs.MultiFactorScheduler(step=3)
    with pytest.raises(ValueError, match="maximum number of updates must be strictly positive"):
        lrs.CosineScheduler(max_update=0)
    with pytest.raises(AssertionError, match="max_update must be an int"):
        lrs.PolyScheduler(max_update=10.0)
