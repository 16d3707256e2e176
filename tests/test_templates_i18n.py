"""Every piece of Chinese a template shows goes through Django's i18n ({% translate %} / {% blocktranslate %}):
the msgids are the Chinese text (hongniang/locale), so a county or a translator can change the words without
touching a template. Data (names, values from the database) is not in templates and is not affected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1] / "hongniang"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: `_("…")` in a tag or a filter argument is a message too (`|date:_("n月j日")`, `|default:_("未填写")`)
MARKED = re.compile(r"""_\((?:"[^"]*"|'[^']*')\)""")
#: blocks whose content is a message, or is not shown
MESSAGE_BLOCKS = {"blocktranslate", "blocktrans", "comment", "verbatim"}
#: tags whose Chinese arguments are messages themselves
MESSAGE_TAGS = {"translate", "trans"}


def plain_chinese(text: str) -> list[tuple[int, str]]:
    """(line, text) of each token that shows Chinese without going through i18n."""
    open_blocks, found = [], []
    for token in Lexer(text).tokenize():
        words = token.contents.split()
        name = words[0] if words else ""
        if token.token_type == TokenType.BLOCK:
            if name in MESSAGE_BLOCKS:
                open_blocks.append(name)
                continue
            if open_blocks and name == "end" + open_blocks[-1]:
                open_blocks.pop()
                continue
        if open_blocks or token.token_type == TokenType.COMMENT or name in MESSAGE_TAGS:
            continue
        if CHINESE.search(MARKED.sub("", token.contents)):
            found.append((token.lineno, token.contents.strip()[:60]))
    return found


def templates():
    return sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)


def test_the_check_finds_plain_chinese_and_passes_translated_text():
    assert plain_chinese('{% load i18n %}<h1>找工作</h1>') == [(1, "<h1>找工作</h1>")]
    assert plain_chinese('<input placeholder="例如：普工">')
    assert plain_chinese('{{ name|default:"未填写" }}') and not plain_chinese('{{ name|default:_("未填写") }}')
    assert plain_chinese('{{ day|date:"n月j日" }}') and not plain_chinese('{{ day|date:_("n月j日") }}')
    assert plain_chinese('{% include "x.html" with label="工资" %}')
    ok = ('{% load i18n %}<h1>{% translate "找工作" %}</h1>{# 注释 #}{% comment %}说明{% endcomment %}'
          '{% blocktranslate trimmed with n=count %}共 {{ n }} 人{% endblocktranslate %}'
          '<input placeholder="{% translate \'例如：普工\' %}">')
    assert plain_chinese(ok) == []


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_goes_through_i18n(path):
    found = plain_chinese(path.read_text(encoding="utf-8"))
    assert not found, "Chinese outside {% translate %}: " + "; ".join(f"line {n}: {t!r}" for n, t in found[:5])
