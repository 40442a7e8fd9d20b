"""Errors and small shared helpers (MXNet's ``mxnet.base``).

Every engine error is an ``MXNetError`` (a ``RuntimeError``). The kinds below
are also the built-in exception NumPy raises for the same mistake, so both
``except MXNetError`` and ``except ValueError`` (etc.) catch them.
"""

from ._core import (
    MXNetAxisError,
    MXNetError,
    MXNetIndexError,
    MXNetMemoryError,
    MXNetOverflowError,
    MXNetTypeError,
    MXNetValueError,
    NotImplementedForSymbol,
)

__all__ = [
    "MXNetError",
    "MXNetIndexError",
    "MXNetValueError",
    "MXNetTypeError",
    "MXNetOverflowError",
    "MXNetMemoryError",
    "MXNetAxisError",
    "NotSupportedError",
    "NotImplementedForSymbol",
    "unsupported_argument",
    "error_types",
    "data_dir",
    "data_dir_default",
]


def data_dir_default():
    """Where MXNet keeps downloaded data by default: ``%APPDATA%/mxnet`` on Windows, else ``~/.mxnet``."""
    import os
    import platform

    if platform.system() == "Windows":
        return os.path.join(os.environ.get("APPDATA", ""), "mxnet")
    return os.path.join(os.path.expanduser("~"), ".mxnet")


def data_dir():
    """The data directory: ``$MXNET_HOME`` if set, else ``data_dir_default()``."""
    import os

    return os.getenv("MXNET_HOME", data_dir_default())


class NotSupportedError(MXNetError, NotImplementedError):
    """An argument or mode MXNet accepts that mxlite does not implement yet."""


def unsupported_argument(function, argument, value=None):
    """Raises NotSupportedError naming ``function`` and its unimplemented ``argument``."""
    shown = "" if value is None else f"={value!r}"
    raise NotSupportedError(f"{function}: argument '{argument}{shown}' is not supported by mxlite yet")


# MXNet's registry of error-type names -> the exception raised for an engine
# error of that type. mxlite's engine raises these kinds directly; each class
# is an MXNetError and the built-in exception its name says. (MXNet's
# InternalError and AttributeError entries have no mxlite counterpart: no
# such errors are raised.)
error_types = {
    "ValueError": MXNetValueError,
    "TypeError": MXNetTypeError,
    "IndexError": MXNetIndexError,
    "AxisError": MXNetAxisError,
    "OverflowError": MXNetOverflowError,
    "MemoryError": MXNetMemoryError,
    "NotImplementedError": NotSupportedError,
    "NotImplementedForSymbol": NotImplementedForSymbol,
}
