"""The d2l book's MXNet edition (the `d2l` package 0.17.6, ``from d2l import mxnet as d2l``):
its helpers from the chapters on linear networks, MLPs and optimization run on small
synthetic data in numpy mode, and the same chapter flows written for the legacy ``nd``
face (these need no d2l). The d2l tests skip when d2l is not installed (CI installs it:
.ci/run)."""

import importlib
import importlib.util

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, gluon, init, nd, np, npx
from mxnet.gluon import nn


def _load_d2l():
    """d2l's mxnet module, or None and why it cannot load."""
    if importlib.util.find_spec("d2l") is None:
        return None, "d2l is not installed (pip install --no-deps d2l==0.17.6)"
    # d2l's mxnet module imports these at its top; until they exist the module cannot load.
    for module in ("mxnet.image", "mxnet.gluon.rnn", "mxnet.gluon.data.vision"):
        try:
            importlib.import_module(module)
        except ImportError:
            return None, f"d2l needs {module}, which mxlite does not have yet"
    import matplotlib

    matplotlib.use("Agg")
    return importlib.import_module("d2l.mxnet"), None


D2L, D2L_MISSING = _load_d2l()


@pytest.fixture
def d2l():
    """The d2l module in numpy mode (what the book's MXNet edition runs in)."""
    if D2L is None:
        pytest.skip(D2L_MISSING)
    npx.set_np()
    mx.random.seed(0)
    onp.random.seed(0)
    yield D2L
    npx.reset_np()
    D2L.plt.close("all")


def _classes(n, num_classes=3, dim=6, seed=0):
    """Separable blobs: (float32 features, int32 labels) as NumPy arrays."""
    rs = onp.random.RandomState(seed)
    centers = rs.randn(num_classes, dim) * 3
    y = rs.randint(0, num_classes, n)
    return (centers[y] + rs.randn(n, dim) * 0.3).astype("float32"), y.astype("int32")


# ---- numpy mode: the d2l helpers themselves ---------------------------------------
def test_linear_regression_from_scratch_with_d2l_helpers(d2l):
    true_w, true_b = d2l.tensor([2, -3.4]), 4.2
    features, labels = d2l.synthetic_data(true_w, true_b, 1000)
    assert features.shape == (1000, 2) and labels.shape == (1000, 1)
    assert isinstance(features, np.ndarray)
    w = np.random.normal(0, 0.01, (2, 1))
    b = np.zeros(1)
    w.attach_grad()
    b.attach_grad()
    for _ in range(3):
        for X, y in d2l.load_array((features, labels), 10):
            with autograd.record():
                loss = d2l.squared_loss(d2l.linreg(X, w, b), y)
            loss.backward()
            d2l.sgd([w, b], 0.03, 10)
    assert onp.allclose(w.asnumpy().ravel(), [2, -3.4], atol=0.02)
    assert abs(float(b) - 4.2) < 0.02
    final = d2l.squared_loss(d2l.linreg(features, w, b), labels).mean()
    assert float(final) < 1e-3


def test_load_array_batches_and_shuffles(d2l):
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    batches = list(d2l.load_array((X, y), 4, is_train=False))
    assert [b[0].shape for b in batches] == [(4, 2), (4, 2), (2, 2)]
    assert batches[0][1].asnumpy().tolist() == [0, 1, 2, 3]
    shuffled = onp.concatenate([b[1].asnumpy() for b in d2l.load_array((X, y), 4)])
    assert sorted(shuffled.tolist()) == list(range(10))


def test_accumulator_timer_and_accuracy(d2l):
    acc = d2l.Accumulator(2)
    acc.add(np.array(1.5), 2)
    acc.add(3, np.array([4.0]).sum())
    assert acc[0] == 4.5 and acc[1] == 6.0
    acc.reset()
    assert acc.data == [0.0, 0.0]
    timer = d2l.Timer()
    timer.stop()
    timer.start()
    timer.stop()
    assert len(timer.times) == 2 and timer.sum() >= 0 and len(timer.cumsum()) == 2
    y_hat = np.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    assert d2l.accuracy(y_hat, np.array([0, 2])) == 1.0


def test_animator_plots_with_agg(d2l, capsys):
    animator = d2l.Animator(xlabel="epoch", xlim=[1, 3], legend=["a", "b"])
    for epoch in range(1, 4):
        animator.add(epoch, (np.array(1.0 / epoch), float(epoch)))
    assert animator.X[0] == [1, 2, 3] and animator.Y[1] == [1.0, 2.0, 3.0]
    assert len(animator.axes[0].get_lines()) == 2
    d2l.plot(np.arange(5.0), [np.arange(5.0) ** 2], legend=["x^2"])  # arrays go to matplotlib


def test_softmax_train_epoch_and_evaluate_accuracy(d2l):
    X, y = _classes(240)
    train_iter = d2l.load_array((np.array(X), np.array(y)), 32)
    net = nn.Sequential()
    net.add(nn.Dense(3))
    net.initialize(init.Normal(sigma=0.01))
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    before = d2l.evaluate_accuracy(net, train_iter)
    for _ in range(3):
        train_loss, train_acc = d2l.train_epoch_ch3(net, train_iter, loss, trainer)
    assert train_loss < 0.3 and train_acc > 0.95
    assert d2l.evaluate_accuracy(net, train_iter) > 0.95 > before


def test_train_ch3_with_scratch_updater(d2l, capsys):
    X, y = _classes(300, num_classes=4, seed=1)
    train_iter = d2l.load_array((np.array(X), np.array(y)), 50)
    test_iter = d2l.load_array((np.array(X[:100]), np.array(y[:100])), 50, is_train=False)
    W = np.random.normal(0, 0.01, (6, 4))
    b = np.zeros(4)
    W.attach_grad()
    b.attach_grad()

    def net(X):
        return _softmax(np.dot(X, W) + b)

    def cross_entropy(y_hat, y):
        return -np.log(y_hat[range(len(y_hat)), y])

    d2l.train_ch3(net, train_iter, test_iter, cross_entropy, 4, lambda n: d2l.sgd([W, b], 0.5, n))
    assert d2l.evaluate_accuracy(net, test_iter) > 0.9


def _softmax(X):
    X_exp = np.exp(X)
    return X_exp / X_exp.sum(1, keepdims=True)


def _ch11_data(d2l):
    rs = onp.random.RandomState(3)
    X = rs.randn(400, 5).astype("float32")
    y = (X @ onp.array([0.5, -0.2, 0.1, 0.3, 0.0], "float32") + 0.1 * rs.randn(400)).astype("float32")
    return d2l.load_array((np.array(X), np.array(y)), 10)


def test_train_ch11_scratch_optimizers(d2l, capsys):
    data_iter = _ch11_data(d2l)

    def sgd(params, states, hyperparams):
        for p in params:
            p[:] -= hyperparams["lr"] * p.grad

    def init_adam_states(feature_dim):
        v_w, v_b = d2l.zeros((feature_dim, 1)), d2l.zeros(1)
        s_w, s_b = d2l.zeros((feature_dim, 1)), d2l.zeros(1)
        return ((v_w, s_w), (v_b, s_b))

    def adam(params, states, hyperparams):
        beta1, beta2, eps = 0.9, 0.999, 1e-6
        for p, (v, s) in zip(params, states):
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * np.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyperparams["t"])
            s_bias_corr = s / (1 - beta2 ** hyperparams["t"])
            p[:] -= hyperparams["lr"] * v_bias_corr / (np.sqrt(s_bias_corr) + eps)
        hyperparams["t"] += 1

    times, losses = d2l.train_ch11(sgd, None, {"lr": 0.05}, data_iter, 5, num_epochs=2)
    assert len(losses) == 4 and losses[-1] < 0.02  # noise variance 0.01, squared_loss halves
    times, losses = d2l.train_ch11(adam, init_adam_states(5), {"lr": 0.01, "t": 1}, data_iter, 5)
    assert losses[-1] < 0.05
    assert capsys.readouterr().out.count("sec/epoch") == 2


@pytest.mark.parametrize(
    "name, hyperparams",
    [
        ("sgd", {"learning_rate": 0.05}),
        ("sgd", {"learning_rate": 0.005, "momentum": 0.9}),
        ("adagrad", {"learning_rate": 0.1}),
        ("rmsprop", {"learning_rate": 0.01, "gamma1": 0.9}),
        ("adadelta", {"rho": 0.9}),
        ("adam", {"learning_rate": 0.01}),
    ],
)
def test_train_concise_ch11(d2l, capsys, name, hyperparams):
    d2l.train_concise_ch11(name, hyperparams, _ch11_data(d2l), num_epochs=2)
    out = capsys.readouterr().out
    loss = float(out.split("loss: ")[1].split(",")[0])
    assert loss < (0.2 if name == "adadelta" else 0.02)


def test_weight_decay_and_dropout_blocks(d2l):
    X, y = _classes(200, seed=2)
    net = nn.Sequential()
    net.add(nn.Dense(16, activation="relu"), nn.Dropout(0.5), nn.Dense(3))
    net.initialize(init.Normal(sigma=0.1))
    net.collect_params(".*bias").setattr("wd_mult", 0)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "wd": 1e-3})
    it = d2l.load_array((np.array(X), np.array(y)), 20)
    for _ in range(5):
        d2l.train_epoch_ch3(net, it, gluon.loss.SoftmaxCrossEntropyLoss(), trainer)
    assert d2l.evaluate_accuracy(net, it) > 0.95
    out = net(np.array(X[:4]))
    assert onp.allclose(out.asnumpy(), net(np.array(X[:4])).asnumpy())  # dropout is off outside record


# ---- legacy mode: the chapter flows on the nd face ----------------------------------
@pytest.fixture
def legacy():
    assert not mx.util.is_np_array()
    mx.random.seed(0)
    yield


def test_legacy_linear_regression_scratch_and_concise(legacy):
    true_w = nd.array([2, -3.4])
    X = nd.random.normal(0, 1, (1000, 2))
    y = nd.dot(X, true_w) + 4.2 + nd.random.normal(0, 0.01, (1000,))
    y = y.reshape((-1, 1))
    w, b = nd.random.normal(0, 0.01, (2, 1)), nd.zeros(1)
    w.attach_grad()
    b.attach_grad()
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(X, y), 10, shuffle=True)
    for _ in range(3):
        for Xb, yb in loader:
            assert isinstance(Xb, nd.NDArray)
            with autograd.record():
                loss = (nd.dot(Xb, w) + b - yb.reshape((-1, 1))) ** 2 / 2
            loss.backward()
            for p in (w, b):
                p[:] = p - 0.03 * p.grad / 10
    assert onp.allclose(w.asnumpy().ravel(), [2, -3.4], atol=0.02)

    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.03})
    l2 = gluon.loss.L2Loss()
    for _ in range(3):
        for Xb, yb in loader:
            with autograd.record():
                loss = l2(net(Xb), yb)
            loss.backward()
            trainer.step(10)
    assert onp.allclose(net[0].weight.data().asnumpy().ravel(), [2, -3.4], atol=0.02)
    assert abs(net[0].bias.data().asscalar() - 4.2) < 0.02


def test_legacy_softmax_and_mlp(legacy):
    X, y = _classes(240)
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(nd.array(X), nd.array(y)), 32, shuffle=True)
    W, b = nd.random.normal(0, 0.01, (6, 3)), nd.zeros(3)
    W.attach_grad()
    b.attach_grad()
    for _ in range(5):
        for Xb, yb in loader:
            with autograd.record():
                y_hat = nd.softmax(nd.dot(Xb, W) + b)
                loss = -nd.log(nd.pick(y_hat, yb))
            loss.backward()
            for p in (W, b):
                p[:] = p - 0.1 * p.grad / Xb.shape[0]
    pred = nd.dot(nd.array(X), W) + b
    assert (pred.argmax(axis=1).asnumpy() == y).mean() > 0.95

    net = nn.Sequential()
    net.add(nn.Dense(32, activation="relu"), nn.Dropout(0.2), nn.Dense(3))
    net.initialize(init.Normal(sigma=0.01))
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    ce = gluon.loss.SoftmaxCrossEntropyLoss()
    metric = mx.metric.Accuracy()
    for _ in range(10):
        for Xb, yb in loader:
            with autograd.record():
                loss = ce(net(Xb), yb)
            loss.backward()
            trainer.step(Xb.shape[0])
    metric.update([nd.array(y)], [net(nd.array(X))])
    assert metric.get()[1] > 0.95


def test_legacy_model_construction_parameters_custom_layers_and_read_write(legacy, tmp_path):
    class MLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nn.Dense(8, activation="relu")
            self.output = nn.Dense(2)

        def forward(self, X):
            return self.output(self.hidden(X))

    class CenteredLayer(nn.Block):
        def forward(self, X):
            return X - X.mean()

    class MyDense(nn.Block):
        def __init__(self, units, in_units, **kwargs):
            super().__init__(**kwargs)
            self.weight = self.params.get("weight", shape=(in_units, units))
            self.bias = self.params.get("bias", shape=(units,))

        def forward(self, x):
            return nd.relu(nd.dot(x, self.weight.data()) + self.bias.data())

    net = nn.Sequential()
    net.add(MLP(), CenteredLayer(), MyDense(3, in_units=2))
    net.initialize()
    X = nd.random.uniform(shape=(4, 5))
    out = net(X)
    assert isinstance(out, nd.NDArray) and out.shape == (4, 3)
    assert net[0].hidden.weight.shape == (8, 5)  # deferred init filled the shape
    names = list(net.collect_params().keys())
    assert len(names) == 6 and names[-2].endswith("weight") and names[-1].endswith("bias")
    net[0].hidden.weight.set_data(nd.ones((8, 5)))
    # As in MXNet 1.9.1: through a ParameterDict, a bias takes the initializer's bias rule
    # (zeros); on the Parameter itself, the given initializer.
    net.collect_params(".*bias").initialize(init.Constant(1), force_reinit=True)
    assert net[0].output.bias.data().asnumpy().tolist() == [0.0, 0.0]
    net[0].output.bias.initialize(init.Constant(1), force_reinit=True)
    assert net[0].output.bias.data().asnumpy().tolist() == [1.0, 1.0]
    assert abs(CenteredLayer()(nd.array([1, 2, 3, 4, 5])).sum().asscalar()) < 1e-6

    nd.save(str(tmp_path / "x"), [X, nd.zeros(3)])
    X2, z = nd.load(str(tmp_path / "x"))
    assert (X2 == X).min().asscalar() == 1 and z.shape == (3,)
    nd.save(str(tmp_path / "d"), {"x": X})
    assert list(nd.load(str(tmp_path / "d"))) == ["x"]
    net.save_parameters(str(tmp_path / "mlp.params"))
    clone = nn.Sequential()
    clone.add(MLP(), CenteredLayer(), MyDense(3, in_units=2))
    clone.load_parameters(str(tmp_path / "mlp.params"))
    assert onp.allclose(clone(X).asnumpy(), net(X).asnumpy())


def test_legacy_optimizers_and_lr_scheduler(legacy):
    rs = onp.random.RandomState(3)
    X = rs.randn(200, 5).astype("float32")
    y = (X @ onp.array([0.5, -0.2, 0.1, 0.3, 0.0], "float32")).astype("float32")
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(nd.array(X), nd.array(y)), 10, shuffle=True)
    for name, hp in [
        ("sgd", {"learning_rate": 0.005, "momentum": 0.9}),
        ("adagrad", {"learning_rate": 0.1}),
        ("rmsprop", {"learning_rate": 0.01, "gamma1": 0.9}),
        ("adam", {"learning_rate": 0.01}),
    ]:
        net = nn.Sequential()
        net.add(nn.Dense(1))
        net.initialize(init.Normal(sigma=0.01))
        trainer = gluon.Trainer(net.collect_params(), name, hp)
        for _ in range(3):
            for Xb, yb in loader:
                with autograd.record():
                    loss = gluon.loss.L2Loss()(net(Xb), yb)
                loss.backward()
                trainer.step(Xb.shape[0])
        final = gluon.loss.L2Loss()(net(nd.array(X)), nd.array(y)).mean().asscalar()
        assert final < 0.01, name

    scheduler = mx.lr_scheduler.FactorScheduler(step=2, factor=0.5, base_lr=0.4)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"lr_scheduler": scheduler})
    assert [scheduler(t) for t in range(8)] == pytest.approx([0.4, 0.4, 0.4, 0.2, 0.2, 0.1, 0.1, 0.05])
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.3})
    trainer.set_learning_rate(0.1)
    assert trainer.learning_rate == 0.1
