"""Faces of the reductions: sum, mean, prod, max/min (amax/amin), argmax/argmin,
std/var, all/any and cumsum in ``mxnet.numpy`` and as ``np.ndarray`` methods,
and the legacy ``mxnet.ndarray`` ones (sum/mean/prod/max/min with ``exclude``,
argmax/argmin in the input's dtype, norm, cumsum) with their ``NDArray``
methods. Core implementations: python/src/bind_reduce.cc. The signatures are
MXNet 1.9.1's (positional order included) plus NumPy's ``initial=`` and
``where=`` keywords; ``initial`` is honoured by sum, prod, max and min as in
NumPy (MXNet 1.9.1 raises "initial is not supported yet"), ``where`` other
than True raises NotSupportedError. ``out=`` takes the result (same shape and
dtype; under autograd.record() out becomes the result in the graph)."""

from . import add, alias

# The parameters of each core implementation, in its slot order.
NP_IMPL = {
    "sum": ("a", "axis", "dtype", "out", "keepdims", "initial", "where"),
    "prod": ("a", "axis", "dtype", "out", "keepdims", "initial", "where"),
    "mean": ("a", "axis", "dtype", "out", "keepdims", "where"),
    "max": ("a", "axis", "out", "keepdims", "initial", "where"),
    "min": ("a", "axis", "out", "keepdims", "initial", "where"),
    "argmax": ("a", "axis", "out", "keepdims"),
    "argmin": ("a", "axis", "out", "keepdims"),
    "std": ("a", "axis", "dtype", "out", "ddof", "keepdims", "where"),
    "var": ("a", "axis", "dtype", "out", "ddof", "keepdims", "where"),
    "all": ("a", "axis", "out", "keepdims", "where"),
    "any": ("a", "axis", "out", "keepdims", "where"),
    "cumsum": ("a", "axis", "dtype", "out", "name"),
}
ND_IMPL = {
    **{op: ("data", "axis", "keepdims", "exclude", "out", "name") for op in ("sum", "mean", "prod", "max", "min")},
    "argmax": ("data", "axis", "keepdims", "out", "name"),
    "argmin": ("data", "axis", "keepdims", "out", "name"),
    "norm": ("data", "ord", "axis", "out_dtype", "keepdims", "out", "name"),
    "cumsum": ("a", "axis", "dtype", "out", "name"),
}

# mxnet.numpy functions and np.ndarray methods: MXNet's orders.
NP_FUNCTIONS = {
    "sum": "(a, axis=None, dtype=None, keepdims=False, initial=None, out=None, where=None)",
    "mean": "(a, axis=None, dtype=None, out=None, keepdims=False, where=None)",
    "prod": "(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None)",
    "max": "(a, axis=None, keepdims=False, out=None, initial=None, where=None)",
    "min": "(a, axis=None, keepdims=False, out=None, initial=None, where=None)",
    "argmax": "(a, axis=None, out=None, keepdims=False)",
    "argmin": "(a, axis=None, out=None, keepdims=False)",
    "std": "(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None)",
    "var": "(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None)",
    "all": "(a, axis=None, keepdims=False, out=None, where=None)",
    "any": "(a, axis=None, keepdims=False, out=None, where=None)",
    "cumsum": "(a, axis=None, dtype=None, out=None)",
}
NP_ALIASES = {"amax": "max", "amin": "min", "product": "prod"}
NP_METHODS = {
    "sum": "(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None)",
    "mean": "(self, axis=None, dtype=None, out=None, keepdims=False, where=None)",
    "prod": "(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None)",
    "max": "(self, axis=None, out=None, keepdims=False, initial=None, where=None)",
    "min": "(self, axis=None, out=None, keepdims=False, initial=None, where=None)",
    "argmax": "(self, axis=None, out=None, keepdims=False)",
    "argmin": "(self, axis=None, out=None, keepdims=False)",
    "std": "(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None)",
    "var": "(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None)",
    "all": "(self, axis=None, out=None, keepdims=False, where=None)",
    "any": "(self, axis=None, out=None, keepdims=False, where=None)",
    "cumsum": "(self, axis=None, dtype=None, out=None)",
}
# mxnet.ndarray's generated operators (unknown keywords raise MXNetError there).
ND_FUNCTIONS = {
    **{
        op: "(data, axis=None, keepdims=False, exclude=False, out=None, name=None)"
        for op in ("sum", "mean", "prod", "max", "min")
    },
    "argmax": "(data, axis=None, keepdims=False, out=None, name=None)",
    "argmin": "(data, axis=None, keepdims=False, out=None, name=None)",
    "norm": "(data, ord=2, axis=None, out_dtype=None, keepdims=False, out=None, name=None)",
    "cumsum": "(a, axis=None, dtype=None, out=None, name=None)",
}
ND_METHODS = ("sum", "mean", "max", "min", "prod", "argmax", "argmin", "norm")

DOCS = {
    "sum": "Sum over ``axis`` (None, an int or a tuple). The dtype is kept (bool sums to int64), as in MXNet; "
    "``dtype`` casts the elements first, so the sum accumulates in it; ``initial`` is added (converted "
    "to the result dtype).",
    "mean": "Mean over ``axis``: float32 for integral inputs, the input's dtype for floating ones. ``dtype`` "
    "casts the elements first; an integral ``dtype`` gives NumPy's integral mean (the sum in that dtype, "
    "divided, truncated toward zero; an empty one is 0, as in MXNet).",
    "prod": "Product over ``axis``. Keeps the dtype (bool -> int64); ``dtype`` casts the elements first; "
    "``initial`` starts the product. Floating products multiply in the input's order, as NumPy does.",
    "max": "Largest element over ``axis``; NaN propagates. An empty reduction raises MXNetError unless "
    "``initial`` is given (NumPy's semantics).",
    "min": "Smallest element over ``axis``; NaN propagates. An empty reduction raises MXNetError unless "
    "``initial`` is given (NumPy's semantics).",
    "argmax": "int64 position of the first largest element along ``axis`` (None: of the flattened array).",
    "argmin": "int64 position of the first smallest element along ``axis`` (None: of the flattened array).",
    "std": "Standard deviation, dividing by ``n - ddof`` (float32 for integral inputs; computed in ``dtype`` "
    "when given: float32 or float64). The gradient is 0 where the deviation is 0.",
    "var": "Variance, dividing by ``n - ddof`` (float32 for integral inputs; computed in ``dtype`` when given: "
    "float32 or float64).",
    "all": "Whether every element over ``axis`` is non-zero (bool).",
    "any": "Whether any element over ``axis`` is non-zero (bool).",
    "cumsum": "Inclusive cumulative sum along ``axis`` (None: of the flattened array); keeps the dtype "
    "(bool -> int64) unless ``dtype`` is given, in which the sum accumulates. Integers wrap on "
    "overflow, as in NumPy.",
    "norm": "The elementwise 1- or 2-norm over ``axis`` (all axes by default).",
}
ND_NOTES = {
    "argmax": " Legacy face: positions in the input's dtype (float32 for float32 data).",
    "argmin": " Legacy face: positions in the input's dtype (float32 for float32 data).",
}
ND_NOTE = (
    " Legacy face: ``axis`` () means every axis, ``exclude`` reduces over the other axes, a full "
    "reduction has shape (1,); a bool sum or product is bool, an integral mean integral."
)

for op, signature in NP_FUNCTIONS.items():
    add("np", op, f"np.{op}", signature, DOCS[op], NP_IMPL[op])
    add("np.ndarray", op, f"np.{op}", NP_METHODS[op], DOCS[op], NP_IMPL[op])
for alias_name, op in NP_ALIASES.items():
    alias("np", alias_name, op)
for op, signature in ND_FUNCTIONS.items():
    doc = DOCS[op] + ND_NOTES.get(op, ND_NOTE if op != "cumsum" and op != "norm" else "")
    add("nd", op, f"nd.{op}", signature, doc, ND_IMPL[op], legacy_keywords=True)
    if op in ND_METHODS:
        add(
            "nd.NDArray", op, f"nd.{op}", signature.replace("(data", "(self", 1), doc, ND_IMPL[op], legacy_keywords=True
        )
