"""The KVStore interface and its registry (``KVStoreBase.register``, ``create``)."""

__all__ = ["KVStoreBase", "create"]


class KVStoreBase:
    """What every key-value store offers. Subclasses registered with
    ``KVStoreBase.register`` are made by ``create`` under their lower-cased class name."""

    kv_registry = {}

    OPTIMIZER = "optimizer"

    def broadcast(self, key, value, out, priority=0):
        """Initialises ``key`` with ``value`` (rank 0's, across processes) and pulls it into ``out``."""
        raise NotImplementedError()

    def pushpull(self, key, value, out=None, priority=0):
        """Pushes ``value`` (summed over the list and the processes) and pulls the result into ``out``
        (``value`` itself when ``out`` is None)."""
        raise NotImplementedError()

    def set_optimizer(self, optimizer):
        """Applies ``optimizer`` in the store on every push."""
        raise NotImplementedError()

    @staticmethod
    def is_capable(capability):
        """Whether the store supports ``capability`` (``KVStoreBase.OPTIMIZER``)."""
        raise NotImplementedError()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        raise NotImplementedError()

    def load_optimizer_states(self, fname):
        raise NotImplementedError()

    @property
    def type(self):
        raise NotImplementedError()

    @property
    def rank(self):
        raise NotImplementedError()

    @property
    def num_workers(self):
        raise NotImplementedError()

    @staticmethod
    def register(klass):
        """Registers ``klass`` so that ``create(klass.__name__.lower())`` makes one."""
        name = klass.__name__.lower()
        KVStoreBase.kv_registry[name] = klass
        return klass


_BUILTIN = {}


def create(name="local"):
    """Creates a KVStore: ``'local'`` or ``'device'`` (one process; gradients summed over the
    contexts), ``'dist_sync'`` / ``'dist_device_sync'`` (processes started by ``mpirun``; pushes
    are summed over all of them and, with an optimizer set, the update is applied in the store,
    the same on every rank) or ``'horovod'`` (allreduce only). The ``dist`` kinds need mpi4py and
    an MPI library: ``pip install "mxlite[dist]"``."""
    if not isinstance(name, str):
        raise TypeError("name must be a string")
    name = name.lower()
    if name in KVStoreBase.kv_registry:
        return KVStoreBase.kv_registry[name]()
    from .dist import DistKVStore, Horovod
    from .kvstore import KVStore

    if name in ("local", "device", "local_update_cpu", "local_allreduce_cpu", "local_allreduce_device"):
        return KVStore(name)
    if name in ("dist_sync", "dist_device_sync"):
        return DistKVStore(name)
    if name == "horovod":
        return Horovod()
    if name in ("dist_async", "dist_sync_device", "nccl", "p3", "byteps"):
        from ..base import NotSupportedError

        raise NotSupportedError(
            f"kvstore.create: type {name!r} is not supported by mxlite; use 'local', 'device', "
            "'dist_sync', 'dist_device_sync' or 'horovod'"
        )
    raise ValueError(
        f"kvstore.create: unknown KVStore type {name!r}; use 'local', 'device', 'dist_sync', "
        "'dist_device_sync' or 'horovod' (or a class registered with KVStoreBase.register)"
    )
