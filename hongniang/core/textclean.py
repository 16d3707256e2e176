"""Text at the edge: what a request may carry into the database. Control characters (NUL, the other C0
characters except tab, line feed and carriage return, DEL and the C1 block) and lone UTF-16 surrogates
("\\ud83d" from a JSON escape) are removed from every string a request brings (query strings, form fields,
JSON bodies: core.middleware.InputEdgeMiddleware), so nothing stored can break PostgreSQL, an Excel export
(openpyxl refuses them) or a page. Pure functions, no Django."""

from __future__ import annotations

import re

# C0 except \t \n \r, DEL, C1, and the surrogate block (only lone ones survive decoding into a Python str)
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

MAX_JSON_DEPTH = 32  # the deepest real body is 3 levels (an object, a list, an object)


def clean_text(value: str) -> str:
    """`value` without control characters and lone surrogates."""
    return _BAD.sub("", value) if _BAD.search(value) else value


def is_clean(value: str) -> bool:
    return _BAD.search(value) is None


class TooDeep(ValueError):
    pass


def clean_json(value, *, max_depth: int = MAX_JSON_DEPTH):
    """(cleaned value, changed): every string (keys too) cleaned; raises TooDeep past `max_depth` levels of
    lists and objects, so the walk (and whatever reads the body after it) stays shallow."""
    changed = False

    def walk(v, depth):
        nonlocal changed
        if isinstance(v, str):
            c = clean_text(v)
            if c is not v and c != v:
                changed = True
            return c
        if isinstance(v, dict | list):
            if depth >= max_depth:
                raise TooDeep(depth)
            if isinstance(v, dict):
                return {walk(k, depth): walk(x, depth + 1) for k, x in v.items()}
            return [walk(x, depth + 1) for x in v]
        return v

    out = walk(value, 0)
    return out, changed
