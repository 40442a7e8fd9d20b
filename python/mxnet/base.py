"""Errors and small shared helpers (MXNet's ``mxnet.base``)."""
from ._core import MXNetError, MXNetIndexError

__all__ = ["MXNetError", "MXNetIndexError"]
