"""mxlite: Apache MXNet's imperative array and autograd API on a C++17 engine.

Import it as MXNet: ``from mxnet import np, npx, autograd``.
"""

from . import base
from .base import MXNetError
from .context import Context, cpu, gpu, current_context
from . import autograd
from . import numpy
from . import numpy as np
from . import numpy_extension
from . import numpy_extension as npx
from . import ndarray
from . import ndarray as nd
from . import random
from . import lr_scheduler
from . import optimizer
from . import metric
from .util import set_np, reset_np, is_np_array, is_np_shape, use_np  # noqa: F401
from .util import np_array, np_shape, set_np_shape, use_np_array, use_np_shape  # noqa: F401
from . import random as rnd  # noqa: F401  (MXNet's short name)
from . import registry
from . import initializer
from . import initializer as init  # noqa: F401  (MXNet's short name)
from . import kvstore
from . import kvstore as kv  # noqa: F401  (MXNet's short name)
from . import runtime

# As in MXNet, these submodules are attributes after a plain `import mxnet`.
from . import test_utils, visualization
from . import visualization as viz
from . import gluon
from . import contrib

__version__ = "0.1.0"

__all__ = [
    "np",
    "npx",
    "nd",
    "autograd",
    "cpu",
    "gpu",
    "Context",
    "MXNetError",
    "numpy",
    "ndarray",
    "random",
    "initializer",
    "init",
    "registry",
    "optimizer",
    "lr_scheduler",
    "metric",
    "kvstore",
    "kv",
]


def __getattr__(name):
    # image, img: imported on first use so that ``import mxnet`` does not pay for them.
    if name in ("image", "img"):
        import importlib

        module = importlib.import_module(".image", __name__)
        globals().update(dict.fromkeys(("image", "img"), module))
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
