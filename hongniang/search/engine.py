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

from hongniang.jobs.models import BENEFITS
from hongniang.zh import segment, synonyms

from .models import PostingSearchEntry


def head_text(posting) -> str:
    """The words a posting is mostly about: its title and occupation (the first relevance tier)."""
    occ = posting.occupation
    return "\n".join(p for p in (posting.title, occ.name if occ else "", occ.common_label if occ else "") if p)


def document_text(posting) -> str:
    """What a posting is found by: title, occupation, enterprise, benefits, place, description."""
    parts = [
        head_text(posting),
        posting.enterprise.name,
        " ".join(posting.benefit_labels),
        posting.get_shift_display(),
        posting.other_benefits,
        posting.township.name if posting.township_id else "",
        posting.region.name if posting.region_id else "",
        posting.description,
    ]
    return "\n".join(p for p in parts if p)


# Filter tokens: the list filters as words in the full-text index, so one index lookup (FTS5 doclist
# intersection, one GIN bitmap) answers "matches the words AND lies in the township AND …" and a results page
# never checks match after match against the posting table. Lower-case ASCII letters and digits only (one
# token for FTS5 unicode61 and PostgreSQL's parser); the "zzf" prefix keeps them apart from typed words.
PAY_STEPS = (*range(1500, 10001, 500), 12000, 15000, 20000)
#: id windows: every posting holds the token of its id's bucket of 2**s ids for each s, so PostgreSQL can look
#: for the newest matches among the newest few hundred, thousand, … postings first (see `_pg_newest`)
ID_SHIFTS = (8, 10, 12, 14, 16)


#: sort-key windows (sorted searches with a query, see `SortedResults`): every published posting holds the
#: bucket of the hour it was published in at buckets of 2**s hours (16 hours … 170 days) and, when it has a
#: place, the cell of its point on a grid of 1/1000 degree at cells of 2**s (about 0.4, 1.6, 6.4, 26 and 100 km:
#: a village's postings share its point, and the town's villages lie a kilometre or two apart)
PUB_SHIFTS = (4, 6, 8, 10, 12)
GEO_SHIFTS = (2, 4, 6, 8, 10)


def _pub_hour(published_at) -> int:
    return int(published_at.timestamp()) // 3600


def _grid(lat: float, lon: float) -> tuple[int, int]:
    """The point's cell on the 1/1000-degree grid (x from longitude, y from latitude; both positive)."""
    return int((lon + 180) * 1000), int((lat + 90) * 1000)


def key_tokens(posting) -> list[str]:
    """The posting's publication-hour and grid-cell tokens (the sort-key windows of `SortedResults`)."""
    out = []
    if posting.published_at is not None:
        h = _pub_hour(posting.published_at)
        out += [_ft("pd", f"{s}x{h >> s}") for s in PUB_SHIFTS]
    if posting.lat is not None and posting.lon is not None:
        gx, gy = _grid(posting.lat, posting.lon)
        out += [_ft("geo", f"{s}x{gx >> s}y{gy >> s}") for s in GEO_SHIFTS]
    return out


def id_tokens(pk: int) -> list[str]:
    """The posting's id-bucket tokens, one per size in ID_SHIFTS."""
    return [_id_token(s, pk >> s) for s in ID_SHIFTS]


def _id_token(shift: int, bucket: int) -> str:
    return _ft("id", f"{shift}x{bucket}")


def _ft(kind: str, value) -> str:
    return "zzf" + kind + "".join(ch for ch in str(value).lower() if ch.isascii() and ch.isalnum())


def posting_filter_tokens(posting) -> list[str]:
    """Tokens of the posting's filterable values. Every posting has its status and id-bucket tokens; a
    published one also has tokens for township, occupation and its groups, shift, each benefit and pay
    thresholds, and the pairs township × shift and township × pay threshold — they imply "published", and a
    pair is one short index list where two single tokens would be two long ones; and its publication-hour
    and grid-cell buckets (`key_tokens`). `query_filter_tokens` builds the same for a filter."""
    out = [_ft("st", posting.status), *(id_tokens(posting.pk) if posting.pk else [])]
    if posting.status != "published":
        return out
    tw = posting.township_id or ""
    out.append(_ft("sh", posting.shift))
    code = posting.occupation_id or ""
    parts = code.split("-") if code else []
    out += [_ft("oc", "x".join(parts[:i])) for i in range(1, len(parts) + 1)]
    out += [_ft("b", b) for b in BENEFITS if getattr(posting, b)]
    px = [s for s in PAY_STEPS if posting.monthly_max >= s]  # pay_min ≤ monthly_max
    out += [_ft("px", s) for s in px]
    out += [_ft("pn", s) for s in PAY_STEPS if posting.monthly_min <= s]  # pay_max ≥ monthly_min
    out += key_tokens(posting)
    if tw:
        out += [_ft("tw", tw), _ft("ts", f"{tw}x{posting.shift}")]
        out += [_ft("tp", f"{tw}x{s}") for s in px]
    return out


def query_filter_tokens(*, status: str = "published", township: str | None = None, occupation: str | None = None,
                        pay_min: int | None = None, pay_max: int | None = None, shift: str | None = None,
                        benefits=()) -> tuple[list[str], bool]:
    """(tokens every matching posting has, exact) for the list filters. `exact` is False when the tokens select
    a superset — a pay bound between two PAY_STEPS, or a status other than published with other filters — and
    the posting table must re-check."""
    if status != "published":
        return [_ft("st", status)], not (township or occupation or pay_min or pay_max or shift or benefits)
    out: list[str] = []
    exact = True
    step = None
    if pay_min is not None and pay_min > PAY_STEPS[0]:
        step = max(s for s in PAY_STEPS if s <= pay_min)
        exact &= step == pay_min
    elif pay_min is not None:
        exact &= pay_min <= 0
    if township:
        out.append(_ft("ts", f"{township}x{shift}") if shift else _ft("tw", township))
        if step is not None:
            out.append(_ft("tp", f"{township}x{step}"))
    else:
        if shift:
            out.append(_ft("sh", shift))
        if step is not None:
            out.append(_ft("px", step))
    if occupation:
        out.append(_ft("oc", "x".join(occupation.split("-"))))
    out += [_ft("b", b) for b in benefits]
    if pay_max is not None:
        above = [s for s in PAY_STEPS if s >= pay_max]
        if above:
            out.append(_ft("pn", above[0]))
            exact &= above[0] == pay_max
        else:
            exact = False
    return out or [_ft("st", "published")], exact


def index_posting(posting) -> None:
    """Create or refresh the posting's index entry (triggers/generated columns update the full-text index)."""
    PostingSearchEntry.objects.update_or_create(posting_id=posting.pk, defaults=_entry_values(posting))


def _entry_values(posting) -> dict:
    return {"tokens": segment.index_text(document_text(posting)),
            "head": segment.normalize(head_text(posting)),
            "filters": " ".join(posting_filter_tokens(posting))}


def reindex_all(batch_size: int = 2000) -> int:
    """Rebuild every entry (after a dictionary change). Returns the number of postings indexed."""
    from hongniang.jobs.models import JobPosting

    qs = JobPosting.objects.select_related("occupation", "enterprise", "township", "region").order_by("pk")
    PostingSearchEntry.objects.all().delete()
    done = 0
    batch: list[PostingSearchEntry] = []
    for posting in qs.iterator(chunk_size=batch_size):
        batch.append(PostingSearchEntry(posting_id=posting.pk, **_entry_values(posting)))
        if len(batch) >= batch_size:
            PostingSearchEntry.objects.bulk_create(batch)
            done += len(batch)
            batch = []
    if batch:
        PostingSearchEntry.objects.bulk_create(batch)
        done += len(batch)
    if connection.vendor == "sqlite":
        # one b-tree segment per token instead of the dozens the bulk insert left: every query reads fewer
        # index pages (1.8 s at 100k postings)
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
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


def _pg_newest(cond: str, params: list, need: int, below: int | None = None) -> list[tuple[int, str]]:
    """(posting id, head) of the newest `need` entries below `below` (all when None) that satisfy `cond`,
    newest first — on PostgreSQL, window by window.

    Reading "the newest 201 matches" in one statement costs either a walk back along the primary key that
    checks every row (20 rows per match for a word in 5 % of postings) or a bitmap of every match, each a heap
    visit (5,000 for that word, most of them old, uncached rows): 15–30 ms at 100k postings either way. So the
    first statement looks only among the newest 257–512 ids (the query AND one of two id-bucket tokens: GIN
    intersects the lists, the heap sees only the matches there). From the matches found per id so far the next
    window is sized to hold what is still missing, with a margin; when that window would be most of what is
    left, or little is left, the last statement reads everything below. A window is a bitmap scan ordered by
    `posting_id + 0`, so the planner never turns it back into a walk along the primary key."""
    rows: list[tuple[int, str]] = []
    with connection.cursor() as cur:
        if below is None:
            cur.execute("SELECT max(posting_id) FROM search_postingsearchentry")
            top_id = cur.fetchone()[0]
            if top_id is None:
                return rows
            below = top_id + 1
        hi, window, covered, steps = below, FIRST_WINDOW, 0, 0
        while hi > 0 and len(rows) < need:
            sql, args = f"{cond} AND posting_id < %s", [*params, hi]
            lo = 0
            if window is not None:
                shift, k = window
                top = (hi - 1) >> shift
                lo = max(0, (top - k + 1) << shift)
                sql += " AND tsv @@ to_tsquery('simple', %s)"
                args.append(" | ".join(_id_token(shift, b) for b in range(top, max(top - k, -1), -1)))
            cur.execute(f"SELECT posting_id, head FROM search_postingsearchentry WHERE {sql} "
                        "ORDER BY posting_id + 0 DESC LIMIT %s", [*args, need - len(rows)])
            rows += cur.fetchall()
            covered += hi - lo
            hi = lo
            steps += 1
            window = next_window(need - len(rows), len(rows), covered, hi, steps)
    return rows


FIRST_WINDOW = (8, 2)  # the newest one or two buckets of 256 ids: 257–512 ids


def next_window(missing: int, found: int, covered: int, below: int, steps: int) -> tuple[int, int] | None:
    """The next window below id `below` as (shift, number of buckets of 2**shift ids, the one holding
    `below - 1` first), or None for "every id below": `found` matches were among the `covered` ids read so
    far and `missing` are still wanted. The window is the smallest (at most 4 buckets) that should hold 1.5×
    the missing matches at the density seen so far (half a match when none was seen); everything is read when
    that would be half of what is left anyway, or after five statements."""
    want = 1.5 * max(missing, 1) * covered / max(found, 0.5)
    if steps >= 5 or want >= below / 2:
        return None
    for shift in ID_SHIFTS:
        top = (below - 1) >> shift
        for k in range(1, 5):
            if below - max(0, (top - k + 1) << shift) >= want:
                return shift, k
    return None


#: counts stop here: count() returns at most COUNT_CAP + 1 and `capped` says "more than COUNT_CAP". Every
#: request reads this many matches (and ranks them), so it bounds a search's cost: 200 keeps a broad word at
#: 100k postings to a few milliseconds, and "200+" is as useful to a job seeker as "1000+".
COUNT_CAP = 200


class RankedResults:
    """Postings matching a query, best first; sliceable and countable for Django's Paginator.

    Relevance: among the newest COUNT_CAP + 1 matches (all of them when there are fewer), postings whose title
    or occupation holds every query word come first, then the others, each newest (highest id) first; older
    matches follow, newest first. Both databases give the same order.

    The list filters are words in the index (`filter_tokens`, see `query_filter_tokens`), so a filtered search
    is one full-text lookup: on SQLite one FTS5 statement in id order that stops after the rows it needs, on
    PostgreSQL a few GIN lookups over ever larger windows of the newest ids (`_pg_newest`). When the filters cannot all be expressed as tokens
    (`exact=False`, or no tokens given) each match is also checked against the filtered queryset by primary key
    (a correlated EXISTS). The page itself is read through the queryset, so a posting whose index entry lags
    behind its row is never shown.

    * ``count()`` reads the newest COUNT_CAP + 1 matches; above COUNT_CAP ``capped`` is true and the count is
      COUNT_CAP + 1 (the list shows "200+", the API ``count`` 201);
    * the same statements read their normalised title and occupation for the relevance order;
    * a page beyond them reads older matches from the index."""

    def __init__(self, qs: QuerySet, parsed: ParsedQuery, filter_tokens: list[str] | None = None,
                 exact: bool = False, load=None):
        self.qs = qs
        #: (queryset, ids) -> {id: posting}: how a page's postings are read (default: `in_bulk` of `qs`)
        self.load = load or (lambda qs, ids: qs.order_by().in_bulk(ids))
        self.parsed = parsed
        self.filter_tokens = list(filter_tokens or [])
        self.recheck = not (exact and self.filter_tokens)
        self._newest: list[int] | None = None  # the newest COUNT_CAP + 1 matching ids, newest first
        self._ranked: list[int] | None = None  # the same ids in relevance order

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @property
    def capped(self) -> bool:
        """True when there are more than COUNT_CAP matches (count() is then COUNT_CAP + 1)."""
        return self.count() > COUNT_CAP

    # ---- SQL per database
    def _where(self, any_of: list[str] | None = None) -> tuple[str, str, str, list]:
        """(FROM, posting id expression, match condition, its params) of every match — with `any_of`, of the
        matches that also hold one of those tokens."""
        groups = self.parsed.groups
        if connection.vendor == "postgresql":
            # one condition per query group and per filter token: GIN then steps the conditions' lists in
            # lock-step, skipping through the long ones. In one tsquery GIN guesses which of its lists are
            # short from their first page, and after updates and VACUUM a list of 90,000 can look short
            # (measured: 工 & a 161-posting list read all of 工 — 5 ms — where two conditions took 0.1 ms)
            words = segment.tsquery_clauses(groups)
            if not words:
                return ("", "", "", [])
            clauses = [*words, *self.filter_tokens, *([" | ".join(any_of)] if any_of else [])]
            return ("search_postingsearchentry", "search_postingsearchentry.posting_id",
                    " AND ".join(["tsv @@ to_tsquery('simple', %s)"] * len(clauses)), clauses)
        text = segment.fts5_match(groups)
        full = "".join([f"({text})", *(f' AND "{t}"' for t in self.filter_tokens)])
        if any_of:
            full += " AND (" + " OR ".join(f'"{t}"' for t in any_of) + ")"
        # the FTS5 rowid is minus the posting id (migration 0003): FTS5 walks its lists ~1.6x faster forwards,
        # and forwards is then newest first
        return ("search_fts", "-search_fts.rowid", "search_fts MATCH %s", [full]) if text else ("", "", "", [])

    def _ids(self, limit: int, offset: int = 0, *, below: int | None = None, with_head: bool = False) -> list:
        """Ids of matches below `below`, newest first, read from the index in id order until `offset + limit`
        are found; with `with_head`, (id, normalised title and occupation) pairs."""
        from django.db.models.expressions import RawSQL

        table, col, cond, params = self._where()
        if not table or limit <= 0:
            return []
        sqlite = table == "search_fts"
        if not sqlite:
            if self.recheck:
                inner, inner_params = (self.qs.order_by().filter(pk=RawSQL(col, [])).values("pk")
                                       .query.sql_with_params())
                cond, params = f"{cond} AND EXISTS ({inner})", [*params, *inner_params]
            rows = _pg_newest(cond, params, offset + limit, below)[offset:]
            return rows if with_head else [pk for pk, _head in rows]
        if below is not None:
            cond, params = f"{cond} AND search_fts.rowid > %s", [*params, -below]
        if self.recheck:
            inner, inner_params = (self.qs.order_by().filter(pk=RawSQL(col, [])).values("pk")
                                   .query.sql_with_params())
            cond = f"{cond} AND EXISTS ({inner})"
            params = [*params, *inner_params]
        select = col
        if with_head:  # the FTS5 table holds no head: the entry, by primary key
            select = f"{col}, (SELECT head FROM search_postingsearchentry h WHERE h.posting_id = {col})"
        sql = f"SELECT {select} FROM {table} WHERE {cond} ORDER BY search_fts.rowid LIMIT %s OFFSET %s"
        with connection.cursor() as cur:
            cur.execute(sql, [*params, limit, offset])
            return cur.fetchall() if with_head else [row[0] for row in cur.fetchall()]

    def count(self) -> int:
        if self._newest is None:
            rows = self._ids(COUNT_CAP + 1, with_head=True)
            self._newest = [pk for pk, _head in rows]
            # relevance: title matches first (a substring test of every query word, or one of its alternatives,
            # on the normalised title and occupation — read with the ids, a few hundred short strings)
            alts = [sorted(a for a in g if a) for g in self.parsed.groups]
            first = [pk for pk, head in rows if all(any(a in (head or "") for a in g) for g in alts)]
            seen = set(first)
            self._ranked = first + [pk for pk in self._newest if pk not in seen]
        return len(self._newest)

    def __len__(self) -> int:
        return self.count()

    def matched_ids(self) -> list[int] | None:
        """Every matching id, or None when there are more than COUNT_CAP."""
        return None if self.capped else list(self._newest or [])

    def ids(self, offset: int, limit: int) -> list[int]:
        """Ids of the page [offset, offset + limit) in relevance order."""
        self.count()
        ranked = self._ranked or []
        page = ranked[offset : offset + limit]
        if len(page) < limit and self.capped:
            page += self._ids(limit - len(page), max(0, offset - len(ranked)), below=self._newest[-1])
        return page

    def __getitem__(self, item):
        if isinstance(item, slice):
            start = item.start or 0
            stop = item.stop if item.stop is not None else start + 100
            ids = self.ids(start, max(0, stop - start))
            objs = self.load(self.qs, ids) if ids else {}
            return [objs[i] for i in ids if i in objs]
        return self[item : item + 1][0]


class SortedResults(RankedResults):
    """Matches of a query in a list order (newest, pay, distance: `qs` is the filtered posting queryset in that
    order; `point` the (lat, lon) of a distance sort). Counted as RankedResults counts (at most COUNT_CAP + 1,
    the same statements). With at most COUNT_CAP matches their ids are known and a page sorts just those.

    Above that a page is read window by window along the sort key, newest / best paid / nearest first, as
    `_pg_newest` reads ids: a window is a range of the key held by a few bucket tokens (publication hours,
    pay thresholds, grid cells around the point), so the index hands over only the matches inside it and the
    posting table sorts those exactly; windows are disjoint and in key order, so their pages join up into the
    exact list order. Each window is sized from per-process counts of published postings along the key
    (`key_histogram`) and the share of postings that match (seen while counting) to hold 1.5× what is still
    missing; the last reads everything left. Sorting every match instead cost 50–100 ms for a word in 5–80 %
    of 100k postings."""

    def __init__(self, qs: QuerySet, parsed: ParsedQuery, filter_tokens: list[str] | None = None,
                 exact: bool = False, load=None, sort: str = "newest", point: tuple[float, float] | None = None,
                 rows=None):
        super().__init__(qs, parsed, filter_tokens, exact, load)
        self.key = "distance" if sort == "distance" and point is not None else sort if sort == "pay" else "newest"
        self.point = point
        #: (queryset, start, stop) -> postings: how a page is read (default: the slice itself)
        self.rows = rows or (lambda qs, start, stop: list(qs[start:stop]))

    def ids(self, offset: int, limit: int) -> list[int]:
        return self._page(offset, limit, lambda qs, start, stop: list(qs.values_list("pk", flat=True)[start:stop]))

    def __getitem__(self, item):
        if isinstance(item, slice):  # the postings straight from the statement that sorts them
            start = item.start or 0
            stop = item.stop if item.stop is not None else start + 100
            if self.key == "distance":
                # ids first, then the postings: the planner cannot tell how many of a window's matches lie in
                # the disk, guesses one, and joined the enterprise to each of ~700 before sorting (15 vs 5 ms)
                return RankedResults.__getitem__(self, item)
            return self._page(start, max(0, stop - start), self.rows)
        return self[item : item + 1][0]

    def _page(self, offset: int, limit: int, read) -> list:
        if limit <= 0:
            return []
        known = self.matched_ids()
        if known is not None:
            return read(self.qs.filter(pk__in=known), offset, offset + limit)
        return self._windowed(offset + limit, read)[offset:]

    def _share(self) -> float:
        """Matches per posting, from the newest COUNT_CAP + 1 matches and the ids they span."""
        newest = self._newest or []
        return len(newest) / max(1, newest[0] - newest[-1] + 1) if newest else 1.0

    def _windowed(self, need: int, read) -> list:
        from django.db.models.expressions import RawSQL

        units = key_units(self.key, self.point)
        counts = [c for c, _w in units]
        left = sum(counts)
        share, found, covered, i, steps = self._share(), 0, 0, 0, 0
        out: list[int] = []
        while len(out) < need:
            missing = need - len(out)
            if steps:
                share = max(found, 0.5) / max(covered, 1)
            target = 1.5 * missing / max(share, 1e-9)
            j, acc = i, 0
            while j < len(units) and acc < target:
                acc += counts[j]
                j += 1
            if steps >= 4 or acc >= (left - covered) / 2:
                j, acc = len(units), left - covered  # the rest
            tokens, cond = key_window(self.key, self.point, units, i, j)
            table, col, where, params = self._where(tokens)
            sql = f"SELECT {col} FROM {table} WHERE {where}"
            if tokens and self.key == "distance" and table != "search_fts":
                # PostgreSQL: the window's matches as an array first, then those postings by primary key — as
                # `IN (…)` the planner joined them to a scan of every posting (no index serves a distance
                # bound): 18 ms for 700 matches near the town centre
                sql = f"SELECT unnest(ARRAY({sql}))"
            qs = self.qs.filter(pk__in=RawSQL(sql, params))
            if cond is not None:
                qs = qs.filter(cond)
            rows = read(qs, 0, missing)
            out += rows
            found, covered, i, steps = found + len(rows), covered + acc, j, steps + 1
            if j >= len(units):
                break
        return out


NEAR_CELLS = 2000  # distance units: the nearest cells one by one, the others together
_HIST_TTL = 300.0
_hist: dict = {}


def key_histogram(key: str) -> dict:
    """Published postings counted along a sort key, kept per process for five minutes (an estimate: windows
    are sized from it, never bounded by it): newest — per 16-hour bucket of publication; pay — at or above each
    pay step; distance — per grid cell of 2**GEO_SHIFTS[0]."""
    now = time.monotonic()
    at, data = _hist.get(key, (float("-inf"), None))
    if data is not None and now - at < _HIST_TTL:
        return data
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if key == "pay":
            cols = ", ".join(f"count(*) FILTER (WHERE monthly_max >= {s})" if pg
                             else f"sum(monthly_max >= {s})" for s in PAY_STEPS)
            cur.execute(f"SELECT count(*), {cols} FROM jobs_jobposting WHERE status = 'published'")
            total, *above = cur.fetchone()
            data = {"total": total or 0, "above": [a or 0 for a in above]}
        elif key == "distance":
            b = GEO_SHIFTS[0]
            gx = "floor((lon + 180) * 1000)::bigint" if pg else "CAST((lon + 180) * 1000 AS INTEGER)"
            gy = "floor((lat + 90) * 1000)::bigint" if pg else "CAST((lat + 90) * 1000 AS INTEGER)"
            cur.execute(f"SELECT {gx} >> {b}, {gy} >> {b}, count(*) FROM jobs_jobposting "
                        "WHERE status = 'published' AND lat IS NOT NULL AND lon IS NOT NULL GROUP BY 1, 2")
            import numpy as np

            rows = cur.fetchall()
            data = {"cells": np.array(rows, dtype=np.float64).reshape(-1, 3)}  # x, y, postings
            cur.execute("SELECT count(*) FROM jobs_jobposting WHERE status = 'published' AND (lat IS NULL OR "
                        "lon IS NULL)")
            data["unplaced"] = cur.fetchone()[0]
        else:
            hour = ("floor(extract(epoch FROM published_at) / 3600)::bigint" if pg
                    else "(CAST(strftime('%s', published_at) AS INTEGER) / 3600)")
            cur.execute(f"SELECT {hour} >> {PUB_SHIFTS[0]}, count(*) FROM jobs_jobposting "
                        "WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1")
            data = {"buckets": dict(cur.fetchall())}
    _hist[key] = (now, data)
    return data


def key_units(key: str, point: tuple[float, float] | None) -> list[tuple[int, object]]:
    """The sort key cut into units in list order, each (postings in it, what bounds it): 16-hour buckets from
    now back (their number), pay-step intervals from the top (their lower step, 0 for the last), grid cells by
    the distance of their centre from the point (that distance, in degrees of latitude)."""
    from django.utils import timezone

    h = key_histogram(key)
    if key == "pay":
        above = h["above"]
        units = [(above[-1], PAY_STEPS[-1])]  # at or above the top step
        units += [(above[k] - above[k + 1], PAY_STEPS[k]) for k in range(len(PAY_STEPS) - 2, -1, -1)]
        return [*units, (h["total"] - above[0], 0)]  # below the lowest step
    if key == "distance":
        import math

        import numpy as np

        lat, lon = point
        cells, size = h["cells"], (1 << GEO_SHIFTS[0]) / 1000
        d = np.hypot((cells[:, 1] + 0.5) * size - 90 - lat, ((cells[:, 0] + 0.5) * size - 180 - lon)
                     * math.cos(math.radians(lat)))
        order = np.argsort(d, kind="stable")
        # the nearest 2,000 cells one by one (a page never needs more); the others with the postings without
        # a point in the last unit, which a window reads as "everything after"
        near, far = order[:NEAR_CELLS], order[NEAR_CELLS:]
        rest = int(cells[far, 2].sum()) + h["unplaced"]
        return [(int(n), float(r)) for n, r in zip(cells[near, 2], d[near], strict=True)] + [(rest, math.inf)]
    top = (_pub_hour(timezone.now()) >> PUB_SHIFTS[0]) + 1  # the next bucket too: clocks of workers differ
    buckets = h["buckets"]
    oldest = min(buckets, default=top)
    return [(buckets.get(b, 0), b) for b in range(top, oldest - 1, -1)]


def key_window(key: str, point, units: list, i: int, j: int):
    """(tokens, one of which every posting in the window holds, or None; a condition on the posting queryset
    or None) of the units [i, j) of `key_units` — j past the end: every posting after unit i - 1."""
    from django.db.models import Q

    # the bounds are also given on the posting columns although the tokens imply them: an index walk in list
    # order then stays inside the window (PostgreSQL's parallel index walk read 90,000 postings for 20
    # matches in the newest window when only the tokens bounded it)
    last = j >= len(units)
    if key == "pay":  # monthly_max in [lower step of unit j - 1, lower step of unit i - 1)
        lower = units[j - 1][1]
        cond = Q(monthly_max__lt=units[i - 1][1]) if i else Q()
        return ([_ft("px", lower)] if lower else None), (cond & Q(monthly_max__gte=lower) if lower else cond) or None
    if key == "distance":  # distance in (centre distance of unit i - 1, that of unit j - 1]
        lo = units[i - 1][1] if i else None
        if last:
            return None, ((Q(_d2__gt=lo * lo) | Q(_d2__isnull=True)) if lo is not None else None)
        hi = units[j - 1][1]
        import math

        # the box around the disk as well: the planner knows how many postings lie in a range of lat / lon,
        # not how many pass an expression (it guessed a third of all and scanned the table)
        dlon = hi / max(math.cos(math.radians(point[0])), 1e-6)
        cond = Q(_d2__lte=hi * hi, lat__range=(point[0] - hi, point[0] + hi),
                 lon__range=(point[1] - dlon, point[1] + dlon))
        return _disk_tokens(point, hi), (cond & Q(_d2__gt=lo * lo) if lo is not None else cond)
    hi = units[i][1] + 1  # newest: 16-hour buckets [bucket of unit j - 1, bucket of unit i]
    before = Q(published_at__lt=_bucket_start(hi))
    if last:
        return None, (before if i else None)
    lo = units[j - 1][1]
    return _range_tokens("pd", PUB_SHIFTS, lo, hi), before & Q(published_at__gte=_bucket_start(lo))


def _bucket_start(bucket: int):
    """When 16-hour publication bucket `bucket` begins."""
    import datetime as dt

    return dt.datetime.fromtimestamp((bucket << PUB_SHIFTS[0]) * 3600, tz=dt.UTC)


def _range_tokens(kind: str, shifts: tuple[int, ...], lo: int, hi: int) -> list[str]:
    """Tokens of aligned buckets covering exactly [lo, hi) (in buckets of 2**shifts[0]), the largest first."""
    base, out, x = shifts[0], [], lo
    while x < hi:
        for s in reversed(shifts):
            size = 1 << (s - base)
            if x % size == 0 and x + size <= hi:
                out.append(_ft(kind, f"{s}x{x >> (s - base)}"))
                x += size
                break
    return out


def _disk_tokens(point: tuple[float, float], radius: float) -> list[str] | None:
    """Grid-cell tokens of the smallest cells of which at most 24 cover the disk of `radius` (degrees of
    latitude) around the point; None when even the largest cells would take more."""
    import math

    lat, lon = point
    k = max(math.cos(math.radians(lat)), 1e-6)
    dlon = radius / k
    x0, y0 = _grid(lat - radius, lon - dlon)
    x1, y1 = _grid(lat + radius, lon + dlon)
    px, py = _grid(lat, lon)
    for s in GEO_SHIFTS:
        xs, ys = range(x0 >> s, (x1 >> s) + 1), range(y0 >> s, (y1 >> s) + 1)
        if len(xs) * len(ys) > 100:
            continue
        size = 1 << s
        cells = []
        for x in xs:  # the cells of the box that the disk reaches (grid units: 1/1000 degree)
            ex = max(x * size - px, 0, px - (x + 1) * size) * k
            for y in ys:
                ey = max(y * size - py, 0, py - (y + 1) * size)
                if ex * ex + ey * ey <= (radius * 1000 + 2) ** 2:  # 2 units: the floored point
                    cells.append(_ft("geo", f"{s}x{x}y{y}"))
        if len(cells) <= 24:
            return cells
    return None
