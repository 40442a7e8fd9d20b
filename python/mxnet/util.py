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


def set_np_shape(active):
    """Turn NumPy shape semantics on or off; returns the previous state (MXNet's ``set_np_shape``)."""
    if not active and _state["array"]:
        raise ValueError("NumPy Shape semantics must stay on while NumPy array semantics are on")
    previous = _state["shape"]
    _state["shape"] = bool(active)
    return previous


class _Scope:
    """A ``with`` scope (and decorator) that sets one of the switches and restores it."""

    def __init__(self, key, active):
        self._key, self._active, self._previous = key, bool(active), None

    def __enter__(self):
        self._previous = _state[self._key]
        _state[self._key] = self._active
        return self

    def __exit__(self, *exc):
        _state[self._key] = self._previous

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with _Scope(self._key, self._active):
                return func(*args, **kwargs)

        return wrapper


def np_shape(active=True):
    """A scope with NumPy shape semantics on (``active=True``) or off (MXNet's ``np_shape``)."""
    return _Scope("shape", active)


def np_array(active=True):
    """A scope with NumPy array semantics on (``active=True``) or off (MXNet's ``np_array``)."""
    return _Scope("array", active)


def _use(key, func):
    if isinstance(func, type):
        return func  # classes: their methods already see mxlite's NumPy semantics
    return _Scope(key, True)(func)


def use_np_shape(func):
    """Decorator: runs ``func`` with NumPy shape semantics on (MXNet's ``use_np_shape``)."""
    return _use("shape", func)


def use_np_array(func):
    """Decorator: runs ``func`` with NumPy array semantics on (MXNet's ``use_np_array``)."""
    return _use("array", func)
