"""Random calls as source text: ``generate(seed, index)`` is a pure function of its arguments.

Each family function draws one call of its kind and returns a calls.Call with the mxlite source, the NumPy
reference source and the modelled expectation (rules.py). Families: elementwise unary, binary (arrays with
broadcasting, Python scalars on both sides, operators, in-place operators, comparisons), reductions, shape
ops, indexing and assignment, linear algebra, creation, gradients (first and second order, against finite
differences) and adversarial inputs (huge sizes, too many dims, out-of-range ints, bad Python objects).
"""

import math
import random
import warnings

import numpy as onp

from . import calls as C
from . import literals as L
from . import rules as R
from .families_grad import grad_call
from .families_more import adversarial_call, creation_call, indexing_call, linalg_call, setitem_call, shape_call


class Inputs:
    """The setup lines of a call and the NumPy values of its inputs."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.values = {}

    def array(self, name, shape, dtype, special_rate=0.05, layout=None, values=None):
        if values is None:
            values = L.random_array(self.rng, shape, dtype, special_rate)
        self.lines.append(f"{name} = {L.render_array(self.rng, values, dtype, layout)}")
        self.values[name] = values
        return values

    def line(self, text):
        self.lines.append(text)

    @property
    def setup(self):
        return "\n".join(self.lines)


def pick_dtype(rng, float_bias=0.5):
    if rng.random() < float_bias:
        return rng.choice(L.FLOAT_DTYPES)
    return rng.choice(L.DTYPES)


def broadcast_partner(rng, shape):
    """A shape that broadcasts with `shape`: trailing axes kept, some set to 1, leading ones dropped or added."""
    other = list(shape[rng.randint(0, len(shape)) :]) if shape else []
    other = [1 if rng.random() < 0.3 else n for n in other]
    if rng.random() < 0.2 and len(other) < 4:
        other.insert(0, rng.randint(1, 3))
    if shape and rng.random() < 0.15:
        return tuple(other), tuple(1 if rng.random() < 0.5 else n for n in shape)
    return shape, tuple(other)


# ---- elementwise unary --------------------------------------------------------------------------------
# kind: 'float' (float-valued: float32 for integral input, rule R3), 'keep' (keeps integer dtypes),
# 'bool' (bool result); domain: (low, high) for gradient values.
UNARY = {
    "exp": "float",
    "expm1": "float",
    "log": "float",
    "log1p": "float",
    "log2": "float",
    "log10": "float",
    "sqrt": "float",
    "cbrt": "float",
    "sin": "float",
    "cos": "float",
    "tan": "float",
    "arcsin": "float",
    "arccos": "float",
    "arctan": "float",
    "sinh": "float",
    "cosh": "float",
    "tanh": "float",
    "arcsinh": "float",
    "arccosh": "float",
    "arctanh": "float",
    "degrees": "float",
    "radians": "float",
    "negative": "keep",
    "positive": "keep",
    "abs": "keep",
    "absolute": "keep",
    "sign": "keep",
    "square": "keep",
    "floor": "keep",
    "ceil": "keep",
    "trunc": "keep",
    "rint": "keep",
    "reciprocal": "keep",
    "isnan": "bool",
    "isinf": "bool",
    "isfinite": "bool",
    "logical_not": "bool",
    "invert": "int",
}
NPX_UNARY = {"relu": "relu(a)", "sigmoid": "sigmoid(a)", "erf": "erf(a)", "gamma": "gamma(a)", "gammaln": "gammaln(a)"}


def unary_call(rng):
    inputs = Inputs(rng)
    if rng.random() < 0.15:
        func = rng.choice(sorted(NPX_UNARY))
        dtype = rng.choice(L.FLOAT_DTYPES) if rng.random() < 0.85 else rng.choice(L.INT_DTYPES)
        inputs.array("a", L.random_shape(rng), dtype)
        arg = "a" if R.is_float(dtype) else "a.astype('float32')"
        if func == "relu":  # keeps integer dtypes (MXNet 1.9.1)
            return C.Call(
                0, "npx.relu", "", dtype, inputs.setup, "r = npx.relu(a)", "r = relu(a)", dtype=dtype, tol="exact"
            )
        ref = f"r = {NPX_UNARY[func].replace('(a)', f'({arg})')}.astype('{R.float_math_dtype(dtype)}')"
        # special functions: libm and Python's math module differ by more than a rounding error
        return C.Call(
            0,
            f"npx.{func}",
            "",
            dtype,
            inputs.setup,
            f"r = npx.{func}(a)",
            ref,
            dtype=R.float_math_dtype(dtype),
            tol="accumulate",
            terms=64,
            upcast=True,
            meta={"degree": 0},
        )
    func = rng.choice(sorted(UNARY))
    kind = UNARY[func]
    dtype = pick_dtype(rng, 0.5)
    values = inputs.array("a", L.random_shape(rng), dtype)
    if func == "reciprocal" and dtype in L.INT_DTYPES and (values == 0).any():
        inputs.lines.pop()  # integer 1/0 is undefined: the same values with 1 for 0
        inputs.array("a", values.shape, dtype, values=onp.where(values == 0, 1, values).astype(dtype))
    code = f"r = np.{func}(a)"
    ref = code
    expected, note = None, ""
    if kind == "float":
        expected = R.float_math_dtype(dtype)
        if not R.is_float(dtype):
            ref = f"r = np.{func}(a.astype('float32'))"  # R3: integral input is computed in float32
    elif kind == "keep" and dtype == "bool":
        expected, note = R.ANY_DTYPE, "MXNet 1.9.1 rejects this op on bool (R9)"
    elif kind == "keep" and func == "rint" and not R.is_float(dtype):
        expected = dtype  # MXNet keeps the integer dtype (NumPy float64); float32 accepted below
        ref = "r = a.copy()"
    elif kind == "keep" and func in ("floor", "ceil", "trunc") and not R.is_float(dtype):
        expected = dtype  # the identity on integers (NumPy >= 2.1; older NumPy gives floats)
        ref = "r = a.copy()"
    call = C.Call(
        0,
        func,
        "",
        dtype,
        inputs.setup,
        code,
        ref,
        dtype=expected,
        note=note,
        tol="elementwise" if kind == "float" else "exact",
        upcast=kind == "float",
        must_work=R.is_float(dtype) and kind != "int",
    )
    if func == "rint" and not R.is_float(dtype):
        call.alternatives = (("r = np.rint(a.astype('float32'))", "float32"),)
    if func == "sign" and R.is_float(dtype):  # MXNet 1.9.1: sign(NaN) is 0 (NumPy NaN)
        call.alternatives = (("r = np.where(np.isnan(a), 0, np.sign(a)).astype(a.dtype)", dtype),)
    return call


# ---- binary: arrays, Python scalars, operators, in-place -------------------------------------------------
ARITH = ("add", "subtract", "multiply", "maximum", "minimum", "mod", "remainder", "floor_divide", "power")
TRUE_DIV = ("divide", "true_divide")
FLOAT_BINARY = ("hypot", "arctan2", "copysign")
INT_BINARY = ("lcm", "gcd", "bitwise_and", "bitwise_or", "bitwise_xor")
LOGICAL = ("logical_and", "logical_or", "logical_xor")
COMPARE = ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal")
OPERATORS = {
    "+": "add",
    "-": "subtract",
    "*": "multiply",
    "/": "divide",
    "//": "floor_divide",
    "%": "mod",
    "**": "power",
    "&": "bitwise_and",
    "|": "bitwise_or",
    "^": "bitwise_xor",
    "==": "equal",
    "!=": "not_equal",
    "<": "less",
    "<=": "less_equal",
    ">": "greater",
    ">=": "greater_equal",
}
INPLACE = ("+=", "-=", "*=", "/=", "//=", "%=", "**=")


def array_array_expectation(func, da, db):
    """(reference text, expected dtype, note) of func(a, b) for two arrays (rules R2-R4, R6, R9)."""
    both_bool = da == db == "bool"
    if func in TRUE_DIV:
        return f"r = np.{func}(a, b)", R.true_divide_dtype(da, db), ""
    if func in FLOAT_BINARY:
        d = R.float_math_dtype(R.promote(da, db))
        cast = "" if R.is_float(R.promote(da, db)) else ".astype('float32')"
        return f"r = np.{func}(a{cast}, b{cast})", d, ""
    if func in LOGICAL or func in COMPARE:
        note = "" if da == db else "MXNet 1.9.1 rejects mixed-dtype comparisons (R9)"
        return f"r = np.{func}(a, b)", "bool", note
    d = R.promote(da, db)
    if func in INT_BINARY:
        return f"r = np.{func}(a, b)", (R.ANY_DTYPE if "bool" in (da, db) and func in ("lcm", "gcd") else d), ""
    if both_bool and func in ("mod", "remainder", "floor_divide", "power"):
        return f"r = np.{func}(a, b)", R.ANY_DTYPE, "bool with bool: NumPy int8, MXNet 1.9.1 bool or rejects (R9)"
    if func == "power" and d in L.INT_DTYPES:
        return f"r = int_power(a.astype('{d}'), b.astype('{d}'))", d, "R6: integer power"
    if d != str(onp.result_type(onp.dtype(da), onp.dtype(db))):
        return f"r = np.{func}(a.astype('{d}'), b.astype('{d}'))", d, "R2: mxlite's promotion"
    return f"r = np.{func}(a, b)", d, ""


def binary_call(rng):
    inputs = Inputs(rng)
    operator = None
    if rng.random() < 0.4:
        operator = rng.choice(sorted(OPERATORS))
        func = OPERATORS[operator]
    else:
        func = rng.choice(ARITH + TRUE_DIV + FLOAT_BINARY + INT_BINARY + LOGICAL + COMPARE)
    da = pick_dtype(rng, 0.5)
    db = da if rng.random() < 0.6 else pick_dtype(rng, 0.5)
    shape_a, shape_b = broadcast_partner(rng, L.random_shape(rng))
    variant = "broadcast" if shape_a != shape_b else ""
    if rng.random() < 0.04:  # shapes that do not broadcast
        shape_a, shape_b = shape_a[:-1] + (2,), (3,)
        variant = "mismatch"
    special = 0.0 if func in ("lcm", "gcd") else 0.05  # an overflowing lcm is garbage in NumPy too
    va = inputs.array("a", shape_a, da, special)
    vb = inputs.array("b", shape_b, db, special)
    ref, expected, note = array_array_expectation(func, da, db)
    if func == "power" and R.promote(da, db) in L.INT_DTYPES and (vb < 0).any() and (va == 0).any():
        inputs.lines[0] = f"a = {L.render_array(rng, onp.where(va == 0, 1, va).astype(da), da)}"  # 0 ** -n
    code = f"r = a {operator} b" if operator else f"r = np.{func}(a, b)"
    call = C.Call(
        0,
        f"op:{operator}" if operator else func,
        variant,
        f"{da},{db}",
        "\n".join(inputs.lines),
        code,
        ref,
        dtype=expected,
        note=note,
        tol="exact" if func in LOGICAL + COMPARE + INT_BINARY else "elementwise",
        upcast=True,
    )
    if variant == "mismatch":
        call.expect = C.RAISE
    if func == "power" and R.is_float(expected or ""):
        call.alternatives = ((f"r = c_pow(a, b).astype('{expected}')", expected),)
    call.must_work = da == db and R.is_float(da) and variant != "mismatch" and func not in INT_BINARY
    return call


def random_python_scalar(rng, array_dtype):
    kind = rng.choice(("pyint", "pyint", "pyneg", "pyfloat", "pyfloat", "pybool"))
    if kind == "pybool":
        return kind, rng.random() < 0.5
    if kind == "pyfloat":
        if R.is_float(array_dtype) and rng.random() < 0.1:
            return kind, rng.choice((math.nan, math.inf, -math.inf, 1e30, -0.0))
        return kind, rng.choice((0.5, 1.5, 2.75, -0.75, -2.5, 3.0, 0.0, 1e-3))
    if kind == "pyneg":
        return kind, rng.choice((-1, -2, -3, -7))
    if rng.random() < 0.15 and array_dtype in ("uint8", "int8"):  # out of the dtype's range: wraps (R5)
        return kind, rng.choice((128, 255, 256, 300, 1000, -129))  # (beyond int32, MXNet's cast is undefined)
    return kind, rng.choice((0, 1, 2, 3, 5, 7))


def scalar_expectation(func, dtype, kind, value, left):
    """(reference, expected dtype, alternatives, expect, note) of func(a, s) / func(s, a) (rules R3-R6, R8)."""
    s = L.render_scalar(value)
    if left and s.startswith("-"):
        s = f"({s})"  # -0.75 ** a would mean -(0.75 ** a)
    compute = R.scalar_compute_dtype(dtype)
    conv = f"mx_scalar({s}, '{compute}')"
    arr = "a" if compute == dtype else f"a.astype('{compute}')"
    args = f"{conv}, {arr}" if left else f"{arr}, {conv}"
    plain = f"{s}, a" if left else f"a, {s}"
    if func in TRUE_DIV:
        d = R.float_math_dtype(dtype)
        cast = "" if R.is_float(dtype) else ".astype('float32')"
        ref = f"r = np.{func}({s}, a{cast})" if left else f"r = np.{func}(a{cast}, {s})"
        return ref, d, (), C.VALUE, "R4"
    if func in COMPARE:
        own = f"mx_scalar({s}, '{dtype}')"  # MXNet converts to the array's own dtype, bool included
        alternative = (
            ((f"r = np.{func}({own}, a)" if left else f"r = np.{func}(a, {own})", "bool"),)
            if not R.is_float(dtype)
            else ()
        )
        return f"r = np.{func}({plain})", "bool", alternative, C.VALUE, "R8: exact, or MXNet's converted scalar"
    if func in LOGICAL:
        return f"r = np.{func}({plain})", "bool", (), C.VALUE, ""
    if func in INT_BINARY:
        if R.is_float(dtype) or (kind == "pyfloat" and func in ("lcm", "gcd")):
            return f"r = np.{func}({plain})", None, (), C.RAISE, "integer op of a float: NumPy and MXNet reject"
        if dtype == "bool":
            # NumPy: bool with a Python bool stays bool, with an int gives int64; MXNet 1.9.1 converts the scalar
            # to bool and gives bool. Either is accepted.
            own = f"mx_scalar({s}, 'bool')"
            as_bool = ((f"r = np.{func}({own}, a)" if left else f"r = np.{func}(a, {own})"), "bool")
            if kind == "pybool":
                return f"r = np.{func}({plain})", "bool", (), C.VALUE, ""
            return f"r = np.{func}({args})", "int64", (as_bool,), C.VALUE, "R5, or MXNet's bool"
        return f"r = np.{func}({args})", compute, (), C.VALUE, "R5: the scalar takes the array's dtype"
    if func in FLOAT_BINARY:
        d = R.float_math_dtype(dtype)
        operand = "a" if R.is_float(dtype) else f"a.astype('{compute}').astype('float32')"
        ref = f"r = np.{func}({conv}, {operand})" if left else f"r = np.{func}({operand}, {conv})"
        alternatives = ()
        if dtype == "bool" and kind == "pyfloat":  # mxlite documents float32 for bool arrays with a float scalar
            alternatives = ((f"r = np.{func}({plain.replace('a', 'a.astype(np.float32)')})", "float32"),)
        return ref, d, alternatives, C.VALUE, "R5 then R3"
    if func == "power" and compute in L.INT_DTYPES:
        base, exponent = (conv, arr) if left else (arr, conv)
        ref = f"r = int_power({base}, {exponent})"
    else:
        ref = f"r = np.{func}({args})"
    alternatives = ()
    if dtype == "bool" and kind == "pyfloat":  # mxlite documents float32 for bool arrays with a float scalar
        alternatives = ((f"r = np.{func}({plain.replace('a', 'a.astype(np.float32)')})", "float32"),)
    return ref, compute, alternatives, C.VALUE, "R5: the scalar takes the array's dtype"


def scalar_call(rng):
    inputs = Inputs(rng)
    operator = None
    if rng.random() < 0.5:
        operator = rng.choice(sorted(OPERATORS))
        func = OPERATORS[operator]
    else:
        func = rng.choice(ARITH + TRUE_DIV + FLOAT_BINARY + INT_BINARY + LOGICAL + COMPARE)
    dtype = pick_dtype(rng, 0.4)
    va = inputs.array("a", L.random_shape(rng), dtype, 0.0 if func in ("lcm", "gcd") else 0.05)  # (lcm overflow)
    kind, value = random_python_scalar(rng, dtype)
    left = rng.random() < 0.4
    if func in ("floor_divide", "mod", "remainder") and not R.is_float(dtype):
        if left and (va == 0).any():  # integer division by zero is undefined in MXNet
            inputs.lines[0] = f"a = {L.render_array(rng, onp.where(va == 0, 1, va).astype(dtype), dtype)}"
        if not left and R.mx_scalar(value, R.scalar_compute_dtype(dtype)) == 0:
            value = 3 if kind != "pyfloat" else 3.5
    if func == "power" and not R.is_float(dtype) and not left and value < 0 and (va == 0).any():
        inputs.lines[0] = f"a = {L.render_array(rng, onp.where(va == 0, 1, va).astype(dtype), dtype)}"
    s = L.render_scalar(value)
    if left and s.startswith("-"):
        s = f"({s})"
    ref, expected, alternatives, expect, note = scalar_expectation(func, dtype, kind, value, left)
    if func == "power" and R.is_float(expected or ""):
        call_args = f"{s}, a" if left else f"a, {s}"
        alternatives = alternatives + ((f"r = c_pow({call_args}).astype('{expected}')", expected),)
    if operator:
        code = f"r = {s} {operator} a" if left else f"r = a {operator} {s}"
        if operator in ("&", "|", "^") and (R.is_float(dtype) or kind == "pyfloat"):
            expect = C.RAISE  # NumPy and MXNet 1.9.1 reject a float operand of a bitwise operator
    else:
        code = f"r = np.{func}({s}, a)" if left else f"r = np.{func}(a, {s})"
    if func in ("floor_divide",) and operator and kind == "pyfloat" and not R.is_float(dtype):
        expect, note = C.RAISE_OR_VALUE, "MXNet 1.9.1 has no // for arrays; NumPy rejects the float scalar"
    return C.Call(
        0,
        f"op:{operator}" if operator else func,
        "scalar-left" if left else "scalar",
        f"{kind},{dtype}" if left else f"{dtype},{kind}",
        inputs.setup,
        code,
        ref,
        expect=expect,
        dtype=expected,
        alternatives=alternatives,
        note=note,
        tol="exact" if func in LOGICAL + COMPARE + INT_BINARY else "elementwise",
        upcast=True,
    )


def inplace_call(rng):
    inputs = Inputs(rng)
    operator = rng.choice(INPLACE)
    func = OPERATORS[operator[:-1]]
    dtype = pick_dtype(rng, 0.4)
    shape = L.random_shape(rng)
    va = inputs.array("a", shape, dtype, layout="plain")
    target_int = not R.is_float(dtype)
    if rng.random() < 0.5:
        _, shape_b = broadcast_partner(rng, shape)
        if len(shape_b) > len(shape) or any(m not in (1, n) for m, n in zip(shape_b[::-1], shape[::-1])):
            shape_b = shape
        db = dtype if rng.random() < 0.5 else pick_dtype(rng, 0.4)
        vb = inputs.array("b", shape_b, db)
        other, dtypes, variant = "b", f"{dtype},{db}", ""
        if func in ("floor_divide", "mod") and not R.is_float(R.promote(dtype, db)) and (vb == 0).any():
            inputs.lines[-1] = f"b = {L.render_array(rng, onp.where(vb == 0, 1, vb).astype(db), db)}"
        if func == "power" and target_int and (va == 0).any():
            inputs.lines[0] = f"a = {L.render_array(rng, onp.where(va == 0, 1, va).astype(dtype), dtype, 'plain')}"
        ref_value = "b"
        if func == "power" and not R.is_float(R.promote(dtype, db)):
            ref = "a[...] = int_power(a, b)\nr = a"
        else:
            ref = f"a {operator} b\nr = a"
    else:
        kind, value = random_python_scalar(rng, dtype)
        s = L.render_scalar(value)
        other, dtypes, variant = s, f"{dtype},{kind}", "scalar"
        if func in ("floor_divide", "mod") and target_int and R.mx_scalar(value, R.scalar_compute_dtype(dtype)) == 0:
            value, s, other = 3, "3", "3"
        if func == "power" and target_int and (va == 0).any():
            inputs.lines[0] = f"a = {L.render_array(rng, onp.where(va == 0, 1, va).astype(dtype), dtype, 'plain')}"
        ref_value = f"mx_scalar({s}, '{dtype}')"
        if dtype == "bool" or (func == "floor_divide" and kind == "pyfloat") or (func == "divide" and target_int):
            ref_value = s  # NumPy's rules: MXNet 1.9.1 rejects these too (no //, no int /=, no bool targets)
        if func == "power" and target_int and dtype != "bool":
            ref = f"a[...] = int_power(a, {ref_value})\nr = a"
        else:
            ref = f"a {operator} {ref_value}\nr = a"
    code = f"a {operator} {other}\nr = a"
    if func == "power" and dtype == "bool" and variant == "scalar":
        return C.Call(
            0,
            f"op:{operator}",
            variant,
            dtypes,
            inputs.setup,
            code,
            ref,
            expect=C.NO_CRASH,
            note="NumPy rejects; MXNet 1.9.1 rebinds a to an int64 result",
        )
    call = C.Call(
        0,
        f"op:{operator}",
        variant,
        dtypes,
        inputs.setup,
        code,
        ref,
        dtype=dtype,
        tol="elementwise",
        upcast=False,
        note="in place: the target keeps its dtype",
    )
    if func == "power" and R.is_float(dtype) and ref == f"a {operator} {ref_value}\nr = a":
        call.alternatives = ((f"a[...] = c_pow(a, {ref_value})\nr = a", dtype),)  # C pow, as for **
    if func == "power" and variant == "" and dtype != R.promote(dtype, dtypes.split(",")[1]):
        call.expect = C.NO_CRASH  # MXNet 1.9.1 rebinds a **= b to the promoted result; NumPy rejects
    return call


def where_clip_call(rng):
    """np.where (one or three arguments, scalars allowed) and np.clip / ndarray.clip (scalar, None or 0-d
    array bounds)."""
    inputs = Inputs(rng)
    dtype = pick_dtype(rng, 0.5)
    shape = L.random_shape(rng)
    inputs.array("a", shape, dtype)
    if rng.random() < 0.5:
        inputs.array("c", shape[rng.randint(0, len(shape)) :], rng.choice(("bool", "bool", dtype)))
        if rng.random() < 0.15:
            # MXNet 1.9.1 follows NumPy 1.x, where a 0-d condition counts as 1-d.
            ref = "r = np.where(np.atleast_1d(c))"
            return C.Call(0, "where", "condition-only", dtype, inputs.setup, "r = np.where(c)", ref, dtype="int64")
        other_dtype = dtype if rng.random() < 0.7 else pick_dtype(rng, 0.5)
        if rng.random() < 0.3:
            value = L.render_scalar(rng.choice((0, 1, 2.5, -1)))
            expected = dtype  # a scalar branch takes the other branch's dtype (MXNet 1.9.1)
            ref = f"r = np.where(c, a, mx_scalar({value}, '{dtype}'))"
            return C.Call(
                0,
                "where",
                "scalar",
                f"{dtype},py",
                inputs.setup,
                f"r = np.where(c, a, {value})",
                ref,
                dtype=expected,
                tol="exact",
            )
        inputs.array("b", shape, other_dtype)
        return C.Call(
            0,
            "where",
            "",
            f"{dtype},{other_dtype}",
            inputs.setup,
            "r = np.where(c, a, b)",
            "r = np.where(c, a, b)",
            dtype=R.promote(dtype, other_dtype),
            tol="exact",
        )
    low = rng.choice((None, -2, 0.5, -1.5, 0))
    high = rng.choice((None, 3, 2.5, -1, 1))
    if low is None and high is None:
        high = 2
    array_bound = rng.random() < 0.15
    if array_bound:
        if low is None or (dtype == "uint8" and low < 0):
            low = 0
        inputs.line(f"lo = np.array({L.render_scalar(R.mx_scalar(low, dtype).item(), dtype)}, dtype='{dtype}')")
        low_text = "lo"
    else:
        low_text = repr(low)
    high_text = repr(high)
    method = rng.random() < 0.3
    code = f"r = a.clip({low_text}, {high_text})" if method else f"r = np.clip(a, {low_text}, {high_text})"
    # MXNet 1.9.1 clips integers against the bounds in double and casts a bound that is taken back to the
    # array's dtype (a uint8 clipped to -1 is 255); NumPy 2 would give a float array. Float arrays clip as in
    # NumPy.
    if R.is_float(dtype):
        ref = f"r = np.clip(a, {low_text}, {high_text})"
    else:
        ref = "r = a.copy()"
        for bound, side in ((low, "<"), (high, ">")):
            if bound is not None:
                text = "lo" if (array_bound and side == "<") else repr(bound)
                ref += f"\nr = np.where(r.astype(np.float64) {side} {text}, mx_scalar({bound!r}, '{dtype}'), r)"
    expect, note = C.VALUE, "integers clip in double, then cast back (MXNet)"
    if dtype == "bool":
        ref, expect, note = f"r = np.clip(a, {low_text}, {high_text})", C.RAISE_OR_VALUE, "MXNet rejects bool clip"
    return C.Call(
        0,
        ("method:" if method else "") + "clip",
        "array-bound" if array_bound else "",
        dtype,
        inputs.setup,
        code,
        ref,
        expect=expect,
        dtype=R.ANY_DTYPE if dtype == "bool" else dtype,
        tol="exact",
        note=note,
    )


# ---- reductions -----------------------------------------------------------------------------------------
REDUCTIONS = (
    "sum",
    "mean",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "std",
    "var",
    "all",
    "any",
    "cumsum",
)
METHODS = ("sum", "mean", "prod", "max", "min", "argmax", "argmin", "std", "var", "all", "any", "cumsum")


def random_axis(rng, ndim, allow_tuple=True):
    choice = rng.random()
    if choice < 0.25 or ndim == 0:
        return None if rng.random() < 0.8 or ndim > 0 else rng.choice((0, -1))
    if choice < 0.75 or not allow_tuple:
        axis = rng.randrange(ndim)
        return axis - ndim if rng.random() < 0.4 else axis
    count = rng.randint(1, ndim)
    axes = rng.sample(range(ndim), count)
    return tuple(a - ndim if rng.random() < 0.3 else a for a in axes)


def reduce_call(rng):
    inputs = Inputs(rng)
    func = rng.choice(REDUCTIONS)
    dtype = pick_dtype(rng, 0.5)
    shape = L.random_shape(rng)
    base = {"amax": "max", "amin": "min"}.get(func, func)
    values = inputs.array("a", shape, dtype, special_rate=0.03)
    if base == "prod" and dtype in L.FLOAT_DTYPES and (onp.abs(values[onp.isfinite(values)]) > 1e15).any():
        # inf * 0 or inf - inf depends on the order of multiplication: keep products finite
        inputs.lines.pop()
        inputs.array("a", shape, dtype, values=onp.where(onp.abs(values) > 1e15, 2.0, values).astype(dtype))
    single_axis = base in ("argmax", "argmin", "cumsum")
    axis = random_axis(rng, len(shape), allow_tuple=not single_axis)
    kwargs, variant = [], []
    if axis is not None or rng.random() < 0.2:
        kwargs.append(f"axis={axis!r}")
    if base not in ("cumsum",) and rng.random() < 0.3:
        kwargs.append("keepdims=True")
    dtype_arg = None
    if base in ("sum", "prod", "cumsum", "mean") and rng.random() < 0.25:
        dtype_arg = rng.choice(("int32", "int64", "float32", "float64"))
        kwargs.append(f"dtype='{dtype_arg}'")
        variant.append(f"dtype={dtype_arg}")
    if base in ("std", "var") and rng.random() < 0.4:
        kwargs.append(f"ddof={rng.choice((0, 1, 2))}")
        variant.append("ddof")
    expect = C.VALUE
    if base in ("sum", "prod") and rng.random() < 0.08:
        kwargs.append(f"initial={rng.choice((5, 1.5, -2))}")
        variant.append("initial")
        expect = C.RAISE_OR_VALUE  # MXNet 1.9.1 rejects initial=; NumPy honours it
    args = ", ".join(["a"] + kwargs)
    method = func in METHODS and rng.random() < 0.35
    code = f"r = a.{func}({', '.join(kwargs)})" if method else f"r = np.{func}({args})"
    ref_args = args
    if not shape and axis is not None and base in ("mean", "std", "var"):
        # MXNet 1.9.1 takes axis 0/-1 of a 0-d array here as the whole array (NumPy raises AxisError)
        ref_args = args.replace(f"axis={axis!r}", "axis=None")
    ref = f"r = np.{base}({ref_args})"
    expected = R.reduce_dtype(base, dtype, dtype_arg)
    if base in ("mean", "std", "var") and dtype_arg is None and not R.is_float(dtype):
        ref = f"r = np.{base}({ref_args.replace('a', 'a.astype(np.float32)', 1)})"
    terms = max(1, math.prod(shape))
    tol = "exact" if base in ("max", "min", "argmax", "argmin", "all", "any") else "accumulate"
    call = C.Call(
        0,
        ("method:" if method else "") + func,
        ",".join(variant),
        dtype,
        inputs.setup,
        code,
        ref,
        expect=expect,
        dtype=expected,
        tol=tol,
        terms=terms,
        upcast=True,
        must_work=R.is_float(dtype) and len(shape) > 0 and "initial" not in variant,
    )
    plain_args = ", ".join(["a"] + [k for k in kwargs if not k.startswith(("dtype=", "ddof=", "initial="))])
    if (
        base in ("sum", "prod", "cumsum")
        and dtype_arg
        and ((R.is_float(dtype) and not R.is_float(dtype_arg)) or (dtype == "int64" and R.is_float(dtype_arg)))
    ):
        # MXNet 1.9.1 accumulates float input in float and int64 input in int64, then casts to dtype=
        call_alt = ((f"r = np.{base}({plain_args}).astype('{dtype_arg}')", dtype_arg),)
    elif base == "mean" and dtype_arg is None and dtype == "int64":
        # MXNet 1.9.1 sums int64 in int64 (wrapping), then divides
        call_alt = (
            (
                f"r = (np.sum({plain_args}) / np.sum(np.ones(a.shape), {plain_args[3:] or 'axis=None'}))"
                ".astype('float32')",
                "float32",
            ),
        )
    else:
        call_alt = ()
    call.alternatives = call_alt
    if base == "mean" and dtype_arg and not R.is_float(dtype_arg) and 0 in shape:
        call.expect = C.NO_CRASH  # NumPy's integer mean of nothing is NaN cast to int: undefined
    if base in ("prod",):
        call.meta["degree"] = terms
    if base in ("std", "var"):
        call.meta["degree"] = 2
    if base in ("argmax", "argmin") and dtype in L.FLOAT_DTYPES:
        call.note = "first occurrence; NaN counts as the extreme (NumPy)"
    return call


FAMILIES = (
    (14, unary_call),
    (12, binary_call),
    (12, scalar_call),
    (6, inplace_call),
    (3, where_clip_call),
    (12, reduce_call),
    (10, shape_call),
    (8, indexing_call),
    (5, setitem_call),
    (9, linalg_call),
    (5, creation_call),
    (10, grad_call),
    (3, adversarial_call),
)
_TOTAL = sum(w for w, _ in FAMILIES)


def generate(seed, index):
    """Call `index` of `seed` (always the same source text)."""
    rng = random.Random(f"{seed}:{index}")
    pick = rng.random() * _TOTAL
    family = FAMILIES[-1][1]
    for weight, candidate in FAMILIES:
        pick -= weight
        if pick < 0:
            family = candidate
            break
    with warnings.catch_warnings(), onp.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # NumPy's warnings while sizing gradient heads
        call = family(rng)
    call.index, call.seed = index, seed
    return call
