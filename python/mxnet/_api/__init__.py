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

MODULES = {
    "np": "mxnet.numpy",
    "npx": "mxnet.numpy_extension",
    "nd": "mxnet.ndarray",
    "np.ndarray": "mxnet.numpy",
    "nd.NDArray": "mxnet.ndarray.ndarray",
}


class Row:
    """One public function of one face. ``impl_params``, when given, names the
    impl's parameters: the signature's parameters bind to those of the same
    name (``self`` to the first), in any order, and the others get None;
    without it they bind in order. ``legacy_keywords``: an unknown keyword
    raises MXNetError ("cannot find argument"), as MXNet's generated legacy
    operators do, instead of TypeError."""

    __slots__ = ("face", "name", "impl", "signature", "doc", "impl_params", "legacy_keywords")

    def __init__(self, face, name, impl, signature, doc, impl_params=None, legacy_keywords=False):
        if face not in MODULES:
            raise ValueError(f"unknown face {face!r} for {name}")
        self.face, self.name, self.impl, self.signature, self.doc = face, name, impl, signature, doc
        self.impl_params, self.legacy_keywords = impl_params, legacy_keywords

    def __repr__(self):
        return f"Row({self.face}.{self.name}{self.signature} -> {self.impl})"


ROWS = []
ALIASES = []  # (face, alias, name): the very function of another row


def add(face, name, impl, signature, doc, impl_params=None, legacy_keywords=False):
    """Adds a row (a face may list a name once)."""
    if any(r.face == face and r.name == name for r in ROWS):
        raise ValueError(f"{face}.{name} is described twice")
    ROWS.append(Row(face, name, impl, signature, doc, impl_params, legacy_keywords))


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
    slots = None
    if row.impl_params is not None:
        unknown = [p for p in names if p != "self" and p not in row.impl_params]
        if unknown:
            raise ValueError(f"{row.face}.{row.name}: {unknown} are not parameters of {row.impl}")
        slots = tuple(0 if p == "self" else row.impl_params.index(p) for p in names)
    fn = _core.function(row.impl, row.name, names, defaults, num_positional, slots, row.legacy_keywords)
    fn.__name__ = row.name
    fn.__qualname__ = qualname or row.name
    fn.__module__ = MODULES[row.face]
    fn.__text_signature__ = row.signature
    fn.__doc__ = row.doc
    return fn


def alias(face, alias_name, name):
    """``face.alias_name`` is the same function object as ``face.name`` (np.amax is np.max)."""
    ALIASES.append((face, alias_name, name))


def rows(face):
    return [r for r in ROWS if r.face == face]


def export(namespace, face):
    """Installs the face's functions into a module's globals; returns their names."""
    names = []
    for row in rows(face):
        namespace[row.name] = make(row)
        names.append(row.name)
    for alias_face, alias_name, name in ALIASES:
        if alias_face == face:
            namespace[alias_name] = namespace[name]
            names.append(alias_name)
    return names


def install_methods(cls, face):
    """Installs the methods rows of `face` ('np.ndarray' or 'nd.NDArray') on cls."""
    for row in rows(face):
        setattr(cls, row.name, make(row, f"{cls.__name__}.{row.name}"))


from . import unary, binary, reduce  # noqa: E402,F401  (family tables add their rows)
