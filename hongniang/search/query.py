"""The query side: a typed query becomes OR-groups of index words (segmented as the index is, expanded with
synonyms and occupation groups), and the match condition for this database."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from hongniang.catalog.models import Occupation
from hongniang.zh import segment, synonyms
from hongniang.zh.pinyin import normalize_latin
from hongniang.zh.reading import QueryReader, Reading, static_vocabulary

from .suggest import current


@dataclass
class ParsedQuery:
    text: str
    groups: list[set[str]] = field(default_factory=list)
    #: how the Latin words of the query were read (zpg -> 装配工), when they were; `reading.sure` says whether
    #: the search used it ("已按 装配工 搜索") or it is only a suggestion ("你是不是要找")
    reading: Reading | None = None

    @property
    def read_as(self) -> str | None:
        """The Chinese the query was searched as, when a Latin query was read as pinyin or initials."""
        return self.reading.text if self.reading is not None and self.reading.sure else None

    @property
    def did_you_mean(self) -> str | None:
        """A likely meant query: a near-miss reading of Latin words, or a Chinese word written with a typo."""
        if self.reading is not None:
            return None if self.reading.sure else self.reading.text
        return reader().did_you_mean(self.text)

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
    fresh = {k: sorted(v)[:30] for k, v in out.items()}
    if fresh != _occ_cache["map"]:  # the same map keeps its identity, so the query reader is not rebuilt for it
        _occ_cache["map"] = fresh
    _occ_cache["at"] = now
    return _occ_cache["map"]


_reader: dict = {"key": None, "reader": None, "building": False}
_reader_lock = threading.Lock()


def reader() -> QueryReader:
    """The process's QueryReader: the toolkit's job words, occupation names and groups, and the vocabulary of
    the autocompleter built so far (titles of open postings, enterprises; none before the first suggestion).
    The first call builds it inline; when the autocompleter or the occupation groups are rebuilt, a new reader
    is built in a background thread while this one keeps answering (3–8 s at 100k titles: never in a request)."""
    ac, occ = current(), occupation_expansions()
    key = (id(ac), id(occ))
    if _reader["reader"] is None:
        with _reader_lock:
            if _reader["reader"] is None:
                _build_reader(key, ac, occ)
    elif _reader["key"] != key and not _reader["building"]:
        with _reader_lock:
            if not _reader["building"]:
                _reader["building"] = True
                threading.Thread(target=_build_reader, args=(key, ac, occ), name="query-reader", daemon=True).start()
    return _reader["reader"]


def _build_reader(key, ac, occ) -> None:
    """Build the reader from in-memory vocabularies only (no database in the thread)."""
    try:
        vocab = static_vocabulary()
        for group, names in occ.items():
            vocab[group] = max(vocab.get(group, 0.0), 300.0)
            for name in names:
                vocab.setdefault(name, 100.0)
        if ac is not None:
            for term, weight in zip(ac.terms, ac.weights.tolist(), strict=True):
                vocab[term] = max(vocab.get(term, 0.0), float(weight))
        _reader.update(key=key, reader=QueryReader(vocab))
    except Exception:  # keep the old reader; the next call retries
        logging.getLogger(__name__).exception("query reader build failed")
        if _reader["reader"] is None:
            raise
    finally:
        _reader["building"] = False


def related_queries(parsed: ParsedQuery, limit: int = 8) -> list[str]:
    """Queries near one that found nothing, nearest first: each word alone (of a query of several), the other
    occupations of its occupation group, and job words inside it or sharing two characters with it."""
    words = segment.tokenize_query(parsed.read_as or parsed.text)
    out: list[str] = []
    if len(words) > 1:
        out += words
    occ = occupation_expansions()
    rd = reader()
    for w in words:
        alts = next((g for g in parsed.groups if w in g), {w})
        for group, names in occ.items():
            if alts & ({group} | set(names)):
                out += [group, *names[:4]]
        out += rd.neighbours(w)
    seen = {segment.normalize(parsed.text), *(parsed.groups[0] if len(parsed.groups) == 1 else ())}
    uniq = []
    for q in out:
        if q not in seen:
            seen.add(q)
            uniq.append(q)
    return uniq[:limit]


def _has_latin(q: str) -> bool:
    return any("a" <= c <= "z" for c in q.lower())


def parse_query(q: str) -> ParsedQuery:
    """The query's OR-groups. Latin words that spell a job word in pinyin or initials (zpg, baojie) are searched
    as that Chinese word, and as typed (a posting may use the letters themselves)."""
    q = (q or "").strip()[:100]
    if not q:
        return ParsedQuery(q)
    reading = reader().read(q) if _has_latin(q) else None
    if reading is None or not reading.sure:
        return ParsedQuery(q, synonyms.expand_query(segment.tokenize_query(q), occupation_expansions()), reading)
    groups = synonyms.expand_query(segment.tokenize_query(reading.text), occupation_expansions())
    for typed, read in reading.words:
        read = segment.normalize(read)
        for g in groups:
            if read in g:
                g.add(normalize_latin(typed))
                break
    return ParsedQuery(q, groups, reading)


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
