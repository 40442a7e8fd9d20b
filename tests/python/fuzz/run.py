"""Command line of mxlite's differential fuzzer.

    python tests/python/fuzz/run.py --calls 10000 --seed 2025 --jobs 2 [--report report.md]
    python tests/python/fuzz/run.py --seed 2025 --only 4711        # print call 4711 and its verdict

The long run, done before resolving a fuzz issue or a release: --calls 1000000 (about 25 minutes on 2
cores). Needs mxnet (mxlite) importable, e.g. PYTHONPATH=build/dev/site. Exit status 1 if any call fails.
--only judges calls in this process, without the workers' memory limit.
"""

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the `fuzz` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "fuzz"

from fuzz import generator, oracle, report, runner  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--start", type=int, default=0, help="first call index")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--hang-seconds", type=float, default=10.0, help="a call without result this long hangs")
    parser.add_argument("--memory-gib", type=float, default=4.0, help="address-space limit of each worker")
    parser.add_argument("--report", help="also write the markdown report to this file")
    parser.add_argument("--only", type=int, nargs="*", help="show these calls and judge them in this process")
    parser.add_argument("--no-confirm", action="store_true", help="do not re-run crash/hang reproducers")
    args = parser.parse_args(argv)
    if args.only:
        for index in args.only:
            call = generator.generate(args.seed, index)
            print(f"# call {index} of seed {args.seed}: {call.key}, expect {call.expect}\n{call.reproducer()}")
            print("# verdict:", *oracle.judge(call))
        return 0

    def progress(results):
        done = sum(results.outcomes.values())
        if done % 20000 == 0:
            print(f"  {done} calls, {len(results.failures)} failures", file=sys.stderr, flush=True)

    results = runner.run(
        args.seed,
        args.calls,
        start=args.start,
        jobs=args.jobs,
        hang_seconds=args.hang_seconds,
        memory=int(args.memory_gib * (1 << 30)),
        progress=progress,
    )
    text = report.summary(results, confirm=None if args.no_confirm else runner.confirm)
    if args.report:
        Path(args.report).write_text(text)
    print(text)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
