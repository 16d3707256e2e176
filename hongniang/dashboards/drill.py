"""Drill-downs: the records behind a headline figure, for the person asking, with the same permissions and
masking as everywhere else (seekers: the bureau all, staff their points' seekers; names and phones masked;
the full record is one click away on its own page, which checks and audits as it always does). The selector
writes the audit row, so the page and any later API read the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import NotFoundError
from hongniang.employers.models import Enterprise
from hongniang.gigs.models import GigAssignment
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.seekers.models import Seeker
from hongniang.zh.validators import mask_name

from . import channels
from .aggregate import day_start
from .figures import Scope, as_of, hires


@dataclass
class Drill:
    key: str
    title: str
    columns: list[str]
    note: str


DRILLS = {
    "enterprises": Drill("enterprises", _lazy("在册企业"), [_lazy("企业"), _lazy("所在地"), _lazy("认证"), _lazy("注册日期")],
                         _lazy("截至期末已注册的企业；“已认证”为人社局认证通过")),
    "enterprises_new": Drill("enterprises_new", _lazy("期内新注册企业"), [_lazy("企业"), _lazy("所在地"), _lazy("认证"), _lazy("注册日期")], ""),
    "postings": Drill("postings", _lazy("当前在招岗位"), [_lazy("岗位"), _lazy("企业"), _lazy("乡镇"), _lazy("招聘人数"), _lazy("企业认证")],
                      _lazy("明细为当前在招的岗位（看板数字为期末当日的在招数）")),
    "postings_new": Drill("postings_new", _lazy("期内新发布岗位"), [_lazy("岗位"), _lazy("企业"), _lazy("乡镇"), _lazy("招聘人数"), _lazy("发布日期")], ""),
    "seekers": Drill("seekers", _lazy("登记求职者"), [_lazy("姓名"), _lazy("手机"), _lazy("所在地"), _lazy("登记站点"), _lazy("登记方式"), _lazy("正在求职")],
                     _lazy("姓名、手机已脱敏；查看完整信息请进入求职者页面（会记录查看日志）")),
    "seekers_new": Drill("seekers_new", _lazy("期内新登记求职者"), [_lazy("姓名"), _lazy("手机"), _lazy("所在地"), _lazy("登记站点"), _lazy("登记方式"), _lazy("登记日期")],
                         _lazy("姓名、手机已脱敏")),
    "applications": Drill("applications", _lazy("期内报名"), [_lazy("求职者"), _lazy("岗位"), _lazy("企业"), _lazy("渠道"), _lazy("当前状态"), _lazy("报名日期")],
                          _lazy("姓名已脱敏")),
    "interviews": Drill("interviews", _lazy("期内约面试"), [_lazy("求职者"), _lazy("岗位"), _lazy("企业"), _lazy("当前状态"), _lazy("约面试日期")], _lazy("姓名已脱敏")),
    "hires": Drill("hires", _lazy("期内录用上岗"), [_lazy("求职者"), _lazy("岗位 / 零工"), _lazy("企业 / 雇主"), _lazy("渠道"), _lazy("录用日期"), _lazy("核实情况")],
                   _lazy("“已核实”＝求职者本人确认上岗或回访确认（截至期末）；其余为仅企业标记录用。姓名已脱敏")),
}


def _region_q(field: str, scope: Scope) -> Q:
    """Rows whose region (`field`, a region foreign key) is one of the scope's townships or one of their villages
    (by the region tree: a village's code need not begin with its township's)."""
    if scope.townships is None:
        return Q()
    return Q(**{f"{field}__in": scope.townships}) | Q(**{f"{field}__parent__in": scope.townships})


def _seeker_q(prefix: str, scope: Scope, user) -> Q:
    """Seekers in the scope that this user may list (roles.visible_seekers' rule)."""
    q = Q()
    if not roles.is_bureau(user):
        q &= Q(**{f"{prefix}service_point_id__in": roles.service_point_ids(user) or [0]})
    if scope.points is not None:
        q &= Q(**{f"{prefix}service_point_id__in": scope.points})
    elif scope.townships is not None:
        home = _region_q(f"{prefix}home_region", scope)
        q &= home | (Q(**{f"{prefix}home_region__isnull": True}) & _region_q(f"{prefix}service_point__region", scope))
    return q


def _end(scope: Scope):
    return day_start(scope.end + dt.timedelta(days=1))


def queryset(key: str, scope: Scope, user) -> QuerySet:
    s, e = day_start(scope.start), _end(scope)
    if key == "enterprises":
        return (Enterprise.objects.filter(created_at__lt=e).filter(_region_q("region", scope))
                .select_related("region").order_by("-created_at", "-id"))
    if key == "enterprises_new":
        return (Enterprise.objects.filter(created_at__gte=s, created_at__lt=e).filter(_region_q("region", scope))
                .select_related("region").order_by("-created_at", "-id"))
    if key == "postings":
        qs = JobPosting.objects.filter(status=PostingStatus.PUBLISHED)
        if scope.townships is not None:
            qs = qs.filter(township_id__in=scope.townships)
        return qs.select_related("enterprise", "township").order_by("-published_at", "-id")
    if key == "postings_new":
        qs = JobPosting.objects.filter(published_at__gte=s, published_at__lt=e)
        if scope.townships is not None:
            qs = qs.filter(township_id__in=scope.townships)
        return qs.select_related("enterprise", "township").order_by("-published_at", "-id")
    if key in ("seekers", "seekers_new"):
        qs = Seeker.objects.filter(created_at__lt=e).filter(_seeker_q("", scope, user))
        if key == "seekers_new":
            qs = qs.filter(created_at__gte=s)
        qs = qs.select_related("home_region__parent", "service_point")
        if scope.points is None and scope.townships is None:
            # the whole county: newest first by id, an index walk that stops after a page, at any size
            return qs.order_by("-id")
        # a point's or a township's people: their few thousand rows by the point index, then sorted (an order
        # the id index cannot give, so the planner does not walk every seeker's id looking for them)
        return qs.order_by(F("id").desc(nulls_last=True))
    if key in ("applications", "interviews"):
        qs = ApplicationEvent.objects.filter(at__gte=s, at__lt=e)
        if key == "applications":
            qs = qs.filter(from_status="", to_status="applied")
        else:
            qs = qs.filter(to_status="interview").exclude(from_status="interview")
        # the events that make the figure, newest first by id (an index walk that stops after a page). By time
        # then id it needs an index on (at, id): with the index on the time alone, events of the same instant
        # (imports, the bench's synthetic rows) are all fetched and sorted — 1.8 s at the prefecture's size
        return (qs.filter(_seeker_q("application__seeker__", scope, user))
                .select_related("application__seeker", "application__posting__enterprise").order_by("-id"))
    if key == "hires":
        qs = hires(scope)
        if not roles.is_bureau(user):
            qs = qs.filter(point_id__in=roles.service_point_ids(user) or [0])
        return qs.order_by("-hired_on", "-id")
    raise NotFoundError(_("没有这个数字的明细"))


#: the drill-downs paged by position ("after" / "before" a record: keyset paging, every page as fast as the first):
#: their order's leading field (never empty), then the id; the others page by number
KEYSET = {"enterprises": "created_at", "enterprises_new": "created_at", "seekers": "", "seekers_new": "",
          "applications": "", "interviews": "", "hires": "hired_on"}


def page(key: str, qs: QuerySet, size: int, *, after: int | None = None, before: int | None = None
         ) -> tuple[list, bool, bool]:
    """One page of qs (ordered newest first by KEYSET[key], then id) after or before the record with that id:
    (items, has_next, has_prev). The position record is only a place in the order: every row still passes qs's
    filters (permissions), and an unknown id gives the first page."""
    field_ = KEYSET[key]
    pos, anchor = (after, "after") if after else (before, "before")
    mark = None
    if pos:
        fields = (field_, "pk") if field_ else ("pk",)
        mark = qs.model.objects.filter(pk=pos).values_list(*fields).first()
    if mark is None:
        items = list(qs[:size + 1])
        return items[:size], len(items) > size, False
    if field_:
        value, pk = mark
        newer = Q(**{f"{field_}__gt": value}) | Q(**{field_: value, "pk__gt": pk})
        older = Q(**{f"{field_}__lt": value}) | Q(**{field_: value, "pk__lt": pk})
        asc = (field_, "pk")
    else:
        pk = mark[0]
        newer, older, asc = Q(pk__gt=pk), Q(pk__lt=pk), ("pk",)
    if anchor == "after":
        items = list(qs.filter(older)[:size + 1])
        return items[:size], len(items) > size, True
    items = list(qs.filter(newer).order_by(*asc)[:size + 1])
    has_prev = len(items) > size
    return items[:size][::-1], True, has_prev


def rows(key: str, scope: Scope, user, page_items) -> list[dict]:
    """Display rows for a page of records: {"cells": [...], "url": link or ""} (masked)."""
    out = []
    if key in ("enterprises", "enterprises_new"):
        for e in page_items:
            out.append({"cells": [e.name, e.region.full_name if e.region_id else "", e.get_verification_status_display(),
                                  f"{e.created_at:%Y-%m-%d}"], "url": ""})
    elif key in ("postings", "postings_new"):
        for p in page_items:
            last = (f"{p.published_at:%Y-%m-%d}" if key == "postings_new" and p.published_at else
                    p.enterprise.get_verification_status_display())
            out.append({"cells": [p.title, p.enterprise.name, p.township.name if p.township_id else "", p.headcount,
                                  last], "url": f"/jobs/{p.pk}/"})
    elif key in ("seekers", "seekers_new"):
        for sk in page_items:
            place = sk.home_region.full_name if sk.home_region_id else ""
            how = _("站点现场登记") if sk.registered_by_id or sk.consent_channel in ("paper", "verbal", "screen") \
                else _("本人线上注册")
            last = (_("是") if sk.is_active else _("否")) if key == "seekers" else f"{sk.created_at:%Y-%m-%d}"
            out.append({"cells": [sk.masked_name, sk.masked_phone, place,
                                  sk.service_point.name if sk.service_point_id else "", how, last],
                        "url": f"/me/staff/seekers/{sk.pk}/" if roles.service_point_ids(user) else ""})
    elif key in ("applications", "interviews"):
        for ev in page_items:
            a = ev.application
            cells = [a.seeker.masked_name, a.posting.title, a.posting.enterprise.name]
            if key == "applications":
                cells += [channels.label(channels.application_channel(a.channel)), a.get_status_display()]
            else:
                cells += [a.get_status_display()]
            cells.append(f"{timezone.localtime(ev.at):%Y-%m-%d}")
            out.append({"cells": cells, "url": f"/applications/{a.pk}/"})
    elif key == "hires":
        items = list(page_items)
        apps = {a.pk: a for a in Application.objects.filter(
            pk__in=[h.source_id for h in items if h.source == "app"]).select_related("seeker", "posting__enterprise")}
        gigs = {g.pk: g for g in GigAssignment.objects.filter(
            pk__in=[h.source_id for h in items if h.source == "gig"]).select_related("worker", "order__employer")}
        t = as_of(scope)
        for h in items:
            verified = _("已核实") if h.verified_on and h.verified_on <= t else _("企业自报")
            if h.source == "app" and h.source_id in apps:
                a = apps[h.source_id]
                cells = [a.seeker.masked_name, a.posting.title, a.posting.enterprise.name]
                url = f"/applications/{a.pk}/"
            elif h.source == "gig" and h.source_id in gigs:
                g = gigs[h.source_id]
                cells = [mask_name(g.worker.name), g.order.display_title, g.order.employer.display_name]
                url = ""
                verified = _("双方确认") if h.confirmed_on and h.confirmed_on <= t else _("雇主自报")
            else:
                cells, url = [_("（记录已删除）"), "", ""], ""
            out.append({"cells": [*cells, channels.label(h.channel), f"{h.hired_on:%Y-%m-%d}", verified], "url": url})
    return out


def record_view(user, key: str, scope: Scope, page: int) -> None:
    audit(actor=user, action="dashboards.drill", reason=key, start=scope.start.isoformat(),
          end=scope.end.isoformat(), township=scope.township, page=page)

