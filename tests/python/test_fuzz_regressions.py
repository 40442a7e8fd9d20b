"""Regression tests for the differential-fuzz findings of
../shared/reference/FUZZ_BUGS.md (elementwise, creation, shape, indexing and
linear-algebra items; the reduction items live in test_reduce.py).

Each case is the reproducer's call with the answer NumPy or MXNet 1.9.1 gives
(MXNet's where the two differ), or the error both raise.
"""

import subprocess
import sys

import numpy as onp
import pytest

from mxnet import autograd, np, npx
from mxnet.base import MXNetError

from conftest import assert_library_usable


def check(result, expected, dtype):
    assert result.dtype == onp.dtype(dtype), f"dtype {result.dtype}, expected {dtype}"
    onp.testing.assert_array_equal(result.asnumpy(), onp.asarray(expected, dtype=dtype))


# ---- sizes: checked before anything is allocated or looped over ----------------
HUGE = [
    "np.ones((2**32, 2**32))",
    "np.zeros((2**31, 2**31, 4))",
    "np.ones((2**62, 8))",
    "np.full((2**63 - 1,), 1.5)",
    "np.empty((0, 2**62))",
    "np.zeros((3, 2**62))",
    "np.broadcast_to(np.ones((2, 3)), (2**32, 2**32, 2, 3))",
    "np.tile(np.ones((2, 3)), (2**31, 2**31))",
    "np.repeat(np.ones(3), 2**62)",
    "np.pad(np.ones(3), 2**62)",
    "np.arange(2**62)",
    "np.arange(0, 2**62)",
    "np.eye(2**31)",
    "np.linspace(0, 1, 2**62)",
    "np.linspace(0, 1, 2**63 - 1)",
    "np.array_split(np.ones((2, 3)), 2**62, axis=1)",
    "np.split(np.zeros((0,)), 2**62)",
    "np.ones((1,) * 33)",
    "np.tile(np.ones((2, 3)), (1,) * 70)",
    "np.broadcast_to(np.ones((2, 3)), (1,) * 65 + (2, 3))",
    "np.ones(6).reshape((1,) * 65 + (6,))",
    "np.ones((2, 3))[(None,) * 70]",
]


@pytest.mark.parametrize("expr", HUGE)
def test_huge_sizes_raise_value_error(expr):
    with pytest.raises(ValueError) as info:
        eval(expr)
    assert isinstance(info.value, MXNetError)
    assert_library_usable()


def test_huge_sizes_in_a_fresh_process_neither_crash_nor_hang():
    # The crash reproducers of FUZZ_BUGS.md item 1, run as a user would.
    code = "\n".join(["from mxnet import np"] + [f"try:\n    print({e})\nexcept ValueError:\n    pass" for e in HUGE])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_empty_arrays_with_huge_extents_follow_numpy():
    assert np.eye(2**32, 0).shape == (2**32, 0)
    assert np.zeros((0, 2**40)).shape == (0, 2**40)


def test_failed_allocation_is_a_memory_error():
    with pytest.raises(MemoryError):
        np.zeros((2**60,), dtype="uint8")
    assert_library_usable()


@pytest.mark.parametrize(
    "expr, error",
    [
        ("np.eye(3, -1)", ValueError),
        ("np.arange(np.nan)", ValueError),
        ("np.arange(0, np.nan)", ValueError),
        ("np.zeros((2, -1))", ValueError),
        ("np.vsplit(np.ones(3), [])", ValueError),
        ("np.transpose(np.ones((2, 3)), ())", ValueError),
        ("np.ones((2, 3)).transpose(())", ValueError),
        ("np.diag(np.ones((2, 3)), 2**62)", OverflowError),
        ("np.diagonal(np.ones((2, 3)), -2**62)", OverflowError),
        ("np.trace(np.ones((2, 3)), 2**62)", OverflowError),
        ("np.pad(np.ones((2, 3), dtype='int64'), 1, constant_values=np.nan)", ValueError),
        ("np.zeros(None)", TypeError),
        ("np.zeros(2.5)", TypeError),
    ],
)
def test_missing_errors(expr, error):
    with pytest.raises(error):
        eval(expr)


def test_transpose_of_0d_with_empty_axes():
    assert np.transpose(np.array(2.0), ()).shape == ()


# ---- bad Python inputs name the function ----------------------------------------
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: np.exp(None), "exp"),
        (lambda: np.sum(None), "sum"),
        (lambda: np.add(np.ones(2), None), "add"),
        (lambda: np.ones(2) + None, r"\+"),
        (lambda: np.exp("abc"), "exp"),
        (lambda: np.matmul(np.ones((2, 2)), {1: 2}), "matmul"),
        (lambda: np.concatenate([np.ones(2), "x"]), "concatenate"),
    ],
)
def test_bad_inputs_raise_type_error_naming_the_function(call, name):
    with pytest.raises(TypeError, match=name):
        call()


def test_ragged_lists_raise_value_error():
    with pytest.raises(ValueError, match="array"):
        np.array([[1, 2], [3]])


def test_array_of_none_is_nan_as_in_mxnet():
    r = np.array(None)
    assert r.dtype == onp.float32 and onp.isnan(r.item())


def test_python_ints_beyond_int64_become_floats():
    check(np.array([2**70]), [2.0**70], "float32")


@pytest.mark.parametrize(
    "expr",
    [
        "np.asarray(-6.064, dtype='uint8')",
        "np.array([300], dtype='uint8')",
        "-3 // np.array([1], dtype='uint8')",
        "np.array([1, 2], dtype='int32') // 2**31",
        "2**31 & np.array([1], dtype='int32')",
        "-5 | np.array([1], dtype='uint8')",
        "np.floor_divide(-4, np.array([1, 2], dtype='uint8'))",
        "np.gcd(2**31, np.zeros((2,), dtype='int32'))",
        "np.array([1, 2], dtype='uint8') * -1",
    ],
)
def test_out_of_range_python_ints_raise_overflow_error(expr):
    with pytest.raises(OverflowError):
        eval(expr)


@pytest.mark.parametrize(
    "expr",
    [
        "2.75 & np.array([1], dtype='uint8')",
        "np.array([True], dtype=bool) ^ 1.5",
        "np.gcd(np.array([2], dtype='int64'), 1.0)",
        "np.lcm(-0.75, np.array([True], dtype=bool))",
        "np.negative(np.array([True], dtype=bool))",
        "-np.array([True], dtype=bool)",
        "+np.array([True], dtype=bool)",
        "np.array([True], dtype=bool) - np.array([False], dtype=bool)",
    ],
)
def test_refused_operand_types_raise_type_error(expr):
    with pytest.raises(TypeError):
        eval(expr)


# ---- in-place operators: NumPy's same_kind rule -----------------------------------
@pytest.mark.parametrize(
    "dtype, other, op",
    [
        ("int32", "np.array([1.5, 2.5], dtype='float32')", "+="),
        ("int64", "np.array([1.0, 2.0], dtype='float64')", "*="),
        ("uint8", "np.array([1, 2], dtype='int32')", "+="),
        ("uint8", "np.array([1, 2], dtype='int64')", "-="),
        ("bool", "np.array([1, 2], dtype='int32')", "+="),
        ("bool", "1", "+="),
        ("bool", "False", "-="),
        ("int32", "np.array([2, 3], dtype='int32')", "/="),
        ("int32", "3.5", "/="),
        ("bool", "True", "//="),
        ("bool", "np.array([True, False], dtype=bool)", "%="),
    ],
)
def test_in_place_unsafe_casts_raise(dtype, other, op):
    a = np.array([1, 2], dtype=dtype)
    before = a.asnumpy().copy()
    with pytest.raises(TypeError):
        exec(f"a {op} {other}", {"np": np, "a": a})
    onp.testing.assert_array_equal(a.asnumpy(), before)  # no lost data


def test_in_place_allowed_casts():
    a = np.array([1, 2], dtype="int32")
    a += 1.5  # MXNet: the scalar takes the array's dtype
    check(a, [2, 3], "int32")
    b = np.array([1.0, 2.0], dtype="float32")
    b += np.array([1.0, 1.0], dtype="float64")  # same kind (NumPy)
    check(b, [2.0, 3.0], "float32")
    c = np.array([1, 2], dtype="int64")
    c += np.array([1, 1], dtype="int32")
    check(c, [2, 3], "int64")


def test_in_place_power_and_bitwise_write_into_the_array():
    a = np.array([1.0, 2.0, 3.0])
    alias = a
    a **= 2
    assert alias is a
    check(a, [1.0, 4.0, 9.0], "float32")
    b = np.array([6, 3], dtype="int32")
    b &= 5
    check(b, [4, 1], "int32")
    b |= np.array([8, 8], dtype="int32")
    check(b, [12, 9], "int32")
    b ^= 1
    check(b, [13, 8], "int32")


def test_in_place_power_keeps_the_sign_of_huge_odd_exponents():
    # FUZZ_BUGS item 17: the int32 exponent 2**31 - 1 must not round to float32 2**31.
    a = np.array([-2.5], dtype="float32")
    a **= np.array([2147483647], dtype="int32")
    check(a, [-onp.inf], "float32")


# ---- values ---------------------------------------------------------------------
def test_relu_keeps_nan():
    check(npx.relu(np.array([1e15, onp.nan, -3.0])), [1e15, onp.nan, 0.0], "float32")
    check(npx.relu(np.array([[1.0], [2.0], [onp.nan]], dtype="float64")), [[1.0], [2.0], [onp.nan]], "float64")
    check(npx.activation(np.array([onp.nan, -1.0]), act_type="relu"), [onp.nan, 0.0], "float32")


def test_integer_power_with_negative_exponents_as_mxnet():
    check(np.power(np.array([-1, -1], dtype="int64"), -3.0), [-1, -1], "int64")
    check(np.array([-1, -1], dtype="int32") ** np.array([-2, -3], dtype="int32"), [1, -1], "int32")
    check(np.array([1, 2, 3], dtype="int32") ** np.array([-1, -1, -2], dtype="int32"), [1, 0, 0], "int32")
    check(np.power(0.0, np.array(-2, dtype="int32")), -2147483648, "int32")


def test_float32_power_with_int_exponent_arrays_computes_exactly():
    r = np.array([-2.5, 1.5], dtype="float32") ** np.array([2147483647, 3], dtype="int32")
    check(r, [-onp.inf, 3.375], "float32")


def test_arange_with_fractional_steps_into_integers():
    check(np.arange(0, 4, 0.5, dtype="int32"), [0] * 8, "int32")
    check(np.arange(0, 4, 0.5, dtype="uint8"), [0] * 8, "uint8")
    check(np.arange(2.25, 1.0, -0.5, dtype="int64"), [2, 1, 0], "int64")
    check(np.arange(1, 7, 2, dtype="int32"), [1, 3, 5], "int32")


def test_clip_of_bool_takes_the_bounds_dtype():
    check(np.clip(np.array(False, dtype=bool), -4, -2), -2, "int64")
    check(np.array([False, True], dtype=bool).clip(-1.0, -1.5), [-1.5, -1.5], "float32")
    check(np.clip(np.array([False, True], dtype=bool), 0, 1), [0, 1], "int64")


def test_lcm_wraps_like_numpy():
    a = np.array([[-10, 7], [1, 9223372036854775807]], dtype="int64")
    b = np.array([[-4, 2], [-1, 6]], dtype="int32")
    check(np.lcm(a, b), onp.lcm(a.asnumpy(), b.asnumpy()), "int64")
    x = np.array([0, -2147483648, 2147483647, 6], dtype="int32")
    y = np.array([-7, 1099511627776, 1099511627776, 4], dtype="int64")
    check(np.lcm(x, y), onp.lcm(x.asnumpy(), y.asnumpy()), "int64")


def test_reciprocal_of_integers_stays_integer():
    check(np.reciprocal(np.array([2, 1, -1, 0], dtype="int32")), [0, 1, -1, -2147483648], "int32")
    check(np.reciprocal(np.zeros((5, 0), dtype="uint8")), onp.zeros((5, 0)), "uint8")


def test_einsum_contracts_mixed_dtypes_in_their_common_dtype():
    a = np.array([1.0, 2.0], dtype="float64")
    b = np.array([2147483647, 1, 4], dtype="int32")
    check(np.einsum("i,l->i", a, b), onp.einsum("i,l->i", a.asnumpy(), b.asnumpy()), "float64")
    c = np.array([[1.5, 3.232]], dtype="float32")
    d = np.array([3.75], dtype="float64")
    r = np.einsum("ji,k->", c, d)
    assert r.dtype == onp.float64
    onp.testing.assert_allclose(r.asnumpy(), onp.einsum("ji,k->", c.asnumpy(), d.asnumpy()), rtol=1e-15)


# ---- dtypes of bool operands (FUZZ_BUGS section 2) ------------------------------
T, F = True, False


@pytest.mark.parametrize(
    "expr, expected, dtype",
    [
        ("a + b", [T, T, F], "bool"),
        ("a * b", [T, F, F], "bool"),
        ("np.maximum(a, b)", [T, T, F], "bool"),
        ("np.minimum(a, b)", [T, F, F], "bool"),
        ("a ** b", [T, F, T], "bool"),
        ("a % b", [0, 0, 0], "int8"),
        ("a / b", [1.0, 0.0, onp.nan], "float32"),
        ("np.outer(a, b)[0]", [T, T, F], "bool"),
        ("np.einsum('i->', a)", T, "bool"),
        ("np.einsum('i,i->i', a, b)", [T, F, F], "bool"),
        ("np.einsum('...k,...', a[:1].reshape(1, 1), b[0])", [[T]], "bool"),
        ("np.dot(a, b)", T, "bool"),
        ("np.matmul(a, b)", T, "bool"),
        ("a * 3", [3, 0, 0], "int64"),
        ("2 * a", [2, 0, 0], "int64"),
        ("a + True", [2, 1, 1], "int64"),
        ("a * True", [1, 0, 0], "int64"),
        ("True - a", [0, 1, 1], "int64"),
        ("np.maximum(a, 2)", [2, 2, 2], "int64"),
        ("np.mod(a, 2)", [1, 0, 0], "int64"),
        ("a % True", [0, 0, 0], "int64"),
        ("False ** a", [0, 1, 1], "int64"),
        ("a + 1.5", [2.5, 1.5, 1.5], "float32"),
        ("a & 1", [1, 0, 0], "int64"),
        ("a & True", [T, F, F], "bool"),
    ],
)
def test_bool_operand_dtypes(expr, expected, dtype):
    env = {"np": np, "a": np.array([T, F, F], dtype=bool), "b": np.array([T, T, F], dtype=bool)}
    with onp.errstate(all="ignore"):
        check(eval(expr, env), expected, dtype)


def test_setitem_drops_extra_leading_unit_dims():
    a = np.zeros((2, 3))
    a[0] = np.ones((1, 3))
    a[-1] = np.array([[[5.0, 6.0, 7.0]]])
    check(a, [[1, 1, 1], [5, 6, 7]], "float32")
    b = np.zeros(3)
    b[-1] = np.array([5.0])
    check(b, [0, 0, 5], "float32")


def test_gradients_still_flow_through_the_rewritten_tile_and_repeat():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with autograd.record():
        y = (np.tile(x, (2, 3)) * np.arange(24).reshape(4, 6)).sum() + np.repeat(x, 3, axis=1).sum()
    y.backward()
    grad = x.grad.asnumpy()
    weights = onp.arange(24, dtype=onp.float32).reshape(4, 6)
    expected = weights.reshape(2, 2, 3, 2).sum(axis=(0, 2)) + 3
    onp.testing.assert_allclose(grad, expected)


# ---- arguments mxlite does not implement raise, naming function and argument ------
@pytest.mark.parametrize(
    "call, function, argument",
    [
        (lambda: np.linspace(0, 1, 5, axis=1), "linspace", "axis"),
        (lambda: np.pad(np.ones(3), 1, mode="linear_ramp"), "pad", "mode"),
        (lambda: np.pad(np.ones(3), 1, mode="reflect", reflect_type="odd"), "pad", "reflect_type"),
        (lambda: np.sort(np.ones(3), order="x"), "sort", "order"),
        (lambda: np.reshape(np.ones(4), (2, 2), order="F"), "reshape", "order"),
        (lambda: np.zeros(3, order="F"), "zeros", "order"),
        (lambda: npx.embedding(np.array([0.0]), np.ones((2, 3)), 2, 3, sparse_grad=True), "embedding", "sparse_grad"),
    ],
)
def test_unsupported_arguments_raise(call, function, argument):
    with pytest.raises(NotImplementedError, match=f"{function}.*{argument}"):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: np.zeros(3, ctx="gpu(0)"),
        lambda: np.array([1.0], ctx=__import__("mxnet").gpu(0)),
        lambda: np.ones(2).as_in_ctx(__import__("mxnet").gpu(1)),
    ],
)
def test_gpu_contexts_raise(call):
    with pytest.raises(NotImplementedError, match="CPU only"):
        call()


def test_cpu_contexts_are_accepted():
    import mxnet as mx

    assert np.zeros(2, ctx=mx.cpu()).shape == (2,)
    assert np.ones(2, ctx=mx.cpu(0), device="cpu(0)").shape == (2,)


@pytest.mark.parametrize(
    "call",
    [
        lambda: npx.activation(np.ones(2), act_type="relu", bogus=1),
        lambda: np.eye(3, bogus=1),
        lambda: np.einsum("i->", np.ones(2), bogus=1),
        lambda: __import__("mxnet").nd.Activation(__import__("mxnet").nd.ones(2), act_type="relu", typo=2),
    ],
)
def test_unknown_keywords_raise_type_error(call):
    with pytest.raises(TypeError, match="bogus|typo"):
        call()


def test_harmless_keywords_are_accepted():
    assert npx.activation(np.ones(2), act_type="relu", name="act").shape == (2,)


def test_astype_casting_rules():
    a = np.array([1.5, 2.5])
    with pytest.raises(TypeError, match="safe"):
        a.astype("int32", casting="safe")
    check(a.astype("float64", casting="safe"), [1.5, 2.5], "float64")
    check(a.astype("int32"), [1, 2], "int32")


# ---- index arithmetic near the int64 limits ---------------------------------------
def test_index_bounds_beyond_int64():
    a = np.arange(12).reshape(3, 4)
    ref = onp.arange(12, dtype=onp.float32).reshape(3, 4)
    for key in [
        slice(2**70, None),
        slice(None, 2**70),
        slice(None, None, 2**63),
        slice(None, None, -(2**63)),
        slice(-(2**63), None),
        slice(None, None, 2**70),
        slice(-(2**70), 2**70, 2**62),
    ]:
        onp.testing.assert_array_equal(a[key].asnumpy(), ref[key])
    for i in [2**63, 2**70, -(2**63)]:
        with pytest.raises(IndexError):
            a[i]


def test_randint_over_the_whole_int64_range():
    r = np.random.randint(-(2**63), 2**63 - 1, size=1000).asnumpy()
    assert r.min() < -(2**61) and r.max() > 2**61  # spread over the range, not stuck at one end


def test_roll_by_shifts_beyond_int64():
    a = np.arange(12).reshape(3, 4)
    onp.testing.assert_array_equal(np.roll(a, 2**70).asnumpy(), onp.roll(a.asnumpy(), 2**70))


def test_full_with_a_value_outside_the_dtype():
    with pytest.raises(OverflowError):
        np.full((2,), 2**70, dtype="int64")


def test_axis_errors_are_value_and_index_errors():
    with pytest.raises(ValueError):
        np.expand_dims(np.ones(2), 5)
    with pytest.raises(IndexError):
        np.swapaxes(np.ones((2, 2)), 0, 7)
