"""Faces of the plain unary ops. The ops themselves are the engine's rows
(cpp/include/mxlite/unary_ops.inc); each has the core implementations
``np.<name>``, ``npx.<name>`` and ``nd.<name>`` with the row's docstring.
This table says where MXNet 1.9.1 offers each one, under which names."""

from .. import _core
from . import add

# MXNet's signatures: mxnet.numpy ufuncs, and the generated legacy/npx operators.
NP_SIGNATURE = "(x, out=None, *, where=True, casting='same_kind', order='K', dtype=None, subok=True)"
OP_SIGNATURE = "(data, out=None, name=None)"

# The faces of each op (all: np, nd and the nd.NDArray method).
NOT_IN_NP = {"round", "rsqrt", "rcbrt", "erf", "erfinv", "gamma", "gammaln", "relu", "sigmoid", "softsign"}
IN_NPX = {"erf", "erfinv", "gamma", "gammaln", "relu", "sigmoid"}
# nd.logical_not is legacy: 0/1 in the operand's dtype (the nd impls of predicates).
NOT_IN_ND = {"positive", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "invert"}
NOT_ND_METHOD = NOT_IN_ND | {"negative", "logical_not", "erf", "erfinv", "gamma", "gammaln", "softsign"}
# Other public names of the same function.
NP_ALIASES = {"absolute": "abs", "bitwise_not": "invert", "fabs": "abs", "deg2rad": "radians", "rad2deg": "degrees"}
# Rows used only inside the engine (gradients of gammaln and digamma); not in MXNet.
INTERNAL = {"digamma", "trigamma"}

ND_LEGACY_NOTE = " (Legacy face: the result is an NDArray; `name` only names symbols and has no effect here.)"

_impls = _core.impls()

for op in _core.unary_ops:
    if op in INTERNAL:
        continue
    doc = _impls[f"np.{op}"][1]
    if op not in NOT_IN_NP:
        add("np", op, f"np.{op}", NP_SIGNATURE, doc)
    if op in IN_NPX:
        add("npx", op, f"npx.{op}", OP_SIGNATURE, doc)
    if op not in NOT_IN_ND:
        add("nd", op, f"nd.{op}", OP_SIGNATURE, doc + ND_LEGACY_NOTE)
    if op not in NOT_ND_METHOD:
        add("nd.NDArray", op, f"nd.{op}", OP_SIGNATURE, doc)
for alias, op in NP_ALIASES.items():
    add("np", alias, f"np.{op}", NP_SIGNATURE, _impls[f"np.{op}"][1])
