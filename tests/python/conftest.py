import os
from pathlib import Path

import pytest

# CI checks out the project with ../shared beside it.
SEEDS_DIR = Path(os.environ.get("MXLITE_SEEDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "seeds"))


@pytest.fixture(scope="session")
def seeds_dir():
    if not SEEDS_DIR.is_dir():
        pytest.fail(f"tutorial seeds not found at {SEEDS_DIR} (set MXLITE_SEEDS_DIR)")
    return SEEDS_DIR


def seed_file(directory, prefix):
    matches = sorted(directory.glob(prefix + "_*.txt"))
    assert matches, f"no seed {prefix}_*.txt in {directory}"
    return matches[0]


def assert_library_usable():
    """A fresh record/backward round trip still works and recording is off."""
    from mxnet import autograd, np

    x = np.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 4.0]
    assert not autograd.is_recording()
