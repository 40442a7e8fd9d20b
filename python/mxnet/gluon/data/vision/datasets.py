"""Image datasets read from local files (MXNet 1.9.1's ``gluon.data.vision.datasets``).

mxlite never downloads: MNIST, FashionMNIST, CIFAR10 and CIFAR100 read the files MXNet would
have downloaded from ``root`` (default ``$MXNET_HOME/datasets/<name>``, i.e.
``~/.mxnet/datasets/<name>``), and raise ``MXNetError`` naming the missing files and the
directory to put them in."""

import gzip
import os
import struct
import warnings

import numpy as _onp

from .... import base, image
from .... import ndarray as _nd
from .... import numpy as _mnp
from ....base import MXNetError
from ....util import is_np_array
from ..dataset import Dataset

# Default roots, fixed at import as in MXNet ($MXNET_HOME/datasets/<name>).
_MNIST_ROOT = os.path.join(base.data_dir(), "datasets", "mnist")
_FASHION_ROOT = os.path.join(base.data_dir(), "datasets", "fashion-mnist")
_CIFAR10_ROOT = os.path.join(base.data_dir(), "datasets", "cifar10")
_CIFAR100_ROOT = os.path.join(base.data_dir(), "datasets", "cifar100")

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageFolderDataset"]


def _array(values):
    return (_mnp.array if is_np_array() else _nd.array)(values, dtype=values.dtype)


class _DownloadedDataset(Dataset):
    """Samples (data[i], label[i]) of arrays loaded once by ``_get_data``."""

    def __init__(self, root, transform):
        self._transform = transform
        self._data = None
        self._label = None
        self._root = os.path.expanduser(root)
        self._get_data()

    def __getitem__(self, idx):
        if self._transform is not None:
            return self._transform(self._data[idx], self._label[idx])
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)

    def _missing(self, names, source):
        raise MXNetError(
            f"{type(self).__name__}: missing {', '.join(names)} in {self._root}. mxlite does not download "
            f"datasets: put the files of {source} in that directory (or pass root=...)"
        )

    def _get_data(self):
        raise NotImplementedError


class MNIST(_DownloadedDataset):
    """MNIST handwritten digits: (28, 28, 1) uint8 images and int32 labels, read from the idx files
    ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz`` (``t10k-...`` for
    ``train=False``) in ``root``; uncompressed files without ``.gz`` are read too."""

    _source = "http://yann.lecun.com/exdb/mnist"

    def __init__(self, root=_MNIST_ROOT, train=True, transform=None):
        self._train = train
        super().__init__(root, transform)

    def _find(self, name):
        for candidate in (name, name[: -len(".gz")]):
            path = os.path.join(self._root, candidate)
            if os.path.isfile(path):
                return path
        return None

    @staticmethod
    def _read(path, magic, header):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = f.read()
        if len(raw) < 4 * header or struct.unpack(">I", raw[:4])[0] != magic:
            raise MXNetError(f"MNIST: {path} is not an idx file (expected magic number {magic})")
        dims = struct.unpack(">" + "I" * (header - 1), raw[4 : 4 * header])
        values = _onp.frombuffer(raw, dtype=_onp.uint8, offset=4 * header)
        if values.size != int(_onp.prod(dims)):
            raise MXNetError(f"MNIST: {path} holds {values.size} bytes of data, its header says {dims}")
        return values.reshape(dims)

    def _get_data(self):
        prefix = "train" if self._train else "t10k"
        names = (f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz")
        paths = [self._find(n) for n in names]
        missing = [n for n, p in zip(names, paths) if p is None]
        if missing:
            self._missing(missing, self._source)
        images = self._read(paths[0], 2051, 4)
        labels = self._read(paths[1], 2049, 2).astype(_onp.int32)
        if len(images) != len(labels):
            raise MXNetError(f"{type(self).__name__}: {len(images)} images but {len(labels)} labels in {self._root}")
        self._data = _array(images.reshape(len(labels), images.shape[1], images.shape[2], 1))
        self._label = _array(labels) if is_np_array() else labels


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando's clothing images), MNIST's format and file names, default root
    ``$MXNET_HOME/datasets/fashion-mnist``."""

    _source = "https://github.com/zalandoresearch/fashion-mnist"

    def __init__(self, root=_FASHION_ROOT, train=True, transform=None):
        super().__init__(root, train, transform)


class CIFAR10(_DownloadedDataset):
    """CIFAR-10: (32, 32, 3) uint8 images and int32 labels from the binary batches
    ``data_batch_1.bin`` .. ``data_batch_5.bin`` (``test_batch.bin`` for ``train=False``) of
    cifar-10-binary.tar.gz, extracted into ``root``."""

    _source = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (extracted, without its folder)"
    _label_bytes = 1

    def __init__(self, root=_CIFAR10_ROOT, train=True, transform=None):
        self._train = train
        super().__init__(root, transform)

    def _files(self):
        if self._train:
            return [f"data_batch_{i}.bin" for i in range(1, 6)]
        return ["test_batch.bin"]

    def _label_column(self):
        return 0

    def _read_batch(self, path):
        record = 3072 + self._label_bytes
        with open(path, "rb") as f:
            raw = _onp.frombuffer(f.read(), dtype=_onp.uint8)
        if raw.size % record:
            raise MXNetError(f"{type(self).__name__}: {path} is not a CIFAR binary batch ({record}-byte records)")
        raw = raw.reshape(-1, record)
        data = raw[:, self._label_bytes :].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return data, raw[:, self._label_column()].astype(_onp.int32)

    def _get_data(self):
        names = self._files()
        missing = [n for n in names if not os.path.isfile(os.path.join(self._root, n))]
        if missing:
            self._missing(missing, self._source)
        parts = [self._read_batch(os.path.join(self._root, n)) for n in names]
        data = _onp.concatenate([p[0] for p in parts])
        label = _onp.concatenate([p[1] for p in parts])
        self._data = _array(data)
        self._label = _array(label) if is_np_array() else label


class CIFAR100(CIFAR10):
    """CIFAR-100 from ``train.bin`` / ``test.bin`` of cifar-100-binary.tar.gz: coarse labels (20
    super-classes) unless ``fine_label=True`` (100 classes)."""

    _source = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz (extracted, without its folder)"
    _label_bytes = 2

    def __init__(self, root=_CIFAR100_ROOT, fine_label=False, train=True, transform=None):
        self._fine_label = fine_label
        super().__init__(root, train, transform)

    def _files(self):
        return ["train.bin"] if self._train else ["test.bin"]

    def _label_column(self):
        return 1 if self._fine_label else 0


class ImageFolderDataset(Dataset):
    """Images in ``root/<class name>/<file>.jpg|.jpeg|.png``: classes sorted by name give labels 0, 1,
    ...; samples are (image, label), decoded with ``flag`` (1 color, 0 grayscale).
    ``synsets`` lists the class names, ``items`` the (filename, label) pairs."""

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._transform = transform
        self._exts = [".jpg", ".jpeg", ".png"]
        if not os.path.isdir(self._root):
            raise MXNetError(f"ImageFolderDataset: {self._root} is not a directory")
        self._list_images(self._root)

    def _list_images(self, root):
        self.synsets = []
        self.items = []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn("Ignoring %s, which is not a directory." % path, stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn(
                        "Ignoring %s of type %s. Only support %s" % (filename, ext, ", ".join(self._exts)), stacklevel=3
                    )
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        img = image.imread(self.items[idx][0], self._flag)
        label = self.items[idx][1]
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self):
        return len(self.items)
