"""Gluon's fused recurrent layers (MXNet 1.9.1 names, arguments, parameter
names and printing): RNN, LSTM and GRU over a whole sequence with the
engine's RNN operator. The per-layer, per-direction parameters
(``l0_i2h_weight``, ``r1_h2h_bias``, ...) are packed into the operator's
parameter vector the way MXNet packs them: every weight (layer by layer,
forward then backward direction, i2h then h2h), then every bias."""

import re

from ... import _core
from ...base import MXNetError
from ...util import is_np_array
from ..block import HybridBlock
from .rnn_cell import _default_zeros, _make_state

__all__ = ["RNN", "LSTM", "GRU"]

_KEY = re.compile(r"(l|r)(\d)_(i2h|h2h|h2r)_(weight|bias)\Z")


class _RNNLayer(HybridBlock):
    """What RNN, LSTM and GRU share."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size, i2h_weight_initializer,
                 h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer, mode, projection_size,
                 h2r_weight_initializer, lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, dtype,
                 use_sequence_length=False, **kwargs):  # fmt: skip
        super().__init__(**kwargs)
        if layout not in ("TNC", "NTC"):
            raise AssertionError(f"Invalid layout {layout}; must be one of ['TNC' or 'NTC']")
        if use_sequence_length:
            raise NotImplementedError(
                f"{type(self).__name__}: use_sequence_length=True is not supported (MXNet 1.9.1 needs cuDNN for it)"
            )
        if lstm_state_clip_nan:
            raise NotImplementedError(f"{type(self).__name__}: state_clip_nan=True is not supported by mxlite")
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self.skip_states = None
        self._gates = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}[mode]
        rows, ni, nh = self._gates * hidden_size, input_size, hidden_size
        recurrent = self._projection_size or nh
        for i in range(num_layers):
            for d in "lr"[: self._dir]:
                self._register_param(f"{d}{i}_i2h_weight", (rows, ni), i2h_weight_initializer, dtype)
                self._register_param(f"{d}{i}_h2h_weight", (rows, recurrent), h2h_weight_initializer, dtype)
                self._register_param(f"{d}{i}_i2h_bias", (rows,), i2h_bias_initializer, dtype)
                self._register_param(f"{d}{i}_h2h_bias", (rows,), h2h_bias_initializer, dtype)
                if self._projection_size:
                    self._register_param(f"{d}{i}_h2r_weight", (recurrent, nh), h2r_weight_initializer, dtype)
            ni = recurrent * self._dir

    def _register_param(self, name, shape, init, dtype):
        p = self.params.get(name, shape=shape, init=init, allow_deferred_init=True, dtype=dtype)
        setattr(self, name, p)
        return p

    def __repr__(self):
        s = f"{type(self).__name__}({{mapping}}, {self._layout}"
        if self._num_layers != 1:
            s += f", num_layers={self._num_layers}"
        if self._dropout != 0:
            s += f", dropout={self._dropout}"
        if self._dir == 2:
            s += ", bidirectional"
        s += ")"
        shape = self.l0_i2h_weight.shape
        return s.format(mapping=f"{shape[1] if shape[1] else None} -> {shape[0] // self._gates}")

    def _collect_params_with_prefix(self, prefix=""):
        # MXNet saves a fused layer under the names of its unfused cells:
        # '_unfused.0.l_cell.i2h_weight' (bidirectional) or '_unfused.0.i2h_weight'.
        if prefix:
            prefix += "."
        bidirectional = self._dir == 2

        def convert(key):
            d, layer, g, t = _KEY.match(key).groups()
            return f"_unfused.{layer}.{d}_cell.{g}_{t}" if bidirectional else f"_unfused.{layer}.{g}_{t}"

        ret = {prefix + convert(key): value for key, value in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def state_info(self, batch_size=0):
        raise NotImplementedError

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=_default_zeros, **kwargs):
        """The initial states (zeros by default), each (num_layers*directions, batch, size)."""
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            info = dict(info or {})
            info.update(kwargs)
            state = _make_state(func, f"{self.prefix}h0_{i}", info)
            if is_np_array() and isinstance(state, _core.NDArray):
                state = state.as_np_ndarray()
            states.append(state)
        return states

    def __call__(self, inputs, states=None, sequence_length=None, **kwargs):
        self.skip_states = states is None
        if sequence_length is not None:
            raise NotImplementedError(f"{type(self).__name__}: sequence_length is not supported")
        if states is None:
            if not isinstance(inputs, (_core.NDArray, _core.ndarray)):
                raise ValueError(f"{self.name} ({type(self).__name__}): inputs must be an array, got {type(inputs)}")
            batch_size = inputs.shape[self._layout.find("N")] if inputs.ndim == 3 else 0
            states = self.begin_state(batch_size, ctx=inputs.ctx, dtype=inputs.dtype)
        if isinstance(states, (_core.NDArray, _core.ndarray)):
            states = [states]
        return super().__call__(inputs, list(states), **kwargs)

    def _check_input(self, inputs):
        if inputs.ndim != 3:
            raise MXNetError(
                f"{self.name} ({type(self).__name__}): inputs must be 3-D in layout {self._layout}, got {inputs.shape}"
            )

    def infer_shape(self, inputs, *args):
        self._check_input(inputs)
        size = inputs.shape[2]
        for d in "lr"[: self._dir]:
            p = getattr(self, f"{d}0_i2h_weight")
            p.shape = (p.shape[0], size)

    def hybrid_forward(self, F, inputs, states, **params):
        self._check_input(inputs)
        where = f"{self.name} ({type(self).__name__})"
        expected = params["l0_i2h_weight"].shape[1]
        if inputs.shape[2] != expected:
            raise MXNetError(
                f"{where}: inputs of shape {inputs.shape} (layout {self._layout}) have {inputs.shape[2]} features, "
                f"but input_size is {expected}"
            )
        batch_size = inputs.shape[self._layout.find("N")]
        infos = self.state_info(batch_size)
        if len(states) != len(infos):
            raise ValueError(f"{where}: expected {len(infos)} state(s), got {len(states)}")
        for state, info in zip(states, infos):
            if tuple(state.shape) != info["shape"]:
                raise ValueError(
                    f"{where}: Invalid recurrent state shape. Expecting {info['shape']}, got {tuple(state.shape)}."
                )
        out = self._forward_kernel(F, inputs, states, **params)
        return out[0] if self.skip_states else out

    def _packed(self, F, params):
        gates = ("i2h", "h2h", "h2r") if self._projection_size else ("i2h", "h2h")
        pieces = []
        for t in ("weight", "bias"):
            for layer in range(self._num_layers):
                for d in "lr"[: self._dir]:
                    for g in gates:
                        if g == "h2r" and t == "bias":
                            continue
                        pieces.append(params[f"{d}{layer}_{g}_{t}"].reshape(-1))
        if is_np_array():
            return F.np.concatenate(pieces, axis=0)
        return F.concat(*pieces, dim=0)

    def _forward_kernel(self, F, inputs, states, **params):
        np_mode = is_np_array()
        swap = F.np.swapaxes if np_mode else F.swapaxes
        if self._layout == "NTC":
            inputs = swap(inputs, 0, 1)
        rnn = F.npx.rnn if np_mode else F.RNN
        out = rnn(
            inputs, self._packed(F, params), *states, state_size=self._hidden_size,
            projection_size=self._projection_size, num_layers=self._num_layers, bidirectional=self._dir == 2,
            p=self._dropout, state_outputs=True, mode=self._mode, lstm_state_clip_min=self._lstm_state_clip_min,
            lstm_state_clip_max=self._lstm_state_clip_max, lstm_state_clip_nan=self._lstm_state_clip_nan,
        )  # fmt: skip
        outputs, new_states = out[0], list(out[1:])
        if self._layout == "NTC":
            outputs = swap(outputs, 0, 1)
        return outputs, new_states


def _state(shape, dtype):
    return {"shape": shape, "__layout__": "LNC", "dtype": dtype}


class RNN(_RNNLayer):
    """Elman RNN layers (activation 'relu' or 'tanh') over (T, N, C) or (N, T, C) inputs."""

    def __init__(self, hidden_size, num_layers=1, activation="relu", layout="TNC", dropout=0, bidirectional=False,
                 i2h_weight_initializer=None, h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", input_size=0, dtype="float32", **kwargs):  # fmt: skip
        if activation not in ("relu", "tanh"):
            raise MXNetError(f"RNN: activation must be 'relu' or 'tanh', got {activation!r}")
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size, i2h_weight_initializer,
                         h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer, "rnn_" + activation,
                         None, None, None, None, False, dtype, **kwargs)  # fmt: skip

    def state_info(self, batch_size=0):
        return [_state((self._num_layers * self._dir, batch_size, self._hidden_size), self._dtype)]


class LSTM(_RNNLayer):
    """LSTM layers (optionally with a projection and state clipping); states [h, c]."""

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False, input_size=0,
                 i2h_weight_initializer=None, h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", projection_size=None, h2r_weight_initializer=None,
                 state_clip_min=None, state_clip_max=None, state_clip_nan=False, dtype="float32",
                 **kwargs):  # fmt: skip
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size, i2h_weight_initializer,
                         h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer, "lstm", projection_size,
                         h2r_weight_initializer, state_clip_min, state_clip_max, state_clip_nan, dtype,
                         **kwargs)  # fmt: skip

    def state_info(self, batch_size=0):
        layers = self._num_layers * self._dir
        h = self._projection_size or self._hidden_size
        return [
            _state((layers, batch_size, h), self._dtype),
            _state((layers, batch_size, self._hidden_size), self._dtype),
        ]


class GRU(_RNNLayer):
    """GRU layers over (T, N, C) or (N, T, C) inputs."""

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False, input_size=0,
                 i2h_weight_initializer=None, h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", dtype="float32", **kwargs):  # fmt: skip
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size, i2h_weight_initializer,
                         h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer, "gru", None, None, None,
                         None, False, dtype, **kwargs)  # fmt: skip

    def state_info(self, batch_size=0):
        return [_state((self._num_layers * self._dir, batch_size, self._hidden_size), self._dtype)]
