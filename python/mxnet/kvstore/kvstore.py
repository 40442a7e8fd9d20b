"""The store itself, for one process (``'local'``, ``'device'``) and, through the hooks that
dist.py fills in (``_sum_into``, ``_broadcast_init``, ``_check_init``), for several processes on MPI.

Values are moved as NumPy views of the arrays' own buffers (DLPack, no copy). Pushes of a
key's list are summed. With an optimizer set by ``set_optimizer`` the store keeps its own
weights and updates them on every push. Without one it keeps no copy, as MXNet's store: after
``push`` of one array the stored value *is* that array (a later write to it shows in ``pull``),
a list is summed into the store's own buffer."""

import numpy as _onp

from ..base import MXNetError, NotSupportedError
from .base import KVStoreBase

__all__ = ["KVStore"]


_ARRAY_TYPES = None


def _is_array(x):
    global _ARRAY_TYPES
    if _ARRAY_TYPES is None:
        from ..ndarray import NDArray
        from ..numpy import ndarray

        _ARRAY_TYPES = (NDArray, ndarray)
    return isinstance(x, _ARRAY_TYPES)


def _view(arr):
    """A NumPy array sharing ``arr``'s memory (writable where NumPy reads DLPack 1.x)."""
    return _onp.from_dlpack(arr)


def _write(arr, src):
    """``arr[...] = src`` for a NumPy ``src``, straight into the buffer when possible."""
    v = _view(arr)
    if v.flags.writeable:
        _onp.copyto(v, src, casting="unsafe")
    else:
        arr[...] = src  # an engine copy from NumPy


def _local_sum(views, out):
    """``out[...] = sum(views)`` (``out`` may be one of them)."""
    if len(views) == 1:
        if views[0] is not out:
            _onp.copyto(out, views[0])
        return
    _onp.add(views[0], views[1], out=out)
    for v in views[2:]:
        _onp.add(out, v, out=out)


def _check_key(key):
    if isinstance(key, (bool, _onp.bool_)):
        raise TypeError(f"KVStore: a key must be an int or a str, got {key!r}")
    if isinstance(key, (int, _onp.integer)):
        return int(key), int
    if isinstance(key, str):
        return key, str
    raise TypeError(f"KVStore: a key must be an int or a str, got {type(key).__name__} {key!r}")


def _key_value(fn, key, value):
    """(key, [arrays]) pairs from MXNet's forms: one key with an array or a list of arrays
    (one per context), or a list of keys with a list of those."""
    if not isinstance(key, (list, tuple)):
        key, value = [key], [value]
    elif not isinstance(value, (list, tuple)) or len(value) != len(key):
        got = len(value) if isinstance(value, (list, tuple)) else type(value).__name__
        raise ValueError(f"KVStore.{fn}: {len(key)} keys need a list of {len(key)} values, got {got}")
    pairs = []
    for k, v in zip(key, value):
        if _is_array(v):
            pairs.append((k, [v]))
        elif isinstance(v, (list, tuple)) and v and all(_is_array(a) for a in v):
            pairs.append((k, list(v)))
        elif isinstance(k, (list, tuple)):
            pairs.extend(_key_value(fn, k, v))
        else:
            raise TypeError(
                f"KVStore.{fn}: the value of key {k!r} must be an NDArray or a list of NDArrays, got {type(v).__name__}"
            )
    return pairs


class KVStore(KVStoreBase):
    """A key-value store in this process: ``'local'`` or ``'device'`` (the same on CPU)."""

    def __init__(self, name="local"):
        self._type = name
        self._store = {}  # key -> its current value: the store's own array, or (no optimizer) a pushed one
        self._own = {}  # key -> the store's own array (a copy made by init)
        self._merge = {}  # key -> the buffer a push is summed into before the optimizer reads it
        self._key_type = None
        self._updater = None
        self._optimizer = None
        self._key_names = {}  # key -> a name for messages (the Trainer gives parameter names)

    # ---- what a multi-process store overrides -----------------------------------------
    _ALIAS_SINGLE_PUSH = True  # one process: the sum of one array is that array (MXNet keeps it)

    def _sum_into(self, items):
        """For each (arrays, out): ``out`` (an array, which may be ``arrays[0]``) receives the
        sum of ``arrays`` (and, across processes, over every rank)."""
        for arrays, out in items:
            views = [_view(a) for a in arrays]
            dst = views[0] if out is arrays[0] else _view(out)
            if dst.flags.writeable:
                _local_sum(views, dst)
            else:
                total = _onp.empty_like(dst)
                _local_sum(views, total)
                out[...] = total

    def _broadcast_init(self, keys):
        """After ``init`` stored ``keys``: make every process hold rank 0's values."""

    def _check_init(self, pairs):
        """Across processes: every rank inits the same keys with the same shapes and dtypes."""

    # ---- helpers ------------------------------------------------------------------------
    def _name(self, key):
        name = self._key_names.get(key)
        return f"key {key!r}" + (f" (Parameter '{name}')" if name else "")

    def _typed(self, fn, key):
        key, kind = _check_key(key)
        if self._key_type is None:
            self._key_type = kind
        elif self._key_type is not kind:
            raise MXNetError(
                f"KVStore.{fn}: mixed key types are not allowed: the store has {self._key_type.__name__} keys, "
                f"got {key!r}"
            )
        return key

    def _stored(self, fn, key, arrays):
        """The checked key (its store must hold it, with the shape of every array)."""
        kind = type(key)
        if kind is not self._key_type or (kind is not int and kind is not str):
            key = self._typed(fn, key)
        own = self._own.get(key)
        if own is None:
            raise MXNetError(f"KVStore.{fn}: {self._name(key)} doesn't exist. Did you init?")
        shape = own.shape
        for a in arrays:
            if a.shape != shape:
                raise MXNetError(
                    f"KVStore.{fn}: {self._name(key)} holds shape {tuple(shape)}, got an array of shape "
                    f"{tuple(a.shape)}"
                )
        return key

    def _merge_buffer(self, key):
        buf = self._merge.get(key)
        if buf is None:
            buf = self._merge[key] = self._own[key].copy()
        return buf

    # ---- the API ----------------------------------------------------------------------
    @property
    def type(self):
        """The store's type, as given to ``create``."""
        return self._type

    @property
    def rank(self):
        """This process's index among the workers (0 in one process)."""
        return 0

    @property
    def num_workers(self):
        """How many processes share the store (1 here)."""
        return 1

    @staticmethod
    def is_capable(capability):
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return True
        raise MXNetError(f"KVStore.is_capable: unknown capability {capability!r}")

    def init(self, key, value):
        """Initialises one key or a list of keys with their values (a key can be initialised
        once). Across processes the values of rank 0 are kept, after checking that every rank
        gives the same keys, shapes and dtypes."""
        pairs = _key_value("init", key, value)
        typed, seen = [], set()
        for k, arrays in pairs:
            k = self._typed("init", k)
            if len(arrays) != 1:
                raise ValueError(f"KVStore.init: {self._name(k)} needs one value, got a list of {len(arrays)}")
            if k in self._own or k in seen:
                raise MXNetError(f"KVStore.init: duplicate init of {self._name(k)}")
            seen.add(k)
            typed.append((k, arrays))
        self._check_init(typed)
        for k, arrays in typed:
            self._own[k] = self._store[k] = arrays[0].copy()
        self._broadcast_init([k for k, _ in typed])

    def push(self, key, value, priority=0):
        """Pushes values: a key's list is summed (and, across processes, summed over all of
        them); the optimizer, if set, then updates the stored value, else the sum replaces it."""
        pairs = [(self._stored("push", k, arrays), arrays) for k, arrays in _key_value("push", key, value)]
        if self._updater is not None:
            merged = []
            items = []
            for k, arrays in pairs:
                if len(arrays) == 1 and self._ALIAS_SINGLE_PUSH:
                    merged.append(arrays[0])  # the sum of one array, read by the optimizer
                else:
                    buf = self._merge_buffer(k)
                    items.append((arrays, buf))
                    merged.append(buf)
            self._sum_into(items)
            for (k, _), m in zip(pairs, merged):
                self._updater(k, m, self._own[k])
            return
        items = []
        for k, arrays in pairs:
            if len(arrays) == 1 and self._ALIAS_SINGLE_PUSH:
                self._store[k] = arrays[0]
            else:
                self._store[k] = self._own[k]
                items.append((arrays, self._own[k]))
        self._sum_into(items)

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copies the stored values into ``out`` (an array or a list of arrays per key)."""
        if out is None:
            raise ValueError("KVStore.pull: out must be given (an NDArray or a list of NDArrays)")
        for k, arrays in _key_value("pull", key, out):
            k = self._stored("pull", k, arrays)
            stored = self._store[k]
            src = None
            for a in arrays:
                if a is not stored:
                    if src is None:
                        src = _view(stored)
                    _write(a, src)

    def pushpull(self, key, value, out=None, priority=0):
        """``push(key, value)`` then ``pull(key, out)``; without ``out`` the result is written
        back into ``value``."""
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority)

    def broadcast(self, key, value, out, priority=0):
        """``init(key, value)`` (rank 0's value across processes) then ``pull(key, out)``."""
        self.init(key, value)
        self.pull(key, out, priority)

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        raise NotSupportedError("KVStore.row_sparse_pull: mxlite has no row_sparse arrays")

    def set_gradient_compression(self, compression_params):
        raise NotSupportedError(
            f"KVStore.set_gradient_compression: gradient compression is not supported for kvstore type "
            f"{self._type!r} in mxlite (got {compression_params!r}); gradients are sent uncompressed"
        )

    def set_optimizer(self, optimizer):
        """Applies ``optimizer`` to the stored values on every push (its states live in the
        store; across processes every rank applies the same update to the same values)."""
        from .. import optimizer as opt

        if not isinstance(optimizer, opt.Optimizer):
            raise TypeError(f"KVStore.set_optimizer: expected an Optimizer, got {type(optimizer).__name__}")
        self._optimizer = optimizer
        self._set_updater(opt.get_updater(optimizer))

    def _set_updater(self, updater):
        """Sets ``updater(key, merged, stored)``, called on every push. The optimizer updates
        the store's own arrays: a value that is a pushed array is copied into them first."""
        for k, value in self._store.items():
            own = self._own[k]
            if value is not own:
                _write(own, _view(value))
                self._store[k] = own
        self._updater = updater

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Writes the store's optimizer states to ``fname``."""
        if self._updater is None:
            raise MXNetError("KVStore.save_optimizer_states: no optimizer is set (call set_optimizer first)")
        with open(fname, "wb") as f:
            f.write(self._updater.get_states(dump_optimizer))

    def load_optimizer_states(self, fname):
        """Reads optimizer states written by save_optimizer_states."""
        if self._updater is None:
            raise MXNetError("KVStore.load_optimizer_states: no optimizer is set (call set_optimizer first)")
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    def _barrier(self):
        """Waits until every worker reaches it (nothing to wait for in one process)."""

    def barrier(self):
        """Same as ``_barrier`` (MXNet's name)."""
        self._barrier()
