"""Automatic differentiation (MXNet's ``mxnet.autograd``).

Recording and training flags are per thread. Arrays marked with
``attach_grad`` are leaves; ``backward`` writes their ``.grad``; ``grad``
returns gradients without touching ``.grad`` and, with ``create_graph=True``,
records them so they can be differentiated again.
"""
from ._core import autograd as _ag

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "mark_variables", "backward", "grad", "Function"]

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


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):  # pylint: disable=redefined-outer-name
    """Return the gradients of ``heads`` with respect to ``variables`` as a list.

    ``.grad`` buffers are not touched. With ``create_graph=True`` the result is
    recorded and can be differentiated again; ``retain_graph`` defaults to
    ``create_graph``.
    """
    return _ag.grad(heads, variables, head_grads, retain_graph, create_graph, train_mode)


class Function:
    """A differentiable operation with a hand-written backward.

    Subclass it, define ``forward(*inputs)`` and ``backward(*output_grads)``
    (returning one gradient per input), and call an instance once::

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
            outs = _ag.record_custom(type(self).__name__, list(inputs), outs, self.backward)
        return outs[0] if single else tuple(outs)

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError
