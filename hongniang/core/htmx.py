"""htmx requests: one test for "is this an htmx request (for this target)?" shared by every page."""

from __future__ import annotations


def is_htmx(request, *, target: str | None = None) -> bool:
    """True when htmx sent the request (the HX-Request header), and, with `target`, when it will swap the
    element with that id (HX-Target) — a page answers with a fragment then, and a full page otherwise."""
    if request.headers.get("HX-Request") != "true":
        return False
    return target is None or request.headers.get("HX-Target") == target
