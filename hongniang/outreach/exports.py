"""Excel exports of a point's seekers and placements: masked unless the user asks for full data and may
see it; every export (masked or not) is written to the audit log."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.catalog.models import Occupation
from hongniang.core import roles, xlsx
from hongniang.core.audit import audit
from hongniang.core.errors import PermissionDeniedError
from hongniang.seekers.selectors import staff_seekers

from . import selectors
from .models import FollowUpStatus
from .services import may_see_point, require_staff


def _may_export_full(user, point_id: int | None) -> bool:
    """Full data: the bureau, or staff exporting their own point's people (see roles.may_see_seeker_in_full)."""
    if roles.is_bureau(user):
        return True
    ids = roles.service_point_ids(user)
    return bool(ids) and (point_id is None or point_id in ids)


def _workbook(title: str, headers: list[str], rows, widths: dict[int, int] | None = None) -> bytes:
    wb = xlsx.new_workbook()
    xlsx.add_sheet(wb, title, headers, rows, widths=widths)
    return xlsx.to_bytes(wb)


def export_seekers(*, actor, point_id: int | None = None, full: bool = False, q: str = "") -> tuple[bytes, int]:
    """The seekers of the actor's points (one point if given) as xlsx. Returns (bytes, rows)."""
    require_staff(actor)
    if point_id is not None and not may_see_point(actor, point_id):
        raise PermissionDeniedError(_("您不是该站点的工作人员"))
    if full and not _may_export_full(actor, point_id):
        raise PermissionDeniedError(_("您无权导出完整的个人信息"))
    qs = staff_seekers(actor, q)
    if point_id is not None:
        qs = qs.filter(service_point_id=point_id)
    occ = _occupation_labels()
    rows, ids = [], []
    for s in qs.iterator(chunk_size=2000):
        ids.append(s.pk)
        rows.append([
            s.name if full else s.masked_name,
            s.reveal_id_number() if full else s.masked_id,
            s.phone if full else s.masked_phone,
            s.get_gender_display(), s.birth_year or "",
            s.home_region.parent.name if s.home_region and s.home_region.parent_id and s.home_region.kind == "village"
            else (s.home_region.name if s.home_region else ""),
            (s.home_region.short_name or s.home_region.name) if s.home_region and s.home_region.kind == "village" else "",
            "、".join(occ.get(c, c) for c in s.desired_occupations or []),
            "在找工作" if s.is_active else "暂不求职",
            s.service_point.name if s.service_point else "",
            timezone.localtime(s.created_at).strftime("%Y-%m-%d"),
        ])
    data = _workbook("求职者花名册", ["姓名", "身份证号", "手机号", "性别", "出生年份", "乡镇", "村（社区）", "意向工种",
                                "求职状态", "登记站点", "登记日期"], rows, {2: 22, 3: 14, 10: 20})
    audit(actor=actor, action="export.seekers", reason="导出求职者花名册", full=full, point=point_id,
          count=len(ids), seekers=ids[:5000])
    return data, len(rows)


def export_placements(*, actor, point_id: int | None = None, full: bool = False) -> tuple[bytes, int]:
    """Hires of the actor's points' seekers, with their follow-up answers, as xlsx."""
    require_staff(actor)
    if point_id is not None and not may_see_point(actor, point_id):
        raise PermissionDeniedError(_("您不是该站点的工作人员"))
    if full and not _may_export_full(actor, point_id):
        raise PermissionDeniedError(_("您无权导出完整的个人信息"))
    qs = selectors.placements(actor).prefetch_related("followups")
    if point_id is not None:
        qs = qs.filter(seeker__service_point_id=point_id)
    rows, ids = [], []
    for a in qs:
        s = a.seeker
        ids.append(s.pk)
        fus = {f.day: f for f in a.followups.all()}
        hired = min((f.hired_on for f in fus.values()), default=timezone.localdate(a.updated_at))

        def answer(day, fus=fus):
            f = fus.get(day)
            if f is None:
                return ""
            if f.status == FollowUpStatus.PENDING:
                return f"待回访（{f.due_on:%m-%d}）"
            if f.status == FollowUpStatus.UNREACHABLE:
                return "联系不上"
            return ("在岗" if f.still_working else "已离职") + (
                "" if f.paid_as_promised is None else ("，工资按约定" if f.paid_as_promised else "，工资有问题"))

        rows.append([
            s.name if full else s.masked_name, s.reveal_id_number() if full else s.masked_id,
            s.phone if full else s.masked_phone, a.posting.enterprise.name, a.posting.title,
            hired.isoformat(), a.get_channel_display(), answer(7), answer(30), answer(90),
            s.service_point.name if s.service_point else "",
        ])
    data = _workbook("就业登记", ["姓名", "身份证号", "手机号", "用人单位", "岗位", "上岗日期", "报名方式",
                              "7天回访", "30天回访", "90天回访", "登记站点"], rows, {2: 22, 3: 14, 4: 28})
    audit(actor=actor, action="export.placements", reason="导出就业登记", full=full, point=point_id,
          count=len(ids), seekers=ids[:5000])
    return data, len(rows)


def _occupation_labels() -> dict[str, str]:
    return {code: (label or name) for code, name, label in
            Occupation.objects.filter(level=4).values_list("code", "name", "common_label")}
