"""``gluon.Trainer`` as MXNet 1.9.1 has it, for one process: the optimizer
applied to a set of Parameters, their gradients first summed over the
contexts each parameter lives on (what MXNet's 'device'/'local' kvstore does
within one machine) and rescaled by 1 / batch_size."""

import os

from .. import autograd
from ..base import NotSupportedError
from ..context import cpu
from .parameter import Parameter, ParameterDict, _sum_on_cpu0

__all__ = ["Trainer"]

_LOCAL_KVSTORES = (None, "local", "device")
_DIST_KVSTORES = ("dist_sync", "dist_device_sync", "horovod")


def _dist_kvstore_spec(kvstore):
    """The kvstore that keeps processes in sync (a name or a KVStore object), or None."""
    from ..kvstore import KVStoreBase

    if isinstance(kvstore, KVStoreBase):
        return kvstore
    if isinstance(kvstore, str) and kvstore.lower() in _DIST_KVSTORES:
        return kvstore.lower()
    return None


class Trainer:
    """Applies ``optimizer`` (an Optimizer, or its name with
    ``optimizer_params``) to ``params`` (a ParameterDict, a dict or a list of
    Parameters; a dict's are taken in sorted name order, as MXNet indexes them)."""

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device", compression_params=None,
                 update_on_kvstore=None):  # fmt: skip
        if isinstance(params, (dict, ParameterDict)):
            params = [params[key] for key in sorted(params.keys())]
        if not isinstance(params, (list, tuple)):
            raise ValueError(f"First argument must be a list or dict of Parameters, got {type(params)}.")
        self._params = []
        self._param2idx = {}
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise ValueError(f"First argument must be a list or dict of Parameters, got list of {type(param)}.")
            if param.name in self._param2idx:
                raise ValueError(f"Parameter '{param.name}' is given to the Trainer more than once")
            self._param2idx[param.name] = i
            self._params.append(param)
            param._trainer = self
        self._kv_spec = _dist_kvstore_spec(kvstore)  # None: gradients stay in this process
        if self._kv_spec is None and not (kvstore in _LOCAL_KVSTORES or kvstore is False):
            raise NotSupportedError(
                f"Trainer: kvstore={kvstore!r} is not supported: use None/'local'/'device' (one process), "
                "'dist_sync', 'dist_device_sync', 'horovod' or a KVStore object"
            )
        if compression_params is not None:
            raise NotSupportedError("Trainer: compression_params (gradient compression) is not supported by mxlite")
        if update_on_kvstore and self._kv_spec is None:
            raise NotSupportedError(
                "Trainer: update_on_kvstore=True needs a kvstore ('dist_sync', 'dist_device_sync' or a KVStore "
                "object); within one process the Trainer updates the parameters itself"
            )
        self._kvstore = kvstore if self._kv_spec is None else None
        self._update_on_kvstore = False
        self._update_on_kvstore_arg = update_on_kvstore
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad
        if self._kv_spec is not None and all(p._data is not None for p in self._params):
            self._init_kvstore()  # every rank starts from rank 0's parameters

    def _init_optimizer(self, optimizer, optimizer_params):
        from .. import optimizer as opt

        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise AssertionError(
                    "optimizer_params must be None if optimizer is an instance of Optimizer instead of str"
                )
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        self._updaters = {}
        self._plan = self._plan_generation = self._multi_context = None

    def _updater(self, ctx):
        """One Updater (with its own optimizer states) per context, as MXNet keeps them."""
        from .. import optimizer as opt

        if ctx not in self._updaters:
            self._updaters[ctx] = opt.get_updater(self._optimizer)
        return self._updaters[ctx]

    @property
    def optimizer(self):
        return self._optimizer

    @property
    def learning_rate(self):
        return self._optimizer.learning_rate

    def set_learning_rate(self, lr):
        """Sets the optimizer's learning rate (an lr_scheduler in use forbids it, as in MXNet)."""
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        """One update: gradients summed over contexts, scaled by 1 / batch_size,
        then the optimizer on every parameter with a fresh gradient (a stale one
        raises unless ``ignore_stale_grad``, which skips it)."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sums each parameter's gradients over its contexts (in place on every copy), and with
        a distributed kvstore over all the processes."""
        self._check_not_on_kvstore("allreduce_grads")
        self._allreduce_grads()

    # ---- distributed kvstore (dist_sync, dist_device_sync, horovod) ----------------------
    def _init_kvstore(self):
        """Creates the kvstore, sets the optimizer on it for update_on_kvstore, and gives every
        rank rank 0's parameters (shapes checked across ranks, mismatches named)."""
        from .. import kvstore as kvs

        spec = self._kv_spec
        kv = spec if isinstance(spec, kvs.KVStoreBase) else kvs.create(spec)
        kv._key_names = {i: p.name for i, p in enumerate(self._params)}
        capable = kv.is_capable(kvs.KVStoreBase.OPTIMIZER)
        on_kv = capable if self._update_on_kvstore_arg is None else bool(self._update_on_kvstore_arg)
        if on_kv and not capable:
            raise ValueError(f"Please set update_on_kvstore=False when training with kvstore {kv.type!r}")
        if on_kv:
            kv.set_optimizer(self._optimizer)
        live = [(i, p) for i, p in enumerate(self._params) if p._data is not None]
        if len(live) != len(self._params):
            missing = [p.name for p in self._params if p._data is None]
            raise RuntimeError(f"Trainer: parameters {missing} are not initialized; run a forward pass first")
        with autograd.pause():
            kv.broadcast(
                [i for i, _ in live], [p.list_data()[0] for _, p in live], out=[p.list_data() for _, p in live]
            )
        self._kvstore = kv
        self._update_on_kvstore = on_kv

    def _check_not_on_kvstore(self, what):
        if self._update_on_kvstore:
            raise AssertionError(
                f"{what}() when parameters are updated on kvstore is not supported. Try setting "
                "`update_on_kvstore` to False when creating trainer."
            )

    def _allreduce_grads(self):
        if self._kv_spec is None:
            return self._sum_grads_over_contexts()
        if self._kvstore is None:
            self._init_kvstore()
        live = [(i, p) for i, p in enumerate(self._params) if p.grad_req != "null" and p._data is not None]
        with autograd.pause():
            if self._update_on_kvstore:  # summed over ranks, updated in the store, pulled into the data
                self._kvstore.pushpull(
                    [i for i, _ in live], [p.list_grad() for _, p in live], out=[p.list_data() for _, p in live]
                )
            elif self._overlap_for(live) is not None:  # reductions started during backward
                self._overlap.finish()
            else:  # summed over ranks in place, in buckets
                self._kvstore._allreduce_lists([p.list_grad() for _, p in live], inplace=True)

    def _overlap_for(self, live):
        """The reducer that starts buckets while backward runs (MXNET_KVSTORE_OVERLAP=1), rebuilt
        when parameters change; None where it does not apply (several contexts, grad_req other
        than 'write', a store without MPI)."""
        if os.environ.get("MXNET_KVSTORE_OVERLAP", "0") != "1" or not hasattr(self._kvstore, "_comm"):
            return None
        key = (Parameter._generation, tuple(i for i, _ in live))
        if getattr(self, "_overlap_key", None) == key:
            return self._overlap
        if getattr(self, "_overlap", None) is not None:
            self._overlap.close()
        self._overlap = None
        self._overlap_key = key
        if all(p.grad_req == "write" and len(p._data) == 1 for _, p in live):
            from ..kvstore.dist import _Overlap

            self._overlap = _Overlap(self._kvstore, [p for _, p in live])
        return self._overlap

    def _sum_grads_over_contexts(self):
        self._update_plan()
        if not self._multi_context:
            return
        with autograd.pause():
            for param in self._multi_context:
                grads = param.list_grad()
                total = _sum_on_cpu0(grads)
                for g in grads:
                    g[:] = total

    def update(self, batch_size, ignore_stale_grad=False):
        """The optimizer step alone (after allreduce_grads), with gradients scaled by 1 / batch_size."""
        self._check_not_on_kvstore("update")
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _update_plan(self):
        """Per trained parameter: (index, param, copies), copies a list of
        (value, its nd view, the gradient's nd view, the context's Updater), or
        None while the parameter has no value (list_data then raises); and
        self._multi_context, the trained parameters on several contexts. Built
        once and rebuilt when a parameter's values, gradients or grad_req
        change (initialize, reset_ctx, cast, grad_req= bump Parameter._generation)."""
        if self._plan_generation == Parameter._generation:
            return self._plan
        from ..optimizer.optimizer import _as_nd

        plan, multi = [], []
        for index, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            if param._data is None:
                plan.append((index, param, None))
                continue
            if len(param._data) > 1:
                multi.append(param)
            copies = []
            for d, g in zip(param.list_data(), param.list_grad()):
                copies.append(
                    (d, _as_nd(d, "Trainer", "weight"), _as_nd(g, "Trainer", "grad"), self._updater(d.context))
                )
            plan.append((index, param, copies))
        self._plan, self._plan_generation, self._multi_context = plan, Parameter._generation, multi
        return plan

    def _update(self, ignore_stale_grad):
        for index, param, copies in self._update_plan():
            if copies is None:
                param.list_data()  # raises: not initialized (or deferred)
            if not ignore_stale_grad:
                for d, _, _, _ in copies:
                    if not d._fresh_grad:
                        raise UserWarning(
                            f"Gradient of Parameter `{param.name}` on context {d.context} has not been updated by "
                            "backward since last `step`. This could mean a bug in your model that made it only use a "
                            "subset of the Parameters (Blocks) for this iteration. If you are intentionally only "
                            "using a subset, call step with ignore_stale_grad=True to suppress this warning and skip "
                            "updating of Parameters with stale gradient"
                        )
            if self._update_on_kvstore:  # the kvstore applied the optimizer in _allreduce_grads
                for d, _, _, _ in copies:
                    d._fresh_grad = False
                continue
            for d, weight, grad, updater in copies:
                if ignore_stale_grad and not d._fresh_grad:
                    continue
                updater(index, grad, weight)
                d._fresh_grad = False

    def save_states(self, fname):
        """Writes the optimizer states (of the first context) to ``fname``."""
        if self._update_on_kvstore:
            self._kvstore.save_optimizer_states(fname, dump_optimizer=False)
            return
        updater = self._updater(self._first_context())
        with open(fname, "wb") as f:
            f.write(updater.get_states(dump_optimizer=False))

    def load_states(self, fname):
        """Reads optimizer states written by save_states into every context's updater."""
        with open(fname, "rb") as f:
            states = f.read()
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            self._kvstore._updater.optimizer = self._optimizer
            return
        contexts = {d.context for p in self._params if p._data is not None for d in p.list_data()}
        for ctx in contexts or {self._first_context()}:
            updater = self._updater(ctx)
            updater.set_states(states)
            updater.optimizer = self._optimizer

    def _first_context(self):
        for p in self._params:
            if p._data is not None:
                return next(iter(p._data))
        return cpu(0)
