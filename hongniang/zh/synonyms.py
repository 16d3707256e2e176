"""Query expansion: synonyms and occupation groups.

``expand_query(tokens)`` returns one OR-group (a set of alternatives) per query term; a search backend ANDs the
groups and ORs within a group (see ``segment.fts5_match`` / ``segment.tsquery``). The built-in synonym table is
``data/synonyms.txt``. The Django side passes what only the database knows through ``extra_synonyms``:
occupation group name -> the names of its occupations (``{"保洁": ["保洁员", "清洁工"]}``), so that a query for an
occupation group finds its occupations. Extra entries are one-way (key -> values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from ._text import data_lines, normalize

__all__ = ["expand_query", "synonyms_of", "synonym_table"]


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, frozenset[str]]:
    """word -> words a query for it should also find (built from data/synonyms.txt, normalised)."""
    table: dict[str, set[str]] = {}
    for line in data_lines("synonyms.txt"):
        if ">" in line:
            head, _, tail = line.partition(">")
            heads = [normalize(w) for w in head.split()]
            words = [normalize(w) for w in tail.split()]
            for h in heads:
                table.setdefault(h, set()).update(words)
        else:
            words = [normalize(w) for w in line.split()]
            for w in words:
                table.setdefault(w, set()).update(x for x in words if x != w)
    return {k: frozenset(v - {k}) for k, v in table.items()}


def synonyms_of(word: str) -> frozenset[str]:
    return synonym_table().get(normalize(word), frozenset())


def _merge_phrases(tokens: Sequence[str], keys: set[str], max_span: int = 4) -> list[str]:
    """Greedily join adjacent tokens whose concatenation is a known key (流水线 + 工人 -> 流水线工人)."""
    out, i = [], 0
    while i < len(tokens):
        for span in range(min(max_span, len(tokens) - i), 1, -1):
            joined = "".join(tokens[i : i + span])
            if joined in keys:
                out.append(joined)
                i += span
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


_extra_cache: list = []  # [(source mapping, table, normalized mapping, phrase keys)]: the last one


def _prepared_extra(extra_synonyms, table) -> tuple[dict, set]:
    """`extra_synonyms` normalised, and the phrase keys (table + extra). The same mapping object passed again
    (callers keep theirs for minutes) is not normalised again: that was most of a query's parse time."""
    if _extra_cache and _extra_cache[0][0] is extra_synonyms and _extra_cache[0][1] is table:
        return _extra_cache[0][2], _extra_cache[0][3]
    extra = {normalize(k): [normalize(v) for v in vs] for k, vs in (extra_synonyms or {}).items()}
    keys = set(table) | set(extra)
    _extra_cache[:] = [(extra_synonyms, table, extra, keys)]
    return extra, keys


def expand_query(
    tokens: Iterable[str], extra_synonyms: Mapping[str, Iterable[str]] | None = None
) -> list[set[str]]:
    """One OR-group per query term: the term, its synonyms, and ``extra_synonyms[term]`` (one-way).

    >>> expand_query(["司机"])
    [{'司机', '驾驶员'}]
    """
    table = synonym_table()
    extra, keys = _prepared_extra(extra_synonyms, table)
    toks = [normalize(t).strip() for t in tokens]
    toks = [t for t in toks if t]
    toks = _merge_phrases(toks, keys)
    groups: list[set[str]] = []
    for t in toks:
        group = {t} | set(table.get(t, ())) | {v for v in extra.get(t, ()) if v}
        # one more hop through extra for synonyms (保洁员 -> group members of 保洁)
        for s in list(group):
            group.update(v for v in extra.get(s, ()) if v)
        if group not in groups:
            groups.append(group)
    return groups
