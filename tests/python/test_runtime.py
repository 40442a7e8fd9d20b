"""mxnet.runtime: the feature list in MXNet 1.9.1's names and order, lookups,
and that MKLDNN reports the convolution backend the engine runs."""

import pytest

import mxnet as mx
from mxnet import _core

MXNET_1_9_1_FEATURES = [
    "CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT", "CPU_SSE", "CPU_SSE2", "CPU_SSE3", "CPU_SSE4_1",
    "CPU_SSE4_2", "CPU_SSE4A", "CPU_AVX", "CPU_AVX2", "OPENMP", "SSE", "F16C", "JEMALLOC", "BLAS_OPEN",
    "BLAS_ATLAS", "BLAS_MKL", "BLAS_APPLE", "LAPACK", "MKLDNN", "OPENCV", "CAFFE", "PROFILER",
    "DIST_KVSTORE", "CXX14", "INT64_TENSOR_SIZE", "SIGNAL_HANDLER", "DEBUG", "TVM_OP",
]  # fmt: skip


def test_names_order_and_singleton():
    f = mx.runtime.Features()
    assert list(f.keys()) == MXNET_1_9_1_FEATURES
    assert mx.runtime.Features() is f
    assert [x.name for x in mx.runtime.feature_list()] == MXNET_1_9_1_FEATURES
    assert all(isinstance(x.enabled, bool) for x in f.values())
    assert repr(f["CUDA"]) == "✖ CUDA"


def test_is_enabled():
    f = mx.runtime.Features()
    assert f.is_enabled("cuda") is False
    assert f.is_enabled("BLAS_OPEN") == _core.gemm_uses_blas()
    assert f.is_enabled("LAPACK") == _core.have_lapack()
    assert f.is_enabled("MKLDNN") == _core.conv_uses_dnnl() == f.is_enabled("ONEDNN")
    with pytest.raises(RuntimeError, match="unknown"):
        f.is_enabled("NO_SUCH_FEATURE")
