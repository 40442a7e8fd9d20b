"""``npx`` elementwise functions: relu, sigmoid, erf, erfinv, gamma and
gammaln are table-built (mxnet/_api/unary.py)."""

from .. import _api

__all__ = _api.export(globals(), "npx")
