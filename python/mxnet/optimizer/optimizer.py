"""Weight-update rules (MXNet 1.9.1's ``mx.optimizer``): the Optimizer base
class with its learning-rate and weight-decay bookkeeping, the registry,
the optimizers, and the Updater that keeps one state per weight index.

An optimizer updates one weight at a time, in place:
``opt.update(index, weight, grad, state)`` with ``state`` from
``opt.create_state(index, weight)``. Where MXNet's optimizer calls a fused
update op (``sgd_update``, ``adam_update``, ...) this one calls the same op
of the engine (``mxnet.ndarray``), so the arithmetic matches MXNet's; the
optimizers MXNet writes in Python array math (AdaGrad, AdaDelta, Adamax,
Nadam, DCASGD, SGLD) compose the same whole-array operations here.

Weights and gradients may be ``mx.nd.NDArray`` or ``mx.np.ndarray``; the
latter are updated through an ``nd`` view of the same memory, and states are
``nd`` arrays, as MXNet's Updater makes them. With ``multi_precision=True``
a float16 weight gets a float32 master copy in its state: the update runs on
the master copy with the gradient cast to float32 and the weight receives the
master rounded to float16 (MXNet's ``update_multi_precision``); without it a
float16 weight is updated in float16 (with MXNet's warning). Differences from
MXNet 1.9.1: ``aggregate_num`` is 0, so updates are never batched
into MXNet's multi-tensor ops (the results are those of the per-weight ops);
``sym=`` (a Symbol) is not supported; AdaDelta does not scale the caller's
gradient in place; and AdamW, which MXNet 1.9.1's ``mx.optimizer`` lacks, is
MXNet 2.0's (``correct_bias``, the fused ``adamw_update``).
"""

import math
import pickle
import warnings

import numpy

from .. import ndarray as nd
from .. import _core
from ..base import MXNetError, NotSupportedError
from ..util import is_np_array

__all__ = [
    "AdaDelta", "AdaGrad", "Adam", "AdamW", "Adamax", "DCASGD", "Ftrl", "LAMB", "NAG", "Nadam", "Optimizer",
    "RMSProp", "SGD", "SGLD", "Signum", "Test", "Updater", "ccSGD", "create", "get_updater", "register",
]  # fmt: skip


_NDArray = _core.NDArray  # mx.nd.NDArray


def _as_nd(array, owner, what):
    """``array`` as an ``nd.NDArray`` (an np.ndarray through a view of the same memory)."""
    if isinstance(array, _NDArray):
        return array
    if isinstance(array, _core.ndarray):
        return array.as_nd_ndarray()
    raise TypeError(f"{owner}: {what} must be an mx.nd.NDArray or mx.np.ndarray, got {type(array).__name__}")


def _check_number(owner, name, value, low=None, high=None, allow_none=False):
    """Raises ValueError naming the optimizer unless ``value`` is a real
    number in [low, high) (either bound optional; None passes when ``allow_none``)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, numpy.integer, numpy.floating)):
        raise ValueError(f"{owner}: {name} must be a number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value >= high) or value != value:
        if high is None:
            allowed = f">= {low}" if low is not None else "a number"
        else:
            allowed = f"in [{low}, {high})" if low is not None else f"< {high}"
        raise ValueError(f"{owner}: {name} must be {allowed}, got {value!r}")


def _fused(op, arrays, weight, lr, wd, rescale_grad, clip_gradient, **hyper):
    """The engine's fused update ``op`` written into ``weight``, with every
    hyper-parameter given (as nd.<op> fills in its defaults; clip_gradient
    None or 0 is off, -1). The optimizers validated their own arguments, so
    this skips nd.<op>'s keyword checks."""
    params = {
        "lr": float(lr), "wd": float(wd), "rescale_grad": float(rescale_grad),
        "clip_gradient": float(clip_gradient) if clip_gradient else -1.0,
    }  # fmt: skip
    for key, value in hyper.items():
        params[key] = float(value)
    _core.nd.optimizer_update(op, arrays, params, weight)


def _zeros_like(weight, dtype=None):
    return nd.zeros(weight.shape, weight.context, dtype=weight.dtype if dtype is None else dtype)


class Optimizer:
    """The base class of the optimizers.

    Parameters (MXNet's): ``rescale_grad`` (gradients are multiplied by it
    first, often 1 / batch_size), ``param_idx2name`` (index -> name; weight
    decay is then 0 for names not ending in ``_weight`` or ``_gamma``),
    ``wd`` (weight decay), ``clip_gradient`` (clip the rescaled gradient to
    [-clip_gradient, clip_gradient]; None or 0 for none), ``learning_rate``
    (default 0.01 unless ``lr_scheduler`` gives it; given both, it replaces
    the scheduler's ``base_lr``), ``lr_scheduler``, ``begin_num_update``,
    ``multi_precision`` (float32 master copies of float16 weights), ``param_dict`` (index -> an object with
    ``lr_mult`` and ``wd_mult``, such as a Gluon Parameter).
    """

    opt_registry = {}

    def __init__(self, rescale_grad=1.0, param_idx2name=None, wd=0.0, clip_gradient=None, learning_rate=None,
                 lr_scheduler=None, sym=None, begin_num_update=0, multi_precision=False, param_dict=None,
                 **unknown):  # fmt: skip
        owner = type(self).__name__
        if unknown:
            raise TypeError(f"{owner}.__init__() got an unexpected keyword argument '{sorted(unknown)[0]}'")
        _check_number(owner, "rescale_grad", rescale_grad)
        _check_number(owner, "wd", wd)
        _check_number(owner, "clip_gradient", clip_gradient, low=0, allow_none=True)
        _check_number(owner, "learning_rate", learning_rate, allow_none=True)
        if not isinstance(begin_num_update, (int, numpy.integer)) or isinstance(begin_num_update, bool):
            raise ValueError(f"{owner}: begin_num_update must be an int, got {begin_num_update!r}")
        if not isinstance(multi_precision, (bool, numpy.bool_)):
            raise ValueError(f"{owner}: multi_precision must be True or False, got {multi_precision!r}")
        if sym is not None:
            raise NotSupportedError(f"{owner}: argument 'sym' is not supported by mxlite (it has no Symbol)")
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise ValueError(f"{owner}: param_idx2name should be a dict of param indexes to names")
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None and lr_scheduler.base_lr != learning_rate:
            print(
                UserWarning(
                    "learning rate from ``lr_scheduler`` has been overwritten by ``learning_rate`` in optimizer."
                )
            )
            lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult = {}
        self.wd_mult = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        self.idx2name = param_idx2name.copy()
        self.sym_info = ()
        self.param_dict = param_dict if param_dict else {}
        self.allow_np_array = is_np_array()
        self.set_lr_mult({})
        self.set_wd_mult({})

    # ---- the registry ---------------------------------------------------------
    @staticmethod
    def register(klass):
        """Registers an Optimizer subclass under its lower-case class name (a
        class decorator); a name registered again is replaced, with a warning."""
        if not isinstance(klass, type):
            raise TypeError(f"Optimizer.register: expected a class, got {klass!r}")
        name = klass.__name__.lower()
        if name in Optimizer.opt_registry:
            old = Optimizer.opt_registry[name]
            warnings.warn(
                f"WARNING: New optimizer {klass.__module__}.{klass.__name__} is overriding existing optimizer "
                f"{old.__module__}.{old.__name__}",
                stacklevel=2,
            )
        Optimizer.opt_registry[name] = klass
        return klass

    @staticmethod
    def create_optimizer(name, **kwargs):
        """A new optimizer of the registered class ``name`` (case-insensitive)."""
        if not isinstance(name, str):
            raise TypeError(f"create_optimizer: the optimizer name must be a string, got {name!r}")
        klass = Optimizer.opt_registry.get(name.lower())
        if klass is None:
            raise ValueError(f"Cannot find optimizer {name}")
        return klass(**kwargs)

    # ---- learning rate and weight decay ------------------------------------------
    @property
    def learning_rate(self):
        """The current learning rate (the scheduler's at num_update, if any)."""
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def set_learning_rate(self, lr):
        """Sets the learning rate; raises UserWarning when a scheduler sets it."""
        if self.lr_scheduler is not None:
            raise UserWarning(
                "LRScheduler of the optimizer has already been defined. Note that set_learning_rate can mutate "
                "the value of the learning rate of the optimizer only when the LRScheduler of the optimizer is "
                "undefined."
            )
        self.lr = lr

    def set_lr_scale(self, args_lrscale):
        """[DEPRECATED] Use set_lr_mult."""
        raise DeprecationWarning

    def set_lr_mult(self, args_lr_mult):
        """Per-parameter learning-rate multipliers: {name or index: mult}
        (replaces earlier ones)."""
        self.lr_mult = dict(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Per-parameter weight-decay multipliers: {name or index: mult}. With
        ``param_idx2name``, names not ending in ``_weight`` or ``_gamma`` get 0
        unless given here."""
        self.wd_mult = {n: 0.0 for n in self.idx2name.values() if not (n.endswith("_weight") or n.endswith("_gamma"))}
        self.wd_mult.update(args_wd_mult)

    def _set_current_context(self, device_id):
        """Update counts are kept per device (MXNet's kvstore devices)."""
        self._index_update_count = self._all_index_update_counts.setdefault(device_id, {})

    def _update_count(self, index):
        """Counts one more update of ``index`` (or each index of a list)."""
        counts = self._index_update_count
        for idx in index if isinstance(index, (list, tuple)) else (index,):
            count = counts.get(idx, self.begin_num_update) + 1
            counts[idx] = count
            if count > self.num_update:
                self.num_update = count

    def _mult(self, index, mults, attr):
        if index in self.param_dict:
            return getattr(self.param_dict[index], attr)
        if index in mults:
            return mults[index]
        if index in self.idx2name:
            return mults.get(self.idx2name[index], 1.0)
        return 1.0

    def _get_lrs(self, indices):
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        return [lr * self._mult(i, self.lr_mult, "lr_mult") for i in indices]

    def _get_lr(self, index):
        return self._get_lrs([index])[0]

    def _get_wds(self, indices):
        return [self.wd * self._mult(i, self.wd_mult, "wd_mult") for i in indices]

    def _get_wd(self, index):
        return self._get_wds([index])[0]

    # ---- states and updates ----------------------------------------------------------
    def create_state(self, index, weight):
        """The auxiliary state of one weight (None when the optimizer keeps none)."""
        return None

    def create_state_multi_precision(self, index, weight):
        """The state of one weight; for a float16 weight with multi_precision
        on, ``(float32 master copy, create_state(master copy))``."""
        if weight.dtype == numpy.float16:
            if self.multi_precision:
                master = weight.astype(numpy.float32)
                return (master, self.create_state(index, master))
            _warn_float16(type(self).__name__)
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Updates ``weight`` in place from ``grad`` and ``state``."""
        raise NotImplementedError()

    def update_multi_precision(self, index, weight, grad, state):
        """update; for a float16 weight with multi_precision on, the update of
        the float32 master copy (gradient cast to float32), rounded into the weight."""
        if self.multi_precision and weight.dtype == numpy.float16:
            master, inner = state
            self.update(index, master, grad.astype(numpy.float32), inner)
            nd.cast(master, dtype=weight.dtype, out=weight)
        else:
            self.update(index, weight, grad, state)

    def _begin(self, index, weight, grad):
        """The common start of an update: the arrays as nd, the count, lr and wd."""
        owner = type(self).__name__
        weight, grad = _as_nd(weight, owner, "weight"), _as_nd(grad, owner, "grad")
        if weight.shape != grad.shape:
            raise MXNetError(f"{owner}: grad of shape {grad.shape} does not match weight of shape {weight.shape}")
        self._update_count(index)
        return weight, grad, self._get_lr(index), self._get_wd(index)

    def _clip_kwargs(self, kwargs):
        if self.clip_gradient:
            kwargs["clip_gradient"] = self.clip_gradient
        return kwargs

    def _clipped(self, grad):
        """rescale_grad * grad, clipped when clip_gradient is set."""
        grad = grad * self.rescale_grad
        if self.clip_gradient is not None:
            grad = nd.clip(grad, -self.clip_gradient, self.clip_gradient)
        return grad

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("param_dict", None)
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


def _warn_float16(owner):
    warnings.warn(
        "Accumulating with float16 in optimizer can lead to poor accuracy or slow convergence. "
        f"Consider using multi_precision=True option of the {owner} optimizer",
        stacklevel=3,
    )


register = Optimizer.register
create = Optimizer.create_optimizer


def _states(owner, index, weight, *dtypes):
    weight = _as_nd(weight, owner, "weight")
    return tuple(_zeros_like(weight, dt) for dt in dtypes)


@register
class SGD(Optimizer):
    """SGD with momentum and weight decay (the fused sgd_update /
    sgd_mom_update): state = momentum state - lr (rescaled grad + wd weight);
    weight += state. ``lazy_update`` only matters to row_sparse gradients in
    MXNet; with mxlite's dense arrays it changes nothing."""

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        _check_number("SGD", "momentum", momentum, low=0)
        if not isinstance(lazy_update, bool):
            raise ValueError(f"SGD: lazy_update must be True or False, got {lazy_update!r}")
        self.momentum = momentum
        self.lazy_update = lazy_update

    def create_state(self, index, weight):
        return _states("SGD", index, weight, None)[0] if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state):
        if isinstance(index, (list, tuple)):
            for i, w, g, s in zip(index, weight, grad, state):
                self.update(i, w, g, s)
            return
        weight, grad, lr, wd = self._begin(index, weight, grad)
        if state is not None:
            _fused("sgd_mom_update", [weight, grad, state], weight, lr, wd, self.rescale_grad, self.clip_gradient,
                   momentum=self.momentum if self.momentum > 0 else 0.0)  # fmt: skip
        elif self.momentum > 0:  # no state to keep the momentum in: sgd_update refuses it
            nd.sgd_update(weight, grad, out=weight, lr=lr, wd=wd, momentum=self.momentum)
        else:
            _fused("sgd_update", [weight, grad], weight, lr, wd, self.rescale_grad, self.clip_gradient)


@register
class ccSGD(SGD):  # noqa: N801 - MXNet's name
    """[DEPRECATED] The same as SGD."""


@register
class NAG(Optimizer):
    """Nesterov accelerated gradient (the fused nag_mom_update; sgd_update
    when momentum is 0)."""

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        _check_number("NAG", "momentum", momentum, low=0)
        self.momentum = momentum

    def create_state(self, index, weight):
        return _states("NAG", index, weight, None)[0] if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        kwargs = self._clip_kwargs({"rescale_grad": self.rescale_grad})
        if self.momentum > 0:
            kwargs["momentum"] = self.momentum
        if state is not None:
            nd.nag_mom_update(weight, grad, state, out=weight, lr=lr, wd=wd, **kwargs)
        else:
            nd.sgd_update(weight, grad, out=weight, lr=lr, wd=wd, **kwargs)


@register
class Signum(Optimizer):
    """Signum (signum_update), or signSGD (signsgd_update) when momentum is
    0; ``wd_lh`` is the decoupled weight decay of Loshchilov and Hutter."""

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_number("Signum", "momentum", momentum, low=0, high=1)
        _check_number("Signum", "wd_lh", wd_lh)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight):
        return _states("Signum", index, weight, None)[0] if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        kwargs = self._clip_kwargs({"rescale_grad": self.rescale_grad})
        if self.momentum > 0:
            kwargs["momentum"] = self.momentum
        if self.wd_lh:
            kwargs["wd_lh"] = self.wd_lh
        if state is not None:
            nd.signum_update(weight, grad, state, out=weight, lr=lr, wd=wd, **kwargs)
        else:
            kwargs.pop("wd_lh", None)
            nd.signsgd_update(weight, grad, out=weight, lr=lr, wd=wd, **kwargs)


def _check_betas(owner, beta1, beta2, epsilon):
    _check_number(owner, "beta1", beta1, low=0, high=1)
    _check_number(owner, "beta2", beta2, low=0, high=1)
    _check_number(owner, "epsilon", epsilon, low=0)


@register
class Adam(Optimizer):
    """Adam (adam_update), the bias correction folded into the learning rate:
    lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_betas("Adam", beta1, beta2, epsilon)
        if not isinstance(lazy_update, bool):
            raise ValueError(f"Adam: lazy_update must be True or False, got {lazy_update!r}")
        self.beta1, self.beta2, self.epsilon, self.lazy_update = beta1, beta2, epsilon, lazy_update

    def create_state(self, index, weight):
        return _states("Adam", index, weight, None, None)  # mean, variance

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        t = self._index_update_count[index]
        lr *= math.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)
        mean, var = state
        _fused("adam_update", [weight, grad, mean, var], weight, lr, wd, self.rescale_grad, self.clip_gradient,
               beta1=self.beta1, beta2=self.beta2, epsilon=self.epsilon)  # fmt: skip


@register
class AdamW(Optimizer):
    """AdamW (Loshchilov and Hutter), as MXNet 2.0's: the weight decay is
    decoupled from the gradient, w -= eta (m / (sqrt(v) + epsilon) + wd w)
    with eta the learning rate, bias-corrected when ``correct_bias``
    (the fused adamw_update with lr=1)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6, correct_bias=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_betas("AdamW", beta1, beta2, epsilon)
        self.beta1, self.beta2, self.epsilon, self.correct_bias = beta1, beta2, epsilon, bool(correct_bias)

    def create_state(self, index, weight):
        return _states("AdamW", index, weight, None, None)

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        t = self._index_update_count[index]
        if self.correct_bias:
            lr *= math.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)
        kwargs = {"beta1": self.beta1, "beta2": self.beta2, "epsilon": self.epsilon}
        mean, var = state
        nd._optimizer._adamw_update(
            weight, grad, mean, var, out=weight, rescale_grad=self.rescale_grad, lr=1.0, eta=lr, wd=wd,
            **self._clip_kwargs(kwargs),
        )  # fmt: skip


@register
class LAMB(Optimizer):
    """LAMB (You et al.): an Adam step g (lamb_update_phase1), then
    w -= lr (||w|| / ||g||) g (lamb_update_phase2), ||w|| limited to
    [lower_bound, upper_bound] when given."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6, lower_bound=None,
                 upper_bound=None, bias_correction=True, **kwargs):  # fmt: skip
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_betas("LAMB", beta1, beta2, epsilon)
        _check_number("LAMB", "lower_bound", lower_bound, allow_none=True)
        _check_number("LAMB", "upper_bound", upper_bound, allow_none=True)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.lower_bound, self.upper_bound, self.bias_correction = lower_bound, upper_bound, bias_correction

    def create_state(self, index, weight):
        return _states("LAMB", index, weight, None, None)

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        t = self._index_update_count[index]
        kwargs = {"beta1": self.beta1, "beta2": self.beta2, "epsilon": self.epsilon, "t": t}
        kwargs.update(bias_correction=self.bias_correction, rescale_grad=self.rescale_grad)
        mean, var = state
        g = nd.lamb_update_phase1(weight, grad, mean, var, wd=wd, **self._clip_kwargs(kwargs))
        bounds = {}
        if self.lower_bound:
            bounds["lower_bound"] = self.lower_bound
        if self.upper_bound:
            bounds["upper_bound"] = self.upper_bound
        r1, r2 = weight.norm().reshape((1,)), g.norm().reshape((1,))
        nd.lamb_update_phase2(weight, g, r1, r2, lr=lr, out=weight, **bounds)


@register
class RMSProp(Optimizer):
    """RMSProp (rmsprop_update), or the centered version of Graves
    (rmspropalex_update) when ``centered``; ``clip_weights`` clips the
    updated weight."""

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=False,
                 clip_weights=None, **kwargs):  # fmt: skip
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_number("RMSProp", "gamma1", gamma1, low=0, high=1)
        _check_number("RMSProp", "gamma2", gamma2, low=0, high=1)
        _check_number("RMSProp", "epsilon", epsilon, low=0)
        _check_number("RMSProp", "clip_weights", clip_weights, low=0, allow_none=True)
        self.gamma1, self.gamma2, self.epsilon = gamma1, gamma2, epsilon
        self.centered, self.clip_weights = centered, clip_weights

    def create_state(self, index, weight):
        return _states("RMSProp", index, weight, *([None] * (3 if self.centered else 1)))  # n[, g, delta]

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        kwargs = self._clip_kwargs({"gamma1": self.gamma1, "epsilon": self.epsilon, "rescale_grad": self.rescale_grad})
        if self.centered:
            kwargs["gamma2"] = self.gamma2
        if self.clip_weights:
            kwargs["clip_weights"] = self.clip_weights
        if self.centered:
            n, g, delta = state
            nd.rmspropalex_update(weight, grad, n, g, delta, out=weight, lr=lr, wd=wd, **kwargs)
        else:
            (n,) = state
            nd.rmsprop_update(weight, grad, n, out=weight, lr=lr, wd=wd, **kwargs)


@register
class Ftrl(Optimizer):
    """FTRL-proximal (McMahan et al., ftrl_update) with L1 strength ``lamda1``
    and per-coordinate rate parameter ``beta``; ``wd`` is the L2 strength."""

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(**kwargs)
        _check_number("Ftrl", "lamda1", lamda1, low=0)
        _check_number("Ftrl", "beta", beta)
        _check_number("Ftrl", "learning_rate", learning_rate)
        self.lamda1, self.beta = lamda1, beta
        self.lr = learning_rate

    def create_state(self, index, weight):
        return _states("Ftrl", index, weight, None, None)  # z, n

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        kwargs = self._clip_kwargs({"lamda1": self.lamda1, "beta": self.beta, "rescale_grad": self.rescale_grad})
        z, n = state
        nd.ftrl_update(weight, grad, z, n, out=weight, lr=lr, wd=wd, **kwargs)


@register
class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al.): history += g^2; w -= lr (g / sqrt(history + eps) + wd w)
    with g the rescaled, clipped gradient."""

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        _check_number("AdaGrad", "eps", eps, low=0)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return _states("AdaGrad", index, weight, None)[0]  # history

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        grad = self._clipped(grad)
        history = state
        history[:] = history + nd.square(grad)
        div = grad / nd.sqrt(history + self.float_stable_eps)
        weight[:] = weight + (div + weight * wd) * -lr


@register
class AdaDelta(Optimizer):
    """AdaDelta (Zeiler): running averages (decay ``rho``) of g^2 and of the
    squared steps; step = sqrt(acc_delta + eps) / sqrt(acc_g + eps) g;
    w -= step + wd w (no learning rate, as in MXNet)."""

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        _check_number("AdaDelta", "rho", rho, low=0, high=1)
        _check_number("AdaDelta", "epsilon", epsilon, low=0)
        self.rho, self.epsilon = rho, epsilon

    def create_state(self, index, weight):
        return _states("AdaDelta", index, weight, None, None)  # accumulated g, accumulated delta

    def update(self, index, weight, grad, state):
        weight, grad, _, wd = self._begin(index, weight, grad)
        grad = self._clipped(grad)
        acc_g, acc_delta = state
        acc_g[:] = acc_g * self.rho + (1.0 - self.rho) * grad * grad
        step = nd.sqrt(acc_delta + self.epsilon) / nd.sqrt(acc_g + self.epsilon) * grad
        acc_delta[:] = acc_delta * self.rho + (1.0 - self.rho) * step * step
        weight[:] = weight - (step + wd * weight)


@register
class Adamax(Optimizer):
    """AdaMax (Kingma and Ba), Adam with the infinity norm:
    u = max(beta2 u, |g|); w -= lr / (1 - beta1^t) m / u, with g the rescaled
    gradient plus wd w, clipped."""

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_number("Adamax", "beta1", beta1, low=0, high=1)
        _check_number("Adamax", "beta2", beta2, low=0, high=1)
        self.beta1, self.beta2 = beta1, beta2

    def create_state(self, index, weight):
        return _states("Adamax", index, weight, None, None)  # mean, variance

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        t = self._index_update_count[index]
        lr /= 1.0 - self.beta1**t
        grad = grad * self.rescale_grad + wd * weight
        if self.clip_gradient is not None:
            grad = nd.clip(grad, -self.clip_gradient, self.clip_gradient)
        m_t, u_t = state
        m_t[:] = m_t * self.beta1 + (1.0 - self.beta1) * grad
        u_t[:] = nd.maximum(self.beta2 * u_t, nd.abs(grad))
        weight[:] = weight - lr * m_t / u_t


@register
class Nadam(Optimizer):
    """Nesterov Adam (Dozat), with MXNet's momentum schedule
    mu_t = beta1 (1 - 0.5 * 0.96^(t schedule_decay)) (its running product is
    kept by the optimizer, across all weights, as in MXNet)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        _check_betas("Nadam", beta1, beta2, epsilon)
        _check_number("Nadam", "schedule_decay", schedule_decay)
        self.beta1, self.beta2, self.epsilon, self.schedule_decay = beta1, beta2, epsilon, schedule_decay
        self.m_schedule = 1.0

    def create_state(self, index, weight):
        return _states("Nadam", index, weight, None, None)  # mean, variance

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        t = self._index_update_count[index]
        grad = grad * self.rescale_grad + wd * weight
        if self.clip_gradient is not None:
            grad = nd.clip(grad, -self.clip_gradient, self.clip_gradient)
        mu_t = self.beta1 * (1.0 - 0.5 * pow(0.96, t * self.schedule_decay))
        mu_next = self.beta1 * (1.0 - 0.5 * pow(0.96, (t + 1) * self.schedule_decay))
        self.m_schedule = self.m_schedule * mu_t
        m_schedule_next = self.m_schedule * mu_next
        m_t, v_t = state
        m_t[:] = m_t * self.beta1 + (1.0 - self.beta1) * grad
        v_t[:] = v_t * self.beta2 + (1.0 - self.beta2) * grad * grad
        grad_prime = grad / (1.0 - self.m_schedule)
        m_t_prime = m_t / (1.0 - m_schedule_next)
        v_t_prime = v_t / (1.0 - pow(self.beta2, t))
        m_t_bar = (1.0 - mu_t) * grad_prime + mu_next * m_t_prime
        weight[:] = weight - lr * m_t_bar / (nd.sqrt(v_t_prime) + self.epsilon)


@register
class DCASGD(Optimizer):
    """Delay-compensated asynchronous SGD (Zheng et al.): the step
    -lr (g + wd w + lamda g^2 (w - w_previous)), with momentum when given."""

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        _check_number("DCASGD", "momentum", momentum, low=0)
        _check_number("DCASGD", "lamda", lamda)
        self.momentum, self.lamda = momentum, lamda
        self.weight_previous = {}

    def create_state(self, index, weight):
        weight = _as_nd(weight, "DCASGD", "weight")
        mom = _zeros_like(weight) if self.momentum != 0.0 else None
        return (mom, weight.copy())  # momentum, previous weight

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        grad = self._clipped(grad)
        mom, previous = state
        step = -lr * (grad + wd * weight + self.lamda * grad * grad * (weight - previous))
        if mom is not None:
            mom[:] = mom * self.momentum + step
            step = mom
        previous[:] = weight
        weight[:] = weight + step


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics (Welling and Teh):
    w += -lr / 2 (g + wd w) + N(0, sqrt(lr)) noise (from mx.random's generator)."""

    def update(self, index, weight, grad, state):
        weight, grad, lr, wd = self._begin(index, weight, grad)
        grad = self._clipped(grad)
        weight[:] = weight + -lr / 2 * (grad + wd * weight)
        noise = nd.random.normal(0, math.sqrt(lr), shape=weight.shape, dtype=weight.dtype)
        weight[:] = weight + noise


@register
class Test(Optimizer):
    """MXNet's test optimizer: weight += rescale_grad grad; state = weight."""

    def create_state(self, index, weight):
        return _states("Test", index, weight, None)[0]

    def update(self, index, weight, grad, state):
        weight, grad = _as_nd(weight, "Test", "weight"), _as_nd(grad, "Test", "grad")
        weight[:] = weight + grad * self.rescale_grad
        state[:] = weight


# ---- Updater -------------------------------------------------------------------------
def _to_host(state):
    """States with arrays as NumPy arrays (for pickling)."""
    if isinstance(state, (nd.NDArray, _core.ndarray)):
        return ("__mxlite_array__", state.asnumpy())
    if isinstance(state, (tuple, list)):
        return type(state)(_to_host(s) for s in state)
    if isinstance(state, dict):
        return {k: _to_host(v) for k, v in state.items()}
    return state


def _from_host(state):
    if isinstance(state, tuple) and len(state) == 2 and state[0] == "__mxlite_array__":
        return nd.array(state[1], dtype=state[1].dtype)
    if isinstance(state, (tuple, list)):
        return type(state)(_from_host(s) for s in state)
    if isinstance(state, dict):
        return {k: _from_host(v) for k, v in state.items()}
    return state


class Updater:
    """Applies an optimizer to weights by index, creating each index's state
    on first use: ``updater(index, grad, weight)`` (lists of each too)."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def __call__(self, index, grad, weight):
        optimizer = self.optimizer
        if not isinstance(index, (list, tuple)):
            # One weight (what Trainer calls): the loop below without the lists.
            owner = type(optimizer).__name__
            grad, weight = _as_nd(grad, owner, "grad"), _as_nd(weight, owner, "weight")
            optimizer._set_current_context(weight._device_id)
            if isinstance(index, bytes):
                index = index.decode()
            states = self.states
            if index not in states:
                states[index] = optimizer.create_state_multi_precision(index, weight)
                self.states_synced[index] = True
            elif not self.states_synced[index]:
                states[index] = self.sync_state_context(states[index], weight.context)
                self.states_synced[index] = True
            optimizer.update_multi_precision(index, weight, grad, states[index])
            return
        indices, grads, weights = list(index), list(grad), list(weight)
        owner = type(optimizer).__name__
        grads = [_as_nd(g, owner, "grad") for g in grads]
        weights = [_as_nd(w, owner, "weight") for w in weights]
        if weights:
            optimizer._set_current_context(weights[0].context.device_id)
        for i, idx in enumerate(indices):
            if isinstance(idx, bytes):
                idx = indices[i] = idx.decode()
            if idx not in self.states:
                self.states[idx] = optimizer.create_state_multi_precision(idx, weights[i])
                self.states_synced[idx] = True
            elif not self.states_synced[idx]:
                self.states[idx] = self.sync_state_context(self.states[idx], weights[i].context)
                self.states_synced[idx] = True
        for idx, w, g in zip(indices, weights, grads):
            optimizer.update_multi_precision(idx, w, g, self.states[idx])

    def sync_state_context(self, state, context):
        """``state`` with its arrays on ``context``."""
        if isinstance(state, nd.NDArray):
            return state.as_in_context(context)
        if isinstance(state, (tuple, list)):
            return type(state)(self.sync_state_context(s, context) for s in state)
        return state

    def set_states(self, states):
        """Restores states (and optionally the optimizer) from get_states' bytes."""
        loaded = _from_host(pickle.loads(states))
        if isinstance(loaded, tuple) and len(loaded) == 2:
            self.states, self.optimizer = loaded
        else:
            self.states = loaded
        self.states_synced = dict.fromkeys(self.states, False)

    def get_states(self, dump_optimizer=False):
        """The states (with the optimizer when ``dump_optimizer``) as pickled bytes."""
        states = _to_host(self.states)
        return pickle.dumps((states, self.optimizer) if dump_optimizer else states)


def get_updater(optimizer):
    """An Updater for ``optimizer``."""
    return Updater(optimizer)
