"""out= on the table-built functions: MXNet 1.9.1's rules (the result goes
into out's storage and out is returned; shape and dtype must match exactly;
under record() out becomes the op's output, unless it already is in a graph)."""

import numpy as onp
import pytest

from mxnet import autograd, nd, np, npx
from mxnet.base import MXNetError


def test_out_receives_the_result_and_is_returned():
    x = np.array([0.25, 4.0])
    o = np.zeros(2)
    view = o.reshape(2, 1)  # shares o's storage: must see the result
    assert np.sqrt(x, out=o) is o
    assert o.asnumpy().tolist() == [0.5, 2.0]
    assert view.asnumpy().ravel().tolist() == [0.5, 2.0]
    lo = nd.zeros((2,))
    assert nd.sqrt(x.as_nd_ndarray(), out=lo) is lo
    assert x.as_nd_ndarray().sqrt(out=lo) is lo and lo.asnumpy().tolist() == [0.5, 2.0]


def test_out_may_be_the_input():
    x = np.array([1.0, -2.0])
    assert np.abs(x, out=x) is x
    assert x.asnumpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize("out", [np.zeros(3), np.zeros(2, dtype="float64"), np.zeros((1, 2))])
def test_out_of_another_shape_or_dtype_raises_and_keeps_its_values(out):
    out[...] = 7
    with pytest.raises(MXNetError, match="out= has shape"):
        np.exp(np.array([1.0, 2.0]), out=out)
    assert (out.asnumpy() == 7).all()


def test_out_of_another_face_raises_type_error():
    with pytest.raises(TypeError, match="out must be an mxnet.numpy.ndarray, got ndarray"):
        np.exp(np.array([1.0]), out=onp.zeros(1))
    with pytest.raises(TypeError, match="out must be an mxnet.ndarray.NDArray"):
        nd.exp(nd.array([1.0]), out=np.zeros(1))


def test_out_under_record_is_the_op_output():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        o = np.zeros(2)
        y = np.exp(x, out=o)
        z = (y * 2).sum()
    z.backward()
    assert y is o
    onp.testing.assert_allclose(x.grad.asnumpy(), 2 * onp.exp([1.0, 2.0]), rtol=1e-6)


def test_out_already_in_a_graph_is_refused_under_record():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    o = np.zeros(2)
    o.attach_grad()
    with autograd.record():
        with pytest.raises(MXNetError, match="Assigning to NDArrays that are already in a computational graph"):
            np.exp(x, out=o)
        with pytest.raises(MXNetError, match="Inplace operations"):
            np.exp(x, out=x.detach())  # shares the recorded input's memory


def test_out_saved_for_a_gradient_is_detected_when_overwritten():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    w = np.array([3.0, 4.0])
    with autograd.record():
        y = (x * w).sum()
    np.exp(np.array([0.0, 0.0]), out=w)  # w was saved for x's gradient
    with pytest.raises(MXNetError):
        y.backward()


# ---- the binary rows ------------------------------------------------------------------
from mxnet import _core  # noqa: E402

BINARY_NP = sorted(set(_core.binary_ops) - {"truncate_divide"})
INTEGER_ONLY = {"gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor"}
BOOL_RESULT = {
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
}


def binary_operands(name):
    if name in INTEGER_ONLY:
        return np.array([[6, 4, 9]], dtype="int32"), np.array([4, 6, 3], dtype="int32")
    return np.array([[0.5, 2.0, 3.0]]), np.array([1.5, 2.0, 0.25])


@pytest.mark.parametrize("name", BINARY_NP)
def test_every_binary_function_writes_into_out(name):
    fn = getattr(np, name)
    a, b = binary_operands(name)
    expected = fn(a, b)
    for args in [(a, b), (a, 2), (3, b)]:
        want = fn(*args)
        out = np.zeros(want.shape, dtype=want.dtype)
        assert fn(*args, out=out) is out
        onp.testing.assert_array_equal(out.asnumpy(), want.asnumpy())
    assert expected.dtype == (onp.bool_ if name in BOOL_RESULT else a.dtype)


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "power", "hypot", "equal"])
def test_binary_out_of_another_dtype_or_shape_raises_and_keeps_its_values(name):
    fn = getattr(np, name)
    a, b = binary_operands(name)
    wrong_dtype = "float32" if name == "equal" else "bool"
    for out in [np.zeros((1, 3), dtype=wrong_dtype), np.zeros((2, 3), dtype=fn(a, b).dtype)]:
        before = out.asnumpy().copy()
        with pytest.raises(MXNetError, match=f"{name}: out= has shape"):
            fn(a, b, out=out)
        onp.testing.assert_array_equal(out.asnumpy(), before)


def test_binary_out_may_be_an_operand_or_overlap_one():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([10.0, 20.0, 30.0])
    assert np.add(a, b, out=a) is a and a.asnumpy().tolist() == [11.0, 22.0, 33.0]
    assert np.multiply(a, a, out=a) is a and a.asnumpy().tolist() == [121.0, 484.0, 1089.0]
    # Overlapping but not the same elements: computed aside, as NumPy does.
    x = np.arange(6.0)
    ref = onp.arange(6.0)
    np.add(x[:5], x[1:], out=x[1:])
    onp.add(ref[:5], ref[1:], out=ref[1:])
    onp.testing.assert_array_equal(x.asnumpy(), ref)
    # A broadcast operand that is out's storage.
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.subtract(y, y[0], out=y)
    assert y.asnumpy().tolist() == [[0.0, 0.0], [2.0, 2.0]]


def test_binary_keywords_and_ufunc_options_as_mxnet():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert np.add(x1=a, x2=b).asnumpy().tolist() == [4.0, 6.0]
    assert np.add(a, b, where=True, casting="same_kind", order="K").asnumpy().tolist() == [4.0, 6.0]
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        np.add(a, b, foo=1)
    with pytest.raises(NotImplementedError, match="dtype"):
        np.add(a, b, dtype="float32")
    with pytest.raises(NotImplementedError, match="where"):
        np.multiply(a, b, where=False)
    # MXNet's comparisons and true_divide take only out=.
    with pytest.raises(TypeError, match="unexpected keyword argument 'where'"):
        np.equal(a, b, where=True)
    assert np.true_divide(x1=a, x2=b, out=np.zeros(2)).asnumpy().tolist() == pytest.approx([1 / 3, 0.5])
    assert str(__import__("inspect").signature(np.equal)) == "(x1, x2, out=None)"


def test_binary_out_under_record_is_the_op_output():
    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        o = np.zeros(2)
        y = np.multiply(x, x, out=o)
        z = (y * 3).sum()
    z.backward()
    assert y is o
    onp.testing.assert_allclose(x.grad.asnumpy(), [6.0, 12.0])
    with autograd.record():
        with pytest.raises(MXNetError, match="Inplace operations"):
            np.add(x, 1, out=x.detach())


def test_legacy_broadcast_and_elemwise_operators():
    a, b = nd.array([1, 2]), nd.array([3, 1])
    o = nd.zeros((2,))
    assert nd.broadcast_add(a, b, out=o) is o and o.asnumpy().tolist() == [4.0, 3.0]
    assert nd.broadcast_plus(lhs=a, rhs=b).asnumpy().tolist() == [4.0, 3.0]
    assert nd.elemwise_mul(a, b, out=o) is o and o.asnumpy().tolist() == [3.0, 2.0]
    with pytest.raises(MXNetError, match=r"elemwise_add: operands must have the same shape, got \(2,\) and \(2, 2\)"):
        nd.elemwise_add(a, nd.zeros((2, 2)))
    # Legacy results: 0/1 in the operands' dtype, truncating integer division.
    eq = nd.broadcast_equal(a, nd.array([1, 0]))
    assert eq.dtype == onp.float32 and eq.asnumpy().tolist() == [1.0, 0.0]
    ints = nd.array([7, -7], dtype="int32")
    gt = nd.broadcast_greater(ints, nd.array([0, 3], dtype="int32"), out=nd.zeros((2,), dtype="int32"))
    assert gt.dtype == onp.int32 and gt.asnumpy().tolist() == [1, 0]
    assert nd.broadcast_div(ints, nd.array([2, 2], dtype="int32")).asnumpy().tolist() == [3, -3]
    assert nd.divide(ints, 2).asnumpy().tolist() == [3, -3]
    assert nd.divide(7, ints).asnumpy().tolist() == [1, -1]
    assert nd.broadcast_mod(ints, nd.array([2, 2], dtype="int32")).asnumpy().tolist() == [1, 1]
    assert nd.equal(2, a).asnumpy().tolist() == [0.0, 1.0]
    assert nd.power(base=a, exp=2).asnumpy().tolist() == [1.0, 4.0]
    assert nd.logical_not(nd.array([0.0, 3.0])).asnumpy().tolist() == [1.0, 0.0]
    with pytest.raises(MXNetError, match="out= has shape"):
        nd.broadcast_equal(a, b, out=nd.zeros((2,), dtype="int32"))


def test_inplace_operators_write_into_the_array():
    x = np.array([1.0, 2.0, 3.0])
    alias = x.reshape(3, 1)
    x += np.array([1.0, 1.0, 1.0])
    x *= 2
    x -= x
    x += np.array([5.0])  # broadcasts to x's shape
    assert alias.asnumpy().ravel().tolist() == [5.0, 5.0, 5.0]
    i = np.array([1, 2, 3], dtype="int32")
    i += 1.5  # the scalar takes i's dtype (MXNet)
    i //= 2
    assert i.dtype == onp.int32 and i.asnumpy().tolist() == [1, 1, 2]
    with pytest.raises(TypeError, match="same_kind"):
        i /= 2
    f = np.array([1.0, 2.0], dtype="float32")
    f += np.array([1.0, 1.0], dtype="float64")  # float64 result cast back, as NumPy
    assert f.dtype == onp.float32 and f.asnumpy().tolist() == [2.0, 3.0]
    with pytest.raises(MXNetError, match="non-broadcastable output"):
        f += np.ones((2, 2))


def test_clip_writes_into_out():
    x = np.array([-2.0, 0.5, 3.0])
    o = np.zeros(3)
    assert np.clip(x, -1, 1, out=o) is o and o.asnumpy().tolist() == [-1.0, 0.5, 1.0]
    assert x.clip(0, 1, out=o) is o and o.asnumpy().tolist() == [0.0, 0.5, 1.0]
    assert np.clip(x, -1, 1, out=x) is x and x.asnumpy().tolist() == [-1.0, 0.5, 1.0]
    lx, lo = nd.array([-2.0, 5.0]), nd.zeros((2,))
    assert nd.clip(lx, 0, 1, out=lo) is lo and lo.asnumpy().tolist() == [0.0, 1.0]
    assert lx.clip(0, 2, out=lo) is lo and lo.asnumpy().tolist() == [0.0, 2.0]
    with pytest.raises(MXNetError, match="clip: out= has shape"):
        np.clip(x, 0, 1, out=np.zeros(2))


# ---- numbers in, NumPy scalars out (MXNet hands these calls to NumPy) --------------------
@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: np.exp(2.0), onp.float64(onp.exp(2.0))),
        (lambda: np.sqrt(4), onp.float64(2.0)),
        (lambda: np.abs(-2), onp.int64(2)),
        (lambda: np.add(1, 2), onp.int64(3)),
        (lambda: np.add(1.5, 2), onp.float64(3.5)),
        (lambda: np.equal(1, 2), onp.bool_(False)),
        (lambda: np.bitwise_and(6, 3), onp.int64(2)),
        (lambda: np.add(onp.float32(1), 2), onp.float32(3)),
    ],
)
def test_numbers_give_numpy_scalars(call, expected):
    result = call()
    assert type(result) is type(expected) and result == expected


def test_numbers_with_out_or_array_likes_give_arrays():
    o = np.zeros(())
    assert np.add(1, 2, out=o) is o and float(o) == 3.0
    assert isinstance(np.exp([1.0, 2.0]), np.ndarray)
    assert isinstance(np.add(np.array(1.0), 2), np.ndarray)


# Functions composed in Python (or computed on a host copy) take out= through
# mxnet._args.into: the same rules as the table-built ones.
_A = onp.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], dtype="float32")
_COMPOSED_CASES = [
    ("np.full", lambda out: np.full((2, 3), 7.0, out=out), lambda: onp.full((2, 3), 7.0, "float32")),
    ("np.full_like", lambda out: np.full_like(np.array(_A), 2.0, out=out), lambda: onp.full_like(_A, 2.0)),
    ("np.dot", lambda out: np.dot(np.array(_A), np.array(_A.T), out=out), lambda: _A @ _A.T),
    ("np.matmul", lambda out: np.matmul(np.array(_A), np.array(_A.T), out=out), lambda: _A @ _A.T),
    ("np.outer", lambda out: np.outer(np.array(_A[0]), np.array(_A[1]), out=out), lambda: onp.outer(_A[0], _A[1])),
    ("np.einsum", lambda out: np.einsum("ij->j", np.array(_A), out=out), lambda: _A.sum(0)),
    ("np.trace", lambda out: np.trace(np.array(_A[:, :2]), out=out), lambda: onp.trace(_A[:, :2])),
    ("np.take", lambda out: np.take(np.array(_A), np.array([2, 0]), axis=1, out=out), lambda: _A[:, [2, 0]]),
    ("np.concatenate", lambda out: np.concatenate([np.array(_A)] * 2, out=out), lambda: onp.concatenate([_A, _A])),
    ("np.stack", lambda out: np.stack([np.array(_A), np.array(_A)], out=out), lambda: onp.stack([_A, _A])),
    ("np.vstack", lambda out: np.vstack([np.array(_A), np.array(_A)], out=out), lambda: onp.vstack([_A, _A])),
    ("np.hstack", lambda out: np.hstack([np.array(_A), np.array(_A)], out=out), lambda: onp.hstack([_A, _A])),
    ("np.percentile", lambda out: np.percentile(np.array(_A), 50, axis=1, out=out), lambda: onp.median(_A, axis=1)),
    ("nd.full", lambda out: nd.full((2, 3), 7.0, out=out), lambda: onp.full((2, 3), 7.0, "float32")),
    ("nd.cast", lambda out: nd.cast(nd.array(_A), "float32", out=out), lambda: _A),
    ("nd.identity", lambda out: nd.identity(nd.array(_A), out=out), lambda: _A),
    ("nd.add_n", lambda out: nd.add_n(nd.array(_A), nd.array(_A), out=out), lambda: 2 * _A),
    ("nd.hard_sigmoid", lambda out: nd.hard_sigmoid(nd.array(_A), out=out), lambda: onp.clip(_A * 0.2 + 0.5, 0, 1)),
    ("nd.reshape_like", lambda out: nd.reshape_like(nd.array(_A), nd.zeros((3, 2)), out=out), lambda: _A.reshape(3, 2)),
    ("nd.crop", lambda out: nd.crop(nd.array(_A), begin=(0, 1), end=(2, 3), out=out), lambda: _A[:, 1:3]),
    ("nd.BlockGrad", lambda out: nd.BlockGrad(nd.array(_A), out=out), lambda: _A),
    ("nd.diag", lambda out: nd.diag(nd.array(_A), out=out), lambda: onp.diag(_A)),
    ("npx.slice", lambda out: npx.slice(np.array(_A), (0, 1), (2, 3), out=out), lambda: _A[:, 1:3]),
    ("npx.cast", lambda out: npx.cast(np.array(_A), "float32", out=out), lambda: _A),
]


@pytest.mark.parametrize("name, call, expected", _COMPOSED_CASES, ids=[c[0] for c in _COMPOSED_CASES])
def test_composed_functions_write_into_out(name, call, expected):
    want = onp.asarray(expected(), dtype="float32")
    face = nd if name.startswith("nd.") else np
    out = face.zeros(want.shape)
    assert call(out) is out
    onp.testing.assert_allclose(out.asnumpy(), want, rtol=1e-6)
    wrong = face.zeros(want.shape + (1,))
    wrong[...] = 5
    with pytest.raises(MXNetError, match="out= has shape"):
        call(wrong)
    assert (wrong.asnumpy() == 5).all()


def test_divmod_and_modf_write_into_a_pair():
    x = np.array([3.5, -7.25])
    q, r = np.zeros(2), np.zeros(2)
    assert np.divmod(x, np.array([2.0, 2.0]), out=(q, r)) == (q, r)
    assert q.asnumpy().tolist() == [1.0, -4.0] and r.asnumpy().tolist() == [1.5, 0.75]
    frac, whole = np.zeros(2), np.zeros(2)
    np.modf(x, out=(frac, whole))
    assert frac.asnumpy().tolist() == [0.5, -0.25] and whole.asnumpy().tolist() == [3.0, -7.0]
    with pytest.raises(TypeError, match="modf: out must be a tuple of 2 arrays"):
        np.modf(x, out=q)
