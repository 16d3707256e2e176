"""The Python side's words for the current user go through Django's i18n too: error messages raised to pages and
the API, messages shown after a form, form labels and help texts (tests/test_templates_i18n.py does templates).
The msgids are the Chinese text, so zh-hans pages are unchanged. Text that is stored (reasons, audit notes) or
sent (SMS, inbox notes) stays plain on purpose: stored in the language of whoever triggered it, it would be wrong
for everyone else; such a line carries the marker `# i18n: plain <why>`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "hongniang"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MARKER = "# i18n: plain"
#: pure libraries, generated data and developer tools: not UI
SKIP_DIRS = {"tests", "migrations", "matching", "zh", "demo", "testing", "data", "management", "locale"}
#: exceptions whose message reaches the user (the domain errors, Django's 404/403 and form validation)
USER_ERRORS = {"InvalidInput", "Conflict", "PermissionDeniedError", "NotFoundError", "Http404", "ImportFileError",
               "QueryError", "PermissionDenied", "ValidationError", "EnterpriseNotVerified", "DomainError"}
MESSAGE_CALLS = {"success", "error", "info", "warning", "add_message"}
FIELD_WORDS = {"label", "help_text", "empty_label"}


def _chinese(node) -> bool:
    """A plain str literal or f-string with Chinese (a `_()` call around it is a Call, not a literal)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(CHINESE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_chinese(v) for v in node.values)
    if isinstance(node, ast.BinOp):  # "…%s" % x, "…" + x
        return _chinese(node.left) or _chinese(node.right)
    return False


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def plain_messages(source: str) -> list[tuple[int, str]]:
    """(line, kind) of each user-facing message that does not go through gettext."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name, hits = _name(node.func), []
        if name in USER_ERRORS:
            hits = node.args[:1] + [k.value for k in node.keywords if k.arg in ("message", "msg")]
        elif name in MESSAGE_CALLS and isinstance(node.func, ast.Attribute) and _name(node.func.value) == "messages":
            hits = node.args[1:3]
        hits += [k.value for k in node.keywords if k.arg in FIELD_WORDS]
        for value in hits:
            if _chinese(value):
                end = getattr(node, "end_lineno", node.lineno)
                if not any(MARKER in lines[i - 1] for i in range(node.lineno, end + 1)):
                    found.append((node.lineno, name))
    return sorted(set(found))


def modules():
    return sorted(p for p in ROOT.rglob("*.py") if not SKIP_DIRS & set(p.relative_to(ROOT).parts[:-1]))


def test_the_check_finds_plain_messages_and_passes_marked_and_translated_ones():
    assert plain_messages('raise InvalidInput("请填写姓名", field="name")') == [(1, "InvalidInput")]
    assert plain_messages('raise errors.Conflict(f"已有 {n} 人")') == [(1, "Conflict")]
    assert plain_messages('messages.success(request, "已保存")') == [(1, "success")]
    assert plain_messages('x = forms.CharField(label="姓名", help_text="必填")') == [(1, "CharField")]
    assert plain_messages('raise InvalidInput(_("请填写姓名"), field="name")') == []
    assert plain_messages('raise Conflict(_("已有 %(n)s 人") % {"n": n})') == []
    assert plain_messages('raise InvalidInput(reason)  # a variable: checked where it is made') == []
    assert plain_messages('raise InvalidInput("超过 60 天")  # i18n: plain stored as the close reason') == []
    assert plain_messages('raise ValueError("坏数据")') == []  # not shown to users


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_messages_go_through_i18n(path):
    found = plain_messages(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(ROOT)}: wrap these in gettext (`_()`, gettext_lazy at module level) or "
                       f"mark a stored/sent text with '{MARKER} <why>':\n"
                       + "\n".join(f"  line {line}: {kind}" for line, kind in found))
