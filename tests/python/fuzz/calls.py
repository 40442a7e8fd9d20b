"""What one generated call is, what can come of it, and how it reads as a stand-alone reproducer."""

from dataclasses import dataclass, field
from typing import Optional, Tuple

# What the oracle is asked to check.
VALUE = "value"  # mxlite's r equals the reference's r (values, shape, dtype)
RAISE = "raise"  # NumPy and MXNet 1.9.1 reject the call: mxlite must raise a Python exception
RAISE_OR_VALUE = "raise-or-value"  # either a clean exception or the reference value (e.g. MXNet rejects, NumPy not)
NO_CRASH = "no-crash"  # anything but a crash or a hang (semantics unspecified, e.g. garbage inputs)
GRAD = "grad"  # values as VALUE, and each input's .grad equals central finite differences
GRAD2 = "grad2"  # .grad of <v, d<h, r>/dx> (a second derivative) equals finite differences

# Outcome classes. FAILURES fail the suite; UNSUPPORTED is reported only.
OK = "ok"
CRASH = "crash"
HANG = "hang"
WRONG_VALUE = "wrong-value"
WRONG_DTYPE = "wrong-dtype"
WRONG_GRAD = "wrong-grad"
MISSING_ERROR = "missing-error"
ERROR = "error"  # mxlite raises on a call it must support (Call.must_work)
UNSUPPORTED = "unsupported"
FUZZER_ERROR = "fuzzer-error"  # the reference side failed where it must not: a bug in this fuzzer
FAILURES = (CRASH, HANG, WRONG_VALUE, WRONG_DTYPE, WRONG_GRAD, MISSING_ERROR, ERROR, FUZZER_ERROR)
OUTCOMES = (OK, UNSUPPORTED) + FAILURES


@dataclass
class Call:
    index: int
    func: str  # what is called, for grouping: 'add', 'op:+=', 'sum', 'getitem', ...
    variant: str  # how: 'scalar-right', 'axis-tuple', ... ('' for the plain form)
    dtypes: str  # input dtypes, e.g. 'int32,pyfloat'
    setup: str  # makes the inputs; valid with np = mxnet.np and np = numpy
    code: str  # mxlite statements computing r
    ref: Optional[str] = None  # NumPy statements computing r (None: nothing to compare)
    expect: str = VALUE
    dtype: Optional[str] = None  # modelled result dtype (None: the reference's own)
    upcast: bool = False  # reference computed from float64 copies of float32 inputs
    tol: str = "exact"  # 'exact', 'elementwise' or 'accumulate' (see oracle.tolerance)
    terms: int = 1  # products/terms summed per output element, for 'accumulate'
    must_work: bool = False  # an exception from mxlite here is a failure, not 'unsupported'
    alternatives: Tuple[Tuple[str, Optional[str]], ...] = ()  # other acceptable (ref, dtype), MXNet vs mxlite
    leaves: Tuple[str, ...] = ()  # GRAD/GRAD2: names of the differentiated inputs (float64)
    note: str = ""  # why the expectation is what it is (shown in reports)
    seed: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def key(self):
        """Label for grouping failures: function, variant and input dtypes."""
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.func}{variant}({self.dtypes})"

    def reproducer(self):
        """Stand-alone source: runs on mxlite (or MXNet 1.9.1) and shows what the oracle expected."""
        lines = ["from mxnet import np, npx, autograd", self.setup.rstrip(), self.code.rstrip()]
        if self.expect in (GRAD, GRAD2):
            lines.append("print(" + ", ".join(f"{name}.grad" for name in self.leaves) + ")")
        else:
            lines.append("print(repr(r))")
        expectation = {
            VALUE: "expected (NumPy reference, mxlite's modelled rules):",
            RAISE: "expected: a Python exception (NumPy and MXNet 1.9.1 reject this)",
            RAISE_OR_VALUE: "expected: a Python exception, or this reference:",
            NO_CRASH: "expected: any result or a Python exception, never a crash or hang",
            GRAD: "expected: values of the reference below, gradients = central differences of it:",
            GRAD2: "expected: second derivatives = nested central differences of:",
        }[self.expect]
        lines.append(f"# {expectation}")
        if self.ref is not None and self.expect != RAISE:
            lines += ["#   " + line for line in self.ref.rstrip().splitlines()]
            if self.dtype:
                lines.append(f"#   (result dtype {self.dtype})")
        for ref, dtype in self.alternatives:
            lines.append("# or (MXNet 1.9.1's answer):")
            lines += ["#   " + line for line in ref.rstrip().splitlines()]
            if dtype:
                lines.append(f"#   (result dtype {dtype})")
        if self.note:
            lines.append(f"# note: {self.note}")
        texts = " ".join([self.ref or ""] + [ref for ref, _ in self.alternatives])
        names = (
            "mx_scalar",
            "int_power",
            "c_pow",
            "relu",
            "sigmoid",
            "softmax",
            "log_softmax",
            "erf",
            "gamma",
            "gammaln",
        )
        helpers = [name for name in names if f"{name}(" in texts.replace("np.", " ")]
        if helpers:
            lines.append(f"# ({', '.join(helpers)}: reference helpers in tests/python/fuzz/rules.py)")
        return "\n".join(line for line in lines if line)
