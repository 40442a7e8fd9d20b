"""mxnet.image: decoding with Pillow, OpenCV-rule resizing (checked against independent NumPy
computations and MXNet 1.9.1's OpenCV results), crops and their errors; and the nd.image /
npx.image operators."""

import io
import json
import pathlib

import numpy as onp
import pytest

import mxnet as mx
from mxnet import nd, npx

Image = pytest.importorskip("PIL.Image")
FIX = json.loads((pathlib.Path(__file__).parent / "fixtures" / "image_mxnet_1_9_1.json").read_text())


def _img(seed=0, shape=(7, 9, 3)):
    return onp.random.RandomState(seed).randint(0, 256, shape).astype("uint8")


def _png(arr):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


# --- decoding ------------------------------------------------------------------------------


def test_imdecode_png_rgb_bgr_gray():
    img = _img()
    data = _png(img)
    out = mx.image.imdecode(data)
    assert isinstance(out, nd.NDArray) and out.dtype == onp.uint8 and out.shape == (7, 9, 3)
    onp.testing.assert_array_equal(out.asnumpy(), img)
    onp.testing.assert_array_equal(mx.image.imdecode(bytearray(data), to_rgb=False).asnumpy(), img[:, :, ::-1])
    onp.testing.assert_array_equal(mx.image.imdecode(onp.frombuffer(data, onp.uint8)).asnumpy(), img)
    gray = mx.image.imdecode(data, flag=0).asnumpy()
    assert gray.shape == (7, 9, 1)
    luma = img.astype(float) @ [0.299, 0.587, 0.114]  # ITU-R 601, what OpenCV and Pillow use
    assert onp.abs(gray[:, :, 0] - luma).max() <= 1.0


def test_imread_files(tmp_path):
    img = _img(1)
    Image.fromarray(img).save(tmp_path / "a.png")
    Image.fromarray(img[:, :, 0]).save(tmp_path / "g.png")
    Image.fromarray(onp.dstack([img, img[:, :, :1]])).save(tmp_path / "rgba.png")
    yy, xx = onp.mgrid[0:16, 0:16]
    smooth = onp.dstack([yy * 15, xx * 15, (yy + xx) * 7]).astype("uint8")
    Image.fromarray(smooth).save(tmp_path / "a.jpg", quality=95)
    onp.testing.assert_array_equal(mx.image.imread(str(tmp_path / "a.png")).asnumpy(), img)
    # a grayscale file read in color repeats its channel; RGBA drops alpha (MXNet 1.9.1 does both)
    onp.testing.assert_array_equal(mx.image.imread(str(tmp_path / "g.png")).asnumpy(), onp.repeat(img[:, :, :1], 3, 2))
    onp.testing.assert_array_equal(mx.image.imread(str(tmp_path / "rgba.png")).asnumpy(), img)
    jpg = mx.image.imread(str(tmp_path / "a.jpg")).asnumpy()
    assert jpg.shape == (16, 16, 3) and onp.abs(jpg.astype(int) - smooth).mean() < 4  # lossy
    assert mx.image.imread(str(tmp_path / "a.jpg"), 0).shape == (16, 16, 1)


def test_decode_np_mode(np_mode):
    out = mx.image.imdecode(_png(_img()))
    assert isinstance(out, mx.np.ndarray) and out.shape == (7, 9, 3)
    assert isinstance(mx.image.imresize(out, 4, 3), mx.np.ndarray)
    assert isinstance(mx.image.center_crop(out, (4, 3))[0], mx.np.ndarray)


def test_decode_errors(tmp_path):
    with pytest.raises(mx.MXNetError, match="cannot decode"):
        mx.image.imdecode(b"abc")
    with pytest.raises(ValueError, match="bytes"):
        mx.image.imdecode("abc")
    with pytest.raises(mx.MXNetError, match="no such file"):
        mx.image.imread(str(tmp_path / "missing.png"))
    (tmp_path / "bad.png").write_bytes(b"not an image")
    with pytest.raises(mx.MXNetError, match="cannot decode"):
        mx.image.imread(str(tmp_path / "bad.png"))
    with pytest.raises(mx.MXNetError, match="flag"):
        mx.image.imdecode(_png(_img()), flag=2)


# --- resizing ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", FIX["resize"], ids=lambda c: f"{c['src']}-{c['interp']}-{c['w']}x{c['h']}")
def test_imresize_matches_mxnet(case):
    src = onp.array(FIX[case["src"]], dtype="uint8" if case["src"] == "img" else "float32")
    out = mx.image.imresize(nd.array(src, dtype=src.dtype), case["w"], case["h"], interp=case["interp"])
    ref = onp.array(case["out"], dtype=src.dtype)
    assert out.shape == ref.shape and out.dtype == src.dtype
    if src.dtype == onp.uint8:  # OpenCV's fixed-point weights: off by at most one level
        assert onp.abs(out.asnumpy().astype(int) - ref).max() <= 1
    else:
        onp.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-5, atol=1e-3)


def test_imresize_independent_values():
    src = onp.arange(4 * 6 * 1, dtype="float32").reshape(4, 6, 1)
    # integer-factor area shrink is the 2x2 block mean
    area = mx.image.imresize(nd.array(src), 3, 2, interp=3).asnumpy()[:, :, 0]
    onp.testing.assert_allclose(area, src[:, :, 0].reshape(2, 2, 3, 2).mean(axis=(1, 3)))
    # nearest picks floor(dst * scale)
    near = mx.image.imresize(nd.array(src), 3, 2, interp=0).asnumpy()[:, :, 0]
    onp.testing.assert_array_equal(near, src[[0, 2]][:, [0, 2, 4], 0])
    # bilinear with half-pixel centres: a linear ramp stays linear inside, edges replicate
    ramp = onp.tile(onp.arange(4, dtype="float32") * 10, (1, 1)).reshape(1, 4, 1)
    lin = mx.image.imresize(nd.array(ramp), 8, 1, interp=1).asnumpy()[0, :, 0]
    onp.testing.assert_allclose(lin, [0, 2.5, 7.5, 12.5, 17.5, 22.5, 27.5, 30])
    # the same size is the identity for every method; a constant image stays constant
    img = _img(2)
    for interp in range(5):
        onp.testing.assert_array_equal(mx.image.imresize(nd.array(img, dtype="uint8"), 9, 7, interp).asnumpy(), img)
        const = onp.full((5, 6, 3), 77, onp.uint8)
        out = mx.image.imresize(nd.array(const, dtype="uint8"), 11, 3, interp).asnumpy()
        onp.testing.assert_array_equal(out, onp.full((3, 11, 3), 77))


def test_imresize_errors():
    img = nd.array(_img(), dtype="uint8")
    with pytest.raises(mx.MXNetError, match="H, W, C"):
        mx.image.imresize(img[0], 3, 3)
    with pytest.raises(mx.MXNetError, match="at least 1x1"):
        mx.image.imresize(img, 0, 3)
    with pytest.raises(mx.MXNetError, match="interpolation"):
        mx.image.imresize(img, 3, 3, interp=7)
    with pytest.raises(mx.MXNetError, match="uint8, float32"):
        mx.image.imresize(nd.array(_img(), dtype="int32"), 3, 3)


# --- crops ---------------------------------------------------------------------------------


def test_crops_match_mxnet():
    src = nd.array(_img(), dtype="uint8")
    out, rect = mx.image.center_crop(src, (4, 3))  # MXNet 1.9.1: (3, 4, 3), (2, 2, 4, 3)
    assert out.shape == (3, 4, 3) and rect == (2, 2, 4, 3)
    onp.testing.assert_array_equal(out.asnumpy(), _img()[2:5, 2:6])
    out, rect = mx.image.center_crop(src, (20, 5))  # scaled down to fit, then resized up
    assert out.shape == (5, 20, 3) and rect == (0, 2, 9, 2)
    assert mx.image.resize_short(src, 4).shape == (4, 5, 3)
    assert mx.image.scale_down((640, 480), (720, 120)) == (640, 106)
    out = mx.image.fixed_crop(src, 1, 2, 3, 4, size=(6, 8), interp=0)
    assert out.shape == (8, 6, 3)
    out, (x0, y0, w, h) = mx.image.random_crop(src, (4, 3))
    onp.testing.assert_array_equal(out.asnumpy(), _img()[y0 : y0 + h, x0 : x0 + w])
    out, rect = mx.image.random_size_crop(src, (5, 5), 0.3, (0.75, 1.33))
    assert out.shape == (5, 5, 3) and len(rect) == 4


def test_crop_errors():
    src = nd.array(_img(), dtype="uint8")
    with pytest.raises(mx.MXNetError, match="not inside"):  # MXNet 1.9.1 silently returns a smaller slice
        mx.image.fixed_crop(src, 5, 5, 10, 10)
    with pytest.raises(mx.MXNetError, match="H, W, C"):
        mx.image.center_crop(src[0], (2, 2))


def test_color_normalize():
    src = nd.array(_img().astype("float32"))
    expect = (_img().astype("float32") - [1.0, 2.0, 3.0]) / [2.0, 4.0, 8.0]
    out = mx.image.color_normalize(src, nd.array([1.0, 2.0, 3.0]), nd.array([2.0, 4.0, 8.0]))
    onp.testing.assert_allclose(out.asnumpy(), expect, rtol=1e-6)


# --- nd.image / npx.image operators --------------------------------------------------------


def test_to_tensor_normalize_match_mxnet():
    small = nd.array(onp.array(FIX["small"], "uint8"), dtype="uint8")
    batch = nd.array(onp.array(FIX["batch"], "uint8"), dtype="uint8")
    t = nd.image.to_tensor(small)
    assert t.dtype == onp.float32 and t.shape == (3, 4, 5)
    onp.testing.assert_allclose(t.asnumpy(), FIX["to_tensor"], rtol=1e-6)
    tb = nd.image.to_tensor(batch)
    onp.testing.assert_allclose(tb.asnumpy(), FIX["to_tensor_batch"], rtol=1e-6)
    onp.testing.assert_allclose(nd.image.normalize(t, FIX["mean"], FIX["std"]).asnumpy(), FIX["normalize"], rtol=1e-5)
    onp.testing.assert_allclose(
        nd.image.normalize(tb, FIX["mean"], FIX["std"]).asnumpy(), FIX["normalize_batch"], rtol=1e-5
    )
    onp.testing.assert_allclose(nd.image.normalize(t, 0.5, 0.25).asnumpy(), FIX["normalize_scalar"], rtol=1e-5)


def test_image_ops_np_mode(np_mode):
    x = mx.np.array(_img(), dtype="uint8")
    t = npx.image.to_tensor(x)
    assert isinstance(t, mx.np.ndarray) and t.shape == (3, 7, 9)
    onp.testing.assert_allclose(t.asnumpy(), _img().transpose(2, 0, 1) / 255.0, rtol=1e-6)
    n = npx.image.normalize(t, (0.1, 0.2, 0.3), (0.5, 0.5, 0.5))
    onp.testing.assert_allclose(n.asnumpy(), (t.asnumpy() - [[[0.1]], [[0.2]], [[0.3]]]) / 0.5, rtol=1e-5, atol=1e-6)
    assert isinstance(npx.image.resize(x, (4, 3)), mx.np.ndarray)
    onp.testing.assert_array_equal(npx.image.flip_left_right(x).asnumpy(), _img()[:, ::-1])
    onp.testing.assert_array_equal(npx.image.flip_top_bottom(x).asnumpy(), _img()[::-1])


def test_normalize_gradient():
    t = nd.array(onp.random.RandomState(0).rand(3, 2, 2).astype("float32"))
    t.attach_grad()
    with mx.autograd.record():
        y = nd.image.normalize(t, (0.1, 0.2, 0.3), (0.5, 2.0, 4.0))
    y.backward()
    expect = onp.broadcast_to(onp.array([2.0, 0.5, 0.25]).reshape(3, 1, 1), (3, 2, 2))
    onp.testing.assert_allclose(t.grad.asnumpy(), expect, rtol=1e-6)


def test_resize_crop_ops():
    img = _img()
    x = nd.array(img, dtype="uint8")
    assert nd.image.resize(x, 3).shape == (3, 3, 3)
    assert nd.image.resize(x, 3, True).shape == (3, 3, 3)  # short edge 7 -> 3, long 9*3/7 -> 3
    assert nd.image.resize(x, 5, True).shape == (5, 6, 3)
    b = nd.array(onp.stack([img, img[::-1]]), dtype="uint8")
    rb = nd.image.resize(b, (2, 3))
    assert rb.shape == (2, 3, 2, 3)
    onp.testing.assert_array_equal(
        rb[1].asnumpy(), mx.image.imresize(nd.array(img[::-1], dtype="uint8"), 2, 3).asnumpy()
    )
    onp.testing.assert_array_equal(nd.image.crop(x, 1, 2, 3, 4).asnumpy(), img[2:6, 1:4])
    onp.testing.assert_array_equal(nd.image.crop(b, 1, 2, 3, 4).asnumpy()[1], img[::-1][2:6, 1:4])


def test_image_op_errors():
    x = nd.array(_img(), dtype="uint8")
    t = nd.image.to_tensor(x)
    with pytest.raises(mx.MXNetError, match="3 channels"):
        nd.image.normalize(t, (0.1, 0.2), (1, 1))
    with pytest.raises(mx.MXNetError, match="float"):
        nd.image.normalize(x, 0.5, 0.5)
    with pytest.raises(mx.MXNetError, match="dimension"):
        nd.image.to_tensor(nd.zeros((3, 4)))
    with pytest.raises(mx.MXNetError, match="dimension"):
        nd.image.resize(nd.zeros((3, 4)), (2, 3))
    with pytest.raises(mx.MXNetError, match="width, height"):
        nd.image.resize(x, (2, 3, 4))
    with pytest.raises(mx.MXNetError, match="not inside"):
        nd.image.crop(x, 8, 1, 2, 2)
    with pytest.raises(mx.MXNetError, match="dimension"):
        nd.image.random_flip_left_right(nd.zeros((2, 3, 4, 3)))


def test_import_is_lazy():
    import subprocess
    import sys

    code = "import sys, mxnet; print(any(m.startswith(('PIL', 'mxnet.image')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
