"""``mxnet.contrib``: MXNet's experimental contributions. Of MXNet 1.9.1's
submodules, mxlite has ``ndarray`` (``nd``): the contributed operators, the
same functions as ``mxnet.ndarray.contrib``."""

from . import ndarray
from . import ndarray as nd  # noqa: F401  (MXNet's short name)
