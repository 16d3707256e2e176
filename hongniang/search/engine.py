"""Full-text search over postings, on SQLite (FTS5) and PostgreSQL (tsvector 'simple').

Both index the same tokens, made by the pure toolkit `hongniang.zh` (jieba search mode with the job-term
dictionary, plus CJK unigrams and bigrams so one- and two-character queries have the recall of a substring
scan). Queries are segmented the same way and expanded with synonyms and occupation groups.

The index follows every write: `index_posting` is called by the posting services on create, edit and
status change (a closed posting stays indexed; the list shows published postings only)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from hongniang.zh import segment, synonyms

from .models import PostingSearchEntry


def document_text(posting) -> str:
    """What a posting is found by: title, occupation, enterprise, benefits, place, description."""
    occ = posting.occupation
    parts = [
        posting.title,
        occ.name if occ else "",
        occ.common_label if occ else "",
        posting.enterprise.name,
        " ".join(posting.benefit_labels),
        posting.get_shift_display(),
        posting.other_benefits,
        posting.township.name if posting.township_id else "",
        posting.region.name if posting.region_id else "",
        posting.description,
    ]
    return "\n".join(p for p in parts if p)


def index_posting(posting) -> None:
    """Create or refresh the posting's index entry (triggers/generated columns update the full-text index)."""
    tokens = segment.index_text(document_text(posting))
    PostingSearchEntry.objects.update_or_create(posting_id=posting.pk, defaults={"tokens": tokens})


def reindex_all(batch_size: int = 2000) -> int:
    """Rebuild every entry (after a dictionary change). Returns the number of postings indexed."""
    from hongniang.jobs.models import JobPosting

    qs = JobPosting.objects.select_related("occupation", "enterprise", "township", "region").order_by("pk")
    PostingSearchEntry.objects.all().delete()
    done = 0
    batch: list[PostingSearchEntry] = []
    for posting in qs.iterator(chunk_size=batch_size):
        batch.append(PostingSearchEntry(posting_id=posting.pk, tokens=segment.index_text(document_text(posting))))
        if len(batch) >= batch_size:
            PostingSearchEntry.objects.bulk_create(batch)
            done += len(batch)
            batch = []
    if batch:
        PostingSearchEntry.objects.bulk_create(batch)
        done += len(batch)
    analyze()
    return done


def analyze(using: str = "default") -> None:
    """Refresh planner statistics (SQLite keeps none until ANALYZE runs — `PRAGMA optimize` of SQLite < 3.46
    skips tables this connection has not queried; PostgreSQL: ANALYZE of the two tables)."""
    from django.db import connections

    conn = connections[using]
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            # full, not sampled (analysis_limit): sampled stats still pick posting_status_pay; 0.3 s at 100k
            cur.execute("ANALYZE jobs_jobposting")
            cur.execute("ANALYZE search_postingsearchentry")
        elif conn.vendor == "postgresql" and not conn.in_atomic_block:
            cur.execute("ANALYZE search_postingsearchentry")
            cur.execute("ANALYZE jobs_jobposting")


@dataclass
class ParsedQuery:
    text: str
    groups: list[set[str]] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Words to highlight: every alternative of every group."""
        return sorted({t for g in self.groups for t in g}, key=len, reverse=True)

    @property
    def empty(self) -> bool:
        return not self.groups


_occ_cache: dict = {"at": 0.0, "map": {}}


def occupation_expansions() -> dict[str, list[str]]:
    """Group name → names of its occupations ("a query for an occupation group finds its occupations"),
    and common label → occupation name. Cached for five minutes."""
    now = time.monotonic()
    if now - _occ_cache["at"] < 300 and _occ_cache["map"]:
        return _occ_cache["map"]
    from hongniang.catalog.models import Occupation

    rows = list(Occupation.objects.values_list("code", "name", "level", "common_label"))
    by_code = {code: (name, level, label) for code, name, level, label in rows}
    out: dict[str, set[str]] = {}
    for code, (name, level, label) in by_code.items():
        if level == 4:
            parts = code.split("-")
            for depth in (2, 3):
                parent = by_code.get("-".join(parts[:depth]))
                if parent and parent[0] != name:
                    out.setdefault(parent[0], set()).add(name)
            if label and label != name:
                out.setdefault(label, set()).add(name)
    _occ_cache["map"] = {k: sorted(v)[:30] for k, v in out.items()}
    _occ_cache["at"] = now
    return _occ_cache["map"]


def parse_query(q: str) -> ParsedQuery:
    q = (q or "").strip()[:100]
    if not q:
        return ParsedQuery(q)
    tokens = segment.tokenize_query(q)
    return ParsedQuery(q, synonyms.expand_query(tokens, occupation_expansions()))


def _match_sql(parsed: ParsedQuery) -> tuple[str, str]:
    """(SQL fragment selecting matching posting ids, its single parameter) for this database."""
    if connection.vendor == "postgresql":
        return ("SELECT posting_id FROM search_postingsearchentry WHERE tsv @@ to_tsquery('simple', %s)",
                segment.tsquery(parsed.groups))
    return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", segment.fts5_match(parsed.groups)


def filter_matching(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Restrict a posting queryset to full-text matches (keeps its ordering)."""
    from django.db.models.expressions import RawSQL

    if parsed.empty:
        return qs
    sql, param = _match_sql(parsed)
    if not param:
        return qs.none()
    return qs.filter(pk__in=RawSQL(sql, [param]))


#: a query whose (filtered) match set is larger than this is not ranked: it is listed newest first
RANK_MAX = 1000
#: counts stop here: count() returns at most COUNT_CAP + 1 and `capped` says "more than COUNT_CAP"
COUNT_CAP = 1000


class RankedResults:
    """Postings matching a query, sliceable and countable for Django's Paginator.

    Every statement is driven by the full-text index (FTS5 rowid order / the GIN bitmap or the entry primary
    key) and checks the posting filters per match through the posting primary key (a correlated EXISTS over
    the filtered queryset), so no request reads more than COUNT_CAP + 1 matches:

    * ``count()`` collects at most COUNT_CAP + 1 matching ids; above COUNT_CAP ``capped`` is true and the
      count is COUNT_CAP + 1 (the list shows "1000+", the API ``count_capped``);
    * a match set of at most RANK_MAX postings is ranked (bm25 on SQLite, ts_rank on PostgreSQL, newest
      first on ties), looking only at those ids;
    * a larger one is listed newest first (posting id descending), which the index serves in order and stops
      after one page."""

    def __init__(self, qs: QuerySet, parsed: ParsedQuery):
        self.qs = qs
        self.parsed = parsed
        self._count: int | None = None
        self._small: list[int] | None = None  # every matching id, when there are at most RANK_MAX
        self._ranked: list[int] | None = None

    @property
    def capped(self) -> bool:
        """True when there are more than COUNT_CAP matches (count() is then COUNT_CAP + 1)."""
        return self.count() > COUNT_CAP

    def _match(self) -> tuple[str, str, str, str]:
        """(FROM clause, id column, match condition, its parameter) for this database."""
        if connection.vendor == "postgresql":
            return ("search_postingsearchentry e", "e.posting_id", "e.tsv @@ to_tsquery('simple', %s)",
                    segment.tsquery(self.parsed.groups))
        return "search_fts", "search_fts.rowid", "search_fts MATCH %s", segment.fts5_match(self.parsed.groups)

    def _matching_ids(self, limit: int, offset: int = 0) -> list[int]:
        """Ids of matches in the filtered queryset, newest (highest id) first.

        Driven by the full-text index in id order (FTS5 rowid order; PostgreSQL the entry primary key or the
        GIN bitmap), the posting filters checked per match by primary key (a correlated EXISTS over the
        filtered queryset), so the scan stops after `offset + limit` hits."""
        from django.db.models.expressions import RawSQL

        table, col, cond, param = self._match()
        if not param:
            return []
        inner, inner_params = (self.qs.order_by().filter(pk=RawSQL(col, [])).values("pk")
                               .query.sql_with_params())
        sql = (f"SELECT {col} FROM {table} WHERE {cond} AND EXISTS ({inner}) "
               f"ORDER BY {col} DESC LIMIT %s OFFSET %s")
        with connection.cursor() as cur:
            cur.execute(sql, [param, *inner_params, limit, offset])
            return [row[0] for row in cur.fetchall()]

    def count(self) -> int:
        if self._count is None:
            ids = self._matching_ids(COUNT_CAP + 1)
            self._count = len(ids)
            if len(ids) <= RANK_MAX:
                self._small = ids
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _rank(self) -> list[int]:
        """The (at most RANK_MAX) matching ids, best first, newest first on ties.

        PostgreSQL: ts_rank. SQLite: not FTS5 bm25 — its IDF scans the whole doclist of every query token once
        per statement (~60 ms for 工 at 100k postings) — but a position score over the stored tokens, which
        keep document order (title, occupation, enterprise first): the sum over query words of the offset
        where the word first occurs."""
        if self._ranked is None:
            ids = self._small or []
            if len(ids) <= 1:
                self._ranked = list(ids)
            elif connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT posting_id FROM search_postingsearchentry WHERE posting_id = ANY(%s) "
                                "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC, posting_id DESC",
                                [ids, self._match()[3]])
                    self._ranked = [row[0] for row in cur.fetchall()]
            else:
                groups = [[segment.index_terms(a) for a in g] for g in self.parsed.groups]
                rows = PostingSearchEntry.objects.filter(posting_id__in=ids).values_list("posting_id", "tokens")
                scored = sorted((_position_score(" " + tokens + " ", groups), -pk) for pk, tokens in rows)
                self._ranked = [-neg for _score, neg in scored]
        return self._ranked

    def ids(self, offset: int, limit: int) -> list[int]:
        if self.count() <= RANK_MAX:
            return self._rank()[offset : offset + limit]
        return self._matching_ids(limit, offset)

    def __getitem__(self, item):
        if isinstance(item, slice):
            start = item.start or 0
            stop = item.stop if item.stop is not None else start + 100
            ids = self.ids(start, max(0, stop - start))
            objs = self.qs.model._base_manager.select_related(*_related(self.qs)).in_bulk(ids)
            return [objs[i] for i in ids if i in objs]
        return self[item : item + 1][0]


def _position_score(text: str, groups: list[list[tuple[str, ...]]]) -> int:
    """Sum over query words of where the word first occurs in `text` (" "-padded tokens); smaller is better."""
    total = 0
    for alts in groups:
        best = len(text)
        for toks in alts:
            if not toks:
                continue
            pos = max(text.find(" " + t + " ") for t in toks) if all(f" {t} " in text for t in toks) else -1
            if 0 <= pos < best:
                best = pos
        total += best
    return total


def _related(qs: QuerySet) -> list[str]:
    sr = qs.query.select_related
    if isinstance(sr, dict):
        return list(_flatten(sr))
    return []


def _flatten(d: dict, prefix: str = ""):
    for key, sub in d.items():
        path = f"{prefix}{key}"
        yield path
        if sub:
            yield from _flatten(sub, path + "__")
