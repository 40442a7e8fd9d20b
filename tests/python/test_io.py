"""MXNet's NDArray files: nd.save / nd.load / nd.load_frombuffer and
npx.save / npx.load as MXNet 1.9.1 has them, on the engine's one
reader/writer. The fixtures (tests/python/fixtures, made by
make_io_fixtures.py with MXNet 1.9.1) are files MXNet wrote, and
io_fixtures.json what MXNet reads back from them."""

import json
import pathlib
import random
import re
import struct

import numpy as onp
import pytest

import mxnet as mx
from mxnet.base import MXNetError

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "io_fixtures.json").read_text())
V2_MAGIC, V3_MAGIC = 0xF993FAC9, 0xF993FACA


@pytest.fixture(autouse=True)
def restore_switches():
    shape, array = mx.is_np_shape(), mx.is_np_array()
    mx.reset_np()
    yield
    mx.util._state.update(shape=shape, array=array)


def host(entry):
    """The NumPy array a fixture entry describes."""
    _, dtype, shape, values = entry
    return onp.array([float(v) if isinstance(v, str) else v for v in values], dtype=dtype).reshape(shape)


def assert_same_array(got, want):
    """Equal dtype, shape and bits (NaN and the sign of zero included)."""
    got = got.asnumpy()
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes()


def load_as_saved(name):
    """Loads a fixture the way MXNet would: npx.load for NumPy-semantics files."""
    path = str(FIXTURES / name)
    if EXPECTED[name]["np_shape"]:
        mx.npx.set_np()
        try:
            return mx.npx.load(path)
        finally:
            mx.npx.reset_np()
    return mx.nd.load(path)


def array_of(entry, np_face):
    a = host(entry)
    return mx.np.array(a, dtype=a.dtype) if np_face else mx.nd.array(a, dtype=a.dtype)


# ---- files MXNet 1.9.1 wrote --------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_loads_with_mxnet_names_dtypes_shapes_and_values(name):
    spec = EXPECTED[name]
    loaded = load_as_saved(name)
    if spec["kind"] == "dict":
        assert isinstance(loaded, dict)
        assert list(loaded) == [e[0] for e in spec["arrays"]]
        arrays = list(loaded.values())
    else:
        assert isinstance(loaded, list)
        arrays = loaded
    assert len(arrays) == len(spec["arrays"])
    cls = mx.np.ndarray if spec["np_shape"] else mx.nd.NDArray
    for got, entry in zip(arrays, spec["arrays"]):
        assert type(got) is cls
        assert_same_array(got, host(entry))


def test_special_float_values_survive_bit_for_bit():
    special = mx.nd.load(str(FIXTURES / "nd_dict.params"))["special"].asnumpy()
    assert onp.signbit(special[1]) and special[1] == 0
    assert onp.isnan(special[4]) and special[2] == onp.inf and special[3] == -onp.inf
    assert special[5] == onp.float32(1e-38)  # a subnormal


@pytest.mark.parametrize("name", ["nd_dict.params", "nd_list.params", "npx_dict.params", "npx_list.params"])
def test_mxlite_writes_the_bytes_mxnet_wrote(name):
    # The same arrays saved by mxlite give MXNet 1.9.1's file byte for byte,
    # so MXNet loads what mxlite writes.
    spec = EXPECTED[name]
    np_face = spec["np_shape"]
    arrays = [array_of(e, np_face) for e in spec["arrays"]]
    data = dict(zip([e[0] for e in spec["arrays"]], arrays)) if spec["kind"] == "dict" else arrays
    out = FIXTURES.parent / f".io_test_{name}"
    try:
        if np_face:
            mx.npx.set_np()
            mx.npx.save(str(out), data)
        else:
            mx.nd.save(str(out), data)
        assert out.read_bytes() == (FIXTURES / name).read_bytes()
    finally:
        out.unlink(missing_ok=True)


def test_older_records_load():
    # V1 and the record before it (hand-built, checked by MXNet 1.9.1 in make_io_fixtures.py).
    v1 = mx.nd.load(str(FIXTURES / "v1.params"))
    assert v1[1].dtype == onp.int64 and v1[1].asnumpy().tolist() == [-5, 0, 2**40]
    pre = mx.nd.load(str(FIXTURES / "pre_v1.params"))
    assert pre[0].shape == (1, 3) and pre[0].dtype == onp.int32


def test_load_frombuffer_reads_a_files_bytes():
    buf = (FIXTURES / "nd_dict.params").read_bytes()
    loaded = mx.nd.load_frombuffer(buf)
    assert list(loaded) == [e[0] for e in EXPECTED["nd_dict.params"]["arrays"]]
    assert_same_array(loaded["cube"], host(EXPECTED["nd_dict.params"]["arrays"][8]))
    assert isinstance(mx.nd.load_frombuffer((FIXTURES / "nd_list.params").read_bytes()), list)


# ---- round trips in mxlite ----------------------------------------------------------


def test_nd_round_trip_of_a_dict_a_list_and_one_array(tmp_path):
    w = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    idx = mx.nd.array([3, -1], dtype="int64")
    f = str(tmp_path / "p.params")
    mx.nd.save(f, {"w": w, "idx": idx})
    back = mx.nd.load(f)
    assert list(back) == ["w", "idx"] and all(type(v) is mx.nd.NDArray for v in back.values())
    assert back["w"].asnumpy().tolist() == [[1, 2, 3], [4, 5, 6]] and back["w"].dtype == onp.float32
    assert back["idx"].asnumpy().tolist() == [3, -1] and back["idx"].dtype == onp.int64
    mx.nd.save(f, [idx, w])
    back = mx.nd.load(f)
    assert isinstance(back, list) and [a.shape for a in back] == [(2,), (2, 3)]
    mx.nd.save(f, w)
    back = mx.nd.load(f)
    assert isinstance(back, list) and len(back) == 1 and back[0].asnumpy().tolist() == w.asnumpy().tolist()


def test_empty_list_and_dict_save_the_same_empty_file(tmp_path):
    f = tmp_path / "e.params"
    mx.nd.save(str(f), [])
    assert f.read_bytes() == struct.pack("<QQQQ", 0x112, 0, 0, 0)  # MXNet 1.9.1's bytes
    assert mx.nd.load(str(f)) == []
    mx.nd.save(str(f), {})
    assert f.read_bytes() == struct.pack("<QQQQ", 0x112, 0, 0, 0)


def test_npx_round_trip_keeps_0d_and_zero_size_arrays(tmp_path):
    mx.npx.set_np()
    f = str(tmp_path / "n.params")
    data = {"s": mx.np.array(2.5), "e": mx.np.zeros((0, 4), dtype="int32"), "b": mx.np.array([True, False], dtype=bool)}
    mx.npx.save(f, data)
    back = mx.npx.load(f)
    assert list(back) == ["s", "e", "b"] and all(type(v) is mx.np.ndarray for v in back.values())
    assert back["s"].shape == () and back["s"].item() == 2.5
    assert back["e"].shape == (0, 4) and back["e"].dtype == onp.int32
    assert back["b"].dtype == onp.bool_ and back["b"].asnumpy().tolist() == [True, False]
    mx.npx.save(f, mx.np.arange(3))
    assert [a.asnumpy().tolist() for a in mx.npx.load(f)] == [[0.0, 1.0, 2.0]]


def test_saved_views_and_loaded_arrays_own_their_values(tmp_path):
    base = mx.nd.array(onp.arange(12).reshape(4, 3))
    f = str(tmp_path / "v.params")
    mx.nd.save(f, [base[1:3], base.reshape((2, 6))])
    rows, reshaped = mx.nd.load(f)
    assert rows.asnumpy().tolist() == [[3, 4, 5], [6, 7, 8]] and reshaped.shape == (2, 6)
    rows[:] = 0  # a loaded array is a new array: writable, shared with nothing
    assert mx.nd.load(f)[0].asnumpy().tolist() == [[3, 4, 5], [6, 7, 8]]


def test_arrays_with_gradients_save_their_values(tmp_path):
    x = mx.np.array([1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = x * 3
    mx.npx.set_np()
    f = str(tmp_path / "g.params")
    mx.npx.save(f, [x, y])
    assert [a.asnumpy().tolist() for a in mx.npx.load(f)] == [[1.0, 2.0], [3.0, 6.0]]


# ---- shape semantics (MXNet's V2 / V3 records) ----------------------------------------


def magic_of_first_array(path):
    return struct.unpack_from("<I", pathlib.Path(path).read_bytes(), 24)[0]


def test_the_record_follows_the_np_shape_switch_and_load_checks_it(tmp_path):
    f = str(tmp_path / "s.params")
    mx.nd.save(f, [mx.nd.ones((2,))])
    assert magic_of_first_array(f) == V2_MAGIC
    with mx.np_shape(True):
        with pytest.raises(MXNetError, match=r"array 0 was saved under legacy shape semantics"):
            mx.nd.load(f)
        mx.nd.save(f, [mx.nd.ones((2,))])
        assert magic_of_first_array(f) == V3_MAGIC
        assert type(mx.nd.load(f)[0]) is mx.nd.NDArray  # nd.load under NumPy shape semantics
    with pytest.raises(MXNetError, match=r"array 0 was saved under NumPy shape semantics"):
        mx.nd.load(f)
    mx.npx.set_np()
    assert mx.npx.load(f)[0].asnumpy().tolist() == [1.0, 1.0]
    with pytest.raises(MXNetError, match=r"array \"weight\" \(index 0\) was saved under legacy shape semantics"):
        mx.npx.load(str(FIXTURES / "nd_dict.params"))


def test_0d_arrays_need_numpy_shape_semantics_to_be_saved(tmp_path):
    f = str(tmp_path / "z.params")
    scalar = mx.nd.array(1.5)
    assert scalar.shape == ()
    with pytest.raises(MXNetError, match=r'array "s" \(index 0\) is 0-d'):
        mx.nd.save(f, {"s": scalar})
    assert not (tmp_path / "z.params").exists()  # a refused save writes nothing
    with mx.np_shape(True):
        mx.nd.save(f, {"s": scalar})
        assert mx.nd.load(f)["s"].shape == ()


def test_npx_needs_numpy_semantics():
    with pytest.raises(ValueError, match=r"Cannot save `mxnet.numpy.ndarray` in legacy mode"):
        mx.npx.save("x.params", mx.np.ones(1))
    with pytest.raises(ValueError, match=r"Cannot load `mxnet.numpy.ndarray` in legacy mode"):
        mx.npx.load("x.params")
    with mx.np_shape(True):  # shape semantics alone are not enough
        with pytest.raises(ValueError, match="legacy mode"):
            mx.npx.load("x.params")


# ---- arguments MXNet refuses ---------------------------------------------------------


def test_nd_save_argument_errors(tmp_path):
    f = str(tmp_path / "a.params")
    a = mx.nd.ones((2,))
    with pytest.raises(ValueError, match="data needs to either be a NDArray"):
        mx.nd.save(f, (a,))
    with pytest.raises(ValueError, match="data needs to either be a NDArray"):
        mx.nd.save(f, None)
    with pytest.raises(TypeError, match=r"save only accept dict str->NDArray or list of NDArray"):
        mx.nd.save(f, [a, onp.ones(2)])
    with pytest.raises(TypeError, match=r"save only accept dict"):
        mx.nd.save(f, {1: a})
    with pytest.raises(TypeError, match=r"save only accept dict"):
        mx.nd.save(f, {b"a": a})
    with pytest.raises(TypeError, match=r"cannot save mxnet.numpy.ndarray using mxnet.ndarray.save"):
        mx.nd.save(f, {"a": mx.np.ones(1)})
    with pytest.raises(TypeError, match=r"cannot save mxnet.numpy.ndarray"):
        mx.nd.save(f, mx.np.ones(1))
    with pytest.raises(AttributeError, match="fname must be a str"):  # MXNet 1.9.1's exception type
        mx.nd.save(pathlib.Path(f), [a])
    with pytest.raises(AttributeError, match="fname must be a str"):
        mx.nd.save(3, [a])


def test_npx_save_argument_errors(tmp_path):
    mx.npx.set_np()
    f = str(tmp_path / "a.params")
    with pytest.raises(ValueError, match=r"data needs to either be a ndarray, dict of \(str, ndarray\)"):
        mx.npx.save(f, (mx.np.ones(1),))
    with pytest.raises(TypeError, match=r"Only accepts dict str->ndarray or list of ndarrays"):
        mx.npx.save(f, [mx.nd.ones((1,))])
    with pytest.raises(TypeError, match=r"Only accepts dict"):
        mx.npx.save(f, [onp.ones(1)])
    with pytest.raises(TypeError, match=r"Only accepts dict"):
        mx.npx.save(f, {1: mx.np.ones(1)})
    with pytest.raises(AttributeError, match="file must be a str"):
        mx.npx.save(3, [mx.np.ones(1)])
    with pytest.raises(TypeError, match="file required to be a string"):
        mx.npx.load(b"a.params")


def test_load_argument_errors():
    with pytest.raises(TypeError, match="fname required to be a string"):
        mx.nd.load(3)
    with pytest.raises(TypeError, match="fname required to be a string"):
        mx.nd.load(pathlib.Path("a.params"))
    with pytest.raises(TypeError, match="buf required to be a string or bytes"):
        mx.nd.load_frombuffer(bytearray(b"abc"))
    with pytest.raises(TypeError, match="buf required to be a string or bytes"):
        mx.nd.load_frombuffer(memoryview(b"abc"))
    with pytest.raises(MXNetError, match="a str cannot hold the bytes"):
        mx.nd.load_frombuffer("abc")


# ---- what mxlite cannot load, and broken files ------------------------------------------


def test_float16_file_from_mxnet_loads_and_round_trips(tmp_path):
    loaded = mx.nd.load(str(FIXTURES / "nd_float16.params"))
    assert loaded["half"].dtype == onp.float16 and loaded["half"].asnumpy().tolist() == [0.5, 1.0]
    assert loaded["bias"].dtype == onp.float32
    path = str(tmp_path / "again.params")
    mx.nd.save(path, loaded)
    assert (FIXTURES / "nd_float16.params").read_bytes() == open(path, "rb").read()  # byte for byte MXNet's file


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("nd_row_sparse.params", r'array "embed" \(index 1\) is a sparse array \(row_sparse storage\)'),
        ("nd_csr.params", r"array 0 is a sparse array \(csr storage\), which mxlite does not support"),
    ],
)
def test_sparse_arrays_are_refused_naming_the_array(name, what):
    with pytest.raises(MXNetError, match=what):
        mx.nd.load(str(FIXTURES / name))


def test_missing_files_and_directories_are_named(tmp_path):
    missing = str(tmp_path / "missing.params")
    with pytest.raises(MXNetError, match=r'load: cannot open ".*missing.params": No such file or directory'):
        mx.nd.load(missing)
    with pytest.raises(MXNetError, match=r'cannot read ".*": Is a directory'):
        mx.nd.load(str(tmp_path))
    with pytest.raises(MXNetError, match=r'save: cannot open ".*no-dir/x.params" for writing'):
        mx.nd.save(str(tmp_path / "no-dir" / "x.params"), [mx.nd.ones((1,))])


def test_every_truncation_is_an_error_naming_the_file(tmp_path):
    data = (FIXTURES / "nd_list.params").read_bytes()
    for cut in range(len(data)):
        with pytest.raises(MXNetError, match=r"is truncated|is not an MXNet NDArray file"):
            mx.nd.load_frombuffer(data[:cut])
    f = tmp_path / "t.params"
    f.write_bytes(data[:100])
    message = f'load: "{f}" is truncated: array 1: 8 bytes needed at offset 100 for its shape, only 0 remain'
    with pytest.raises(MXNetError, match=re.escape(message)):
        mx.nd.load(str(f))


def test_corrupt_headers_dtypes_and_counts():
    good = (FIXTURES / "nd_list.params").read_bytes()
    with pytest.raises(MXNetError, match=r"is not an MXNet NDArray file \(it starts with 0x0, not 0x112\)"):
        mx.nd.load_frombuffer(b"\0" * 40)
    dtype_at = 24 + 4 + 4 + 4 + 16 + 8  # header, magic, storage, ndim, extents, device
    bad = good[:dtype_at] + struct.pack("<i", 99) + good[dtype_at + 4 :]
    with pytest.raises(MXNetError, match=r"is corrupt: array 0: unknown dtype flag 99"):
        mx.nd.load_frombuffer(bad)
    bad = good[:16] + struct.pack("<Q", 2**40) + good[24:]
    with pytest.raises(
        MXNetError,
        match=r"is truncated: 4398046511104 bytes needed at offset 24 for the records of 1099511627776 arrays",
    ):
        mx.nd.load_frombuffer(bad)
    names_at = len(good) - 8
    bad = good[:names_at] + struct.pack("<Q", 3)
    with pytest.raises(MXNetError, match=r"truncated: 8 bytes needed at offset 188 for the length of name 0"):
        mx.nd.load_frombuffer(bad)
    bad = good[:names_at] + struct.pack("<QQ", 1, 1) + b"x"
    with pytest.raises(MXNetError, match=r"is corrupt: it has 1 names for 3 arrays"):
        mx.nd.load_frombuffer(bad)


def test_random_byte_flips_load_or_raise_cleanly():
    good = (FIXTURES / "nd_dict.params").read_bytes()
    rng = random.Random(7)
    for _ in range(300):
        bad = bytearray(good)
        for _ in range(rng.randint(1, 3)):
            bad[rng.randrange(len(bad))] = rng.randrange(256)
        try:
            mx.nd.load_frombuffer(bytes(bad))
        except (MXNetError, UnicodeDecodeError):  # (names that are not UTF-8: as MXNet)
            pass
