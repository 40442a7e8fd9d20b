"""Writes tests/python/api/mxnet_1_9_1_names.json: the user-facing names of
Apache MXNet 1.9.1, per namespace, as dir() shows them after `import mxnet`.

Run with the reference, in a side venv (never a project dependency):
    mx-ref/bin/python tools/mxnet_names.py ../shared/reference/MXNET_API_GAPS.md

Not counted, as in MXNET_API_GAPS.md 1.1: private names; the names that
document lists as internal / out of scope for each namespace; helpers a module
merely imports (modules, and objects defined outside mxnet, except in mxnet.np
whose NumPy dtypes and constants are its API); in test_utils only the commonly
used helpers; on mxnet.np.ndarray the fluent names MXNet defines only as
stubs raising AttributeError.
"""

import inspect
import json
import re
import sys
import types

import mxnet as mx
from mxnet import nd, np, npx

NAMESPACES = {
    "mxnet": mx,
    "mxnet.np": np,
    "mxnet.np.random": np.random,
    "mxnet.np.linalg": np.linalg,
    "mxnet.npx": npx,
    "mxnet.nd": nd,
    "mxnet.nd.random": nd.random,
    "mxnet.nd.linalg": nd.linalg,
    "mxnet.autograd": mx.autograd,
    "mxnet.random": mx.random,
    "mxnet.context": mx.context,
    "mxnet.util": mx.util,
    "mxnet.base": mx.base,
    "mxnet.test_utils": mx.test_utils,
    "mxnet.np.ndarray": np.ndarray,
    "mxnet.nd.NDArray": nd.NDArray,
}
HEADINGS = {"methods of `mxnet.np.ndarray`": "mxnet.np.ndarray", "methods of `mxnet.nd.NDArray`": "mxnet.nd.NDArray"}


def excluded_by_document(path):
    """namespace -> names the gaps document lists as not counted."""
    out, current = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#### (.*) — missing user-facing names", line)
        if m:
            head = m.group(1).strip()
            current = HEADINGS.get(head, head.strip("`"))
            out.setdefault(current, set())
        elif current and line.startswith("- not counted"):
            out[current].update(re.findall(r"`([^`]+)`", line.split(":", 1)[1]))
        elif current and line.startswith("- **misc**") and current == "mxnet.test_utils":
            pass
    return out


def test_utils_subset(path):
    text = open(path, encoding="utf-8").read()
    block = text.split("#### `mxnet.test_utils`")[1].split("####")[0]
    misc = [ln for ln in block.splitlines() if ln.startswith("- **misc**")][0]
    return set(re.findall(r"`([^`]+)`", misc)) | {"numeric_grad", "check_gradient"}


def raising_stub(cls, name):
    fn = getattr(cls, name, None)
    if not callable(fn):
        return False
    try:
        src = inspect.getsource(fn)
    except (OSError, TypeError):
        return False
    return "has no attribute" in src and "AttributeError" in src


OWN_MODULE_ONLY = {"mxnet.autograd", "mxnet.context", "mxnet.util", "mxnet.base"}


def reexported(ns_name, ns, obj):
    """Whether obj is a helper the namespace merely imports."""
    module = getattr(obj, "__module__", None)
    if isinstance(obj, (tuple, list)):
        return True  # type tuples such as integer_types
    if not isinstance(module, str) or isinstance(obj, (int, float, str)):
        return False
    if module.split(".")[0] not in ("mxnet", "ndarray", "numpy", "symbol", "_numpy_op_doc"):
        return True  # stdlib / ctypes helpers
    if module in ("mxnet.base", "mxnet.context") and module != ns.__name__:
        return True  # Context, check_call and the like, imported for the module's own use
    return ns_name in OWN_MODULE_ONLY and module != ns.__name__


def main():
    doc = sys.argv[1]
    excluded = excluded_by_document(doc)
    subset = test_utils_subset(doc)
    result = {}
    for ns_name, ns in NAMESPACES.items():
        names = []
        for name in dir(ns):
            if name.startswith("_") or name in excluded.get(ns_name, ()):
                continue
            obj = getattr(ns, name, None)
            if ns_name == "mxnet.test_utils" and name not in subset:
                continue
            if ns_name in ("mxnet.np.ndarray",) and raising_stub(ns, name):
                continue
            if ns_name not in ("mxnet", "mxnet.np", "mxnet.np.ndarray", "mxnet.nd.NDArray"):
                if isinstance(obj, types.ModuleType) or reexported(ns_name, ns, obj):
                    continue
            names.append(name)
        result[ns_name] = sorted(names)
    json.dump({"mxnet_version": mx.__version__, "namespaces": result}, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
