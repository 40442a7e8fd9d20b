"""Samplers: iterables of dataset indices (or of index batches), as in MXNet 1.9.1."""

import numpy as _onp

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "FilterSampler", "BatchSampler", "SplitSampler"]

_LAST_BATCH_MODES = ("keep", "discard", "rollover")


class Sampler:
    """Base class: iterating yields sample indices; ``len`` is how many."""

    def __iter__(self):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    """The indices ``start, start + 1, ..., start + length - 1`` in order."""

    def __init__(self, length, start=0):
        self._length = length
        self._start = start

    def __iter__(self):
        return iter(range(self._start, self._start + self._length))

    def __len__(self):
        return self._length


class RandomSampler(Sampler):
    """A fresh random permutation of ``0 .. length-1`` on every iteration (NumPy's global RNG,
    like MXNet, so ``numpy.random.seed`` makes it reproducible)."""

    def __init__(self, length):
        self._length = length

    def __iter__(self):
        order = _onp.random.permutation(self._length)
        return iter(order.tolist())

    def __len__(self):
        return self._length


class FilterSampler(Sampler):
    """The indices of the samples of ``dataset`` for which ``fn(sample)`` is true."""

    def __init__(self, fn, dataset):
        self._fn = fn
        self._dataset = dataset
        self._indices = []
        for i in range(len(dataset)):
            if fn(dataset[i]):
                self._indices.append(i)

    def __iter__(self):
        return iter(self._indices)

    def __len__(self):
        return len(self._indices)


class BatchSampler(Sampler):
    """Groups the indices of ``sampler`` into lists of ``batch_size``.

    ``last_batch``: ``'keep'`` yields a short final batch, ``'discard'`` drops it, ``'rollover'``
    carries its indices to the front of the next iteration.
    """

    def __init__(self, sampler, batch_size, last_batch="keep"):
        self._sampler = sampler
        self._batch_size = batch_size
        self._last_batch = last_batch
        self._prev = []

    def _bad_mode(self):
        return ValueError("last_batch must be one of 'keep', 'discard', or 'rollover', but got %s" % self._last_batch)

    def __iter__(self):
        current = self._prev
        self._prev = []
        for idx in self._sampler:
            current.append(idx)
            if len(current) == self._batch_size:
                yield current
                current = []
        if not current:
            return
        if self._last_batch == "keep":
            yield current
        elif self._last_batch == "rollover":
            self._prev = current
        elif self._last_batch != "discard":
            raise self._bad_mode()

    def __len__(self):
        n, b = len(self._sampler), self._batch_size
        if self._last_batch == "keep":
            return -(-n // b)
        if self._last_batch == "discard":
            return n // b
        if self._last_batch == "rollover":
            return (n + len(self._prev)) // b
        raise self._bad_mode()


class SplitSampler(Sampler):
    """Part ``part_index`` of ``num_parts`` equal, contiguous parts of ``0 .. length-1`` (the
    last ``length % num_parts`` indices are left out so every part has the same length, and so
    every process of a data-parallel job runs the same number of steps); ``shuffle`` permutes the
    part on every iteration. Give each rank its shard with
    ``SplitSampler(len(dataset), kv.num_workers, kv.rank)``."""

    def __init__(self, length, num_parts=1, part_index=0, shuffle=False):
        if num_parts < 1 or not 0 <= part_index < num_parts:
            raise ValueError(f"SplitSampler: part_index must be in [0, {num_parts}), got {part_index}")
        self._part_len = length // num_parts
        self._start = self._part_len * part_index
        self._shuffle = shuffle

    def __iter__(self):
        indices = _onp.arange(self._start, self._start + self._part_len)
        if self._shuffle:
            _onp.random.shuffle(indices)
        return iter(indices.tolist())

    def __len__(self):
        return self._part_len
