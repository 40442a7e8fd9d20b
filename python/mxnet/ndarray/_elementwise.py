"""Legacy ``mxnet.nd`` elementwise and creation functions under MXNet 1.x names
(``broadcast_*``, ``elemwise_*``, ``lesser``, ``modulo``...). Legacy conventions:
comparisons and logical ops give 0/1 in the operands' dtype, integer division
truncates, and ``elemwise_*`` require equal shapes."""
import operator as _operator

import numpy as _onp

from .. import _core
from .._args import no_kwargs
from ..base import MXNetError

__all__ = ["broadcast_add", "broadcast_plus", "broadcast_sub", "broadcast_minus", "broadcast_mul", "broadcast_div",
           "broadcast_mod", "broadcast_power", "broadcast_maximum", "broadcast_minimum", "broadcast_hypot",
           "broadcast_equal", "broadcast_not_equal", "broadcast_greater", "broadcast_greater_equal",
           "broadcast_lesser", "broadcast_lesser_equal", "broadcast_logical_and", "broadcast_logical_or",
           "broadcast_logical_xor", "elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div",
           "divide", "true_divide", "power", "modulo", "equal", "not_equal", "greater", "greater_equal", "lesser",
           "lesser_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "clip", "where", "empty", "eye",
           "linspace"]

_f = _core.nd


def _np_face(x):
    return x.as_np_ndarray() if isinstance(x, _core.NDArray) else x


def _as_legacy(r):
    return r.as_nd_ndarray() if isinstance(r, _core.ndarray) else r


def _legacy_dtype(lhs, rhs):
    """The dtype legacy comparisons report their 0/1 results in."""
    arrays = [x for x in (lhs, rhs) if isinstance(x, (_core.NDArray, _core.ndarray))]
    if len(arrays) == 2:
        return _onp.promote_types(arrays[0].dtype, arrays[1].dtype)
    return arrays[0].dtype if arrays else _onp.float32


def _predicate(np_fn):
    def legacy(lhs, rhs):
        r = np_fn(_np_face(lhs), _np_face(rhs))
        return _as_legacy(r.astype(_legacy_dtype(lhs, rhs)))
    return legacy


def _integral(x):
    return isinstance(x, (_core.NDArray, _core.ndarray)) and _onp.issubdtype(x.dtype, _onp.integer)


def divide(lhs, rhs):
    """Legacy division: integer operands truncate toward zero (as MXNet 1.x)."""
    if not (_integral(lhs) and (_integral(rhs) or isinstance(rhs, int))) and not (
            isinstance(lhs, int) and _integral(rhs)):
        return _f.divide(lhs, rhs)
    a, b = _np_face(lhs), _np_face(rhs)
    q = _core.np.floor_divide(a, b)
    rem = _core.np.mod(a, b)
    signs_differ = _core.np.logical_xor(a < 0, b < 0)
    correction = _core.np.logical_and(rem != 0, signs_differ).astype(q.dtype)
    return _as_legacy(q + correction)


def _same_shape(name, fn):
    def elemwise(lhs, rhs):
        if lhs.shape != rhs.shape:
            raise MXNetError(f"{name}: operands must have the same shape, got {lhs.shape} and {rhs.shape} "
                             f"(use broadcast_{name.split('_')[1]} to broadcast)")
        return fn(lhs, rhs)
    return elemwise


def power(base, exp):
    return _f.power(base, exp)


def modulo(lhs, rhs):
    return _f.mod(lhs, rhs)


true_divide = divide
broadcast_add = broadcast_plus = _f.add
broadcast_sub = broadcast_minus = _f.subtract
broadcast_mul = _f.multiply
broadcast_div = divide
broadcast_mod = modulo
broadcast_power = power
broadcast_maximum = _f.maximum
broadcast_minimum = _f.minimum
broadcast_hypot = _f.hypot

equal = broadcast_equal = _predicate(_operator.eq)
not_equal = broadcast_not_equal = _predicate(_operator.ne)
greater = broadcast_greater = _predicate(_operator.gt)
greater_equal = broadcast_greater_equal = _predicate(_operator.ge)
lesser = broadcast_lesser = _predicate(_operator.lt)
lesser_equal = broadcast_lesser_equal = _predicate(_operator.le)
logical_and = broadcast_logical_and = _predicate(_core.np.logical_and)
logical_or = broadcast_logical_or = _predicate(_core.np.logical_or)
logical_xor = broadcast_logical_xor = _predicate(_core.np.logical_xor)

elemwise_add = _same_shape("elemwise_add", _f.add)
elemwise_sub = _same_shape("elemwise_sub", _f.subtract)
elemwise_mul = _same_shape("elemwise_mul", _f.multiply)
elemwise_div = _same_shape("elemwise_div", divide)


def logical_not(data):
    """Legacy logical not: 0/1 in the operand's dtype."""
    from .. import numpy as _mxnp  # the table-built np face (imported after this module)
    return _as_legacy(_mxnp.logical_not(_np_face(data)).astype(data.dtype))


def clip(data, a_min, a_max, out=None):
    """Limits values to [a_min, a_max] (mxlite also accepts None for one bound)."""
    if a_min is None and a_max is None:
        raise ValueError("clip: must set either a_max or a_min")
    return _f.clip(data, a_min, a_max)


def where(condition, x, y):
    """x where condition is non-zero, else y. As in MXNet 1.x, a 1-D condition
    whose length is x's first extent selects whole rows."""
    if (getattr(condition, "ndim", 0) == 1 and getattr(x, "ndim", 0) > 1
            and condition.shape[0] == x.shape[0] and condition.shape != x.shape):
        condition = condition.reshape((condition.shape[0],) + (1,) * (x.ndim - 1))
    return _f.where(condition, x, y)


def empty(shape, ctx=None, dtype=None, stype=None):
    """A new NDArray (mxlite fills it with zeros)."""
    return _f.empty(shape, dtype)


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):
    no_kwargs("eye", kwargs)
    return _f.eye(N, M if M else None, k, dtype)


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=None):
    return _f.linspace(start, stop, int(num), endpoint, dtype)
