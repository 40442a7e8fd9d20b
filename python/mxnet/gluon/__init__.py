"""``mxnet.gluon``: MXNet 1.9.1's imperative neural-network API on mxlite's engine."""

from . import data, loss, nn, rnn, utils  # noqa: F401
from .block import Block, HybridBlock, SymbolBlock  # noqa: F401
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict  # noqa: F401
from .trainer import Trainer  # noqa: F401
