import os
import sys
from pathlib import Path

import pytest

# CI checks out the project with ../shared beside it.
SEEDS_DIR = Path(os.environ.get("MXLITE_SEEDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "seeds"))


@pytest.fixture
def np_mode():
    """Runs a test in numpy mode (npx.set_np()), restoring legacy mode after."""
    from mxnet import npx

    npx.set_np()
    yield
    npx.reset_np()


@pytest.fixture(params=[False, True], ids=["nd", "np"])
def numpy_mode(request):
    """Runs a test in legacy mode and in numpy mode; the value says which."""
    from mxnet import npx

    if request.param:
        npx.set_np()
    yield request.param
    npx.reset_np()


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


def pytest_terminal_summary(terminalreporter):
    """Prints the user-facing coverage test_api_surface.py measured."""
    module = sys.modules.get("test_api_surface")
    report = getattr(module, "REPORT", None)
    if not report:
        return
    terminalreporter.section("coverage of MXNet 1.9.1's user-facing names")
    for namespace, (present, total) in report.items():
        terminalreporter.write_line(f"{namespace:22s} {present:4d} / {total:4d}  {100 * present / total:5.1f}%")
