"""Shape family beyond the op table: legacy nd reshape codes (expected shapes
recorded from MXNet 1.9.1), legacy nd shape functions and methods,
multi-output ops, and which results share storage with their input."""

import numpy as onp
import pytest
from hypothesis import given, settings, strategies as st

from mxnet import autograd, nd, np
from mxnet.base import MXNetError
from conftest import assert_library_usable

# (input shape, spec, reverse, result shape) as MXNet 1.9.1 gives them.
LEGACY_RESHAPE = [
    ((2, 3, 4, 5), (0, -1), False, (2, 60)),
    ((2, 3, 4, 5), (-2,), False, (2, 3, 4, 5)),
    ((2, 3, 4, 5), (0, 0, -1), False, (2, 3, 20)),
    ((2, 3, 4, 5), (-3, -2), False, (6, 4, 5)),
    ((2, 3, 4, 5), (-4, 2, -1, -2), False, (2, 1, 3, 4, 5)),
    ((2, 3, 4, 5), (2, -4, -1, 3, -2), False, (2, 1, 3, 4, 5)),
    ((2, 3, 4, 5), (6, 1, -1), False, (6, 1, 20)),
    ((2, 3, 4, 5), (-3, -3), False, (6, 20)),
    ((2, 3, 4, 5), (0, -4, 1, -1, -2), False, (2, 1, 3, 4, 5)),
    ((2, 3, 4, 5), (-1, 0), False, (40, 3)),
    ((2, 3, 4, 5), (-1, 0), True, (24, 5)),
    ((2, 3, 4, 5), (0, -1), True, (4, 30)),
    ((2, 3, 4, 5), (-3, -1), True, (12, 10)),
    ((10, 5, 4), (-1, 0), False, (40, 5)),
    ((10, 5, 4), (-1, 0), True, (50, 4)),
    ((2, 3, 4), (4, 0, 2), False, (4, 3, 2)),
    ((2, 3, 4), (2, 0, 0), False, (2, 3, 4)),
    ((2, 3, 4), (-2, 1, 1), False, (2, 3, 4, 1, 1)),
    ((2, 3, 4), (-4, 1, 2, -2), False, (1, 2, 3, 4)),
    ((2, 3, 4), (-3, 4), False, (6, 4)),
    ((2, 3, 4), (0, -4, -1, 1, 0), False, (2, 3, 1, 4)),
    ((6,), (-4, 2, 3), False, (2, 3)),
    ((6,), (-4, -1, 3), False, (2, 3)),
    ((2, 3, 4), (-1,), False, (24,)),
    ((1,), (-2,), False, (1,)),
]


@pytest.mark.parametrize("shape,spec,reverse,expected", LEGACY_RESHAPE)
def test_legacy_reshape_codes(shape, spec, reverse, expected):
    x = nd.array(onp.arange(onp.prod(shape)).reshape(shape))
    y = nd.reshape(x, spec, reverse=reverse)
    assert isinstance(y, nd.NDArray)
    assert y.shape == expected
    onp.testing.assert_array_equal(y.asnumpy().ravel(), x.asnumpy().ravel())
    z = x.reshape(spec, reverse=reverse) if reverse else x.reshape(spec)
    assert z.shape == expected


def test_legacy_reshape_method_forms():
    x = nd.zeros((2, 3, 4, 5))
    assert x.reshape(0, -1).shape == (2, 60)
    assert x.reshape((0, -1)).shape == (2, 60)
    assert x.reshape(shape=(0, -1)).shape == (2, 60)
    assert x.reshape(-1).shape == (120,)


# MXNet 1.9.1 rejects these too (it gives (7, 17) for (7, -1), which mxlite
# refuses: 120 elements do not fill 7 rows).
@pytest.mark.parametrize(
    "shape,spec,reverse",
    [
        ((2, 3, 4), (-2, -3), False),
        ((2, 3, 4), (0, 0, -3), True),
        ((2, 3, 4, 5), (-4, 1, 2, -2), True),
        ((2, 3, 4, 5), (7, -1), False),
        ((2, 3, 4, 5), (5, 5), False),
        ((2, 3, 4, 5), (-1, -1), False),
        ((2, 3, 4, 5), (-4, 4, -1), False),
        ((2, 3, 4, 5), (0, 0, 0, 0, 0), False),
        ((2, 3, 4, 5), (-5,), False),
    ],
)
def test_legacy_reshape_errors(shape, spec, reverse):
    pattern = "reshape.*" + str(shape).replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(MXNetError, match=pattern):
        nd.reshape(nd.zeros(shape), spec, reverse=reverse)
    assert_library_usable()


def test_legacy_reshape_is_view_and_differentiable():
    x = nd.array(onp.arange(6.0).reshape(2, 3))
    y = x.reshape((-1,))
    y[0] = 50
    assert x[0, 0].asscalar() == 50
    x.attach_grad()
    with autograd.record():
        z = (nd.reshape(x, (0, -4, 3, 1)) * 2).sum()
    z.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), onp.full((2, 3), 2.0))


def test_legacy_concat_stack():
    a, b = nd.array(onp.ones((2, 3))), nd.array(onp.zeros((2, 2)))
    c = nd.concat(a, b)  # dim=1 by default
    assert isinstance(c, nd.NDArray) and c.shape == (2, 5)
    onp.testing.assert_array_equal(c.asnumpy(), onp.concatenate([onp.ones((2, 3)), onp.zeros((2, 2))], 1))
    assert nd.concat(a, a, dim=0).shape == (4, 3)
    assert nd.stack(a, a, axis=1).shape == (2, 2, 3)
    assert nd.stack(a, a).shape == (2, 2, 3)
    with pytest.raises(MXNetError, match=r"concatenate.*\(2, 3\).*\(3, 3\)"):
        nd.concat(a, nd.zeros((3, 3)), dim=1)
    with pytest.raises(MXNetError, match=r"stack.*\(2, 3\).*\(2, 2\)"):
        nd.stack(a, b)


def test_legacy_split():
    x = nd.array(onp.arange(6.0).reshape(2, 3))
    pieces = nd.split(x, 3, axis=1)
    assert isinstance(pieces, list) and len(pieces) == 3
    assert all(isinstance(p, nd.NDArray) and p.shape == (2, 1) for p in pieces)
    squeezed = nd.split(x, 3, axis=1, squeeze_axis=True)
    assert squeezed[1].shape == (2,)
    assert squeezed[1].asnumpy().tolist() == [1.0, 4.0]  # as MXNet 1.9.1
    one = nd.split(x, 1, axis=0)  # MXNet returns the array itself, not a list
    assert isinstance(one, nd.NDArray) and one.shape == (2, 3)
    assert x.split(2, axis=0)[1].asnumpy().tolist() == [[3.0, 4.0, 5.0]]
    with pytest.raises(MXNetError, match=r"split.*\(2, 3\)"):
        nd.split(x, 2, axis=1)
    with pytest.raises(MXNetError, match=r"split.*squeeze_axis"):
        nd.split(nd.zeros((2, 4)), 2, axis=1, squeeze_axis=True)


def test_legacy_slicing():
    x = nd.array(onp.arange(12.0).reshape(3, 4))
    # Values recorded from MXNet 1.9.1.
    assert nd.slice(x, begin=(None, None), end=(None, None), step=(-1, 2)).asnumpy().tolist() == [
        [8.0, 10.0],
        [4.0, 6.0],
        [0.0, 2.0],
    ]
    assert nd.slice(x, begin=(2, 3), end=(0, 0), step=(-1, -2)).asnumpy().tolist() == [[11.0, 9.0], [7.0, 5.0]]
    assert nd.slice(x, begin=(1,), end=(3,)).shape == (2, 4)
    assert nd.slice_axis(x, axis=1, begin=-3, end=-1).asnumpy().tolist() == [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0]]
    assert nd.slice_axis(x, axis=0, begin=1, end=None).shape == (2, 4)
    assert x.slice_axis(1, 0, 1).shape == (3, 1)
    with pytest.raises(MXNetError, match="slice_axis"):
        nd.slice_axis(x, axis=2, begin=0, end=1)
    with pytest.raises(MXNetError, match="slice"):
        nd.slice(x, begin=(0, 0, 0), end=(1, 1, 1))


def test_legacy_shape_functions():
    x = nd.array(onp.arange(12.0).reshape(3, 4))
    assert nd.flatten(nd.zeros((2, 3, 4))).shape == (2, 12)
    assert nd.flatten(nd.zeros((3,))).shape == (3, 1)
    assert nd.zeros((2, 3, 4)).flatten().shape == (2, 12)
    assert nd.expand_dims(x, axis=-1).shape == (3, 4, 1)
    assert x.expand_dims(0).shape == (1, 3, 4)
    assert nd.transpose(x).shape == (4, 3)
    assert x.transpose((1, 0)).shape == (4, 3)
    assert x.transpose(1, 0).shape == (4, 3)
    assert x.transpose(axes=(1, 0)).shape == (4, 3)
    assert nd.swapaxes(nd.zeros((2, 3, 4)), 0, 2).shape == (4, 3, 2)
    assert nd.SwapAxis(nd.zeros((2, 3, 4)), dim1=0, dim2=2).shape == (4, 3, 2)
    assert x.swapaxes(0, 1).shape == (4, 3)
    assert nd.tile(x, reps=(2, 1, 2)).shape == (2, 3, 8)
    assert x.tile((2,)).shape == (3, 8)
    assert nd.repeat(x, repeats=2).shape == (24,)
    assert nd.repeat(x, 2, axis=0).asnumpy()[:3].tolist() == [[0, 1, 2, 3], [0, 1, 2, 3], [4, 5, 6, 7]]
    assert x.repeat(2, axis=1).shape == (3, 8)
    assert nd.flip(x, axis=0).asnumpy()[0].tolist() == [8, 9, 10, 11]
    assert nd.reverse(x, axis=1).asnumpy()[0].tolist() == [3, 2, 1, 0]
    assert x.flip(0).asnumpy()[0].tolist() == [8, 9, 10, 11]
    assert nd.squeeze(nd.zeros((1, 3, 1))).shape == (3,)
    assert nd.squeeze(nd.zeros((1, 3, 1)), axis=(0, 2)).shape == (3,)
    assert nd.squeeze(nd.zeros((1, 1))).shape == (1,)  # no 0-d arrays in legacy nd
    assert nd.zeros((1, 3)).squeeze().shape == (3,)
    for r in [nd.flatten(x), nd.tile(x, (2,)), nd.flip(x, 0), nd.squeeze(x), nd.swapaxes(x, 0, 1)]:
        assert isinstance(r, nd.NDArray)


def test_face_conversion_shares_storage():
    x = nd.array(onp.arange(6.0).reshape(2, 3))
    y = x.as_np_ndarray()
    assert isinstance(y, np.ndarray)
    y[0, 0] = 100
    assert x[0, 0].asscalar() == 100
    z = y.as_nd_ndarray()
    assert isinstance(z, nd.NDArray)
    z[0, 1] = 77
    assert float(y[0, 1]) == 77


def shares(a, b):
    return a._shares_memory(b)


def test_views_share_storage_like_numpy():
    x = np.array(onp.arange(24.0).reshape(2, 3, 4))
    # Reshape-like results are views, as in NumPy.
    for view in [
        np.reshape(x, (6, 4)),
        x.reshape(4, -1),
        np.ravel(x),
        x.ravel(),
        np.expand_dims(x, (0, 2)),
        np.squeeze(np.expand_dims(x, 0)),
        np.squeeze(x[:1], axis=0),
    ]:
        assert shares(view, x)
    # Split pieces along the leading axis are views too.
    first, second = np.split(x, 2, axis=0)
    assert shares(first, x) and shares(second, x)
    second[0, 0, 0] = -1.0
    assert float(x[1, 0, 0]) == -1.0
    # flatten is always a copy (NumPy's rule); joined/tiled results are new arrays.
    for copy in [
        x.flatten(),
        np.concatenate([x, x]),
        np.tile(x, 2),
        np.repeat(x, 2),
        np.roll(x, 1),
        np.pad(x, 1),
        np.stack([x, x]),
    ]:
        assert not shares(copy, x)
    f = x.flatten()
    f[0] = 123.0
    assert float(x[0, 0, 0]) == 0.0


def test_split_pieces_gradient_with_unused_pieces():
    x = np.array(onp.arange(6.0).reshape(2, 3), dtype="float64")
    x.attach_grad()
    with autograd.record():
        a, b, c = np.split(x, 3, axis=1)
        y = (a * 3 + c).sum()
    y.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), [[3, 0, 1], [3, 0, 1]])


def test_second_order_gradient_through_shape_ops():
    x = np.array([1.0, 2.0, 3.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = np.concatenate([np.flip(x), np.roll(x, 1), np.pad(x, 1), np.tile(x, 2), np.repeat(x, 2)])
        z = (y**3).sum()
        (g,) = autograd.grad(z, [x], create_graph=True)
        h = g.sum()
    h.backward()
    # z = sum over copies of x_i^3 with 1 + 1 + 1 + 2 + 2 = 7 copies of each x_i.
    onp.testing.assert_allclose(g.asnumpy(), 21 * onp.array([1.0, 4.0, 9.0]))
    onp.testing.assert_allclose(x.grad.asnumpy(), 42 * onp.array([1.0, 2.0, 3.0]))


def test_array_split_matches_numpy_for_every_count():
    base = onp.arange(10.0)
    for sections in range(1, 13):
        got = np.array_split(np.array(base), sections)
        want = onp.array_split(base, sections)
        assert [g.asnumpy().tolist() for g in got] == [w.tolist() for w in want]


def test_bad_sequence_arguments():
    with pytest.raises(MXNetError, match="concatenate"):
        np.concatenate(np.zeros((2, 3)))
    with pytest.raises(TypeError):
        np.concatenate([np.zeros(2), "abc"])
    assert_library_usable()


# ---- property tests: random shapes and arguments against NumPy ----------------
SHAPES = st.lists(st.integers(0, 4), min_size=1, max_size=4).map(tuple)


def values(shape):
    return onp.arange(onp.prod(shape), dtype=onp.float64).reshape(shape)


@settings(max_examples=60, deadline=None)
@given(shape=SHAPES, data=st.data())
def test_split_concatenate_roundtrip_like_numpy(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    indices = data.draw(st.lists(st.integers(-6, 6), max_size=4))
    x = values(shape)
    got = np.split(np.array(x, dtype="float64"), indices, axis=axis)
    want = onp.split(x, indices, axis=axis)
    assert [g.shape for g in got] == [w.shape for w in want]
    for g, w in zip(got, want):
        onp.testing.assert_array_equal(g.asnumpy(), w)
    if indices == sorted(indices) and all(0 <= i <= shape[axis] for i in indices):
        onp.testing.assert_array_equal(np.concatenate(got, axis=axis).asnumpy(), x)


@settings(max_examples=60, deadline=None)
@given(shape=SHAPES, data=st.data())
def test_reordering_ops_like_numpy(shape, data):
    nd_ = len(shape)
    x = values(shape)
    a = np.array(x, dtype="float64")
    axes = data.draw(st.lists(st.integers(-nd_, nd_ - 1), unique_by=lambda v: v % nd_, min_size=1, max_size=nd_))
    shifts = data.draw(st.lists(st.integers(-7, 7), min_size=len(axes), max_size=len(axes)))
    reps = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=5))
    widths = data.draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=nd_, max_size=nd_))
    repeats = data.draw(st.integers(0, 3))
    onp.testing.assert_array_equal(np.flip(a, tuple(axes)).asnumpy(), onp.flip(x, tuple(axes)))
    onp.testing.assert_array_equal(
        np.roll(a, tuple(shifts), tuple(axes)).asnumpy(), onp.roll(x, tuple(shifts), tuple(axes))
    )
    onp.testing.assert_array_equal(np.tile(a, tuple(reps)).asnumpy(), onp.tile(x, tuple(reps)))
    onp.testing.assert_array_equal(
        np.pad(a, widths, constant_values=-1).asnumpy(), onp.pad(x, widths, constant_values=-1)
    )
    onp.testing.assert_array_equal(np.repeat(a, repeats, axis=axes[0]).asnumpy(), onp.repeat(x, repeats, axis=axes[0]))
    dest = data.draw(st.permutations(range(nd_)))[: len(axes)]
    onp.testing.assert_array_equal(np.moveaxis(a, axes, dest).asnumpy(), onp.moveaxis(x, axes, dest))


def test_legacy_face_gradients():
    x = nd.array(onp.arange(6.0).reshape(2, 3))
    x.attach_grad()
    with autograd.record():
        a, b = nd.split(x, 2, axis=0)
        y = nd.concat(b * 2, nd.flip(a, axis=1), dim=1)
        z = (nd.tile(y, (2,)) * nd.array(onp.arange(12.0).reshape(1, 12))).sum()
    z.backward()
    w = onp.arange(12.0)
    # y = [2*x1 | flip(x0)] seen twice by tile: weights w[:6] + w[6:].
    t = w[:6] + w[6:]
    onp.testing.assert_array_equal(x.grad.asnumpy(), [t[3:][::-1], 2 * t[:3]])


def test_npx_batch_flatten_collapses_all_but_the_first_axis():
    from mxnet import npx

    x = onp.arange(24.0).reshape(2, 3, 4)
    out = npx.batch_flatten(np.array(x))
    onp.testing.assert_array_equal(out.asnumpy(), x.reshape(2, 12))
    assert npx.batch_flatten(np.ones((3,))).shape == (3, 1)
    assert npx.batch_flatten(np.ones((0, 3, 4))).shape == (0, 12)
    with pytest.raises(MXNetError, match="batch_flatten"):
        npx.batch_flatten(np.array(1.0))
