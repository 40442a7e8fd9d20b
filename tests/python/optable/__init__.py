"""The op table: one entry (OpCase) per op and calling convention, gathered
from every module of this package (one module per op family, each defining
``CASES``). tests/python/test_op_table.py turns every entry into tests of
values against NumPy, result dtypes, gradients against float64 finite
differences, inputs that are views, and errors for bad calls.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence


@dataclass
class OpCase:
    name: str  # test id, e.g. "sum-axis1-keepdims"
    mx: Callable  # f(*mxnet arrays) -> mxnet array (or tuple)
    ref: Callable  # f(*numpy arrays) -> numpy array, same meaning
    shapes: Sequence[tuple]  # input shape tuples, one value test each: include
    # broadcasting, 0-d (()) and empty (0 extent) where valid
    grad_shapes: Optional[Sequence[tuple]] = None  # default: shapes without empty arrays;
    # [] for ops that are not differentiable
    low: float = -1.0  # inputs drawn uniformly from [low, high)
    high: float = 1.0
    int_inputs: Sequence[int] = ()  # positions of integer inputs (indices), drawn
    int_range: tuple = (0, 3)  # from int_range, passed as int64, never differentiated
    input_maker: Optional[Callable] = None  # rng, shapes -> list of numpy inputs (overrides the above)
    dtypes: Sequence[tuple] = ()  # (input dtype names, expected result dtype name): MXNet's rules
    dtype_shape: Optional[tuple] = None  # input shapes for the dtype checks (default shapes[0])
    errors: Sequence[tuple] = ()  # (callable that must raise, exception type, regex on message)
    rtol: float = 1e-7
    atol: float = 1e-12
    grad_rtol: float = 1e-5
    grad_atol: float = 1e-7
    views: bool = True  # also run shapes[0] on inputs that are views of a larger array
    second_order: bool = True  # also check second derivatives (False: say why beside it)
    extra: Any = field(default=None)  # free for the family module


def all_cases():
    cases = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(module.CASES)
    names = [c.name for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate op-table names: {sorted(dup)}"
    return cases
