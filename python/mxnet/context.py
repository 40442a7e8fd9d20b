"""Devices. Only the CPU computes; ``cpu(i)`` labels arrays as in MXNet (one copy of a
parameter per context in data-parallel code), and ``gpu(i)`` can be named but holds no arrays."""


class Context:
    """A device: ``Context('cpu', 0)`` prints as ``cpu(0)``, as in MXNet."""

    def __init__(self, device_type="cpu", device_id=0):
        if isinstance(device_type, Context):
            device_type, device_id = device_type.device_type, device_type.device_id
        self.device_type = device_type
        self.device_id = device_id

    def __repr__(self):
        return f"{self.device_type}({self.device_id})"

    __str__ = __repr__

    def __eq__(self, other):
        return (
            isinstance(other, Context) and self.device_id == other.device_id and self.device_type == other.device_type
        )

    def __hash__(self):
        return hash((self.device_type, self.device_id))

    def __enter__(self):
        """``with mx.cpu(1):`` makes cpu(1) the current context on this thread."""
        if self.device_type != "cpu":
            from .base import NotSupportedError

            raise NotSupportedError(f"with {self}: mxlite computes on the CPU only")
        from . import _core

        _core.push_context(int(self.device_id))
        return self

    def __exit__(self, *exc):
        from . import _core

        _core.pop_context()
        return False

    @classmethod
    def _current(cls):
        from . import _core

        return cls("cpu", _core.default_device_id())


def cpu(device_id=0):
    """The CPU device."""
    return Context("cpu", device_id)


def gpu(device_id=0):
    """A GPU device. mxlite computes on the CPU only: arrays placed here raise."""
    return Context("gpu", device_id)


def current_context():
    """The current context: cpu(0), or the innermost ``with mx.cpu(i):`` on this thread."""
    return Context._current()


def num_gpus():
    """Number of GPUs mxlite can use: none."""
    return 0
