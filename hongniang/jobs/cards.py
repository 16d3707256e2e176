"""A page of job cards that reads full postings only for the cards not already rendered (issue 20).

Without search words a job card's HTML is kept in the fragments cache (`jobs_tags.job_card`, keyed by the
posting's id and updated_at, the language and the distance from the visitor's home). A page-cache miss of the
job list would still load twenty postings with their enterprises to find twenty cards that are mostly cached:
`CardPage` reads only (id, updated_at, lat, lon) of the page's rows, looks every card up in one cache read, and
loads the postings of the missing cards in one statement (`selectors.load_page`). A search keeps its pages'
rows with its results (hongniang.search.shared) and makes its `CardPage` of them (`CardPage.of_rows`): its cards,
which mark the searched words, are kept per set of words."""

from __future__ import annotations

from django.db.models import QuerySet

from hongniang.core import pagecache
from hongniang.core.roles import seeker_of

from . import selectors

CARD_TTL = 600


def home_point(request) -> tuple[float, float] | None:
    """The logged-in seeker's home (lat, lon), or None: what makes a card's distance line theirs. Read once per
    request."""
    if not hasattr(request, "_home_point"):
        seeker = seeker_of(getattr(request, "user", None))
        request._home_point = (seeker.lat, seeker.lon) if seeker is not None and seeker.lat is not None else None
    return request._home_point


class CardRow:
    """One row of the page: what a card's cache key needs; `posting` (the full posting) and `html` (the cached
    card) are filled by `CardPage.prepare`."""

    __slots__ = ("pk", "updated_at", "lat", "lon", "page", "posting", "html")

    def __init__(self, pk, updated_at, lat, lon, page: CardPage):
        self.pk, self.updated_at, self.lat, self.lon, self.page = pk, updated_at, lat, lon, page
        self.posting = self.html = None


ROW_FIELDS = ("pk", "updated_at", "lat", "lon")


class CardPage(list):
    """The rows [start, stop) of `qs` in its order, as `CardRow`s (a list: iterating, len and truth as the
    page's postings)."""

    def __init__(self, qs: QuerySet | None, start: int = 0, stop: int = 0, *, rows=None, load_from=None):
        #: where the postings of missing cards are loaded from (`load_from()` gives it when `qs` is None)
        self.qs, self.load_from = qs, load_from
        self.prepared = False
        if rows is None:
            rows = qs.values_list(*ROW_FIELDS)[start:stop] if stop > start else []
        super().__init__(CardRow(*row, page=self) for row in rows)

    @classmethod
    def of_rows(cls, rows, load_from) -> CardPage:
        """A page of known rows ((id, updated_at, lat, lon) each, in order — e.g. kept with a search's results);
        the postings of missing cards are loaded from the queryset `load_from()` (only when a card is missing)."""
        return cls(None, rows=rows, load_from=load_from)

    def prepare(self, key_of) -> None:
        """Look every card up (`key_of(row)` gives its key) and load the postings of those not found."""
        if self.prepared:
            return
        self.prepared = True
        keys = {row.pk: key_of(row) for row in self}
        found = pagecache.shared_many(list(keys.values()))
        missing = []
        for row in self:
            row.html = found.get(keys[row.pk])
            if row.html is None:
                missing.append(row.pk)
        if missing:
            if self.qs is None:
                self.qs = self.load_from()
            loaded = selectors.load_page(self.qs, missing)
            for row in self:
                if row.html is None:
                    row.posting = loaded.get(row.pk)
