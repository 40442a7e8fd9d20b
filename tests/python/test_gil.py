"""Long kernels run without the GIL, so other Python threads make progress
while one thread computes."""

import sys
import threading
import time

import numpy as onp
import pytest

from mxnet import np
from mxnet.base import MXNetError


def test_other_threads_run_during_a_long_kernel():
    a = np.array(onp.random.default_rng(0).random(20_000_000, dtype=onp.float32))
    in_kernel = threading.Event()
    done = threading.Event()

    def worker():
        in_kernel.set()
        for _ in range(3):
            np.exp(a)  # one call; holds the GIL only if the release is missing
        done.set()

    old = sys.getswitchinterval()
    # No time-sliced GIL hand-over: the main thread can only run while the
    # worker is inside a kernel that released the GIL.
    sys.setswitchinterval(10.0)
    try:
        t = threading.Thread(target=worker)
        t.start()
        in_kernel.wait()
        progress = 0
        while not done.is_set():
            progress += 1
            if progress % 1000 == 0:
                time.sleep(0)  # hands the GIL to the worker between its kernels
        t.join()
    finally:
        sys.setswitchinterval(old)
    # Without the release the main thread only counts before the first kernel
    # (up to its first sleep), i.e. at most about 1000.
    assert progress > 5000


def test_small_ops_and_errors_still_work_after_long_kernels():
    a = np.ones((300, 300))
    assert float((a * 2).sum()) == 180000.0
    with pytest.raises(MXNetError, match=r"\(300, ?300\)"):
        np.ones((300, 300)) + np.ones((2, 300))
    assert float(np.ones(3).sum()) == 3.0
