"""/api/v1/siting: the labour-supply figures, the recommender, what-if, saved scenarios and calibration. The same
selectors and services as the pages (the same forms validate the input). Staff and the bureau get exact figures;
enterprise HR gets aggregates with the minimum group size ("<10"); anyone else 403, anonymous 401."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema, Status

from hongniang.core.apiauth import AUTH
from hongniang.core.errors import InvalidInput

from . import selectors, services
from .forms import OpenedSiteForm, RecommendForm, SupplyForm, WhatIfForm
from .models import SCENARIO

PREFIX = "/siting"
router = Router(tags=["因人设厂"], auth=AUTH)

Count = int | str | None  # a count, or "<10" for an enterprise


class SupplyIn(Schema):
    occupation: str = ""
    shift: str = ""
    age: str = ""
    availability: str = ""
    relocate: str = ""


class AreaOut(Schema):
    code: str
    name: str
    township: str
    lat: float | None
    lon: float | None
    people: Count


class SupplyOut(Schema):
    total: Count
    masked: bool
    unlocated: Count
    by_availability: dict[str, Count]
    townships: list[AreaOut]
    villages: list[AreaOut]


class RecommendIn(Schema):
    need: int
    radius_km: float
    k: int = 1
    occupations: list[str] = []
    shift: str = ""
    age_min: int | None = None
    age_max: int | None = None
    lodging: bool = False
    weight_hours: bool = False
    capacity: int | None = None
    own_sites: str = ""
    existing_sites: str = ""
    include_enterprise_sites: bool = False
    enterprise: int | None = None


class ScenarioIn(RecommendIn):
    title: str


class SiteOut(Schema):
    site_id: str
    name: str
    lat: float
    lon: float


class RankOut(SiteOut):
    people: Count
    said_yes: Count
    share: float | None
    weight: float | str | None = None
    breakdown: dict[str, Any] | None = None


class ChosenOut(SiteOut):
    people: Count
    covered_new: Count
    covered_total: Count


class CoverOut(Schema):
    method: str
    sites: list[ChosenOut]
    covered_total: Count
    people: Count
    said_yes: Count
    share: float
    optimal: bool | None
    bound: float | None
    seconds: float
    note: str
    breakdown: dict[str, Any]


class RecommendOut(Schema):
    eligible: Count
    excluded: dict[str, Count]
    need: int
    k: int
    candidates: int
    fixed: list[SiteOut]
    fixed_people: Count
    ranking: list[RankOut]
    exact: CoverOut | None = None
    greedy: CoverOut | None = None
    masked: bool
    enterprise: int | None
    enterprise_name: str
    computed_at: str
    weighted: bool


class ScenarioOut(Schema):
    id: int
    title: str
    enterprise: int | None
    status: str
    status_label: str
    by_enterprise: bool
    created_at: dt.datetime
    params: dict[str, Any]
    actions: list[str]
    result: RecommendOut | None = None


class WhatIfIn(Schema):
    mode: str
    township: str
    enterprise: int | None = None
    walk_km: float = 1.0
    workshop_radius_km: float = 5.0
    radius_km: float = 10.0
    occupation: str = ""
    shift: str = ""
    age_min: int | None = None
    age_max: int | None = None


class OpenedIn(Schema):
    enterprise: int
    name: str
    kind: str = "branch"
    region: str = ""
    lat: float
    lon: float
    opened_on: dt.date
    predicted_3m: int
    predicted_6m: int
    predicted_12m: int
    postings: list[int] = []
    scenario: int | None = None


class SitingCheckOut(Schema):
    months: int
    date: dt.date
    predicted: int | None
    actual: int | None
    error: float | None
    within: bool | None


class CalibrationSiteOut(Schema):
    id: int
    name: str
    enterprise: str
    kind: str
    opened_on: dt.date
    hires: int
    checks: list[SitingCheckOut]


class CalibrationOut(Schema):
    sites: list[CalibrationSiteOut]
    summary: dict[int, dict[str, int]]
    tolerance: float


def _valid(form) -> dict:
    if not form.is_valid():
        raise InvalidInput(errors={k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.cleaned_data


def _form_data(p: RecommendIn) -> dict:
    d = p.dict()
    d["more_occupations"] = ",".join(d.pop("occupations") or [])
    return {k: v for k, v in d.items() if v is not None and v is not False}


def _scenario_out(s, user, with_result: bool) -> dict:
    return {"id": s.pk, "title": s.title, "enterprise": s.enterprise_id, "status": s.status,
            "status_label": selectors.status_label(s), "by_enterprise": s.by_enterprise, "created_at": s.created_at,
            "params": s.params, "actions": SCENARIO.allowed_names(s, user),
            "result": selectors.masked_result(user, s.result) if with_result else None}


@router.get("/supply", response=SupplyOut, summary="劳动力分布（按乡镇和村汇总）")
def supply(request, filters: Query[SupplyIn]):
    data = _valid(SupplyForm(filters.dict()))
    sup = selectors.supply(request.user, selectors.SupplyFilters(**{k: data.get(k) or "" for k in filters.dict()}))
    return {"total": sup.total, "masked": sup.masked, "unlocated": sup.unlocated,
            "by_availability": sup.by_availability, "townships": sup.townships, "villages": sup.villages}


@router.post("/recommend", response=RecommendOut, summary="选址推荐（单个排名，或 K 个地点的最大覆盖）")
def recommend(request, payload: RecommendIn):
    return selectors.recommend(request.user, _valid(RecommendForm(_form_data(payload))))


@router.post("/whatif", summary="班车线路或帮扶车间能多覆盖多少人")
def whatif(request, payload: WhatIfIn):
    data = _valid(WhatIfForm({k: v for k, v in payload.dict().items() if v is not None},
                             townships=selectors.townships()))
    return selectors.whatif(request.user, data)


@router.get("/scenarios", response=list[ScenarioOut], summary="已存方案")
def scenario_list(request):
    return [_scenario_out(s, request.user, False) for s in selectors.scenarios(request.user)[:200]]


@router.post("/scenarios", response={201: ScenarioOut}, summary="计算并保存方案")
def scenario_create(request, payload: ScenarioIn):
    data = _valid(RecommendForm(_form_data(payload)))
    result = selectors.recommend(request.user, data)
    s = services.scenario_save(actor=request.user, title=payload.title, data=data, result=result)
    return Status(201, _scenario_out(s, request.user, True))


@router.get("/scenarios/{pk}", response=ScenarioOut, summary="方案详情")
def scenario_detail(request, pk: int):
    return _scenario_out(selectors.scenario(request.user, pk), request.user, True)


@router.post("/scenarios/{pk}/share", response=ScenarioOut, summary="分享给企业")
def scenario_share(request, pk: int):
    s = services.scenario_share(scenario=selectors.scenario(request.user, pk), actor=request.user)
    return _scenario_out(s, request.user, False)


@router.post("/scenarios/{pk}/unshare", response=ScenarioOut, summary="取消分享")
def scenario_unshare(request, pk: int):
    s = services.scenario_unshare(scenario=selectors.scenario(request.user, pk), actor=request.user)
    return _scenario_out(s, request.user, False)


@router.get("/calibration", response=CalibrationOut, summary="预测与实际用工（人社局）")
def calibration(request):
    data = selectors.calibration(request.user)
    return {"sites": data["sites"], "summary": data["summary"], "tolerance": data["tolerance"]}


@router.post("/opened", response={201: dict}, summary="登记通过平台开设的地点（工作人员、人社局）")
def opened_create(request, payload: OpenedIn):
    d = payload.dict()
    d["postings"] = ",".join(str(p) for p in d["postings"])
    data = _valid(OpenedSiteForm({k: v for k, v in d.items() if v is not None}))
    site = services.opened_site_create(actor=request.user, enterprise_id=data["enterprise"], name=data["name"],
                                       kind=data["kind"], lat=data["lat"], lon=data["lon"],
                                       opened_on=data["opened_on"], predicted_3m=data["predicted_3m"],
                                       predicted_6m=data["predicted_6m"], predicted_12m=data["predicted_12m"],
                                       region=data.get("region") or "", postings=data["postings"],
                                       scenario=data.get("scenario"))
    return Status(201, {"id": site.pk, "name": site.name})
