"""The C++ side, driven from the one test command: builds the engine and its
C++ tests (tests/cpp) with CMake and runs them with ctest, then installs the
C++ package into a temporary prefix and builds and runs examples/cpp against
it, as a program embedding mxlite would."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "cpp-tests"
JOBS = str(min(os.cpu_count() or 2, 4))


def run(cmd, cwd=BUILD):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def configure_args():
    """ccache and Ninja when present (Ninja only for a new build directory)."""
    args = []
    if shutil.which("ccache"):
        args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    if shutil.which("ninja") and not (BUILD / "CMakeCache.txt").exists():
        args += ["-G", "Ninja"]
    return args


@pytest.fixture(scope="module")
def engine_build():
    """One build directory for the engine and the C++ tests, built once."""
    BUILD.mkdir(parents=True, exist_ok=True)
    run(["cmake", ROOT, *configure_args(), "-DMXLITE_BUILD_TESTS=ON", "-DCMAKE_BUILD_TYPE=Release"])
    run(["cmake", "--build", ".", "--parallel", JOBS])
    return BUILD


def test_cpp_suite_passes_under_ctest(engine_build):
    out = run(["ctest", "--output-on-failure"], cwd=engine_build)
    assert "100% tests passed" in out
    # Every test file ran (a missing executable would not count as a failure).
    assert int(re.search(r"tests passed.* out of (\d+)", out).group(1)) >= 8


def test_installed_package_builds_and_runs_the_example(engine_build, tmp_path):
    prefix = tmp_path / "prefix"
    run(["cmake", "--install", ".", "--prefix", prefix], cwd=engine_build)
    assert (prefix / "include" / "mxlite" / "mxlite.h").is_file()
    config = list(prefix.glob("lib*/cmake/mxlite/mxliteConfig.cmake"))
    assert config, "mxliteConfig.cmake was not installed"
    assert (config[0].parent / "mxliteConfigVersion.cmake").is_file()
    assert list(prefix.glob("lib*/libmxlite.a"))

    # The example is configured from the installed files only (no source tree).
    example_build = tmp_path / "example-build"
    args = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []
    run(
        [
            "cmake",
            "-S",
            ROOT / "examples" / "cpp",
            "-B",
            example_build,
            *args,
            f"-DCMAKE_PREFIX_PATH={prefix}",
            "-DCMAKE_BUILD_TYPE=Release",
        ],
        cwd=tmp_path,
    )
    run(["cmake", "--build", example_build, "--parallel", JOBS], cwd=tmp_path)
    exe = example_build / "linear_regression"
    out = run([exe], cwd=tmp_path)

    losses = [float(v) for v in re.findall(r"^epoch \d+ loss (\S+)$", out, re.M)]
    assert len(losses) == 11, out
    # Falls until it reaches the noise floor (noise std 0.01: loss ~5e-5), never rises.
    assert all(b < a for a, b in zip(losses[:6], losses[1:6])), f"loss did not fall: {losses}"
    assert all(b <= a for a, b in zip(losses, losses[1:])), f"loss rose: {losses}"
    assert losses[-1] < 1e-3 < 1.0 < losses[0], losses
    fitted = re.search(r"^fit  w = \[(\S+), (\S+), (\S+)\], b = (\S+)$", out, re.M)
    assert fitted, out
    assert [round(float(v), 1) for v in fitted.groups()] == [2.0, -3.4, 1.5, 4.2]


def test_cpp_package_rules_are_all_in_the_dev_component(engine_build, tmp_path):
    """The wheel installs only the "python" component, so every C++ package
    rule must be in "dev": nothing in "python" or in the unnamed default."""
    for component in ("python", "Unspecified"):
        prefix = tmp_path / component
        run(["cmake", "--install", ".", "--prefix", prefix, "--component", component], cwd=engine_build)
        assert not [p for p in prefix.rglob("*") if p.is_file()], component
    dev = tmp_path / "dev"
    run(["cmake", "--install", ".", "--prefix", dev, "--component", "dev"], cwd=engine_build)
    assert (dev / "include" / "mxlite" / "mxlite.h").is_file()
    assert list(dev.glob("lib*/libmxlite.a")) and list(dev.glob("lib*/cmake/mxlite/mxliteTargets.cmake"))
