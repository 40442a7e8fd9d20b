"""The shipped type stubs (.pyi) describe the live modules: regenerated here,
they must equal the files in the package (tools/make_stubs.py rewrites them)."""

import ast
import importlib.resources
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import make_stubs  # noqa: E402


@pytest.mark.parametrize("module_name", sorted(make_stubs.STUBS))
def test_stubs_are_current_and_shipped(module_name):
    path = make_stubs.STUBS[module_name][0]
    package_dir = module_name.split(".", 1)[1]
    shipped = importlib.resources.files("mxnet") / package_dir / "__init__.pyi"
    assert shipped.is_file(), f"{shipped} is not in the installed package"
    expected = make_stubs.render(module_name)
    assert shipped.read_text() == expected, f"{path} is stale: run tools/make_stubs.py"
    tree = ast.parse(expected)
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert {"ndarray" if module_name != "mxnet.ndarray" else "NDArray"} & names or module_name.endswith("extension")


def test_stubs_show_the_table_signatures():
    text = make_stubs.render("mxnet.numpy")
    assert "def add(x1: Any, x2: Any, out: Any = None, *, where: Any = True" in text
    assert "def sum(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: Any = False" in text
    assert (importlib.resources.files("mxnet") / "py.typed").is_file()
