"""User-facing coverage against Apache MXNet 1.9.1: which of its names
(api/mxnet_1_9_1_names.json, made by tools/mxnet_names.py) mxlite has."""

import importlib
import json
import pathlib

HERE = pathlib.Path(__file__).parent
NAMES = json.loads((HERE / "mxnet_1_9_1_names.json").read_text())["namespaces"]


def resolve(namespace):
    """The mxlite object behind a namespace name of the list."""
    import mxnet as mx

    if namespace == "mxnet":
        return mx
    if namespace == "mxnet.np.ndarray":
        return mx.np.ndarray
    if namespace == "mxnet.nd.NDArray":
        return mx.nd.NDArray
    path = namespace.replace("mxnet.np", "mxnet.numpy", 1) if namespace.startswith("mxnet.np.") else namespace
    faces = {"mxnet.np": "mxnet.numpy", "mxnet.npx": "mxnet.numpy_extension", "mxnet.nd": "mxnet.ndarray"}
    path = faces.get(path, path)
    path = path.replace("mxnet.nd.", "mxnet.ndarray.", 1)
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError:
        return None  # the whole namespace is missing


def read_not_yet():
    """namespace -> names on the explicit "not yet" list (api/not_yet.txt)."""
    out = {}
    for line in (HERE / "not_yet.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            namespace, names = line.split(":", 1)
            out.setdefault(namespace.strip(), set()).update(names.split())
    return out


def coverage():
    """namespace -> (present names, missing names)."""
    result = {}
    for namespace, names in NAMES.items():
        obj = resolve(namespace)
        present = [n for n in names if obj is not None and hasattr(obj, n)]
        result[namespace] = (present, [n for n in names if n not in present])
    return result
