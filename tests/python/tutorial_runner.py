"""Runs the code of a tutorial the way a reader (or Jupyter) would.

Fenced ```python blocks are taken from markdown; for a notebook dump, the code
of a cell follows its `In [N]:` line and runs on over blank lines while the
text still parses as Python (prose and printed output do not). Blocks run in
order in one namespace; when a block ends in an expression its repr is shown,
as a notebook displays it.
"""

import ast
import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.S | re.M)
CELL = re.compile(r"^In \[\d*\]:[ \t]*$", re.M)


def _parses(src):
    try:
        ast.parse(src)
        return True
    except SyntaxError:
        return False


def code_blocks(path):
    text = Path(path).read_text()
    if CELL.search(text):
        blocks = []
        for chunk in CELL.split(text)[1:]:
            paragraphs = re.split(r"\n[ \t]*\n", chunk.strip("\n"))
            code = ""
            for para in paragraphs:
                candidate = (code + "\n\n" + para) if code else para
                if not para.strip() or not _parses(candidate):
                    break
                code = candidate
            if code:
                blocks.append(code)
        return blocks
    return [body for info, body in FENCE.findall(text) if "python" in info]


@dataclass
class BlockResult:
    code: str
    stdout: str = ""
    display: str = None  # repr of a trailing expression, like a notebook's Out[]
    error: BaseException = None


@dataclass
class TutorialRun:
    blocks: list = field(default_factory=list)
    namespace: dict = field(default_factory=dict)


def run_tutorial(path):
    run = TutorialRun(namespace={"__name__": "__main__"})
    for code in code_blocks(path):
        result = BlockResult(code)
        out = io.StringIO()
        tree = ast.parse(code)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(body, str(path), "exec"), run.namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), str(path), "eval"), run.namespace)
                    if value is not None:
                        result.display = repr(value)
        except Exception as exc:  # a notebook reports it and goes on with the next cell
            result.error = exc
        result.stdout = out.getvalue()
        run.blocks.append(result)
    return run
