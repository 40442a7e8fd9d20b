"""Parent side: hands out chunks of call indices to worker processes, watches them, and turns crashes and
hangs into outcomes of the call that was in progress (a worker is restarted just after it)."""

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import calls as C

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)  # tests/python: where `fuzz` is importable


@dataclass
class Record:
    index: int
    outcome: str
    key: str
    detail: str


@dataclass
class Results:
    seed: int
    start: int
    stop: int
    seconds: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    by_func: dict = field(default_factory=lambda: defaultdict(Counter))
    records: list = field(default_factory=list)  # every call that is not plain 'ok'

    def add(self, record):
        self.outcomes[record.outcome] += 1
        func = record.key.split("[")[0].split("(")[0]
        self.by_func[func][record.outcome] += 1
        if record.outcome != C.OK:
            self.records.append(record)

    @property
    def failures(self):
        return [r for r in self.records if r.outcome in C.FAILURES]


class _Worker:
    """One worker process; started early (a warm spare), then given the indices [next_index, stop)."""

    def __init__(self, memory, env):
        self.next_index = self.stop = None
        read_fd, write_fd = os.pipe()
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fuzz.worker", str(write_fd), str(memory)],
            pass_fds=(write_fd,),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            env=env,
            cwd=PACKAGE_PARENT,
        )
        os.close(write_fd)
        self.reader = read_fd  # read raw with os.read: a buffered reader would hide lines from select()
        self.buffer = b""
        self.last_progress = time.monotonic()
        self.ready = False

    def stderr_tail(self):
        self.stderr.seek(0)
        text = self.stderr.read().decode(errors="replace")
        return text[-1500:]

    def assign(self, seed, start, stop):
        self.next_index, self.stop = start, stop
        self.process.stdin.write(f"{seed} {start} {stop}\n".encode())
        self.process.stdin.close()
        self.last_progress = time.monotonic()

    def lines(self):
        """Complete lines read so far, or None at end of file."""
        data = os.read(self.reader, 1 << 16)
        if not data:
            return None
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        return [line.decode() for line in complete]

    def close(self):
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()  # an unused spare exits on end of input
        os.close(self.reader)
        self.stderr.close()


def _worker_env(threads):
    env = dict(os.environ)
    paths = [os.path.abspath(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([PACKAGE_PARENT] + paths)  # workers run in PACKAGE_PARENT
    # One engine thread and one BLAS thread per worker: --jobs workers use the cores; results stay deterministic.
    env.setdefault("MXLITE_NUM_THREADS", str(threads))
    env.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    env.setdefault("OMP_NUM_THREADS", str(threads))
    return env


def _crash_detail(worker):
    code = worker.process.returncode
    if code is not None and code < 0:
        what = f"signal {signal.Signals(-code).name}"
    else:
        what = f"worker exited with status {code}"
    lines = [line for line in worker.stderr_tail().splitlines() if line.strip()]
    fatal = next((line for line in lines if "Fatal Python error" in line or "terminate" in line), "")
    return f"{what}; {fatal}".strip("; ")


def run(seed, calls, start=0, jobs=2, hang_seconds=10.0, memory=4 << 30, threads=1, chunk=None, progress=None):
    """Runs calls [start, start + calls) of seed on `jobs` workers; returns Results."""
    stop = start + calls
    chunk = chunk or max(250, min(10000, calls // (jobs * 4) or 1))
    pending = [(a, min(a + chunk, stop)) for a in range(start, stop, chunk)]
    pending.reverse()
    results = Results(seed, start, stop)
    env = _worker_env(threads)
    selector = selectors.DefaultSelector()
    active = []  # workers with a range
    spares = []  # started workers waiting for one (a restart after a crash costs no import time)
    began = time.monotonic()

    def spawn():
        worker = _Worker(memory, env)
        selector.register(worker.reader, selectors.EVENT_READ, worker)
        spares.append(worker)

    def launch(a, b):
        if not spares:
            spawn()
        worker = spares.pop(0)
        worker.assign(seed, a, b)
        active.append(worker)
        if len(spares) < min(jobs, len(pending)):
            spawn()

    def retire(worker, outcome=None, detail=""):
        selector.unregister(worker.reader)
        (active if worker in active else spares).remove(worker)
        if outcome is not None:
            index = worker.next_index
            results.add(Record(index, outcome, _key_of(seed, index), detail))
            if index + 1 < worker.stop:
                pending.append((index + 1, worker.stop))
        worker.close()

    while pending or active:
        while pending and len(active) < jobs:
            launch(*pending.pop())
        if not active:
            break
        for selected, _ in selector.select(timeout=0.5):
            worker = selected.data
            lines = worker.lines()
            if lines is None:  # the worker is gone: finished, or died during next_index
                worker.process.wait()
                if not worker.ready:
                    raise RuntimeError(f"a fuzz worker failed to start:\n{worker.stderr_tail()}")
                if worker.stop is None:  # a spare that was not needed
                    retire(worker)
                elif worker.next_index < worker.stop:
                    retire(worker, C.CRASH, _crash_detail(worker))
                else:
                    retire(worker)
                continue
            worker.last_progress = time.monotonic()
            for line in lines:
                if line == "ready":
                    worker.ready = True
                    continue
                index, outcome, key, detail = json.loads(line)
                results.add(Record(index, outcome, key, detail))
                worker.next_index = index + 1
            if progress and lines:
                progress(results)
        now = time.monotonic()
        for worker in list(active):
            if not worker.ready and now - worker.last_progress < max(60.0, hang_seconds):
                continue
            limit = hang_seconds if worker.ready else max(60.0, hang_seconds)  # imports may be slow
            if now - worker.last_progress > limit:
                worker.process.kill()
                worker.process.wait()
                if not worker.ready:
                    raise RuntimeError(f"a fuzz worker did not start within {limit:.0f} s")
                retire(worker, C.HANG, f"no result for {limit:.0f} s")
    for worker in list(spares):
        worker.process.stdin.close()
        worker.process.wait()
        selector.unregister(worker.reader)
        worker.close()
    results.seconds = time.monotonic() - began
    return results


def _key_of(seed, index):
    from . import generator

    try:
        return generator.generate(seed, index).key
    except Exception:
        return "fuzzer"


def confirm(reproducer, timeout=15.0, memory=4 << 30):
    """Re-runs a reproducer's text in a fresh interpreter: 'crash signal ...', 'hang', 'exit N' or 'ok'."""
    prelude = (
        f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
        "import faulthandler; faulthandler.enable()\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", prelude + reproducer],
            capture_output=True,
            timeout=timeout,
            env=_worker_env(1),
            cwd=PACKAGE_PARENT,
        )
    except subprocess.TimeoutExpired:
        return f"hang (no exit within {timeout:.0f} s)"
    if done.returncode < 0:
        return f"crash, signal {signal.Signals(-done.returncode).name}"
    if done.returncode:
        last = [line for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
        return f"exit {done.returncode}: {last[-1][:200] if last else ''}"
    return "runs to the end"
