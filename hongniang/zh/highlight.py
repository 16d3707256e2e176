"""Highlight query terms in a text: ``highlight`` gives segments, ``highlight_html`` gives escaped HTML with <mark>."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["highlight", "highlight_html"]


def _fold(ch: str) -> str:
    f = unicodedata.normalize("NFKC", ch).lower()
    return f if len(f) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


def highlight(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into (segment, is_match) pieces; matches are case- and width-insensitive, longest term
    first, overlapping/adjacent matches merged. Segments are slices of the original text (joined they give it back).
    """
    text = text or ""
    folded = "".join(_fold(c) for c in text)  # same length as text
    needles = sorted(
        {"".join(_fold(c) for c in t.strip()) for t in terms if t and t.strip()}, key=len, reverse=True
    )
    if not text or not needles:
        return [(text, False)] if text else []
    rx = re.compile("|".join(re.escape(n) for n in needles))
    spans: list[list[int]] = []
    pos = 0
    while pos < len(folded):
        m = rx.search(folded, pos)
        if not m:
            break
        s, e = m.span()
        if spans and s <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
        pos = s + 1
    out: list[tuple[str, bool]] = []
    last = 0
    for s, e in spans:
        if s > last:
            out.append((text[last:s], False))
        out.append((text[s:e], True))
        last = e
    if last < len(text):
        out.append((text[last:], False))
    return out


def highlight_html(text: str, terms: Iterable[str], tag: str = "mark") -> str:
    """HTML-safe: every segment is escaped (``html.escape``, quotes too), matches wrapped in <mark>…</mark>."""
    if not re.fullmatch(r"[a-z][a-z0-9]*", tag):
        raise ValueError("tag must be a plain HTML tag name")
    return "".join(
        f"<{tag}>{html.escape(seg)}</{tag}>" if hit else html.escape(seg)
        for seg, hit in highlight(text, terms)
    )
