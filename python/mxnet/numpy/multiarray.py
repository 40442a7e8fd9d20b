"""``mxnet.numpy.ndarray``: the bound engine class plus its Python-side extras
(printing the way MXNet prints, conversions, NumPy-style methods)."""

import numpy as _onp

from .. import _api, _core
from .._args import into, place
from ..context import cpu
from ._indexing import check_sort_args

ndarray = _core.ndarray
ndarray.__module__ = "mxnet.numpy"
ndarray.__qualname__ = "ndarray"


def _repr(self):
    """NumPy's repr, with MXNet's rule for the dtype: hidden for float32 and
    bool, shown for every other dtype."""
    if _core.capture_active() and _core._is_traced(self):
        return f"<_Symbol hybridized value {self.shape}>"  # what MXNet prints for a Symbol inside hybrid_forward
    text = repr(self.asnumpy())
    dtype = self.dtype
    if "dtype=" in text:
        if dtype == _onp.float32:
            text = text[: text.rindex(",")] + ")"
    elif dtype not in (_onp.float32, _onp.bool_):
        text = text[:-1] + f", dtype={dtype})"
    return text


def _str(self):
    if _core.capture_active() and _core._is_traced(self):
        return _repr(self)
    return str(self.asnumpy())


def _format(self, spec):
    if self.ndim == 0:
        return format(self.item(), spec)
    if spec:
        raise TypeError("Cannot format mxnet.numpy.ndarray with format_spec")
    return str(self)


def _item(self, *args):
    return self.asnumpy().item(*args)


def _tolist(self):
    return self.asnumpy().tolist()


def _dot(self, b, out=None):
    return into("dot", _core.np.dot(self, b), out)


def _context(self):
    return cpu(self._device_id)


def _as_in_ctx(self, ctx):
    """This array if it is on ``ctx``, else a copy there (recorded)."""
    return place(self, ctx, "as_in_ctx")


def _copyto(self, other):
    if isinstance(other, ndarray):
        other[...] = self
        return other
    return place(self, other, "copyto", always_copy=True)


def _rebuild(data):
    """Unpickle (and ``copy.copy``/``copy.deepcopy``): a new array holding ``data``."""
    return _core.np.array(data, data.dtype)


def _reduce(self):
    """Pickle by value, as MXNet does: the copy is independent and has no gradient."""
    return _rebuild, (self.asnumpy(),)


for _name, _fn in {
    "__reduce__": _reduce,
    "__repr__": _repr,
    "__str__": _str,
    "__format__": _format,
    "item": _item,
    "tolist": _tolist,
    "dot": _dot,
    "as_in_ctx": _as_in_ctx,
    "as_in_context": _as_in_ctx,
    "to_device": _as_in_ctx,
    "copyto": _copyto,
}.items():
    setattr(ndarray, _name, _fn)


def _round(self, decimals=0, out=None):
    from . import _elementwise

    return _elementwise.around(self, decimals, out)


def _nonzero(self):
    from . import _elementwise

    return _elementwise.nonzero(self)


def _broadcast_to(self, shape):
    return _core.np.broadcast_to(self, shape)


ndarray.round, ndarray.nonzero, ndarray.broadcast_to = _round, _nonzero, _broadcast_to

# Table-built methods (x.sum(), x.argmax(), ...; mxnet/_api).
_api.install_methods(ndarray, "np.ndarray")
ndarray.ctx = property(_context)
ndarray.context = property(_context)
ndarray.device = property(_context)


# ---- indexing and ordering methods (mxnet.numpy._indexing) --------------------
def _take(self, indices, axis=None, mode="raise"):
    return _core.np.take(self, indices, axis, mode)


def _sort(self, axis=-1, kind=None, order=None):
    check_sort_args("sort", kind, order)
    return _core.np.sort(self, axis, True)


def _argsort(self, axis=-1, kind=None, order=None):
    check_sort_args("argsort", kind, order)
    return _core.np.argsort(self, axis, True, None)


ndarray.take, ndarray.sort, ndarray.argsort = _take, _sort, _argsort


# ---- elementwise methods (python/mxnet/numpy/_elementwise.py) ------------------------------
def _clip(self, min=None, max=None, out=None):
    """Values limited to [min, max]; either bound may be None."""
    if min is None and max is None:
        raise ValueError("array_clip: must set either max or min")
    return _core.np.clip(self, min, max, out)


ndarray.clip = _clip
