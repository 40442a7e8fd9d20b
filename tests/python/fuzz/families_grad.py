"""Gradient calls: float64 inputs marked with attach_grad, a random head gradient h, and the oracle compares
each input's .grad with central differences of sum(h * r) computed on the NumPy reference text. A fifth of
them take a second derivative through autograd.grad(create_graph=True) instead."""

import math

import numpy as onp

from . import calls as C
from . import literals as L

# Unary functions with the interval their gradient is checked on (away from poles and kinks).
UNARY_DOMAINS = {
    "exp": (-2, 2),
    "expm1": (-2, 2),
    "log": (0.2, 4),
    "log1p": (-0.5, 3),
    "log2": (0.2, 4),
    "log10": (0.2, 4),
    "sqrt": (0.2, 4),
    "cbrt": (0.2, 4),
    "sin": (-3, 3),
    "cos": (-3, 3),
    "tan": (-1.2, 1.2),
    "arcsin": (-0.8, 0.8),
    "arccos": (-0.8, 0.8),
    "arctan": (-3, 3),
    "sinh": (-2, 2),
    "cosh": (-2, 2),
    "tanh": (-2, 2),
    "arcsinh": (-3, 3),
    "arccosh": (1.2, 4),
    "arctanh": (-0.8, 0.8),
    "degrees": (-3, 3),
    "radians": (-3, 3),
    "negative": (-3, 3),
    "abs": (0.2, 3),
    "square": (-3, 3),
    "reciprocal": (0.3, 3),
    "sign": (0.2, 3),
    "floor": (0.1, 0.9),
    "ceil": (0.1, 0.9),
    "trunc": (0.1, 0.9),
    "rint": (0.1, 0.4),
}
NPX_DOMAINS = {"relu": (0.1, 3), "sigmoid": (-3, 3), "erf": (-2, 2), "gammaln": (0.5, 4), "gamma": (0.5, 3)}


def _shape(rng, max_ndim=3, min_ndim=0):
    while True:
        shape = L.random_shape(rng, max_ndim=max_ndim, max_extent=4, empty_rate=0.0, max_size=24)
        if len(shape) >= min_ndim:
            return shape


class _Leaves:
    """float64 leaves: values, setup literals, and how the expression refers to each (maybe via a view)."""

    def __init__(self, rng):
        self.rng, self.lines, self.values, self.refs = rng, [], {}, {}

    def add(self, shape, low=-2.0, high=2.0, gap=0.0):
        name = f"x{len(self.values)}"
        values = L.smooth_array(self.rng, shape, low, high, gap)
        ref = name
        if len(shape) >= 2 and self.rng.random() < 0.25:  # reach the values through a transposed view
            self.lines.append(f"{name} = np.array({L.render_nested(values.T, 'float64')}, dtype='float64')")
            self.values[name] = values.T.copy()
            ref = f"{name}.T"
        elif shape and self.rng.random() < 0.15:  # ... or through a reversing slice
            self.lines.append(f"{name} = np.array({L.render_nested(values[::-1], 'float64')}, dtype='float64')")
            self.values[name] = values[::-1].copy()
            ref = f"{name}[::-1]"
        else:
            self.lines.append(f"{name} = np.array({L.render_nested(values, 'float64')}, dtype='float64')")
            self.values[name] = values
        self.refs[name] = ref
        return ref


def _axis(rng, ndim):
    if ndim == 0 or rng.random() < 0.3:
        return None
    return rng.randrange(-ndim, ndim)


def _expression(rng, leaves):
    """(func, expression) of one differentiable call on new leaves."""
    family = rng.choice(
        ("unary", "unary", "binary", "binary", "reduce", "reduce", "shape", "shape", "index", "linalg", "linalg", "npx")
    )
    if family == "unary":
        func = rng.choice(sorted(UNARY_DOMAINS))
        x = leaves.add(_shape(rng), *UNARY_DOMAINS[func])
        return func, f"np.{func}({x})"
    if family == "npx":
        func = rng.choice(sorted(NPX_DOMAINS) + ["softmax", "log_softmax"])
        if func in ("softmax", "log_softmax"):
            shape = _shape(rng, min_ndim=1)
            x = leaves.add(shape)
            axis = rng.randrange(-len(shape), len(shape))
            return f"npx.{func}", (f"npx.{func}({x}, axis={axis})", f"{func}({x}, axis={axis})")
        x = leaves.add(_shape(rng), *NPX_DOMAINS[func])
        return f"npx.{func}", (f"npx.{func}({x})", f"{func}({x})")
    if family == "binary":
        func = rng.choice(
            (
                "add",
                "subtract",
                "multiply",
                "divide",
                "power",
                "maximum",
                "minimum",
                "hypot",
                "arctan2",
                "op:*",
                "op:/",
                "op:**",
                "where",
                "clip",
                "copysign",
            )
        )
        shape = _shape(rng)
        other = tuple(1 if rng.random() < 0.3 else n for n in shape[rng.randint(0, len(shape)) :])
        if func in ("maximum", "minimum", "where", "clip"):
            other = shape  # distinct values across both operands need the same shape here
        if func in ("power", "op:**"):
            a, b = leaves.add(shape, 0.5, 2.5), leaves.add(other, -2, 2)
        elif func in ("divide", "op:/"):
            a, b = leaves.add(shape), leaves.add(other, 0.5, 2.5)
        elif func in ("maximum", "minimum"):
            a = leaves.add(shape, -2, 2)
            b = f"({leaves.add(other, -2, 2)} + 0.0005)"  # values have 3 decimals: never a tie (a kink)
        elif func == "copysign":
            a, b = leaves.add(shape, 0.2, 2), leaves.add(other, 0.2, 2)
        else:
            a, b = leaves.add(shape), leaves.add(other, 0.3, 2.5)
        if func.startswith("op:"):
            return func, f"{a} {func[3:]} {b}"
        if func == "where":
            return func, f"np.where({a} > 0.0005, {a} * {b}, {b})"
        if func == "clip":
            return func, f"np.clip({a}, -1.0005, 1.0005)"
        return func, f"np.{func}({a}, {b})"
    if family == "reduce":
        func = rng.choice(
            ("sum", "mean", "prod", "max", "min", "std", "var", "cumsum", "linalg.norm", "method:sum", "method:mean")
        )
        shape = _shape(rng)
        gap = 0.01 if func in ("max", "min", "linalg.norm") else 0.0  # no ties: max and inf-norms have kinks there
        x = leaves.add(shape, 0.3 if func in ("prod", "linalg.norm") else -2, 2, gap)
        axis = _axis(rng, len(shape))
        keep = ", keepdims=True" if rng.random() < 0.3 and func not in ("cumsum",) else ""
        if func == "linalg.norm":
            if len(shape) >= 2 and rng.random() < 0.4:
                order = rng.choice(("None", "'fro'", "1", "np.inf", "2", "'nuc'"))
                return func + "[matrix]", f"np.linalg.norm({x}, ord={order}, axis=(0, 1){keep})"
            if axis is None and len(shape) != 1:
                return func, f"np.linalg.norm({x}{keep})"
            order = rng.choice(("None", "1", "2", "3", "np.inf"))
            return func + "[vector]", f"np.linalg.norm({x}, ord={order}, axis={axis}{keep})"
        if func.startswith("method:"):
            return func, f"{x}.{func[7:]}(axis={axis}{keep})"
        ddof = f", ddof={rng.choice((0, 1))}" if func in ("std", "var") and rng.random() < 0.3 else ""
        if func == "cumsum":
            return func, f"np.cumsum({x}, axis={axis})"
        return func, f"np.{func}({x}, axis={axis}{keep}{ddof})"
    if family == "shape":
        func = rng.choice(
            (
                "reshape",
                "transpose",
                "swapaxes",
                "moveaxis",
                "expand_dims",
                "squeeze",
                "concatenate",
                "stack",
                "tile",
                "repeat",
                "flip",
                "roll",
                "pad",
                "broadcast_to",
                "split",
                "ravel",
            )
        )
        shape = _shape(rng, min_ndim=1)
        ndim = len(shape)
        x = leaves.add(shape)
        axis = rng.randrange(-ndim, ndim)
        exprs = {
            "reshape": f"np.reshape({x}, (-1,))",
            "transpose": f"np.transpose({x})",
            "swapaxes": f"np.swapaxes({x}, 0, {axis})",
            "moveaxis": f"np.moveaxis({x}, 0, {axis})",
            "expand_dims": f"np.expand_dims({x}, {axis})",
            "squeeze": f"np.squeeze(np.expand_dims({x}, 0))",
            "tile": f"np.tile({x}, {tuple(rng.randint(1, 2) for _ in range(rng.randint(1, 3)))!r})",
            "repeat": f"np.repeat({x}, {rng.randint(1, 3)}, axis={axis})",
            "flip": f"np.flip({x}, {axis})",
            "roll": f"np.roll({x}, {rng.randint(-3, 3)}, axis={axis})",
            "pad": f"np.pad({x}, {rng.randint(0, 2)}, mode='constant')",
            "broadcast_to": f"np.broadcast_to({x}, (2,) + {x}.shape)",
            "ravel": f"np.ravel({x})",
        }
        if func in ("concatenate", "stack"):
            y = leaves.add(shape)
            op_axis = axis if func == "concatenate" else rng.randint(-ndim - 1, ndim)
            return func, f"np.{func}([{x}, {y}], axis={op_axis})"
        if func == "split":
            n = shape[axis]
            return func, f"np.array_split({x}, {rng.randint(1, n)}, axis={axis})[0]"
        return func, exprs[func]
    if family == "index":
        shape = _shape(rng, min_ndim=1)
        x = leaves.add(shape)
        n = shape[0]
        kind = rng.choice(("slice", "int-array", "bool-mask", "take"))
        if kind == "slice":
            return "getitem", f"{x}[{rng.choice(('::2', '1:', '::-1', '-1', '...'))}]"
        if kind == "int-array":
            idx = [rng.randrange(-n, n) for _ in range(rng.randint(1, 4))]
            return "getitem[int-array]", f"{x}[np.array({idx!r}, dtype='int64')]"
        if kind == "take":
            idx = [rng.randrange(0, n) for _ in range(rng.randint(1, 4))]
            return "take", f"np.take({x}, np.array({idx!r}, dtype='int64'), axis=0)"
        mask = [rng.random() < 0.5 for _ in range(n)]
        return "getitem[bool-mask]", f"{x}[np.array({mask!r}, dtype='bool')]"
    func = rng.choice(("matmul", "op:@", "dot", "tensordot", "inner", "outer", "vdot", "einsum", "diagonal", "trace"))
    m, k, n = (rng.randint(1, 3) for _ in range(3))
    if func in ("matmul", "op:@"):
        batch = (2,) if rng.random() < 0.3 else ()
        a, b = leaves.add(batch + (m, k)), leaves.add((k, n) if rng.random() < 0.8 else (k,))
        return func, f"np.matmul({a}, {b})" if func == "matmul" else f"{a} @ {b}"
    if func == "dot":
        return func, f"np.dot({leaves.add((m, k))}, {leaves.add(rng.choice(((k, n), (k,))))})"
    if func == "tensordot":
        return func, f"np.tensordot({leaves.add((m, k, 2))}, {leaves.add((k, 2, n))}, axes=2)"
    if func in ("inner", "vdot"):
        return func, f"np.{func}({leaves.add((m, k))}, {leaves.add(((n, k) if func == 'inner' else (m, k)))})"
    if func == "outer":
        return func, f"np.outer({leaves.add((m,))}, {leaves.add((n, k))})"
    if func == "einsum":
        spec, shapes = rng.choice(
            (
                ("ij,jk->ik", ((m, k), (k, n))),
                ("ij,ij->i", ((m, k), (m, k))),
                ("ii->i", ((k, k),)),
                ("ii", ((k, k),)),
                ("i,j->ij", ((m,), (n,))),
                ("...j,j->...", ((2, m, k), (k,))),
                ("ijk->kj", ((m, k, n),)),
                ("ij,jk,kl->il", ((m, k), (k, n), (n, 2))),
            )
        )
        names = ", ".join(leaves.add(s) for s in shapes)
        return "einsum", f"np.einsum('{spec}', {names})"
    shape = (m + 1, k + 1) + ((2,) if rng.random() < 0.4 else ())
    offset = rng.randint(-1, 1)
    return func, f"np.{func}({leaves.add(shape)}, {offset})"


def grad_call(rng):
    leaves = _Leaves(rng)
    func, expression = _expression(rng, leaves)
    mx_expr, ref_expr = expression if isinstance(expression, tuple) else (expression, expression)
    second = rng.random() < 0.2 and func not in ("floor", "ceil", "trunc", "rint", "sign")  # (flat: nothing to do)
    if second:  # sin(...) makes the second derivative non-zero even where the op is linear
        mx_expr, ref_expr = f"np.sin({mx_expr})", f"np.sin({ref_expr})"
    namespace = {"np": onp, **_reference_helpers(), **leaves.values}
    with onp.errstate(all="ignore"):
        out = onp.asarray(eval(ref_expr, namespace))
    head = L.smooth_array(rng, out.shape, -2, 2)
    names = list(leaves.values)
    setup = leaves.lines + [f"h = {L.render_array(rng, head, 'float64', 'plain')}"]
    attach = "\n".join(f"{name}.attach_grad()" for name in (names[:1] if second else names))
    if second:
        first = names[0]
        direction = L.smooth_array(rng, leaves.values[first].shape, -1, 1)
        setup.append(f"v = np.array({L.render_nested(direction, 'float64')}, dtype='float64')")
        code = (
            f"{attach}\nwith autograd.record():\n    r = {mx_expr}\n"
            f"    g = autograd.grad(r, [{first}], head_grads=h, create_graph=True)[0]\n"
            f"    s = (g * v).sum()\ns.backward()"
        )
        expect, used = C.GRAD2, (first,)
    else:
        code = f"{attach}\nwith autograd.record():\n    r = {mx_expr}\nr.backward(h)"
        expect, used = C.GRAD, tuple(names)
    return C.Call(
        0,
        func,
        "grad2" if second else "grad",
        "float64",
        "\n".join(setup),
        code,
        f"r = {ref_expr}",
        expect=expect,
        dtype="float64",
        tol="accumulate",
        terms=max(1, int(math.prod(out.shape) or 1)) * 8,
        leaves=used,
        meta={"degree": 2},
        must_work=not second,
    )


def _reference_helpers():
    from . import rules

    return rules.REFERENCE_HELPERS
