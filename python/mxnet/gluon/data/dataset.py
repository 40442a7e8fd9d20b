"""Datasets: indexable collections of samples, as in MXNet 1.9.1's ``gluon.data``."""

from ... import ndarray as _nd
from ... import numpy as _mnp

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset"]


class Dataset:
    """Abstract dataset: subclasses define ``__getitem__`` and ``__len__``."""

    def __getitem__(self, idx):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def filter(self, fn):
        """The samples for which ``fn(sample)`` is true (decided once, now)."""
        from .sampler import FilterSampler

        return _SampledDataset(self, FilterSampler(fn, self))

    def shard(self, num_shards, index):
        """Shard ``index`` of ``num_shards`` contiguous shards; the first ``len % num_shards``
        shards get one extra sample."""
        assert index < num_shards, "Shard index of out bound: %d out of %d" % (index, num_shards)
        assert num_shards > 0, "Number of shards must be greater than 0"
        assert index >= 0, "Index must be non-negative"
        base, extra = divmod(len(self), num_shards)
        begin = base * index + min(index, extra)
        size = base + (1 if index < extra else 0)
        from .sampler import SequentialSampler

        return _SampledDataset(self, SequentialSampler(size, begin))

    def take(self, count):
        """The first ``count`` samples (all of them if ``count`` is None or too large)."""
        n = len(self)
        if count is None or count > n:
            count = n
        from .sampler import SequentialSampler

        return _SampledDataset(self, SequentialSampler(count))

    def sample(self, sampler):
        """The samples at the indices ``sampler`` yields."""
        from .sampler import Sampler

        if not isinstance(sampler, Sampler):
            raise TypeError("Invalid sampler type: %s. Expected gluon.data.Sampler instead." % type(sampler))
        return _SampledDataset(self, sampler)

    def transform(self, fn, lazy=True):
        """Each sample passed through ``fn`` (tuple samples are unpacked into its arguments);
        ``lazy=False`` transforms everything now into a SimpleDataset."""
        out = _LazyTransformDataset(self, fn)
        if lazy:
            return out
        return SimpleDataset([out[i] for i in range(len(out))])

    def transform_first(self, fn, lazy=True):
        """Like ``transform`` but ``fn`` only sees (and replaces) the first field of each sample."""
        return self.transform(_FirstFieldFn(fn), lazy)


class SimpleDataset(Dataset):
    """Wraps any object with ``len()`` and ``[]``."""

    def __init__(self, data):
        self._data = data

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        return self._data[idx]


class _LazyTransformDataset(Dataset):
    def __init__(self, data, fn):
        self._data = data
        self._fn = fn

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        sample = self._data[idx]
        return self._fn(*sample) if isinstance(sample, tuple) else self._fn(sample)


class _FirstFieldFn:
    """A picklable callable (worker processes need it) applying ``fn`` to the first field."""

    def __init__(self, fn):
        self._fn = fn

    def __call__(self, first, *rest):
        if not rest:
            return self._fn(first)
        return (self._fn(first),) + rest


class _SampledDataset(Dataset):
    def __init__(self, dataset, sampler):
        self._dataset = dataset
        self._sampler = sampler
        self._indices = list(sampler)

    def __len__(self):
        return len(self._sampler)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]


class ArrayDataset(Dataset):
    """Zips equal-length dataset-like objects (arrays, lists, Datasets): sample ``i`` is
    ``(a[i], b[i], ...)``, or just ``a[i]`` for a single one."""

    def __init__(self, *args):
        assert len(args) > 0, "Needs at least 1 arrays"
        self._length = len(args[0])
        self._data = []
        for pos, arr in enumerate(args):
            assert len(arr) == self._length, (
                "All arrays must have the same length; array[0] has length %d while array[%d] has %d."
                % (self._length, pos + 1, len(arr))
            )
            # As MXNet, 1-D mx arrays (nd or np) are kept as NumPy so that a sample is a NumPy scalar.
            if isinstance(arr, (_nd.NDArray, _mnp.ndarray)) and len(arr.shape) == 1:
                arr = arr.asnumpy()
            self._data.append(arr)

    def __getitem__(self, idx):
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(arr[idx] for arr in self._data)

    def __len__(self):
        return self._length
