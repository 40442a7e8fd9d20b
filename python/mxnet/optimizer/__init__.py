"""``mx.optimizer``: MXNet 1.9.1's optimizers (see optimizer.py)."""

from . import optimizer
from .optimizer import *  # noqa: F401,F403
from .optimizer import Optimizer, Updater, create, get_updater, register  # noqa: F401

__all__ = optimizer.__all__
