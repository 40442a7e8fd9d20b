"""``mxnet.gluon.data``: datasets, samplers and the DataLoader (MXNet 1.9.1's API)."""

from .dataloader import DataLoader, default_batchify_fn, default_mp_batchify_fn  # noqa: F401
from .dataset import ArrayDataset, Dataset, SimpleDataset  # noqa: F401
from .sampler import BatchSampler, FilterSampler, RandomSampler, Sampler, SequentialSampler  # noqa: F401
