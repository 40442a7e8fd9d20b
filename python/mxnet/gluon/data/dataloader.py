"""DataLoader: mini-batches from a Dataset, in the main process or in worker processes/threads
(MXNet 1.9.1's ``gluon.data.DataLoader``)."""

import multiprocessing
import multiprocessing.pool
import signal

import numpy as _onp

from ... import ndarray as _nd
from ... import numpy as _mnp
from ...util import is_np_array, is_np_shape, reset_np, set_np
from . import sampler as _sampler

__all__ = ["DataLoader", "default_batchify_fn", "default_mp_batchify_fn"]


def _is_mx_array(x):
    return isinstance(x, (_nd.NDArray, _mnp.ndarray))


def default_batchify_fn(data):
    """Stacks a list of samples into one batch: mx arrays are stacked along a new first axis,
    tuple samples give a list with one batch per field, anything else goes through
    ``numpy.asarray`` and becomes an mx array of its dtype. The arrays are ``mx.np`` ones under
    ``npx.set_np()`` and legacy NDArrays otherwise."""
    first = data[0]
    if _is_mx_array(first):
        if is_np_array():
            return _mnp.stack(list(data))
        return _nd.stack(*data)
    if isinstance(first, tuple):
        return [default_batchify_fn(list(field)) for field in zip(*data)]
    host = _onp.asarray(data)
    if is_np_array():
        return _mnp.array(host, dtype=host.dtype)
    return _nd.array(host, dtype=host.dtype)


def default_mp_batchify_fn(data):
    """The batchify function DataLoader uses with worker processes. MXNet stacks into shared
    memory here; mxlite sends a worker's batch to the main process by value (see ``_to_wire``),
    so the batches are those of ``default_batchify_fn``."""
    return default_batchify_fn(data)


# --- moving batches between processes ---------------------------------------------------------
# mxlite arrays live in C++ memory that does not survive pickling, so a worker process turns every
# mx array of its batch into (kind, numpy data, device) and the main process rebuilds it.


class _WireArray:
    __slots__ = ("kind", "host", "device_type", "device_id")

    def __init__(self, arr):
        self.kind = "np" if isinstance(arr, _mnp.ndarray) else "nd"
        self.host = arr.asnumpy()
        ctx = arr.ctx
        self.device_type, self.device_id = ctx.device_type, ctx.device_id

    def rebuild(self):
        from ...context import Context

        ctx = Context(self.device_type, self.device_id)
        make = _mnp.array if self.kind == "np" else _nd.array
        return make(self.host, dtype=self.host.dtype, ctx=ctx)


def _to_wire(obj):
    if _is_mx_array(obj):
        return _WireArray(obj)
    if isinstance(obj, list):
        return [_to_wire(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_to_wire(x) for x in obj)
    if isinstance(obj, dict):
        return {k: _to_wire(v) for k, v in obj.items()}
    return obj


def _from_wire(obj):
    if isinstance(obj, _WireArray):
        return obj.rebuild()
    if isinstance(obj, list):
        return [_from_wire(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_from_wire(x) for x in obj)
    if isinstance(obj, dict):
        return {k: _from_wire(v) for k, v in obj.items()}
    return obj


def _set_semantics(np_shape, np_array):
    if np_shape or np_array:
        set_np(shape=np_shape, array=np_array)
    else:
        reset_np()


# The dataset and batchify function, in each (forked) worker process: only indices go to a worker.
_worker_state = {}


def _process_worker_init(dataset, batchify_fn, np_shape, np_array):
    _worker_state["dataset"], _worker_state["batchify_fn"] = dataset, batchify_fn
    _set_semantics(np_shape, np_array)


def _process_worker_fn(indices):
    dataset = _worker_state["dataset"]
    return _to_wire(_worker_state["batchify_fn"]([dataset[i] for i in indices]))


def _thread_worker_fn(indices, batchify_fn, dataset):
    return batchify_fn([dataset[i] for i in indices])


class _MultiWorkerIter:
    """Hands batches of indices to a worker pool, keeping ``prefetch`` of them in flight, and
    returns the results in sampler order."""

    def __init__(self, loader, prefetch):
        self._loader = loader
        self._indices = iter(loader._batch_sampler)
        self._pending = {}
        self._sent = 0
        self._received = 0
        for _ in range(prefetch):
            self._push_next()

    def __len__(self):
        return len(self._loader._batch_sampler)

    def _push_next(self):
        batch = next(self._indices, None)
        if batch is None:
            return
        loader = self._loader
        if loader._thread_pool:
            job = loader._worker_pool.apply_async(_thread_worker_fn, (batch, loader._batchify_fn, loader._dataset))
        else:
            job = loader._worker_pool.apply_async(_process_worker_fn, (batch,))
        self._pending[self._sent] = job
        self._sent += 1

    def __next__(self):
        self._push_next()
        if self._received == self._sent:
            raise StopIteration
        job = self._pending.pop(self._received)
        loader = self._loader
        try:
            out = job.get(loader._timeout)
        except multiprocessing.TimeoutError:
            raise multiprocessing.TimeoutError(
                "DataLoader: a worker did not return its batch within timeout=%s seconds; "
                "increase timeout for slow transforms" % loader._timeout
            ) from None
        except BaseException:
            # The worker's exception (multiprocessing attaches the worker's traceback text as
            # __cause__); the pool is unusable for this epoch, as in MXNet.
            loader._shutdown_pool()
            raise
        self._received += 1
        return out if loader._thread_pool else _from_wire(out)

    next = __next__

    def __iter__(self):
        return self


class DataLoader:
    """Loads mini-batches of ``dataset``.

    Batches come from ``batch_sampler`` if given, else from a BatchSampler over ``sampler``
    (default: sequential, or random with ``shuffle=True``) with ``batch_size`` and ``last_batch``
    ('keep', 'discard' or 'rollover'). ``batchify_fn`` merges a list of samples into a batch
    (default ``default_batchify_fn``). ``num_workers > 0`` loads batches in that many worker
    processes (forked, so neither the dataset nor the batchify function need be picklable; what
    a custom batchify function returns must be), or threads with ``thread_pool=True``; batches come back in order, with
    ``prefetch`` (default ``2 * num_workers``) batches in flight and ``timeout`` seconds per batch.
    """

    def __init__(
        self,
        dataset,
        batch_size=None,
        shuffle=False,
        sampler=None,
        last_batch=None,
        batch_sampler=None,
        batchify_fn=None,
        num_workers=0,
        pin_memory=False,
        pin_device_id=0,
        prefetch=None,
        thread_pool=False,
        timeout=120,
        auto_reload=False,
    ):
        if pin_memory:
            raise NotImplementedError(
                "DataLoader: pin_memory=True is not supported by mxlite (it has no cpu_pinned context)"
            )
        assert timeout > 0, "timeout must be positive, given {}".format(timeout)
        self._dataset = dataset
        self._pin_memory = pin_memory
        self._pin_device_id = pin_device_id
        self._thread_pool = bool(thread_pool)
        self._timeout = timeout
        if batch_sampler is None:
            if batch_size is None:
                raise ValueError("batch_size must be specified unless batch_sampler is specified")
            if sampler is None:
                n = len(dataset)
                sampler = _sampler.RandomSampler(n) if shuffle else _sampler.SequentialSampler(n)
            elif shuffle:
                raise ValueError("shuffle must not be specified if sampler is specified")
            batch_sampler = _sampler.BatchSampler(sampler, batch_size, last_batch or "keep")
        elif batch_size is not None or shuffle or sampler is not None or last_batch is not None:
            raise ValueError(
                "batch_size, shuffle, sampler and last_batch must not be specified if batch_sampler is specified."
            )
        self._batch_sampler = batch_sampler
        self._num_workers = max(0, num_workers)
        self._prefetch = max(0, int(prefetch) if prefetch is not None else 2 * self._num_workers)
        if batchify_fn is None:
            batchify_fn = default_mp_batchify_fn if self._num_workers > 0 else default_batchify_fn
        self._batchify_fn = batchify_fn
        self._worker_pool = None
        if self._num_workers > 0:
            self._start_pool()
        self.auto_reload = auto_reload
        self._iter = None
        if auto_reload:
            self.refresh()

    def _start_pool(self):
        semantics = (is_np_shape(), is_np_array())
        if self._thread_pool:
            self._worker_pool = multiprocessing.pool.ThreadPool(
                self._num_workers, initializer=_set_semantics, initargs=semantics
            )
            return
        _nd.waitall()
        # Workers ignore Ctrl-C; the main process handles it and terminates them.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self._worker_pool = multiprocessing.get_context("fork").Pool(
                self._num_workers,
                initializer=_process_worker_init,
                initargs=(self._dataset, self._batchify_fn) + semantics,
            )
        finally:
            signal.signal(signal.SIGINT, previous)

    def _shutdown_pool(self):
        pool, self._worker_pool = self._worker_pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def _fresh_iter(self):
        if self._num_workers == 0:
            return self._same_process_iter()
        if self._worker_pool is None:  # shut down after a worker error: start again
            self._start_pool()
        return _MultiWorkerIter(self, self._prefetch)

    def _same_process_iter(self):
        for batch in self._batch_sampler:
            yield self._batchify_fn([self._dataset[i] for i in batch])

    def __iter__(self):
        if self._iter is None:
            self.refresh()
        it, self._iter = self._iter, None
        yield from it
        if self._iter is None and self.auto_reload:
            self.refresh()

    def __len__(self):
        return len(self._batch_sampler)

    def refresh(self):
        """Start (prefetching) the next epoch's iterator now."""
        self._iter = self._fresh_iter()

    def clean(self):
        """Drop a prefetched iterator; the next ``iter()`` starts a fresh one."""
        self._iter = None

    def close(self):
        """Stop the worker processes or threads (also done when the DataLoader is deleted)."""
        self._iter = None
        self._shutdown_pool()

    def __del__(self):
        try:
            self._shutdown_pool()
        except Exception:  # noqa: BLE001 - interpreter shutdown may have torn down multiprocessing
            pass
