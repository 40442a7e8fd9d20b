"""mxnet.numpy functions of numpy/_more.py: delete, insert, resize,
broadcast_arrays and polyval (compositions: values and gradients), bincount,
histogram, frexp, spacing, genfromtxt (host), may_share_memory/shares_memory,
sometrue, set_printoptions and the financial functions. Expected values are
NumPy's, or MXNet 1.9.1's (hard-coded) where MXNet differs from NumPy."""

import numpy as onp
import pytest

from mxnet import autograd, np
from mxnet.base import MXNetError, NotSupportedError
from mxnet.test_utils import check_gradient

M = onp.arange(6.0, dtype=onp.float32).reshape(2, 3)


def _i64(v):
    return np.array(v, dtype="int64")


def _check(got, expected, dtype=None):
    assert isinstance(got, np.ndarray)
    expected = onp.asarray(expected)
    assert got.shape == expected.shape
    assert got.dtype == (expected.dtype if dtype is None else onp.dtype(dtype))
    onp.testing.assert_allclose(got.asnumpy(), expected, rtol=1e-6)


# ---- delete -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "obj, axis",
    [
        (1, None),
        (-1, None),
        (1, 1),
        (1, -1),
        (0, -2),
        (slice(0, 2), 1),
        (slice(None, None, -2), 1),
        (slice(5, None), 1),
    ],
)
def test_delete_int_and_slice_as_numpy(obj, axis):
    _check(np.delete(np.array(M), obj, axis=axis), onp.delete(M, obj, axis=axis))


def test_delete_index_arrays_follow_mxnet():
    x = np.arange(6.0)
    # Repeated indices count once; entries outside [0, n) -- negative ones too -- are skipped (MXNet 1.9.1).
    assert np.delete(x, _i64([0, 2, 2])).asnumpy().tolist() == [1, 3, 4, 5]
    assert np.delete(x, _i64([0, -1])).asnumpy().tolist() == [1, 2, 3, 4, 5]
    assert np.delete(x, _i64([-7, -6, 7])).asnumpy().tolist() == [0, 1, 2, 3, 4, 5]
    assert np.delete(x, _i64([0, 6])).asnumpy().tolist() == [1, 2, 3, 4, 5]
    assert np.delete(x, np.array([1.7, -0.5, 5.9])).asnumpy().tolist() == [0, 2, 3, 4]  # truncated
    mask = np.array([True, False, True], dtype="bool")
    assert np.delete(x, mask).asnumpy().tolist() == [2, 3, 4, 5]  # as indices 1, 0, 1
    assert np.delete(x, _i64([])).asnumpy().tolist() == [0, 1, 2, 3, 4, 5]
    assert np.delete(x, _i64([[0, 1]])).asnumpy().tolist() == [2, 3, 4, 5]
    assert np.delete(x, np.array(1, dtype="int32")).asnumpy().tolist() == [0, 2, 3, 4, 5]
    _check(np.delete(np.array(M), _i64([0]), axis=-2), [[3.0, 4.0, 5.0]], "float32")


def test_delete_dtypes_and_edges():
    r = np.delete(np.arange(6, dtype="int32"), np.int64(1))
    assert r.dtype == onp.int32 and r.asnumpy().tolist() == [0, 2, 3, 4, 5]
    assert np.delete(np.array(M), slice(10, -10, -1), axis=1).shape == (2, 0)
    assert np.delete(np.zeros((2, 0)), 0, axis=0).shape == (1, 0)
    assert np.delete(np.array(5.0), 0).shape == (0,)  # flattened first
    assert np.delete(np.array(M), 0).shape == (5,)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: np.delete(np.arange(6.0), 6), IndexError),
        (lambda: np.delete(np.arange(6.0), -7), IndexError),
        (lambda: np.delete(np.array(M), 1, axis=2), IndexError),
        (lambda: np.delete(np.array(5.0), 0, axis=0), IndexError),
        (lambda: np.delete(np.arange(6.0), [0, 1]), TypeError),
        (lambda: np.delete(np.arange(6.0), (0, 1)), TypeError),
        (lambda: np.delete(np.arange(6.0), 1.0), TypeError),
        (lambda: np.delete(np.arange(6.0), True), TypeError),
        (lambda: np.delete([1, 2, 3], 1), TypeError),
        (lambda: np.delete(np.arange(6.0), 1, 0.5), TypeError),
        (lambda: np.delete(np.arange(6.0), slice(1, 4, 0)), ValueError),
    ],
)
def test_delete_errors(call, error):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, MXNetError) and "delete" in str(info.value)


# ---- insert -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "obj, values, axis",
    [
        (1, 9.0, None),
        (6, 9.0, None),
        (-1, 9.0, None),
        (-6, 9.0, None),
        (1, 9.0, 1),
        (1, [7.0, 8.0], 1),
        (1, [[7.0], [8.0]], 1),
        (1, [7.0, 8.0, 9.0], 0),
        (1, [[7.0, 8.0, 9.0], [1, 2, 3]], 0),
        (3, [7.0, 8.0], -1),
        (1, 7.0, 1),
        (1, [[[7.0]]], 1),
        ([1], [[7.0], [8.0]], 1),
        ([1], [7.0, 8.0], 1),
        ([0, 2], [7.0, 8.0], 1),
        ([0, 2], 5.0, 1),
        ([1, 3], [10.0, 20.0], None),
        ([3, 1], [10.0, 20.0], None),
        ([1, 1], [10.0, 20.0], None),
        ([-1, 6], [10.0, 20.0], None),
        ([1, 2, 3], [10.0], None),
        (slice(1, 3), [10.0, 20.0], 1),
        (slice(None, None, -2), [10.0, 20.0, 30.0], None),
        (1, [], None),
    ],
)
def test_insert_as_numpy(obj, values, axis):
    ref_obj = obj
    mx_obj = _i64(obj) if isinstance(obj, list) else obj
    v = onp.asarray(values, dtype=onp.float32)
    mx_values = values if isinstance(values, float) else np.array(v)
    expected = onp.insert(M, ref_obj, v, axis=axis)
    _check(np.insert(np.array(M), mx_obj, mx_values, axis=axis), expected)


def test_insert_casts_values_to_arr_dtype():
    r = np.insert(np.arange(6, dtype="int32"), 1, 9.7)
    assert r.dtype == onp.int32 and r.asnumpy().tolist() == [0, 9, 1, 2, 3, 4, 5]
    r = np.insert(np.arange(6, dtype="int32"), 1, np.array([9.7]))
    assert r.dtype == onp.int32 and r.asnumpy()[1] == 9
    assert np.insert(np.arange(6.0, dtype="float64"), 1, np.array([1.0])).dtype == onp.float64
    assert np.insert(np.arange(6.0), 1, np.array([1.0], dtype="float64")).dtype == onp.float32
    r = np.insert(np.arange(6.0), np.int64(2), np.array([10.0]))
    assert r.asnumpy().tolist() == [0, 1, 10, 2, 3, 4, 5]
    assert np.insert(np.zeros((2, 0)), 0, np.array([1.0, 2.0]), axis=1).asnumpy().tolist() == [[1.0], [2.0]]


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: np.insert(np.arange(6.0), 7, 9.0), IndexError),
        (lambda: np.insert(np.arange(6.0), -7, 9.0), IndexError),
        (lambda: np.insert(np.arange(6.0), _i64([7]), np.array([1.0])), IndexError),
        (lambda: np.insert(np.arange(6.0), 1, 3.0, axis=1), IndexError),
        (lambda: np.insert(np.arange(6.0), np.array([1.5]), np.array([10.0])), TypeError),
        (lambda: np.insert(np.arange(6.0), _i64([[1, 2]]), np.array([10.0])), ValueError),
        (lambda: np.insert(np.arange(6.0), _i64([1, 2]), np.array([1.0, 2, 3])), ValueError),
        (lambda: np.insert(np.arange(6.0), slice(1, 4), np.array([1.0, 2])), ValueError),
        (lambda: np.insert(np.array(M), 1, np.array([7.0, 8, 9]), axis=1), ValueError),
        (lambda: np.insert(np.arange(6.0), 1, [10.0, 20]), TypeError),
        (lambda: np.insert([1.0, 2], 1, 3.0), TypeError),
        (lambda: np.insert(np.arange(6.0), [1], 3.0), TypeError),
        (lambda: np.insert(np.arange(6.0), 1.0, 3.0), TypeError),
        (lambda: np.insert(np.arange(6.0), True, 3.0), TypeError),
    ],
)
def test_insert_errors(call, error):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, MXNetError) and "insert" in str(info.value)


# ---- resize ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(2, 4), 4, (0,), (), (3, 2), [2, 2], (7,)])
def test_resize_as_numpy(shape):
    _check(np.resize(np.array(M), shape), onp.resize(M, shape))


def test_resize_dtypes_and_edges():
    r = np.resize(np.arange(6, dtype="int32"), (3, 3))
    assert r.dtype == onp.int32 and r.asnumpy().tolist() == [[0, 1, 2], [3, 4, 5], [0, 1, 2]]
    assert np.resize(np.array(3.0), (2, 2)).asnumpy().tolist() == [[3, 3], [3, 3]]
    assert np.resize(np.arange(6.0), np.int64(3)).asnumpy().tolist() == [0, 1, 2]
    z = np.resize(np.zeros((0,), dtype="int32"), (2, 2))  # NumPy's zeros for an empty input
    assert z.dtype == onp.int32 and z.asnumpy().tolist() == [[0, 0], [0, 0]]


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: np.resize(np.arange(6.0), -1), ValueError),
        (lambda: np.resize(np.arange(6.0), (2, -1)), ValueError),
        (lambda: np.resize(np.arange(6.0), 2.5), TypeError),
        (lambda: np.resize([1, 2, 3], (2, 2)), TypeError),
    ],
)
def test_resize_errors(call, error):
    with pytest.raises(error, match="resize"):
        call()


# ---- broadcast_arrays ---------------------------------------------------------------------------
def test_broadcast_arrays():
    a, b = np.ones((2, 1), dtype="int32"), np.arange(3.0)
    out = np.broadcast_arrays(a, b)
    assert isinstance(out, list) and [o.shape for o in out] == [(2, 3), (2, 3)]
    assert out[0].dtype == onp.int32 and out[1].asnumpy().tolist() == [[0, 1, 2], [0, 1, 2]]
    same = np.broadcast_arrays(a, a)
    assert same[0] is a and same[1] is a  # MXNet returns the arguments when nothing broadcasts
    assert np.broadcast_arrays() == []
    assert [o.shape for o in np.broadcast_arrays(np.array(1.0), np.ones((2,)))] == [(2,), (2,)]
    assert [o.shape for o in np.broadcast_arrays(np.ones((2, 0)), np.ones((1,)))] == [(2, 0), (2, 0)]
    with pytest.raises(ValueError, match=r"\(2, 1\), \(3, 2\)"):
        np.broadcast_arrays(np.ones((2, 1)), np.ones((3, 2)))
    with pytest.raises(TypeError, match="argument 1"):
        np.broadcast_arrays(np.ones((2, 1)), 1.0)
    with pytest.raises(TypeError):
        np.broadcast_arrays(np.ones((2, 1)), onp.ones(3))


# ---- polyval --------------------------------------------------------------------------------------
def test_polyval():
    p, x = onp.array([1.0, 2, 3]), onp.array([[1.0, 2.0], [3, 4]])
    _check(np.polyval(np.array(p), np.array(x)), onp.polyval(p, x))
    r = np.polyval(np.array([1, 2, 3], dtype="int32"), np.array([1, 2], dtype="int32"))
    assert r.dtype == onp.int32 and r.asnumpy().tolist() == [6, 11]
    r = np.polyval(np.array([1.0, 2, 3]), np.array(2.0))
    assert r.shape == () and float(r) == 11.0
    assert np.polyval(np.array([], dtype="float32"), np.array([1.0, 2.0])).asnumpy().tolist() == [0, 0]
    assert np.polyval(np.array([1.0]), np.zeros((0,))).shape == (0,)
    # Neither argument an mxnet array: NumPy's result, as MXNet.
    r = np.polyval([1.0, 2, 3], [1.0, 2.0])
    assert isinstance(r, onp.ndarray) and r.tolist() == [6.0, 11.0]
    assert isinstance(np.polyval([1.0, 2, 3], 2), onp.float64)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: np.polyval(np.array([1, 2], dtype="int32"), np.array([1.0])), TypeError),
        (lambda: np.polyval(np.array([1.0], dtype="float64"), np.array([1.0])), TypeError),
        (lambda: np.polyval(np.array([[1.0, 2]]), np.array([1.0])), ValueError),
        (lambda: np.polyval(np.array(2.0), np.array([1.0])), ValueError),
        (lambda: np.polyval(np.array([1.0, 2]), 2.0), TypeError),
        (lambda: np.polyval([1.0, 2], np.array([2.0])), TypeError),
    ],
)
def test_polyval_errors(call, error):
    with pytest.raises(error, match="polyval"):
        call()


# ---- gradients of the compositions ----------------------------------------------------------------
A = onp.arange(12.0).reshape(3, 4) / 7.0


@pytest.mark.parametrize(
    "f, inputs",
    [
        (lambda x: np.delete(x, 1, axis=-1), (A,)),
        (lambda x: np.delete(x, slice(None, None, 2)), (A,)),
        (lambda x: np.delete(x, _i64([0, 2, 2]), axis=0), (A,)),
        (lambda x, v: np.insert(x, 1, v, axis=1), (A, onp.array([7.0, 8, 9]))),
        (lambda x, v: np.insert(x, 4, v, axis=1), (A, onp.array([[7.0], [8]]))),  # v broadcast
        (lambda x, v: np.insert(x, _i64([0, 2, 2]), v, axis=1), (A, onp.array([[7.0], [8], [9]]))),
        (lambda x, v: np.insert(x, slice(None, None, -2), v), (A, onp.array([1.0, 2, 3, 4, 5, 6]))),
        (lambda x: np.resize(x, (5, 5)), (A,)),
        (lambda x: np.resize(x, ()), (A,)),
        (lambda a, b: tuple(np.broadcast_arrays(a, b)), (onp.ones((2, 1)), onp.arange(3.0))),
        (lambda p, x: np.polyval(p, x), (onp.array([1.0, -2, 3, 0.5]), onp.array([[0.5, 1.5], [-1, 2]]))),
    ],
)
def test_composition_gradients(f, inputs):
    check_gradient(f, *inputs)


# ---- bincount -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["int32", "int64", "int8", "uint8"])
def test_bincount_counts_in_the_input_dtype(dtype):
    r = np.bincount(np.array([0, 1, 1, 3], dtype=dtype))
    assert r.dtype == onp.dtype(dtype) and r.asnumpy().tolist() == [1, 2, 0, 1]


def test_bincount_weights_minlength_and_edges():
    x = np.array([0, 1, 1, 3], dtype="int32")
    assert np.bincount(x, minlength=7).asnumpy().tolist() == [1, 2, 0, 1, 0, 0, 0]
    _check(np.bincount(x, weights=np.array([0.5, 1, 2, 3])), [0.5, 3.0, 0.0, 3.0], "float32")
    _check(np.bincount(x, weights=np.array([0.5, 1, 2, 3], dtype="float64")), [0.5, 3.0, 0.0, 3.0], "float64")
    _check(np.bincount(x, weights=np.array([1, 1, 2, 3], dtype="int32")), [1, 3, 0, 3], "int32")
    assert np.bincount(np.array(2, dtype="int32")).asnumpy().tolist() == [0, 0, 1]
    assert np.bincount(np.array([], dtype="int32"), minlength=3).asnumpy().tolist() == [0, 0, 0]
    empty = np.bincount(np.array([], dtype="int64"))
    assert empty.shape == (0,) and empty.dtype == onp.int64


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: np.bincount(np.array([0.0, 1.0])), TypeError),
        (lambda: np.bincount(np.array([0, 1], dtype="bool")), TypeError),
        (lambda: np.bincount(np.array([-1, 2], dtype="int32")), ValueError),
        (lambda: np.bincount(np.array([[1, 2]], dtype="int32")), ValueError),
        (lambda: np.bincount(np.array([0, 1], dtype="int32"), minlength=-1), ValueError),
        (lambda: np.bincount(np.array([0, 1], dtype="int32"), minlength=1.5), TypeError),
        (lambda: np.bincount([0, 1]), TypeError),
        (lambda: np.bincount(np.array([0, 1], dtype="int32"), weights=np.array([1.0, 2, 3])), ValueError),
        (lambda: np.bincount(np.array([0, 1], dtype="int32"), weights=[1.0, 2]), TypeError),
    ],
)
def test_bincount_errors(call, error):
    with pytest.raises(error, match="bincount"):
        call()


# ---- histogram ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, bins, range_",
    [
        ([1.0, 2, 2, 3, 4], 3, (1, 4)),
        ([0.0, 1, 2, 3, 4, 5, 10], 3, (1, 4)),
        ([1.0, 2, 3.999, 4.0, 4.0001], 3, [1, 4]),
        (onp.linspace(0, 1, 101), 7, (0.0, 1.0)),
        (onp.linspace(0, 1, 101), 13, (0.1, 0.9)),
        ([1.0, 2], 2, (1, 1)),
        ([[1.0, 2], [2, 3]], 3, (1, 4)),
        (2.0, 3, (1, 4)),
        ([], 3, (1, 4)),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histogram_float_as_numpy(data, bins, range_, dtype):
    a = onp.asarray(data, dtype=dtype)
    out = np.histogram(np.array(a), bins=bins, range=range_)
    hist, edges = onp.histogram(a, bins=bins, range=range_)
    assert isinstance(out, list) and len(out) == 2
    _check(out[0], hist, "int64")
    _check(out[1], edges.astype(dtype))


def test_histogram_float64_edges_follow_mxnet():
    # MXNet's edges are (hi*i + lo*(bins-i))/bins: 0.3 and 0.7 are edges exactly and start their bins
    # (NumPy: [0, 1, 2, 0, 0, 1, 1, 0, 0, 0]). In float32 the two agree.
    a = np.array([0.1, 0.2, 0.3, 0.6, 0.7], dtype="float64")
    assert np.histogram(a, bins=10, range=(0, 1))[0].asnumpy().tolist() == [0, 1, 1, 1, 0, 0, 1, 1, 0, 0]
    a = np.array([0.1, 0.2, 0.3, 0.6, 0.7], dtype="float32")
    assert np.histogram(a, bins=10, range=(0, 1))[0].asnumpy().tolist() == [0, 1, 1, 1, 0, 0, 1, 1, 0, 0]


def test_histogram_integer_data_follows_mxnet():
    # MXNet casts the edges to the data's dtype and bins against them (NumPy: [3, 2], [1, 2.5, 4]).
    a = np.array([1, 2, 2, 3, 4], dtype="int32")
    hist, edges = np.histogram(a, bins=2, range=(1, 4))
    assert hist.asnumpy().tolist() == [1, 4] and edges.dtype == onp.int32 and edges.asnumpy().tolist() == [1, 2, 4]
    hist, edges = np.histogram(a, bins=4, range=(0.5, 2.5))
    assert hist.asnumpy().tolist() == [0, 0, 1, 2] and edges.asnumpy().tolist() == [0, 1, 1, 2, 2]
    hist, edges = np.histogram(a, bins=2, range=(1, 1))
    assert hist.asnumpy().tolist() == [0, 1] and edges.asnumpy().tolist() == [0, 1, 1]
    for dtype in ("int64", "uint8"):
        hist, edges = np.histogram(np.array([1, 2, 2, 3, 4], dtype=dtype), bins=3, range=(1, 4))
        assert hist.asnumpy().tolist() == [1, 2, 2] and edges.dtype == onp.dtype(dtype)


def test_histogram_with_edges_and_special_values():
    a = np.array([1.0, 2, 2, 3, 4])
    hist, edges = np.histogram(a, bins=np.array([0.0, 2, 5]))
    assert hist.asnumpy().tolist() == [1, 4] and edges.asnumpy().tolist() == [0, 2, 5]
    assert np.histogram(a, bins=np.array([5.0, 2, 0]))[0].asnumpy().tolist() == [0, 0]  # MXNet: nothing in range
    assert np.histogram(np.array([1.0, 2]), bins=np.array([1.0, 1.0, 2]))[0].asnumpy().tolist() == [0, 2]
    ints = np.histogram(np.array([1, 2, 2, 3, 4], dtype="int32"), bins=np.array([0, 2, 5], dtype="int32"))
    assert ints[0].asnumpy().tolist() == [1, 4] and ints[1].dtype == onp.int32
    assert np.histogram(np.array([1.0, onp.nan, onp.inf]), bins=2, range=(1, 4))[0].asnumpy().tolist() == [1, 0]
    assert np.histogram(a, bins=np.int64(2), range=(0, 4))[0].asnumpy().tolist() == [1, 4]
    assert np.histogram(a, bins=3, range=(1, 4), density=False, normed=False)[0].asnumpy().tolist() == [1, 2, 2]


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(bins=3), NotSupportedError),
        (dict(bins=[0.0, 2, 5]), NotSupportedError),
        (dict(bins="auto"), NotSupportedError),
        (dict(bins=3, range=(1, 4), weights=np.ones(5)), NotSupportedError),
        (dict(bins=3, range=(1, 4), density=True), NotSupportedError),
        (dict(bins=3, range=(1, 4), normed=True), NotSupportedError),
        (dict(bins=0, range=(1, 4)), ValueError),
        (dict(bins=-1, range=(1, 4)), ValueError),
        (dict(bins=2, range=(4, 1)), ValueError),
        (dict(bins=2, range=(1,)), ValueError),
        (dict(bins=2, range=(onp.nan, 3)), ValueError),
        (dict(bins=2.5, range=(1, 4)), TypeError),
        (dict(bins=True, range=(1, 4)), TypeError),
        (dict(bins=np.array([1.0])), ValueError),
        (dict(bins=np.array([[1.0, 2]])), ValueError),
        (dict(bins=np.array([0.0, 2, 5], dtype="float64")), TypeError),
    ],
)
def test_histogram_errors(kwargs, error):
    with pytest.raises(error, match="histogram"):
        np.histogram(np.array([1.0, 2, 2, 3, 4]), **kwargs)


def test_histogram_rejects_non_arrays_and_bool():
    with pytest.raises(TypeError, match="histogram"):
        np.histogram([1.0, 2], bins=2, range=(1, 4))
    with pytest.raises(TypeError, match="bool"):
        np.histogram(np.array([True, False], dtype="bool"), bins=2, range=(0, 1))


# ---- frexp, spacing -----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_frexp_and_spacing_dtypes(dtype):
    values = onp.array([1, 2, 5, 0, -3], dtype=dtype)
    mant, expo = np.frexp(np.array(values))
    ref_mant, ref_expo = onp.frexp(values)
    _check(mant, ref_mant)
    _check(expo, ref_expo, "int32")
    _check(np.spacing(np.array(values)), onp.spacing(values))


def test_frexp_and_spacing_result_kinds():
    mant, expo = np.frexp(np.array(3.0))  # 0-d array: NumPy scalars, as MXNet
    assert isinstance(mant, onp.float32) and mant == 0.75 and isinstance(expo, onp.int32) and expo == 2
    assert np.frexp(3.0) == (0.75, 2) and isinstance(np.frexp(3.0)[0], onp.float64)
    mant, expo = np.frexp([1.0, 2.0])  # NumPy input: NumPy's results
    assert isinstance(mant, onp.ndarray) and mant.tolist() == [0.5, 0.5]
    assert isinstance(np.spacing(1.0), onp.float64) and np.spacing(1.0) == onp.finfo(onp.float64).eps
    assert isinstance(np.spacing(np.array(1, dtype="int32")), onp.float64)
    half = np.spacing(np.array([1, 2], dtype="uint8"))  # float16, as NumPy
    assert isinstance(half, np.ndarray) and half.dtype == onp.float16
    with pytest.raises(NotSupportedError, match="frexp"):
        np.frexp(np.array([1.0]), out=(np.zeros(1), np.zeros(1, dtype="int32")))
    with pytest.raises(NotSupportedError, match="spacing"):
        np.spacing(np.array([1.0]), out=np.zeros(1))
    with pytest.raises(NotSupportedError, match="where"):
        np.spacing(np.array([1.0]), where=True)


def test_host_functions_are_constants_under_autograd():
    x = np.array([1.0, 3.0])
    x.attach_grad()
    with autograd.record():
        mant, _ = np.frexp(x)
        y = (mant * x).sum()
    y.backward()
    assert x.grad.asnumpy().tolist() == [0.5, 0.75]  # only the recorded factor x


# ---- genfromtxt -----------------------------------------------------------------------------------
def test_genfromtxt(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1,2,3\n4,5,6\n")
    r = np.genfromtxt(str(path), delimiter=",")
    assert isinstance(r, np.ndarray) and r.dtype == onp.float64 and r.asnumpy().tolist() == [[1, 2, 3], [4, 5, 6]]
    r = np.genfromtxt(str(path), delimiter=",", dtype="int32", ctx=None)
    assert r.dtype == onp.int32
    r = np.genfromtxt(["1 2", "3 x"])
    assert onp.isnan(r.asnumpy()[1, 1]) and r.asnumpy()[1, 0] == 3
    with pytest.raises(FileNotFoundError):
        np.genfromtxt(str(tmp_path / "missing.csv"))


# ---- may_share_memory, shares_memory --------------------------------------------------------------
@pytest.mark.parametrize("fn", [np.shares_memory, np.may_share_memory])
def test_share_memory_views_and_separate_arrays(fn):
    x = np.arange(12.0).reshape(3, 4)
    for view in (x, x[1], x[1:], x[...], x.reshape(12), np.reshape(x, (4, 3)), np.expand_dims(x, 0)):
        assert fn(view, x) is True and fn(x, view) is True
    assert fn(x[1:], x[0:2]) is True  # overlapping pieces
    for other in (x.copy(), x + 0, x[:, 1], np.ones((3, 4))):
        assert fn(other, x) is False
    e = np.ones((0,))
    assert fn(e, e) is False
    assert fn(x, x, max_work=3) is True
    with pytest.raises(TypeError, match="'b'"):
        fn(x, 1.0)
    with pytest.raises(TypeError, match="'a'"):
        fn(onp.ones(3), x)


def test_shares_memory_disjoint_pieces_of_one_array():
    x = np.arange(12.0)
    assert np.shares_memory(x[:2], x[2:]) is False  # MXNet 1.9.1's answer
    assert np.may_share_memory(x[:2], x[2:]) is False and np.shares_memory(x[:3], x[2:]) is True


# ---- sometrue, set_printoptions -------------------------------------------------------------------
def test_sometrue():
    m = np.array([[0.0, 1.0], [0.0, 0.0]])
    r = np.sometrue(m)
    assert r.dtype == onp.bool_ and r.shape == () and bool(r)
    assert np.sometrue(m, axis=1).asnumpy().tolist() == [True, False]
    assert np.sometrue(m, axis=-1, keepdims=True).shape == (2, 1)
    assert not bool(np.sometrue(np.zeros((0,))))


@pytest.fixture
def printoptions():
    saved = onp.get_printoptions()
    yield
    onp.set_printoptions(**saved)


def test_set_printoptions_changes_printing(printoptions):
    x = np.array([1.23456789, 2.5])
    np.set_printoptions(precision=2)
    assert repr(x) == "array([1.23, 2.5 ])" and str(x) == "[1.23 2.5 ]"
    np.set_printoptions(threshold=4)
    assert "..." in str(np.arange(10.0))
    np.set_printoptions()  # None keeps both
    assert onp.get_printoptions()["precision"] == 2 and onp.get_printoptions()["threshold"] == 4
    np.set_printoptions(3, 10)
    assert onp.get_printoptions()["precision"] == 3 and onp.get_printoptions()["threshold"] == 10


def test_set_printoptions_errors(printoptions):
    with pytest.raises(NotImplementedError, match="linewidth"):
        np.set_printoptions(precision=2, linewidth=3)
    assert onp.get_printoptions()["linewidth"] != 3 and onp.get_printoptions()["precision"] != 2
    with pytest.raises(TypeError):
        np.set_printoptions(precision="a")


# ---- financial functions --------------------------------------------------------------------------
# Expected values: NumPy 1.19 / numpy-financial 1.0 (the docs' examples and Excel's MIRR example).
def test_npv():
    r = np.npv(0.281, [-100, 39, 59, 55, 20])
    assert isinstance(r, onp.float64) and r == pytest.approx(-0.00847859163845488, rel=1e-12)
    assert np.npv(0.08, np.array([-40000, 5000, 8000, 12000, 30000.0])) == pytest.approx(3065.2226681795255)
    assert np.npv(0.0, [1, 2, 3]) == 6.0 and np.npv(0.1, []) == 0.0
    with pytest.raises(ValueError, match="npv"):
        np.npv([0.1, 0.2], [1, 2])
    with pytest.raises(ValueError, match="npv"):
        np.npv(0.1, [[1, 2]])


def test_pv():
    r = np.pv(0.05 / 12, 10 * 12, -100, 15692.93)
    assert isinstance(r, onp.float64) and r == pytest.approx(-100.00067131625819, rel=1e-12)
    assert np.pv(0.05 / 12, 120, -100, 15692.93, when="begin") == pytest.approx(-60.71677534615883, rel=1e-12)
    assert np.pv(0.05, 10, -100, 0, when=1) == pytest.approx(810.7821675644058)
    assert np.pv(0.05, 10, -100, 0, when="end") == pytest.approx(772.1734929184817)
    assert np.pv(0, 10, -100, 50) == 950.0
    rates = np.array(onp.array([0.05, 0.06, 0.07]) / 12, dtype="float64")
    r = np.pv(rates, 120, -100, 15692.93)
    assert isinstance(r, np.ndarray) and r.dtype == onp.float64
    onp.testing.assert_allclose(r.asnumpy(), [-100.00067131625819, 381.99732232423946, 803.8920198635934])
    for when in ("middle", 2):
        with pytest.raises(ValueError, match="when"):
            np.pv(0.05, 10, -100, when=when)


def test_ppmt():
    ref = [-200.58192368678277, -201.95925289609866, -216.2635804344661]
    assert [np.ppmt(0.0824 / 12, p, 12, 2500) for p in (1, 2, 12)] == pytest.approx(ref, rel=1e-12)
    ref = [-216.2635804344661, -200.58192368678274, -214.78869804124952]  # begin: no interest in period 1
    assert [np.ppmt(0.0824 / 12, p, 12, 2500, when="begin") for p in (1, 2, 12)] == pytest.approx(ref, rel=1e-12)
    assert np.ppmt(0.05, 3, 10, 1000, fv=-200) == pytest.approx(-70.12303511953274, rel=1e-12)
    assert np.ppmt(0.0, 3, 10, 1000) == pytest.approx(-100.0)
    schedule = np.ppmt(0.0824 / 12, np.arange(1, 13, dtype="int64"), 12, 2500)
    assert isinstance(schedule, np.ndarray) and schedule.shape == (12,)
    assert schedule.asnumpy().sum() == pytest.approx(-2500.0)  # the principal parts repay the loan


def test_rate():
    r = np.rate(10, 0, -3500, 10000)
    assert isinstance(r, onp.float64) and r == pytest.approx(0.11069085371426901, rel=1e-9)
    assert np.rate(10, -120, 1000, 0) == pytest.approx(0.034601537996533524, rel=1e-9)
    assert np.rate(10, -120, 1000, 0, when="begin") == pytest.approx(0.043041933234095775, rel=1e-9)
    assert np.rate(10, -120, 1000, 0, guess=0.01, tol=1e-10) == pytest.approx(0.0346015379965336, rel=1e-12)
    assert abs(np.rate(10, -100, 1000, 0)) < 1e-9  # repaid at face value: rate 0
    assert onp.isnan(np.rate(10, 0, 3500, 10000))  # same signs: no solution
    assert onp.isnan(np.rate(12, -100, 1000, 0, maxiter=2))  # too few steps
    r = np.rate(10, 0, np.array([-3500, -1000.0], dtype="float64"), 10000)
    assert isinstance(r, np.ndarray)
    onp.testing.assert_allclose(r.asnumpy(), [0.11069085371075277, 0.2589254117949665], rtol=1e-9)
    # The rate solves the pv equation.
    assert np.pv(np.rate(24, -50, 1000, 0), 24, -50) == pytest.approx(1000.0)


def test_mirr():
    r = np.mirr([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12)
    assert isinstance(r, onp.float64) and r == pytest.approx(0.1260941303659051, rel=1e-12)
    flows = np.array([-4500, -800, 800, 800, 600, 600, 800, 800, 700, 3000.0])
    assert np.mirr(flows, 0.08, 0.055) == pytest.approx(0.06659717503155349, rel=1e-12)
    assert onp.isnan(np.mirr([100, 200, 300], 0.1, 0.1))
    with pytest.raises(ValueError, match="mirr"):
        np.mirr([[1, -2]], 0.1, 0.1)
