"""Runs the op table (tests/python/optable): for every entry, values against
NumPy on each listed shape, the same on inputs that are views, MXNet's result
dtypes, gradients against float64 central differences, and the errors of bad
calls (MXNetError naming the op, the library still usable afterwards)."""

import re

import numpy as onp
import pytest

from mxnet import autograd, np
from conftest import assert_library_usable
from gradcheck import check_gradient
from optable import all_cases

CASES = all_cases()


def make_inputs(case, shapes, seed=0):
    rng = onp.random.default_rng(seed)
    if case.input_maker is not None:
        return [onp.asarray(x) for x in case.input_maker(rng, shapes)]
    out = []
    for i, s in enumerate(shapes):
        if i in case.int_inputs:
            out.append(rng.integers(case.int_range[0], case.int_range[1], size=s).astype(onp.int64))
        else:
            out.append(rng.uniform(case.low, case.high, size=s))
    return out


def to_mx(x):
    return np.array(x, dtype=x.dtype)


def as_view(x):
    """x as an mxnet array that is a view at a non-zero offset into a larger one."""
    if x.ndim == 0:
        return to_mx(x)
    base = onp.concatenate([onp.zeros((1,) + x.shape[1:], dtype=x.dtype), x])
    v = to_mx(base)[1:]
    assert v.shape == x.shape
    return v


def compare(got, want, case):
    if isinstance(want, (tuple, list)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            compare(g, w, case)
        return
    want = onp.asarray(want)
    got_np = got.asnumpy() if hasattr(got, "asnumpy") else onp.asarray(got)
    assert got_np.shape == want.shape, f"shape {got_np.shape} != numpy's {want.shape}"
    if want.dtype.kind in "biu":
        onp.testing.assert_array_equal(got_np, want)
    else:
        onp.testing.assert_allclose(got_np, want, rtol=case.rtol, atol=case.atol, equal_nan=True)


def ids(params):
    return [p[0].name + ("" if len(p) == 1 else f"-{p[1]}") for p in params]


VALUE_PARAMS = [(c, i) for c in CASES for i in range(len(c.shapes))]


@pytest.mark.parametrize("case,i", VALUE_PARAMS, ids=ids(VALUE_PARAMS))
def test_values(case, i):
    xs = make_inputs(case, case.shapes[i], seed=i)
    compare(case.mx(*[to_mx(x) for x in xs]), case.ref(*xs), case)


VIEW_PARAMS = [(c,) for c in CASES if c.views]


@pytest.mark.parametrize("case", [p[0] for p in VIEW_PARAMS], ids=ids(VIEW_PARAMS))
def test_values_on_views(case):
    xs = make_inputs(case, case.shapes[0], seed=7)
    compare(case.mx(*[as_view(x) for x in xs]), case.ref(*xs), case)


def grad_shapes(case):
    if case.grad_shapes is not None:
        return list(case.grad_shapes)
    return [s for s in case.shapes if all(0 not in shape for shape in s)]


GRAD_PARAMS = [(c, i) for c in CASES for i in range(len(grad_shapes(c)))]


@pytest.mark.parametrize("case,i", GRAD_PARAMS, ids=ids(GRAD_PARAMS))
def test_gradients(case, i):
    shapes = grad_shapes(case)[i]
    xs = make_inputs(case, shapes, seed=100 + i)
    floats = [k for k in range(len(xs)) if xs[k].dtype.kind == "f"]
    fixed = {k: to_mx(xs[k]) for k in range(len(xs)) if k not in floats}

    def f(*vars_):
        args, it = [], iter(vars_)
        for k in range(len(xs)):
            args.append(next(it) if k in floats else fixed[k])
        return case.mx(*args)

    check_gradient(f, *[xs[k] for k in floats], rtol=case.grad_rtol, atol=case.grad_atol)


SECOND_ORDER_PARAMS = [(c,) for c in CASES if grad_shapes(c) and c.second_order]


@pytest.mark.parametrize("case", [p[0] for p in SECOND_ORDER_PARAMS], ids=ids(SECOND_ORDER_PARAMS))
def test_second_derivatives(case):
    """The gradient is itself differentiable: autograd's derivative of the
    first gradient (recorded with create_graph=True) against central
    differences of that first gradient, on the first gradient shapes."""
    shapes = grad_shapes(case)[0]
    xs = make_inputs(case, shapes, seed=200)
    floats = [k for k in range(len(xs)) if xs[k].dtype.kind == "f"]
    fixed = {k: to_mx(xs[k]) for k in range(len(xs)) if k not in floats}
    rng = onp.random.default_rng(5)

    def f(*vars_):
        args, it = [], iter(vars_)
        for k in range(len(xs)):
            args.append(next(it) if k in floats else fixed[k])
        out = case.mx(*args)
        return out if isinstance(out, (tuple, list)) else (out,)

    weights = None

    def first_gradient(*vars_):
        def weighted_outputs(variables):
            nonlocal weights
            outs = f(*variables)
            if weights is None:
                weights = [np.array(rng.standard_normal(o.shape), dtype=o.dtype) for o in outs]
            return sum((o * w).sum() for o, w in zip(outs, weights))

        if autograd.is_recording():  # check_gradient's pass: vars_ are its attached inputs
            variables = list(vars_)
            head = weighted_outputs(variables)
        else:  # a finite-difference point: differentiate a fresh copy
            variables = [v.copy() for v in vars_]
            for v in variables:
                v.attach_grad()
            with autograd.record():
                head = weighted_outputs(variables)
        grads = autograd.grad(head, variables, create_graph=True, retain_graph=True)
        # A gradient that is constant in the inputs (add, a linear map) is
        # still a function of them: tie it to them with a zero weight.
        tie = 0.0 * sum(v.sum() for v in variables)
        return tuple(g + tie for g in grads)

    check_gradient(first_gradient, *[xs[k] for k in floats], rtol=case.grad_rtol * 10, atol=case.grad_atol * 10)


DTYPE_PARAMS = [(c, i) for c in CASES for i in range(len(c.dtypes))]


@pytest.mark.parametrize("case,i", DTYPE_PARAMS, ids=ids(DTYPE_PARAMS))
def test_result_dtype(case, i):
    in_dtypes, expected = case.dtypes[i]
    shapes = case.dtype_shape or case.shapes[0]
    xs = make_inputs(case, shapes, seed=3)
    args = [np.array(x.astype(d), dtype=d) for x, d in zip(xs, in_dtypes)]
    out = case.mx(*args)
    outs = out if isinstance(out, (tuple, list)) else [out]
    assert outs[0].dtype == onp.dtype(expected), f"{case.name}{tuple(in_dtypes)} gave {outs[0].dtype}"


ERROR_PARAMS = [(c, i) for c in CASES for i in range(len(c.errors))]


@pytest.mark.parametrize("case,i", ERROR_PARAMS, ids=ids(ERROR_PARAMS))
def test_errors(case, i):
    call, exc, pattern = case.errors[i]
    with pytest.raises(exc) as info:
        call()
    assert re.search(pattern, str(info.value)), f"message {str(info.value)!r} does not match {pattern!r}"
    assert_library_usable()
