"""The legacy ``mxnet.nd.NDArray`` face: MXNet 1.x printing and conventions
(no 0-d arrays, comparisons give 0/1 in the operand's dtype)."""
from .. import _core
from ..context import cpu

NDArray = _core.NDArray
NDArray.__module__ = "mxnet.ndarray.ndarray"
NDArray.__qualname__ = "NDArray"


def _repr(self):
    shape_info = "x".join(str(d) for d in self.shape)
    return f"\n{self.asnumpy()}\n<NDArray {shape_info} @{self.context}>"


def _context(self):
    return cpu(0)


def _sum(self, axis=None, keepdims=False, exclude=False):
    return _core.nd.sum(self, axis, None, None, keepdims, exclude)


def _mean(self, axis=None, keepdims=False, exclude=False):
    return _core.nd.mean(self, axis, None, None, keepdims, exclude)


def _norm(self, ord=2, axis=None, keepdims=False):
    return _core.nd.norm(self, ord, axis, keepdims)


def _tolist(self):
    return self.asnumpy().tolist()


def _as_in_context(self, ctx):
    return self


for _name, _fn in {
    "__repr__": _repr, "__str__": _repr, "sum": _sum, "mean": _mean, "norm": _norm, "tolist": _tolist,
    "as_in_context": _as_in_context, "as_in_ctx": _as_in_context,
}.items():
    setattr(NDArray, _name, _fn)
NDArray.context = property(_context)
NDArray.ctx = property(_context)


# ---- elementwise methods (python/mxnet/ndarray/_elementwise.py) ----------------------------
def _clip(self, a_min, a_max):
    return _core.nd.clip(self, a_min, a_max)


NDArray.clip = _clip
