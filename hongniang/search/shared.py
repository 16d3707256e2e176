"""A search or a filtered job list as everyone with the same words and filters gets it (issue 20: a crowd of
logged-in seekers searching 普工 in their township).

The page cache (hongniang.core.pagecache) answers anonymous visitors with whole pages; a logged-in visitor's page
is rendered each time, as it shows their own header and the distance from their home. What it shows of the
search is the same for everyone, so `SharedResults` keeps it in the fragments cache under the page cache's
generation (`pagecache.shared`: a write to a posting or an enterprise bumps it, so nothing is kept past an edit
for more than about a second):

* the head, per language, words and filters (sort and point included): the count (at most COUNT_CAP + 1, as
  `RankedResults` counts), whether it is capped, the facet counts, the words to mark and how Latin letters were
  read; when nothing is found, the suggestions (你是不是要找, near words that do find jobs and their counts, the
  count in the whole county);
* each page's posting ids in list order, per words, filters and slice.

A page then reads no index and no posting: one statement reads (id, updated_at, lat, lon) of its ids through the
filters (so a posting closed or changed without a bump is left out or gets its new card), and its cards are looked
up in the fragments cache by those rows
(`hongniang.jobs.cards.CardPage`, keyed by posting version, language, the searched words and the distance from
the visitor's home), and only missing cards load their postings, through the filtered queryset (published, the
filters), as `RankedResults` loads a page. Nothing here depends on who asks: the key is built from the validated
filter values only, and what differs per visitor (their home's distance, the jobs near home when nothing is
found, the header) is added per request outside these entries.

With the page cache off (PAGE_CACHE_SECONDS=0) nothing is kept: the head is computed on each request and a page
is the postings themselves, read as they were before issue 20 (the same page, as slowly; the bench's "cold")."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from django.conf import settings
from django.db import router
from django.db.models import QuerySet
from django.utils.translation import get_language

from hongniang.core import pagecache, prepared
from hongniang.jobs import selectors as job_selectors
from hongniang.jobs.cards import ROW_FIELDS, CardPage
from hongniang.jobs.models import JobPosting

from . import results as ranking
from . import selectors
from .facets import facet_counts
from .query import related_queries
from .results import RankedResults


def ttl() -> int:
    """How long an entry may live without a write: the postings' expiry and reference data (occupation groups,
    the words Latin letters are read as) change without bumping the generation."""
    return max(settings.PAGE_CACHE_SECONDS, 60)


class SharedResults:
    """The results of `selectors.search_postings(params)` for Django's Paginator: countable, and sliceable into
    `CardPage`s. `params` are a `JobFilterForm`'s valid values (`JobFilterForm.params()`); `head` holds the count,
    facets, marked words and suggestions."""

    def __init__(self, params: dict):
        self.params = dict(params)
        self._key = f"results:{_digest(self.params)}"
        self._computed: tuple | None = None
        self.head: dict = pagecache.shared(f"{self._key}:{get_language()}", self._head, ttl=ttl())

    # ---- as RankedResults looks to the Paginator and the template
    @property
    def cap(self) -> int:
        return ranking.COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.head["capped"]

    def count(self) -> int:
        return self.head["count"]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start = item.start or 0
        stop = item.stop if item.stop is not None else start + 100
        if settings.PAGE_CACHE_SECONDS <= 0:  # nothing is kept: the page's postings, read as without this layer
            return list(self._search()[0][start:stop])
        ids = pagecache.shared(f"{self._key}:ids:{start}:{stop}", lambda: self._ids(start, stop), ttl=ttl())
        # the page's rows are read fresh, through the filters: a posting closed or changed without a bump of the
        # generation (an index lagging behind, a direct update) is left out or gets its new card
        found = ({row[0]: row for row in _fresh_rows(
            lambda: self._filtered().order_by().filter(pk__in=ids).values_list(*ROW_FIELDS), (self._key, *ids))}
                 if ids else {})
        return CardPage.of_rows([found[i] for i in ids if i in found], self._filtered)

    @property
    def key(self) -> str:
        """What these results are (the validated filters and words), for keys of what is built from them."""
        return self._key

    # ---- computed on a miss
    def _search(self) -> tuple:
        if self._computed is None:
            self._computed = selectors.search_postings(self.params)
        return self._computed

    def _filtered(self) -> QuerySet:
        """The published postings the filters allow (no words): where a missing card's posting is loaded from."""
        return job_selectors.filter_postings({k: v for k, v in self.params.items() if k != "q"})

    def _head(self) -> dict:
        results, parsed = self._search()
        n = results.count()
        return {
            "count": n,
            "capped": bool(getattr(results, "capped", False)),
            "facets": facets(results, self.params),
            "terms": parsed.terms if parsed else [],
            "read_as": parsed.read_as if parsed else None,
            "other_readings": tuple(parsed.reading.others) if parsed and parsed.read_as else (),
            "nothing_found": None if n else nothing_found(self.params, parsed),
        }

    def _ids(self, start: int, stop: int) -> list[int]:
        results, _parsed = self._search()
        if stop <= start:
            return []
        if isinstance(results, QuerySet):
            return list(results.values_list("pk", flat=True)[start:stop])
        return results.ids(start, stop - start)


_statements: OrderedDict[tuple, tuple] = OrderedDict()
_STATEMENTS_KEPT = 2000


def _fresh_rows(make_qs, key: tuple) -> list[tuple]:
    """The rows of the queryset `make_qs()` read now, its SQL compiled once per `key` and database (the same
    filters and ids make the same statement; building it through the ORM on each request was a sixth of a
    logged-in search's CPU). The tests forget the statements between tests (`forget_statements`)."""
    alias = router.db_for_read(JobPosting)
    statement = _statements.get((alias, key))
    if statement is None:
        compiler = make_qs().query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([s[0] for s in compiler.select[0:compiler.col_count]])
        statement = (sql, tuple(params), compiler, converters)
        _statements[(alias, key)] = statement
        while len(_statements) > _STATEMENTS_KEPT:
            _statements.popitem(last=False)
    sql, params, compiler, converters = statement
    with prepared.cursor(alias) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [tuple(row) for row in rows]


def forget_statements() -> None:
    _statements.clear()


def _digest(params: dict) -> str:
    """The filter values as a cache key: ASCII only (the cache warns about every other character, on every read)."""
    return hashlib.blake2b(repr(sorted(params.items())).encode(), digest_size=20).hexdigest()


def facets(results, params) -> dict | None:
    """Counts by township, shift and benefit of the listed postings. A search counts its matches by id when
    there are at most COUNT_CAP (one cheap query); above that the page shows no counts (the API /jobs/facets still
    counts all) — a broad word would otherwise count tens of thousands of rows on every keystroke. The counts of a
    filter (no search words) are the same for every sort: kept per filter under the page cache's generation."""
    if isinstance(results, RankedResults):
        ids = results.matched_ids()
        return facet_counts(JobPosting.objects.filter(pk__in=ids)) if ids else None
    key = _digest({k: v for k, v in params.items() if k not in ("sort", "page")})
    return pagecache.shared(f"facets:{get_language()}:{key}",
                            lambda: facet_counts(selectors.filter_postings({**params, "sort": "newest"})),
                            ttl=max(settings.PAGE_CACHE_SECONDS, 30))


def nothing_found(params: dict, parsed) -> dict:
    """What a search that finds nothing offers instead, the same for everyone: the word the query likely meant
    (你是不是要找), near words that do find jobs with their counts (at most 5), and the count of the same search
    in the whole county when filters narrowed it (None when that finds nothing either)."""
    out: dict = {"did_you_mean": None, "related": [], "widen": None}
    if parsed is not None:
        out["did_you_mean"] = parsed.did_you_mean
        for q in related_queries(parsed):
            n = selectors.search_postings({**params, "q": q})[0].count()
            if n:
                out["related"].append((q, n))
            if len(out["related"]) >= 5:
                break
    narrowed = {k: v for k, v in params.items() if k not in ("q", "sort", "lat", "lon")}
    if narrowed:
        wide = {"q": params["q"]} if params.get("q") else {}
        n = selectors.search_postings(wide)[0].count() if wide else selectors.filter_postings({}).count()
        out["widen"] = n or None
    return out
