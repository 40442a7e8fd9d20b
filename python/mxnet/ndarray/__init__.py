"""``mxnet.ndarray`` (``nd``): the legacy NDArray API of MXNet 1.x."""

from .. import _api, _core
from .._args import cpu_only, no_kwargs, no_out
from .ndarray import NDArray
from . import random
from ._linalg import *  # noqa: F401,F403
from ._elementwise import *  # noqa: F401,F403
from ._composed import *  # noqa: F401,F403
from .random import normal, uniform  # noqa: F401  (MXNet 1.x: nd.uniform is nd.random.uniform)
from .random import uniform as random_uniform, normal as random_normal
from .random import randint as random_randint, shuffle  # noqa: F401
from ._sample import *  # noqa: F401,F403
from ._autograd import *  # noqa: F401,F403
from ._indexing import *  # noqa: F401,F403
from ._nn import *  # noqa: F401,F403
from ._shape import *  # noqa: F401,F403
from . import utils
from .utils import save, load, load_frombuffer  # noqa: F401

_f = _core.nd
zeros_like, ones_like, broadcast_to = _f.zeros_like, _f.ones_like, _f.broadcast_to
_api.export(globals(), "nd")  # the table-built functions (mxnet/_api)


def array(source_array, ctx=None, dtype=None):
    """A new NDArray (float32 unless ``dtype`` is given, even from NumPy arrays)."""
    cpu_only("array", ctx)
    return _f.array(source_array, dtype)


def zeros(shape, ctx=None, dtype=None, **kwargs):
    no_kwargs("zeros", kwargs)
    cpu_only("zeros", ctx)
    return _f.zeros(shape, dtype)


def ones(shape, ctx=None, dtype=None, **kwargs):
    no_kwargs("ones", kwargs)
    cpu_only("ones", ctx)
    return _f.ones(shape, dtype)


def full(shape, val, ctx=None, dtype=None, out=None):
    cpu_only("full", ctx)
    no_out("full", out)
    return _f.full(shape, val, dtype)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=None):
    cpu_only("arange", ctx)
    if repeat != 1:
        raise NotImplementedError("nd.arange(repeat=...) is not supported by mxlite yet")
    if infer_range:
        raise NotImplementedError("nd.arange(infer_range=True) is not supported by mxlite")
    return _f.arange(start, stop, step, dtype)


def transpose(data, axes=None):
    return _f.transpose(data, axes)


def waitall():
    """Nothing to wait for: mxlite runs synchronously."""
