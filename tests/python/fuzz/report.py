"""Summaries of a run: counts per outcome and per function, and de-duplicated reproducers of failures."""

from collections import Counter, defaultdict

from . import calls as C
from . import generator

# Details differ in numbers from call to call; grouping uses the words only.
_DIGITS = str.maketrans("", "", "0123456789.-+e")


def _signature(record):
    """Failures of one function, variant and input dtypes are one bug unless they differ in kind; a crash
    also by its signal, a fuzzer error by its exception."""
    if record.outcome in (C.CRASH, C.FUZZER_ERROR):
        return record.outcome, record.key, record.detail.split(":")[0].split(";")[0]
    if record.outcome in (C.WRONG_VALUE, C.WRONG_GRAD):
        shape_problem = "shape" in record.detail or "returned" in record.detail or "pieces" in record.detail
        return record.outcome, record.key, "structure" if shape_problem else "values"
    return record.outcome, record.key, ""


def distinct(records):
    """[(count, representative record, call)] for records grouped by outcome, function key and the words of
    the detail; the representative is the call with the shortest reproducer."""
    groups = defaultdict(list)
    for record in records:
        groups[_signature(record)].append(record)
    out = []
    for members in groups.values():
        best, best_call = None, None
        for record in members[:20]:
            try:
                call = generator.generate(record_seed(record), record.index)
            except Exception as exc:  # a generator bug (reported as fuzzer-error): keep the record
                call = _unrenderable(record, exc)
            if best is None or len(call.reproducer()) < len(best_call.reproducer()):
                best, best_call = record, call
        out.append((len(members), best, best_call))
    out.sort(key=lambda item: (C.OUTCOMES.index(item[1].outcome), item[1].key, -item[0]))
    return out


_SEED = {}


def _unrenderable(record, exc):
    return C.Call(record.index, "fuzzer", "", "", f"# generating call {record.index} raised {exc!r}", "", None)


def record_seed(record):
    return _SEED["seed"]


def failures_text(results):
    """The failures of a run, de-duplicated, each with its reproducer (for a test's failure message)."""
    _SEED["seed"] = results.seed
    lines = [
        f"{len(results.failures)} failing calls of seed {results.seed} ({dict(results.outcomes)}); distinct failures:"
    ]
    for count, record, call in distinct(results.failures):
        lines += [
            "",
            f"{record.outcome} {call.key}: {count} call(s), e.g. call {record.index}: {record.detail}",
            call.reproducer(),
        ]
    return "\n".join(lines)


def summary(results, confirm=None, max_unsupported=40):
    """Markdown text of the run: totals, a table per function, failures with reproducers, unsupported."""
    _SEED["seed"] = results.seed
    calls = results.stop - results.start
    lines = [
        f"# mxlite fuzz: seed {results.seed}, calls {results.start}..{results.stop - 1}",
        "",
        f"{calls} calls in {results.seconds:.1f} s ({calls / max(results.seconds, 1e-9):.0f} calls/s)",
        "",
        "| outcome | calls |",
        "|---|---|",
    ]
    for outcome in C.OUTCOMES:
        lines.append(f"| {outcome} | {results.outcomes.get(outcome, 0)} |")
    failures = results.failures
    lines += [
        "",
        f"**{len(failures)} failing calls**" if failures else "**no failures**",
        "",
        "## Calls per function",
        "",
        "| function | " + " | ".join(C.OUTCOMES) + " |",
        "|---|" + "---|" * len(C.OUTCOMES),
    ]
    for func in sorted(results.by_func):
        counts = results.by_func[func]
        lines.append(f"| {func} | " + " | ".join(str(counts.get(o, 0) or "") for o in C.OUTCOMES) + " |")
    if failures:
        groups = distinct(failures)
        lines += ["", f"## Failures ({len(groups)} distinct)", ""]
        by_func = defaultdict(list)
        for group in groups:
            by_func[group[2].func].append(group)
        for func in sorted(by_func):
            lines += [f"### {func}", ""]
            for count, record, call in by_func[func]:
                lines.append(
                    f"- **{record.outcome}** `{call.key}` — {count} call(s), e.g. call {record.index}: {record.detail}"
                )
                if confirm and record.outcome in (C.CRASH, C.HANG):
                    lines.append(f"  - reproducer re-run in a fresh process: {confirm(call.reproducer())}")
                lines += ["", "```python", call.reproducer(), "```", ""]
    unsupported = [r for r in results.records if r.outcome == C.UNSUPPORTED]
    if unsupported:
        messages = Counter()
        examples = {}
        for record in unsupported:
            key = (record.key.split("(")[0], " ".join(record.detail.translate(_DIGITS).split()[:10]))
            messages[key] += 1
            examples.setdefault(key, record)
        lines += [
            "",
            f"## Unsupported (mxlite raises, NumPy answers): {len(unsupported)} calls, {len(messages)} kinds",
            "",
            "| function | error | calls | example call |",
            "|---|---|---|---|",
        ]
        for (func, _), count in messages.most_common(max_unsupported):
            record = examples[(func, _)]
            detail = record.detail.replace("|", "\\|")[:150]
            lines.append(f"| {func} | {detail} | {count} | {record.index} |")
    return "\n".join(lines) + "\n"
