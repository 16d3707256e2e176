"""No import hidden inside a function (issue 12): a function-level import of a hongniang module hides a
dependency (and often an import circle) from the reader. Imports go at the top of the module; the few that must
wait (an AppConfig.ready(), a task its service enqueues, a command-line subcommand's library) say why on the
same line: `from .x import y  # lazy: <why>`. Tests are not checked."""

from __future__ import annotations

import ast
from pathlib import Path

import hongniang

ROOT = Path(hongniang.__file__).parent
MARKER = "# lazy:"


def hidden_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of each function-level import of a hongniang module (absolute or relative) that lacks
    the `# lazy:` marker on one of its lines."""
    lines = source.splitlines()
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                if isinstance(child, ast.ImportFrom):
                    names = ["." * child.level + (child.module or "")]
                else:
                    names = [alias.name for alias in child.names]
                ours = [n for n in names if n.startswith(".") or n == "hongniang" or n.startswith("hongniang.")]
                text = "\n".join(lines[child.lineno - 1:child.end_lineno])
                if ours and MARKER not in text:
                    found.append((child.lineno, ours[0]))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(source), False)
    return found


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def test_the_check_finds_hidden_imports_and_accepts_marked_ones():
    source = (
        "import os\n"
        "from hongniang.core import roles\n"
        "def f():\n"
        "    from hongniang.jobs.models import JobPosting\n"
        "    from .models import Seeker  # lazy: a reason\n"
        "    import json\n"
        "    class C:\n"
        "        def g(self):\n"
        "            from . import services\n"
        "    return lambda: None\n"
        "class D:\n"
        "    from hongniang.geo import models\n"
    )
    assert hidden_imports(source) == [(4, "hongniang.jobs.models"), (9, ".")]


def test_no_module_hides_a_hongniang_import_inside_a_function():
    checked = 0
    hidden = []
    for path in modules():
        checked += 1
        rel = path.relative_to(ROOT.parent)
        hidden += [f"{rel}:{line}: {module}" for line, module in hidden_imports(path.read_text(encoding="utf-8"))]
    assert checked > 200
    assert not hidden, ("imports inside functions; move them to the top of the module, or add "
                        f"'{MARKER} <why>' when they must wait:\n" + "\n".join(hidden))


def test_every_lazy_import_says_why():
    bare = []
    for path in modules():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKER in line and not line.split(MARKER, 1)[1].strip():
                bare.append(f"{path.relative_to(ROOT.parent)}:{n}")
    assert not bare, "a '# lazy:' marker without a reason:\n" + "\n".join(bare)
