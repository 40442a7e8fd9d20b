"""``mxnet.ndarray`` (``nd``): the legacy NDArray API of MXNet 1.x."""

from .. import _api, _core
from .._args import cpu_only, into, no_kwargs
from ..base import MXNetError
from .ndarray import NDArray
from . import random
from . import linalg
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
from ._random_pdf import *  # noqa: F401,F403
from ._optimizer import *  # noqa: F401,F403
from . import _optimizer  # noqa: F401
from . import contrib
from ._dlpack import *  # noqa: F401,F403
from ._shape import *  # noqa: F401,F403
from . import utils
from . import image
from .linalg import (  # noqa: F401  (MXNet 1.x: nd.linalg_<name> is nd.linalg.<name>)
    gemm as linalg_gemm,
    gemm2 as linalg_gemm2,
    potrf as linalg_potrf,
    potri as linalg_potri,
    trmm as linalg_trmm,
    trsm as linalg_trsm,
    sumlogdiag as linalg_sumlogdiag,
    syrk as linalg_syrk,
    gelqf as linalg_gelqf,
    inverse as linalg_inverse,
    det as linalg_det,
    slogdet as linalg_slogdet,
    extractdiag as linalg_extractdiag,
    makediag as linalg_makediag,
    extracttrian as linalg_extracttrian,
    maketrian as linalg_maketrian,
)
from .utils import save, load, load_frombuffer  # noqa: F401

_f = _core.nd
zeros_like, ones_like, broadcast_to = _f.zeros_like, _f.ones_like, _f.broadcast_to
_api.export(globals(), "nd")  # the table-built functions (mxnet/_api)


def array(source_array, ctx=None, dtype=None):
    """A new NDArray (float32 unless ``dtype`` is given, even from NumPy arrays)."""
    with cpu_only("array", ctx):
        return _f.array(source_array, dtype)


def zeros(shape, ctx=None, dtype=None, **kwargs):
    no_kwargs("zeros", kwargs)
    with cpu_only("zeros", ctx):
        return _f.zeros(shape, dtype)


def ones(shape, ctx=None, dtype=None, **kwargs):
    no_kwargs("ones", kwargs)
    with cpu_only("ones", ctx):
        return _f.ones(shape, dtype)


def full(shape, val, ctx=None, dtype=None, out=None):
    with cpu_only("full", ctx):
        return into("full", _f.full(shape, val, dtype), out)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=None):
    """Evenly spaced values in [start, stop), each repeated ``repeat`` times.
    ``infer_range`` only matters to MXNet's symbolic graphs (the stop taken from
    the output's size); an imperative call has no such size, so, as in MXNet,
    it changes nothing here."""
    with cpu_only("arange", ctx):
        if not isinstance(repeat, int) or repeat < 1:
            raise MXNetError(f"arange: repeat must be a positive integer, got {repeat!r}")
        values = _f.arange(start, stop, step, dtype)
        return values if repeat == 1 else _f.repeat(values, repeat, 0)


def transpose(data, axes=None):
    return _f.transpose(data, axes)


def waitall():
    """Nothing to wait for: mxlite runs synchronously."""


# MXNet 1.9.1's nd.np / nd.npx: the numpy-mode faces, which Gluon layers reach
# as F.np / F.npx inside hybrid_forward(F, ...).
from .. import numpy as np  # noqa: E402
from .. import numpy_extension as npx  # noqa: E402
