"""Reads of job postings shared by the pages and the API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import DEFERRED, Count, Q, QuerySet, Sum
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.where import WhereNode

from hongniang.catalog.models import Occupation
from hongniang.core import prepared
from hongniang.core.roles import enterprise_ids, is_bureau
from hongniang.geo.models import Region

from .models import BENEFITS, JobPosting, PostingEvent, PostingStatus, Shift

SORTS = {"newest": ("-published_at", "-id"), "pay": ("-monthly_max", "-monthly_min", "-published_at", "-id")}
#: sorts the list and API accept: relevance (default with a query), distance (from a point or township), pay, newest
SORT_NAMES = ("relevance", "distance", "pay", "newest")


def _get(params: Mapping, key: str):
    value = params.get(key) if params is not None else None
    return value.strip() if isinstance(value, str) else value


def _getlist(params: Mapping, key: str) -> list[str]:
    if params is None:
        return []
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        raw = params.get(key) or []
        if isinstance(raw, str):
            raw = [raw]
    out: list[str] = []
    for item in raw:
        out.extend(x.strip() for x in str(item).split(",") if x.strip())
    return out


def _amount(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return int(d) if d.is_finite() else None


def published_postings() -> QuerySet:
    return JobPosting.objects.filter(status=PostingStatus.PUBLISHED).select_related(
        "enterprise", "township", "region", "occupation")


def filter_postings(params: Mapping | None) -> QuerySet:
    """Published postings narrowed by `params` (a dict or QueryDict); unknown or malformed values are ignored.
    A full-text word (`q`) is not read here: it needs the search index, one layer up
    (`hongniang.search.selectors.filter_postings` takes the same parameters and `q` as well).

    township    region code of a township
    occupation  occupation code; a group code (6-05) matches every occupation under it
    pay_min     the posting's estimated monthly maximum reaches at least this
    pay_max     the posting's estimated monthly minimum is at most this
    shift       one of Shift
    benefits    list or comma-separated: board, lodging, shuttle, social_insurance — all must hold
    lat, lon    a point (WGS-84) for sort=distance; without it the township's centre is used
    sort        newest (default) | pay | distance (relevance needs the search index)
    """
    f = list_filters(params)
    qs = published_postings()
    if f["township"]:
        qs = qs.filter(township_id=f["township"])
    if f["occupation"]:
        qs = qs.filter(Q(occupation_id=f["occupation"]) | Q(occupation__code__startswith=f"{f['occupation']}-"))
    if f["pay_min"] is not None:
        qs = qs.filter(monthly_max__gte=f["pay_min"])
    if f["pay_max"] is not None:
        qs = qs.filter(monthly_min__lte=f["pay_max"])
    if f["shift"]:
        qs = qs.filter(shift=f["shift"])
    for benefit in f["benefits"]:
        qs = qs.filter(**{benefit: True})
    params = params or {}
    sort = _get(params, "sort")
    if sort == "distance":
        point = sort_point(params)
        if point is not None:
            return order_by_distance(qs, *point)
    return qs.order_by(*SORTS.get(sort or "newest", SORTS["newest"]))


def list_filters(params: Mapping | None) -> dict:
    """The list filters of `params`, validated: malformed or unknown values become None / are dropped."""
    params = params or {}
    shift = _get(params, "shift")
    low, high = _amount(_get(params, "pay_min")), _amount(_get(params, "pay_max"))
    if low is not None and high is not None and low > high:
        low, high = high, low  # "不低于 8000, 不高于 5000" is a range typed the wrong way round: search the range meant
    return {
        "township": _get(params, "township") or None,
        "occupation": _get(params, "occupation") or None,
        "pay_min": low,
        "pay_max": high,
        "shift": shift if shift in Shift.values else None,
        "benefits": sorted({b for b in _getlist(params, "benefits") if b in BENEFITS}),
    }


def sort_point(params) -> tuple[float, float] | None:
    """The point a distance sort measures from: lat/lon when valid, else the township's centre, else None."""
    try:
        lat, lon = float(_get(params, "lat")), float(_get(params, "lon"))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    except (TypeError, ValueError):
        pass
    township = _get(params, "township")
    if township:
        row = Region.objects.filter(code=township).values_list("lat", "lon").first()
        if row and row[0] is not None:
            return row
    return None


def order_by_distance(qs: QuerySet, lat: float, lon: float) -> QuerySet:
    """Nearest first (equirectangular distance: exact enough within a county, and index-free on both DBs)."""
    import math

    from django.db.models import ExpressionWrapper, F, FloatField, Value

    k = math.cos(math.radians(lat))
    d2 = ExpressionWrapper((F("lat") - Value(lat)) * (F("lat") - Value(lat))
                           + (F("lon") - Value(lon)) * (F("lon") - Value(lon)) * Value(k * k),
                           output_field=FloatField())
    return qs.annotate(_d2=d2).order_by(F("_d2").asc(nulls_last=True), "-published_at", "-id")


_REFERENCE_TTL = 300.0
_reference: dict = {"at": float("-inf"), "rows": {}}


def reference_rows(model, codes: Iterable[str]) -> dict:
    """Regions or occupations by code, kept per process for five minutes (and forgotten when one is saved
    or deleted here): reference data from the bundled files, wanted for every posting on every results page,
    so a page does not join three tables for them (on PostgreSQL that join hashed all 2,176 occupations)."""
    now = time.monotonic()
    if now - _reference["at"] > _REFERENCE_TTL:
        _reference.update(at=now, rows={})
    known = _reference["rows"].setdefault(model, {})
    missing = {c for c in codes if c is not None} - known.keys()
    if missing:
        known.update(model.objects.in_bulk(list(missing)))
    return known


def forget_reference_rows(**kwargs) -> None:
    _reference["at"] = float("-inf")


#: The columns a page of results shows: the job card (jobs/_card.html, its cache key) and the API's `PostingOut`.
#: A page reads only these (30 of the posting's 38 columns, 3 of the enterprise's 17): the review note, content
#: check flags, duplicates, submission / reminder / creation times, valid_from and is_demo are never shown in a
#: list, and each column read is a value converted and set on every posting (a datetime parsed on SQLite).
#: A template or schema that shows another field of a listed posting must add it here: a field left out is
#: read with one query per posting (hongniang/search/tests/test_page_load.py counts the queries).
PAGE_FIELDS = (
    "id", "enterprise", "title", "occupation", "headcount", "pay_type", "pay_min", "pay_max", "piece_unit",
    "monthly_min", "monthly_max", "shift", "board", "lodging", "shuttle", "social_insurance", "other_benefits",
    "region", "township", "address", "lat", "lon", "age_min", "age_max", "certificates", "description", "status",
    "valid_until", "published_at", "updated_at",
)
PAGE_ENTERPRISE_FIELDS = ("name", "verification_status")


def page_queryset(qs: QuerySet) -> QuerySet:
    """`qs` reading what a results page shows: PAGE_FIELDS, and the enterprise's (joined) PAGE_ENTERPRISE_FIELDS."""
    return qs.select_related(None).select_related("enterprise").only(
        *PAGE_FIELDS, *(f"enterprise__{f}" for f in PAGE_ENTERPRISE_FIELDS))


def load_page(qs: QuerySet, ids: list[int]) -> dict[int, JobPosting]:
    """The postings `ids` that `qs` holds, by id, with enterprise (joined), township, region and occupation
    (from `reference_rows`) in place, as `select_related` would give them; only the columns a page shows
    (`PAGE_FIELDS`). The statement is compiled once per filter set and page length (`_PageLoad`)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    page = page_queryset(qs.order_by())
    key = _PageLoad.key(page, len(ids))
    cache = _page_loads.__dict__.setdefault("by_key", {})
    load = cache.get(key) if key is not None else None
    if load is None and key is not None:
        try:
            load = _PageLoad(page, ids)
        except (EmptyResultSet, FullResultSet):
            load = None
        if load is not None and load.ok:
            if len(cache) >= _PAGE_LOADS_MAX:
                cache.clear()
            cache[key] = load
    objs = load(ids) if load is not None and load.ok else page.in_bulk(ids)
    with_references(objs.values())
    return objs


#: compiled page loads of this thread, by `_PageLoad.key` (cleared when it holds _PAGE_LOADS_MAX)
_page_loads = threading.local()
_PAGE_LOADS_MAX = 512
_PLAIN = (int, str, bool, float, Decimal, type(None))


class _PageLoad:
    """One page load statement compiled once and run with other ids: what `qs.in_bulk(ids)` does, without
    compiling the statement and setting up its columns again for every page. Compiling the 33 columns of a
    page, its join and filters, and Django's row loop took about as much CPU as the statement and reading its
    rows (measured on PostgreSQL: 2.4 ms of CPU for a page of 20 where the statement and its rows took 0.7).

    Used only for plain querysets (`key`): model instances, no annotations, extra, distinct, slicing or
    prefetching, and filters that are lookups of columns against plain values — the values are part of the
    key, the ids are the statement's last parameters."""

    def __init__(self, qs: QuerySet, ids: list[int]):
        self.db = qs.db
        self.n = len(ids)
        query = qs.filter(pk__in=ids).query
        compiler = query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()  # also sets compiler.select and klass_info
        self.ok = list(params[len(params) - self.n:]) == ids
        self.sql, self.params = sql, tuple(params[:len(params) - self.n])
        self.compiler = compiler
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start:self.end]]
        self.populators = get_related_populators(klass_info, select, self.db)
        # where each of the model's fields is in a row (None: deferred): `Model.from_db` works it out per row,
        # testing each of the 38 fields against the list of the 30 read (a tenth of a page's CPU on SQLite)
        at = {name: i for i, name in enumerate(self.init_list, start=self.start)}
        self.positions = [at.get(f.attname) for f in self.model._meta.concrete_fields]

    @staticmethod
    def key(qs: QuerySet, n: int):
        """What the statement of `qs.in_bulk(<n ids>)` depends on, hashable; None when `qs` is not plain."""
        q = qs.query
        if (q.annotations or q.extra or q.distinct or q.combinator or q.is_sliced or q.select_for_update
                or qs._prefetch_related_lookups or qs._known_related_objects
                or qs._iterable_class is not ModelIterable):
            return None
        where = _where_shape(q.where)
        if where is None:
            return None
        joins = tuple((alias, getattr(j, "table_name", None), getattr(j, "join_type", None),
                       getattr(j, "parent_alias", None)) for alias, j in q.alias_map.items())
        names, defer = q.deferred_loading
        return (qs.model, qs.db, n, where, joins, frozenset(names), defer, repr(q.select_related))

    def __call__(self, ids: list[int]) -> dict:
        with prepared.cursor(self.db) as cur:  # one statement text per filter set and page length: prepared
            cur.execute(self.sql, (*self.params, *ids))
            rows = cur.fetchall()
        objs = {}
        db, model, positions = self.db, self.model, self.positions
        for row in self.compiler.results_iter([rows]):
            # as Model.from_db makes it: every field in the model's order, the unread ones deferred
            obj = model(*[DEFERRED if i is None else row[i] for i in positions])
            obj._state.adding = False
            obj._state.db = db
            for populator in self.populators:
                populator.populate(row, obj)
            objs[obj.pk] = obj
        return objs


def _where_shape(node):
    """The WHERE tree `node` as a hashable value (connectors, lookups, columns and values), or None when it
    holds anything but lookups of a column against plain values."""
    if isinstance(node, WhereNode):
        parts = tuple(_where_shape(child) for child in node.children)
        return None if None in parts else (node.connector, node.negated, parts)
    if not isinstance(node, Lookup) or type(node.lhs) is not Col:
        return None
    rhs = node.rhs
    values = tuple(rhs) if isinstance(rhs, (list, tuple, set, frozenset)) else (rhs,)
    if not all(isinstance(v, _PLAIN) for v in values):  # str, int and their choices enums
        return None
    return (type(node), node.lhs.alias, node.lhs.target, node.lhs.output_field, type(rhs), values,
            tuple(type(v) for v in values))


def page_rows(qs: QuerySet, start: int, stop: int) -> list[JobPosting]:
    """Rows [start, stop) of `qs` in its order, loaded as `load_page` loads them (one statement)."""
    return with_references(list(page_queryset(qs)[start:stop]))


def with_references(postings: Iterable[JobPosting]) -> list[JobPosting]:
    """Put each posting's township, region and occupation in place from `reference_rows`."""
    postings = list(postings)
    regions = reference_rows(Region, [c for p in postings for c in (p.township_id, p.region_id)])
    occupations = reference_rows(Occupation, [p.occupation_id for p in postings])
    for p in postings:
        for field, rows in (("township", regions), ("region", regions), ("occupation", occupations)):
            code = getattr(p, f"{field}_id")
            if code in rows:
                setattr(p, field, rows[code])
    return postings


def visible_posting(user, pk: int) -> JobPosting | None:
    """A posting the user may open: published ones for everyone; any status for its HR and the bureau."""
    posting = (JobPosting.objects.select_related("enterprise", "township", "region", "occupation")
               .filter(pk=pk).first())
    if posting is None:
        return None
    if posting.status == PostingStatus.PUBLISHED:
        return posting
    if is_bureau(user) or posting.enterprise_id in enterprise_ids(user):
        return posting
    return None


def hr_posting(user, pk: int) -> JobPosting | None:
    """A posting of one of the user's enterprises (HR), or None (pages answer 404, not 403, to hide existence)."""
    return (JobPosting.objects.select_related("enterprise", "township", "region", "occupation")
            .filter(pk=pk, enterprise_id__in=enterprise_ids(user)).first())


def newest_postings(limit: int = 10, township_id: str | None = None) -> list[JobPosting]:
    qs = published_postings()
    if township_id:
        qs = qs.filter(township_id=township_id)
    return list(qs.order_by("-published_at", "-id")[:limit])


def posting_figures() -> dict:
    row = JobPosting.objects.filter(status=PostingStatus.PUBLISHED).aggregate(
        jobs=Count("id"), headcount=Sum("headcount"))
    return {"jobs": row["jobs"] or 0, "headcount": row["headcount"] or 0}


def posting_history(posting) -> list:
    """The posting's state transitions, oldest first (with who did them)."""
    return list(PostingEvent.objects.filter(posting=posting).select_related("actor").order_by("at", "id"))


def review_queue() -> QuerySet:
    """Postings waiting for the bureau, oldest submission first, with their open report counts."""
    return (JobPosting.objects.filter(status=PostingStatus.PENDING)
            .select_related("enterprise", "township", "region", "occupation")
            .annotate(open_reports=Count("reports", filter=Q(reports__status="open")))
            .order_by("submitted_at", "updated_at", "id"))


def postings_by_id(ids) -> dict[int, JobPosting]:
    return {p.pk: p for p in JobPosting.objects.filter(pk__in=list(ids)).select_related("township")}
