"""The examples run: examples/train_digits.py (a Gluon MLP on scikit-learn's
bundled digits) reaches 95% test accuracy in 10 epochs and writes its plot."""

import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def test_train_digits_reaches_95_percent_and_plots(tmp_path):
    plot = tmp_path / "digits.png"
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "train_digits.py"), "--epochs", "10", "--plot", str(plot)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    final = [line for line in run.stdout.splitlines() if line.startswith("test accuracy:")]
    assert final and float(final[0].split(":")[1]) >= 0.95, run.stdout[-2000:]
    assert plot.stat().st_size > 1000 and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_digits_cnn_runs_briefly():
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "train_digits.py"), "--model", "cnn", "--epochs", "5", "--lr", "0.01",
         "--plot", ""],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    final = [line for line in run.stdout.splitlines() if line.startswith("test accuracy:")]
    assert final and float(final[0].split(":")[1]) >= 0.95, run.stdout[-2000:]
