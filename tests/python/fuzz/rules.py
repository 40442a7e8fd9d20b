"""mxlite's modelled deviations from NumPy, in one place.

mxlite follows Apache MXNet 1.9.1's documented rules where MXNet and NumPy differ, and documents a few
choices of its own (float32 for float-valued math on integers). Each rule below says which it is. The
generator uses these functions to write the expected dtype and the NumPy reference text of a call; the
oracle then compares strictly. Every rule was checked against MXNet 1.9.1 (numpy 1.23.5) by running the
calls it describes; NumPy 2 is the value reference.
"""

import math

import numpy as onp

FLOAT_DEFAULT = "float32"
ANY_DTYPE = "*"  # Call.dtype marker: values are checked, the dtype is not modelled (R9)

INTEGRAL = ("bool", "uint8", "int8", "int32", "int64")


def is_float(dtype):
    return dtype in ("float32", "float64")


# ---- R1. Creation: arrays from Python numbers (lists, scalars, bools) are float32 ------------------------
# MXNet 1.9.1: np.array([1, 2]) and np.array([True, False]) are float32, as are zeros/ones/empty/full
# (full with a bool fill value is bool), arange, linspace, eye and identity without dtype=.
def creation_dtype(func, dtype_arg=None, fill_value=None):
    if dtype_arg is not None:
        return dtype_arg
    if func == "full" and isinstance(fill_value, bool):
        return "bool"
    return FLOAT_DEFAULT


# ---- R2. Array-array promotion ----------------------------------------------------------------------------
# NumPy's promotion, except: an integer or bool array with a float32 array gives float32 (MXNet 1.9.1:
# int64 + float32 -> float32, NumPy float64); uint8 with int8 gives int32 (NumPy's int16 is not an mxlite
# dtype; MXNet 1.9.1 rejects the pair).
def promote(a, b):
    if a == b:
        return a
    if "float32" in (a, b) and "float64" not in (a, b):
        return "float32"
    if {a, b} == {"uint8", "int8"}:
        return "int32"
    return str(onp.promote_types(a, b))


def promote_all(dtypes):
    result = dtypes[0]
    for d in dtypes[1:]:
        result = promote(result, d)
    return result


# ---- R3. Float-valued math on integral input gives float32 (mxlite's documented choice) -----------------
# exp, sin, sqrt, hypot, arctan2, copysign, std, var, norm, ... of an integer or bool array compute in
# float32. NumPy gives float16/float64 and MXNet 1.9.1 gives the integer dtype with truncated values;
# mxlite documents float32 ("Float-valued unary math on an integral array works in float32").
def float_math_dtype(dtype):
    return dtype if is_float(dtype) else FLOAT_DEFAULT


# ---- R4. True division of integral arrays gives float32 ---------------------------------------------------
# MXNet 1.9.1: int32 / int32 and int32 / 2 are float32 (NumPy float64).
def true_divide_dtype(a, b):
    d = promote(a, b)
    return d if is_float(d) else FLOAT_DEFAULT


# ---- R5. A Python scalar operand takes the array's dtype ------------------------------------------------
# MXNet 1.9.1: the scalar is converted to the array's dtype before the op: int32 + 1.5 adds 1 and stays
# int32, uint8 + (-3) wraps to uint8 + 253, int32 ** 1.5 is int32 ** 1. A bool array with a Python scalar
# computes in int64 (MXNet: bool * 3 -> int64; with a float scalar mxlite's float32 is accepted too, see
# generator). True division keeps the float scalar and gives float32 (R4).
def scalar_compute_dtype(array_dtype):
    return "int64" if array_dtype == "bool" else array_dtype


def mx_scalar(value, dtype):
    """A Python scalar converted to dtype the way MXNet does: truncation toward zero for floats, wrap-around
    (two's complement) for integers out of range."""
    dtype = onp.dtype(dtype)
    if dtype.kind == "b":
        return onp.bool_(value)
    if dtype.kind == "f":
        return dtype.type(value)
    if isinstance(value, float):
        value = math.trunc(value)
    bits = 8 * dtype.itemsize
    value = int(value) % (1 << bits)
    if dtype.kind == "i" and value >= 1 << (bits - 1):
        value -= 1 << bits
    return dtype.type(value)


# ---- R6. Integer power: negative exponents are computed, not rejected -------------------------------------
# MXNet 1.9.1 computes int ** negative-int as the truncated real power: (-1) ** -3 == -1, 2 ** -1 == 0
# (NumPy raises "Integers to negative integer powers are not allowed"). Non-negative exponents wrap as
# in NumPy. 0 ** negative is the real inf converted to the integer type: its lowest value (MXNet 1.9.1
# gives -2147483648 for np.power(0.0, np.array(-2, dtype='int32'))).
def int_power(base, exponent):
    base, exponent = onp.asarray(base), onp.asarray(exponent)
    dtype = onp.result_type(base, exponent)
    base_b, exp_b = onp.broadcast_arrays(base.astype(dtype), exponent.astype(dtype))
    safe_exp = onp.where(exp_b < 0, 0, exp_b)
    positive = onp.power(base_b, safe_exp)
    zero_base = onp.iinfo(dtype).min if dtype.kind in "iu" else 0
    negative = onp.where(
        base_b == 1, 1, onp.where(base_b == -1, onp.where(exp_b % 2 == 0, 1, -1), onp.where(base_b == 0, zero_base, 0))
    )
    return onp.where(exp_b < 0, negative.astype(dtype), positive).astype(dtype)


# ---- R7. Reductions ----------------------------------------------------------------------------------------
# Results are 0-d mxnet arrays, never Python or NumPy scalars. sum/prod/cumsum keep an integer dtype
# (int32 sums stay int32, uint8 stays uint8) and give int64 for bool (MXNet 1.9.1; NumPy widens to
# int64/uint64); dtype= gives that dtype, accumulated in it (NumPy and MXNet). mean of integral input is
# float32 (MXNet; NumPy float64); std/var of integral input are float32 (R3). max/min keep the dtype,
# argmax/argmin are int64, all/any bool.
def reduce_dtype(func, dtype, dtype_arg=None):
    if dtype_arg is not None and func in ("sum", "prod", "cumsum", "mean", "std", "var"):
        return dtype_arg
    if func in ("sum", "prod", "cumsum"):
        return "int64" if dtype == "bool" else dtype
    if func in ("mean", "std", "var"):
        return float_math_dtype(dtype)
    if func in ("argmax", "argmin"):
        return "int64"
    if func in ("all", "any"):
        return "bool"
    return dtype


# ---- R8. Comparisons with a Python scalar ------------------------------------------------------------------
# mxlite compares exactly (int32 < 1.5 is NumPy's answer); MXNet 1.9.1 first converts the scalar to the
# array's dtype (R5), so int32 < 1.5 compares with 1 and uint8 < -3 with 253. Both are accepted: NumPy's
# answer is the reference, MXNet's the alternative.


# ---- R9. Calls MXNet 1.9.1 rejects but NumPy answers -------------------------------------------------------
# (mixed-dtype comparisons, bool arithmetic NumPy does in int8, unary math on bool, ...): mxlite may raise
# or answer; an answer must have NumPy's values. Its dtype is not modelled when mxlite has no documented
# rule for it (Call.dtype = ANY_DTYPE).


def c_pow(base, exponent):
    """C99 pow, elementwise in float64 (pow(-inf, 0.5) is inf; NumPy's ** 0.5 takes a sqrt and gives NaN).
    MXNet 1.9.1 and mxlite call pow; either answer is accepted for float powers."""

    def one(x, y):
        try:
            return math.pow(x, y)
        except (ValueError, ZeroDivisionError):
            return math.nan if x >= 0 or y != math.floor(y) else math.copysign(math.inf, x)
        except OverflowError:
            return math.inf

    return onp.vectorize(one, otypes=[onp.float64])(onp.asarray(base, onp.float64), onp.asarray(exponent, onp.float64))


def erf(x):
    return onp.vectorize(math.erf, otypes=[onp.float64])(x)


def gamma(x):
    """C's tgamma: a pole at 0 (signed inf), NaN at negative integers and -inf, inf on overflow."""

    def one(v):
        if math.isnan(v) or v == -math.inf or (v < 0 and v == math.floor(v)):
            return math.nan
        if v == 0:
            return math.copysign(math.inf, v)
        try:
            return math.gamma(v)
        except OverflowError:
            return math.inf if v > 0 else 0.0

    return onp.vectorize(one, otypes=[onp.float64])(x)


def gammaln(x):
    def one(v):
        if math.isnan(v):
            return v
        try:
            return math.lgamma(v)
        except (ValueError, OverflowError):
            return math.inf

    return onp.vectorize(one, otypes=[onp.float64])(x)


def relu(x):
    """npx.relu: max(x, 0) with NaN kept (MXNet 1.9.1 returns NaN for NaN)."""
    return onp.where(onp.isnan(x), x, onp.maximum(x, 0)).astype(x.dtype)


def sigmoid(x):
    return 1.0 / (1.0 + onp.exp(-onp.asarray(x, dtype=onp.float64)))


def softmax(x, axis=-1):
    e = onp.exp(x - onp.max(x, axis=axis, keepdims=True))
    return e / onp.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    shifted = x - onp.max(x, axis=axis, keepdims=True)
    return shifted - onp.log(onp.sum(onp.exp(shifted), axis=axis, keepdims=True))


# Names the NumPy reference texts may use besides np.
REFERENCE_HELPERS = {
    "mx_scalar": mx_scalar,
    "int_power": int_power,
    "c_pow": c_pow,
    "erf": erf,
    "gamma": gamma,
    "gammaln": gammaln,
    "relu": relu,
    "sigmoid": sigmoid,
    "softmax": softmax,
    "log_softmax": log_softmax,
}
