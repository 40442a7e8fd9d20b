"""Key-value stores that keep parameters in sync, as MXNet 1.9.1's ``mxnet.kvstore``:
``'local'``/``'device'`` within one process, ``'dist_sync'``, ``'dist_device_sync'`` and
``'horovod'`` across processes on MPI (through mpi4py, the optional ``dist`` extra)."""

from .base import KVStoreBase, create
from .kvstore import KVStore
from .dist import DistKVStore, Horovod

__all__ = ["KVStoreBase", "KVStore", "DistKVStore", "Horovod", "create"]
