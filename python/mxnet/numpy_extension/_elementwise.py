"""``npx`` elementwise functions: relu, sigmoid, erf, erfinv, gamma and
gammaln are table-built (mxnet/_api/unary.py); constraint_check."""

from .. import _api, _core
from ..base import MXNetValueError

__all__ = _api.export(globals(), "npx") + ["constraint_check"]


def constraint_check(x, msg):
    """``np.array(True)`` when every element of the boolean array ``x`` is true;
    otherwise ValueError with ``msg``. Multiply a value by the result to keep
    the check in the computation (MXNet's idiom)."""
    from .. import numpy as np

    if not isinstance(x, _core.ndarray) or str(x.dtype) != "bool":
        dtype = getattr(x, "dtype", type(x).__name__)
        raise MXNetValueError(f"constraint_check: x must be a boolean mxnet.numpy.ndarray, got {dtype}")
    if not bool(np.all(x)):
        raise MXNetValueError(msg)
    return np.array(True, dtype="bool")
