"""``mxnet.contrib.ndarray`` (``mx.contrib.nd``): MXNet's contributed NDArray
operators, the functions of ``mxnet.ndarray.contrib``."""

from ..ndarray.contrib import *  # noqa: F401,F403
from ..ndarray.contrib import __all__  # noqa: F401
