"""``mxnet.gluon.data``: datasets, samplers and the DataLoader (MXNet 1.9.1's API)."""

from .dataloader import DataLoader, default_batchify_fn, default_mp_batchify_fn  # noqa: F401
from .dataset import ArrayDataset, Dataset, SimpleDataset  # noqa: F401
from .sampler import BatchSampler, FilterSampler, RandomSampler, Sampler, SequentialSampler, SplitSampler  # noqa: F401


def __getattr__(name):
    # vision: imported on first use so that ``import mxnet`` does not pay for them.
    if name in ("vision",):
        import importlib

        module = importlib.import_module(".vision", __name__)
        globals().update(dict.fromkeys(("vision",), module))
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
