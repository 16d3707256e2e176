"""What happened after a recommendation, as plain events for the placement dashboard and for learning.

The apps that own the facts register an extractor in their ``AppConfig.ready()`` (applications: applied, the
employer's yes or no; outreach: staff call outcomes and follow-ups), so this app never imports them: the layers
stay one-way. An extractor takes ``since`` (an aware datetime or None) and yields ``Outcome`` records. This app
adds its own: ``shown`` and ``viewed`` from the impressions it records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .models import Impression

KINDS = ("shown", "viewed", "applied", "not_interested", "rejected", "hired", "retained", "left")


@dataclass(frozen=True, slots=True)
class Outcome:
    seeker_id: int
    posting_id: int
    kind: str  # one of KINDS
    at: object  # aware datetime


_sources: dict[str, Callable[..., Iterable[Outcome]]] = {}


def register(name: str, extractor: Callable[..., Iterable[Outcome]]) -> None:
    """Add (or replace) an extractor: ``extractor(since=None) -> iterable of Outcome``."""
    _sources[name] = extractor


def sources() -> list[str]:
    return sorted(_sources)


def collect(since=None, kinds: Iterable[str] | None = None) -> Iterator[Outcome]:
    """Every registered source's outcomes at or after ``since`` (all when None), optionally only some kinds."""
    want = set(kinds) if kinds is not None else None
    for name in sorted(_sources):
        for o in _sources[name](since=since):
            if want is None or o.kind in want:
                yield o


def impressions(since=None) -> Iterator[Outcome]:
    qs = Impression.objects.all()
    if since is not None:
        qs = qs.filter(last_shown_at__gte=since)
    for sid, pid, shown, viewed in qs.values_list("seeker_id", "posting_id", "first_shown_at", "viewed_at").iterator(chunk_size=5000):
        yield Outcome(sid, pid, "shown", shown)
        if viewed is not None:
            yield Outcome(sid, pid, "viewed", viewed)
