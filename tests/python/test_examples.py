"""The examples run: examples/train_digits.py (a Gluon MLP on scikit-learn's
bundled digits) reaches 95% test accuracy in 10 epochs and writes its plot, and
examples/char_lstm.py lowers its perplexity every epoch."""

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


def _digits_test_accuracy(*args):
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "train_digits.py"), "--epochs", "10", "--plot", "", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    final = [line for line in run.stdout.splitlines() if line.startswith("test accuracy:")]
    assert final, run.stdout[-2000:]
    return float(final[0].split(":")[1])


def test_train_digits_cnn_beats_the_mlp():
    # Same data split, seed and 10 epochs: the BatchNorm CNN ends above the MLP (0.984 vs 0.978).
    cnn, mlp = _digits_test_accuracy("--model", "cnn"), _digits_test_accuracy("--model", "mlp")
    assert cnn >= 0.98 and cnn > mlp, (cnn, mlp)


def test_char_lstm_perplexity_falls():
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "char_lstm.py"), "--epochs", "3", "--max-steps", "4", "--hidden", "64",
         "--sample", "20"],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    ppl = [float(line.split()[-1]) for line in run.stdout.splitlines() if line.startswith("epoch")]
    assert len(ppl) == 3, run.stdout[-2000:]
    # A uniform guess over the ~50 characters has perplexity ~50; training lowers it every epoch.
    assert ppl[0] < 60 and ppl[2] < ppl[1] < ppl[0], ppl
    assert "sample: It is a truth" in run.stdout, run.stdout[-2000:]
