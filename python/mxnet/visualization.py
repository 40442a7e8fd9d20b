"""Pictures of recorded autograd graphs (``plot_graph``).

Rendering needs the optional ``graphviz`` Python package (``pip install
graphviz``, or the ``viz`` extra of mxlite) and Graphviz's ``dot`` program.
The DOT text itself needs neither: ``autograd.get_symbol(x).to_dot()``.
"""

from . import autograd

__all__ = ["plot_graph"]

_FORMATS = ("svg", "png", "pdf")


def _import_graphviz():
    try:
        import graphviz
    except ImportError as e:
        raise ImportError(
            "mxnet.visualization.plot_graph needs the 'graphviz' Python package and Graphviz's 'dot' program: "
            "pip install graphviz (or install mxlite with the 'viz' extra) and install Graphviz itself "
            "(e.g. apt-get install graphviz). Without them, autograd.get_symbol(x).to_dot() still gives the "
            "DOT text."
        ) from e
    return graphviz


def plot_graph(graph, filename=None, format="svg"):  # noqa: A002 - graphviz's name
    """Render the recorded graph of an array (or of a list of arrays, or a
    :class:`mxnet.autograd.Graph` from ``get_symbol``).

    Returns a ``graphviz.Source``. With ``filename``, also writes the picture
    to ``filename`` (the extension for ``format`` is added if missing) and
    returns the ``Source`` after rendering.
    """
    if format not in _FORMATS:
        raise ValueError("format must be one of %s, got %r" % (", ".join(_FORMATS), format))
    if not isinstance(graph, autograd.Graph):
        graph = autograd.get_symbol(graph)
    graphviz = _import_graphviz()
    source = graphviz.Source(graph.to_dot(), format=format)
    if filename is not None:
        path = filename if filename.endswith("." + format) else filename + "." + format
        try:
            source.render(outfile=path, format=format, cleanup=True)
        except graphviz.ExecutableNotFound as e:
            raise RuntimeError(
                "plot_graph could not run Graphviz's 'dot' program to write %s: install Graphviz "
                "(e.g. apt-get install graphviz)" % path
            ) from e
    return source
