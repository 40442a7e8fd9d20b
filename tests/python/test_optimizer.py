"""mx.optimizer and the fused update ops (nd.sgd_update, ...): trajectories
against MXNet 1.9.1's recorded values (fixtures/optimizer_mxnet_1_9_1.npz,
cases in fixtures/optimizer_cases.py, recorded by fixtures/record_optimizer.py)
and against NumPy implementations of the update rules written here; the
hyper-parameter bookkeeping (wd, rescale_grad, clip_gradient, lr_mult,
wd_mult, schedulers); the registry; errors."""

import math
import pathlib
import pickle

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd
from mxnet.base import MXNetError

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
CASES = {}
exec((FIXTURES / "optimizer_cases.py").read_text(), CASES)
REC = onp.load(FIXTURES / "optimizer_mxnet_1_9_1.npz")
W0, GRADS = REC["w0"], REC["grads"]


def _make(opt_name, kwargs, extra):
    kwargs = dict(kwargs)
    if "scheduler" in extra:
        cls, skw = extra["scheduler"]
        kwargs["lr_scheduler"] = getattr(mx.lr_scheduler, cls)(**skw)
    opt = mx.optimizer.create(opt_name, **kwargs)
    if "lr_mult" in extra:
        opt.set_lr_mult(extra["lr_mult"])
    if "wd_mult" in extra:
        opt.set_wd_mult(extra["wd_mult"])
    return opt


def _trajectory(opt_name, kwargs, extra, face=nd):
    opt = _make(opt_name, kwargs, extra)
    index = extra.get("index", 0)
    w = face.array(W0)
    state = opt.create_state(index, w)
    out = []
    for g in GRADS:
        opt.update(index, w, face.array(g), state)
        out.append(w.asnumpy())
    return onp.stack(out)


@pytest.mark.parametrize("case", CASES["OPTIMIZER_CASES"], ids=[c[0] for c in CASES["OPTIMIZER_CASES"]])
def test_optimizer_matches_mxnet(case):
    name, opt_name, kwargs, extra = case
    got = _trajectory(opt_name, kwargs, extra)
    onp.testing.assert_allclose(got, REC["opt/" + name], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("case", CASES["OPTIMIZER_CASES"][::3], ids=[c[0] for c in CASES["OPTIMIZER_CASES"][::3]])
def test_optimizer_on_np_arrays(case):
    # mx.np weights are updated in place through an nd view of their memory.
    name, opt_name, kwargs, extra = case
    got = _trajectory(opt_name, kwargs, extra, face=mx.np)
    onp.testing.assert_allclose(got, REC["opt/" + name], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("case", CASES["OP_CASES"], ids=[c[0] for c in CASES["OP_CASES"]])
def test_update_op_matches_mxnet(case):
    name, op, state_names, kwargs = case
    w = nd.array(W0)
    states = [nd.array(s) for s in REC["op0/" + name]]
    for k in range(CASES["OP_STEPS"]):
        g = nd.array(GRADS[k])
        if op == "lamb_update_phase1":
            r = nd.lamb_update_phase1(w, g, *states, t=k + 1, **kwargs)
            onp.testing.assert_allclose(r.asnumpy(), REC["opr/" + name][k], rtol=1e-6, atol=1e-7)
            back = nd.lamb_update_phase2(w, r, w.norm(), r.norm(), lr=0.01, out=w)
            assert back is w
        elif op == "adamw_update":
            nd._optimizer._adamw_update(w, g, *states, out=w, **kwargs)
        else:
            back = getattr(nd, op)(w, g, *states, out=w, **kwargs)
            assert back is w
        onp.testing.assert_allclose(w.asnumpy(), REC["opw/" + name][k], rtol=1e-6, atol=1e-7)
        for s, want in zip(states, REC["ops/" + name][k]):
            onp.testing.assert_allclose(s.asnumpy(), want, rtol=1e-6, atol=1e-7)


# ---- independent NumPy implementations of the rules (float64) -----------------------------
def _clip(g, c):
    return g if c is None else onp.clip(g, -c, c)


def numpy_trajectory(opt_name, kw, w, grads, lr_at=None, wd_mult=1.0, lr_mult=1.0):
    """The optimizer's rule in float64 NumPy, from its documented formulas."""
    w = w.astype("float64").copy()
    defaults = {
        "adam": 0.001, "adamw": 0.001, "adamax": 0.002, "nadam": 0.001, "rmsprop": 0.001, "lamb": 0.001,
        "ftrl": 0.1,
    }  # fmt: skip
    lr0 = kw.get("learning_rate", defaults.get(opt_name, 0.01))
    wd = kw.get("wd", 0.0) * wd_mult
    rs, cg = kw.get("rescale_grad", 1.0), kw.get("clip_gradient")
    z = onp.zeros_like(w)
    s1, s2, s3 = z.copy(), z.copy(), z.copy()
    prev = w.copy()
    m_schedule = 1.0
    out = []
    for t, g in enumerate(grads.astype("float64"), start=1):
        lr = (lr_at(t) if lr_at else lr0) * lr_mult
        if opt_name in ("sgd", "nag", "dcasgd"):
            mu = kw.get("momentum", 0.0)
            g = _clip(g * rs, cg)
            if opt_name == "sgd":
                s1 = mu * s1 - lr * (g + wd * w)
                w = w + s1
            elif opt_name == "nag":
                step = g + wd * w
                w = w + mu * (mu * s1 - lr * step) - lr * step
                # MXNet's kernel decays the momentum with the weight just written
                s1 = mu * s1 - lr * (g + wd * w)
            else:
                step = -lr * (g + wd * w + kw.get("lamda", 0.04) * g * g * (w - prev))
                s1 = mu * s1 + step
                prev = w.copy()
                w = w + s1
        elif opt_name in ("adam", "adamw", "lamb"):
            b1, b2 = kw.get("beta1", 0.9), kw.get("beta2", 0.999)
            eps = kw.get("epsilon", 1e-8 if opt_name == "adam" else 1e-6)
            g = g * rs + (wd * w if opt_name == "adam" else 0)
            g = _clip(g, cg)
            s1 = b1 * s1 + (1 - b1) * g
            s2 = b2 * s2 + (1 - b2) * g * g
            bias = kw.get("correct_bias", kw.get("bias_correction", True))
            m_hat = s1 / (1 - b1**t) if bias else s1
            v_hat = s2 / (1 - b2**t) if bias else s2
            if opt_name == "adam":
                w = w - lr * m_hat / (onp.sqrt(v_hat) + eps * math.sqrt(1 - b2**t))
            elif opt_name == "adamw":
                corr = math.sqrt(1 - b2**t) / (1 - b1**t) if bias else 1.0
                w = w - lr * corr * (s1 / (onp.sqrt(s2) + eps) + wd * w)
            else:
                step = m_hat / (onp.sqrt(v_hat) + eps) + wd * w
                r1 = onp.linalg.norm(w)
                if kw.get("lower_bound"):
                    r1 = max(r1, kw["lower_bound"])
                if kw.get("upper_bound"):
                    r1 = min(r1, kw["upper_bound"])
                r2 = onp.linalg.norm(step)
                w = w - lr * (r1 / r2 if r1 and r2 else 1.0) * step
        elif opt_name == "adamax":
            b1, b2 = kw.get("beta1", 0.9), kw.get("beta2", 0.999)
            g = _clip(g * rs + wd * w, cg)
            s1 = b1 * s1 + (1 - b1) * g
            s2 = onp.maximum(b2 * s2, onp.abs(g))
            w = w - lr / (1 - b1**t) * s1 / s2
        elif opt_name == "nadam":
            b1, b2, eps, sd = 0.9, 0.999, 1e-8, 0.004
            g = _clip(g * rs + wd * w, cg)
            mu_t = b1 * (1 - 0.5 * 0.96 ** (t * sd))
            mu_n = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * sd))
            m_schedule *= mu_t
            s1 = b1 * s1 + (1 - b1) * g
            s2 = b2 * s2 + (1 - b2) * g * g
            m_bar = (1 - mu_t) * g / (1 - m_schedule) + mu_n * s1 / (1 - m_schedule * mu_n)
            w = w - lr * m_bar / (onp.sqrt(s2 / (1 - b2**t)) + eps)
        elif opt_name == "adagrad":
            g = _clip(g * rs, cg)
            s1 = s1 + g * g
            w = w - lr * (g / onp.sqrt(s1 + 1e-7) + wd * w)
        elif opt_name == "adadelta":
            rho, eps = kw.get("rho", 0.9), kw.get("epsilon", 1e-5)
            g = _clip(g * rs, cg)
            s1 = rho * s1 + (1 - rho) * g * g
            step = onp.sqrt(s2 + eps) / onp.sqrt(s1 + eps) * g
            s2 = rho * s2 + (1 - rho) * step * step
            w = w - step - wd * w
        elif opt_name == "rmsprop":
            g1, g2, eps = kw.get("gamma1", 0.9), kw.get("gamma2", 0.9), kw.get("epsilon", 1e-8)
            g = _clip(g * rs + wd * w, cg)
            s1 = g1 * s1 + (1 - g1) * g * g
            if kw.get("centered"):
                s2 = g1 * s2 + (1 - g1) * g
                s3 = g2 * s3 - lr * g / onp.sqrt(s1 - s2 * s2 + eps)
                w = w + s3
            else:
                w = w - lr * g / onp.sqrt(s1 + eps)
            if kw.get("clip_weights"):
                w = onp.clip(w, -kw["clip_weights"], kw["clip_weights"])
        elif opt_name == "ftrl":
            l1, beta = kw.get("lamda1", 0.01), kw.get("beta", 1.0)
            g = _clip(g * rs, cg)
            # z and n (s1, s2): sigma = (sqrt(n + g^2) - sqrt(n)) / lr
            s1 = s1 + g - (onp.sqrt(s2 + g * g) - onp.sqrt(s2)) / lr * w
            s2 = s2 + g * g
            w = onp.where(onp.abs(s1) > l1, -(s1 - onp.sign(s1) * l1) / ((beta + onp.sqrt(s2)) / lr + wd), 0.0)
        elif opt_name == "signum":
            mu = kw.get("momentum", 0.9)
            if mu == 0:
                w = (1 - lr * wd) * w - lr * onp.sign(g)
            else:
                s1 = mu * s1 - (1 - mu) * (wd * w + _clip(g * rs, cg))
                w = (1 - lr * kw.get("wd_lh", 0.0)) * w + lr * onp.sign(s1)
        else:
            raise AssertionError(opt_name)
        out.append(w.copy())
    return onp.stack(out)


NUMPY_CASES = [c for c in CASES["OPTIMIZER_CASES"] if not c[3]] + [
    ("dcasgd_momentum", "dcasgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01, "lamda": 0.1}, {}),
    ("adamw_mom_free", "adamw", {"learning_rate": 0.05, "beta1": 0.5, "beta2": 0.8, "epsilon": 1e-3}, {}),
]


@pytest.mark.parametrize("case", NUMPY_CASES, ids=[c[0] for c in NUMPY_CASES])
def test_optimizer_matches_numpy_rule(case):
    name, opt_name, kwargs, extra = case
    got = _trajectory(opt_name, kwargs, extra)
    want = numpy_trajectory(opt_name, kwargs, W0, GRADS)
    onp.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lr_mult_wd_mult_and_idx2name(dtype):
    # lr_mult and wd_mult by index; by name through param_idx2name; names not
    # ending in _weight/_gamma get no weight decay.
    kw = {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.05, "param_idx2name": {1: "fc_weight", 2: "fc_bias"}}
    opt = mx.optimizer.SGD(**kw)
    opt.set_lr_mult({0: 0.5, "fc_weight": 2.0})
    opt.set_wd_mult({0: 3.0})
    assert opt._get_lr(0) == pytest.approx(0.05) and opt._get_wd(0) == pytest.approx(0.15)
    assert opt._get_lr(1) == pytest.approx(0.2) and opt._get_wd(1) == pytest.approx(0.05)
    assert opt._get_lr(2) == pytest.approx(0.1) and opt._get_wd(2) == 0.0
    for index, lr_mult, wd_mult in [(0, 0.5, 3.0), (1, 2.0, 1.0), (2, 1.0, 0.0)]:
        w = nd.array(W0, dtype=dtype)
        state = opt.create_state(index, w)
        assert state.dtype == w.dtype
        for g in GRADS:
            opt.update(index, w, nd.array(g, dtype=dtype), state)
        want = numpy_trajectory("sgd", kw, W0, GRADS, lr_mult=lr_mult, wd_mult=wd_mult)[-1]
        # (float64 weights see float32 hyper-parameters, as in MXNet)
        onp.testing.assert_allclose(w.asnumpy(), want, rtol=1e-5 if dtype == "float32" else 1e-6)


def test_update_counts_and_scheduler():
    sched = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=0.4)
    opt = mx.optimizer.SGD(lr_scheduler=sched, begin_num_update=3)
    assert opt.num_update == 3 and opt.learning_rate == pytest.approx(0.2)  # count 3 is past one step of 2
    with pytest.raises(UserWarning):
        opt.set_learning_rate(0.1)
    w, state = nd.array(W0), None
    for g in GRADS[:2]:
        opt.update(7, w, nd.array(g), state)
    assert opt._index_update_count[7] == 5 and opt.num_update == 5
    assert opt.learning_rate == pytest.approx(0.1)  # 0.4 * 0.5^2 once count 5 passes 2 + 2
    plain = mx.optimizer.SGD(learning_rate=0.3)
    plain.set_learning_rate(0.2)
    assert plain.learning_rate == 0.2
    # learning_rate= replaces the scheduler's base_lr
    s2 = mx.lr_scheduler.FactorScheduler(step=10, base_lr=1.0)
    mx.optimizer.SGD(learning_rate=0.7, lr_scheduler=s2)
    assert s2.base_lr == 0.7


def test_rescale_and_clip_reach_the_op():
    for opt_name in ["sgd", "adam", "rmsprop", "adagrad", "adamax", "nadam", "adadelta", "ftrl", "lamb"]:
        kw = {"rescale_grad": 0.25, "clip_gradient": 0.1, "wd": 0.02}
        got = _trajectory(opt_name, kw, {})
        want = numpy_trajectory(opt_name, kw, W0, GRADS)
        onp.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-6, err_msg=opt_name)


def test_updater_states_and_np_arrays():
    opt = mx.optimizer.create("Adam", learning_rate=0.01)
    updater = mx.optimizer.get_updater(opt)
    assert isinstance(updater, mx.optimizer.Updater)
    w_np, w_nd = mx.np.array(W0), nd.array(W0)
    for g in GRADS:
        updater(0, mx.np.array(g), w_np)
        updater([1], [nd.array(g)], [w_nd])
    onp.testing.assert_allclose(w_np.asnumpy(), REC["opt/adam"][-1] * 0 + w_nd.asnumpy(), rtol=0)
    want = numpy_trajectory("adam", {"learning_rate": 0.01}, W0, GRADS)[-1]
    onp.testing.assert_allclose(w_np.asnumpy(), want, rtol=2e-4)
    assert isinstance(w_np, mx.np.ndarray) and set(updater.states) == {0, 1}
    blob = updater.get_states(dump_optimizer=True)
    fresh = mx.optimizer.get_updater(mx.optimizer.create("adam"))
    fresh.set_states(blob)
    assert isinstance(fresh.optimizer, mx.optimizer.Adam) and fresh.optimizer.lr == 0.01
    onp.testing.assert_array_equal(fresh.states[0][1].asnumpy(), updater.states[0][1].asnumpy())
    # the restored updater continues exactly where the first one was
    g = nd.array(GRADS[0])
    a, b = w_nd.copy(), w_nd.copy()
    updater(1, g, a)
    fresh(1, g, b)
    onp.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    pickle.loads(pickle.dumps(opt))  # optimizers pickle (without param_dict), as in MXNet


def test_registry_and_custom_optimizer():
    assert mx.optimizer.create("SGD").__class__ is mx.optimizer.SGD
    assert mx.optimizer.Optimizer.create_optimizer("rMsProp").__class__ is mx.optimizer.RMSProp
    for name in ["sgd", "nag", "adam", "adamw", "adamax", "nadam", "adagrad", "adadelta", "rmsprop", "ftrl",
                 "signum", "lamb", "dcasgd", "sgld", "ccsgd", "test"]:  # fmt: skip
        assert name in mx.optimizer.Optimizer.opt_registry

    @mx.optimizer.register
    class HalfStep(mx.optimizer.Optimizer):
        def update(self, index, weight, grad, state):
            self._update_count(index)
            weight[:] = weight - 0.5 * self._get_lr(index) * grad

    opt = mx.optimizer.create("halfstep", learning_rate=0.2)
    assert isinstance(opt, HalfStep)
    w = nd.ones((2,))
    mx.optimizer.get_updater(opt)(0, nd.ones((2,)), w)
    onp.testing.assert_allclose(w.asnumpy(), [0.9, 0.9])
    with pytest.warns(UserWarning, match="overriding"):
        mx.optimizer.register(HalfStep)
    del mx.optimizer.Optimizer.opt_registry["halfstep"]


def test_sgld_noise():
    mx.random.seed(3)
    lr, n = 0.01, 20000
    w = nd.ones((n,))
    g = nd.full((n,), 2.0)
    mx.optimizer.SGLD(learning_rate=lr, wd=0.1).update(0, w, g, None)
    noise = w.asnumpy() - (1 - lr / 2 * (2.0 + 0.1))
    assert abs(noise.mean()) < 4 * math.sqrt(lr / n)
    assert noise.std() == pytest.approx(math.sqrt(lr), rel=0.03)


def test_ops_without_out_leave_the_weight():
    w, g, mom = nd.array(W0), nd.array(GRADS[0]), nd.zeros(W0.shape)
    new = nd.sgd_mom_update(w, g, mom, lr=0.1, momentum=0.9)
    onp.testing.assert_array_equal(w.asnumpy(), W0)  # weight untouched, mom updated in place
    onp.testing.assert_allclose(mom.asnumpy(), -0.1 * GRADS[0], rtol=1e-6)
    onp.testing.assert_allclose(new.asnumpy(), W0 - 0.1 * GRADS[0], rtol=1e-6)
    other = nd.zeros(W0.shape)
    assert nd.sgd_update(w, g, lr=0.5, out=other) is other
    onp.testing.assert_allclose(other.asnumpy(), W0 - 0.5 * GRADS[0], rtol=1e-6)
    # float64 arrays compute in float64
    w64 = nd.array(W0, dtype="float64")
    r = nd.adam_update(w64, nd.array(GRADS[0], dtype="float64"), nd.zeros(W0.shape, dtype="float64"),
                       nd.zeros(W0.shape, dtype="float64"), lr=0.01)  # fmt: skip
    assert r.dtype == onp.float64
    g64 = GRADS[0].astype("float64")
    f32 = lambda x: float(onp.float32(x))  # noqa: E731 - the hyper-parameters are float32, as in MXNet
    mean, var = (1 - f32(0.9)) * g64, (1 - f32(0.999)) * g64 * g64
    want = W0 - f32(0.01) * mean / (onp.sqrt(var) + f32(1e-8))
    onp.testing.assert_allclose(r.asnumpy(), want, rtol=1e-13)
    # lazy_update is accepted either way and changes nothing on dense arrays
    a = nd.sgd_update(w, g, lr=0.1, lazy_update=True).asnumpy()
    onp.testing.assert_array_equal(a, nd.sgd_update(w, g, lr=0.1, lazy_update=False).asnumpy())
    # adamw_update skips the update for a rescale_grad of 0, NaN or inf
    m, v = nd.zeros(W0.shape), nd.zeros(W0.shape)
    wc = w.copy()
    nd._optimizer._adamw_update(wc, g, m, v, rescale_grad=float("nan"), lr=0.1, eta=1.0, out=wc)
    onp.testing.assert_array_equal(wc.asnumpy(), W0)
    assert not m.asnumpy().any()


def test_op_errors():
    w, g = nd.array(W0), nd.array(GRADS[0])
    with pytest.raises(MXNetError, match="Required parameter lr .* sgd_update"):
        nd.sgd_update(w, g)
    with pytest.raises(MXNetError, match="Required parameter t .* lamb_update_phase1"):
        nd.lamb_update_phase1(w, g, nd.zeros(W0.shape), nd.zeros(W0.shape), wd=0.0)
    with pytest.raises(MXNetError, match="Cannot find argument 'foo'.*sgd_update"):
        nd.sgd_update(w, g, lr=0.1, foo=1)
    with pytest.raises(MXNetError, match="Invalid Parameter format for lr"):
        nd.sgd_update(w, g, lr="a")
    with pytest.raises(MXNetError, match="sgd_mom_update.*mom has shape"):
        nd.sgd_mom_update(w, g, nd.zeros((4,)), lr=0.1)
    with pytest.raises(TypeError, match="sgd_update.*grad has dtype float64"):
        nd.sgd_update(w, nd.array(GRADS[0], dtype="float64"), lr=0.1)
    with pytest.raises(TypeError, match="adam_update.*float32 or float64, got int32"):
        z = nd.zeros((2,), dtype="int32")
        nd.adam_update(z, z, z, z, lr=0.1)
    with pytest.raises(MXNetError, match="lamb_update_phase2.*r1 must hold one element"):
        nd.lamb_update_phase2(w, g, nd.ones((2,)), nd.ones((1,)), lr=0.1)
    with pytest.raises(MXNetError, match="sgd_update.*missing"):
        nd.sgd_update(w, None, lr=0.1)
    with pytest.raises(MXNetError, match="lazy_update"):
        nd.sgd_update(w, g, lr=0.1, lazy_update="yes")


def test_optimizer_errors_name_the_optimizer():
    with pytest.raises(ValueError, match="Cannot find optimizer nosuch"):
        mx.optimizer.create("nosuch")
    with pytest.raises(ValueError, match="SGD: momentum must be >= 0"):
        mx.optimizer.SGD(momentum=-0.5)
    with pytest.raises(ValueError, match="Adam: beta1 must be in"):
        mx.optimizer.create("adam", beta1=1.5)
    with pytest.raises(ValueError, match="RMSProp: epsilon must be >= 0"):
        mx.optimizer.RMSProp(epsilon=-1)
    with pytest.raises(ValueError, match="NAG: learning_rate must be a number"):
        mx.optimizer.NAG(learning_rate="fast")
    with pytest.raises(ValueError, match="SGD: lazy_update must be True or False"):
        mx.optimizer.SGD(lazy_update=None)
    with pytest.raises(TypeError, match="SGD.*unexpected keyword argument 'foo'"):
        mx.optimizer.SGD(foo=1)
    with pytest.raises(MXNetError, match="Adam: grad of shape"):
        opt = mx.optimizer.Adam()
        w = nd.array(W0)
        opt.update(0, w, nd.ones((2,)), opt.create_state(0, w))
    with pytest.raises(TypeError, match="SGD: weight must be an mx.nd.NDArray"):
        mx.optimizer.SGD().update(0, onp.ones(3), nd.ones(3), None)


@pytest.mark.parametrize("face", [nd, mx.np])
def test_training_loop_with_autograd(face):
    # the usual loop: gradients from backward, the update outside record
    w = face.array(W0)
    w.attach_grad()
    updater = mx.optimizer.get_updater(mx.optimizer.create("sgd", learning_rate=0.1, momentum=0.9))
    want = W0.astype("float64")
    mom = onp.zeros_like(want)
    for _ in range(3):
        with mx.autograd.record():
            loss = (w * w).sum()
        loss.backward()
        updater(0, w.grad, w)
        mom = 0.9 * mom - 0.1 * 2 * want
        want = want + mom
    onp.testing.assert_allclose(w.asnumpy(), want, rtol=1e-5)
    # inside record, updating an attached weight in place is refused, as in MXNet
    with mx.autograd.record():
        with pytest.raises(MXNetError, match="sgd_mom_update.*already in a computational graph"):
            updater(0, w.grad, w)
        with pytest.raises(MXNetError, match="sgd_update.*already in a computational graph"):
            nd.sgd_update(w, w.grad, lr=0.1, out=w)
