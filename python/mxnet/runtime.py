"""Which features this build of the engine has, as MXNet's ``mxnet.runtime``.

    import mxnet
    features = mxnet.runtime.Features()
    features.is_enabled("MKLDNN")   # convolutions on oneDNN (MXLITE_WITH_DNNL builds)
    features.is_enabled("BLAS_OPEN")

The names and their order are MXNet 1.9.1's. ``MKLDNN`` (MXNet's name for
oneDNN; ``ONEDNN`` is an alias accepted by ``is_enabled``) says whether
float32 convolutions run on oneDNN now: a build with ``MXLITE_WITH_DNNL=ON``
and the environment variable ``MXLITE_DNNL`` not set to ``0``.
"""

import collections

from . import _core

__all__ = ["Feature", "feature_list", "Features"]

_NAMES = (
    "CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT", "CPU_SSE", "CPU_SSE2", "CPU_SSE3", "CPU_SSE4_1",
    "CPU_SSE4_2", "CPU_SSE4A", "CPU_AVX", "CPU_AVX2", "OPENMP", "SSE", "F16C", "JEMALLOC", "BLAS_OPEN",
    "BLAS_ATLAS", "BLAS_MKL", "BLAS_APPLE", "LAPACK", "MKLDNN", "OPENCV", "CAFFE", "PROFILER",
    "DIST_KVSTORE", "CXX14", "INT64_TENSOR_SIZE", "SIGNAL_HANDLER", "DEBUG", "TVM_OP",
)  # fmt: skip


class Feature:
    """A compile-time feature: ``name`` and ``enabled``."""

    __slots__ = ("_name", "_enabled")

    def __init__(self, name, enabled):
        self._name = name
        self._enabled = bool(enabled)

    @property
    def name(self):
        """Feature name."""
        return self._name

    @property
    def enabled(self):
        """True if the engine was built with the feature."""
        return self._enabled

    def __repr__(self):
        return ("✔ {}" if self._enabled else "✖ {}").format(self._name)


def _states():
    cpu = dict(_core.compiled_cpu_features())
    dnnl = _core.conv_uses_dnnl()
    on = {
        "BLAS_OPEN": _core.gemm_uses_blas(),
        "LAPACK": _core.have_lapack(),
        "MKLDNN": dnnl,
        "OPENMP": dnnl,  # only oneDNN's threads are OpenMP ones; the engine has its own pool
        "SSE": cpu.get("CPU_SSE", False),
        "CXX14": True,  # the engine is C++17
        "INT64_TENSOR_SIZE": True,  # shapes and sizes are 64-bit
    }
    on.update(cpu)
    return [(name, on.get(name, False)) for name in _NAMES]


def feature_list():
    """The list of :class:`Feature` of this build, in MXNet's order."""
    return [Feature(name, enabled) for name, enabled in _states()]


class Features(collections.OrderedDict):
    """OrderedDict of feature name to :class:`Feature` (one shared instance)."""

    instance = None

    def __new__(cls):
        if cls.instance is None:
            cls.instance = super().__new__(cls)
            super(Features, cls.instance).__init__([(f.name, f) for f in feature_list()])
        return cls.instance

    def __init__(self):  # filled once in __new__
        pass

    def __repr__(self):
        return str(list(self.values()))

    def is_enabled(self, feature_name):
        """True if the feature is enabled; RuntimeError for an unknown name."""
        name = feature_name.upper()
        if name == "ONEDNN":
            name = "MKLDNN"
        if name not in self:
            raise RuntimeError("Feature '{}' is unknown, known features are: {}".format(name, list(self.keys())))
        return self[name].enabled
