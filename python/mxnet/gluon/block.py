"""Gluon blocks as MXNet 1.9.1 has them: ``Block`` (children registered by
attribute, name scopes and parameter prefixes, save/load of parameters,
hooks), ``HybridBlock`` (``hybrid_forward(F, x, *args, **params)``, with F the
``mxnet.ndarray`` module, whose ``F.np``/``F.npx`` serve numpy mode) and the
deferred initialisation of parameters whose shape the first input decides."""

import functools
import json
import re
import threading
from collections import OrderedDict

import numpy as _onp

from .. import _core
from .. import autograd as _autograd
from ..base import MXNetError, NotSupportedError
from ..util import is_np_array
from .parameter import DeferredInitializationError, Parameter, ParameterDict, _load_arrays, _load_into

__all__ = ["Block", "HybridBlock", "SymbolBlock"]


class _BlockScope:
    """The name scope of a block: prefixes for the children created inside
    ``with block.name_scope():`` (``dense0_``, ``dense1_``, ... per scope)."""

    _state = threading.local()
    _global_counter = {}
    _global_lock = threading.Lock()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None

    @staticmethod
    def current():
        return getattr(_BlockScope._state, "value", None)

    @staticmethod
    def create(prefix, params, hint):
        current = _BlockScope.current()
        if current is None:
            if prefix is None:
                with _BlockScope._global_lock:
                    count = _BlockScope._global_counter.get(hint, 0)
                    _BlockScope._global_counter[hint] = count + 1
                prefix = f"{hint}{count}_"
            params = ParameterDict(prefix) if params is None else ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            current._counter[hint] = count + 1
            prefix = f"{hint}{count}_"
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = _BlockScope.current()
        _BlockScope._state.value = self
        return self

    def __exit__(self, *exc):
        if self._block._empty_prefix:
            return False
        _BlockScope._state.value = self._old_scope
        return False


def _indent(text, spaces):
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


class _HookHandle:
    """Returned by register_forward_(pre_)hook; ``detach()`` removes the hook."""

    def __init__(self, hooks, hook_id):
        self._hooks = hooks
        self._id = hook_id

    def detach(self):
        self._hooks.pop(self._id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.detach()
        return False


class Block:
    """The base of every layer and model: override ``forward``. Blocks and
    Parameters assigned as attributes become children and parameters."""

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ""
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith("_") else self._prefix
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()
        self._hook_ids = 0

    def __repr__(self):
        children = [(k, v) for k, v in self.__dict__.items() if isinstance(v, Block)]
        body = "\n".join(f"  ({key}): {_indent(repr(block), 2)}" for key, block in children)
        return f"{type(self).__name__}(\n{body}\n)"

    def __setattr__(self, name, value):
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError(
                    f"Changing attribute type for {name} from {type(existing)} to {type(value)} is not allowed."
                )
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            if name in self._reg_params and self._reg_params[name] is not value:
                raise AssertionError(
                    f"Overriding Parameter attribute {name} is not allowed. If you want to share parameters between "
                    "blocks, please set 'params' at Block construction instead."
                )
            self._reg_params[name] = value
            Parameter._generation += 1  # blocks look their parameters up again
        super().__setattr__(name, value)

    def _alias(self):
        return type(self).__name__.lower()

    @property
    def prefix(self):
        """The prefix of this block's parameter names (e.g. ``dense0_``)."""
        return self._prefix

    @property
    def name(self):
        return self._name

    @property
    def params(self):
        """This block's own parameters (not its children's: see collect_params)."""
        return self._params

    def name_scope(self):
        """``with block.name_scope():`` gives the blocks created inside prefixes under this one."""
        return self._scope

    def collect_params(self, select=None):
        """A ParameterDict of this block's and its descendants' parameters;
        ``select`` is a regular expression the names must match (from the start)."""
        ret = ParameterDict(self._params.prefix)
        own = OrderedDict(self.params.items())
        for p in self._reg_params.values():
            own.setdefault(p.name, p)
        if select:
            pattern = re.compile(select)
            own = OrderedDict((k, v) for k, v in own.items() if pattern.match(k))
        ret.update(own)
        for child in self._children.values():
            ret.update(child.collect_params(select=select))
        return ret

    def _collect_params_with_prefix(self, prefix=""):
        """Parameters by structural name: attribute names joined by '.' (what save_parameters writes)."""
        if prefix:
            prefix += "."
        ret = OrderedDict((prefix + key, value) for key, value in self._reg_params.items())
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def register_child(self, block, name=None):
        """Adds ``block`` as a child (named by its position when ``name`` is None)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        """``hook(block, inputs)`` runs before each forward."""
        return self._add_hook(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook):
        """``hook(block, inputs, outputs)`` runs after each forward."""
        return self._add_hook(self._forward_hooks, hook)

    def _add_hook(self, hooks, hook):
        self._hook_ids += 1
        hooks[self._hook_ids] = hook
        return _HookHandle(hooks, self._hook_ids)

    def apply(self, fn):
        """Calls ``fn(block)`` on every descendant, then on this block."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False):
        """Initialises every parameter of this block and its children (default Uniform(0.07))."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs):
        """Passes ``hybridize`` on to the children (a plain Block runs as written)."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype):
        """Converts the parameters of this block and its children to ``dtype``."""
        for child in self._children.values():
            child.cast(dtype)
        for param in self.params.values():
            param.cast(dtype)

    def zero_grad(self):
        self.collect_params().zero_grad()

    def reset_ctx(self, ctx):
        self.collect_params().reset_ctx(ctx)

    def save_parameters(self, filename, deduplicate=False):
        """Writes the parameters by structural name ('0.weight', 'encoder.1.bias')
        in MXNet's NDArray format; ``deduplicate`` writes a shared one once."""
        params = self._collect_params_with_prefix()
        if deduplicate:
            first = OrderedDict()
            for key, value in params.items():
                first.setdefault(id(value), (key, value))
            params = OrderedDict(first.values())
        arrays = {key: value._reduce() for key, value in params.items()}
        if is_np_array():
            from ..numpy_extension import utils

            utils.save(filename, arrays)
        else:
            from ..ndarray import utils

            utils.save(filename, arrays)

    def load_parameters(
        self, filename, ctx=None, allow_missing=False, ignore_extra=False, cast_dtype=False, dtype_source="current"
    ):
        """Reads parameters written by save_parameters (or, when the names have no
        '.', by ParameterDict.save with this block's prefix)."""
        loaded = _load_arrays(filename)
        if not isinstance(loaded, dict):
            raise ValueError(f"{filename} holds a list of arrays, not named parameters")
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if not any("." in key for key in loaded):
            # The older format: full parameter names.
            self.collect_params().load(
                filename, ctx, allow_missing, ignore_extra, self.prefix, cast_dtype, dtype_source
            )
            return
        if not allow_missing:
            # A parameter shared under several structural names may be saved once.
            by_object = {}
            for key, value in params.items():
                by_object.setdefault(id(value), []).append(key)
            for keys in by_object.values():
                if any(k in loaded for k in keys):
                    for k in keys:
                        loaded.setdefault(k, next(loaded[j] for j in keys if j in loaded))
        _load_into(
            params, loaded, filename, ctx, allow_missing, ignore_extra, cast_dtype, dtype_source, "ParameterDict"
        )

    save_params = save_parameters
    load_params = load_parameters

    def __call__(self, *args):
        if self._forward_pre_hooks:
            for hook in list(self._forward_pre_hooks.values()):
                hook(self, args)
        out = self.forward(*args)
        if self._forward_hooks:
            for hook in list(self._forward_hooks.values()):
                hook(self, args, out)
        return out

    def forward(self, *args):
        """The computation; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def summary(self, *inputs):
        """Runs ``self(*inputs)`` once and prints MXNet's table: every non-Sequential block
        in the order its forward finished, its output shape(s) and its own parameter count,
        then the totals (trainable = grad_req not 'null'; a parameter met again is shared).
        The block must be initialised and not hybridized (AssertionError, as MXNet)."""
        rows = [["Input", _summary_shapes(inputs), 0, 0, 0]]
        seen = set()

        def hook(block, _, outputs):
            count = trainable = shared = 0
            for p in block.params.values():
                size = p.data().size
                count += size
                trainable += 0 if p.grad_req == "null" else size
                if id(p) in seen:
                    shared += size
                seen.add(id(p))
            rows.append([f"{type(block).__name__}-{len(rows)}", _summary_shapes(outputs), count, trainable, shared])

        handles = []
        try:
            self.apply(lambda block: _summary_hook_on(block, hook, handles))
            self(*inputs)
            _print_summary(rows)
        finally:
            for handle in handles:
                handle.detach()


def _summary_hook_on(block, hook, handles):
    """Block.summary's per-block step: refuse a hybridized block; hook every block that is
    not a (Hybrid)Sequential container."""
    if getattr(block, "_active", False):
        raise AssertionError(f'"{block.name}" must not be hybridized to print summary.')
    from .nn.basic_layers import HybridSequential, Sequential

    if not isinstance(block, (Sequential, HybridSequential)):
        handles.append(block.register_forward_hook(hook))


def _summary_shapes(value):
    """The output-shape column: arrays become their shapes, nesting is kept, and a top-level
    tuple or list is shown without its brackets ('(2, 3), [(4, 3), (3,)]')."""

    def shapes(v):
        if isinstance(v, (list, tuple)):
            return [shapes(x) for x in v]
        return v.shape if _is_array(v) else v

    out = shapes(value)
    return str(out)[1:-1] if isinstance(out, list) else str(out)


def _print_summary(rows):
    line = "{:>20}  {:>42} {:>15}"
    total = sum(r[2] for r in rows)
    trainable = sum(r[3] for r in rows)
    shared = sum(r[4] for r in rows)
    print("-" * 80)
    print(line.format("Layer (type)", "Output Shape", "Param #"))
    print("=" * 80)
    for name, shape, count, _, _ in rows:
        print(line.format(name, shape, count))
    print("=" * 80)
    print("Parameters in forward computation graph, duplicate included")
    print(f"   Total params: {total}")
    print(f"   Trainable params: {trainable}")
    print(f"   Non-trainable params: {total - trainable}")
    print(f"Shared params in forward computation graph: {shared}")
    print(f"Unique parameters in model: {total - shared}")
    print("-" * 80)


_ARRAY_TYPES = (_core.NDArray, _core.ndarray)


def _is_array(x):
    return isinstance(x, _ARRAY_TYPES)


def _flatten(value, what):
    """The arrays in a (nested list/tuple of) arrays, and the structure to
    rebuild it: 0 for an array, None for None, a tuple of structures for a
    list or tuple (with its type)."""
    if _is_array(value):
        return [value], 0
    if value is None:
        return [], None
    if isinstance(value, (list, tuple)):
        flat, parts = [], []
        for v in value:
            f, fmt = _flatten(v, what)
            flat.extend(f)
            parts.append(fmt)
        return flat, (type(value) is list, tuple(parts))
    raise ValueError(
        f"HybridBlock {what} must be (nested) list of Symbol or NDArray, but got {value!r} of type {type(value)}"
    )


def _regroup(flat, fmt):
    def build(fmt, it):
        if fmt == 0:
            return next(it)
        if fmt is None:
            return None
        is_list, parts = fmt
        items = [build(p, it) for p in parts]
        return items if is_list else tuple(items)

    return build(fmt, iter(flat))


class HybridBlock(Block):
    """A Block written as ``hybrid_forward(F, x, *args, **params)``: F is the
    ``mxnet.ndarray`` module (``F.np``/``F.npx`` in numpy mode) and each
    registered parameter comes in as a keyword argument holding its value on
    the input's context. A layer whose parameter shapes depend on the input
    fills them in ``infer_shape(*args)``, called before the first forward.

    After ``hybridize()``, the first call for each input signature (shapes,
    dtypes, context, training/recording mode) runs ``hybrid_forward`` once
    while the engine captures every op into a graph; later calls with that
    signature replay the graph in C++ without running the Python code, and
    autograd records the replayed ops as usual. As in MXNet, Python in
    ``hybrid_forward`` runs only at capture time, and reading array values
    there (``asnumpy()``, ``if x > 0``) raises NotImplementedForSymbol."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._active = False
        self._cached_graphs = {}
        self._params_cache = None

    def hybridize(self, active=True, static_alloc=False, static_shape=False, **kwargs):
        """Captures the forward as a graph from the next call on (see the class
        docstring). ``static_alloc``/``static_shape`` are accepted as in MXNet:
        every replay reuses the engine's pooled buffers, and a replay frees
        each intermediate after its last use. Other keywords (backend options)
        raise NotSupportedError."""
        if kwargs:
            raise NotSupportedError(
                f"{type(self).__name__}.hybridize: options {sorted(kwargs)} are not supported by mxlite"
            )
        self._active = active
        self._clear_cached_op()
        for child in self._children.values():
            child.hybridize(active, static_alloc=static_alloc, static_shape=static_shape)

    def _clear_cached_op(self):
        self._cached_graphs = {}

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)

    def __call__(self, *args):
        if not self._active or _core.capture_active():
            return super().__call__(*args)
        if self._forward_pre_hooks:
            for hook in list(self._forward_pre_hooks.values()):
                hook(self, args)
        out = self._call_cached(args)
        if self._forward_hooks:
            for hook in list(self._forward_hooks.values()):
                hook(self, args, out)
        return out

    def _call_cached(self, args):
        if len(args) == 1 and type(args[0]) in _ARRAY_TYPES:
            flat, in_format = args, 0
        else:
            flat, in_format = _flatten(args, "input")
            if not flat:
                raise ValueError(f"{type(self).__name__}: a hybridized block needs at least one array input")
        key = (
            in_format,
            _core._signature(flat),
            _autograd.is_training(),
            _autograd.is_recording(),
            is_np_array(),
        )
        entry = self._cached_graphs.get(key)
        if entry is None:
            return self._capture(key, args, flat, flat[0].ctx)
        if entry[4] != Parameter._generation:
            ctx = flat[0].ctx
            try:
                entry[3] = [p._data[ctx] for p in entry[1]]
            except (KeyError, TypeError):
                entry[3] = [p.data(ctx) for p in entry[1]]  # raises the parameter's own error
            entry[4] = Parameter._generation
        outs = entry[0].run(flat, entry[3])
        return outs[0] if entry[2] == 0 else _regroup(outs, entry[2])

    def _capture(self, key, args, flat, ctx):
        capture = _core.GraphCapture(flat)
        try:
            out = self.forward(*args)
            flat_out, out_format = _flatten(out, "output")
            params = [p for p in self.collect_params().values() if p._data is not None and ctx in p._data]
            graph = capture.finish(flat_out, [p._data[ctx] for p in params])
        finally:
            capture.close()
        # graph, parameters, output structure, their arrays, Parameter._generation of those
        self._cached_graphs[key] = [graph, params, out_format, [p._data[ctx] for p in params], Parameter._generation]
        return out

    def infer_shape(self, *args):
        """Fills the unknown dimensions of this block's parameters from the inputs."""
        unknown = [p.name for p in self._reg_params.values() if p.shape is None or not all(d > 0 for d in p.shape)]
        raise DeferredInitializationError(
            f"{type(self).__name__}: deferred initialization failed because the shape of {', '.join(unknown)} "
            "cannot be inferred: give the full shape (in_units, in_channels, ...) or define infer_shape(self, *args)"
        )

    def _params_on(self, ctx):
        return {name: p.data(ctx) for name, p in self._reg_params.items()}

    def forward(self, x, *args):
        if not _is_array(x):
            raise ValueError(
                "In HybridBlock, there must be one NDArray or one Symbol in the input. Please check the type of the "
                f"args, got {type(x).__name__}"
            )
        # The parameter arrays of the last context, until any parameter gets new arrays.
        cached = self._params_cache
        if cached is not None and cached[0] == Parameter._generation and cached[1] == x._device_id:
            params = cached[2]
        else:
            ctx = x.ctx
            try:
                params = self._params_on(ctx)
            except DeferredInitializationError:
                with _core.CapturePause():  # initialisation is not part of the graph
                    self.infer_shape(x, *args)
                    for p in self._reg_params.values():
                        p._finish_deferred_init()
                params = self._params_on(ctx)
            self._params_cache = (Parameter._generation, x._device_id, params)
        return self.hybrid_forward(_nd_face(), x, *args, **params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """The computation; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__}.hybrid_forward is not implemented")

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Writes the graph as ``path-symbol.json`` and the parameters as
        ``path-%04d.params`` (``arg:``/``aux:`` names, MXNet's layout), for
        ``SymbolBlock.imports``. The graph is captured in inference mode for the
        input signature of the last call; it is fixed to those input shapes.
        Returns the two file names."""
        if not self._active or not self._cached_graphs:
            raise RuntimeError(
                "Please first call block.hybridize() and then run forward with this block at least once before "
                "calling export."
            )
        key = next(reversed(self._cached_graphs))
        in_format, np_mode = key[0], key[4]
        graph_inputs = self._cached_graphs[key][0].describe()["inputs"]
        ctx = self._cached_graphs[key][3][0].ctx if self._cached_graphs[key][3] else _context_of(0)
        face = _np_face() if np_mode else _nd_face()
        inputs = [face.zeros(shape, dtype=dtype, ctx=ctx) for shape, dtype in graph_inputs]
        with _autograd.predict_mode(), _autograd.pause():
            capture = _core.GraphCapture(inputs)
            try:
                out = self.forward(*((inputs[0],) if in_format == 0 else _regroup(inputs, in_format)))
                flat_out, _ = _flatten(out, "output")
                params = [p for p in self.collect_params().values() if p._data is not None and ctx in p._data]
                graph = capture.finish(flat_out, [p._data[ctx] for p in params])
            finally:
                capture.close()
        desc = graph.describe()
        names = _input_names(len(inputs))
        symbol_file = f"{path}-symbol.json"
        params_file = f"{path}-{epoch:04d}.params"
        with open(symbol_file, "w") as f:
            json.dump(_graph_to_json(desc, names, [p.name for p in params]), f, indent=2)
        arrays = {}
        for p, used in zip(params, graph.params_used):
            if used:
                arrays[("arg:" if p._differentiable else "aux:") + p.name] = p._reduce()
        for i, c in enumerate(desc["constants"]):
            arrays[f"arg:{_CONST_PREFIX}{i}"] = c
        from ..ndarray import utils as nd_utils

        nd_utils.save(
            params_file, {k: v.as_nd_ndarray() if hasattr(v, "as_nd_ndarray") else v for k, v in arrays.items()}
        )
        return symbol_file, params_file

    def optimize_for(self, x, *args, backend=None, **kwargs):
        raise NotSupportedError(f"{type(self).__name__}.optimize_for: backends are not supported by mxlite")


_CONST_PREFIX = "_mxlite_const"
_GRAPH_FORMAT = 1  # version of the step layout in -symbol.json


def _context_of(device_id):
    from ..context import cpu

    return cpu(device_id)


def _np_face():
    from .. import numpy

    return numpy


@functools.lru_cache(maxsize=None)
def _nd_face():
    from .. import ndarray

    return ndarray


def _input_names(n):
    return ["data"] if n == 1 else [f"data{i}" for i in range(n)]


def _meta_attrs(meta):
    shape, dtype = meta
    return {"__shape__": str(tuple(shape)), "__dtype__": dtype}


def _graph_to_json(desc, input_names, param_names):
    """MXNet's -symbol.json layout: variables first (inputs, parameters,
    constants), then one node per step; a step's inputs are [node, output, 0]."""
    nodes, ref_node = [], {}
    for i, (name, meta) in enumerate(zip(input_names, desc["inputs"])):
        ref_node[("input", i)] = len(nodes)
        nodes.append({"op": "null", "name": name, "attrs": _meta_attrs(meta), "inputs": []})
    for i, (name, meta) in enumerate(zip(param_names, desc["params"])):
        ref_node[("param", i)] = len(nodes)
        nodes.append({"op": "null", "name": name, "attrs": _meta_attrs(meta), "inputs": []})
    for i, c in enumerate(desc["constants"]):
        ref_node[("const", i)] = len(nodes)
        meta = (c.shape, _onp.dtype(c.dtype).name)
        nodes.append({"op": "null", "name": f"{_CONST_PREFIX}{i}", "attrs": _meta_attrs(meta), "inputs": []})
    arg_nodes = list(range(len(nodes)))
    step_node = []

    def entry(ref):
        kind, index, output = ref
        if kind == "step":
            return [step_node[index], output, 0]
        return [ref_node[(kind, index)], 0, 0]

    for i, (kind, op, attrs, inputs, out, num_outputs) in enumerate(desc["steps"]):
        node_attrs = dict(attrs)
        node_attrs["__num_outputs__"] = str(num_outputs)
        if out is not None:
            node_attrs["__out__"] = json.dumps(entry(out))
        step_node.append(len(nodes))
        nodes.append(
            {
                "op": op if kind == "op" else f"_mxlite_{kind}",
                "name": f"{op if kind == 'op' else kind}{i}",
                "attrs": node_attrs,
                "inputs": [entry(r) for r in inputs],
            }
        )
    row_ptr = [0]
    for node in nodes:
        row_ptr.append(row_ptr[-1] + int(node["attrs"].get("__num_outputs__", 1)))
    return {
        "nodes": nodes,
        "arg_nodes": arg_nodes,
        "node_row_ptr": row_ptr,
        "heads": [entry(r) for r in desc["outputs"]],
        "attrs": {
            "mxnet_version": ["int", 10901],
            "mxlite_graph": ["int", _GRAPH_FORMAT],
            "mxlite_faces": ["str", ",".join(desc["faces"])],
        },
    }


def _parse_meta(attrs, where):
    try:
        shape = tuple(int(d) for d in attrs["__shape__"].strip("()").split(",") if d.strip())
        return shape, attrs["__dtype__"]
    except (KeyError, ValueError) as e:
        raise MXNetError(f"SymbolBlock.imports: {where} has no valid __shape__/__dtype__ attributes") from e


def _graph_from_json(doc, symbol_file):
    """The inverse of _graph_to_json: (graph description, input names, parameter names)."""
    graph_attrs = doc.get("attrs", {})
    if "mxlite_graph" not in graph_attrs:
        raise NotSupportedError(
            f"SymbolBlock.imports: {symbol_file} was not written by mxlite's HybridBlock.export; graphs exported by "
            "Apache MXNet (its operator names and symbolic shapes) cannot be loaded by mxlite"
        )
    if graph_attrs["mxlite_graph"][1] != _GRAPH_FORMAT:
        raise MXNetError(f"SymbolBlock.imports: {symbol_file} has graph format {graph_attrs['mxlite_graph'][1]}")
    nodes = doc["nodes"]
    refs, inputs, params, constants, steps = {}, [], [], [], []
    for node_id, node in enumerate(nodes):
        if node["op"] != "null":
            break
        name = node["name"]
        meta = _parse_meta(node.get("attrs", {}), f"variable '{name}'")
        if name.startswith(_CONST_PREFIX):
            refs[node_id] = ("const", len(constants))
            constants.append((name, meta))
        elif name == "data" or (name.startswith("data") and name[4:].isdigit()):
            refs[node_id] = ("input", len(inputs))
            inputs.append((name, meta))
        else:
            refs[node_id] = ("param", len(params))
            params.append((name, meta))

    def ref(e):
        node_id, output = e[0], e[1]
        if node_id not in refs:
            raise MXNetError(f"SymbolBlock.imports: {symbol_file} refers to node {node_id} before it is defined")
        kind, index = refs[node_id]
        return (kind, index, output)

    for node_id in range(len(refs), len(nodes)):
        node = nodes[node_id]
        attrs = dict(node.get("attrs", {}))
        num_outputs = int(attrs.pop("__num_outputs__", 1))
        out = attrs.pop("__out__", None)
        op = node["op"]
        kind = op[len("_mxlite_") :] if op.startswith("_mxlite_") else "op"
        steps.append(
            (
                kind,
                op if kind == "op" else None,
                list(attrs.items()),
                [ref(e) for e in node["inputs"]],
                ref(json.loads(out)) if out else None,
                num_outputs,
            )
        )
        refs[node_id] = ("step", len(steps) - 1)
    faces = graph_attrs.get("mxlite_faces", ["str", ""])[1].split(",")
    desc = {
        "inputs": [m for _, m in inputs],
        "params": [m for _, m in params],
        "steps": steps,
        "outputs": [ref(e) for e in doc["heads"]],
        "faces": faces,
    }
    return desc, [n for n, _ in inputs], params, constants


class SymbolBlock(HybridBlock):
    """A network loaded from files ``HybridBlock.export`` wrote: calling it
    replays the saved graph on its parameters (which a Trainer can train).
    Build one with ``SymbolBlock.imports``; the graph is fixed to the input
    shapes it was exported with. mxlite has no ``mx.sym``, so the MXNet
    constructor ``SymbolBlock(outputs, inputs, params)`` taking Symbols is not
    available."""

    def __init__(self, outputs, inputs, params=None):
        raise NotSupportedError(
            "SymbolBlock(outputs, inputs, params): mxlite has no Symbol API; load an exported network with "
            "SymbolBlock.imports(symbol_file, input_names, param_file)"
        )

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False, ignore_extra=False):
        """Loads ``symbol_file`` (and the parameters in ``param_file``) as a SymbolBlock."""
        from ..context import current_context

        if isinstance(input_names, str):
            input_names = [input_names]
        with open(symbol_file) as f:
            doc = json.load(f)
        desc, saved_inputs, param_specs, const_specs = _graph_from_json(doc, symbol_file)
        if list(input_names) != saved_inputs:
            raise MXNetError(
                f"SymbolBlock.imports: {symbol_file} has inputs {saved_inputs}, but input_names is {list(input_names)}"
            )
        block = SymbolBlock.__new__(SymbolBlock)
        HybridBlock.__init__(block, prefix="", params=None)
        contexts = ctx if isinstance(ctx, (list, tuple)) else [ctx if ctx is not None else current_context()]
        loaded = _load_arrays(param_file) if param_file is not None else {}
        if not isinstance(loaded, dict):
            raise MXNetError(f"SymbolBlock.imports: {param_file} holds a list of arrays, not named parameters")
        by_name = {k.split(":", 1)[1] if k[:4] in ("arg:", "aux:") else k: v for k, v in loaded.items()}
        block._graph_params = []
        for name, (shape, dtype) in param_specs:
            differentiable = f"aux:{name}" not in loaded
            param = Parameter(name, shape=shape, dtype=dtype, differentiable=differentiable)
            block._params._params[name] = param
            if name in by_name:
                param._init_impl(by_name.pop(name).astype(dtype), contexts)
            elif allow_missing:
                param.initialize(ctx=contexts)
            else:
                raise MXNetError(
                    f"SymbolBlock.imports: parameter '{name}' is missing in file {param_file}; set allow_missing=True "
                    "to initialize it"
                )
            block._graph_params.append(param)
        constants = []
        for name, _meta in const_specs:
            if name not in by_name:
                raise MXNetError(f"SymbolBlock.imports: constant '{name}' of the graph is missing in {param_file}")
            constants.append(by_name.pop(name))
        if by_name and not ignore_extra:
            raise MXNetError(
                f"SymbolBlock.imports: {param_file} has parameters {sorted(by_name)} that the graph does not use; set "
                "ignore_extra=True to ignore them"
            )
        desc["constants"] = [c.as_nd_ndarray() if hasattr(c, "as_nd_ndarray") else c for c in constants]
        block._loaded_graph = _core.CachedGraph.assemble(desc)
        block._input_meta = desc["inputs"]
        block._active = True
        return block

    def forward(self, x, *args):
        flat, _ = _flatten((x,) + args, "input")
        metas = [(tuple(a.shape), _onp.dtype(a.dtype).name) for a in flat]
        wanted = [(tuple(s), d) for s, d in self._input_meta]
        if metas != wanted:
            raise MXNetError(
                f"SymbolBlock: the graph was exported for inputs {wanted} (shape, dtype), got {metas}; mxlite's "
                "exported graphs keep the shapes they were captured with"
            )
        ctx = flat[0].ctx
        outs = self._loaded_graph.run(flat, [p.data(ctx) for p in self._graph_params])
        return outs[0] if len(outs) == 1 else outs

    def __call__(self, *args):
        return Block.__call__(self, *args)

    def hybridize(self, active=True, **kwargs):
        """A SymbolBlock always runs its graph."""

    def __repr__(self):
        return (
            f"SymbolBlock(inputs={[n for n in _input_names(len(self._input_meta))]}, params={len(self._graph_params)})"
        )
