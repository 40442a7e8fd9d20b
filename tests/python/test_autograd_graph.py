"""get_symbol: the recorded graph of an array as a description and as
Graphviz DOT text; visualization.plot_graph rendering it."""

import importlib.util
import re
import shutil

import pytest

from mxnet import MXNetError, autograd, np, visualization


def _graph():
    x = np.array([[1.0, 2.0, 3.0]])
    w = np.ones((2, 3), dtype="float64").astype("float32")
    x.attach_grad()
    w.attach_grad()
    with autograd.record():
        h = np.sin(x) * w
        y = (np.tanh(h) * 2).sum()
    return x, w, h, y


def test_nodes_in_recording_order_with_shapes_and_dtypes():
    _, _, _, y = _graph()
    g = autograd.get_symbol(y)
    assert g.list_ops() == ["sin", "multiply", "tanh", "multiply_scalar", "sum"]
    kinds = [n["kind"] for n in g.nodes]
    assert kinds.count("variable") == 2
    by_name = {n["name"]: n for n in g.nodes}
    assert by_name["tanh"]["outputs"] == [((2, 3), "float32")]
    assert by_name["multiply"]["inputs"] == [(by_name["sin"]["id"], 0), (1, 0)]
    assert by_name["sum"]["outputs"] == [((), "float32")]
    # inputs point at earlier nodes, and the head is the last op
    for n in g.nodes:
        for src, _ in n["inputs"]:
            assert src < n["id"]
    assert g.heads == [(g.nodes[-1]["id"], 0)]
    seqs = [n["sequence_nr"] for n in g.nodes if n["kind"] == "op"]
    assert seqs == sorted(seqs)


def test_dot_text_names_ops_shapes_dtypes_and_edges():
    _, _, _, y = _graph()
    dot = autograd.get_symbol(y).to_dot()
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert re.search(r'label="multiply #\d+\\n\(2, 3\) float32", shape=box', dot)
    assert re.search(r'label="variable\\n\(2, 3\) float32", shape=ellipse', dot)
    assert re.search(r'label="sum #\d+\\n\(\) float32", shape=box, penwidth=2', dot)
    edges = re.findall(r"n(\d+) -> n(\d+)", dot)
    assert len(edges) == 6  # x -> sin, sin, w -> multiply -> tanh -> multiply_scalar -> sum
    ids = {m.group(1): m.group(2) for m in re.finditer(r'^  n(\d+) \[label="([^"\\]+?)[ \\]', dot, re.M)}
    names = {(ids[a], ids[b]) for a, b in edges}
    assert {("variable", "sin"), ("sin", "multiply"), ("variable", "multiply"), ("multiply", "tanh")} <= names


def test_constants_and_functions_appear():
    class Twice(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return dy * 2

    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = Twice()(x) + np.ones(2)
    g = autograd.get_symbol(y)
    kinds = {n["name"]: n["kind"] for n in g.nodes}
    assert kinds["Twice"] == "function" and kinds["constant"] == "constant"
    assert "style=dashed" in g.to_dot()


def test_several_heads_and_an_intermediate():
    x, _, h, y = _graph()
    g = autograd.get_symbol([h, y])
    assert len(g.heads) == 2
    assert autograd.get_symbol(h).list_ops() == ["sin", "multiply"]
    assert autograd.get_symbol(x).nodes[0]["kind"] == "variable"


def test_unrecorded_array_is_an_error():
    with pytest.raises(MXNetError, match=r"get_symbol: array 0 of shape \(2,\) has no recorded history"):
        autograd.get_symbol(np.ones(2))


def test_released_nodes_are_marked_after_backward():
    _, _, _, y = _graph()
    g = autograd.get_symbol(y)
    y.backward()
    assert not any(n["released"] for n in g.nodes)
    assert all(n["released"] for n in autograd.get_symbol(y).nodes if n["kind"] == "op")


def test_plot_graph_without_graphviz_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_graphviz(name, *args, **kwargs):
        if name == "graphviz":
            raise ImportError("No module named 'graphviz'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_graphviz)
    _, _, _, y = _graph()
    with pytest.raises(ImportError, match="pip install graphviz"):
        visualization.plot_graph(y)


def test_plot_graph_rejects_unknown_format():
    _, _, _, y = _graph()
    with pytest.raises(ValueError, match="format"):
        visualization.plot_graph(y, format="bmp")


@pytest.mark.skipif(
    importlib.util.find_spec("graphviz") is None or shutil.which("dot") is None,
    reason="needs the graphviz package and the dot program",
)
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_plot_graph_renders(tmp_path, fmt, magic):
    _, _, _, y = _graph()
    visualization.plot_graph(y, filename=str(tmp_path / "g"), format=fmt)
    data = (tmp_path / ("g." + fmt)).read_bytes()
    assert data.startswith(magic)
    if fmt == "svg":
        assert b"tanh" in data


def test_plot_graph_hands_the_dot_text_to_graphviz(monkeypatch, tmp_path):
    # A stand-in graphviz module: checks what plot_graph passes and writes.
    import sys
    import types

    calls = {}

    class Source:
        def __init__(self, source, format=None):  # noqa: A002
            calls["source"], calls["format"] = source, format

        def render(self, outfile=None, format=None, cleanup=False):  # noqa: A002
            calls["outfile"] = outfile
            with open(outfile, "w") as f:
                f.write("rendered")

    fake = types.ModuleType("graphviz")
    fake.Source = Source
    fake.ExecutableNotFound = RuntimeError
    monkeypatch.setitem(sys.modules, "graphviz", fake)
    _, _, _, y = _graph()
    src = visualization.plot_graph(autograd.get_symbol(y), filename=str(tmp_path / "net.png"), format="png")
    assert isinstance(src, Source)
    assert calls["source"] == autograd.get_symbol(y).to_dot() and calls["format"] == "png"
    assert calls["outfile"] == str(tmp_path / "net.png")
    visualization.plot_graph(y, filename=str(tmp_path / "net"))
    assert calls["outfile"] == str(tmp_path / "net.svg")
