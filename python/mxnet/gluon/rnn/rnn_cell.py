"""Gluon's recurrent cells (MXNet 1.9.1 names, arguments, parameter names and
printing): one step of an RNN/LSTM/GRU written with the engine's registered
operators (two fully connected products, a split into the gates and a few
element-wise operators per step), containers stacking cells, and modifiers
(dropout, zoneout, residual, bidirectional). ``unroll`` runs a cell over a
sequence given as one array (layout 'NTC' or 'TNC') or a list of steps."""

from ... import _core
from ...base import MXNetError
from ...util import is_np_array
from ..block import Block, HybridBlock, _indent

__all__ = [
    "RecurrentCell",
    "HybridRecurrentCell",
    "RNNCell",
    "LSTMCell",
    "GRUCell",
    "SequentialRNNCell",
    "HybridSequentialRNNCell",
    "DropoutCell",
    "ModifierCell",
    "ZoneoutCell",
    "ResidualCell",
    "BidirectionalCell",
]


def _is_array(x):
    return isinstance(x, (_core.NDArray, _core.ndarray))


def _legacy(x):
    return x.as_nd_ndarray() if isinstance(x, _core.ndarray) else x


def _like(result, x):
    return result.as_np_ndarray() if isinstance(x, _core.ndarray) else result


class _Ops:
    """The few operators the cells use, for legacy NDArrays or numpy-mode arrays."""

    def __init__(self, numpy_mode):
        from ... import ndarray as nd

        self.np = numpy_mode
        self.nd = nd

    def _m(self):
        from ... import numpy as mnp
        from ... import numpy_extension as npx

        return mnp, npx

    def fc(self, x, weight, bias, units):
        if self.np:
            return self._m()[1].fully_connected(x, weight, bias, num_hidden=units)
        return self.nd.FullyConnected(x, weight, bias, num_hidden=units)

    def split(self, x, parts, axis=1):
        if self.np:
            return list(self._m()[0].split(x, parts, axis=axis))
        out = self.nd.split(x, num_outputs=parts, axis=axis)
        return list(out) if isinstance(out, (list, tuple)) else [out]

    def unstack(self, x, axis):
        """The steps of x along axis, that axis removed."""
        if self.np:
            mnp = self._m()[0]
            return [mnp.squeeze(s, axis=axis) for s in mnp.split(x, x.shape[axis], axis=axis)]
        if x.shape[axis] == 1:
            return [self.nd.squeeze(x, axis=axis)]
        return list(self.nd.split(x, num_outputs=x.shape[axis], axis=axis, squeeze_axis=True))

    def act(self, x, activation):
        from ..nn import LeakyReLU

        if isinstance(activation, str):
            if self.np:
                return self._m()[1].activation(x, act_type=activation)
            return self.nd.Activation(x, act_type=activation)
        if isinstance(activation, LeakyReLU):
            if self.np:
                return self._m()[1].leaky_relu(x, act_type="leaky", slope=activation._alpha)
            return self.nd.LeakyReLU(x, act_type="leaky", slope=activation._alpha)
        return activation(x)

    def stack(self, xs, axis):
        return self._m()[0].stack(list(xs), axis=axis) if self.np else self.nd.stack(*xs, axis=axis)

    def concat(self, xs, axis):
        return self._m()[0].concatenate(list(xs), axis=axis) if self.np else self.nd.concat(*xs, dim=axis)

    def swapaxes(self, x, a, b):
        return self._m()[0].swapaxes(x, a, b) if self.np else self.nd.swapaxes(x, dim1=a, dim2=b)

    def dropout(self, x, p, axes=()):
        return self._m()[1].dropout(x, p=p, axes=axes) if self.np else self.nd.Dropout(x, p=p, axes=axes)

    def where(self, cond, x, y):
        return self._m()[0].where(cond, x, y) if self.np else self.nd.where(cond, x, y)

    def ones_like(self, x):
        return self._m()[0].ones_like(x) if self.np else self.nd.ones_like(x)

    def zeros_like(self, x):
        return self._m()[0].zeros_like(x) if self.np else self.nd.zeros_like(x)

    def sequence(self, kind, x, lengths, axis=0):
        """SequenceMask / SequenceLast / SequenceReverse (the legacy operators, for either kind of array)."""
        f = getattr(self.nd, "Sequence" + kind)
        kwargs = {} if kind == "Reverse" else {"axis": axis}
        out = f(_legacy(x), sequence_length=_legacy(lengths), use_sequence_length=True, **kwargs)
        return _like(out, x)


def _ops_for(x):
    first = x if _is_array(x) else x[0]
    return _Ops(isinstance(first, _core.ndarray))


def _np_zeros(shape, ctx=None, dtype=None, **kwargs):
    from ... import numpy as mnp

    return mnp.zeros(shape, dtype=dtype, ctx=ctx)


def _default_zeros(shape, ctx=None, dtype=None, **kwargs):
    """MXNet's default state function: zeros (numpy-mode arrays under npx.set_np)."""
    if is_np_array():
        return _np_zeros(shape, ctx=ctx, dtype=dtype)
    from ... import ndarray as nd

    return nd.zeros(shape, ctx=ctx, dtype=dtype)


def _make_state(func, name, info):
    from ... import ndarray as nd
    from ... import numpy as mnp

    if func in (nd.zeros, nd.ones, mnp.zeros, mnp.ones):
        # mxlite's creation functions take no symbol name or layout hint.
        info = {k: v for k, v in info.items() if k not in ("__layout__", "name")}
        return func(**info)
    return func(name=name, **info)


def _format_sequence(length, inputs, layout, merge, in_layout=None):
    """inputs as one array (merge True), a list of steps (merge False) or as
    given (None); returns (inputs, time axis, ops, batch size)."""
    if inputs is None:
        raise AssertionError("unroll(inputs=None) has been deprecated. Please create input variables outside unroll.")
    if layout not in ("NTC", "TNC"):
        raise MXNetError(f"unroll: layout must be 'NTC' or 'TNC', got {layout!r}")
    axis = layout.find("T")
    in_axis = in_layout.find("T") if in_layout is not None else axis
    if _is_array(inputs):
        ops = _ops_for(inputs)
        batch_size = inputs.shape[layout.find("N")]
        if merge is False:
            if length is not None and length != inputs.shape[in_axis]:
                raise MXNetError(
                    f"unroll: length={length} does not match the {inputs.shape[in_axis]} steps of inputs of shape "
                    f"{inputs.shape} (layout {layout})"
                )
            inputs = ops.unstack(inputs, in_axis)
    else:
        inputs = list(inputs)
        if length is not None and len(inputs) != length:
            raise MXNetError(f"unroll: length={length} but {len(inputs)} input steps were given")
        ops = _ops_for(inputs)
        batch_size = inputs[0].shape[0]
        if merge is True:
            inputs = ops.stack(inputs, axis)
            in_axis = axis
    if _is_array(inputs) and axis != in_axis:
        inputs = ops.swapaxes(inputs, axis, in_axis)
    return inputs, axis, ops, batch_size


def _mask_variable_length(ops, data, length, valid_length, time_axis, merge):
    if not _is_array(data):
        data = ops.stack(data, time_axis)
    out = ops.sequence("Mask", data, valid_length, axis=time_axis)
    return out if merge else ops.unstack(out, time_axis)


def _reverse_sequences(ops, steps, valid_length=None):
    if valid_length is None:
        return list(reversed(steps))
    out = ops.sequence("Reverse", ops.stack(steps, 0), valid_length)
    return ops.unstack(out, 0)


def _get_begin_state(cell, begin_state, inputs, batch_size):
    if begin_state is not None:
        return list(begin_state)
    first = inputs if _is_array(inputs) else inputs[0]
    zeros = _np_zeros if isinstance(first, _core.ndarray) else None
    if zeros is None:
        from ... import ndarray as nd

        zeros = nd.zeros
    return cell.begin_state(batch_size=batch_size, func=zeros, ctx=first.ctx)


class RecurrentCell(Block):
    """The base of recurrent cells: ``cell(inputs, states)`` runs one step and
    returns (output, new states); ``unroll`` runs a sequence."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._modified = False
        self.reset()

    def reset(self):
        """Resets the step counters (before a new sequence)."""
        self._init_counter = -1
        self._counter = -1
        for cell in self._children.values():
            if isinstance(cell, RecurrentCell):
                cell.reset()

    def state_info(self, batch_size=0):
        """The shape (and layout) of each state."""
        raise NotImplementedError()

    def _check_modified(self):
        if self._modified:
            raise AssertionError(
                "After applying modifier cells (e.g. ZoneoutCell) the base cell cannot be called directly. "
                "Call the modifier cell instead."
            )

    def begin_state(self, batch_size=0, func=_default_zeros, **kwargs):
        """The initial states, made by ``func(name=..., shape=..., **kwargs)`` (zeros by default)."""
        self._check_modified()
        states = []
        for info in self.state_info(batch_size):
            self._init_counter += 1
            info = dict(info or {})
            info.update(kwargs)
            states.append(_make_state(func, f"{self._prefix}begin_state_{self._init_counter}", info))
        return states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None, valid_length=None):
        """Runs ``length`` steps: returns (outputs, states), outputs one array
        (merge_outputs True) or a list of steps; with ``valid_length`` (N,) the
        steps past each sequence's length are zeroed and the states are those
        of each sequence's last valid step."""
        self.reset()
        inputs, axis, ops, batch_size = _format_sequence(length, inputs, layout, False)
        states = _get_begin_state(self, begin_state, inputs, batch_size)
        outputs, all_states = [], []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
            if valid_length is not None:
                all_states.append(states)
        if valid_length is not None:
            states = [ops.sequence("Last", ops.stack(steps, 0), valid_length, axis=0) for steps in zip(*all_states)]
            outputs = _mask_variable_length(ops, outputs, length, valid_length, axis, True)
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def forward(self, inputs, states):
        self._counter += 1
        return super().forward(inputs, states)


class HybridRecurrentCell(RecurrentCell, HybridBlock):
    """A recurrent cell written as ``hybrid_forward(F, inputs, states, **params)``."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError


class _GatedCell(HybridRecurrentCell):
    """i2h/h2h weights and biases of ``gates * hidden_size`` rows; input_size 0 is inferred."""

    _gates = 1
    _states = 1

    def __init__(self, hidden_size, i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, input_size, prefix, params):  # fmt: skip
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        rows = self._gates * hidden_size
        get = self.params.get
        self.i2h_weight = get(
            "i2h_weight", shape=(rows, input_size), init=i2h_weight_initializer, allow_deferred_init=True
        )
        self.h2h_weight = get(
            "h2h_weight", shape=(rows, hidden_size), init=h2h_weight_initializer, allow_deferred_init=True
        )
        self.i2h_bias = get("i2h_bias", shape=(rows,), init=i2h_bias_initializer, allow_deferred_init=True)
        self.h2h_bias = get("h2h_bias", shape=(rows,), init=h2h_bias_initializer, allow_deferred_init=True)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._hidden_size), "__layout__": "NC"} for _ in range(self._states)]

    def infer_shape(self, inputs, states, *args):
        if inputs.ndim != 2:
            raise MXNetError(
                f"{self.name} ({type(self).__name__}): inputs must be (batch, input_size), got {inputs.shape}"
            )
        self.i2h_weight.shape = (self._gates * self._hidden_size, inputs.shape[1])

    def _check(self, inputs, states, i2h_weight):
        where = f"{self.name} ({type(self).__name__})"
        if inputs.ndim != 2 or inputs.shape[1] != i2h_weight.shape[1]:
            raise MXNetError(
                f"{where}: inputs of shape {inputs.shape} do not match input_size {i2h_weight.shape[1]} "
                f"(expected (batch, {i2h_weight.shape[1]}))"
            )
        if not isinstance(states, (list, tuple)) or len(states) != self._states:
            raise ValueError(f"{where}: expected a list of {self._states} state(s), got {type(states).__name__}")
        batch = inputs.shape[0]
        for state, info in zip(states, self.state_info(batch)):
            if tuple(state.shape) != info["shape"]:
                raise ValueError(
                    f"{where}: Invalid recurrent state shape. Expecting {info['shape']}, got {tuple(state.shape)}."
                )

    def _gates_of(self, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        self._check(inputs, states, i2h_weight)
        ops = _ops_for(inputs)
        rows = self._gates * self._hidden_size
        return ops, ops.fc(inputs, i2h_weight, i2h_bias, rows), ops.fc(states[0], h2h_weight, h2h_bias, rows)

    def __repr__(self):
        shape = self.i2h_weight.shape
        return f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]})"


class RNNCell(_GatedCell):
    """Elman step: h' = activation(W_i x + b_i + W_h h + b_h)."""

    def __init__(self, hidden_size, activation="tanh", i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0, prefix=None,
                 params=None):  # fmt: skip
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, input_size, prefix, params)  # fmt: skip
        self._activation = activation

    def _alias(self):
        return "rnn"

    def __repr__(self):
        shape = self.i2h_weight.shape
        return f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]}, {self._activation})"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        ops, i2h, h2h = self._gates_of(inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias)
        output = ops.act(i2h + h2h, self._activation)
        return output, [output]


class LSTMCell(_GatedCell):
    """LSTM step with gates (input, forget, cell, output) stacked in that order:
    c' = f*c + i*g, h' = o*activation(c')."""

    _gates = 4
    _states = 2

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0, prefix=None, params=None,
                 activation="tanh", recurrent_activation="sigmoid"):  # fmt: skip
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, input_size, prefix, params)  # fmt: skip
        self._activation = activation
        self._recurrent_activation = recurrent_activation

    def _alias(self):
        return "lstm"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        ops, i2h, h2h = self._gates_of(inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias)
        i, f, g, o = ops.split(i2h + h2h, 4)
        rec = self._recurrent_activation
        next_c = ops.act(f, rec) * states[1] + ops.act(i, rec) * ops.act(g, self._activation)
        next_h = ops.act(o, rec) * ops.act(next_c, self._activation)
        return next_h, [next_h, next_c]


class GRUCell(_GatedCell):
    """GRU step (gates reset, update, new): n = tanh(W_in x + b_in + r*(W_hn h + b_hn)), h' = (1-z)*n + z*h."""

    _gates = 3

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0, prefix=None,
                 params=None):  # fmt: skip
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, input_size, prefix, params)  # fmt: skip

    def _alias(self):
        return "gru"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        ops, i2h, h2h = self._gates_of(inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias)
        i_r, i_z, i_n = ops.split(i2h, 3)
        h_r, h_z, h_n = ops.split(h2h, 3)
        reset = ops.act(i_r + h_r, "sigmoid")
        update = ops.act(i_z + h_z, "sigmoid")
        new = ops.act(i_n + reset * h_n, "tanh")
        next_h = (1 - update) * new + update * states[0]
        return next_h, [next_h]


def _cells_state_info(cells, batch_size):
    return sum([c.state_info(batch_size) for c in cells], [])


def _cells_begin_state(cells, **kwargs):
    return sum([c.begin_state(**kwargs) for c in cells], [])


class _StackMixin:
    """What SequentialRNNCell and HybridSequentialRNNCell share."""

    def __repr__(self):
        body = "\n".join(f"({i}): {_indent(repr(m), 2)}" for i, m in self._children.items())
        return f"{type(self).__name__}(\n{body}\n)"

    def add(self, cell):
        """Appends a cell."""
        self.register_child(cell)

    def state_info(self, batch_size=0):
        return _cells_state_info(self._children.values(), batch_size)

    def begin_state(self, **kwargs):
        self._check_modified()
        return _cells_begin_state(self._children.values(), **kwargs)

    def __call__(self, inputs, states):
        self._counter += 1
        next_states, p = [], 0
        for cell in self._children.values():
            if isinstance(cell, BidirectionalCell):
                raise AssertionError("BidirectionalCell cannot be stepped inside a sequential cell; use unroll")
            n = len(cell.state_info())
            inputs, state = cell(inputs, states[p : p + n])
            p += n
            next_states.append(state)
        return inputs, sum(next_states, [])

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None, valid_length=None):
        self.reset()
        inputs, _, _, batch_size = _format_sequence(length, inputs, layout, None)
        begin_state = _get_begin_state(self, begin_state, inputs, batch_size)
        cells = list(self._children.values())
        p, next_states = 0, []
        for i, cell in enumerate(cells):
            n = len(cell.state_info())
            inputs, states = cell.unroll(
                length, inputs=inputs, begin_state=begin_state[p : p + n], layout=layout,
                merge_outputs=None if i < len(cells) - 1 else merge_outputs, valid_length=valid_length,
            )  # fmt: skip
            p += n
            next_states.extend(states)
        return inputs, next_states

    def __getitem__(self, i):
        return self._children[str(i)]

    def __len__(self):
        return len(self._children)


class SequentialRNNCell(_StackMixin, RecurrentCell):
    """Cells stacked: each step runs them in order."""

    def __init__(self, prefix=None, params=None):
        RecurrentCell.__init__(self, prefix=prefix, params=params)


class HybridSequentialRNNCell(_StackMixin, HybridRecurrentCell):
    """Hybrid cells stacked: each step runs them in order."""

    def __init__(self, prefix=None, params=None):
        HybridRecurrentCell.__init__(self, prefix=prefix, params=params)

    def hybrid_forward(self, F, inputs, states):
        return self.__call__(inputs, states)


class DropoutCell(HybridRecurrentCell):
    """Dropout on the inputs of each step (no states)."""

    def __init__(self, rate, axes=(), prefix=None, params=None):
        super().__init__(prefix, params)
        if not isinstance(rate, (int, float)):
            raise AssertionError("rate must be a number")
        self._rate = rate
        self._axes = axes

    def __repr__(self):
        return f"{type(self).__name__}(rate={self._rate}, axes={self._axes})"

    def state_info(self, batch_size=0):
        return []

    def _alias(self):
        return "dropout"

    def hybrid_forward(self, F, inputs, states):
        if self._rate > 0:
            inputs = _ops_for(inputs).dropout(inputs, self._rate, self._axes)
        return inputs, states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None, valid_length=None):
        self.reset()
        inputs, _, _, _ = _format_sequence(length, inputs, layout, merge_outputs)
        if _is_array(inputs):
            return self.hybrid_forward(None, inputs, begin_state if begin_state else [])
        return super().unroll(length, inputs, begin_state=begin_state, layout=layout, merge_outputs=merge_outputs)


class ModifierCell(HybridRecurrentCell):
    """A cell wrapping another (its parameters are the base cell's)."""

    def __init__(self, base_cell):
        if base_cell._modified:
            raise AssertionError(f"Cell {base_cell.name} is already modified. One cell cannot be modified twice")
        base_cell._modified = True
        super().__init__(prefix=base_cell.prefix + self._alias(), params=None)
        self.base_cell = base_cell

    @property
    def params(self):
        return self.base_cell.params

    def state_info(self, batch_size=0):
        return self.base_cell.state_info(batch_size)

    def begin_state(self, func=_default_zeros, **kwargs):
        self._check_modified()
        self.base_cell._modified = False
        try:
            return self.base_cell.begin_state(func=func, **kwargs)
        finally:
            self.base_cell._modified = True

    def hybrid_forward(self, F, inputs, states):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.base_cell})"


class ZoneoutCell(ModifierCell):
    """In training, keeps each output/state element's previous value with
    probability zoneout_outputs/zoneout_states."""

    def __init__(self, base_cell, zoneout_outputs=0.0, zoneout_states=0.0):
        if isinstance(base_cell, BidirectionalCell):
            raise AssertionError(
                "BidirectionalCell doesn't support zoneout since it doesn't support step. "
                "Please add ZoneoutCell to the cells underneath instead."
            )
        super().__init__(base_cell)
        self.zoneout_outputs = zoneout_outputs
        self.zoneout_states = zoneout_states
        self._prev_output = None

    def __repr__(self):
        return f"{type(self).__name__}(p_out={self.zoneout_outputs}, p_state={self.zoneout_states}, {self.base_cell})"

    def _alias(self):
        return "zoneout"

    def reset(self):
        super().reset()
        self._prev_output = None

    def hybrid_forward(self, F, inputs, states):
        next_output, next_states = self.base_cell(inputs, states)
        ops = _ops_for(inputs)

        def keep_new(p, like):
            return ops.dropout(ops.ones_like(like), p)

        prev = self._prev_output if self._prev_output is not None else ops.zeros_like(next_output)
        p_out, p_state = self.zoneout_outputs, self.zoneout_states
        output = ops.where(keep_new(p_out, next_output), next_output, prev) if p_out != 0.0 else next_output
        if p_state != 0.0:
            next_states = [ops.where(keep_new(p_state, new), new, old) for new, old in zip(next_states, states)]
        self._prev_output = output
        return output, next_states


class ResidualCell(ModifierCell):
    """Adds each step's input to the base cell's output."""

    def hybrid_forward(self, F, inputs, states):
        output, states = self.base_cell(inputs, states)
        return output + inputs, states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None, valid_length=None):
        self.reset()
        self.base_cell._modified = False
        try:
            outputs, states = self.base_cell.unroll(
                length, inputs=inputs, begin_state=begin_state, layout=layout, merge_outputs=merge_outputs,
                valid_length=valid_length,
            )  # fmt: skip
        finally:
            self.base_cell._modified = True
        merge_outputs = _is_array(outputs) if merge_outputs is None else merge_outputs
        inputs, axis, ops, _ = _format_sequence(length, inputs, layout, merge_outputs)
        if valid_length is not None:
            inputs = _mask_variable_length(ops, inputs, length, valid_length, axis, merge_outputs)
        if merge_outputs:
            return outputs + inputs, states
        return [o + i for o, i in zip(outputs, inputs)], states


class BidirectionalCell(HybridRecurrentCell):
    """Runs l_cell forward and r_cell backward over the sequence and
    concatenates their outputs (unroll only)."""

    def __init__(self, l_cell, r_cell, output_prefix="bi_"):
        super().__init__(prefix="", params=None)
        self.register_child(l_cell, "l_cell")
        self.register_child(r_cell, "r_cell")
        self._output_prefix = output_prefix

    def __call__(self, inputs, states):
        raise NotImplementedError("Bidirectional cannot be stepped. Please use unroll")

    def __repr__(self):
        return f"{type(self).__name__}(forward={self._children['l_cell']}, backward={self._children['r_cell']})"

    def state_info(self, batch_size=0):
        return _cells_state_info(self._children.values(), batch_size)

    def begin_state(self, **kwargs):
        self._check_modified()
        return _cells_begin_state(self._children.values(), **kwargs)

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None, valid_length=None):
        self.reset()
        inputs, axis, ops, batch_size = _format_sequence(length, inputs, layout, False)
        reversed_inputs = _reverse_sequences(ops, inputs, valid_length)
        states = _get_begin_state(self, begin_state, inputs, batch_size)
        l_cell, r_cell = self._children.values()
        n = len(l_cell.state_info(batch_size))
        l_outputs, l_states = l_cell.unroll(
            length, inputs=inputs, begin_state=states[:n], layout=layout, merge_outputs=merge_outputs,
            valid_length=valid_length,
        )  # fmt: skip
        r_outputs, r_states = r_cell.unroll(
            length, inputs=reversed_inputs, begin_state=states[n:], layout=layout, merge_outputs=False,
            valid_length=valid_length,
        )  # fmt: skip
        reversed_r = _reverse_sequences(ops, r_outputs, valid_length)
        if merge_outputs is None:
            merge_outputs = _is_array(l_outputs)
            l_outputs, _, _, _ = _format_sequence(None, l_outputs, layout, merge_outputs)
            reversed_r, _, _, _ = _format_sequence(None, reversed_r, layout, merge_outputs)
        if merge_outputs:
            if not _is_array(reversed_r):
                reversed_r = ops.stack(reversed_r, axis)
            outputs = ops.concat([l_outputs, reversed_r], 2)
        else:
            outputs = [ops.concat([lo, ro], 1) for lo, ro in zip(l_outputs, reversed_r)]
        if valid_length is not None:
            outputs = _mask_variable_length(ops, outputs, length, valid_length, axis, merge_outputs)
        return outputs, l_states + r_states
