"""Ranked results of a query: the newest matches first read from the index (FTS5 in id order on SQLite, id
windows over GIN on PostgreSQL), counted up to COUNT_CAP + 1, title matches first."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from hongniang.core import prepared
from hongniang.zh import segment

from .query import ParsedQuery
from .tokens import ID_SHIFTS, _ft, _id_token


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
    `posting_id + 0`, so the planner never turns it back into a walk along the primary key.

    The newest id comes with the first window (`_pg_first_window`) instead of a statement of its own."""
    rows: list[tuple[int, str]] = []
    with prepared.cursor(connection.alias) as cur:  # the same few statement texts on every page: prepared
        hi, window, covered, steps = below, FIRST_WINDOW, 0, 0
        if below is None:
            first = _pg_first_window(cur, cond, params, need)
            if first is None:
                return rows
            if isinstance(first, int):  # no id seen yet, or too many added since: the usual first window
                hi = first
            else:
                rows, hi, covered = first
                steps = 1
                window = next_window(need - len(rows), len(rows), covered, hi, steps)
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


#: the highest entry id the last search of this process saw (PostgreSQL): where its first window starts
_newest_seen: dict = {"id": None}


def _pg_first_window(cur, cond: str, params: list, need: int):
    """The first window of `_pg_newest` together with the newest id, in one statement.

    The window is the id buckets of the newest id this process saw last, the one above it (postings added
    since) and the one below; the statement also returns the newest id now. When that id lies inside the
    window the rows are exact: every entry from the window's lowest id up to the newest holds one of its bucket
    tokens. Returns (rows newest first, the window's lowest id, ids covered); the id below which the usual
    first window starts (newest + 1) when no id was seen yet or more than a bucket was added since (the rows
    are then dropped); None when there are no entries."""
    seen = _newest_seen["id"]
    if seen is None:
        cur.execute("SELECT max(posting_id) FROM search_postingsearchentry")
        newest = cur.fetchone()[0]
        _newest_seen["id"] = newest
        return None if newest is None else newest + 1
    shift, k = FIRST_WINDOW
    top = seen >> shift
    lo = max(0, (top - k + 1) << shift)
    buckets = " | ".join(_id_token(shift, b) for b in range(top + 1, max(top - k, -1), -1))
    cur.execute(f"(SELECT posting_id, head, false FROM search_postingsearchentry WHERE {cond} "
                "AND posting_id >= %s AND tsv @@ to_tsquery('simple', %s) ORDER BY posting_id + 0 DESC LIMIT %s) "
                "UNION ALL SELECT max(posting_id), NULL, true FROM search_postingsearchentry",
                [*params, lo, buckets, need])
    got = cur.fetchall()
    newest = next(pk for pk, _head, is_newest in got if is_newest)
    _newest_seen["id"] = newest
    if newest is None:
        return None
    if newest < lo or newest >> shift > top + 1:
        return newest + 1
    rows = sorted(((pk, head) for pk, head, is_newest in got if not is_newest), reverse=True)
    return rows, lo, newest + 1 - lo


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
            # the filter tokens first (a township's, a pair's: short lists): GIN then steps the long lists of the
            # words along them (a filtered three-word search's last statement: 2.1 instead of 4.5 ms of execution,
            # median of 15 at load 6); the status token, held by nine postings in ten, stays last
            words = segment.tsquery_clauses(groups)
            if not words:
                return ("", "", "", [])
            status = _ft("st", "")
            short = [t for t in self.filter_tokens if not t.startswith(status)]
            clauses = [*short, *words, *(t for t in self.filter_tokens if t.startswith(status)),
                       *([" | ".join(any_of)] if any_of else [])]
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
