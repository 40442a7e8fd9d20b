"""Generator families for shape ops, indexing and assignment, linear algebra, creation and adversarial
inputs (see generator.py for the others). Each returns a calls.Call; the caller fills in index and seed."""

import math
import re

import numpy as onp

from . import calls as C
from . import literals as L
from . import rules as R


class _Inputs:
    def __init__(self, rng):
        self.rng, self.lines = rng, []

    def array(self, name, shape, dtype, special_rate=0.03, layout=None, values=None, finite=False):
        if values is None:
            values = L.random_array(self.rng, shape, dtype, special_rate, finite)
            if finite and dtype in L.FLOAT_DTYPES:  # no overflow either: inf - inf order is BLAS's business
                values = onp.where(onp.abs(values) > 1e15, 1.0, values).astype(dtype)
        self.lines.append(f"{name} = {L.render_array(self.rng, values, dtype, layout)}")
        return values

    @property
    def setup(self):
        return "\n".join(self.lines)


def _dtype(rng):
    return rng.choice(L.DTYPES)


def _same(func, variant, dtypes, setup, expr, **kw):
    """A call whose mxlite and NumPy texts are the same expression."""
    return C.Call(0, func, variant, dtypes, setup, f"r = {expr}", f"r = {expr}", **kw)


# ---- shape ops ----------------------------------------------------------------------------------------
def _reshape_target(rng, shape):
    size = math.prod(shape)
    if size == 0:
        return (0, rng.randint(1, 3)) if rng.random() < 0.5 else (-1, 0) if 0 in shape else (0,)
    factors = [d for d in range(1, size + 1) if size % d == 0]
    first = rng.choice(factors)
    target = [first, size // first]
    if rng.random() < 0.4:
        target[rng.randrange(2)] = -1
    if rng.random() < 0.2:
        target.insert(rng.randrange(3), 1)
    return tuple(target)


def shape_call(rng):
    inputs = _Inputs(rng)
    dtype = _dtype(rng)
    shape = L.random_shape(rng)
    inputs.array("a", shape, dtype)
    ndim = len(shape)
    func = rng.choice(
        (
            "reshape",
            "method:reshape",
            "transpose",
            "method:T",
            "swapaxes",
            "moveaxis",
            "squeeze",
            "expand_dims",
            "ravel",
            "method:flatten",
            "concatenate",
            "stack",
            "vstack",
            "hstack",
            "split",
            "array_split",
            "hsplit",
            "vsplit",
            "tile",
            "repeat",
            "flip",
            "roll",
            "pad",
            "broadcast_to",
            "atleast_2d",
            "dstack",
            "column_stack",
            "copy",
            "astype",
        )
    )
    axis = rng.randrange(-ndim, ndim) if ndim else None
    if func == "reshape":
        expr = f"np.reshape(a, {_reshape_target(rng, shape)!r})"
    elif func == "method:reshape":
        expr = f"a.reshape{_reshape_target(rng, shape)!r}"
    elif func == "transpose":
        perm = list(range(ndim))
        rng.shuffle(perm)
        expr = f"np.transpose(a, {tuple(perm)!r})" if rng.random() < 0.7 else "np.transpose(a)"
        if rng.random() < 0.05:
            expr = "np.transpose(a, ())"  # NumPy rejects () for ndim > 0
    elif func == "method:T":
        expr = "a.T"
    elif func == "swapaxes":
        if not ndim:
            return _same(func, "", dtype, inputs.setup, "np.swapaxes(a, 0, 0)", expect=C.VALUE)
        expr = f"np.swapaxes(a, {rng.randrange(-ndim, ndim)}, {rng.randrange(-ndim, ndim)})"
    elif func == "moveaxis":
        if not ndim:
            expr = "np.moveaxis(a, 0, 0)"
        else:
            expr = f"np.moveaxis(a, {rng.randrange(-ndim, ndim)}, {rng.randrange(-ndim, ndim)})"
    elif func == "squeeze":
        ones = [i for i, n in enumerate(shape) if n == 1]
        expr = f"np.squeeze(a, axis={rng.choice(ones)})" if ones and rng.random() < 0.6 else "np.squeeze(a)"
    elif func == "expand_dims":
        expr = f"np.expand_dims(a, {rng.randint(-ndim - 1, ndim)})"
    elif func == "ravel":
        expr = "np.ravel(a)"
    elif func == "method:flatten":
        expr = "a.flatten()"
    elif func in ("concatenate", "stack", "vstack", "hstack", "dstack", "column_stack"):
        count = rng.randint(1, 3)
        other_dtype = dtype if rng.random() < 0.7 else _dtype(rng)
        names = ["a"]
        for k in range(1, count):
            other_shape = list(shape)
            if func in ("concatenate", "hstack", "vstack") and ndim and rng.random() < 0.6:
                ax = (axis if func == "concatenate" else (1 if func == "hstack" and ndim > 1 else 0)) % ndim
                other_shape[ax] = rng.randint(0, 3)
            inputs.array(f"b{k}", tuple(other_shape), other_dtype)
            names.append(f"b{k}")
        seq = "[" + ", ".join(names) + "]" if rng.random() < 0.7 else "(" + ", ".join(names) + ",)"
        if func == "concatenate":
            ax = axis if axis is not None and rng.random() < 0.9 else None
            expr = f"np.concatenate({seq}, axis={ax!r})"
        elif func == "stack":
            expr = f"np.stack({seq}, axis={rng.randint(-ndim - 1, ndim)})"
        else:
            expr = f"np.{func}({seq})"
        dtypes = f"{dtype},{other_dtype}" if count > 1 else dtype
        expected = R.promote(dtype, other_dtype) if count > 1 else None
        return _same(func, f"{count}", dtypes, inputs.setup, expr, dtype=expected)
    elif func in ("split", "array_split", "hsplit", "vsplit"):
        if rng.random() < 0.5:
            expr_arg = rng.randint(1, 4)
        else:
            expr_arg = sorted(rng.randint(-1, 5) for _ in range(rng.randint(0, 3)))
        ax = "" if func in ("hsplit", "vsplit") else f", axis={axis if axis is not None else 0}"
        expr = f"np.{func}(a, {expr_arg!r}{ax})"
    elif func == "tile":
        reps = tuple(rng.randint(0, 3) for _ in range(rng.randint(0, 3)))
        expr = f"np.tile(a, {reps if len(reps) != 1 or rng.random() < 0.5 else reps[0]!r})"
    elif func == "repeat":
        ax = rng.choice([None] + ([axis] if axis is not None else []))
        expr = f"np.repeat(a, {rng.randint(0, 3)}, axis={ax!r})"
        if rng.random() < 0.3:
            expr = f"a.repeat({rng.randint(0, 3)}, axis={ax!r})"
    elif func == "flip":
        expr = f"np.flip(a, axis={rng.choice([None] + ([axis] if axis is not None else []))!r})"
    elif func == "roll":
        shift = rng.randint(-7, 7)
        expr = f"np.roll(a, {shift}, axis={rng.choice([None] + ([axis] if axis is not None else []))!r})"
    elif func == "pad":
        style = rng.random()
        if style < 0.3:
            width = rng.randint(0, 2)
        elif style < 0.6:
            width = (rng.randint(0, 2), rng.randint(0, 2))
        else:
            width = tuple((rng.randint(0, 2), rng.randint(0, 2)) for _ in range(ndim))
        value = rng.choice((0, 1.5, -2, 7))
        expr = f"np.pad(a, {width!r}, mode='constant', constant_values={value})"
        if rng.random() < 0.3 and ndim:
            mode = rng.choice(("edge", "reflect", "symmetric", "minimum", "maximum", "wrap", "mean"))
            expr = f"np.pad(a, {width!r}, mode='{mode}')"
            if 0 in shape or mode == "mean":
                return _same(func, f"mode={mode}", dtype, inputs.setup, expr, expect=C.NO_CRASH)
            return _same(func, f"mode={mode}", dtype, inputs.setup, expr)
    elif func == "broadcast_to":
        target = list(shape)
        target = [rng.randint(1, 3) if n == 1 and rng.random() < 0.5 else n for n in target]
        if rng.random() < 0.4:
            target.insert(0, rng.randint(0, 3))
        expr = f"np.broadcast_to(a, {tuple(target)!r})"
    elif func == "atleast_2d":
        expr = "np.atleast_2d(a)"
    elif func == "copy":
        expr = "np.copy(a)" if rng.random() < 0.5 else "a.copy()"
    else:
        target = rng.choice(L.DTYPES)
        if R.is_float(dtype) and not R.is_float(target) and target != "bool":
            return _astype_safe(rng, dtype, target, shape)  # NaN/inf/out-of-range float -> int is undefined
        return _same(func, target, dtype, inputs.setup, f"a.astype('{target}')", dtype=target)
    if func in (
        "reshape",
        "method:reshape",
        "transpose",
        "method:T",
        "swapaxes",
        "moveaxis",
        "expand_dims",
        "ravel",
        "flip",
        "roll",
        "tile",
        "repeat",
        "broadcast_to",
        "copy",
    ) and R.is_float(dtype):
        return _same(func, "", dtype, inputs.setup, expr, must_work=True)
    if func == "pad" and dtype == "bool":
        return _same(
            func,
            "",
            dtype,
            inputs.setup,
            expr,
            dtype=R.ANY_DTYPE,
            note="bool padded with a number: NumPy casts the value to bool",
        )
    return _same(func, "", dtype, inputs.setup, expr)


def _astype_safe(rng, dtype, target, shape):
    """float -> integer astype with values the C++ cast defines (finite, in range)."""
    inputs = _Inputs(rng)
    values = onp.round(onp.array([rng.uniform(-100, 100) for _ in range(math.prod(shape))]), 2).reshape(shape)
    if target == "uint8":
        values = onp.abs(values)
    inputs.array("a", shape, dtype, values=values.astype(dtype))
    return _same("astype", target, dtype, inputs.setup, f"a.astype('{target}')", dtype=target)


# ---- indexing ---------------------------------------------------------------------------------------------
def _basic_index(rng, shape):
    """Index text of ints, slices (steps, negatives, out-of-range bounds), None and at most one Ellipsis,
    always valid for shape."""
    parts, used, ndim, after_ellipsis = [], 0, len(shape), False
    while used < ndim and (after_ellipsis or rng.random() < 0.85):
        n = shape[used]
        choice = rng.random()
        if choice < 0.3 and n > 0:
            parts.append(str(rng.randrange(-n, n)))
        elif choice < 0.45:
            parts.append("None")
            continue
        elif choice < 0.55 and not after_ellipsis:
            parts.append("...")
            used += rng.randint(0, ndim - used)  # the axes the Ellipsis stands for; the rest are indexed
            after_ellipsis = True
            continue
        else:
            start = rng.choice(("", str(rng.randint(-n - 1, n + 1))))
            stop = rng.choice(("", str(rng.randint(-n - 1, n + 1))))
            step = rng.choice(("", "", "2", "-1", "-2", "3"))
            parts.append(f"{start}:{stop}" + (f":{step}" if step else ""))
        used += 1
    if not parts:
        parts = [":"] if ndim else ["..."]
    return ", ".join(parts)


def indexing_call(rng):
    inputs = _Inputs(rng)
    dtype = _dtype(rng)
    shape = L.random_shape(rng, max_ndim=3)
    inputs.array("a", shape, dtype)
    kind = rng.choice(("basic", "basic", "int-array", "bool-mask", "take", "sort", "argsort", "scalar-index"))
    if kind == "basic":
        return _same("getitem", "basic", dtype, inputs.setup, f"a[{_basic_index(rng, shape)}]")
    if kind == "scalar-index":
        if not shape or 0 in shape:
            return _same("getitem", "ellipsis", dtype, inputs.setup, "a[...]")
        index = ", ".join(str(rng.randrange(-n, n)) for n in shape)
        return _same("getitem", "scalar-index", dtype, inputs.setup, f"a[{index}]")
    if kind == "int-array":
        if not shape:
            return _same("getitem", "ellipsis", dtype, inputs.setup, "a[...]")
        count = rng.randint(1, len(shape))
        index_shape = L.random_shape(rng, max_ndim=2, max_extent=3, empty_rate=0.05)
        names = []
        for k in range(count):
            n = shape[k]
            idx_dtype = rng.choice(("int32", "int64"))
            if n == 0:
                values = onp.zeros((0,), dtype=idx_dtype)
            else:
                values = onp.array(
                    [rng.randrange(-n, n) for _ in range(math.prod(index_shape))], dtype=idx_dtype
                ).reshape(index_shape)
            if rng.random() < 0.05 and n:
                values = values.copy().reshape(-1)
                if values.size:
                    values[0] = n  # out of bounds: NumPy raises IndexError
                values = values.reshape(index_shape if n else (0,))
            inputs.lines.append(f"i{k} = {L.render_array(rng, values, idx_dtype, 'plain')}")
            names.append(f"i{k}")
        rest = ", :" * rng.randint(0, len(shape) - count)
        index = ", ".join(names) + rest
        return _same("getitem", f"int-arrayx{count}", dtype, inputs.setup, f"a[{index}]")
    if kind == "bool-mask":
        if not shape:
            return _same("getitem", "bool-0d", dtype, inputs.setup, "a[np.array(True, dtype='bool')]")
        lead = rng.randint(1, len(shape))
        mask = onp.array([rng.random() < 0.5 for _ in range(math.prod(shape[:lead]))]).reshape(shape[:lead])
        inputs.lines.append(f"m = {L.render_array(rng, mask, 'bool', 'plain')}")
        return _same("getitem", "bool-mask", dtype, inputs.setup, "a[m]")
    if kind == "take":
        ndim = len(shape)
        axis = rng.choice([None] + list(range(-ndim, ndim)))
        n = math.prod(shape) if axis is None else shape[axis]
        mode = rng.choice(("raise", "clip", "wrap"))
        if n == 0 and mode != "raise":
            mode = "raise"  # NumPy hangs on take(mode='wrap') of an empty axis
        count = rng.randint(0, 4)
        spread = max(n, 1) * (3 if mode != "raise" else 1)
        values = [rng.randrange(-spread, spread) for _ in range(count)] if n else []
        inputs.lines.append(f"i = np.array({values!r}, dtype='int64')")
        return _same("take", f"mode={mode}", dtype, inputs.setup, f"np.take(a, i, axis={axis!r}, mode='{mode}')")
    axis = rng.choice([-1, None] + list(range(len(shape))))
    if kind == "sort":
        if dtype == "bool":
            dtype_note = R.ANY_DTYPE
        else:
            dtype_note = None
        return _same("sort", "", dtype, inputs.setup, f"np.sort(a, axis={axis!r})", dtype=dtype_note)
    return _same(
        "argsort",
        "",
        dtype,
        inputs.setup,
        f"np.argsort(a, axis={axis!r}, kind='stable')",
        note="stable order, as mxlite documents",
    )


def setitem_call(rng):
    inputs = _Inputs(rng)
    dtype = _dtype(rng)
    shape = L.random_shape(rng, max_ndim=3)
    if not shape:
        shape = (rng.randint(1, 4),)
    inputs.array("a", shape, dtype, layout="plain")
    kind = rng.choice(("basic", "basic", "int-array", "bool-mask", "scalar-index"))
    index_values = {}
    if kind == "basic":
        index = _basic_index(rng, shape)
    elif kind == "scalar-index":
        index = ", ".join(str(rng.randrange(-n, n)) for n in shape) if 0 not in shape else "..."
    elif kind == "int-array":
        n = shape[0]
        index_values["i"] = onp.array(
            [rng.randrange(-n, n) for _ in range(rng.randint(0, 3))] if n else [], dtype=onp.int64
        )
        inputs.lines.append(f"i = np.array({index_values['i'].tolist()!r}, dtype='int64')")
        index = "i"
    else:
        index_values["m"] = onp.array([rng.random() < 0.5 for _ in range(shape[0])], dtype=bool)
        inputs.lines.append(f"m = {L.render_array(rng, index_values['m'], 'bool', 'plain')}")
        index = "m"
    target_shape = onp.empty(shape)[eval(f"onp.s_[{index}]", {"onp": onp, **index_values})].shape
    value_kind = rng.random()
    if value_kind < 0.35:
        value_dtype = dtype
        if R.is_float(dtype):
            value = L.render_scalar(rng.choice((1.5, -2.0, 0.0, 7.25)))
        elif dtype == "bool":
            value = rng.choice(("True", "False"))
        else:
            value = str(rng.randint(0, 9))
        variant = "scalar"
    else:
        value_dtype = rng.choice(L.DTYPES) if rng.random() < 0.3 else dtype
        value_shape = tuple(target_shape[rng.randint(0, len(target_shape)) :]) if target_shape else ()
        value_shape = tuple(1 if rng.random() < 0.2 else n for n in value_shape)
        if rng.random() < 0.1:
            value_shape = (1,) + value_shape  # an extra leading 1: NumPy accepts
        vals = L.random_array(rng, value_shape, value_dtype, 0.0)
        if R.is_float(value_dtype) and not R.is_float(dtype):
            vals = onp.trunc(vals)
        inputs.lines.append(f"v = {L.render_array(rng, vals, value_dtype)}")
        value = "v"
        variant = "array"
    code = f"a[{index}] = {value}\nr = a"
    reference = code
    if variant == "array" and kind in ("basic", "scalar-index", "int-array") and len(value_shape) > len(target_shape):
        # Extra leading unit dims of the value are dropped (NumPy for non-scalar slots; MXNet 1.9.1 also
        # for a scalar slot, where NumPy 2 raises "setting an array element with a sequence").
        reference = f"a[{index}] = v.reshape({tuple(value_shape[len(value_shape) - len(target_shape) :])!r})\nr = a"
    return C.Call(
        0,
        "setitem",
        f"{kind},{variant}",
        f"{dtype},{value_dtype}",
        inputs.setup,
        code,
        reference,
        dtype=dtype,
        tol="exact",
    )


# ---- linear algebra ------------------------------------------------------------------------------------
def _matrix_dtype(rng):
    return rng.choice(("float32", "float64", "float32", "float64", "int32", "int64", "bool", "uint8"))


def linalg_call(rng):
    """Products get finite inputs: BLAS may skip a zero times NaN, so NaN propagation is not defined there."""
    inputs = _Inputs(rng)
    func = rng.choice(
        (
            "matmul",
            "op:@",
            "dot",
            "tensordot",
            "inner",
            "outer",
            "vdot",
            "einsum",
            "diagonal",
            "trace",
            "diag",
            "linalg.norm",
            "linalg.norm",
        )
    )
    da = _matrix_dtype(rng)
    db = da if rng.random() < 0.7 else _matrix_dtype(rng)
    m, k, n = (rng.randint(0 if rng.random() < 0.1 else 1, 4) for _ in range(3))
    variant, terms = "", max(k, 1)
    if func in ("matmul", "op:@"):
        batch = tuple(rng.randint(1, 3) for _ in range(rng.randint(0, 2)))
        shape_a = batch + (m, k) if rng.random() < 0.85 else (k,)
        batch_b = batch[rng.randint(0, len(batch)) :] if batch else ()
        shape_b = batch_b + (k, n) if rng.random() < 0.85 else (k,)
        inputs.array("a", shape_a, da, 0.02, finite=True)
        inputs.array("b", shape_b, db, 0.02, finite=True)
        expr = "np.matmul(a, b)" if func == "matmul" else "a @ b"
    elif func == "dot":
        shapes = rng.choice(
            (
                ((k,), (k,)),
                ((m, k), (k, n)),
                ((m, k), (k,)),
                ((), (m, n)),
                ((m, k), ()),
                ((2, m, k), (k, n)),
                ((m, k), (2, k, n)),
            )
        )
        inputs.array("a", shapes[0], da, 0.02, finite=True)
        inputs.array("b", shapes[1], db, 0.02, finite=True)
        expr = "np.dot(a, b)"
    elif func == "tensordot":
        shape_a = (m, k, 2)
        axes = rng.choice((0, 1, 2, "pairs"))
        if axes == "pairs":
            shape_b = (2, n, k)
            expr_axes = "([1, 2], [2, 0])"
        else:
            shape_b = shape_a[3 - axes :] + (n,) if axes else (n,)
            expr_axes = str(axes)
        inputs.array("a", shape_a, da, 0.02, finite=True)
        inputs.array("b", shape_b, db, 0.02, finite=True)
        expr = f"np.tensordot(a, b, axes={expr_axes})"
        terms = max(1, k * 2)
    elif func in ("inner", "outer", "vdot"):
        shape_a = rng.choice(((k,), (m, k), ()))
        shape_b = rng.choice(((k,), (n, k))) if func == "inner" else shape_a if func == "vdot" else (n, 2)
        inputs.array("a", shape_a, da, 0.02, finite=True)
        inputs.array("b", shape_b, db, 0.02, finite=True)
        expr = f"np.{func}(a, b)"
        terms = max(1, math.prod(shape_a)) if func == "vdot" else terms
    elif func == "einsum":
        if rng.random() < 0.3:  # mixed float precisions: float64 results must keep float64 accuracy
            da, db = rng.sample(("float32", "float64"), 2)
        return _einsum_call(rng, inputs, da, db)
    elif func in ("diagonal", "trace", "diag"):
        shape = tuple(rng.randint(0, 4) for _ in range(2 if func == "diag" else rng.randint(2, 4)))
        if func == "diag" and rng.random() < 0.4:
            shape = shape[:1]
        inputs.array("a", shape, da, 0.02)
        offset = rng.randint(-3, 3)
        if func == "diag":
            expr = f"np.diag(a, {offset})"
        else:
            ndim = len(shape)
            a1, a2 = rng.sample(range(ndim), 2)
            expr = f"np.{func}(a, {offset}, {a1 - ndim if rng.random() < 0.3 else a1}, {a2})"
        terms = 4
        da = db = da
        return _linalg(
            func,
            variant,
            da,
            inputs.setup,
            expr,
            "*" if func == "trace" and da == "bool" else (R.reduce_dtype("sum", da) if func == "trace" else None),
            terms,
        )
    else:
        return _norm_call(rng, inputs)
    dtypes = f"{da},{db}"
    expected = R.promote(da, db)
    if expected == "bool":
        expected = R.ANY_DTYPE  # MXNet 1.9.1 rejects bool products (R9); NumPy's values are OR of ANDs
    return _linalg(
        func,
        variant,
        dtypes,
        inputs.setup,
        expr,
        expected,
        terms,
        note="" if da == db else "MXNet 1.9.1 rejects some mixed dtypes (R9); values are NumPy's",
    )


def _linalg(func, variant, dtypes, setup, expr, dtype, terms, note=""):
    float_result = dtype in ("float32", "float64")
    same_float = dtypes in ("float32", "float64", "float32,float32", "float64,float64") or (
        set(dtypes.split(",")) <= {"float32"} or set(dtypes.split(",")) <= {"float64"}
    )
    return C.Call(
        0,
        func,
        variant,
        dtypes,
        setup,
        f"r = {expr}",
        f"r = {expr}",
        dtype=dtype,
        tol="accumulate" if float_result else "exact",
        terms=terms,
        upcast=True,
        note=note,
        meta={"degree": 2},
        must_work=same_float,
    )


def _einsum_call(rng, inputs, da, db):
    letters = "ijkl"
    extents = {c: rng.randint(1, 3) for c in letters}
    if rng.random() < 0.05:
        extents[rng.choice(letters)] = 0
    count = rng.randint(1, 3)
    operands, names, dtypes = [], [], []
    ellipsis = rng.random() < 0.2
    batch = tuple(rng.randint(1, 2) for _ in range(rng.randint(0, 2))) if ellipsis else ()
    for k in range(count):
        labels = "".join(rng.choice(letters) for _ in range(rng.randint(0, 3)))
        shape = tuple(extents[c] for c in labels)
        if ellipsis and rng.random() < 0.7:
            labels = "..." + labels
            shape = batch + shape
        dtype = da if k == 0 else rng.choice((da, db))
        # Three operands contract in an order of mxlite's choosing: with inf, inf - inf (NaN) or inf depends
        # on it (as for the other products, whose inputs are finite).
        inputs.array(f"x{k}", shape, dtype, 0.01, finite=count >= 3)
        operands.append(labels)
        names.append(f"x{k}")
        dtypes.append(dtype)
    used = sorted({c for op in operands for c in op if c in letters})
    explicit = rng.random() < 0.7
    spec = ",".join(operands)
    if explicit:
        out = "".join(rng.sample(used, rng.randint(0, len(used))))
        if ellipsis and any("..." in op for op in operands) and rng.random() < 0.7:
            out = "..." + out
        spec += "->" + out
    expr = f"np.einsum('{spec}', {', '.join(names)})"
    variant = ",".join(
        v
        for v, on in (
            ("ellipsis", "..." in spec),
            ("diag", any(len(set(op.replace(".", ""))) < len(op.replace(".", "")) for op in operands)),
            (f"{count}op", True),
        )
        if on
    )
    expected = R.promote_all(dtypes)
    terms = math.prod(extents.values())
    return _linalg(
        "einsum",
        variant,
        ",".join(dtypes),
        inputs.setup,
        expr,
        expected,
        terms,
        note="" if len(set(dtypes)) == 1 else "MXNet 1.9.1 rejects mixed dtypes (R9)",
    )


def _norm_call(rng, inputs):
    dtype = rng.choice(("float32", "float64", "float32", "float64", "int32", "bool"))
    matrix = rng.random() < 0.5
    shape = L.random_shape(rng, max_ndim=3, max_extent=4)
    if matrix and len(shape) < 2:
        shape = shape + (2, 3)[len(shape) :]
    inputs.array("a", shape, dtype, 0.02)
    ndim = len(shape)
    kwargs = []
    if matrix:
        order = rng.choice((None, "'fro'", 1, -1, "np.inf", "-np.inf", 2, -2, "'nuc'"))
        if ndim > 2 or rng.random() < 0.4:
            a1, a2 = rng.sample(range(ndim), 2)
            kwargs.append(f"axis=({a1}, {a2 - ndim if rng.random() < 0.3 else a2})")
        variant = f"matrix,ord={order}"
    else:
        order = rng.choice((None, 1, 2, "np.inf", "-np.inf", 0, 0.5, 3, -1))
        if order == -1 and rng.random() < 0.5:  # signed zeros: 1/0.0 + 1/-0.0
            inputs.lines[-1] = (
                f"a = np.array([0.0, -0.0, 2.0, -1.25], dtype='{dtype}')" if R.is_float(dtype) else inputs.lines[-1]
            )
            shape = (4,) if R.is_float(dtype) else shape
            ndim = len(shape)
        if ndim != 1 or rng.random() < 0.5:
            if ndim == 0:
                kwargs.append("axis=None")
            else:
                kwargs.append(f"axis={rng.randrange(-ndim, ndim)}")
        variant = f"vector,ord={order}"
        if ndim > 1 and not kwargs:
            order = None
    if order is not None:
        kwargs.insert(0, f"ord={order}")
    if rng.random() < 0.3:
        kwargs.append("keepdims=True")
    expr = "np.linalg.norm(" + ", ".join(["a"] + kwargs) + ")"
    ref = expr if R.is_float(dtype) else expr.replace("(a", "(a.astype(np.float32)", 1)
    if not matrix and order in ("np.inf", "-np.inf") and 0 in shape:
        # MXNet 1.9.1 gives 0 for the +-inf norms of empty vectors (NumPy >= 2.3 for +inf; older NumPy and
        # -inf: no identity for maximum/minimum)
        ref = (
            "np.sum(np.abs(a.astype(np.float32 if a.dtype.kind in 'biu' else a.dtype)), "
            + ", ".join(k for k in kwargs if not k.startswith("ord="))
            + ")"
        )
    return C.Call(
        0,
        "linalg.norm",
        variant,
        dtype,
        inputs.setup,
        f"r = {expr}",
        f"r = {ref}",
        dtype=R.float_math_dtype(dtype),
        tol="accumulate",
        terms=max(1, math.prod(shape)) * 4,
        upcast=True,
        meta={"degree": 1},
    )


# ---- creation -------------------------------------------------------------------------------------------
def creation_call(rng):
    func = rng.choice(
        (
            "array",
            "array",
            "zeros",
            "ones",
            "full",
            "arange",
            "arange",
            "linspace",
            "eye",
            "identity",
            "zeros_like",
            "ones_like",
            "full_like",
            "empty",
        )
    )
    dtype_arg = rng.choice(L.DTYPES) if rng.random() < 0.4 else None
    dt = f", dtype='{dtype_arg}'" if dtype_arg else ""
    shape = L.random_shape(rng, max_ndim=3)
    if func == "array":
        kind = rng.random()
        if kind < 0.5:
            source = rng.choice(("int64", "float64", "bool"))
            if dtype_arg in ("uint8", "int8", "int32") and source == "int64":
                source = dtype_arg  # values in the target's range (NumPy 2 rejects others, MXNet wraps)
            values = L.random_array(rng, shape, source, 0.02)
            literal = L.render_nested(values, str(values.dtype))
        else:
            literal = L.render_scalar(rng.choice((3, -2.5, True, 0)))
        lossy = "nan" in literal or "inf" in literal or ("." in literal and not R.is_float(dtype_arg or "float32"))
        if dtype_arg and lossy:
            dtype_arg, dt = None, ""  # NaN/inf/fractions into an integer dtype: undefined or rejected
        expr = f"np.array({literal}{dt})"
        return C.Call(
            0,
            "array",
            "",
            dtype_arg or "default",
            "",
            f"r = {expr}",
            f"r = {expr}",
            dtype=R.creation_dtype("array", dtype_arg),
            tol="exact",
            note="R1: float32 from Python numbers",
        )
    if func in ("zeros", "ones", "empty"):
        expr = f"np.{func}({shape!r}{dt})"
        ref = f"r = np.zeros({shape!r}{dt})" if func == "empty" else f"r = {expr}"
        call = C.Call(
            0,
            func,
            "",
            dtype_arg or "default",
            "",
            f"r = {expr}",
            ref,
            dtype=R.creation_dtype(func, dtype_arg),
            tol="exact",
        )
        if func == "empty":
            call.code = f"r = {expr}.shape, {expr}.dtype"
            call.ref = f"r = np.zeros({shape!r}{dt}).shape, np.dtype('{R.creation_dtype(func, dtype_arg)}')"
            call.dtype = None
        return call
    if func == "full":
        fill = rng.choice((2, -1.5, True, 0.25, 7))
        expr = f"np.full({shape!r}, {fill!r}{dt})"
        return C.Call(
            0,
            "full",
            type(fill).__name__,
            dtype_arg or "default",
            "",
            f"r = {expr}",
            f"r = {expr}",
            dtype=R.creation_dtype("full", dtype_arg, fill),
            tol="exact",
        )
    if func == "arange":
        int_args = rng.random() < 0.5
        if int_args:
            args = [rng.randint(-5, 10)] + ([rng.randint(-5, 12)] if rng.random() < 0.7 else [])
            if len(args) == 2 and rng.random() < 0.5:
                args.append(rng.choice((1, 2, 3, -1, -2)))
        else:
            args = (
                [rng.choice((0, 0.5, -1.25, 2.25))]
                + [rng.choice((1.0, 3.5, 4, -2.0))]
                + ([rng.choice((0.5, 0.25, -0.5, 1.5))] if rng.random() < 0.6 else [])
            )
        if dtype_arg == "bool":
            dtype_arg, dt = None, ""
        if dtype_arg == "uint8":  # negative values into uint8: NumPy 2 raises, MXNet wraps
            args = [abs(x) for x in args[:2]] + [abs(x) for x in args[2:]]
        expr = f"np.arange({', '.join(map(repr, args))}{dt})"
        ref = expr
        if not dtype_arg:
            ref = f"np.arange({', '.join(map(repr, args))}).astype('float32')"
        return C.Call(
            0,
            "arange",
            "int-args" if int_args else "float-args",
            dtype_arg or "default",
            "",
            f"r = {expr}",
            f"r = {ref}",
            dtype=R.creation_dtype("arange", dtype_arg),
            tol="elementwise",
            upcast=True,
        )
    if func == "linspace":
        start, stop = rng.choice((0, -1.5, 2)), rng.choice((1, 4.5, -3, 0))
        num = rng.randint(0, 7)
        endpoint = rng.random() < 0.7
        if dtype_arg == "bool":
            dtype_arg, dt = None, ""
        expr = f"np.linspace({start}, {stop}, {num}, endpoint={endpoint}{dt})"
        call = C.Call(
            0,
            "linspace",
            "",
            dtype_arg or "default",
            "",
            f"r = {expr}",
            f"r = {expr}",
            dtype=R.creation_dtype("linspace", dtype_arg),
            tol="elementwise",
            upcast=True,
        )
        if dtype_arg and not R.is_float(dtype_arg):  # NumPy 2 floors to the integer dtype, MXNet truncates
            call.alternatives = (
                (f"r = np.linspace({start}, {stop}, {num}, endpoint={endpoint}).astype('{dtype_arg}')", dtype_arg),
            )
        return call
    if func in ("eye", "identity"):
        n = rng.randint(0, 5)
        if func == "eye":
            m = rng.choice((None, rng.randint(0, 5), -1))
            expr = f"np.eye({n}, {m!r}, k={rng.randint(-3, 3)}{dt})"
        else:
            expr = f"np.identity({n}{dt})"
        return C.Call(
            0,
            func,
            "",
            dtype_arg or "default",
            "",
            f"r = {expr}",
            f"r = {expr}",
            dtype=R.creation_dtype(func, dtype_arg),
            tol="exact",
        )
    inputs = _Inputs(rng)
    src_dtype = rng.choice(L.DTYPES)
    inputs.array("a", shape, src_dtype)
    if func == "full_like":
        fill = rng.choice((2, -1, 0, 1))
        if (dtype_arg or src_dtype) == "uint8":
            fill = abs(fill)  # -1 into uint8: NumPy 2 raises, MXNet wraps
        expr = f"np.full_like(a, {fill}{dt})"
    else:
        expr = f"np.{func}(a{dt})"
    return C.Call(
        0,
        func,
        "",
        f"{src_dtype},{dtype_arg or 'default'}",
        inputs.setup,
        f"r = {expr}",
        f"r = {expr}",
        dtype=dtype_arg or src_dtype,
        tol="exact",
    )


# ---- adversarial ------------------------------------------------------------------------------------------
# Sizes NumPy rejects outright ("array is too big": the byte count overflows int64) must raise in mxlite
# too; sizes that only exceed the worker's memory limit may raise or, if mxlite answers, the probe value
# printed by the call must be right. Nothing here may crash or hang. NumPy is never run on these.
OVERFLOWING = (
    "(2**32, 2**32)",
    "(2**31, 2**31, 4)",
    "(2**62, 8)",
    "(3, 2**62)",
    "(2**63 - 1,)",
    "(2**33, 2**31)",
    "(0, 2**62)",
    "(2**64,)",
)
TOO_BIG_FOR_MEMORY = ("(2**31,)", "(2**32,)", "(2**20, 2**20)", "(2**40,)")
HUGE_COUNTS = ("2**31", "2**32", "2**62", "2**63 - 1", "2**64", "-1", "-2**63")


def _adversarial(variant, dtypes, setup, code, ref, **kw):
    """An adversarial call, grouped by the function it calls ('bad:eye', 'bad:getitem', ...)."""
    match = re.search(r"np\.([a-z_.]+)\(|^r = (a)\[", code)
    callee = (match.group(1) or "getitem") if match else "expression"
    if callee in ("array", "zeros", "ones", "full", "empty") and ".size" in code:
        callee += ".size"
    return C.Call(0, f"bad:{callee}", variant, dtypes, setup, code, ref, **kw)


def adversarial_call(rng):
    kind = rng.choice(
        (
            "overflow-shape",
            "memory-shape",
            "huge-count",
            "huge-count",
            "too-many-dims",
            "bad-input",
            "bad-input",
            "big-int",
            "nan-args",
        )
    )
    small = "a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype='float32')"
    if kind == "overflow-shape":
        shape = rng.choice(OVERFLOWING)
        expr = rng.choice(
            (
                f"np.ones({shape})",
                f"np.zeros({shape})",
                f"np.full({shape}, 1.5)",
                f"np.empty({shape})",
                f"np.ones({shape}).size",
                f"np.zeros({shape})[1]",
                f"np.broadcast_to(a, {shape[:-1]}, 2, 3))[1, 1]",
                f"np.tile(a, {shape})",
                f"np.reshape(a, {shape})",
            )
        )
        expect = C.RAISE
        if expr.startswith("np.broadcast_to"):  # a broadcast view of a huge shape is valid in NumPy
            return _adversarial("overflow-shape", "", small, f"r = {expr}", "r = a", expect=C.RAISE_OR_VALUE)
        if expr.startswith("np.reshape"):
            expect = C.RAISE
        return _adversarial("overflow-shape", "", small, f"r = {expr}", None, expect=expect)
    if kind == "memory-shape":
        shape = rng.choice(TOO_BIG_FOR_MEMORY)
        probe = rng.choice(("[3]", ".sum()", ".shape")) if "," not in shape else "[1, 2]"
        expr = rng.choice(
            (f"np.ones({shape}){probe}", f"np.zeros({shape}, dtype='float64'){probe}", f"np.full({shape}, 2.0){probe}")
        )
        if probe == ".shape":
            expect_value = f"{eval(shape)!r}"
        elif probe == ".sum()":
            return _adversarial("memory-shape", "", small, f"r = {expr}", None, expect=C.NO_CRASH)
        else:
            expect_value = "2.0" if "full" in expr else "1.0" if "ones" in expr else "0.0"
        ref = f"r = {expect_value}" if probe == ".shape" else f"r = np.array({expect_value}, dtype='float32')"
        if "float64" in expr and probe != ".shape":
            ref = f"r = np.array({expect_value}, dtype='float64')"
        return _adversarial("memory-shape", "", "", f"r = {expr}", ref, expect=C.RAISE_OR_VALUE, tol="exact")
    if kind == "huge-count":
        count = rng.choice(HUGE_COUNTS)
        expr = rng.choice(
            (
                f"np.arange({count})",
                f"np.arange(0, {count})",
                f"np.linspace(0, 1, {count})",
                f"np.eye({count})",
                f"np.identity({count})",
                f"np.eye(2, {count})",
                f"np.tile(a, ({count}, 2))",
                f"np.repeat(a, {count})",
                f"np.split(a, {count}, axis=1)",
                f"np.array_split(a, {count}, axis=1)",
                f"np.pad(a, {count})",
                f"np.diag(a, {count})",
                f"np.diagonal(a, {count})",
                f"np.trace(a, {count})",
                f"np.roll(a, {count})",
                f"np.expand_dims(a, {count})",
                f"np.zeros(({count}, 0))",
                f"a[{count}]",
                f"a[:, {count}:]",
                f"np.take(a, np.array([{count}]), mode='clip')",
                f"np.sum(a, axis={count})",
                f"np.reshape(a, ({count}, -1))",
            )
        )
        benign = ("np.roll(", "a[:, ", "np.take(", "np.diag(", "np.diagonal(", "np.trace(", "np.zeros((")
        expect = C.NO_CRASH if expr.startswith(benign) else C.RAISE
        if count.startswith("-"):
            expect = C.NO_CRASH  # negative counts: an empty arange, a[-1], axis=-1 ... are valid
        if count in ("2**31", "2**32") and not expr.startswith(
            ("a[", "np.sum(", "np.expand_dims(", "np.split(", "np.array_split(", "np.reshape(")
        ):
            expect = C.NO_CRASH  # only too big for the worker's memory limit: NumPy may answer on a big machine
        return _adversarial("huge-count", "", small, f"r = {expr}", None, expect=expect)
    if kind == "too-many-dims":
        ndim = rng.choice((33, 64, 65, 100))
        expr = rng.choice(
            (
                f"np.zeros((1,) * {ndim})",
                f"np.ones((1,) * {ndim}).sum()",
                f"a.reshape((1,) * {ndim - 2} + (2, 3))",
                f"np.expand_dims(np.zeros((1,) * {ndim - 1}), 0)",
            )
        )
        expect = C.RAISE if ndim > 64 else C.NO_CRASH  # NumPy: at most 64 dims (MXNet 1.9.1: 32)
        return _adversarial(f"ndim={ndim}", "", small, f"r = {expr}", None, expect=expect)
    if kind == "bad-input":
        bad = rng.choice(
            (
                "None",
                "'abc'",
                "[1, [2, 3]]",
                "{'x': 1}",
                "[[1, 2], [3]]",
                "object()",
                "[None, 1]",
                "b'xy'",
                "[1, 'a']",
                "set()",
            )
        )
        expr = rng.choice(
            (
                f"np.array({bad})",
                f"np.zeros({bad})",
                f"np.ones({bad})",
                f"a + {bad}",
                f"a[{bad}]",
                f"np.reshape(a, {bad})",
                f"np.sum(a, axis={bad})",
                f"np.full((2,), {bad})",
                f"np.arange({bad})",
                f"np.concatenate({bad})",
                f"np.tile(a, {bad})",
                f"np.transpose(a, {bad})",
                f"np.take(a, {bad})",
            )
        )
        return _adversarial("bad-input", "", small, f"r = {expr}", None, expect=C.NO_CRASH)
    if kind == "big-int":
        value = rng.choice(("2**63", "2**64", "2**70", "-2**63 - 1", "10**30"))
        expr = rng.choice(
            (
                f"np.array([{value}], dtype='int64')",
                f"np.full((2,), {value}, dtype='int64')",
                f"a + {value}",
                f"np.array([1, 2], dtype='int32') * {value}",
                f"np.array([1, 2], dtype='int64') // {value}",
                f"a[0, 0] == {value}",
                f"np.array([{value}])",
            )
        )
        return _adversarial("big-int", "", small, f"r = {expr}", None, expect=C.NO_CRASH)
    value = rng.choice(("np.nan", "np.inf", "-np.inf"))
    if rng.random() < 0.3 and value != "-np.inf":  # NumPy and MXNet 1.9.1 reject these (no length)
        expr = rng.choice((f"np.arange({value})", f"np.arange(0, {value})"))
        return _adversarial("nan-args", "", small, f"r = {expr}", None, expect=C.RAISE)
    expr = rng.choice(
        (
            f"np.arange({value})",
            f"np.arange(0, {value})",
            f"np.linspace(0, {value}, 3)",
            f"np.full((2,), {value}, dtype='int32')",
            f"np.eye(3, k={value})",
            f"np.array([{value}]).astype('int64')",
            f"np.roll(a, {value})",
            f"np.clip(a, {value}, {value})",
        )
    )
    return _adversarial("nan-args", "", small, f"r = {expr}", None, expect=C.NO_CRASH)
