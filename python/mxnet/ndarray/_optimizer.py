"""Legacy ``nd`` fused optimizer updates (MXNet 1.x ``sgd_update``,
``adam_update``, ...), with MXNet's names, keywords and defaults.

Each is one engine kernel over the elements: it reads ``weight`` and
``grad``, updates its state arrays (``mom``, ``mean``/``var``, ...) in place
and returns the new weight, written into ``out`` when given (``out=weight``
updates the weight in place, as ``mx.optimizer`` does); without ``out`` the
weight is left as it was. Not differentiable; inside ``autograd.record``,
``out=`` an array in a graph (an attached weight) raises, as in MXNet.
``clip_gradient`` (and ``clip_weights``, ``lower_bound``, ``upper_bound``) are off when negative
(MXNet's test is ``>= 0``: ``clip_gradient=0`` clips the gradient to 0).
``lazy_update`` only matters to row_sparse gradients in MXNet; mxlite's
arrays are dense, where MXNet's lazy and standard updates coincide, so it is
accepted (True or False) and changes nothing."""

from .. import _core
from ..base import MXNetError

__all__ = [
    "sgd_update", "sgd_mom_update", "nag_mom_update", "adam_update", "rmsprop_update", "rmspropalex_update",
    "ftrl_update", "signsgd_update", "signum_update", "lamb_update_phase1", "lamb_update_phase2",
]  # fmt: skip

_f = _core.nd
_REQUIRED = object()
_HARMLESS = ("name", "attr")


def _run(op, arrays, out, kwargs, given, defaults):
    """Checks the keywords as MXNet's generated operators do (unknown ones
    and missing required ones raise MXNetError naming the operator) and runs
    the engine's update."""
    unknown = sorted(k for k in kwargs if k not in _HARMLESS)
    if unknown:
        raise MXNetError(
            f"Cannot find argument '{unknown[0]}' in operator {op}: its arguments are {', '.join(defaults)}"
        )
    params = {}
    for key, default in defaults.items():
        value = given[key]
        if value is None:
            value = default
        if value is _REQUIRED:
            kind = "int" if key == "t" else "float"
            raise MXNetError(f"Required parameter {key} of {kind} is not presented, in operator {op}")
        if key == "lazy_update":
            if not isinstance(value, (bool, int)) or value not in (0, 1):
                raise MXNetError(f"{op}: lazy_update must be True or False, got {value!r}")
            continue  # no effect on dense arrays (see the module docstring)
        if key in ("t", "bias_correction"):
            if key == "t" and (isinstance(value, bool) or not float(value).is_integer()):
                raise MXNetError(f"Invalid Parameter format for t expect int but value={value!r}, in operator {op}")
            params[key] = int(value) if key == "t" else bool(value)
            continue
        try:
            params[key] = float(value)
        except (TypeError, ValueError):
            raise MXNetError(
                f"Invalid Parameter format for {key} expect float but value={value!r}, in operator {op}"
            ) from None
    return _f.optimizer_update(op, list(arrays), params, out)


_SGD = {"lr": _REQUIRED, "wd": 0.0, "rescale_grad": 1.0, "clip_gradient": -1.0}


def sgd_update(
    weight=None, grad=None, lr=None, wd=None, rescale_grad=None, clip_gradient=None, lazy_update=None, out=None,
    name=None, **kwargs,
):  # fmt: skip
    """SGD: weight = (1 - lr wd) weight - lr clip(rescale_grad grad, clip_gradient)."""
    return _run("sgd_update", (weight, grad), out, kwargs, locals(), {**_SGD, "lazy_update": True})


def sgd_mom_update(
    weight=None, grad=None, mom=None, lr=None, momentum=None, wd=None, rescale_grad=None, clip_gradient=None,
    lazy_update=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """SGD with momentum: mom = momentum mom - lr wd weight - lr clip(rescale_grad grad);
    weight = weight + mom (mom updated in place)."""
    defaults = {**_SGD, "momentum": 0.0, "lazy_update": True}
    return _run("sgd_mom_update", (weight, grad, mom), out, kwargs, locals(), defaults)


def nag_mom_update(
    weight=None, grad=None, mom=None, lr=None, momentum=None, wd=None, rescale_grad=None, clip_gradient=None,
    out=None, name=None, **kwargs,
):  # fmt: skip
    """Nesterov momentum: mom = momentum mom; weight = weight - mom + (1 + momentum)
    (mom - lr (g + wd weight)); mom = mom - lr (g + wd weight), with
    g = clip(rescale_grad grad). As in MXNet, the last step reads the weight
    after it was written, so with out=weight and wd != 0 it sees the new weight."""
    return _run("nag_mom_update", (weight, grad, mom), out, kwargs, locals(), {**_SGD, "momentum": 0.0})


def adam_update(
    weight=None, grad=None, mean=None, var=None, lr=None, beta1=None, beta2=None, epsilon=None, wd=None,
    rescale_grad=None, clip_gradient=None, lazy_update=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """Adam (no bias correction: mx.optimizer.Adam folds it into lr):
    g = clip(rescale_grad grad + wd weight); mean = beta1 mean + (1 - beta1) g;
    var = beta2 var + (1 - beta2) g^2; weight -= lr mean / (sqrt(var) + epsilon)."""
    defaults = {**_SGD, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "lazy_update": True}
    return _run("adam_update", (weight, grad, mean, var), out, kwargs, locals(), defaults)


def rmsprop_update(
    weight=None, grad=None, n=None, lr=None, gamma1=None, epsilon=None, wd=None, rescale_grad=None,
    clip_gradient=None, clip_weights=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """RMSProp (Tieleman and Hinton): g = clip(rescale_grad grad + wd weight);
    n = (1 - gamma1) g^2 + gamma1 n; weight = clip(weight - lr g / sqrt(n + epsilon), clip_weights)."""
    defaults = {**_SGD, "gamma1": 0.95, "epsilon": 1e-8, "clip_weights": -1.0}
    return _run("rmsprop_update", (weight, grad, n), out, kwargs, locals(), defaults)


def rmspropalex_update(
    weight=None, grad=None, n=None, g=None, delta=None, lr=None, gamma1=None, gamma2=None, epsilon=None, wd=None,
    rescale_grad=None, clip_gradient=None, clip_weights=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """Centered RMSProp (Graves): with gr = clip(rescale_grad grad + wd weight),
    n = (1 - gamma1) gr^2 + gamma1 n; g = (1 - gamma1) gr + gamma1 g;
    delta = gamma2 delta - lr gr / sqrt(n - g^2 + epsilon); weight = clip(weight + delta, clip_weights)."""
    defaults = {**_SGD, "gamma1": 0.95, "gamma2": 0.9, "epsilon": 1e-8, "clip_weights": -1.0}
    return _run("rmspropalex_update", (weight, grad, n, g, delta), out, kwargs, locals(), defaults)


def ftrl_update(
    weight=None, grad=None, z=None, n=None, lr=None, lamda1=None, beta=None, wd=None, rescale_grad=None,
    clip_gradient=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """FTRL-proximal: with g = clip(rescale_grad grad), z += g - (sqrt(n + g^2) - sqrt(n)) weight / lr;
    n += g^2; weight = (sign(z) lamda1 - z) / ((beta + sqrt(n)) / lr + wd) where |z| > lamda1, else 0."""
    defaults = {**_SGD, "lamda1": 0.01, "beta": 1.0}
    return _run("ftrl_update", (weight, grad, z, n), out, kwargs, locals(), defaults)


def signsgd_update(
    weight=None, grad=None, lr=None, wd=None, rescale_grad=None, clip_gradient=None, out=None, name=None, **kwargs
):
    """signSGD: weight = (1 - lr wd) weight - lr sign(grad). As in MXNet,
    rescale_grad and clip_gradient are accepted and change nothing."""
    return _run("signsgd_update", (weight, grad), out, kwargs, locals(), dict(_SGD))


def signum_update(
    weight=None, grad=None, mom=None, lr=None, momentum=None, wd=None, rescale_grad=None, clip_gradient=None,
    wd_lh=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """Signum: mom = momentum mom - (1 - momentum) (wd weight + clip(rescale_grad grad));
    weight = (1 - lr wd_lh) weight + lr sign(mom)."""
    defaults = {**_SGD, "momentum": 0.0, "wd_lh": 0.0}
    return _run("signum_update", (weight, grad, mom), out, kwargs, locals(), defaults)


def lamb_update_phase1(
    weight=None, grad=None, mean=None, var=None, beta1=None, beta2=None, epsilon=None, t=None,
    bias_correction=None, wd=None, rescale_grad=None, clip_gradient=None, out=None, name=None, **kwargs,
):  # fmt: skip
    """LAMB, first phase: updates mean and var as Adam does (from
    g = clip(rescale_grad grad)) and returns the step
    mean_hat / (sqrt(var_hat) + epsilon) + wd weight, bias-corrected by
    1 - beta^t when bias_correction (t and wd are required, as in MXNet)."""
    defaults = {
        "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-6, "t": _REQUIRED, "bias_correction": True, "wd": _REQUIRED,
        "rescale_grad": 1.0, "clip_gradient": -1.0,
    }  # fmt: skip
    return _run("lamb_update_phase1", (weight, grad, mean, var), out, kwargs, locals(), defaults)


def lamb_update_phase2(
    weight=None, g=None, r1=None, r2=None, lr=None, lower_bound=None, upper_bound=None, out=None, name=None, **kwargs
):
    """LAMB, second phase: weight - lr (r1 / r2) g, r1 (the weight's norm, one
    element) limited to [lower_bound, upper_bound] when they are >= 0; the
    ratio is 1 when r1 or r2 (the step's norm) is 0."""
    defaults = {"lr": _REQUIRED, "lower_bound": -1.0, "upper_bound": -1.0}
    return _run("lamb_update_phase2", (weight, g, r1, r2), out, kwargs, locals(), defaults)


def _adamw_update(
    weight, grad, mean, var, rescale_grad, lr, eta, beta1=0.9, beta2=0.999, epsilon=1e-8, wd=0, clip_gradient=-1,
    out=None, name=None, **kwargs,
):  # fmt: skip
    """MXNet's ``nd.contrib.adamw_update`` (mx.optimizer.AdamW calls it): g = clip(rescale_grad grad);
    mean = beta1 mean + (1 - beta1) g; var = beta2 var + (1 - beta2) g^2;
    weight -= eta (lr mean / (sqrt(var) + epsilon) + wd weight). A
    ``rescale_grad`` (a number or a one-element array) that is 0, NaN or
    infinite skips the update (weight and states unchanged). Unlike MXNet's
    kernel, ``grad`` itself is not overwritten with the rescaled gradient."""
    if not isinstance(rescale_grad, (int, float)):
        rescale_grad = float(rescale_grad.asnumpy().reshape(-1)[0])
    if rescale_grad == 0 or rescale_grad != rescale_grad or abs(rescale_grad) == float("inf"):
        return out if out is not None else weight.copy()
    given = {"lr": lr, "eta": eta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon, "wd": wd}
    given.update(rescale_grad=rescale_grad, clip_gradient=clip_gradient)
    defaults = dict.fromkeys(given, _REQUIRED)
    return _run("adamw_update", (weight, grad, mean, var), out, kwargs, given, defaults)
