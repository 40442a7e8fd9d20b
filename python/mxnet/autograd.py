"""Automatic differentiation (MXNet's ``mxnet.autograd``).

Recording and training flags are per thread. Arrays marked with
``attach_grad`` are leaves; ``backward`` writes their ``.grad``; ``grad``
returns gradients without touching ``.grad`` and, with ``create_graph=True``,
records them so they can be differentiated again.

Beyond MXNet: ``get_symbol(x)`` describes the recorded graph (``.to_dot()``
for Graphviz; ``mxnet.visualization.plot_graph`` renders it),
``detect_anomaly()`` raises at the first NaN/Inf in forward or backward,
``once_differentiable`` marks a ``Function.backward`` that cannot be
differentiated again, and ``mxnet.test_utils.check_gradient`` checks a
``Function`` against finite differences.
"""

import json as _json
import os as _os
import traceback as _traceback

from ._core import autograd as _ag

__all__ = [
    "record",
    "pause",
    "train_mode",
    "predict_mode",
    "is_recording",
    "is_training",
    "set_recording",
    "set_training",
    "mark_variables",
    "backward",
    "grad",
    "Function",
    "once_differentiable",
    "get_symbol",
    "Graph",
    "detect_anomaly",
    "is_anomaly_enabled",
]

is_recording = _ag.is_recording
is_training = _ag.is_training


def set_recording(is_recording):  # noqa: F811 - MXNet's parameter name
    """Set the recording flag of this thread; returns the previous value."""
    return _ag.set_recording(bool(is_recording))


def set_training(train_mode):  # noqa: F811
    """Set the training flag of this thread; returns the previous value."""
    return _ag.set_training(bool(train_mode))


class _RecordingStateScope:
    """Sets recording/training on entry (None leaves a flag alone) and restores
    on exit only what it changed."""

    def __init__(self, is_record, train_mode):
        self._enter_is_record = is_record
        self._enter_train_mode = train_mode
        self._prev_is_record = None
        self._prev_train_mode = None

    def __enter__(self):
        if self._enter_is_record is not None:
            self._prev_is_record = _ag.set_recording(self._enter_is_record)
        if self._enter_train_mode is not None:
            self._prev_train_mode = _ag.set_training(self._enter_train_mode)

    def __exit__(self, ptype, value, trace):
        if self._enter_is_record is not None and self._prev_is_record != self._enter_is_record:
            _ag.set_recording(self._prev_is_record)
        if self._enter_train_mode is not None and self._prev_train_mode != self._enter_train_mode:
            _ag.set_training(self._prev_train_mode)


def record(train_mode=True):  # pylint: disable=redefined-outer-name
    """Scope in which operations are recorded for differentiation."""
    return _RecordingStateScope(True, train_mode)


def pause(train_mode=False):  # pylint: disable=redefined-outer-name
    """Scope in which recording is off (e.g. for updates inside ``record``)."""
    return _RecordingStateScope(False, train_mode)


def train_mode():
    """Scope with training behaviour on; recording unchanged."""
    return _RecordingStateScope(None, True)


def predict_mode():
    """Scope with training behaviour off; recording unchanged."""
    return _RecordingStateScope(None, False)


def mark_variables(variables, gradients, grad_reqs="write"):
    """Mark arrays as leaves whose gradients go to the given buffers."""
    _ag.mark_variables(variables, gradients, grad_reqs)


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):  # pylint: disable=redefined-outer-name
    """Compute the gradients of ``heads`` with respect to marked variables.

    A missing head gradient means ones, so a non-scalar head acts as its sum.
    Without ``retain_graph`` the recorded graph is freed afterwards.
    """
    _ag.backward(heads, head_grads, retain_graph, train_mode)


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False, train_mode=True):  # pylint: disable=redefined-outer-name
    """Return the gradients of ``heads`` with respect to ``variables`` as a list.

    ``.grad`` buffers are not touched. With ``create_graph=True`` the result is
    recorded and can be differentiated again; ``retain_graph`` defaults to
    ``create_graph``.
    """
    return _ag.grad(heads, variables, head_grads, retain_graph, create_graph, train_mode)


# ---- anomaly mode --------------------------------------------------------------

_PACKAGE_DIR = _os.path.dirname(_os.path.abspath(__file__))


def _record_site(limit=4):
    """The caller's stack without mxnet's own frames, for nodes recorded in
    anomaly mode."""
    frames = [f for f in _traceback.extract_stack() if not _os.path.abspath(f.filename).startswith(_PACKAGE_DIR)]
    return "".join(_traceback.format_list(frames[-limit:])).rstrip()


class detect_anomaly:  # noqa: N801 - a context manager named like PyTorch's
    """Context manager: while active on this thread, the first NaN or Inf
    produced by an op (checked after every kernel) or by a gradient in
    ``backward`` raises ``MXNetError`` naming the op, its number in recording
    order and, for gradients, the Python lines where the op was recorded.

    It slows every op down (each output is scanned and each recorded op
    captures a stack), so use it to debug, not to train.
    """

    def __init__(self, enabled=True):
        self._enabled = bool(enabled)
        self._prev = None

    def __enter__(self):
        _ag.set_trace_provider(_record_site)
        self._prev = _ag.set_anomaly_mode(self._enabled)
        return self

    def __exit__(self, ptype, value, trace):
        _ag.set_anomaly_mode(self._prev)


def is_anomaly_enabled():
    """Whether anomaly mode is on for this thread."""
    return _ag.is_anomaly_mode()


# ---- graph inspection -----------------------------------------------------------


class Graph:
    """The recorded history of some arrays (what ``get_symbol`` returns; mxlite
    has no symbolic API, so this is a read-only description).

    ``nodes`` is a list of dicts (``id``, ``name``, ``kind`` in
    ``'variable' | 'op' | 'function' | 'constant'``, ``sequence_nr``,
    ``outputs`` as ``(shape, dtype)`` pairs, ``inputs`` as ``(node id,
    output index)`` pairs, ``released``), inputs before their consumers;
    ``heads`` gives ``(node id, output index)`` per array asked for.
    """

    def __init__(self, nodes, heads, dot):
        self.nodes = nodes
        self.heads = heads
        self._dot = dot

    def to_dot(self):
        """Graphviz DOT text of the graph (op names, output shapes and dtypes,
        one edge per data dependency)."""
        return self._dot

    def list_ops(self):
        """Names of the recorded ops in recording order (no variables or constants)."""
        return [n["name"] for n in self.nodes if n["kind"] in ("op", "function")]

    def tojson(self):
        return _json.dumps({"nodes": self.nodes, "heads": self.heads})

    def __repr__(self):
        return "<Graph of %d nodes: %s>" % (len(self.nodes), ", ".join(self.list_ops()))


def get_symbol(x):
    """The recorded computation graph of ``x`` (an array or a list of arrays)
    as a :class:`Graph`; ``get_symbol(x).to_dot()`` gives Graphviz text and
    ``mxnet.visualization.plot_graph`` renders it."""
    nodes, heads, dot = _ag.describe_graph(x)
    return Graph(nodes, heads, dot)


def once_differentiable(backward_fn):
    """Decorator for ``Function.backward``: the backward is run without
    recording even under ``grad(..., create_graph=True)``, and trying to
    differentiate its result again raises an error naming the Function
    (instead of silently giving a wrong higher-order gradient)."""
    backward_fn._once_differentiable = True
    return backward_fn


class Function:
    """A differentiable operation with a hand-written backward.

    Subclass it, define ``forward(*inputs)`` and ``backward(*output_grads)``
    (returning one gradient per input, of the input's shape; a wrong count or
    shape raises ``MXNetError`` naming the Function), and call an instance
    once. ``backward`` is recorded under ``grad(..., create_graph=True)``, so
    a backward written with mxnet ops can be differentiated again (mark it
    with :func:`once_differentiable` if it cannot). Check a backward with
    ``mxnet.test_utils.check_gradient``::

        class Sigmoid(autograd.Function):
            def forward(self, x):
                y = 1 / (1 + np.exp(-x))
                self.save_for_backward(y)
                return y
            def backward(self, dy):
                y, = self.saved_tensors
                return dy * y * (1 - y)
    """

    def __init__(self):
        self._used = False
        self.saved_tensors = ()

    def save_for_backward(self, *args):
        self.saved_tensors = args

    def __call__(self, *inputs):
        assert not self._used, "Each Function instance can only be called once. Please create another instance."
        self._used = True
        with pause():
            outputs = self.forward(*inputs)
        single = not isinstance(outputs, (list, tuple))
        outs = [outputs] if single else list(outputs)
        if is_recording():
            differentiable = not getattr(type(self).backward, "_once_differentiable", False)
            outs = _ag.record_custom(type(self).__name__, list(inputs), outs, self.backward, differentiable)
        return outs[0] if single else tuple(outs)

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError
