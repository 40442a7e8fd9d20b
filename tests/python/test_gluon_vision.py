"""gluon.data.vision: datasets read from tiny synthetic files in the standard formats (MNIST idx,
CIFAR binary batches, image folders) and the image transforms, checked against NumPy and against
MXNet 1.9.1's ToTensor/Normalize results."""

import gzip
import json
import pathlib
import struct

import numpy as onp
import pytest

import mxnet as mx
from mxnet import gluon, nd
from mxnet.gluon.data.vision import CIFAR10, CIFAR100, MNIST, FashionMNIST, ImageFolderDataset, transforms

FIX = json.loads((pathlib.Path(__file__).parent / "fixtures" / "image_mxnet_1_9_1.json").read_text())


def _write_idx(path, arr, magic, gz):
    raw = struct.pack(">I", magic) + struct.pack(">" + "I" * arr.ndim, *arr.shape) + arr.astype("uint8").tobytes()
    if gz:
        with gzip.open(path, "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


def _mnist_files(root, prefix, n, seed, gz=True):
    rs = onp.random.RandomState(seed)
    images = rs.randint(0, 256, (n, 28, 28)).astype("uint8")
    labels = rs.randint(0, 10, n).astype("uint8")
    ext = ".gz" if gz else ""
    _write_idx(root / f"{prefix}-images-idx3-ubyte{ext}", images, 2051, gz)
    _write_idx(root / f"{prefix}-labels-idx1-ubyte{ext}", labels, 2049, gz)
    return images, labels


@pytest.mark.parametrize("cls", [MNIST, FashionMNIST])
def test_mnist(tmp_path, cls):
    images, labels = _mnist_files(tmp_path, "train", 5, 0)
    timages, tlabels = _mnist_files(tmp_path, "t10k", 3, 1, gz=False)  # uncompressed files work too
    ds = cls(root=str(tmp_path))
    assert len(ds) == 5
    img, label = ds[2]
    assert isinstance(img, nd.NDArray) and img.shape == (28, 28, 1) and img.dtype == onp.uint8
    onp.testing.assert_array_equal(img.asnumpy()[:, :, 0], images[2])
    assert label == labels[2] and ds._label.dtype == onp.int32  # MXNet: a NumPy int32 label
    test = cls(root=str(tmp_path), train=False)
    assert len(test) == 3
    onp.testing.assert_array_equal(test[1][0].asnumpy()[:, :, 0], timages[1])
    assert test[1][1] == tlabels[1]


def test_mnist_np_mode_and_transform_first(tmp_path, np_mode):
    images, labels = _mnist_files(tmp_path, "train", 4, 2)
    ds = MNIST(root=str(tmp_path))
    img, label = ds[0]
    assert isinstance(img, mx.np.ndarray) and isinstance(label, mx.np.ndarray) and label.dtype == onp.int32
    t = ds.transform_first(transforms.ToTensor())
    x, y = t[3]
    assert x.shape == (1, 28, 28) and x.dtype == onp.float32
    onp.testing.assert_allclose(x.asnumpy()[0], images[3] / 255.0, rtol=1e-6)
    assert int(y) == labels[3]
    batch = next(iter(gluon.data.DataLoader(t, batch_size=4)))
    assert batch[0].shape == (4, 1, 28, 28)


def test_mnist_errors(tmp_path):
    with pytest.raises(mx.MXNetError, match="train-images-idx3-ubyte.gz.*does not download"):
        MNIST(root=str(tmp_path))
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", onp.zeros((2, 28, 28)), 2049, True)  # wrong magic
    _write_idx(tmp_path / "train-labels-idx1-ubyte.gz", onp.zeros(2), 2049, True)
    with pytest.raises(mx.MXNetError, match="not an idx file"):
        MNIST(root=str(tmp_path))
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", onp.zeros((3, 28, 28)), 2051, True)
    with pytest.raises(mx.MXNetError, match="3 images but 2 labels"):
        MNIST(root=str(tmp_path))


def _cifar_file(path, n, seed, label_bytes):
    rs = onp.random.RandomState(seed)
    chw = rs.randint(0, 256, (n, 3, 32, 32)).astype("uint8")
    labels = rs.randint(0, 20, (n, label_bytes)).astype("uint8")
    path.write_bytes(onp.concatenate([labels, chw.reshape(n, -1)], axis=1).tobytes())
    return chw.transpose(0, 2, 3, 1), labels


def test_cifar10(tmp_path):
    parts = [_cifar_file(tmp_path / f"data_batch_{i}.bin", 2, i, 1) for i in range(1, 6)]
    timg, tlab = _cifar_file(tmp_path / "test_batch.bin", 3, 9, 1)
    ds = CIFAR10(root=str(tmp_path))
    assert len(ds) == 10
    img, label = ds[7]  # batch 4, second record
    assert img.shape == (32, 32, 3) and img.dtype == onp.uint8
    onp.testing.assert_array_equal(img.asnumpy(), parts[3][0][1])
    assert label == parts[3][1][1, 0] and ds._label.dtype == onp.int32
    test = CIFAR10(root=str(tmp_path), train=False)
    onp.testing.assert_array_equal(test[2][0].asnumpy(), timg[2])
    assert test[2][1] == tlab[2, 0]


def test_cifar100_labels(tmp_path):
    img, lab = _cifar_file(tmp_path / "train.bin", 4, 3, 2)
    coarse = CIFAR100(root=str(tmp_path))
    fine = CIFAR100(root=str(tmp_path), fine_label=True)
    onp.testing.assert_array_equal(coarse[1][0].asnumpy(), img[1])
    assert coarse[1][1] == lab[1, 0] and fine[1][1] == lab[1, 1]


def test_cifar_errors(tmp_path):
    with pytest.raises(mx.MXNetError, match="data_batch_1.bin.*cifar-10-binary"):
        CIFAR10(root=str(tmp_path))
    (tmp_path / "test.bin").write_bytes(b"\0" * 100)
    with pytest.raises(mx.MXNetError, match="not a CIFAR binary batch"):
        CIFAR100(root=str(tmp_path), train=False)


def test_image_folder(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    rs = onp.random.RandomState(0)
    imgs = {}
    for cls in ("cat", "bus"):
        (tmp_path / cls).mkdir()
        for i in range(2):
            arr = rs.randint(0, 256, (5, 6, 3)).astype("uint8")
            Image.fromarray(arr).save(tmp_path / cls / f"{i}.png")
            imgs[(cls, i)] = arr
    (tmp_path / "cat" / "notes.txt").write_text("x")
    (tmp_path / "README").write_text("x")
    with pytest.warns(UserWarning):
        ds = ImageFolderDataset(str(tmp_path))
    assert ds.synsets == ["bus", "cat"] and len(ds) == 4
    img, label = ds[3]
    assert label == 1 and img.shape == (5, 6, 3)
    onp.testing.assert_array_equal(img.asnumpy(), imgs[("cat", 1)])
    with pytest.warns(UserWarning):
        gray = ImageFolderDataset(str(tmp_path), flag=0)
    assert gray[0][0].shape == (5, 6, 1)
    with pytest.raises(mx.MXNetError, match="not a directory"):
        ImageFolderDataset(str(tmp_path / "nope"))


# --- transforms ----------------------------------------------------------------------------


def _small():
    return onp.array(FIX["small"], dtype="uint8")


def test_to_tensor_normalize_blocks_match_mxnet():
    x = nd.array(_small(), dtype="uint8")
    t = transforms.ToTensor()(x)
    onp.testing.assert_allclose(t.asnumpy(), FIX["to_tensor"], rtol=1e-6)
    n = transforms.Normalize(FIX["mean"], FIX["std"])(t)
    onp.testing.assert_allclose(n.asnumpy(), FIX["normalize"], rtol=1e-5)
    batch = nd.array(onp.array(FIX["batch"], dtype="uint8"), dtype="uint8")
    composed = transforms.Compose([transforms.ToTensor(), transforms.Normalize(FIX["mean"], FIX["std"])])
    onp.testing.assert_allclose(composed(batch).asnumpy(), FIX["normalize_batch"], rtol=1e-5)


def test_transforms_np_mode(np_mode):
    x = mx.np.array(_small(), dtype="uint8")
    for block in (transforms.ToTensor(), transforms.Resize(3), transforms.CenterCrop(3), transforms.Cast()):
        assert isinstance(block(x), mx.np.ndarray)
    onp.testing.assert_allclose(transforms.ToTensor()(x).asnumpy(), FIX["to_tensor"], rtol=1e-6)


def test_resize_crop_cast():
    img = _small()
    x = nd.array(img, dtype="uint8")
    assert transforms.Resize(3)(x).shape == (3, 3, 3)
    assert transforms.Resize(3, keep_ratio=True)(x).shape == (3, 3, 3)
    assert transforms.Resize((6, 2))(x).shape == (2, 6, 3)
    onp.testing.assert_array_equal(
        transforms.Resize((6, 2), interpolation=0)(x).asnumpy(), mx.image.imresize(x, 6, 2, interp=0).asnumpy()
    )
    batch = nd.array(onp.stack([img, img]), dtype="uint8")
    assert transforms.Resize((2, 3))(batch).shape == (2, 3, 2, 3)
    onp.testing.assert_array_equal(transforms.CenterCrop((3, 2))(x).asnumpy(), img[1:3, 1:4])
    onp.testing.assert_array_equal(transforms.CropResize(1, 1, 2, 2)(x).asnumpy(), img[1:3, 1:3])
    assert transforms.CropResize(1, 1, 2, 2, size=(3, 3), interpolation=1)(batch).shape == (2, 3, 3, 3)
    assert transforms.RandomResizedCrop(3)(x).shape == (3, 3, 3)
    c = transforms.Cast("float64")(x)
    assert c.dtype == onp.float64
    onp.testing.assert_array_equal(c.asnumpy(), img)


def test_random_flips_are_seeded_and_exact():
    img = _small()
    x = nd.array(img, dtype="uint8")
    for block, flipped in (
        (transforms.RandomFlipLeftRight(), img[:, ::-1]),
        (transforms.RandomFlipTopBottom(), img[::-1]),
    ):
        mx.random.seed(7)
        outs = [block(x).asnumpy() for _ in range(30)]
        n_flipped = sum(onp.array_equal(o, flipped) for o in outs)
        assert all(onp.array_equal(o, img) or onp.array_equal(o, flipped) for o in outs)
        assert 5 < n_flipped < 25
        mx.random.seed(7)
        assert all(onp.array_equal(block(x).asnumpy(), o) for o in outs)


def test_random_apply_and_compose_structure():
    x = nd.array(_small(), dtype="uint8")
    always = transforms.RandomApply(transforms.Cast("float64"), p=1.0)
    never = transforms.RandomApply(transforms.Cast("float64"), p=0.0)
    assert always(x).dtype == onp.float64 and never(x).dtype == onp.uint8
    comp = transforms.Compose([transforms.CenterCrop(3), transforms.ToTensor(), transforms.Normalize(0.5, 0.5)])
    assert len(comp) == 2 and isinstance(comp[1], gluon.nn.HybridSequential)
    out = comp(x)
    expect = (_small()[0:3, 1:4].transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    onp.testing.assert_allclose(out.asnumpy(), expect, rtol=1e-5, atol=1e-6)


def test_transform_errors():
    x = nd.array(_small(), dtype="uint8")
    with pytest.raises(mx.MXNetError, match="channels"):
        transforms.Normalize((0.1, 0.2), (1, 1))(transforms.ToTensor()(x))
    with pytest.raises(mx.MXNetError, match="float"):
        transforms.Normalize(0.5, 0.5)(x)
    with pytest.raises(mx.MXNetError, match="dimension"):
        transforms.ToTensor()(nd.zeros((3, 4)))
    with pytest.raises(mx.MXNetError, match="H, W, C"):
        transforms.CenterCrop(2)(nd.zeros((2, 4, 5, 3)))  # MXNet 1.9.1: a ValueError while unpacking
    with pytest.raises(mx.MXNetError, match="not inside"):
        transforms.CropResize(4, 1, 2, 2)(x)


def test_compose_keeps_host_computed_transforms_out_of_hybridized_chains(np_mode):
    # d2l's load_data_fashion_mnist(resize=64): Resize then ToTensor on a (28, 28, 1) image.
    for trans in (
        transforms.Compose([transforms.Resize(64), transforms.ToTensor()]),
        transforms.Compose([transforms.Cast(), transforms.RandomFlipLeftRight(), transforms.ToTensor()]),
    ):
        for _ in range(2):  # the second call replays whatever was hybridized
            out = trans(mx.np.zeros((28, 28, 1), dtype="uint8"))
        assert out.shape in ((1, 64, 64), (1, 28, 28))
