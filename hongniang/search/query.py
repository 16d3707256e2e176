"""The query side: a typed query becomes OR-groups of index words (segmented as the index is, expanded with
synonyms and occupation groups), and the match condition for this database."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from hongniang.zh import segment, synonyms


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
    return "SELECT -rowid FROM search_fts WHERE search_fts MATCH %s", segment.fts5_match(parsed.groups)


def filter_matching(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Restrict a posting queryset to full-text matches (keeps its ordering)."""
    from django.db.models.expressions import RawSQL

    if parsed.empty:
        return qs
    sql, param = _match_sql(parsed)
    if not param:
        return qs.none()
    return qs.filter(pk__in=RawSQL(sql, [param]))
