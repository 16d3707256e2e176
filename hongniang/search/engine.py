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
    return done


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


class RankedResults:
    """Postings matching a query, best first, sliceable for Django's Paginator: each page is one SQL query
    ordered by bm25 (SQLite) or ts_rank (PostgreSQL) over the already-filtered queryset, then one fetch."""

    def __init__(self, qs: QuerySet, parsed: ParsedQuery):
        self.qs = qs
        self.parsed = parsed
        self._count: int | None = None

    def _inner(self):
        return self.qs.order_by().values("pk").query.sql_with_params()

    def count(self) -> int:
        if self._count is None:
            self._count = filter_matching(self.qs, self.parsed).count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def ids(self, offset: int, limit: int) -> list[int]:
        inner, inner_params = self._inner()
        if connection.vendor == "postgresql":
            tsq = segment.tsquery(self.parsed.groups)
            if not tsq:
                return []
            sql = (
                "SELECT e.posting_id FROM search_postingsearchentry e "
                "WHERE e.tsv @@ to_tsquery('simple', %s) AND e.posting_id IN (" + inner + ") "
                "ORDER BY ts_rank(e.tsv, to_tsquery('simple', %s)) DESC, e.posting_id DESC LIMIT %s OFFSET %s"
            )
            params = [tsq, *inner_params, tsq, limit, offset]
        else:
            expr = segment.fts5_match(self.parsed.groups)
            if not expr:
                return []
            sql = (
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid IN (" + inner + ") "
                "ORDER BY rank, rowid DESC LIMIT %s OFFSET %s"
            )
            params = [expr, *inner_params, limit, offset]
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return [row[0] for row in cur.fetchall()]

    def __getitem__(self, item):
        if isinstance(item, slice):
            start = item.start or 0
            stop = item.stop if item.stop is not None else start + 100
            ids = self.ids(start, max(0, stop - start))
            objs = self.qs.model._base_manager.select_related(*_related(self.qs)).in_bulk(ids)
            return [objs[i] for i in ids if i in objs]
        return self[item : item + 1][0]


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
