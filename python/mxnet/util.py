"""NumPy-semantics switches (``npx.set_np`` and friends).

mxlite's ``mxnet.numpy`` arrays always follow NumPy semantics, so these only
record the state that MXNet code queries.
"""

import functools

_state = {"shape": False, "array": False}


def set_np(shape=True, array=True, dtype=False):
    """Turn on NumPy shape and array semantics (MXNet's ``npx.set_np``)."""
    if dtype:
        raise NotImplementedError(
            "npx.set_np(dtype=True) (float64 as the default dtype) is not supported by mxlite yet"
        )
    if array and not shape:
        raise ValueError("NumPy Shape semantics must be turned on when turning on NumPy array semantics")
    _state["shape"], _state["array"] = bool(shape), bool(array)


def reset_np():
    """Turn NumPy semantics off again (MXNet's ``npx.reset_np``)."""
    _state["shape"], _state["array"] = False, False


def is_np_array():
    return _state["array"]


def is_np_shape():
    return _state["shape"]


def use_np(func):
    """Decorator kept for MXNet compatibility: runs ``func`` with NumPy semantics on."""
    if isinstance(func, type):
        return func

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        prev = dict(_state)
        set_np()
        try:
            return func(*args, **kwargs)
        finally:
            _state.update(prev)

    return wrapper
