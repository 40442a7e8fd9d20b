"""__getitem__/__setitem__ with every kind of index (basic items, integer
arrays, boolean masks, mixed) against NumPy, including a property test over
random index expressions; gradients of indexing reads; errors."""

import numpy as onp
import pytest
from hypothesis import given, settings, strategies as st

from mxnet import MXNetError, autograd, nd, np
from conftest import assert_library_usable
from gradcheck import check_gradient

BASE = onp.arange(24, dtype=onp.float64).reshape(2, 3, 4)
MASK_23 = onp.array([[True, False, True], [False, False, True]])

# (id, key builder taking a "make array" function for index arrays)
KEYS = [
    ("list", lambda A: [1, 0, 1]),
    ("array", lambda A: A([1, -2])),
    ("numpy-array", lambda A: onp.array([0, 1])),
    ("2d-array", lambda A: A([[0, 1], [1, 1]])),
    ("empty-list", lambda A: []),
    ("axis1", lambda A: (slice(None), A([2, 0, 2]))),
    ("two-arrays", lambda A: (A([0, 1]), A([2, 1]))),
    ("broadcast-arrays", lambda A: (A([[0], [1]]), slice(None), A([[1, 3, 0]]))),
    ("adjacent-after-slice", lambda A: (slice(None), A([0, 1]), A([1, 2]))),
    ("separated", lambda A: (A([0, 1]), slice(None), A([1, 2]))),
    ("int-and-array-separated", lambda A: (0, slice(None), A([1, 2]))),
    ("int-and-array-adjacent", lambda A: (slice(None), 0, A([1, 2]))),
    ("slice-then-array", lambda A: (slice(1, None), A([0, 2]))),
    ("ellipsis-array", lambda A: (Ellipsis, A([3, 0]))),
    ("newaxis-array", lambda A: (None, A([1, 0]))),
    ("newaxis-between", lambda A: (A([1]), None, A([0]))),
    ("empty-ellipsis-between", lambda A: (slice(None), A([0]), Ellipsis, A([0]))),
    ("negative-step", lambda A: (slice(None, None, -1), A([2, 0]), slice(None, None, 2))),
    ("mask-full", lambda A: BASE > 10),
    ("mask-leading", lambda A: MASK_23),
    ("mask-axis0-list", lambda A: [True, False]),
    ("mask-after-slice", lambda A: (slice(None), BASE[0] % 3 == 0)),
    ("mask-and-array", lambda A: (onp.array([False, True]), slice(None), A([0, 3]))),
    ("all-false-mask", lambda A: onp.zeros((2, 3), dtype=bool)),
]


def int_array(values):
    return np.array(values, dtype="int64")


@pytest.mark.parametrize("key_id,make_key", KEYS, ids=[k[0] for k in KEYS])
def test_getitem_matches_numpy(key_id, make_key):
    want = BASE[make_key(onp.array)]
    got = np.array(BASE)[make_key(int_array)]
    assert got.shape == want.shape
    onp.testing.assert_array_equal(got.asnumpy(), want)


@pytest.mark.parametrize("key_id,make_key", KEYS, ids=[k[0] for k in KEYS])
def test_getitem_gradient_scatter_adds(key_id, make_key):
    key = make_key(int_array)
    check_gradient(lambda x: x[key] * 1.0, BASE / 10.0)


def test_repeated_indices_accumulate_gradient():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        y = x[np.array([0, 0, 3, 0])]
    y.backward()
    assert x.grad.asnumpy().tolist() == [3.0, 0.0, 0.0, 1.0]


def test_mask_gradient_and_float_index_arrays():
    x = np.array([1.0, -2.0, 3.0, -4.0])
    x.attach_grad()
    with autograd.record():
        y = (x[x > 0] * 2).sum() + x[np.array([3.0, 1.0])].sum()  # float indices, as MXNet allows
    y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 1.0, 2.0, 1.0]


def test_second_order_gradient_through_take():
    x = np.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        y = x[np.array([0, 2, 2])] ** 3
        (g,) = autograd.grad(y.sum(), [x], create_graph=True)
        z = g.sum()
    z.backward()
    # d/dx of sum over picks of 3 x^2 = 6 x per pick: [6, 0, 2 * 18]
    onp.testing.assert_allclose(x.grad.asnumpy(), [6.0, 0.0, 36.0])


def test_index_arrays_of_other_dtypes_and_legacy_face():
    a = np.array(BASE)
    for dt in ["int32", "uint8", "int8"]:
        onp.testing.assert_array_equal(a[np.array([1, 0], dtype=dt)].asnumpy(), BASE[[1, 0]])
    x = nd.array(BASE)
    got = x[nd.array([1, 0]), nd.array([2, 2])]
    assert isinstance(got, nd.NDArray)
    onp.testing.assert_array_equal(got.asnumpy(), BASE[[1, 0], [2, 2]].astype(onp.float32))
    onp.testing.assert_array_equal(x[[0], 1, 2].asnumpy(), BASE[[0], 1, 2])


SET_CASES = [
    ("array-scalar", lambda A: A([0, 1]), 7.0),
    ("axis1-row", lambda A: (slice(None), A([2, 0])), onp.array([1.0, 2.0, 3.0, 4.0])),
    ("two-arrays", lambda A: (A([0, 1]), A([2, 1])), onp.arange(4.0) - 9),
    ("separated-broadcast", lambda A: (A([0, 1]), slice(None), A([1, 2])), onp.array([[5.0], [6.0]])),
    ("mask-zero", lambda A: BASE > 10, 0.0),
    ("mask-values", lambda A: MASK_23, onp.arange(12.0).reshape(3, 4)),
    ("mask-broadcast", lambda A: MASK_23, onp.array([1.0, 2.0, 3.0, 4.0])),
    ("mixed", lambda A: (slice(1, None), A([0, 2]), slice(None, 2)), -1.0),
    ("empty", lambda A: [], 5.0),
]


@pytest.mark.parametrize("case_id,make_key,value", SET_CASES, ids=[c[0] for c in SET_CASES])
@pytest.mark.parametrize("value_kind", ["python-or-numpy", "mxnet"])
def test_setitem_in_place_matches_numpy(case_id, make_key, value, value_kind):
    want = BASE.copy()
    want[make_key(onp.array)] = value
    a = np.array(BASE)
    view = a[1:]  # shares a's storage: must see the write
    v = np.array(value, dtype="float64") if value_kind == "mxnet" else value
    a[make_key(int_array)] = v
    onp.testing.assert_array_equal(a.asnumpy(), want)
    onp.testing.assert_array_equal(view.asnumpy(), want[1:])


def test_setitem_casts_values_and_works_on_int_arrays():
    a = np.array(onp.arange(6).reshape(2, 3), dtype="int32")
    a[a > 2] = np.array(9.7)
    assert a.dtype == onp.int32
    assert a.asnumpy().tolist() == [[0, 1, 2], [9, 9, 9]]
    x = nd.array(BASE)
    x[nd.array([1])] = 0
    assert x.asnumpy()[1].sum() == 0 and x.asnumpy()[0].sum() == BASE[0].sum()


def test_setitem_inside_record_raises():
    x = np.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match="setitem"):
            x[np.array([0])] = 5.0
        y = x * 2
        with pytest.raises(MXNetError):
            y[y > 2] = 0.0
    assert_library_usable()


ERRORS = [
    (lambda a: a[np.array([0, 5])], IndexError, r"index 5 is out of bounds for axis 0 with size 2"),
    (lambda a: a[:, [0, -4]], IndexError, r"index -4 is out of bounds for axis 1 with size 3"),
    (lambda a: a[[0], 7], IndexError, r"index 7 is out of bounds for axis 1 with size 3"),
    (lambda a: a[[0, 1], [0, 1, 2]], IndexError, r"shape mismatch: indexing arrays could not be broadcast together"),
    (
        lambda a: a[onp.array([True, False, True])],
        IndexError,
        r"boolean index did not match indexed array along axis 0; size of axis is 2 but size of corresponding boolean "
        r"axis is 3",
    ),
    (lambda a: a[[0], [0], [0], [0]], IndexError, r"too many indices for array: array is 3-dimensional, but 4"),
    (lambda a: a[[0.5]], IndexError, r"only integers, slices"),
    (lambda a: a["x"], IndexError, r"only integers, slices"),
    (
        lambda a: a[True, np.array([0, 1], dtype="int64")],
        MXNetError,
        r"0-d boolean index \(True/False\) combined with index arrays",
    ),
    (lambda a: a[[0], ..., ...], MXNetError, r"single ellipsis"),
    (lambda a: a.__setitem__(([0, 1],), np.ones((3,))), MXNetError, r"setitem: .*could not be broadcast.*\(3,\)"),
    (lambda a: a.__setitem__(a > 100, np.ones((2,))), MXNetError, r"setitem: .*could not be broadcast"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    call, exc, pattern = ERRORS[i]
    a = np.array(BASE)
    with pytest.raises(exc, match=pattern):
        call(a)
    onp.testing.assert_array_equal(a.asnumpy(), BASE)  # a failed write leaves the array alone
    assert_library_usable()


def test_legacy_index_error_is_index_error():
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 2"):
        nd.array([[1, 2], [3, 4]])[[5]]


# ---- property test: random index expressions against NumPy -------------------------


@st.composite
def index_expressions(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=1, max_size=5)))
    items, axis, used_ellipsis = [], 0, False
    # Some expressions follow a template with separated advanced items, whose
    # dimensions NumPy moves to the front.
    template = draw(
        st.sampled_from(
            [
                None,
                None,
                ["slice", "array", "slice", "array"],
                ["slice", "int", "slice", "array"],
                ["array", "none", "array"],
                ["slice", "array", "ellipsis", "int"],
            ]
        )
    )
    # After an ellipsis every remaining axis gets an item, so that NumPy expands
    # the ellipsis to the axes the items were drawn for.
    while axis < len(shape) and (template or used_ellipsis or draw(st.integers(0, 4)) > 0):
        n = shape[axis]
        if template:
            kind = template.pop(0)
        else:
            kind = draw(st.sampled_from(["int", "slice", "array", "array", "array", "none", "ellipsis", "mask"]))
        if kind == "int" and n > 0:
            items.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            bound = st.one_of(st.none(), st.integers(-n - 2, n + 2))
            items.append(slice(draw(bound), draw(bound), draw(st.one_of(st.none(), st.sampled_from([-2, -1, 1, 3])))))
        elif kind == "array" and n > 0:
            ishape = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
            items.append(
                onp.array(
                    draw(
                        st.lists(st.integers(-n, n - 1), min_size=int(onp.prod(ishape)), max_size=int(onp.prod(ishape)))
                    )
                ).reshape(ishape)
            )
        elif kind == "mask":
            items.append(onp.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool))
        elif kind == "none":
            items.append(None)
            continue
        elif kind == "ellipsis" and not used_ellipsis:
            used_ellipsis = True
            items.append(Ellipsis)
            axis = len(shape) - draw(st.integers(0, len(shape) - axis))
            continue
        else:
            items.append(slice(None))
        axis += 1
    return shape, tuple(items)


def as_mx_key(key, convert):
    return tuple(convert(k) if isinstance(k, onp.ndarray) else k for k in key)


@settings(max_examples=300, deadline=None)
@given(index_expressions(), st.sampled_from(["mxnet", "numpy", "list"]))
def test_random_index_expressions_match_numpy(expr, kind):
    shape, key = expr
    base = onp.arange(int(onp.prod(shape)), dtype=onp.float64).reshape(shape)
    convert = {"mxnet": lambda k: np.array(k, dtype=k.dtype), "numpy": lambda k: k, "list": lambda k: k.tolist()}[kind]
    mx_key = as_mx_key(key, convert)
    try:
        want = base[key]
    except IndexError:
        with pytest.raises((IndexError, MXNetError)):
            np.array(base)[mx_key]
        return
    a = np.array(base)
    got = a[mx_key]
    assert got.shape == want.shape, (key, got.shape, want.shape)
    onp.testing.assert_array_equal(got.asnumpy(), want)
    # The same key as a write target.
    expected = base.copy()
    expected[key] = -1.0
    a[mx_key] = -1.0
    onp.testing.assert_array_equal(a.asnumpy(), expected)


@settings(max_examples=150, deadline=None)
@given(index_expressions())
def test_random_index_expression_gradients_scatter_add(expr):
    """The gradient of sum(x[key] * w) is w scattered into x's shape with
    repeated positions accumulating, i.e. NumPy's np.add.at."""
    shape, key = expr
    base = onp.linspace(-1, 1, int(onp.prod(shape))).reshape(shape)
    try:
        selected = base[key]
    except IndexError:
        return
    weights = onp.arange(selected.size, dtype=onp.float64).reshape(selected.shape) + 1
    want = onp.zeros(shape)
    onp.add.at(want, key, weights)
    x = np.array(base)
    x.attach_grad()
    with autograd.record():
        y = (x[as_mx_key(key, lambda k: np.array(k, dtype=k.dtype))] * np.array(weights)).sum()
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), want)


def test_augmented_assignment_through_advanced_index():
    # As in NumPy, a repeated index is incremented once (read, add, write back).
    a = np.array(onp.arange(6.0).reshape(2, 3))
    want = onp.arange(6.0).reshape(2, 3)
    a[np.array([0, 0])] += 1
    want[[0, 0]] += 1
    a[:, [2]] *= 10
    want[:, [2]] *= 10
    onp.testing.assert_array_equal(a.asnumpy(), want)


def test_take_with_scalar_and_list_indices():
    a = onp.arange(6.0).reshape(2, 3)
    assert np.take(np.array(a), 1).shape == ()
    assert float(np.take(np.array(a), 4)) == 4.0
    onp.testing.assert_array_equal(np.take(np.array(a), [[0, 1]], axis=0).asnumpy(), onp.take(a, [[0, 1]], axis=0))
    onp.testing.assert_array_equal(np.take(np.array(5.0), [0, 0]).asnumpy(), [5.0, 5.0])
    onp.testing.assert_array_equal(np.array(a).take(np.array([2, 0]), axis=1).asnumpy(), a[:, [2, 0]])


def test_assignment_from_an_overlapping_view_reads_the_old_values():
    for target, value in [(slice(1, None), slice(None, -1)), (slice(None, -1), slice(1, None))]:
        x, ref = np.arange(6.0), onp.arange(6.0)
        x[target] = x[value]
        ref[target] = ref[value]
        onp.testing.assert_array_equal(x.asnumpy(), ref)
    z, zref = np.arange(12.0).reshape(3, 4), onp.arange(12.0).reshape(3, 4)
    z[1:] = z[:2]
    zref[1:] = zref[:2]
    onp.testing.assert_array_equal(z.asnumpy(), zref)


def test_whole_array_assignment_writes_the_same_storage():
    w = np.ones((300, 400))
    view = w.reshape(-1)
    w[:] = np.full((300, 400), 2.0)
    assert float(view.sum()) == 2.0 * 300 * 400
