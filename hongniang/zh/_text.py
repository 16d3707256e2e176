"""Small text helpers shared by the zh modules (normalisation, CJK detection)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")
CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")
WORDISH_RE = re.compile(f"[{CJK_CLASS}0-9a-z]")


def normalize(text: str) -> str:
    """NFKC (full-width letters/digits/punctuation to ASCII) and lower case.

    NFKC keeps the length of CJK text and of ASCII text unchanged, so offsets found on the normalised text are
    valid on the original for the usual input (it changes length only for rare compatibility characters).
    """
    return unicodedata.normalize("NFKC", text or "").lower()


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def is_wordish(token: str) -> bool:
    """True for tokens worth indexing: they contain a CJK character, a digit or a latin letter."""
    return WORDISH_RE.search(token) is not None


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a file in hongniang/zh/data/."""
    raw = resources.files("hongniang.zh").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
