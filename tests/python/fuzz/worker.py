"""Worker process: runs calls [start, stop) of a seed and writes one line per call to a pipe.

Started by runner.py as ``python -m fuzz.worker FD MEMORY_BYTES``; once its imports are done it writes
"ready" and reads "SEED START STOP" from stdin (so a spare worker can wait, warm, for its range). A segfault or a hang
here loses only the call in progress: the parent knows which one from the last line written, records it,
and starts a new worker after it. The address-space limit makes a runaway allocation fail with an
exception instead of swapping the machine.
"""

import faulthandler
import json
import os
import resource
import sys


def main(argv):
    fd, memory = (int(a) for a in argv[1:3])
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    faulthandler.enable()  # a crash prints the Python stack (the generated call's line) to stderr
    import mxnet  # noqa: F401  (after the limit, so imports count against it too; fails loudly here)

    from . import generator, oracle

    out = os.fdopen(fd, "w", buffering=1)
    out.write("ready\n")
    line = sys.stdin.readline()
    if not line.strip():
        return  # not needed after all
    seed, start, stop = (int(a) for a in line.split())
    for index in range(start, stop):
        key = "fuzzer"
        try:
            call = generator.generate(seed, index)
            key = call.key
            outcome, detail = oracle.judge(call)
        except Exception as exc:  # the fuzzer itself broke: report, keep going
            outcome, detail = "fuzzer-error", f"{type(exc).__name__}: {exc}"[:300]
        out.write(json.dumps([index, outcome, key, detail[:400]]) + "\n")
    out.close()


if __name__ == "__main__":
    main(sys.argv)
