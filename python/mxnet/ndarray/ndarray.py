"""The legacy ``mxnet.nd.NDArray`` face: MXNet 1.x printing and conventions
(no 0-d arrays, comparisons give 0/1 in the operand's dtype)."""

from .. import _api, _core
from .._args import place as _core_place
from ..context import cpu

NDArray = _core.NDArray
NDArray.__module__ = "mxnet.ndarray.ndarray"
NDArray.__qualname__ = "NDArray"


def _repr(self):
    if _core.capture_active() and _core._is_traced(self):
        return f"<Symbol hybridized value {self.shape}>"  # what MXNet prints for a Symbol inside hybrid_forward
    shape_info = "x".join(str(d) for d in self.shape)
    return f"\n{self.asnumpy()}\n<NDArray {shape_info} @{self.context}>"


def _context(self):
    return cpu(self._device_id)


def _tolist(self):
    return self.asnumpy().tolist()


def _as_in_context(self, ctx):
    """This array if it is on ``ctx``, else a copy there (recorded)."""
    return _core_place(self, ctx, "as_in_context")


def _rebuild(data):
    """Unpickle (and ``copy.copy``/``copy.deepcopy``): a new NDArray holding ``data``."""
    return _core.nd.array(data, data.dtype)


def _reduce(self):
    """Pickle by value, as MXNet does: the copy is independent and has no gradient."""
    return _rebuild, (self.asnumpy(),)


for _name, _fn in {
    "__reduce__": _reduce,
    "__repr__": _repr,
    "__str__": _repr,
    "tolist": _tolist,
    "as_in_context": _as_in_context,
    "as_in_ctx": _as_in_context,
}.items():
    setattr(NDArray, _name, _fn)

NDArray.context = property(_context)
NDArray.ctx = property(_context)


# ---- indexing and ordering methods (legacy defaults, see ndarray/_indexing.py) ----
def _nd_take(self, indices, axis=0, mode="clip"):
    return _core.nd.take(self, indices, axis, mode)


def _nd_pick(self, index, axis=-1, keepdims=False, mode="clip"):
    return _core.nd.pick(self, index, axis, keepdims, mode)


def _nd_one_hot(self, depth, on_value=1.0, off_value=0.0, dtype="float32"):
    return _core.nd.one_hot(self, depth, on_value, off_value, dtype)


def _nd_topk(self, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32"):
    return _core.nd.topk(self, axis, k, ret_typ, is_ascend, dtype)


def _nd_sort(self, axis=-1, is_ascend=True):
    return _core.nd.sort(self, axis, is_ascend)


def _nd_argsort(self, axis=-1, is_ascend=True, dtype="float32"):
    return _core.nd.argsort(self, axis, is_ascend, dtype)


for _name, _fn in {
    "take": _nd_take,
    "pick": _nd_pick,
    "one_hot": _nd_one_hot,
    "topk": _nd_topk,
    "sort": _nd_sort,
    "argsort": _nd_argsort,
}.items():
    setattr(NDArray, _name, _fn)


# ---- fluent methods: the mxnet.ndarray function with the array first, as MXNet
# 1.x defines them (x.softmax(axis=0) is nd.softmax(x, axis=0)) ------------------
FLUENT = (
    "zeros_like", "ones_like", "broadcast_to", "softmax", "log_softmax", "diag", "slice", "broadcast_like",
    "broadcast_axes", "reshape_like", "shape_array", "size_array", "slice_like", "softmin", "nansum", "nanprod",
    "argmax_channel", "depth_to_space", "space_to_depth", "split_v2",
)  # fmt: skip


def _fluent(name):
    def method(self, *args, **kwargs):
        import mxnet.ndarray as nd  # the package imports this module first

        return getattr(nd, name)(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``x.{name}(...)`` is ``nd.{name}(x, ...)``."
    return method


for _name in FLUENT:
    setattr(NDArray, _name, _fluent(_name))


def _copyto(self, other):
    """Copies into ``other`` (an NDArray of this shape, returned) or, given a
    context, returns a copy there."""
    if isinstance(other, NDArray):
        other[:] = self
        return other
    return _core_place(self, other, "copyto", always_copy=True)


NDArray.copyto = _copyto


# ---- elementwise methods (python/mxnet/ndarray/_elementwise.py) ----------------------------
def _clip(self, a_min, a_max, out=None):
    return _core.nd.clip(self, a_min, a_max, out)


NDArray.clip = _clip


# Table-built methods (x.exp(), x.relu(), ...; mxnet/_api).
_api.install_methods(NDArray, "nd.NDArray")
