"""Devices. Only the CPU exists; ``gpu(i)`` is accepted so code can name it."""


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
        return isinstance(other, Context) and (self.device_type, self.device_id) == (other.device_type, other.device_id)

    def __hash__(self):
        return hash((self.device_type, self.device_id))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def cpu(device_id=0):
    """The CPU device."""
    return Context("cpu", device_id)


def gpu(device_id=0):
    """A GPU device. mxlite computes on the CPU only: arrays placed here raise."""
    return Context("gpu", device_id)


def current_context():
    """The default device: always ``cpu(0)``."""
    return cpu(0)


def num_gpus():
    """Number of GPUs mxlite can use: none."""
    return 0
