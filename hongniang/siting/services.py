"""Writes of 因人设厂: saved scenarios (and sharing them with an enterprise), opened sites. Only siting's tables."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hongniang.core.audit import audit
from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region
from hongniang.jobs.models import JobPosting

from . import selectors
from .models import SCENARIO, OpenedSite, Scenario

JSON_PARAMS = ("need", "radius_km", "k", "occupations", "shift", "age_min", "age_max", "lodging", "weight_hours",
               "capacity", "own_sites", "existing_sites", "include_enterprise_sites", "enterprise")


def params_json(data: dict) -> dict:
    return {k: data.get(k) for k in JSON_PARAMS}


def scenario_save(*, actor, title: str, data: dict, result: dict) -> Scenario:
    """Save a recommender answer. HR's scenarios belong to their enterprise and are stored masked."""
    v = selectors.viewer(actor)
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("请给方案起个名字"), field="title")
    ent_id = result.get("enterprise")
    if not v.full and ent_id not in v.enterprise_ids:
        raise PermissionDeniedError()
    with transaction.atomic():
        s = Scenario.objects.create(title=title[:100], enterprise_id=ent_id, created_by=actor,
                                    by_enterprise=not v.full, params=params_json(data), result=result)
        audit(actor=actor, action="siting.scenario_save", target=s)
    return s


def scenario_share(*, scenario: Scenario, actor) -> Scenario:
    rec, _event = SCENARIO.transition(scenario, "share", actor=actor, check_user=True)
    return rec


def scenario_unshare(*, scenario: Scenario, actor) -> Scenario:
    rec, _event = SCENARIO.transition(scenario, "unshare", actor=actor, check_user=True)
    return rec


def opened_site_create(*, actor, enterprise_id: int, name: str, kind: str, lat: float, lon: float,
                       opened_on: dt.date, predicted_3m: int, predicted_6m: int, predicted_12m: int,
                       region: str = "", postings: list[int] = (), scenario: int | None = None) -> OpenedSite:
    """Record a site an enterprise opened through the platform (staff and the bureau)."""
    v = selectors.viewer(actor)
    if not v.full:
        raise PermissionDeniedError(_("只有工作人员和人社局可以登记已开设地点"))
    ent = Enterprise.objects.filter(pk=enterprise_id).first()
    if ent is None:
        raise InvalidInput(_("找不到该企业"), field="enterprise")
    reg = None
    if region:
        reg = Region.objects.filter(code=region).first()
        if reg is None:
            raise InvalidInput(_("找不到该区划代码"), field="region")
    posts = list(JobPosting.objects.filter(pk__in=list(postings)))
    if len(posts) != len(set(postings)):
        raise InvalidInput(_("有岗位编号不存在"), field="postings")
    if any(p.enterprise_id != ent.pk for p in posts):
        raise InvalidInput(_("岗位必须是该企业的岗位"), field="postings")
    sc = None
    if scenario:
        sc = Scenario.objects.filter(pk=scenario).first()
        if sc is None:
            raise InvalidInput(_("找不到该方案"), field="scenario")
    with transaction.atomic():
        site = OpenedSite.objects.create(enterprise=ent, name=name.strip()[:100], kind=kind, region=reg, lat=lat,
                                         lon=lon, opened_on=opened_on, scenario=sc, predicted_3m=predicted_3m,
                                         predicted_6m=predicted_6m, predicted_12m=predicted_12m, created_by=actor)
        site.postings.set(posts)
        audit(actor=actor, action="siting.opened_site_create", target=site)
    return site
