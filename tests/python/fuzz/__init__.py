"""mxlite's differential fuzzer.

Random calls of ``mxnet.np`` / ``npx`` / ``autograd`` are generated as stand-alone Python source text
(``generator``), run in worker subprocesses (``worker``, driven by ``runner``) and judged against NumPy
with MXNet 1.9.1's documented deviations modelled in one place (``rules``, applied by ``oracle``).
``run.py`` is the command line; ``tests/python/test_fuzz.py`` runs a fixed-seed slice in the suite.

Call ``k`` of seed ``s`` is always the same source text, so a failure is reproduced by its text alone or by
``python tests/python/fuzz/run.py --seed s --only k``.
"""
