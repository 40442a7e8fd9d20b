"""The public surface, described once.

Each row names one public function: the face it appears in (``np``, ``npx``,
``nd``, or the methods of ``np.ndarray`` / ``nd.NDArray``), the core
implementation it calls (a key of ``_core.impls()``), MXNet 1.9.1's signature
(keyword names and defaults) and its docstring. ``export`` installs a face's
rows into its module and ``install_methods`` onto an array class; each
function is a ``_core.Function``, which binds positional and keyword
arguments in C, fills the defaults and raises TypeError for unknown keywords.

Family tables: ``_api/unary.py`` and ``_api/binary.py`` (the plain unary and binary
ops, from the engine's rows).
"""
from .. import _core

MODULES = {"np": "mxnet.numpy", "npx": "mxnet.numpy_extension", "nd": "mxnet.ndarray",
           "np.ndarray": "mxnet.numpy", "nd.NDArray": "mxnet.ndarray.ndarray"}


class Row:
    """One public function of one face."""

    __slots__ = ("face", "name", "impl", "signature", "doc")

    def __init__(self, face, name, impl, signature, doc):
        if face not in MODULES:
            raise ValueError(f"unknown face {face!r} for {name}")
        self.face, self.name, self.impl, self.signature, self.doc = face, name, impl, signature, doc

    def __repr__(self):
        return f"Row({self.face}.{self.name}{self.signature} -> {self.impl})"


ROWS = []


def add(face, name, impl, signature, doc):
    """Adds a row (a face may list a name once)."""
    if any(r.face == face and r.name == name for r in ROWS):
        raise ValueError(f"{face}.{name} is described twice")
    ROWS.append(Row(face, name, impl, signature, doc))


_LITERALS = {"None": None, "True": True, "False": False}


def _literal(text):
    if text in _LITERALS:
        return _LITERALS[text]
    if text[:1] in "'\"" and text[-1:] == text[:1]:
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_signature(signature):
    """'(x, out=None, *, where=True)' -> (names, defaults, number of positional
    parameters). Defaults are literals; '*' starts the keyword-only ones."""
    body = signature.strip()
    if not (body.startswith("(") and body.endswith(")")):
        raise ValueError(f"bad signature {signature!r}")
    names, defaults, num_positional = [], [], None
    for part in filter(None, (p.strip() for p in body[1:-1].split(","))):
        if part == "*":
            num_positional = len(names)
            continue
        name, eq, default = part.partition("=")
        names.append(name.strip())
        defaults.append(_literal(default.strip()) if eq else _core.REQUIRED)
    return tuple(names), tuple(defaults), len(names) if num_positional is None else num_positional


def make(row, qualname=None):
    """The Function of a row."""
    names, defaults, num_positional = parse_signature(row.signature)
    fn = _core.function(row.impl, row.name, names, defaults, num_positional)
    fn.__name__ = row.name
    fn.__qualname__ = qualname or row.name
    fn.__module__ = MODULES[row.face]
    fn.__text_signature__ = row.signature
    fn.__doc__ = row.doc
    return fn


def rows(face):
    return [r for r in ROWS if r.face == face]


def export(namespace, face):
    """Installs the face's functions into a module's globals; returns their names."""
    names = []
    for row in rows(face):
        namespace[row.name] = make(row)
        names.append(row.name)
    return names


def install_methods(cls, face):
    """Installs the methods rows of `face` ('np.ndarray' or 'nd.NDArray') on cls."""
    for row in rows(face):
        setattr(cls, row.name, make(row, f"{cls.__name__}.{row.name}"))


from . import unary, binary  # noqa: E402,F401  (family tables add their rows)
