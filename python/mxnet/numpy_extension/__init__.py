"""``mxnet.numpy_extension`` (``npx``): MXNet-specific helpers around ``mxnet.np``."""

from ..context import cpu, gpu, current_context, num_gpus
from ..util import set_np, reset_np, is_np_array, is_np_shape, use_np
from ._autograd import *  # noqa: F401,F403
from ._indexing import *  # noqa: F401,F403
from ._nn import *  # noqa: F401,F403
from ._shape import *  # noqa: F401,F403
from ._linalg import *  # noqa: F401,F403
from ._elementwise import *  # noqa: F401,F403
from . import utils
from . import image
from .utils import save, load

__all__ = [
    "set_np",
    "reset_np",
    "is_np_array",
    "is_np_shape",
    "use_np",
    "waitall",
    "cpu",
    "gpu",
    "current_context",
    "num_gpus",
    "save",
    "load",
]


def waitall():
    """Wait for all pending work. mxlite runs every op synchronously, so errors
    surface at the line that caused them and there is never anything to wait for."""
