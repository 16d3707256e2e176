"""The state machines of events, booths, registrations and intentions (hongniang.core.statemachine)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniang.core import roles
from hongniang.core.statemachine import Action, StateMachine

from .models import (
    Booth,
    BoothChange,
    BoothStatus,
    Event,
    EventChange,
    EventStatus,
    Intention,
    IntentionChange,
    IntentionStatus,
    Registration,
    RegistrationChange,
    RegistrationStatus,
)


def is_organiser(user, event: Event) -> bool:
    """The bureau organises every event with it; staff of the organising point organise that point's events."""
    if roles.is_bureau(user):
        return True
    return bool(event.organiser_point_id and roles.is_staff_member(user, event.organiser_point_id))


def _organiser(user, obj) -> bool:
    return is_organiser(user, obj if isinstance(obj, Event) else obj.event)


def _booth_hr(user, booth: Booth) -> bool:
    return roles.is_enterprise_hr(user, booth.enterprise_id)


def _started(booth: Booth) -> bool:
    return timezone.now() >= booth.event.starts_at


def _own_registration(user, reg: Registration) -> bool:
    seeker = roles.seeker_of(user)
    return seeker is not None and seeker.pk == reg.seeker_id


def _point_staff_of_seeker(user, reg: Registration) -> bool:
    point = reg.seeker.service_point_id
    return bool(point and roles.is_staff_member(user, point))


E, B, R, IS = EventStatus, BoothStatus, RegistrationStatus, IntentionStatus

EVENT = StateMachine(
    Event, event_model=EventChange, event_fk="event", noun=_("活动"), touch_fields=("updated_at",),
    actions=[
        Action("publish", {E.DRAFT}, E.PUBLISHED, label=_("发布"), allowed=_organiser, style="primary"),
        Action("finish", {E.PUBLISHED}, E.FINISHED, label=_("结束并统计"),
               allowed=lambda u, e: _organiser(u, e) and timezone.now() >= e.starts_at,
               message=_("该活动当前为“%(status)s”，不能结束")),
        Action("cancel", {E.DRAFT, E.PUBLISHED}, E.CANCELLED, label=_("取消活动"), allowed=_organiser,
               reason_required=True, style="danger"),
    ])

BOOTH = StateMachine(
    Booth, event_model=BoothChange, event_fk="booth", noun=_("展位"),
    actions=[
        Action("approve", {B.REQUESTED}, B.APPROVED, label=_("通过"), allowed=_organiser, style="primary"),
        Action("decline", {B.REQUESTED}, B.DECLINED, label=_("不通过"), allowed=_organiser, reason_required=True,
               style="danger"),
        Action("arrive", {B.APPROVED}, B.PRESENT, label=_("已到场"),
               allowed=lambda u, b: (_organiser(u, b) or _booth_hr(u, b)) and b.event.is_today),
        Action("no_show", {B.APPROVED}, B.NO_SHOW, label=_("未到场"), allowed=lambda u, b: _organiser(u, b) and _started(b),
               style="danger"),
        Action("cancel", {B.REQUESTED, B.APPROVED}, B.CANCELLED, label=_("取消预订"),
               allowed=lambda u, b: _booth_hr(u, b) and not _started(b), style="danger"),
        Action("rebook", {B.CANCELLED, B.DECLINED}, B.REQUESTED, label=_("重新预订"),
               allowed=lambda u, b: _booth_hr(u, b) and not _started(b)),
    ])

REGISTRATION = StateMachine(
    Registration, event_model=RegistrationChange, event_fk="registration", noun=_("报名"),
    actions=[
        Action("check_in", {R.REGISTERED}, R.CHECKED_IN, label=_("签到"), allowed=_organiser,
               message=_("该报名当前为“%(status)s”，不能签到")),
        Action("cancel", {R.REGISTERED}, R.CANCELLED, label=_("取消报名"),
               allowed=lambda u, r: _own_registration(u, r) or _point_staff_of_seeker(u, r) or _organiser(u, r)),
        Action("register", {R.CANCELLED}, R.REGISTERED, label=_("重新报名"),
               allowed=lambda u, r: _own_registration(u, r) or _point_staff_of_seeker(u, r) or _organiser(u, r)),
        # the seeker, once inside, says they want a booth's posting (services.intention_declare; a form on each
        # suggested booth of the ticket page): no move
        Action("declare_intention", {R.CHECKED_IN}, None, label=_("我对这个岗位有意向"), allowed=_own_registration,
               button=False, message=_("签到后才能登记意向")),
    ])

INTENTION = StateMachine(
    Intention, event_model=IntentionChange, event_fk="intention", noun=_("意向"),
    actions=[
        Action("confirm_enterprise", {IS.PENDING_ENTERPRISE}, IS.CONFIRMED, label=_("确认意向"),
               allowed=lambda u, i: roles.is_enterprise_hr(u, i.booth.enterprise_id), style="primary"),
        Action("confirm_seeker", {IS.PENDING_SEEKER}, IS.CONFIRMED, label=_("我确认有意向"),
               allowed=lambda u, i: _own_registration(u, i.registration), style="primary"),
        Action("decline", {IS.PENDING_SEEKER, IS.PENDING_ENTERPRISE}, IS.DECLINED, label=_("没有意向"),
               allowed=lambda u, i: (_own_registration(u, i.registration)
                                     or roles.is_enterprise_hr(u, i.booth.enterprise_id))),
    ])
