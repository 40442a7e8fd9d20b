"""The store itself, for one process (``'local'``, ``'device'``) and, through the hooks that
dist.py fills in (``_reduce``, ``_broadcast_init``), for several processes on MPI.

Values are moved as NumPy views of the arrays' own buffers (DLPack, no copy); pushes of a
key's list are summed, an optimizer set with ``set_optimizer`` is applied to the stored value,
otherwise the sum replaces it."""

import numpy as _onp

from ..base import MXNetError, NotSupportedError
from .base import KVStoreBase

__all__ = ["KVStore"]


def _is_array(x):
    from ..ndarray import NDArray
    from ..numpy import ndarray

    return isinstance(x, (NDArray, ndarray))


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


def _check_key(key):
    if isinstance(key, (bool, _onp.bool_)):
        raise TypeError(f"KVStore: a key must be an int or a str, got {key!r}")
    if isinstance(key, (int, _onp.integer)):
        return int(key), int
    if isinstance(key, str):
        return key, str
    raise TypeError(f"KVStore: a key must be an int or a str, got {type(key).__name__} {key!r}")


def _key_value(fn, key, value, allow_none=False):
    """(key, [arrays]) pairs from MXNet's forms: one key with an array or a list of arrays
    (one per context), or a list of keys with a list of those."""
    if isinstance(key, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(key):
            got = len(value) if isinstance(value, (list, tuple)) else type(value).__name__
            raise ValueError(f"KVStore.{fn}: {len(key)} keys need a list of {len(key)} values, got {got}")
        pairs = []
        for k, v in zip(key, value):
            pairs.extend(_key_value(fn, k, v))
        return pairs
    if _is_array(value):
        return [(key, [value])]
    if isinstance(value, (list, tuple)) and value and all(_is_array(v) for v in value):
        return [(key, list(value))]
    raise TypeError(
        f"KVStore.{fn}: the value of key {key!r} must be an NDArray or a list of NDArrays, got {type(value).__name__}"
    )


class KVStore(KVStoreBase):
    """A key-value store in this process: ``'local'`` or ``'device'`` (the same on CPU)."""

    def __init__(self, name="local"):
        self._type = name
        self._store = {}
        self._key_type = None
        self._updater = None
        self._optimizer = None
        self._key_names = {}  # key -> a name for messages (the Trainer gives parameter names)

    # ---- what a multi-process store overrides -----------------------------------------
    def _reduce(self, fn, pairs):
        """For each (key, arrays): a fresh NumPy array holding the sum of the arrays."""
        out = []
        for _, arrays in pairs:
            total = _onp.array(_view(arrays[0]), copy=True)
            for a in arrays[1:]:
                total += _view(a)
            out.append(total)
        return out

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
        key = self._typed(fn, key)
        if key not in self._store:
            raise MXNetError(f"KVStore.{fn}: {self._name(key)} doesn't exist. Did you init?")
        stored = self._store[key]
        for a in arrays:
            if tuple(a.shape) != tuple(stored.shape):
                raise MXNetError(
                    f"KVStore.{fn}: {self._name(key)} holds shape {tuple(stored.shape)}, got an array of shape "
                    f"{tuple(a.shape)}"
                )
        return key, stored

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
        typed = []
        for k, arrays in pairs:
            k = self._typed("init", k)
            if len(arrays) != 1:
                raise ValueError(f"KVStore.init: {self._name(k)} needs one value, got a list of {len(arrays)}")
            if k in self._store or k in [t for t, _ in typed]:
                raise MXNetError(f"KVStore.init: duplicate init of {self._name(k)}")
            typed.append((k, arrays))
        self._check_init(typed)
        for k, arrays in typed:
            self._store[k] = arrays[0].copy()
        self._broadcast_init([k for k, _ in typed])

    def push(self, key, value, priority=0):
        """Pushes values: a key's list is summed (and, across processes, summed over all of
        them); the optimizer, if set, then updates the stored value, else the sum replaces it."""
        pairs = _key_value("push", key, value)
        checked = [self._stored("push", k, arrays) for k, arrays in pairs]
        merged = self._reduce("push", pairs)
        for (k, stored), total in zip(checked, merged):
            if self._updater is not None:
                from .. import nd

                self._updater(k, nd.from_dlpack(total), stored)
            else:
                _write(stored, total)

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copies the stored values into ``out`` (an array or a list of arrays per key)."""
        if out is None:
            raise ValueError("KVStore.pull: out must be given (an NDArray or a list of NDArrays)")
        for k, arrays in _key_value("pull", key, out):
            _, stored = self._stored("pull", k, arrays)
            src = _view(stored)
            for a in arrays:
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
        """Sets ``updater(key, merged, stored)``, called on every push."""
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
