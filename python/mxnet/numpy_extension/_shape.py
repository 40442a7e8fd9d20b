"""Shape helpers of ``npx``."""

import math

from .. import numpy as _np
from ..base import MXNetError

__all__ = ["batch_flatten"]


def batch_flatten(x):
    """Collapses every axis but the first: shape (d0, d1, ..., dn) -> (d0, d1*...*dn)."""
    if x.ndim == 0:
        raise MXNetError("batch_flatten: needs at least 1 dimension, got a 0-d array")
    return _np.reshape(x, (x.shape[0], math.prod(x.shape[1:])))
