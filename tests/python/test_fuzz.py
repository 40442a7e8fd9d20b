"""The project's differential fuzzer (tests/python/fuzz) at its CI seed.

10,000 random calls of mxnet.np / npx / autograd, each run in a worker subprocess and compared with NumPy
under MXNet 1.9.1's modelled rules (fuzz/rules.py). Any crash, hang, wrong value, dtype or gradient, or a
missing error fails the test with de-duplicated stand-alone reproducers. The long run is
``python tests/python/fuzz/run.py --calls 1000000 --seed 2025 --jobs 2``.
"""

import os

import pytest

from fuzz import calls as C
from fuzz import generator, oracle, report, runner

CI_SEED = 2025
CI_CALLS = 10_000


def test_fuzz_at_ci_seed():
    results = runner.run(CI_SEED, CI_CALLS, jobs=max(2, min(4, os.cpu_count() or 2)), hang_seconds=5.0)
    assert sum(results.outcomes.values()) == CI_CALLS
    if results.failures:
        pytest.fail(report.failures_text(results), pytrace=False)


def test_calls_are_a_function_of_seed_and_index():
    for index in (0, 1, 977, 5000):
        assert generator.generate(CI_SEED, index).reproducer() == generator.generate(CI_SEED, index).reproducer()
    assert generator.generate(CI_SEED, 1).reproducer() != generator.generate(CI_SEED + 1, 1).reproducer()


def test_oracle_is_not_vacuous():
    """Deliberately wrong answers are caught (value, dtype, gradient and missing error)."""
    setup = "a = np.array([1.5, -2.0], dtype='float32')"
    wrong_value = C.Call(0, "t", "", "float32", setup, "r = a * 2", "r = a * 3", tol="elementwise")
    wrong_dtype = C.Call(0, "t", "", "float32", setup, "r = a.astype('float64')", "r = a")
    missing = C.Call(0, "t", "", "float32", setup, "r = a", "r = a.reshape(7)")
    grad = C.Call(
        0,
        "t",
        "",
        "float64",
        "x0 = np.array([0.5, 1.0], dtype='float64')\nh = np.ones(2)",
        "x0.attach_grad()\nwith autograd.record():\n    r = np.sin(x0)\nr.backward(h)",
        "r = np.cos(x0)",
        expect=C.GRAD,
        tol="accumulate",
        leaves=("x0",),
    )
    grad.setup = grad.setup.replace("np.ones(2)", "np.array([1.0, 1.0], dtype='float64')")
    assert oracle.judge(wrong_value)[0] == C.WRONG_VALUE
    assert oracle.judge(wrong_dtype)[0] == C.WRONG_DTYPE
    assert oracle.judge(missing)[0] == C.MISSING_ERROR
    assert oracle.judge(grad)[0] == C.WRONG_VALUE  # the values already differ (sin vs cos)
    grad.ref = "r = np.sin(x0)"
    assert oracle.judge(grad)[0] == C.OK
    grad.code = grad.code.replace("np.sin(x0)", "np.sin(x0) + x0 * 0.001")
    grad.ref = "r = np.sin(x0) + x0 * 0.001"
    grad.code = grad.code.replace("r.backward(h)", "r.backward(h * 2)")
    assert oracle.judge(grad)[0] == C.WRONG_GRAD
