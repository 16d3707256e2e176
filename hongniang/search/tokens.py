"""Filter and sort-key tokens: the list filters and the sort keys as words in the full-text index.

A posting's filterable values (status, township, occupation and its groups, shift, benefits, pay thresholds) and
its sort-key buckets (publication hour, grid cell) become ASCII tokens beside its words, so one index lookup
answers "matches the words AND lies in the township AND …" (`results`), and sorted searches read window by window
along the key (`windows`)."""

from __future__ import annotations

from hongniang.jobs.models import BENEFITS

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
