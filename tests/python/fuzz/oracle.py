"""Runs one generated call on mxlite and on NumPy and classifies the outcome (see calls.py for the classes).

The reference side is plain NumPy on the same input literals; what mxlite does differently on purpose is
decided by the generator through ``rules`` (a modelled result dtype, a modelled reference text, alternatives)
so that comparisons here stay strict: exact for integers, bools, shape ops and indexing, and a few float
rounding errors (scaled by the number of terms summed) for float math.
"""

import math
import warnings

import numpy as onp

from . import calls as C
from . import rules

_EPS = {"float32": float(onp.finfo(onp.float32).eps), "float64": float(onp.finfo(onp.float64).eps)}
_FD_EPS = 1e-6  # central-difference step for first derivatives (float64 inputs of magnitude ~1)
_FD2_EPS = 1e-4  # steps of the nested central differences for second derivatives

_mx = None


def _mxnet():
    global _mx
    if _mx is None:
        from mxnet import autograd, np, npx

        _mx = {"np": np, "npx": npx, "autograd": autograd, "ndarray": np.ndarray}
    return _mx


def _short(exc):
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:160] if text else ''}"


_compiled = {}  # source -> code object, for the call being judged (its setup runs several times)


def _exec(source, namespace, name):
    code = _compiled.get(source)
    if code is None:
        code = _compiled[source] = compile(source, name, "exec")
    exec(code, namespace)


def run_mxlite(call):
    """(namespace, exception) after running setup + code on mxlite."""
    mx = _mxnet()
    namespace = {"np": mx["np"], "npx": mx["npx"], "autograd": mx["autograd"]}
    try:
        _exec(call.setup, namespace, f"<fuzz setup {call.index}>")
        _exec(call.code, namespace, f"<fuzz call {call.index}>")
        return namespace, None
    except Exception as exc:  # any clean Python exception is an answer ("rejected")
        return namespace, exc
    finally:
        if mx["autograd"].is_recording():
            mx["autograd"].set_recording(False)


_inputs = {}  # the call being judged: its setup's namespace on NumPy (copied for each use)


def reference_namespace(call, upcast):
    """A fresh NumPy namespace with the call's inputs (float32 ones as float64 copies if upcast)."""
    if "namespace" not in _inputs:
        base = {"np": onp, **rules.REFERENCE_HELPERS}
        _exec(call.setup, base, f"<fuzz setup {call.index}>")
        _inputs["namespace"] = base
    namespace = {k: (v.copy() if isinstance(v, onp.ndarray) else v) for k, v in _inputs["namespace"].items()}
    if upcast:
        for name, value in list(namespace.items()):
            if isinstance(value, onp.ndarray) and value.dtype == onp.float32:
                namespace[name] = value.astype(onp.float64)
    return namespace


def run_reference(call, ref, upcast=False):
    """(r, exception) of the NumPy reference text ``ref``; setup errors propagate (they are fuzzer bugs)."""
    namespace = reference_namespace(call, upcast)
    try:
        _exec(ref, namespace, f"<fuzz reference {call.index}>")
        return namespace.get("r"), None
    except Exception as exc:
        return None, exc


# ---- comparing results ------------------------------------------------------------------------------
def _as_result(value, is_mx):
    """A comparable form: ('array', ndarray, is_ndarray_type), ('list', [...]) or ('py', value)."""
    if is_mx and isinstance(value, _mxnet()["ndarray"]):
        return ("array", value.asnumpy(), True)
    if isinstance(value, onp.ndarray):
        return ("array", value, not is_mx)
    if isinstance(value, onp.generic):  # NumPy's scalars are mxnet's 0-d arrays
        return ("array", onp.asarray(value), True)
    if isinstance(value, (list, tuple)):
        return ("list", [_as_result(v, is_mx) for v in value])
    return ("py", value)


def tolerance(call, dtype, namespace):
    """(rtol, atol) for a float result of dtype. 'elementwise': a few rounding errors of one operation;
    'accumulate': rounding errors of call.terms summed terms of the size of the largest input."""
    eps = _EPS.get(str(dtype), _EPS["float64"])
    if call.tol == "elementwise":
        return 16 * eps, 16 * eps * 1e-30
    scale = 1.0
    for value in namespace.values():
        if isinstance(value, onp.ndarray) and value.dtype.kind in "biuf" and value.size:
            finite = onp.abs(value[onp.isfinite(value)]) if value.dtype.kind == "f" else onp.abs(value)
            if finite.size:
                scale = max(scale, float(finite.max()))
    degree = call.meta.get("degree", 1)
    scale = math.exp(min(degree * math.log(scale), 690.0))  # scale ** degree without overflow
    return 16 * eps * max(call.terms, 1), 16 * eps * max(call.terms, 1) * scale


def compare_arrays(got, want, call, dtype, namespace):
    """None when equal under the call's tolerance, else a short description of the first difference."""
    if got.shape != want.shape:
        return f"shape {got.shape} != expected {want.shape}"
    if got.size == 0:
        return None
    if want.dtype.kind != "f" or call.tol == "exact" or got.dtype.kind != "f":
        if got.dtype.kind == "f" or want.dtype.kind == "f":
            equal = (got == want) | (onp.isnan(got.astype(onp.float64)) & onp.isnan(want.astype(onp.float64)))
        else:
            equal = got.astype(object) == want.astype(object) if got.dtype != want.dtype else got == want
        equal = onp.asarray(equal, dtype=bool)
    else:
        rtol, atol = tolerance(call, dtype, namespace)
        g, w = got.astype(onp.float64), want.astype(onp.float64)
        with onp.errstate(all="ignore"):
            equal = (g == w) | (onp.isnan(g) & onp.isnan(w)) | (onp.abs(g - w) <= atol + rtol * onp.abs(w))
    if equal.all():
        return None
    bad = onp.argwhere(~equal)
    where = tuple(int(i) for i in bad[0])
    return f"{len(bad)}/{got.size} differ; at {list(where)} expected {want[where]!r} got {got[where]!r}"


def compare(got, want, call, dtype, namespace):
    """(outcome, detail) comparing mxlite's normalized result with the reference's."""
    if got[0] != want[0]:
        kind = {"array": "an array", "list": "a list", "py": "a Python value"}
        return C.WRONG_VALUE, f"returned {kind[got[0]]} ({_brief(got)}), expected {kind[want[0]]}"
    if got[0] == "py":
        g, w = got[1], want[1]
        same = g == w or (isinstance(g, float) and isinstance(w, float) and math.isnan(g) and math.isnan(w))
        if type(g) is not type(w) and not (isinstance(w, (int, float)) and isinstance(g, (int, float))):
            return C.WRONG_VALUE, f"returned {type(g).__name__} {g!r}, expected {type(w).__name__} {w!r}"
        return (C.OK, "") if same else (C.WRONG_VALUE, f"returned {g!r}, expected {w!r}")
    if got[0] == "list":
        if len(got[1]) != len(want[1]):
            return C.WRONG_VALUE, f"returned {len(got[1])} pieces, expected {len(want[1])}"
        for i, (g, w) in enumerate(zip(got[1], want[1])):
            outcome, detail = compare(g, w, call, dtype, namespace)
            if outcome != C.OK:
                return outcome, f"piece {i}: {detail}"
        return C.OK, ""
    g, w = got[1], want[1]
    if want[2] and not got[2]:
        return C.WRONG_VALUE, f"returned a NumPy array, expected an mxnet ndarray ({g!r})"
    if dtype == rules.ANY_DTYPE:  # not modelled: NumPy's values in whatever dtype mxlite chose
        return (
            (C.WRONG_VALUE, difference)
            if (difference := compare_arrays(g, w, call, w.dtype, namespace))
            else (C.OK, "")
        )
    expected_dtype = onp.dtype(dtype) if dtype else w.dtype
    if w.dtype != expected_dtype:
        with onp.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = w.astype(expected_dtype)
    difference = compare_arrays(g, w, call, expected_dtype, namespace)
    if difference:
        return C.WRONG_VALUE, difference
    if g.dtype != expected_dtype:
        return C.WRONG_DTYPE, f"dtype {g.dtype}, expected {expected_dtype} (values equal)"
    return C.OK, ""


def _describe(value):
    """Short text of an mxlite result without converting it (a huge or 100-d array may not convert)."""
    if isinstance(value, _mxnet()["ndarray"]):
        summary = f"an array of shape {value.shape}, dtype {value.dtype}"
        if value.size > 50 or value.ndim > 8:
            return summary
        try:
            return _brief(("array", value.asnumpy()))
        except Exception:  # e.g. a shape whose size overflowed
            return summary
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}: " + ", ".join(_describe(v) for v in value[:3])
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _brief(result):
    text = repr(result[1])
    return text if len(text) < 60 else text[:57] + "..."


# ---- gradients ----------------------------------------------------------------------------------------
def _weighted_output(code, namespace):
    ns = dict(namespace)
    exec(code, ns)
    return float(onp.sum(ns["h"] * onp.asarray(ns["r"], dtype=onp.float64)))


def _code(source):
    if source not in _compiled:
        _compiled[source] = compile(source, "<fuzz reference>", "exec")
    return _compiled[source]


def numeric_gradient(call, namespace, leaf):
    """Central differences of sum(h * r) with respect to the leaf."""
    code = _code(call.ref)
    base = namespace[leaf]
    grad = onp.zeros_like(base)
    for i in onp.ndindex(base.shape):
        values = []
        for step in (_FD_EPS, -_FD_EPS):
            moved = base.copy()
            moved[i] += step
            values.append(_weighted_output(code, {**namespace, leaf: moved}))
        grad[i] = (values[0] - values[1]) / (2 * _FD_EPS)
    return grad


def numeric_second_derivative(call, namespace, leaf):
    """Central differences of D(x) = <v, grad_x sum(h * r)>, D itself a central difference along v."""
    code = _code(call.ref)
    base, direction = namespace[leaf], namespace["v"]

    def directional(x):
        up = _weighted_output(code, {**namespace, leaf: x + _FD2_EPS * direction})
        down = _weighted_output(code, {**namespace, leaf: x - _FD2_EPS * direction})
        return (up - down) / (2 * _FD2_EPS)

    grad = onp.zeros_like(base)
    for i in onp.ndindex(base.shape):
        moved_up, moved_down = base.copy(), base.copy()
        moved_up[i] += _FD2_EPS
        moved_down[i] -= _FD2_EPS
        grad[i] = (directional(moved_up) - directional(moved_down)) / (2 * _FD2_EPS)
    return grad


def compare_gradients(call, mx_namespace):
    namespace = reference_namespace(call, upcast=False)
    second = call.expect == C.GRAD2
    for leaf in call.leaves:
        got = mx_namespace[leaf].grad
        if got is None:
            return C.WRONG_GRAD, f"{leaf}.grad is None"
        got = got.asnumpy()
        want = numeric_second_derivative(call, namespace, leaf) if second else numeric_gradient(call, namespace, leaf)
        if got.shape != want.shape:
            return C.WRONG_GRAD, f"{leaf}.grad shape {got.shape}, expected {want.shape}"
        scale = 1.0 + float(onp.max(onp.abs(want))) if want.size else 1.0
        # nested differences of products of ~20 terms are good to about 1e-4: a real error is far larger
        rtol, atol = (1e-3, 1e-4 * scale) if second else (1e-5, 1e-6 * scale)
        with onp.errstate(all="ignore"):
            bad = ~((onp.abs(got - want) <= atol + rtol * onp.abs(want)) | (onp.isnan(got) & onp.isnan(want)))
        if bad.any():
            where = tuple(int(i) for i in onp.argwhere(bad)[0])
            return C.WRONG_GRAD, (
                f"{leaf}.grad: {int(bad.sum())}/{got.size} differ; at {list(where)} "
                f"expected {want[where]:.6g} got {got[where]!r}"
            )
    return C.OK, ""


# ---- the verdict --------------------------------------------------------------------------------------
def judge(call):
    """(outcome, detail) of one call."""
    _compiled.clear()
    _inputs.clear()
    with warnings.catch_warnings(), onp.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return _judge(call)


def _judge(call):
    mx_namespace, mx_error = run_mxlite(call)
    if call.expect == C.NO_CRASH:
        return C.OK, _short(mx_error) if mx_error else ""
    if call.expect == C.RAISE:
        if mx_error is not None:
            return C.OK, _short(mx_error)
        return C.MISSING_ERROR, f"returned {_describe(mx_namespace.get('r'))}"
    try:
        want, ref_error = run_reference(call, call.ref)
    except Exception as exc:
        return C.FUZZER_ERROR, f"reference setup failed: {_short(exc)}"
    if isinstance(ref_error, onp.linalg.LinAlgError):  # LAPACK gave up (non-finite input): NaN is honest
        got = mx_namespace.get("r")
        if mx_error is not None or (got is not None and onp.isnan(got.asnumpy()).all()):
            return C.OK, "LAPACK did not converge; mxlite gave NaN or raised"
        return C.WRONG_VALUE, f"NumPy's LAPACK did not converge; mxlite returned {_describe(got)}"
    if ref_error is not None:
        if mx_error is not None:
            return C.OK, f"both reject: {_short(mx_error)}"
        return C.MISSING_ERROR, f"NumPy raises {_short(ref_error)}; mxlite returned {_describe(mx_namespace.get('r'))}"
    if mx_error is not None:
        if call.expect == C.RAISE_OR_VALUE:
            return C.OK, _short(mx_error)
        return (C.ERROR if call.must_work else C.UNSUPPORTED), _short(mx_error)
    got = _as_result(mx_namespace.get("r"), True)
    verdict = _compare_with_reference(call, got, want, call.ref, call.dtype)
    for ref, dtype in call.alternatives:
        if verdict[0] == C.OK:
            break
        alt_want, alt_error = run_reference(call, ref)
        if alt_error is None and _compare_with_reference(call, got, alt_want, ref, dtype)[0] == C.OK:
            verdict = (C.OK, "")
    if verdict[0] != C.OK or call.expect not in (C.GRAD, C.GRAD2):
        return verdict
    return compare_gradients(call, mx_namespace)


def _compare_with_reference(call, got, want, ref, dtype):
    """Against the reference (computed at the inputs' precision); float32 inputs are also tried with the
    reference computed in float64 and rounded, as mxlite may accumulate in either precision."""
    namespace = reference_namespace(call, upcast=False)
    verdict = compare(got, _as_result(want, False), call, dtype, namespace)
    if verdict[0] == C.OK or not call.upcast:
        return verdict
    if dtype == rules.ANY_DTYPE:
        return verdict
    if dtype is None and isinstance(want, (onp.ndarray, onp.generic)):
        dtype = str(want.dtype)  # the dtype NumPy gives at the inputs' own precision
    wide, error = run_reference(call, ref, upcast=True)
    if error is None and dtype is not None:
        if compare(got, _as_result(wide, False), call, dtype, namespace)[0] == C.OK:
            return C.OK, ""
    return verdict
