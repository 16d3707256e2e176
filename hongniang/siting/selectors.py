"""The reads of 因人设厂, shared by the pages and the API. Each applies the permission; every figure is an aggregate.
Enterprises see only aggregates with a minimum group size (a count under 10 is shown as "<10"), other counts rounded
to 5, and a labour-supply figure that differs from one they saw lately by fewer than 10 people is withheld ("—"), so
that subtracting two queries cannot single out a small group.

siting is a read-only reporting app: it reads seekers, regions, applications (hires, sign-ups) and outreach
(call outcomes) but writes only its own tables."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.applications.models import Application
from hongniang.catalog.codes import Shift
from hongniang.catalog.models import Occupation
from hongniang.core import roles
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.employers.models import Enterprise
from hongniang.events.models import Registration, RegistrationStatus
from hongniang.geo.models import Region
from hongniang.live.models import Lead, LeadStatus
from hongniang.outreach.models import CallLog, FollowUp
from hongniang.recommend.adapters import SEEKER_FIELDS, seeker_from_row
from hongniang.recommend.config import base_config
from hongniang.seekers.models import Seeker
from hongniang.sitelib import (
    AGE_BANDS,
    AVAILABILITY,
    Query,
    QueryError,
    Site,
    availability_of,
    build_coverage,
    build_population,
    exact_cover,
    greedy_cover,
    occupation_matches,
    rank_single,
    shuttle_gain,
    workshop_gain,
)
from hongniang.sitelib import calibration as cal
from hongniang.sitelib.model import breakdown

from .models import Disclosure, OpenedSite, Scenario

MIN_GROUP = 10
ROUND_TO = 5
SAID_YES_DAYS = 180
RANKING_ROWS = 20
BREAKDOWN_ROWS = 10
SMALL = "<10"
WITHHELD = "—"
DISCLOSURE_DAYS = 30  # how long an enterprise's supply answers are remembered for the differencing check
DISCLOSURE_RECENT = 20  # how many of them are compared with a new answer


# --------------------------------------------------------------------------- who may see what


@dataclass(frozen=True)
class Viewer:
    user: object
    full: bool  # staff or bureau: exact figures
    enterprise_ids: tuple[int, ...]

    @property
    def is_bureau(self) -> bool:
        return roles.is_bureau(self.user)

    @property
    def is_staff(self) -> bool:
        return bool(roles.service_point_ids(self.user))


def viewer(user) -> Viewer:
    """Staff and the bureau see exact figures; enterprise HR sees aggregates with the minimum group size;
    anybody else may not use 因人设厂."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(_("请先登录"), code="unauthorized")
    full = roles.is_bureau(user) or bool(roles.service_point_ids(user))
    ents = tuple(roles.enterprise_ids(user))
    if not full and not ents:
        raise PermissionDeniedError(_("只有就业之家工作人员、人社局和企业可以使用因人设厂"))
    return Viewer(user=user, full=full, enterprise_ids=ents)


def rounded(n) -> int:
    """A count to the nearest multiple of ROUND_TO (halves up), as an enterprise sees counts of MIN_GROUP or more:
    the total of an answer minus its shown parts then no longer gives a hidden "<10" part exactly."""
    return int((int(round(n)) + ROUND_TO // 2) // ROUND_TO * ROUND_TO)


def small(n, v: Viewer):
    """A count as this viewer may see it: exact for staff and the bureau; for an enterprise "<10" under the minimum
    group size, else rounded to 5."""
    if v.full or n is None:
        return n
    return rounded(n) if n >= MIN_GROUP else SMALL


def share_of(value, need: int, v: Viewer, people=None):
    """value ÷ need (at most 1), from the figure this viewer sees (an exact share would give a hidden count away)."""
    if not v.full:
        if (value if people is None else people) < MIN_GROUP:
            return None
        value = rounded(value)
    return round(min(1.0, value / need), 4)


def _mask_dict(d: dict, v: Viewer) -> dict:
    return {k: small(n, v) for k, n in d.items()}


# --------------------------------------------------------------------------- the people


def unplaced_seekers():
    """Registered, active seekers with no hire."""
    hired = Application.objects.filter(seeker=OuterRef("pk"), status="hired")
    return Seeker.objects.filter(is_active=True).exclude(Exists(hired))


def seeker_rows() -> list[dict]:
    return list(unplaced_seekers().values(*SEEKER_FIELDS, "home_region_id", "home_region__parent_id"))


def said_yes_ids(since: dt.datetime | None = None) -> set[int]:
    """People who said yes lately: an interested answer to a staff call, a sign-up (an application not withdrawn),
    a registration for a job fair or a park visit (or a check-in at its door) not cancelled, or a live-session
    sign-up the person confirmed (on the call back or with the SMS code) — even if that application was later
    withdrawn: they said yes when asked."""
    since = since or timezone.now() - dt.timedelta(days=SAID_YES_DAYS)
    ids = set(CallLog.objects.filter(outcome="interested", at__gte=since).values_list("seeker_id", flat=True))
    ids |= set(Application.objects.filter(created_at__gte=since).exclude(status="withdrawn")
               .values_list("seeker_id", flat=True))
    ids |= set(Registration.objects.filter(Q(created_at__gte=since) | Q(checked_in_at__gte=since))
               .exclude(status=RegistrationStatus.CANCELLED).values_list("seeker_id", flat=True))
    ids |= set(Lead.objects.filter(status=LeadStatus.CONFIRMED, application__isnull=False,
                                   changes__action="confirm", changes__at__gte=since)
               .values_list("application__seeker_id", flat=True))
    return ids


# --------------------------------------------------------------------------- the labour-supply map


@dataclass
class SupplyFilters:
    occupation: str = ""
    shift: str = ""
    age: str = ""
    availability: str = ""
    relocate: str = ""

    def age_range(self) -> tuple[int | None, int | None]:
        for key, lo, hi, _label in AGE_BANDS:
            if key == self.age:
                return lo, hi
        return None, None


@dataclass
class Supply:
    total: object
    townships: list[dict]
    villages: list[dict]
    masked: bool
    filters: SupplyFilters
    unlocated: object = 0
    by_availability: dict = field(default_factory=dict)
    withheld: int = 0  # figures withheld because they differ from a recent answer by fewer than MIN_GROUP people


def _region_rows(codes) -> dict:
    return {r["code"]: r for r in Region.objects.filter(code__in=codes).values("code", "name", "parent_id", "lat",
                                                                               "lon", "kind")}


def supply(user, filters: SupplyFilters) -> Supply:
    """Registered, unplaced seekers who fit the filters, counted by township and by village (never one person).
    For an enterprise the answer is masked (small, rounded) and checked against the answers it had lately
    (withhold_differences); what it was shown is remembered (a Disclosure)."""
    v = viewer(user)
    today = timezone.localdate()
    lo, hi = filters.age_range()
    asked = (filters.occupation,) if filters.occupation else ()
    members: dict[str, list[int]] = defaultdict(list)  # cell -> the people counted in it
    for row in seeker_rows():
        if asked and occupation_matches(tuple(row["desired_occupations"] or ()), asked) is None:
            continue
        shifts = [s for s in (row["acceptable_shifts"] or ()) if isinstance(s, str)]
        if filters.shift and shifts and filters.shift not in shifts:
            continue
        if lo is not None:
            by = row["birth_year"]
            if not by or not lo <= today.year - by <= hi:
                continue
        avail = availability_of(shifts, [int(m) for m in row["unavailable_months"] or () if str(m).isdigit()], today)
        if filters.availability and avail != filters.availability:
            continue
        if filters.relocate and bool(row["relocate"]) != (filters.relocate == "yes"):
            continue
        pk = row["id"]
        members["total"].append(pk)
        members[f"a:{avail}"].append(pk)
        village, town = row["home_region_id"], row["home_region__parent_id"]
        if village is None:
            members["unlocated"].append(pk)
            continue
        members[f"v:{village}"].append(pk)
        members[f"t:{town or village}"].append(pk)
    counts = {c: len(ids) for c, ids in members.items()}
    shown = {c: small(n, v) for c, n in counts.items()}
    if not v.full:
        withhold_differences(v, members, shown)
    by_village = {c[2:]: n for c, n in counts.items() if c.startswith("v:")}
    by_town = {c[2:]: n for c, n in counts.items() if c.startswith("t:")}
    regions = _region_rows(set(by_village) | set(by_town))
    towns_all = _region_rows({r["parent_id"] for r in regions.values() if r["parent_id"]})
    regions.update({k: r for k, r in towns_all.items() if k not in regions})

    def rows(prefix: str, counts: dict[str, int]) -> list[dict]:
        out = []
        for code, n in counts.items():
            r = regions.get(code)
            if r is None:
                continue
            parent = regions.get(r["parent_id"]) if r["kind"] == "village" else None
            out.append({"code": code, "name": r["name"], "township": parent["name"] if parent else "",
                        "lat": r["lat"], "lon": r["lon"], "people": n})
        out.sort(key=lambda x: (-x["people"], x["code"]))
        for x in out:
            x["people"] = shown[prefix + x["code"]]
        return out

    return Supply(total=shown.get("total", small(0, v)), townships=rows("t:", by_town),
                  villages=rows("v:", by_village), masked=not v.full, filters=filters,
                  unlocated=shown.get("unlocated", small(0, v)),
                  by_availability={k: shown.get(f"a:{k}", small(0, v)) for k in AVAILABILITY},
                  withheld=sum(1 for x in shown.values() if x == WITHHELD))


# --------------------------------------------------------------------------- differencing


def _pack(cells: dict[str, list[int]]) -> bytes:
    """Cells of people as bytes: a JSON head [[cell, n], ...] and the sorted ids of each cell as deltas (int32)."""
    import json
    import zlib

    import numpy as np

    keys = sorted(cells)
    arrays = [np.diff(np.sort(np.asarray(cells[k], dtype=np.int64)), prepend=0) for k in keys]
    head = json.dumps([[k, len(a)] for k, a in zip(keys, arrays, strict=True)]).encode()
    body = np.concatenate(arrays).astype(np.int32).tobytes() if arrays else b""
    return zlib.compress(len(head).to_bytes(4, "big") + head + body, 6)


def _unpack(blob: bytes) -> dict:
    import json
    import zlib

    import numpy as np

    raw = zlib.decompress(bytes(blob))
    n = int.from_bytes(raw[:4], "big")
    head = json.loads(raw[4:4 + n])
    body = np.frombuffer(raw[4 + n:], dtype=np.int32).astype(np.int64)
    out, at = {}, 0
    for key, size in head:
        out[key] = np.cumsum(body[at:at + size])
        at += size
    return out


def withhold_differences(v: Viewer, members: dict[str, list[int]], shown: dict) -> None:
    """Differencing: an enterprise that subtracts two of its answers (say two filters differing by one attribute)
    must not get a group under MIN_GROUP. A figure of this answer whose people differ from the same figure of one
    of the enterprise's recent answers (DISCLOSURE_RECENT, within DISCLOSURE_DAYS) by 1 to MIN_GROUP - 1 people is
    withheld (shown[cell] = WITHHELD) when the difference would show (its rounded value changed). The figures shown
    as numbers are then remembered. Pairs only: a chain of three or more queries is blurred by the rounding."""
    import numpy as np

    now = timezone.now()
    recent = Disclosure.objects.filter(Q(user=v.user) | Q(enterprise_id__in=v.enterprise_ids),
                                       at__gte=now - dt.timedelta(days=DISCLOSURE_DAYS)) \
        .order_by("-at", "-id").values_list("cells", flat=True)[:DISCLOSURE_RECENT]
    new = {c: np.asarray(sorted(ids), dtype=np.int64) for c, ids in members.items()
           if isinstance(shown.get(c), int)}
    for blob in recent:
        old = _unpack(blob)
        for cell, ids in new.items():
            if shown[cell] == WITHHELD or cell not in old:
                continue
            before = old[cell]
            if rounded(len(before)) == shown[cell]:
                continue  # the rounded figure did not move: nothing to subtract
            diff = len(np.setxor1d(ids, before, assume_unique=True))
            if 0 < diff < MIN_GROUP:
                shown[cell] = WITHHELD
    disclosed = {c: ids for c, ids in members.items() if isinstance(shown.get(c), int)}
    Disclosure.objects.filter(at__lt=now - dt.timedelta(days=DISCLOSURE_DAYS)).delete()
    Disclosure.objects.create(user=v.user, enterprise_id=min(v.enterprise_ids) if v.enterprise_ids else None,
                              at=now, cells=_pack(disclosed))


# --------------------------------------------------------------------------- the recommender


def candidate_regions() -> list[Site]:
    """Every township and village centre with a location."""
    rows = Region.objects.filter(kind__in=("township", "village"), lat__isnull=False, lon__isnull=False) \
        .values("code", "name", "lat", "lon", "kind", "parent__name")
    return [Site(site_id=r["code"], name=(r["parent__name"] or "") + r["name"] if r["kind"] == "village" else r["name"],
                 lat=r["lat"], lon=r["lon"]) for r in rows]


def enterprise_for(v: Viewer, enterprise_id: int | None):
    """The enterprise a query is for: HR's own (one of theirs), or any for staff and the bureau."""
    if enterprise_id is None:
        if v.full:
            return None
        if len(v.enterprise_ids) == 1:
            return Enterprise.objects.get(pk=v.enterprise_ids[0])
        raise InvalidInput(_("请选择企业"), field="enterprise")
    if not v.full and enterprise_id not in v.enterprise_ids:
        raise PermissionDeniedError()
    ent = Enterprise.objects.filter(pk=enterprise_id).first()
    if ent is None:
        raise NotFoundError(_("找不到该企业"), field="enterprise")
    return ent


def enterprise_sites(enterprise) -> list[Site]:
    """The enterprise's own plant (its address) and the sites it opened through the platform."""
    out = []
    if enterprise.lat is not None and enterprise.lon is not None:
        out.append(Site(site_id=f"ent-{enterprise.pk}", name=f"{enterprise.name}（现有厂址）", lat=enterprise.lat,
                        lon=enterprise.lon, fixed=True))
    for s in OpenedSite.objects.filter(enterprise=enterprise).exclude(kind="shuttle"):
        out.append(Site(site_id=f"opened-{s.pk}", name=s.name, lat=s.lat, lon=s.lon, fixed=True))
    return out


def _query_message(e: QueryError) -> str:
    """sitelib's message in the request's language (its templates are msgids of the catalogue)."""
    return _(e.template) % e.params if e.params else _(e.template)


def _query(data: dict, *, radius_key: str = "radius_km") -> Query:
    try:
        return Query(radius_km=data[radius_key], occupations=tuple(data.get("occupations") or ()),
                     shift=data.get("shift") or None, age_min=data.get("age_min"), age_max=data.get("age_max"),
                     lodging=bool(data.get("lodging")), weight_hours=bool(data.get("weight_hours")),
                     today=timezone.localdate())
    except QueryError as e:
        raise InvalidInput(_query_message(e)) from None


def _site_json(s: Site) -> dict:
    return {"site_id": s.site_id, "name": s.name, "lat": round(s.lat, 6), "lon": round(s.lon, 6)}


def recommend(user, data: dict) -> dict:
    """Run the recommender on the platform's people. ``data``: RecommendForm.cleaned_data (or the API's body
    validated by it). Returns the answer as plain JSON-ready figures, masked for an enterprise."""
    v = viewer(user)
    ent = enterprise_for(v, data.get("enterprise"))
    query = _query(data)
    cap = data.get("capacity")
    if data.get("own_sites"):
        cands = [Site(site_id=f"own-{n}", name=s["name"], lat=s["lat"], lon=s["lon"],
                      capacity=s["capacity"] if s["capacity"] is not None else cap)
                 for n, s in enumerate(data["own_sites"], 1)]
    else:
        cands = [Site(site_id=s.site_id, name=s.name, lat=s.lat, lon=s.lon, capacity=cap) for s in candidate_regions()]
    if not cands:
        raise InvalidInput(_("没有候选地点：请先导入乡镇和村，或填写自选候选地点"), field="own_sites")
    fixed = [Site(site_id=f"fixed-{n}", name=s["name"], lat=s["lat"], lon=s["lon"], fixed=True)
             for n, s in enumerate(data.get("existing_sites") or (), 1)]
    if ent is not None and data.get("include_enterprise_sites"):
        fixed += enterprise_sites(ent)
    k = int(data.get("k") or 1)
    if k > len(cands):
        raise InvalidInput(_("同时选的地点数（%(k)s）大于候选地点数（%(n)s）") % {"k": k, "n": len(cands)}, field="k")
    need = int(data["need"])
    seekers = [seeker_from_row(r) for r in seeker_rows()]
    pop = build_population(seekers, query, config=base_config(), said_yes=said_yes_ids())
    cov = build_coverage(pop, cands + fixed)
    n_c = len(cands)
    fixed_people = int(cov.people_mask(range(n_c, n_c + len(fixed))).sum()) if fixed else 0
    ranking = []
    for j in [j for j in rank_single(cov) if j < n_c][:RANKING_ROWS]:
        people = int(cov.site_people[j])
        weight = float(cov.site_weight[j])
        row = {**_site_json(cands[j]), "people": small(people, v),
               "weight": round(weight, 1) if v.full else (rounded(weight) if people >= MIN_GROUP else SMALL),
               "said_yes": small(int(cov.site_said[j]), v), "share": share_of(weight, need, v, people)}
        if len(ranking) < BREAKDOWN_ROWS:
            row["breakdown"] = _breakdown(cov, [j], v)
        ranking.append(row)
    out = {"eligible": small(len(pop), v), "excluded": _mask_dict(pop.excluded, v), "need": need, "k": k,
           "candidates": n_c, "fixed": [_site_json(s) for s in fixed], "fixed_people": small(fixed_people, v),
           "ranking": ranking, "masked": not v.full, "enterprise": ent.pk if ent else None,
           "enterprise_name": ent.name if ent else "", "computed_at": timezone.now().isoformat(timespec="seconds"),
           "weighted": query.weight_hours}
    if k >= 2:
        g = greedy_cover(cov, k)
        e = exact_cover(cov, k, time_limit=20, greedy=g)
        out["exact"] = _cover_json(cov, e, need, v)
        out["greedy"] = _cover_json(cov, g, need, v)
    return out


def _breakdown(cov, chosen, v: Viewer) -> dict:
    b = breakdown(cov, chosen)
    occ_names = _occupation_names(list(b["by_occupation"]))
    return {"people": small(b["people"], v), "said_yes": small(b["said_yes"], v),
            "by_occupation": [{"code": c, "name": occ_names.get(c, c or "未填工种"), "people": small(n, v)}
                              for c, n in list(b["by_occupation"].items())[:6]],
            "by_age": [{"band": k, "label": dict((a[0], a[3]) for a in AGE_BANDS).get(k, "不详"), "people": small(n, v)}
                       for k, n in b["by_age"].items()],
            "by_shift": [{"shift": s, "label": b["shift_labels"][s], "people": small(n, v)}
                         for s, n in b["by_shift"].items()]}


def _occupation_names(codes: list[str]) -> dict[str, str]:
    return {c: (label or name) for c, name, label in
            Occupation.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name", "common_label")}


def _cover_json(cov, res, need: int, v: Viewer) -> dict:
    total = 0.0
    sites = []
    for j, new in zip(res.chosen, res.covered_new, strict=True):
        total += new
        sites.append({**_site_json(cov.sites[j]), "people": small(int(cov.site_people[j]), v),
                      "covered_new": small(int(round(new)), v), "covered_total": small(int(round(total)), v)})
    return {"method": res.method, "sites": sites, "covered_total": small(int(round(res.covered_total)), v),
            "people": small(res.people, v), "said_yes": small(res.said_yes, v),
            "share": share_of(res.covered_total, need, v, res.people), "optimal": res.optimal,
            "bound": None if res.bound is None or not v.full else round(res.bound, 1),
            "seconds": round(res.seconds, 3), "note": res.note,
            "breakdown": _breakdown(cov, res.chosen, v)}


# --------------------------------------------------------------------------- what if


def townships():
    return list(Region.objects.filter(kind="township", lat__isnull=False).order_by("code"))


def whatif(user, data: dict) -> dict:
    """How many more people an enterprise reaches with a shuttle route from a township (stops: the township seat
    and its villages) or with a village workshop at the township seat."""
    v = viewer(user)
    ent = enterprise_for(v, data.get("enterprise"))
    if ent is None:
        raise InvalidInput(_("请选择企业"), field="enterprise")
    existing = enterprise_sites(ent)
    if not existing:
        raise InvalidInput(_("该企业还没有厂址坐标，无法计算现有覆盖"), field="enterprise")
    town = Region.objects.filter(code=data["township"], kind="township").first()
    if town is None or town.lat is None:
        raise InvalidInput(_("找不到该乡镇的位置"), field="township")
    query = _query({**data, "occupations": data.get("occupation") or []})
    pop = build_population([seeker_from_row(r) for r in seeker_rows()], query, config=base_config(), said_yes=said_yes_ids())
    seat = Site(site_id=town.code, name=town.name, lat=town.lat, lon=town.lon)
    try:
        if data["mode"] == "shuttle":
            stops = [seat] + [Site(site_id=r.code, name=r.name, lat=r.lat, lon=r.lon)
                              for r in Region.objects.filter(parent=town, lat__isnull=False).order_by("code")]
            res = shuttle_gain(pop, existing, stops, walk_km=data["walk_km"])
            res["by_stop"] = [{**b, "people": small(b["people"], v), "said_yes": small(b["said_yes"], v),
                               "lat": s.lat, "lon": s.lon} for b, s in zip(res["by_stop"], stops, strict=True)]
        else:
            res = workshop_gain(pop, existing, seat, radius_km=data["workshop_radius_km"])
            res["workshop"] = _mask_dict(res["workshop"], v)
    except QueryError as e:
        raise InvalidInput(_query_message(e)) from None
    hidden_added = not v.full and res["added"]["people"] < MIN_GROUP
    for key in ("base", "added", "total"):
        res[key] = _mask_dict(res[key], v)
    if hidden_added:  # base + total would give the small group away
        res["total"] = {k: (f"{res['base'][k]} + <10" if k != "weight" else None) for k in res["total"]}
    res.update(mode=data["mode"], township=town.name, enterprise=ent.pk, enterprise_name=ent.name,
               existing=[_site_json(s) for s in existing], seat=_site_json(seat), masked=not v.full)
    return res


# --------------------------------------------------------------------------- scenarios


def scenarios(user):
    """Saved scenarios this user may open — the one rule for every page, export and API endpoint:

    - staff and the bureau: all of them;
    - an enterprise's HR: the scenarios of their enterprises that staff or the bureau shared with it, and the ones
      the enterprise made itself (``by_enterprise``: saved by any of its HR, stored masked; they belong to the
      enterprise, so every HR of it sees them, whatever their status);
    - nobody else (PermissionDeniedError from viewer()).

    A staff scenario that is not shared is never shown to an enterprise. status_label() says which case a scenario is
    in, so the label shown always agrees with this rule."""
    v = viewer(user)
    qs = Scenario.objects.select_related("enterprise", "created_by")
    if v.full:
        return qs
    return qs.filter(Q(enterprise_id__in=v.enterprise_ids) & (Q(status="shared") | Q(by_enterprise=True)))


def scenario(user, pk: int):
    s = scenarios(user).filter(pk=pk).first()
    if s is None:
        raise NotFoundError(_("找不到该方案"))
    return s


def status_label(s: Scenario) -> str:
    """Who may open a scenario (scenarios()), as its status is shown: a scenario the enterprise made itself is its
    own and is never "仅工作人员可见" (staff only), although its status stays private (it cannot be shared)."""
    if s.by_enterprise:
        return _("企业自建 · 本企业和工作人员可见")
    return s.get_status_display()


def scenario_conditions(params: dict) -> dict:
    """A scenario's conditions as a person reads them: occupation names (a group by its name; an unknown code as it
    is) and the shift's label, not their codes."""
    codes = [c for c in params.get("occupations") or () if isinstance(c, str)]
    names = _occupation_names(codes)
    shift = params.get("shift") or ""
    return {"occupations": [names.get(c, c) for c in codes],
            "shift": str(dict(Shift.choices).get(shift, shift)) if shift else ""}


def masked_result(user, result: dict) -> dict:
    """A saved result is stored masked when an enterprise made it; one made by staff is masked for HR on the way
    out (the same minimum group size as a live query)."""
    v = viewer(user)
    if v.full or result.get("masked"):
        return result
    return _mask_result(result, v, need=result.get("need") or 0)


def _mask_result(obj, v: Viewer, key: str = "", need: int = 0):
    if isinstance(obj, dict):
        out = {k: _mask_result(x, v, k, need) for k, x in obj.items()}
        if "share" in obj and need:  # an exact share times the need would give the exact count away
            basis = next((obj[k] for k in ("covered_total", "weight", "people") if k in obj), None)
            people = obj.get("people", basis)
            ok = isinstance(basis, int | float) and isinstance(people, int | float)
            out["share"] = share_of(basis, need, v, people) if ok else None
        return out
    if isinstance(obj, list):
        return [_mask_result(x, v, key, need) for x in obj]
    if key in {"people", "said_yes", "covered_new", "covered_total", "eligible", "fixed_people", "weight"} and \
            isinstance(obj, int | float) and not isinstance(obj, bool):
        return small(obj, v)
    if key == "bound":
        return None
    if key == "masked":
        return True
    return obj


# --------------------------------------------------------------------------- calibration


def calibration(user, today: dt.date | None = None) -> dict:
    """Predicted against actual headcount of every opened site at 3, 6 and 12 months (the bureau only)."""
    v = viewer(user)
    if not v.is_bureau:
        raise PermissionDeniedError(_("校准数据只对人社局开放"))
    today = today or timezone.localdate()
    sites = list(OpenedSite.objects.select_related("enterprise", "region").prefetch_related("postings")
                 .order_by("-opened_on", "-id"))
    posting_site: dict[int, list[int]] = defaultdict(list)
    for s in sites:
        for p in s.postings.all():
            posting_site[p.pk].append(s.pk)
    hires = list(Application.objects.filter(posting_id__in=list(posting_site), status="hired")
                 .values("id", "posting_id", "start_date", "actual_start_date"))
    left: dict[int, dt.date] = {}
    for f in FollowUp.objects.filter(application_id__in=[h["id"] for h in hires], still_working=False) \
            .values("application_id", "done_at", "due_on"):
        day = timezone.localtime(f["done_at"]).date() if f["done_at"] else f["due_on"]
        if f["application_id"] not in left or day < left[f["application_id"]]:
            left[f["application_id"]] = day
    by_site: dict[int, list] = defaultdict(list)
    for h in hires:
        started = h["actual_start_date"] or h["start_date"]
        for sid in posting_site[h["posting_id"]]:
            by_site[sid].append(cal.Hire(started=started, left=left.get(h["id"])))
    rows = []
    for s in sites:
        checks = cal.calibrate(opened_on=s.opened_on, predicted=s.predicted(), hires=by_site[s.pk], today=today)
        rows.append({"site": s, "id": s.pk, "name": s.name, "enterprise": s.enterprise.name, "kind": s.get_kind_display(),
                     "opened_on": s.opened_on, "hires": len(by_site[s.pk]), "checks": checks})
    return {"sites": rows, "summary": cal.summary(r["checks"] for r in rows), "tolerance": cal.TOLERANCE,
            "today": today}
