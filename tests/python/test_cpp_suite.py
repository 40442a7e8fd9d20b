"""Builds the engine's C++ tests (tests/cpp) with CMake and runs them with
ctest, so the one test command covers Python and C++ alike."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "cpp-tests"


def run(cmd):
    proc = subprocess.run(cmd, cwd=BUILD, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_cpp_suite_passes_under_ctest():
    BUILD.mkdir(parents=True, exist_ok=True)
    run(["cmake", str(ROOT), "-DMXLITE_BUILD_TESTS=ON", "-DCMAKE_BUILD_TYPE=Release"])
    run(["cmake", "--build", ".", "--parallel", str(os.cpu_count() or 2)])
    out = run(["ctest", "--output-on-failure"])
    assert "100% tests passed" in out
