"""More legacy nd operators (ndarray/_composed.py): depth_to_space,
space_to_depth, split_v2, batch_take, unravel_index, ravel_multi_index,
argmax_channel, khatri_rao, histogram, softmax_cross_entropy, crop,
from_numpy; the NDArray methods; test_utils.check_numeric_gradient and
base.error_types. Expected values not given by NumPy come from MXNet 1.9.1."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import autograd, nd
from mxnet.base import (
    MXNetAxisError,
    MXNetError,
    MXNetIndexError,
    MXNetMemoryError,
    MXNetOverflowError,
    MXNetTypeError,
    MXNetValueError,
    NotSupportedError,
)
from mxnet.test_utils import check_gradient, check_numeric_gradient


def i32(values):
    return nd.array(values, dtype="int32")


def as_nd(f):
    """``f`` on nd arrays, seen by check_gradient (which passes np arrays)."""

    def g(*xs):
        out = f(*[x.as_nd_ndarray() for x in xs])
        return [o.as_np_ndarray() for o in out] if isinstance(out, list) else out.as_np_ndarray()

    return g


# ---- depth_to_space / space_to_depth ------------------------------------------------------------
D2S_16 = [[[[0, 4, 1, 5], [8, 12, 9, 13], [2, 6, 3, 7], [10, 14, 11, 15]]]]  # MXNet 1.9.1
S2D_16 = [[[[0, 2], [8, 10]], [[1, 3], [9, 11]], [[4, 6], [12, 14]], [[5, 7], [13, 15]]]]


def test_depth_to_space_as_mxnet():
    x = nd.arange(16).reshape((1, 4, 2, 2))
    assert nd.depth_to_space(x, 2).asnumpy().tolist() == D2S_16
    assert nd.depth_to_space(x, block_size=2).shape == (1, 1, 4, 4)
    assert x.depth_to_space(2).asnumpy().tolist() == D2S_16
    assert nd.depth_to_space(x, 1).asnumpy().tolist() == x.asnumpy().tolist()
    y = nd.depth_to_space(x.astype("int32"), 2)
    assert y.dtype == onp.int32 and y.asnumpy().tolist() == D2S_16
    # 12 channels, block 2: channel (i b + j) C' + c lands at (c, h b + i, w b + j)
    z = nd.depth_to_space(nd.arange(48).reshape((1, 12, 2, 2)), 2).asnumpy()
    assert z.shape == (1, 3, 4, 4)
    assert z[0, 0].tolist() == [[0, 12, 1, 13], [24, 36, 25, 37], [2, 14, 3, 15], [26, 38, 27, 39]]
    assert z[0, 2, 0].tolist() == [8, 20, 9, 21]


def test_space_to_depth_as_mxnet():
    y = nd.arange(16).reshape((1, 1, 4, 4))
    assert nd.space_to_depth(y, 2).asnumpy().tolist() == S2D_16
    assert y.space_to_depth(block_size=2).asnumpy().tolist() == S2D_16
    z = nd.space_to_depth(nd.arange(48).reshape((1, 3, 4, 4)), 2).asnumpy()
    assert z.shape == (1, 12, 2, 2)
    assert z[0, 1].tolist() == [[16, 18], [24, 26]] and z[0, 3].tolist() == [[1, 3], [9, 11]]
    x = nd.array(onp.random.rand(2, 3, 4, 6))
    assert nd.depth_to_space(nd.space_to_depth(x, 2), 2).asnumpy().tolist() == x.asnumpy().tolist()


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.depth_to_space(nd.zeros((1, 3, 2, 2)), 2), MXNetError, "multiple of block_size"),
        (lambda: nd.depth_to_space(nd.zeros((4, 3, 1)), 2), MXNetError, "4-D"),
        (lambda: nd.depth_to_space(nd.zeros((1, 4, 2, 2)), 0), MXNetValueError, "positive"),
        (lambda: nd.depth_to_space(nd.zeros((1, 4, 2, 2)), -2), MXNetValueError, "positive"),
        (lambda: nd.depth_to_space(nd.zeros((1, 4, 2, 2)), 2.0), MXNetTypeError, "must be an int"),
        (lambda: nd.depth_to_space(nd.zeros((1, 4, 2, 2))), MXNetError, "block_size is missing"),
        (lambda: nd.depth_to_space(nd.zeros((0, 4, 2, 2)), 2), MXNetError, "no extent"),
        (lambda: nd.space_to_depth(nd.zeros((1, 1, 3, 4)), 2), MXNetError, "multiples of block_size"),
        (lambda: nd.space_to_depth(nd.zeros((1, 3, 4)), 2), MXNetError, "4-D"),
        (lambda: nd.space_to_depth(nd.zeros((2, 1, 0, 2)), 2), MXNetError, "no extent"),
    ],
)
def test_depth_space_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    "f, shape",
    [
        (lambda x: nd.depth_to_space(x, 2), (2, 8, 2, 3)),
        (lambda x: nd.space_to_depth(x, 2), (1, 2, 4, 2)),
    ],
)
def test_depth_space_gradients(f, shape):
    check_gradient(as_nd(f), onp.random.default_rng(1).standard_normal(shape))


# ---- split_v2 -----------------------------------------------------------------------------------
A24 = nd.arange(24).reshape((2, 3, 4))


@pytest.mark.parametrize(
    "args, kwargs, numpy_split",
    [
        ((2,), {}, lambda a: onp.split(a, 2)),
        ((3,), {"axis": 1}, lambda a: onp.split(a, 3, axis=1)),
        ((2,), {"axis": -1}, lambda a: onp.split(a, 2, axis=-1)),
        (((1, 3),), {"axis": 2}, lambda a: onp.split(a, [1, 3], axis=2)),
        (((0, 3),), {"axis": 2}, lambda a: onp.split(a, [0, 3], axis=2)),
        (((2, 2),), {"axis": 2}, lambda a: onp.split(a, [2, 2], axis=2)),
        (((4,),), {"axis": 2}, lambda a: onp.split(a, [4], axis=2)),
        (((1,),), {"axis": -2}, lambda a: onp.split(a, [1], axis=-2)),
    ],
)
def test_split_v2_as_numpy_split(args, kwargs, numpy_split):
    pieces = nd.split_v2(A24, *args, **kwargs)
    expected = numpy_split(A24.asnumpy())
    assert isinstance(pieces, list) and len(pieces) == len(expected)
    for p, e in zip(pieces, expected):
        assert p.shape == e.shape and p.asnumpy().tolist() == e.tolist()


def test_split_v2_as_mxnet():
    # one piece: the array itself (as for an empty tuple or True, which is 1)
    for arg in (1, (), True):
        whole = nd.split_v2(A24, arg)
        assert isinstance(whole, nd.NDArray) and whole.asnumpy().tolist() == A24.asnumpy().tolist()
    squeezed = nd.split_v2(A24, 3, axis=1, squeeze_axis=True)
    assert [p.shape for p in squeezed] == [(2, 4)] * 3
    assert squeezed[1].asnumpy().tolist() == [[4, 5, 6, 7], [16, 17, 18, 19]]
    assert [p.shape for p in nd.split_v2(A24, (1, 2), axis=1, squeeze_axis=True)] == [(2, 4)] * 3
    # MXNet 1.9.1 gives 0-d pieces when a 1-D array is squeezed
    zero_d = nd.split_v2(nd.arange(3), 3, squeeze_axis=True)
    assert [p.shape for p in zero_d] == [(), (), ()] and [float(p.asnumpy()) for p in zero_d] == [0, 1, 2]
    assert nd.split_v2(nd.arange(3).reshape((1, 3)), 1, squeeze_axis=True).shape == (3,)
    ints = nd.split_v2(A24.astype("int64"), 2)
    assert ints[0].dtype == onp.int64
    assert [p.shape for p in A24.split_v2(indices_or_sections=(1,), axis=0)] == [(1, 3, 4), (1, 3, 4)]
    assert [p.shape for p in nd.split_v2(nd.zeros((0, 3)), 3, axis=1)] == [(0, 1)] * 3


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.split_v2(A24, [1, 3], axis=2), MXNetValueError, "an int or a tuple"),
        (lambda: nd.split_v2(A24, 2.0), MXNetValueError, "an int or a tuple"),
        (lambda: nd.split_v2(A24, onp.int64(2)), ValueError, "an int or a tuple"),
        (lambda: nd.split_v2(A24, 3, axis=2), ValueError, "equal division"),
        (lambda: nd.split_v2(A24, 0), MXNetValueError, "positive"),
        (lambda: nd.split_v2(A24, (3, 1), axis=2), MXNetError, "sorted"),
        (lambda: nd.split_v2(A24, (-1,), axis=2), MXNetError, "sorted"),
        (lambda: nd.split_v2(A24, (1, 6), axis=2), MXNetError, "beyond the extent"),
        (lambda: nd.split_v2(A24, 2, axis=3), IndexError, "out of bounds"),
        (lambda: nd.split_v2(A24, 2, axis=-4), MXNetAxisError, "out of bounds"),
        (lambda: nd.split_v2(A24, 2, axis=2, squeeze_axis=True), MXNetError, "extent 1"),
        (lambda: nd.split_v2(A24, (0, 1, 2), axis=1, squeeze_axis=True), MXNetError, "extent 1"),
    ],
)
def test_split_v2_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_split_v2_signature_has_no_out():
    with pytest.raises(TypeError):
        nd.split_v2(A24, 2, out=None)


def test_split_v2_gradient():
    def f(x):
        a, b, c = nd.split_v2(x, (1, 3), axis=1)
        return a * 2 + b.sum(axis=1, keepdims=True) * 3 - c * c

    check_gradient(as_nd(f), onp.random.default_rng(2).standard_normal((3, 4)))
    check_gradient(as_nd(lambda x: nd.split_v2(x, 2, axis=0, squeeze_axis=True)), onp.ones((2, 3)))


# ---- batch_take ---------------------------------------------------------------------------------
X32 = nd.array([[1, 2], [3, 4], [5, 6]])


def test_batch_take_as_mxnet():
    assert nd.batch_take(X32, i32([0, 1, 0])).asnumpy().tolist() == [1, 4, 5]
    # out-of-range indices are clipped to [0, columns)
    assert nd.batch_take(X32, i32([5, -1, 1])).asnumpy().tolist() == [2, 3, 6]
    assert nd.batch_take(X32, i32([-1, -2, -3])).asnumpy().tolist() == [1, 3, 5]
    r = nd.batch_take(X32, i32([[0], [1], [0]]))
    assert r.shape == (3, 1) and r.asnumpy().tolist() == [[1], [4], [5]]
    for dtype in ("int32", "int64", "uint8", "float64"):
        r = nd.batch_take(X32.astype(dtype), i32([0, 1, 0]))
        assert r.dtype == onp.dtype(dtype) and r.asnumpy().tolist() == [1, 4, 5]
    assert nd.batch_take(nd.zeros((0, 3)), nd.zeros((0,), dtype="int32")).shape == (0,)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.batch_take(X32, nd.array([0, 1, 0])), MXNetTypeError, "int32"),
        (lambda: nd.batch_take(X32, nd.array([0, 1, 0], dtype="int64")), MXNetTypeError, "int32"),
        (lambda: nd.batch_take(X32, i32([0, 1])), MXNetError, "one index per row"),
        (lambda: nd.batch_take(nd.arange(3), i32([0])), MXNetError, "2-D"),
        (lambda: nd.batch_take(nd.zeros((2, 3, 2)), i32([0, 1])), MXNetError, "2-D"),
    ],
)
def test_batch_take_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_batch_take_gradient():
    check_gradient(as_nd(lambda x: nd.batch_take(x, i32([0, 2, 7, -1]))), onp.random.rand(4, 3))


# ---- unravel_index / ravel_multi_index ----------------------------------------------------------
def test_unravel_index_as_numpy_in_range():
    flat = [22, 41, 37, 0, 5]
    for shape in [(7, 6), (2, 3, 7), (42,), (1, 42)]:
        got = nd.unravel_index(nd.array(flat), shape=shape)
        assert got.shape == (len(shape), len(flat)) and got.dtype == onp.float32
        assert got.asnumpy().tolist() == onp.array(onp.unravel_index(flat, shape)).tolist()


def test_unravel_index_as_mxnet():
    # the first coordinate is not wrapped; values are truncated toward zero
    assert nd.unravel_index(nd.array([42, 100]), shape=(7, 6)).asnumpy().tolist() == [[7, 16], [0, 4]]
    assert nd.unravel_index(nd.array([22.7, 41.2, -1]), (7, 6)).asnumpy().tolist() == [[3, 6, 0], [4, 5, -1]]
    assert nd.unravel_index(nd.array([22]), shape=7).asnumpy().tolist() == [[22]]
    assert nd.unravel_index(nd.array([22]), shape=(7, -1)).asnumpy().tolist() == [[-22], [0]]
    # float32 data holds 16777217 as 16777216
    assert nd.unravel_index(nd.array([16777217.0]), (10, 10**7)).asnumpy().tolist() == [[1], [6777216]]
    for dtype in ("int32", "int64", "float64"):
        got = nd.unravel_index(nd.array([22, 41, 37], dtype=dtype), shape=(7, 6))
        assert got.dtype == onp.dtype(dtype) and got.asnumpy().tolist() == [[3, 6, 6], [4, 5, 1]]
    assert nd.unravel_index(nd.zeros((0,)), shape=(2, 3)).shape == (2, 0)


def test_ravel_multi_index_as_mxnet():
    coords = [[3, 6, 6], [4, 5, 1]]
    assert nd.ravel_multi_index(nd.array(coords), shape=(7, 6)).asnumpy().tolist() == [22, 41, 37]
    assert nd.ravel_multi_index(nd.array(coords), shape=(7, 6)).dtype == onp.float32
    for dtype in ("int32", "int64"):
        got = nd.ravel_multi_index(nd.array(coords, dtype=dtype), shape=(7, 6))
        assert got.dtype == onp.dtype(dtype) and got.asnumpy().tolist() == [22, 41, 37]
    got = nd.ravel_multi_index(nd.array([[1, 0], [2, 1], [3, 6]], dtype="int64"), shape=(2, 3, 7))
    assert got.asnumpy().tolist() == onp.ravel_multi_index(([1, 0], [2, 1], [3, 6]), (2, 3, 7)).tolist()
    # unchecked coordinates, truncation at each step, float32 sums
    assert nd.ravel_multi_index(nd.array([[9, 6, -1], [4, 7, 1]]), (7, 6)).asnumpy().tolist() == [58, 43, -5]
    assert nd.ravel_multi_index(nd.array([[3.7, 6, 6], [4.5, 5, 1]]), (7, 6)).asnumpy().tolist() == [22, 41, 37]
    assert nd.ravel_multi_index(nd.array([[1], [7]]), shape=(10, 16777217)).asnumpy().tolist() == [16777224]
    big = nd.ravel_multi_index(nd.array([[1], [16777217]], dtype="int32"), shape=(10, 100000000))
    assert big.asnumpy().tolist() == [116777217]
    assert nd.ravel_multi_index(nd.array([[3, 6]]), shape=7).asnumpy().tolist() == [3, 6]
    assert nd.ravel_multi_index(nd.zeros((2, 0)), shape=(2, 3)).shape == (0,)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.unravel_index(nd.array([22])), MXNetError, "shape is missing"),
        (lambda: nd.unravel_index(nd.array([22]), shape=()), MXNetError, "must not be empty"),
        (lambda: nd.unravel_index(nd.array([22]), shape=(7, 0)), MXNetValueError, "zero extent"),
        (lambda: nd.unravel_index(nd.array([[22, 41]]), shape=(7, 6)), MXNetError, "1-D"),
        (lambda: nd.ravel_multi_index(nd.array([3, 4]), shape=(7, 6)), MXNetError, "2-D"),
        (lambda: nd.ravel_multi_index(nd.ones((3, 2)), shape=(7, 6)), MXNetError, "len\\(shape\\) = 2"),
        (lambda: nd.ravel_multi_index(nd.ones((1, 2)), shape=(7, 6)), MXNetError, "len\\(shape\\) = 2"),
        (lambda: nd.ravel_multi_index(nd.ones((2, 2))), MXNetError, "shape is missing"),
    ],
)
def test_index_helper_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- argmax_channel -----------------------------------------------------------------------------
def test_argmax_channel_as_mxnet():
    r = nd.argmax_channel(nd.array([[0, 1, 2], [3, 4, 5]]))
    assert r.dtype == onp.float32 and r.asnumpy().tolist() == [2, 2]
    assert nd.argmax_channel(nd.array([[5, 1, 5], [3, 4, 4]])).asnumpy().tolist() == [0, 1]  # first on ties
    assert nd.argmax_channel(nd.array([[1, float("nan"), 2]])).asnumpy().tolist() == [1]  # NaN is largest
    r = nd.argmax_channel(nd.arange(24).reshape((2, 3, 4)))  # channels are axis 1
    assert r.shape == (2, 4) and r.asnumpy().tolist() == [[2] * 4] * 2
    for dtype in ("int32", "float64"):
        r = nd.argmax_channel(nd.array([[1, 3, 2]], dtype=dtype))
        assert r.dtype == onp.dtype(dtype) and r.asnumpy().tolist() == [1]
    assert nd.array([[1, 3, 2], [9, 0, 0]]).argmax_channel().asnumpy().tolist() == [1, 0]
    assert nd.argmax_channel(nd.zeros((0, 3))).shape == (0,)
    with pytest.raises(MXNetAxisError, match="at least 2 axes"):
        nd.argmax_channel(nd.array([1, 3, 2]))
    with pytest.raises(MXNetError, match="no channels"):
        nd.argmax_channel(nd.zeros((2, 0)))


# ---- khatri_rao ---------------------------------------------------------------------------------
KA = nd.array([[1, -1], [2, -3]])
KB = nd.array([[1, 4], [2, 5], [3, 6]])


def _numpy_khatri_rao(*ms):
    out = ms[0]
    for m in ms[1:]:
        out = onp.einsum("ik,jk->ijk", out, m).reshape(-1, out.shape[1])
    return out


def test_khatri_rao_as_mxnet():
    expected = [[1, -4], [2, -5], [3, -6], [2, -12], [4, -15], [6, -18]]  # MXNet 1.9.1
    assert nd.khatri_rao(KA, KB).asnumpy().tolist() == expected
    assert nd.khatri_rao(KA, KB, name="kr").asnumpy().tolist() == expected
    third = nd.array([[1, 2]])
    assert nd.khatri_rao(KA, KB, third).asnumpy().tolist() == [[a, 2 * b] for a, b in expected]
    assert nd.khatri_rao(KA).asnumpy().tolist() == KA.asnumpy().tolist()
    ms = [onp.random.rand(r, 4) for r in (2, 3, 5)]
    onp.testing.assert_allclose(nd.khatri_rao(*[nd.array(m) for m in ms]).asnumpy(), _numpy_khatri_rao(*ms), 1e-6)
    assert nd.khatri_rao(nd.zeros((0, 2)), nd.ones((3, 2))).shape == (0, 2)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.khatri_rao(), MXNetError, "at least one"),
        (lambda: nd.khatri_rao(KA, nd.ones((3, 3))), MXNetError, "same number of columns"),
        (lambda: nd.khatri_rao(nd.array([1, 2]), nd.array([3, 4])), MXNetError, "2-D"),
        (lambda: nd.khatri_rao(KA, KB.astype("float64")), MXNetTypeError, "float32 and float64"),
        (lambda: nd.khatri_rao(KA, KB, bogus=1), TypeError, "bogus"),
    ],
)
def test_khatri_rao_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_khatri_rao_gradient():
    rng = onp.random.default_rng(3)
    check_gradient(as_nd(nd.khatri_rao), rng.standard_normal((2, 3)), rng.standard_normal((4, 3)))
    check_gradient(as_nd(nd.khatri_rao), *[rng.standard_normal((n, 2)) for n in (2, 1, 3)])


# ---- histogram ----------------------------------------------------------------------------------
H = nd.array([0, 1, 2, 2, 3, 5])


def _pair(result):
    counts, edges = result
    return (counts.dtype, counts.asnumpy().tolist()), (edges.dtype, edges.asnumpy().tolist())


def test_histogram_without_range_is_numpys_in_float32():
    with pytest.warns(UserWarning, match="range is not specified"):
        result = nd.histogram(H, bins=3)
    assert isinstance(result, tuple)
    counts, edges = onp.histogram(H.asnumpy(), bins=3)
    assert _pair(result) == ((onp.float32, counts.tolist()), (onp.float32, edges.astype(onp.float32).tolist()))
    with pytest.warns(UserWarning):
        default = nd.histogram(nd.array([[0, 1, 2], [2, 3, 5]], dtype="int32"))
    assert default[0].shape == (10,) and default[0].asnumpy().tolist() == [1, 0, 1, 0, 2, 0, 1, 0, 0, 1]


def test_histogram_with_range_as_mxnet():
    result = nd.histogram(H, bins=3, range=(0, 5))
    assert isinstance(result, list)
    assert _pair(result) == ((onp.int64, [2, 3, 1]), (onp.float32, [0.0, 1.6666666269302368, 3.3333332538604736, 5.0]))
    # edges in the data's dtype; the bins follow the rounded edges
    assert _pair(nd.histogram(H.astype("int32"), bins=3, range=(0, 5))) == (
        (onp.int64, [1, 3, 2]),
        (onp.int32, [0, 1, 3, 5]),
    )
    assert _pair(nd.histogram(H.astype("float64"), bins=3, range=[0, 5]))[1][0] == onp.float64
    assert nd.histogram(H, bins=4, range=(1, 3))[0].asnumpy().tolist() == [1, 0, 2, 1]
    assert nd.histogram(nd.array([-1, 0, 1, 2, 3, 5]), bins=2, range=(0, 3))[0].asnumpy().tolist() == [2, 2]
    assert nd.histogram(nd.array([0, 1, 1.5, 3]), bins=2, range=(0, 3))[0].asnumpy().tolist() == [2, 2]
    assert nd.histogram(nd.array([0, 1, float("nan"), 3]), bins=2, range=(0, 3))[0].asnumpy().tolist() == [2, 1]
    assert nd.histogram(nd.array([0, 1, float("inf"), 3]), bins=2, range=(0, 3))[0].asnumpy().tolist() == [2, 1]
    tenths = nd.histogram(nd.array([0.1, 0.2, 0.3, 0.7, 0.9, 1.0]), bins=10, range=(0, 1))
    assert tenths[0].asnumpy().tolist() == [0, 1, 1, 1, 0, 0, 0, 1, 0, 2]
    # an empty range is widened by 0.5 each side
    assert _pair(nd.histogram(H, bins=2, range=(2, 2))) == ((onp.int64, [0, 2]), (onp.float32, [1.5, 2.0, 2.5]))
    assert nd.histogram(H, bins=onp.int64(2), range=(0, 1))[0].asnumpy().tolist() == [1, 1]
    empty = nd.histogram(nd.zeros((0,)), bins=2, range=(0, 1))
    assert _pair(empty) == ((onp.int64, [0, 0]), (onp.float32, [0.0, 0.5, 1.0]))
    none = nd.histogram(H, bins=0, range=(0, 1))
    assert none[0].shape == (0,) and onp.isnan(none[1].asnumpy()).all()


def test_histogram_with_edges_as_mxnet():
    assert _pair(nd.histogram(H, bins=nd.array([0, 1, 2.5, 6]))) == (
        (onp.int64, [1, 3, 2]),
        (onp.float32, [0.0, 1.0, 2.5, 6.0]),
    )
    four = nd.array([0, 1, 2.5, 6])
    assert nd.histogram(four, bins=four)[0].asnumpy().tolist() == [1, 1, 2]  # the last bin is closed
    assert nd.histogram(four, bins=nd.array([0, 2.5, 1, 6]))[0].asnumpy().tolist() == [2, 0, 2]  # unsorted
    assert nd.histogram(nd.array([0, 1, float("nan"), 3]), bins=nd.array([0, 1, 3]))[0].asnumpy().tolist() == [1, 2]
    # range is not used with explicit edges
    assert nd.histogram(nd.array([0, 1, 2, 3]), bins=nd.array([0, 1, 3]), range=(0, 1))[0].asnumpy().tolist() == [1, 3]
    ints = nd.histogram(H.astype("int32"), bins=nd.array([0, 1, 6], dtype="int32"))
    assert _pair(ints) == ((onp.int64, [1, 5]), (onp.int32, [0, 1, 6]))
    rng = onp.random.default_rng(4)
    data, edges = rng.standard_normal(200), onp.sort(rng.standard_normal(7))
    got = nd.histogram(nd.array(data, dtype="float64"), bins=nd.array(edges, dtype="float64"))
    assert got[0].asnumpy().tolist() == onp.histogram(data, bins=edges)[0].tolist()


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.histogram(H, bins=[0, 1, 2]), MXNetValueError, "an int or an NDArray"),
        (lambda: nd.histogram(H, bins=2.0), MXNetValueError, "an int or an NDArray"),
        (lambda: nd.histogram(H, bins=onp.array([0, 1.0])), MXNetValueError, "an int or an NDArray"),
        (lambda: nd.histogram(H, bins=0), MXNetValueError, "positive"),
        (lambda: nd.histogram(H, bins=-1), MXNetValueError, "positive"),
        (lambda: nd.histogram(H, bins=-1, range=(0, 1)), MXNetValueError, "negative"),
        (lambda: nd.histogram(nd.array([0, float("nan")]), bins=2), ValueError, "not finite"),
        (lambda: nd.histogram(H, bins=2, range=(3, 1)), MXNetError, "must not exceed"),
        (lambda: nd.histogram(H, bins=2, range=(0, 1, 2)), MXNetError, "pair"),
        (lambda: nd.histogram(H, bins=nd.array([1])), MXNetError, "at least 2 edges"),
        (lambda: nd.histogram(H, bins=nd.array([[0, 1]])), MXNetError, "1-D"),
        (lambda: nd.histogram(H, bins=nd.array([0, 2], dtype="int32")), MXNetTypeError, "dtype"),
        (lambda: nd.histogram(H, bin_cnt=3), TypeError, "bin_cnt"),
    ],
)
@pytest.mark.filterwarnings("ignore:range is not specified")
def test_histogram_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- softmax_cross_entropy ----------------------------------------------------------------------
SX = nd.array([[1, 2, 3], [0.5, 0.1, 4]])
SL = nd.array([2, 0])


def _numpy_cross_entropy(x, label):
    p = onp.exp(x - x.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    return -onp.log(onp.maximum(p[onp.arange(len(label)), label], 1e-8)).sum()


def test_softmax_cross_entropy_as_mxnet():
    r = nd.softmax_cross_entropy(SX, SL)
    assert r.shape == (1,) and r.dtype == onp.float32
    onp.testing.assert_allclose(r.asnumpy(), [3.9568142890930176], rtol=1e-6)  # MXNet 1.9.1
    r64 = nd.softmax_cross_entropy(SX.astype("float64"), SL.astype("float64"))
    onp.testing.assert_allclose(r64.asnumpy(), [3.9568144172125432], rtol=1e-10)
    onp.testing.assert_allclose(r64.asnumpy(), [_numpy_cross_entropy(SX.asnumpy().astype("float64"), [2, 0])])
    # labels are truncated toward zero
    onp.testing.assert_allclose(nd.softmax_cross_entropy(SX, nd.array([1.7, 0.2])).asnumpy(), [4.956814289093018])
    onp.testing.assert_allclose(
        nd.softmax_cross_entropy(nd.array([[0, 1, 2]]), nd.array([-0.5])).asnumpy(), [2.407606], rtol=1e-6
    )
    assert nd.softmax_cross_entropy(nd.zeros((0, 3)), nd.zeros((0,))).asnumpy().tolist() == [0.0]


def test_softmax_cross_entropy_caps_terms_but_not_their_gradient():
    x = nd.array([[1000, 0, -1000], [0, 0, -30]], dtype="float64")
    x.attach_grad()
    with autograd.record():
        loss = nd.softmax_cross_entropy(x, nd.array([2, 2], dtype="float64"))
    loss.backward()
    onp.testing.assert_allclose(loss.asnumpy(), [36.8413615], rtol=1e-8)  # 2 * -log(1e-8), as MXNet
    onp.testing.assert_allclose(x.grad.asnumpy(), [[1, 0, -1], [0.5, 0.5, -1]], atol=1e-12)
    f32 = nd.softmax_cross_entropy(nd.array([[1000, 0, -1000]]), nd.array([2]))
    onp.testing.assert_allclose(f32.asnumpy(), [18.42068099975586], rtol=1e-6)


def test_softmax_cross_entropy_gradient_as_mxnet():
    x = SX.copy()
    x.attach_grad()
    with autograd.record():
        loss = nd.softmax_cross_entropy(x, SL)
    loss.backward(nd.array([3.0]))
    expected = [[0.270091712474823, 0.7341854572296143, -1.004277229309082],
                [-2.913757801055908, 0.05780984088778496, 2.8559482097625732]]  # fmt: skip
    onp.testing.assert_allclose(x.grad.asnumpy(), expected, rtol=1e-5)
    label = nd.array([1, 0, 2], dtype="float64")
    check_gradient(
        as_nd(lambda d: nd.softmax_cross_entropy(d, label)), onp.random.default_rng(5).standard_normal((3, 4))
    )


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nd.softmax_cross_entropy(nd.array([1, 2, 3]), nd.array([2])), MXNetError, "2-D"),
        (lambda: nd.softmax_cross_entropy(nd.ones((2, 3, 4)), nd.array([1, 1])), MXNetError, "2-D"),
        (lambda: nd.softmax_cross_entropy(SX, nd.array([[2], [0]])), MXNetError, "label must be 1-D"),
        (lambda: nd.softmax_cross_entropy(SX, nd.array([2, 0, 1])), MXNetError, "differ"),
        (lambda: nd.softmax_cross_entropy(SX, i32([2, 0])), MXNetTypeError, "int32"),
        (lambda: nd.softmax_cross_entropy(SX.astype("float64"), SL), MXNetTypeError, "float64"),
        (lambda: nd.softmax_cross_entropy(SX, nd.array([5, -1])), MXNetValueError, "outside \\[0, 3\\)"),
        (lambda: nd.softmax_cross_entropy(SX, nd.array([0, -1.5])), MXNetValueError, "outside"),
        (lambda: nd.softmax_cross_entropy(SX, nd.array([0, float("nan")])), MXNetValueError, "outside"),
    ],
)
def test_softmax_cross_entropy_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- crop ---------------------------------------------------------------------------------------
def test_crop_is_slice():
    x = nd.arange(12).reshape((3, 4))
    assert nd.crop(x, begin=(0, 1), end=(2, 4)).asnumpy().tolist() == [[1, 2, 3], [5, 6, 7]]
    flipped = nd.crop(x, begin=(None, 3), end=(None, 0), step=(1, -1))
    assert flipped.asnumpy().tolist() == [[3, 2, 1], [7, 6, 5], [11, 10, 9]]
    assert nd.crop(x, (1,), (3,), name="c").asnumpy().tolist() == x.asnumpy()[1:3].tolist()
    check_gradient(as_nd(lambda a: nd.crop(a, (0, 3), (2, 0), (1, -2))), onp.random.rand(3, 4))
    o = nd.zeros((1, 4))
    assert nd.crop(x, (0,), (1,), out=o) is o and o.asnumpy().tolist() == [[0, 1, 2, 3]]


# ---- from_numpy ---------------------------------------------------------------------------------
def test_from_numpy_copies_with_the_dtype():
    sources = [
        onp.arange(6, dtype=onp.float64).reshape(2, 3),
        onp.arange(3, dtype=onp.int8),
        onp.array([True, False]),
        onp.arange(3, dtype=onp.int64),
        onp.arange(6.0).reshape(2, 3).T,
    ]
    for source in sources:
        got = nd.from_numpy(source, zero_copy=False)
        assert isinstance(got, nd.NDArray) and got.dtype == source.dtype and got.shape == source.shape
        assert got.asnumpy().tolist() == source.tolist()
    source = onp.array(3.0)
    assert nd.from_numpy(source, zero_copy=False).shape == ()
    source = onp.ones(3)
    copy = nd.from_numpy(source, zero_copy=False, array_cls=mx.np.ndarray)
    assert type(copy) is nd.NDArray  # MXNet's copy path ignores array_cls
    source[0] = 7
    assert copy.asnumpy().tolist() == [1.0, 1.0, 1.0] and source.flags["WRITEABLE"]


def test_from_numpy_zero_copy_shares_the_buffer():
    source = onp.arange(6, dtype=onp.float64).reshape(2, 3)
    shared = nd.from_numpy(source)
    assert shared.dtype == onp.float64 and shared.shape == (2, 3)
    assert not source.flags["WRITEABLE"]  # MXNet hands the buffer over to the NDArray
    shared[0, 0] = 100
    assert source[0, 0] == 100
    del source
    import gc

    gc.collect()
    assert shared.asnumpy().tolist() == [[100, 1, 2], [3, 4, 5]]  # the buffer outlives the NumPy name
    half = onp.ones(2, dtype=onp.float16)
    shared_half = nd.from_numpy(half)
    shared_half[1] = 2.5
    assert shared_half.dtype == onp.float16 and half.tolist() == [1.0, 2.5]


def test_from_numpy_errors():
    with pytest.raises(ValueError, match="C-contiguous"):
        nd.from_numpy(onp.ones((2, 3)).T)
    with pytest.raises(MXNetTypeError, match="numpy.ndarray"):
        nd.from_numpy([1, 2], zero_copy=False)
    with pytest.raises(MXNetError, match="int16"):  # a dtype mxlite lacks
        nd.from_numpy(onp.ones(2, dtype=onp.int16), zero_copy=False)


# ---- NDArray methods ----------------------------------------------------------------------------
def test_methods_are_the_functions():
    x = nd.arange(32).reshape((2, 4, 2, 2))
    assert x.depth_to_space(2).asnumpy().tolist() == nd.depth_to_space(x, 2).asnumpy().tolist()
    assert x.space_to_depth(2).asnumpy().tolist() == nd.space_to_depth(x, 2).asnumpy().tolist()
    assert x.argmax_channel().asnumpy().tolist() == nd.argmax_channel(x).asnumpy().tolist()
    assert [p.shape for p in x.split_v2(2, axis=1)] == [(2, 2, 2, 2)] * 2
    assert [p.shape for p in x.split_v2((1,), 3, True)] == [(2, 4, 2)] * 2


# ---- test_utils.check_numeric_gradient ----------------------------------------------------------
class _WrongBackward(autograd.Function):
    def forward(self, x):
        return x * 2

    def backward(self, dy):
        return dy * 3


def test_check_numeric_gradient_passes_for_correct_gradients():
    rng = onp.random.default_rng(6)
    check_numeric_gradient(lambda data: nd.depth_to_space(data, 2) * 2, [rng.random((1, 4, 2, 2))])
    check_numeric_gradient(nd.khatri_rao, [rng.random((2, 3)), rng.random((4, 3))])
    check_numeric_gradient(lambda a, b: a * nd.exp(b), {"a": rng.random((2, 3)), "b": rng.random((2, 3))})
    check_numeric_gradient(lambda a: nd.tanh(a), [rng.random((3,))], dtype=onp.float64, rtol=1e-6, atol=1e-8)
    check_numeric_gradient(lambda a: (a * a,), [rng.random((2,))], numeric_eps=1e-3, use_forward_train=False)
    # grad_nodes: names, positions, or names -> grad_req ('add' accumulates, 'null' is skipped)
    f = lambda a, b: a * b * b  # noqa: E731
    point = [rng.random((2, 2)), rng.random((2, 2))]
    check_numeric_gradient(f, point, grad_nodes=["b"])
    check_numeric_gradient(f, point, grad_nodes=[0])
    check_numeric_gradient(f, point, grad_nodes={"a": "add", "b": "null"})
    # an integer argument (e.g. labels) is left out by default
    check_numeric_gradient(
        lambda d, l: nd.batch_take(d, l) * 3, [rng.random((3, 2)), nd.array([0, 1, 1], dtype="int32")]
    )


def test_check_numeric_gradient_raises_on_mismatch():
    with pytest.raises(AssertionError, match="NUMERICAL_x and BACKWARD_x differ"):
        check_numeric_gradient(lambda x: _WrongBackward()(x), [onp.random.rand(2, 3)])
    with pytest.raises(AssertionError, match="NUMERICAL_y"):
        check_numeric_gradient(lambda x, y: x + _WrongBackward()(y), {"x": onp.ones(2), "y": onp.ones(2)})
    # only the listed nodes are checked
    check_numeric_gradient(lambda x, y: x + _WrongBackward()(y), [onp.ones(2), onp.ones(2)], grad_nodes=["x"])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"sym": nd.zeros((1,))}, NotSupportedError, "callable.*no symbols"),
        ({"sym": "data"}, NotSupportedError, "callable"),
        ({"aux_states": [onp.ones(2)]}, NotSupportedError, "aux_states"),
        ({"grad_stype_dict": {"a": "row_sparse"}}, NotSupportedError, "grad_stype_dict"),
        ({"ctx": mx.gpu(0)}, NotSupportedError, "CPU"),
        ({"dtype": onp.int32}, AssertionError, "not a float"),
        ({"numeric_eps": 1e-6}, AssertionError, "too small"),
        ({"grad_nodes": ["z"]}, ValueError, "not an argument"),
        ({"grad_nodes": {"a": "bogus"}}, ValueError, "invalid grad_req"),
        ({"grad_nodes": "a"}, ValueError, "grad_nodes must be"),
        ({"location": onp.ones(2)}, TypeError, "location must be"),
        ({"sym": lambda a: [a, a]}, ValueError, "one array"),
    ],
)
def test_check_numeric_gradient_errors(kwargs, error, match):
    args = {"sym": lambda a: a * a, "location": [onp.ones(2)], **kwargs}
    with pytest.raises(error, match=match):
        check_numeric_gradient(**args)


def test_default_numeric_eps_as_mxnet():
    from mxnet.test_utils import default_numeric_eps

    assert default_numeric_eps() == {onp.dtype("float16"): 2**-6, onp.dtype("float32"): 2**-9,
                                     onp.dtype("float64"): 2**-14}  # fmt: skip


# ---- base.error_types ---------------------------------------------------------------------------
def test_error_types():
    types = mx.base.error_types
    assert types == {
        "ValueError": MXNetValueError,
        "TypeError": MXNetTypeError,
        "IndexError": MXNetIndexError,
        "AxisError": MXNetAxisError,
        "OverflowError": MXNetOverflowError,
        "MemoryError": MXNetMemoryError,
        "NotImplementedError": NotSupportedError,
        "NotImplementedForSymbol": mx.base.NotImplementedForSymbol,
    }
    import builtins

    for name, cls in types.items():
        assert issubclass(cls, MXNetError)
        if hasattr(builtins, name):
            assert issubclass(cls, getattr(builtins, name))
    with pytest.raises(types["ValueError"]):
        nd.split_v2(A24, 0)


def test_arange_repeat_and_infer_range_as_mxnet():
    assert nd.arange(0, 3, 0.5, repeat=2).asnumpy().tolist() == [0, 0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2, 2.5, 2.5]
    r = nd.arange(2, repeat=3, dtype="int32")
    assert r.dtype == onp.int32 and r.asnumpy().tolist() == [0, 0, 0, 1, 1, 1]
    # infer_range only matters to symbolic graphs: MXNet 1.9.1 gives [0, 1, 2] too.
    assert nd.arange(3, infer_range=True).asnumpy().tolist() == [0, 1, 2]
    with pytest.raises(MXNetError, match="arange: repeat must be a positive integer"):
        nd.arange(0, 3, repeat=0)
