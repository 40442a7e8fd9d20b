"""Faces of the plain binary ops. The ops themselves are the engine's rows
(cpp/include/mxlite/binary_ops.inc); each has the core implementations
``np.<name>`` (NumPy semantics) and ``nd.<name>`` (MXNet 1.x legacy results:
comparisons and logical ops give 0/1 in the operands' dtype, integer division
truncates) with the row's docstring. This table says where MXNet 1.9.1
offers each one, under which names."""

from .. import _core
from . import add

# MXNet's signatures: mxnet.numpy ufuncs (its comparisons take only out=), the
# generated legacy operators, and the legacy Python functions of mxnet.ndarray.
NP_SIGNATURE = "(x1, x2, out=None, *, where=True, casting='same_kind', order='K', dtype=None, subok=True)"
NP_OUT_SIGNATURE = "(x1, x2, out=None)"
OP_SIGNATURE = "(lhs, rhs, out=None, name=None)"
ND_FUNCTION_SIGNATURE = "(lhs, rhs)"

NP_OUT_ONLY = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"}
# Other mxnet.numpy names of the same function.
NP_ALIASES = {"remainder": "mod", "true_divide": "divide"}
# Rows used only inside the engine and the legacy face (nd's integer division).
INTERNAL = {"truncate_divide"}

# mxnet.ndarray's generated operators: broadcast_* (and elemwise_*, bound separately).
ND_BROADCAST = {
    "add": ("broadcast_add", "broadcast_plus"),
    "subtract": ("broadcast_sub", "broadcast_minus"),
    "multiply": ("broadcast_mul",),
    "divide": ("broadcast_div",),
    "mod": ("broadcast_mod",),
    "power": ("broadcast_power",),
    "maximum": ("broadcast_maximum",),
    "minimum": ("broadcast_minimum",),
    "hypot": ("broadcast_hypot",),
    "equal": ("broadcast_equal",),
    "not_equal": ("broadcast_not_equal",),
    "greater": ("broadcast_greater",),
    "greater_equal": ("broadcast_greater_equal",),
    "less": ("broadcast_lesser",),
    "less_equal": ("broadcast_lesser_equal",),
    "logical_and": ("broadcast_logical_and",),
    "logical_or": ("broadcast_logical_or",),
    "logical_xor": ("broadcast_logical_xor",),
}
ND_ELEMWISE = ("add", "sub", "mul", "div")
# mxnet.ndarray's Python functions (scalars on either side, no out=).
ND_FUNCTIONS = {
    "add": ("add",),
    "subtract": ("subtract",),
    "multiply": ("multiply",),
    "divide": ("divide", "true_divide"),
    "mod": ("modulo",),
    "power": ("power",),
    "maximum": ("maximum",),
    "minimum": ("minimum",),
    "equal": ("equal",),
    "not_equal": ("not_equal",),
    "greater": ("greater",),
    "greater_equal": ("greater_equal",),
    "less": ("lesser",),
    "less_equal": ("lesser_equal",),
    "logical_and": ("logical_and",),
    "logical_or": ("logical_or",),
    "logical_xor": ("logical_xor",),
}
ND_SIGNATURES = {"power": "(base, exp)"}

ND_LEGACY_NOTE = (
    " (Legacy face: the result is an NDArray; comparisons and logical ops give 0/1 in the operands'"
    " dtype and integer division truncates, as in MXNet 1.x.)"
)

_impls = _core.impls()

for op in _core.binary_ops:
    if op in INTERNAL:
        continue
    doc = _impls[f"np.{op}"][1]
    add("np", op, f"np.{op}", NP_OUT_SIGNATURE if op in NP_OUT_ONLY else NP_SIGNATURE, doc)
    for name in ND_BROADCAST.get(op, ()):
        add("nd", name, f"nd.{op}", OP_SIGNATURE, doc + ND_LEGACY_NOTE)
    for name in ND_FUNCTIONS.get(op, ()):
        add("nd", name, f"nd.{op}", ND_SIGNATURES.get(op, ND_FUNCTION_SIGNATURE), doc + ND_LEGACY_NOTE)
for alias, op in NP_ALIASES.items():
    add("np", alias, f"np.{op}", NP_OUT_SIGNATURE if alias == "true_divide" else NP_SIGNATURE, _impls[f"np.{op}"][1])
for op in ND_ELEMWISE:
    add("nd", f"elemwise_{op}", f"nd.elemwise_{op}", OP_SIGNATURE, _impls[f"nd.elemwise_{op}"][1])
