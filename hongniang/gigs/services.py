"""The one write path for the gig market. Keyword-only functions, one per transition; each opens
`transaction.atomic`, writes an event row, and sends notices on commit. Errors are domain errors
with Chinese messages (hongniang.core.errors)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.notifications.phone_codes import phone_code_check
from hongniang.zh.validators import normalize_phone

from .models import (
    ACTIVE_ASSIGNMENT,
    ArrearsAlert,
    AssignmentEvent,
    AssignmentStatus,
    GigAssignment,
    GigAvailability,
    GigEmployer,
    GigNotice,
    GigOrder,
    GigPayType,
    GigWorker,
    NoticeChannel,
    OrderEvent,
    OrderStatus,
    PayMethod,
    Rating,
    RatingDirection,
    WorkType,
    scheduled_hours,
)

S = AssignmentStatus
CHECKIN_SALT = "hongniang.gigs.checkin"
LATE_CANCEL_HOURS = 12  # cancelling a confirmed gig less than this before the start counts against you
MAX_DAYS_AHEAD = 60
MAX_ORDER_DAYS = 31


# ---------------------------------------------------------------------------------------------- helpers

def minimum_hourly() -> Decimal:
    return Decimal(str(settings.MINIMUM_WAGE_HOURLY))


def arrears_hours() -> int:
    return int(getattr(settings, "GIG_ARREARS_HOURS", 24))


def _money(value, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(f"{label}请填写数字", field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(f"{label}必须大于 0", field=field)
    if amount >= Decimal("100000000"):
        raise InvalidInput(f"{label}数额过大", field=field)
    return amount


def _phone(value: str, field: str = "phone") -> str:
    try:
        return normalize_phone(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from None


def notify(*, text: str, user=None, phone: str = "", order=None, sms: bool = True) -> None:
    """Send through the shared notifications (inbox for `user`, SMS to `phone`, sent after commit) and keep
    the gig market's own GigNotice log (its pages and API still read it) written on commit."""
    from hongniang.notifications.services import notify as shared_notify

    shared_notify(recipient=user, phone=phone or None, template="text", context={"title": "零工消息", "text": text},
                  sms=bool(sms and phone))

    def _write():
        rows = []
        if user is not None:
            rows.append(GigNotice(user=user, channel=NoticeChannel.INBOX, text=text[:500], order=order))
        if sms and phone:
            rows.append(GigNotice(user=user, phone=phone, channel=NoticeChannel.SMS, text=text[:500], order=order))
        GigNotice.objects.bulk_create(rows)

    transaction.on_commit(_write)


def _order_event(order: GigOrder, *, actor, from_status: str, to_status: str, reason: str = "") -> None:
    OrderEvent.objects.create(order=order, actor=actor if getattr(actor, "is_authenticated", False) else None,
                              from_status=from_status, to_status=to_status, reason=reason[:200])


def _move_order(order: GigOrder, *, to: str, actor, reason: str = "", allowed: tuple) -> None:
    if order.status not in allowed:
        raise Conflict(f"订单当前状态为“{order.get_status_display()}”，不能进行此操作", code="invalid_transition")
    old = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at", *(["cancel_reason"] if to == OrderStatus.CANCELLED else [])])
    _order_event(order, actor=actor, from_status=old, to_status=to, reason=reason)


def _move(a: GigAssignment, *, to: str, actor, allowed: tuple, reason: str = "", fields: tuple = ()) -> None:
    if a.status not in allowed:
        raise Conflict(f"该派工当前状态为“{a.get_status_display()}”，不能进行此操作", code="invalid_transition")
    old = a.status
    a.status = to
    a.save(update_fields=["status", *fields])
    AssignmentEvent.objects.create(assignment=a, actor=actor if getattr(actor, "is_authenticated", False) else None,
                                   from_status=old, to_status=to, reason=reason[:200])


def _lock_assignment(assignment: GigAssignment) -> GigAssignment:
    return GigAssignment.objects.select_for_update().select_related("order", "order__employer", "worker").get(
        pk=assignment.pk)


def _lock_order(order: GigOrder) -> GigOrder:
    return GigOrder.objects.select_for_update().select_related("employer").get(pk=order.pk)


def _now():
    return timezone.now()


def _order_start(order: GigOrder) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(order.date, order.start_time))


def _order_end(order: GigOrder) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(order.last_date, order.end_time))


# ------------------------------------------------------------------------------------------ permissions

def employer_ids_for(user) -> list[int]:
    """Gig employers the user acts for: their enterprises' and their own individual one."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_gig_employer_ids", None)
    if cache is None:
        from django.db.models import Q

        ent = roles.enterprise_ids(user)
        cond = Q(user=user, enterprise__isnull=True)
        if ent:
            cond |= Q(enterprise_id__in=ent)
        cache = list(GigEmployer.objects.filter(cond).values_list("pk", flat=True))
        user._gig_employer_ids = cache
    return cache


def is_order_staff(user, order: GigOrder) -> bool:
    """Staff of the point that posted the order, or of a point in the order's township."""
    points = roles.service_point_ids(user)
    if not points:
        return False
    if order.service_point_id and order.service_point_id in points:
        return True
    from hongniang.geo.models import ServicePoint

    township = order.township_id or order.region_id
    return ServicePoint.objects.filter(pk__in=points, region_id__in=[township, order.region_id]).exists() or \
        ServicePoint.objects.filter(pk__in=points, region__parent_id=township).exists()


def can_manage_order(user, order: GigOrder) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.is_bureau(user):
        return True
    if order.employer_id in employer_ids_for(user):
        return True
    return is_order_staff(user, order)


def require_manager(user, order: GigOrder) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("请先登录", code="unauthorized")
    if not can_manage_order(user, order):
        raise PermissionDeniedError("只有该订单的雇主或站点工作人员可以操作")


def worker_of(user) -> GigWorker | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.gig_worker
    except GigWorker.DoesNotExist:
        return None


def require_worker_self(user, assignment: GigAssignment) -> None:
    w = worker_of(user)
    if w is None or w.pk != assignment.worker_id:
        raise PermissionDeniedError("只有该工人本人可以操作")


# ------------------------------------------------------------------------------------ phone and people

EMPLOYER_CODE_PURPOSE = "gig_employer"  # hongniang.notifications.phone_codes purpose for individual employers


def employer_for_enterprise(*, enterprise) -> GigEmployer:
    if not enterprise.is_verified:
        raise PermissionDeniedError("单位通过认证后才能发布零工订单", code="enterprise_unverified")
    emp, _ = GigEmployer.objects.get_or_create(
        enterprise=enterprise,
        defaults=dict(name=enterprise.name, phone=enterprise.contact_phone or "", region=enterprise.region))
    return emp


def individual_employer_register(*, actor, name: str, phone: str, code: str = "", region=None) -> GigEmployer:
    """A person hiring for a gig. Self-registration needs an SMS code; staff may vouch instead."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("请填写姓名", field="name")
    phone = _phone(phone)
    staff = roles.is_staff_member(actor) or roles.is_bureau(actor)
    if not staff:
        if not getattr(actor, "is_authenticated", False):
            raise PermissionDeniedError("请先登录", code="unauthorized")
        phone_code_check(phone=phone, purpose=EMPLOYER_CODE_PURPOSE, code=code)
    with transaction.atomic():
        existing = GigEmployer.objects.filter(enterprise__isnull=True, phone=phone).first()
        if existing:
            if not staff and existing.user_id and existing.user_id != actor.pk:
                raise Conflict("该手机号已登记为其他个人雇主")
            if not staff and existing.user_id is None:
                existing.user = actor
                existing.save(update_fields=["user"])
            return existing
        emp = GigEmployer.objects.create(
            user=None if staff else actor, name=name[:100], phone=phone, phone_verified_at=_now(),
            verified_by=actor if staff else None, region=region)
        audit(actor=actor, action="gigs.employer_register", target=emp)
        if hasattr(actor, "_gig_employer_ids"):
            del actor._gig_employer_ids
    return emp


def worker_quick_signup(*, actor, name: str, phone: str, work_types=(), home_region=None,
                        service_point=None) -> GigWorker:
    """Phone and name are enough. Self sign-up links the logged-in user (or creates one); staff sign up
    walk-ins on their behalf."""
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise InvalidInput("请填写姓名", field="name")
    phone = _phone(phone)
    types = _work_types(work_types)
    User = get_user_model()
    staff = roles.is_staff_member(actor)
    with transaction.atomic():
        if GigWorker.objects.filter(phone=phone).exists():
            raise Conflict("该手机号已登记为零工，请直接登录或到就业之家查询", field="phone")
        user = None
        if getattr(actor, "is_authenticated", False) and not staff:
            if worker_of(actor) is not None:
                raise Conflict("您已登记为零工")
            user = actor
        elif not getattr(actor, "is_authenticated", False):
            if User.objects.filter(phone=phone).exists() or User.objects.filter(username=phone).exists():
                raise Conflict("该手机号已注册，请先登录", field="phone", code="phone_taken")
            user = User(username=phone, phone=phone, display_name=name)
            user.set_unusable_password()
            user.save()
        seeker = None
        if user is not None:
            seeker = roles.seeker_of(user)
        lat = lon = None
        if home_region is not None:
            lat, lon = home_region.lat, home_region.lon
        worker = GigWorker.objects.create(
            user=user, seeker=seeker, name=name, phone=phone, work_types=types, home_region=home_region,
            lat=lat, lon=lon, service_point=service_point if staff else None,
            registered_by=actor if staff else None)
    return worker


def _work_types(values) -> list[str]:
    valid = set(WorkType.values)
    out = []
    for v in values or ():
        if v not in valid:
            raise InvalidInput("工种不在列表中", field="work_types")
        if v not in out:
            out.append(v)
    return out


def worker_update(*, actor, worker: GigWorker, work_types=None, home_region=None, max_distance_km=None) -> GigWorker:
    if worker_of(actor) != worker and not roles.is_staff_member(actor):
        raise PermissionDeniedError("只能修改自己的资料")
    fields = []
    if work_types is not None:
        worker.work_types = _work_types(work_types)
        fields.append("work_types")
    if home_region is not None:
        worker.home_region, worker.lat, worker.lon = home_region, home_region.lat, home_region.lon
        fields += ["home_region", "lat", "lon"]
    if max_distance_km is not None:
        if not 1 <= int(max_distance_km) <= 200:
            raise InvalidInput("距离请填 1 到 200 公里", field="max_distance_km")
        worker.max_distance_km = int(max_distance_km)
        fields.append("max_distance_km")
    if fields:
        worker.save(update_fields=fields)
    return worker


def availability_set(*, actor, worker: GigWorker, dates) -> list[dt.date]:
    """Replace the worker's free days from today on with `dates`."""
    if worker_of(actor) != worker and not roles.is_staff_member(actor):
        raise PermissionDeniedError("只能修改自己的空闲日期")
    today = timezone.localdate()
    clean = sorted(set(dates))
    for d in clean:
        if d < today:
            raise InvalidInput("不能选择已经过去的日期", field="dates")
        if d > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise InvalidInput(f"只能选择 {MAX_DAYS_AHEAD} 天以内的日期", field="dates")
    with transaction.atomic():
        GigAvailability.objects.filter(worker=worker, date__gte=today).exclude(date__in=clean).delete()
        have = set(GigAvailability.objects.filter(worker=worker, date__in=clean).values_list("date", flat=True))
        GigAvailability.objects.bulk_create([GigAvailability(worker=worker, date=d) for d in clean if d not in have])
    return clean


# ------------------------------------------------------------------------------------------------ orders

def validate_order_fields(*, work_type, date, end_date, start_time, end_time, pay_type, pay_rate,
                          piece_hourly_estimate, headcount, address, region) -> dict:
    """Check the business rules; return the computed values. Raises InvalidInput (one field at a time)."""
    if work_type not in WorkType.values:
        raise InvalidInput("请选择工种", field="work_type")
    today = timezone.localdate()
    if date is None:
        raise InvalidInput("请选择开工日期", field="date")
    if date < today:
        raise InvalidInput("开工日期不能早于今天", field="date")
    if date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput(f"只能发布 {MAX_DAYS_AHEAD} 天以内的订单", field="date")
    if end_date is not None and end_date == date:
        end_date = None
    if end_date is not None:
        if end_date < date:
            raise InvalidInput("结束日期不能早于开工日期", field="end_date")
        if (end_date - date).days + 1 > MAX_ORDER_DAYS:
            raise InvalidInput(f"零工订单最长 {MAX_ORDER_DAYS} 天", field="end_date")
    if start_time is None or end_time is None:
        raise InvalidInput("请填写开始和结束时间", field="start_time" if start_time is None else "end_time")
    if end_time <= start_time:
        raise InvalidInput("结束时间必须晚于开始时间", field="end_time")
    if date == today and timezone.make_aware(dt.datetime.combine(date, end_time)) <= _now():
        raise InvalidInput("该时段已经过去，请选择之后的时间", field="start_time")
    try:
        headcount = int(headcount)
    except (TypeError, ValueError):
        raise InvalidInput("请填写要几个人", field="headcount") from None
    if headcount < 1:
        raise InvalidInput("至少要 1 个人", field="headcount")
    if headcount > 500:
        raise InvalidInput("一张订单最多 500 人", field="headcount")
    if not (address or "").strip():
        raise InvalidInput("请填写详细地址", field="address")
    if region is None:
        raise InvalidInput("请选择乡镇或村", field="region")
    if pay_type not in GigPayType.values:
        raise InvalidInput("请选择计薪方式", field="pay_type")
    rate = _money(pay_rate, "pay_rate", "工钱")
    hours = scheduled_hours(start_time, end_time)
    days = ((end_date or date) - date).days + 1
    minimum = minimum_hourly()
    piece_est = None
    if pay_type == GigPayType.HOUR:
        if rate < minimum:
            raise InvalidInput(f"时薪不能低于最低工资标准 {minimum} 元/小时", field="pay_rate")
        total = rate * hours * days
    elif pay_type == GigPayType.DAY:
        floor = (minimum * hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if rate < floor:
            raise InvalidInput(f"日薪不能低于 {floor} 元（{hours} 小时 × 最低工资 {minimum} 元/小时）", field="pay_rate")
        total = rate * days
    else:
        if piece_hourly_estimate in (None, ""):
            raise InvalidInput("计件请填写正常速度下折合每小时能挣多少钱", field="piece_hourly_estimate")
        piece_est = _money(piece_hourly_estimate, "piece_hourly_estimate", "折合时薪")
        if piece_est < minimum:
            raise InvalidInput(f"计件折合时薪不能低于最低工资标准 {minimum} 元/小时", field="piece_hourly_estimate")
        total = piece_est * hours * days
    return dict(end_date=end_date, headcount=headcount, pay_rate=rate, piece_hourly_estimate=piece_est,
                total_per_worker=total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def order_create(*, actor, employer: GigEmployer, work_type: str, date: dt.date, start_time: dt.time,
                 end_time: dt.time, region, address: str, pay_type: str, pay_rate, headcount,
                 end_date: dt.date | None = None, piece_unit: str = "", piece_hourly_estimate=None,
                 requirements: str = "", meals_provided: bool = False, transport_provided: bool = False,
                 lat: float | None = None, lon: float | None = None, title: str = "",
                 contact_name: str = "", contact_phone: str = "", service_point=None) -> GigOrder:
    """Post a gig order: the employer themselves, or staff on their behalf (recorded as the point)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError("请先登录", code="unauthorized")
    acting_as_staff = False
    if employer.pk not in employer_ids_for(actor):
        points = roles.service_point_ids(actor)
        if not points and not roles.is_bureau(actor):
            raise PermissionDeniedError("只能为自己的单位发布订单")
        acting_as_staff = True
        if service_point is None and points:
            from hongniang.geo.models import ServicePoint

            service_point = ServicePoint.objects.get(pk=points[0])
    elif service_point is not None and service_point.pk not in roles.service_point_ids(actor):
        service_point = None
    if employer.enterprise_id is None and employer.phone_verified_at is None:
        raise PermissionDeniedError("个人雇主需先验证手机号", code="phone_unverified")
    if employer.enterprise_id is not None and not employer.enterprise.is_verified:
        raise PermissionDeniedError("单位通过认证后才能发布零工订单", code="enterprise_unverified")
    values = validate_order_fields(work_type=work_type, date=date, end_date=end_date, start_time=start_time,
                                   end_time=end_time, pay_type=pay_type, pay_rate=pay_rate,
                                   piece_hourly_estimate=piece_hourly_estimate, headcount=headcount,
                                   address=address, region=region)
    if pay_type == GigPayType.PIECE and not (piece_unit or "").strip():
        raise InvalidInput("请填写计件单位，如 斤、箱、件", field="piece_unit")
    contact_phone = (contact_phone or "").strip()
    if contact_phone:
        contact_phone = _phone(contact_phone, "contact_phone")
    with transaction.atomic():
        # lock the employer so a concurrent arrears alert and this order cannot both win
        emp = GigEmployer.objects.select_for_update().get(pk=employer.pk)
        if emp.is_blocked:
            raise PermissionDeniedError("该雇主有未处理的欠薪预警，结清工钱后才能发布新订单",
                                        code="employer_blocked")
        township = region.township
        order = GigOrder.objects.create(
            employer=emp, work_type=work_type, title=(title or "").strip()[:60], date=date,
            start_time=start_time, end_time=end_time, region=region, township=township,
            address=address.strip()[:200], lat=lat if lat is not None else region.lat,
            lon=lon if lon is not None else region.lon, pay_type=pay_type, piece_unit=(piece_unit or "").strip()[:20],
            requirements=(requirements or "").strip(), meals_provided=bool(meals_provided),
            transport_provided=bool(transport_provided),
            contact_name=(contact_name or "").strip()[:50] or emp.name[:50],
            contact_phone=contact_phone or emp.phone, service_point=service_point if acting_as_staff else None,
            posted_by=actor, **values)
        _order_event(order, actor=actor, from_status="", to_status=OrderStatus.OPEN,
                     reason="工作人员代发" if acting_as_staff else "")
    return order


def order_cancel(*, actor, order: GigOrder, reason: str) -> GigOrder:
    require_manager(actor, order)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写取消原因", field="reason")
    with transaction.atomic():
        order = _lock_order(order)
        order.cancel_reason = reason[:200]
        _move_order(order, to=OrderStatus.CANCELLED, actor=actor, reason=reason,
                    allowed=(OrderStatus.OPEN, OrderStatus.FILLED))
        late = _order_start(order) - _now() < dt.timedelta(hours=LATE_CANCEL_HOURS)
        had_confirmed = False
        for a in order.assignments.select_for_update().select_related("worker").filter(status__in=ACTIVE_ASSIGNMENT):
            had_confirmed |= a.status == S.CONFIRMED
            _move(a, to=S.CANCELLED_BY_EMPLOYER, actor=actor, reason=reason, allowed=ACTIVE_ASSIGNMENT)
            notify(user=a.worker.user, phone=a.worker.phone, order=order,
                   text=f"【红娘零工】{order.date:%m月%d日}的{order.get_work_type_display()}订单已被雇主取消：{reason}")
        if late and had_confirmed:
            GigEmployer.objects.filter(pk=order.employer_id).update(late_cancel_count=F("late_cancel_count") + 1)
    return order


def order_start(*, actor, order: GigOrder) -> GigOrder:
    require_manager(actor, order)
    with transaction.atomic():
        order = _lock_order(order)
        _move_order(order, to=OrderStatus.IN_PROGRESS, actor=actor,
                    allowed=(OrderStatus.OPEN, OrderStatus.FILLED))
    return order


def order_complete(*, actor, order: GigOrder) -> GigOrder:
    """Finish the order. Every confirmed worker must be checked out or marked as a no-show first."""
    require_manager(actor, order)
    with transaction.atomic():
        order = _lock_order(order)
        if order.assignments.filter(status__in=(S.CONFIRMED, S.CHECKED_IN)).exists():
            raise Conflict("还有工人未签退或未标记未到岗，请先处理", code="assignments_open")
        if order.status in (OrderStatus.OPEN, OrderStatus.FILLED) and _order_start(order) > _now():
            raise Conflict("订单还没有开工，不能完工", code="invalid_transition")
        _move_order(order, to=OrderStatus.COMPLETED, actor=actor,
                    allowed=(OrderStatus.IN_PROGRESS, OrderStatus.OPEN, OrderStatus.FILLED))
        for a in order.assignments.select_for_update().filter(status__in=(S.SIGNED_UP, S.INVITED)):
            _move(a, to=S.REJECTED, actor=actor, reason="订单已完工", allowed=(S.SIGNED_UP, S.INVITED))
    return order


def _refresh_fill(order: GigOrder, *, actor) -> None:
    """open ⇄ filled as confirmed workers come and go."""
    working = order.assignments.filter(status__in=(S.CONFIRMED, S.CHECKED_IN, S.CHECKED_OUT, S.PAID, S.SETTLED,
                                                   S.DISPUTED)).count()
    if order.status == OrderStatus.OPEN and working >= order.headcount:
        _move_order(order, to=OrderStatus.FILLED, actor=actor, reason="人已招满", allowed=(OrderStatus.OPEN,))
    elif order.status == OrderStatus.FILLED and working < order.headcount:
        _move_order(order, to=OrderStatus.OPEN, actor=actor, reason="有人取消，重新招人", allowed=(OrderStatus.FILLED,))


# ------------------------------------------------------------------------------------------ assignments

def signup(*, actor, order: GigOrder, worker: GigWorker | None = None) -> GigAssignment:
    """A worker signs up for an open order (or staff sign up a walk-in worker)."""
    own = worker_of(actor)
    if worker is None:
        worker = own
    if worker is None:
        raise PermissionDeniedError("请先登记为零工（手机号和姓名即可）", code="not_a_worker")
    if worker != own and not is_order_staff(actor, order) and not roles.is_bureau(actor):
        raise PermissionDeniedError("只能为自己报名")
    with transaction.atomic():
        order = _lock_order(order)
        if order.status != OrderStatus.OPEN:
            raise Conflict("该订单已不再招人", code="order_not_open")
        if _order_end(order) <= _now():
            raise Conflict("该订单时间已过", code="order_not_open")
        if worker.user_id and order.employer_id in employer_ids_for(worker.user):
            raise Conflict("不能报名自己发布的订单")
        existing = GigAssignment.objects.filter(order=order, worker=worker).first()
        if existing:
            if existing.status != S.CANCELLED_BY_WORKER:
                raise Conflict("您已报名过该订单", code="already_signed_up")
            _move(existing, to=S.SIGNED_UP, actor=actor, reason="重新报名", allowed=(S.CANCELLED_BY_WORKER,))
            a = existing
        else:
            a = GigAssignment.objects.create(order=order, worker=worker, status=S.SIGNED_UP)
            AssignmentEvent.objects.create(assignment=a, actor=actor, from_status="", to_status=S.SIGNED_UP)
        notify(user=_employer_user(order), order=order, sms=False,
               text=f"【红娘零工】{worker.masked_name} 报名了您 {order.date:%m月%d日} 的{order.get_work_type_display()}订单，请确认。")
    return a


def _employer_user(order: GigOrder):
    return order.employer.user if order.employer.user_id else order.posted_by


def _confirmation_text(order: GigOrder, *, for_worker: bool, worker: GigWorker | None = None) -> str:
    when = f"{order.date:%m月%d日}" + (f"至{order.end_date:%m月%d日}" if order.end_date else "")
    when += f" {order.start_time:%H:%M}-{order.end_time:%H:%M}"
    place = f"{order.region.full_name}{order.address}"
    if for_worker:
        return (f"【红娘零工】您已被录用：{order.get_work_type_display()}，{when}，地点：{place}，"
                f"联系人：{order.contact_name} {order.contact_phone}，工钱：{order.pay_label}。到场请扫码签到。")
    return (f"【红娘零工】已确认 {worker.name}（{worker.phone}）参加 {when} 的{order.get_work_type_display()}，"
            f"地点：{place}。")


def confirm(*, actor, assignment: GigAssignment) -> GigAssignment:
    """The employer (or staff) confirms who works. Both sides get time, place and contact."""
    require_manager(actor, assignment.order)
    with transaction.atomic():
        order = _lock_order(assignment.order)
        a = _lock_assignment(assignment)
        if order.status != OrderStatus.OPEN:
            raise Conflict("订单已招满或已结束，不能再录用", code="order_not_open")
        a.confirmed_at = _now()
        _move(a, to=S.CONFIRMED, actor=actor, allowed=(S.SIGNED_UP,), fields=("confirmed_at",))
        _refresh_fill(order, actor=actor)
        _send_confirmations(order, a.worker)
    return a


def _send_confirmations(order: GigOrder, worker: GigWorker) -> None:
    notify(user=worker.user, phone=worker.phone, order=order, text=_confirmation_text(order, for_worker=True))
    notify(user=_employer_user(order), phone=order.contact_phone, order=order,
           text=_confirmation_text(order, for_worker=False, worker=worker))


def reject(*, actor, assignment: GigAssignment, reason: str = "") -> GigAssignment:
    require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        _move(a, to=S.REJECTED, actor=actor, reason=reason, allowed=(S.SIGNED_UP,))
        notify(user=a.worker.user, order=a.order, sms=False,
               text=f"【红娘零工】{a.order.date:%m月%d日}的{a.order.get_work_type_display()}订单这次没有录用您，看看其他订单吧。")
    return a


def cancel_by_worker(*, actor, assignment: GigAssignment, reason: str = "") -> GigAssignment:
    """The worker withdraws. Withdrawing a confirmed gig less than 12 h before the start counts."""
    require_worker_self(actor, assignment)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        order = _lock_order(a.order)
        was_confirmed = a.status in (S.CONFIRMED,)
        _move(a, to=S.CANCELLED_BY_WORKER, actor=actor, reason=reason,
              allowed=(S.SIGNED_UP, S.CONFIRMED, S.INVITED))
        if was_confirmed:
            if _order_start(order) - _now() < dt.timedelta(hours=LATE_CANCEL_HOURS):
                GigWorker.objects.filter(pk=a.worker_id).update(late_cancel_count=F("late_cancel_count") + 1)
            _refresh_fill(order, actor=actor)
            notify(user=_employer_user(order), phone=order.contact_phone, order=order,
                   text=f"【红娘零工】{a.worker.masked_name} 取消了 {order.date:%m月%d日} 的{order.get_work_type_display()}。")
    return a


def cancel_by_employer(*, actor, assignment: GigAssignment, reason: str) -> GigAssignment:
    require_manager(actor, assignment.order)
    if not (reason or "").strip():
        raise InvalidInput("请填写原因", field="reason")
    with transaction.atomic():
        a = _lock_assignment(assignment)
        order = _lock_order(a.order)
        was_confirmed = a.status == S.CONFIRMED
        _move(a, to=S.CANCELLED_BY_EMPLOYER, actor=actor, reason=reason, allowed=(S.CONFIRMED, S.INVITED))
        if was_confirmed and _order_start(order) - _now() < dt.timedelta(hours=LATE_CANCEL_HOURS):
            GigEmployer.objects.filter(pk=order.employer_id).update(late_cancel_count=F("late_cancel_count") + 1)
        _refresh_fill(order, actor=actor)
        notify(user=a.worker.user, phone=a.worker.phone, order=order,
               text=f"【红娘零工】雇主取消了您 {order.date:%m月%d日} 的{order.get_work_type_display()}：{reason}")
    return a


def rehire(*, actor, order: GigOrder, worker: GigWorker) -> GigAssignment:
    """One tap: invite a worker who worked for this employer before to an open order."""
    require_manager(actor, order)
    if not GigAssignment.objects.filter(order__employer_id=order.employer_id, worker=worker,
                                        status__in=(S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED)).exists():
        raise PermissionDeniedError("只能再次雇用为您干过活的工人", code="not_previous_worker")
    with transaction.atomic():
        order = _lock_order(order)
        if order.status != OrderStatus.OPEN:
            raise Conflict("该订单已不再招人", code="order_not_open")
        a, created = GigAssignment.objects.get_or_create(order=order, worker=worker,
                                                         defaults={"status": S.INVITED})
        if not created:
            if a.status in ACTIVE_ASSIGNMENT:
                raise Conflict("该工人已在这张订单上", code="already_signed_up")
            _move(a, to=S.INVITED, actor=actor, reason="再次雇用",
                  allowed=(S.CANCELLED_BY_WORKER, S.CANCELLED_BY_EMPLOYER, S.REJECTED))
        else:
            AssignmentEvent.objects.create(assignment=a, actor=actor, from_status="", to_status=S.INVITED,
                                           reason="再次雇用")
        notify(user=worker.user, phone=worker.phone, order=order,
               text=f"【红娘零工】{order.employer.name} 想再请您干活：{order.get_work_type_display()}，"
                    f"{order.date:%m月%d日} {order.start_time:%H:%M}，{order.pay_label}。打开“我的零工”接受。")
    return a


def accept_invite(*, actor, assignment: GigAssignment) -> GigAssignment:
    require_worker_self(actor, assignment)
    with transaction.atomic():
        order = _lock_order(assignment.order)
        a = _lock_assignment(assignment)
        if order.status != OrderStatus.OPEN:
            raise Conflict("该订单已招满或已结束", code="order_not_open")
        a.confirmed_at = _now()
        _move(a, to=S.CONFIRMED, actor=actor, allowed=(S.INVITED,), fields=("confirmed_at",))
        _refresh_fill(order, actor=actor)
        _send_confirmations(order, a.worker)
    return a


# --------------------------------------------------------------------------------------- check in / out

def checkin_token(order: GigOrder) -> str:
    return signing.dumps({"o": order.pk}, salt=CHECKIN_SALT, compress=True)


def order_from_token(token: str) -> GigOrder:
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
        return GigOrder.objects.select_related("employer", "region").get(pk=int(data["o"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, GigOrder.DoesNotExist):
        raise NotFoundError("二维码无效，请向雇主或就业之家工作人员确认") from None


def _check_window(order: GigOrder) -> None:
    now = _now()
    opens = _order_start(order) - dt.timedelta(hours=2)
    closes = _order_end(order) + dt.timedelta(hours=6)
    if now < opens:
        raise Conflict("还没到签到时间（开工前 2 小时内可签到）", code="too_early")
    if now > closes:
        raise Conflict("订单已结束，无法签到，请联系雇主或工作人员", code="too_late")


def _method_for(actor, assignment) -> str:
    if worker_of(actor) is not None and worker_of(actor).pk == assignment.worker_id:
        return "qr"
    if is_order_staff(actor, assignment.order):
        return "desk"
    return "employer"


def check_in(*, actor, assignment: GigAssignment, via_token: bool = False) -> GigAssignment:
    """The worker scans the order's QR code (via_token), or the employer / desk staff confirm it."""
    if via_token:
        require_worker_self(actor, assignment)
    else:
        require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        order = _lock_order(a.order)
        if order.status not in (OrderStatus.OPEN, OrderStatus.FILLED, OrderStatus.IN_PROGRESS):
            raise Conflict("订单已结束或已取消", code="invalid_transition")
        _check_window(order)
        a.checked_in_at = _now()
        a.check_method = "qr" if via_token else _method_for(actor, a)
        _move(a, to=S.CHECKED_IN, actor=actor, allowed=(S.CONFIRMED,), fields=("checked_in_at", "check_method"))
        if order.status in (OrderStatus.OPEN, OrderStatus.FILLED):
            _move_order(order, to=OrderStatus.IN_PROGRESS, actor=actor, reason="首位工人签到",
                        allowed=(OrderStatus.OPEN, OrderStatus.FILLED))
    return a


def _hours_between(order: GigOrder, start: dt.datetime, end: dt.datetime) -> Decimal:
    seconds = max(0, (end - start).total_seconds())
    hours = Decimal(seconds) / Decimal(3600)
    if timezone.localtime(start).date() != timezone.localtime(end).date():
        # multi-day gig checked in once and out once: count the scheduled hours of the days covered
        days = (timezone.localtime(end).date() - timezone.localtime(start).date()).days + 1
        hours = min(hours, order.hours_per_day * days)
    return hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_out(*, actor, assignment: GigAssignment, via_token: bool = False, hours=None) -> GigAssignment:
    """Record the end of work and the hours worked (measured, or given by the employer / desk)."""
    if via_token:
        require_worker_self(actor, assignment)
        hours = None
    else:
        require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        if a.status != S.CHECKED_IN:
            raise Conflict(f"该派工当前状态为“{a.get_status_display()}”，不能签退", code="invalid_transition")
        a.checked_out_at = _now()
        if hours not in (None, ""):
            try:
                h = Decimal(str(hours)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                raise InvalidInput("工时请填写数字", field="hours") from None
            if h <= 0 or h > 24 * a.order.days:
                raise InvalidInput("工时不合理", field="hours")
            a.hours_worked = h
        else:
            a.hours_worked = _hours_between(a.order, a.checked_in_at, a.checked_out_at)
        _move(a, to=S.CHECKED_OUT, actor=actor, allowed=(S.CHECKED_IN,), fields=("checked_out_at", "hours_worked"))
        GigWorker.objects.filter(pk=a.worker_id).update(completed_count=F("completed_count") + 1)
        notify(user=a.worker.user, order=a.order, sms=False,
               text=f"【红娘零工】已签退，工时 {a.hours_worked} 小时。雇主付款后请在“我的零工”确认收款。")
    return a


def scan(*, actor, token: str) -> GigAssignment:
    """What the QR code does: first scan checks in, second checks out."""
    order = order_from_token(token)
    w = worker_of(actor)
    if w is None:
        raise PermissionDeniedError("请先登录后再扫码签到", code="unauthorized")
    a = GigAssignment.objects.filter(order=order, worker=w).select_related("order").first()
    if a is None or a.status not in (S.CONFIRMED, S.CHECKED_IN):
        raise PermissionDeniedError("您不在这张订单的录用名单上，请联系雇主", code="not_confirmed")
    if a.status == S.CONFIRMED:
        return check_in(actor=actor, assignment=a, via_token=True)
    return check_out(actor=actor, assignment=a, via_token=True)


def mark_no_show(*, actor, assignment: GigAssignment) -> GigAssignment:
    require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        if _order_start(a.order) > _now():
            raise Conflict("还没到开工时间，不能标记未到岗", code="too_early")
        _move(a, to=S.NO_SHOW, actor=actor, allowed=(S.CONFIRMED,), reason="未到岗")
        GigWorker.objects.filter(pk=a.worker_id).update(no_show_count=F("no_show_count") + 1)
    return a


# ------------------------------------------------------------------------------------------------- pay

def pay_record(*, actor, assignment: GigAssignment, amount, method: str, paid_at: dt.datetime | None = None
               ) -> GigAssignment:
    """The employer (or desk staff) records what was paid. Allowed after check-out, or again after a dispute."""
    require_manager(actor, assignment.order)
    amount = _money(amount, "amount", "金额")
    if method not in PayMethod.values:
        raise InvalidInput("请选择付款方式（现金或转账）", field="method")
    paid_at = paid_at or _now()
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    if paid_at > _now() + dt.timedelta(minutes=5):
        raise InvalidInput("付款时间不能晚于现在", field="paid_at")
    with transaction.atomic():
        a = _lock_assignment(assignment)
        if a.checked_in_at and paid_at < a.checked_in_at - dt.timedelta(days=1):
            raise InvalidInput("付款时间早于开工时间", field="paid_at")
        if a.hours_worked:
            floor = (a.hours_worked * minimum_hourly()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if amount < floor:
                raise InvalidInput(f"实付 {amount} 元低于最低工资（{a.hours_worked} 小时 × {minimum_hourly()} 元 = {floor} 元）",
                                   field="amount")
        a.pay_amount, a.pay_method, a.paid_at = amount, method, paid_at
        a.worker_confirmed_at = None
        _move(a, to=S.PAID, actor=actor, allowed=(S.CHECKED_OUT, S.DISPUTED),
              fields=("pay_amount", "pay_method", "paid_at", "worker_confirmed_at"),
              reason=f"{PayMethod(method).label} {amount} 元")
        notify(user=a.worker.user, phone=a.worker.phone, order=a.order,
               text=f"【红娘零工】雇主登记已付您 {amount} 元（{PayMethod(method).label}）。"
                    f"请在“我的零工”确认收到，或提出异议。")
    return a


def pay_confirm(*, actor, assignment: GigAssignment) -> GigAssignment:
    """The worker confirms the money arrived: settled, and any arrears alert on it is resolved."""
    require_worker_self(actor, assignment)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        a.worker_confirmed_at = _now()
        _move(a, to=S.SETTLED, actor=actor, allowed=(S.PAID,), fields=("worker_confirmed_at",))
        _resolve_alerts_for(a, actor=actor, resolution="工人已确认收款")
    return a


def pay_dispute(*, actor, assignment: GigAssignment, reason: str) -> GigAssignment:
    require_worker_self(actor, assignment)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请说明哪里不对，例如：少给了 50 元", field="reason")
    with transaction.atomic():
        a = _lock_assignment(assignment)
        a.dispute_reason = reason[:200]
        _move(a, to=S.DISPUTED, actor=actor, allowed=(S.PAID, S.CHECKED_OUT), fields=("dispute_reason",),
              reason=reason)
        notify(user=_employer_user(a.order), phone=a.order.contact_phone, order=a.order,
               text=f"【红娘零工】{a.worker.masked_name} 对工钱有异议：{reason[:60]}。请尽快处理。")
    return a


# --------------------------------------------------------------------------------------------- arrears

def _resolve_alerts_for(a: GigAssignment, *, actor, resolution: str) -> int:
    return ArrearsAlert.objects.filter(assignment=a, resolved_at__isnull=True).update(
        resolved_at=_now(), resolved_by=actor if getattr(actor, "is_authenticated", False) else None,
        resolution=resolution[:200])


def overdue_assignments(now: dt.datetime | None = None):
    """Assignments whose pay was due (check-out + GIG_ARREARS_HOURS) but is not settled and that never had
    an alert (an alert is raised once; the bureau follows it up until it is resolved)."""
    now = now or _now()
    deadline = now - dt.timedelta(hours=arrears_hours())
    from .models import UNSETTLED_ASSIGNMENT

    return (GigAssignment.objects.filter(status__in=UNSETTLED_ASSIGNMENT, checked_out_at__lte=deadline)
            .exclude(pk__in=ArrearsAlert.objects.values("assignment_id"))
            .select_related("order", "order__employer", "worker").order_by("checked_out_at", "pk"))


def arrears_raise(*, assignment: GigAssignment, now: dt.datetime | None = None) -> ArrearsAlert | None:
    """Raise one alert for an overdue assignment (idempotent: None if one is already open)."""
    now = now or _now()
    a = assignment
    reason = {S.CHECKED_OUT: "签退后超时未登记付款", S.PAID: "已登记付款但工人超时未确认收到",
              S.DISPUTED: "工钱有争议，超时未解决"}.get(a.status, "工钱未结清")
    try:
        with transaction.atomic():
            alert = ArrearsAlert.objects.create(assignment=a, order=a.order, employer=a.order.employer,
                                                raised_at=now, reason=reason)
    except IntegrityError:
        return None
    notify(user=_employer_user(a.order), phone=a.order.contact_phone, order=a.order,
           text=f"【红娘零工】欠薪预警：{a.order.date:%m月%d日}{a.order.get_work_type_display()}，"
                f"{a.worker.masked_name} 的工钱{reason}。处理前不能发布新订单。")
    notify(user=a.worker.user, order=a.order, sms=False,
           text="【红娘零工】您的工钱已超时未结清，已报人社局跟进。")
    return alert


def arrears_resolve(*, actor, alert: ArrearsAlert, resolution: str) -> ArrearsAlert:
    """Bureau staff close an alert with a reason (e.g. paid in cash, confirmed by phone)."""
    if not roles.is_bureau(actor):
        raise PermissionDeniedError("只有人社局工作人员可以处理欠薪预警")
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput("请填写处理结果", field="resolution")
    with transaction.atomic():
        alert = ArrearsAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.resolved_at:
            raise Conflict("该预警已处理")
        alert.resolved_at, alert.resolved_by, alert.resolution = _now(), actor, resolution[:200]
        alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit(actor=actor, action="gigs.arrears_resolve", target=alert, reason=resolution)
    return alert


# ---------------------------------------------------------------------------------------------- rating

def rate(*, actor, assignment: GigAssignment, stars: int, comment: str = "") -> Rating:
    """Both sides rate each other once the work is done (checked out) or the worker did not show."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        raise InvalidInput("请选择 1 到 5 颗星", field="stars") from None
    if not 1 <= stars <= 5:
        raise InvalidInput("请选择 1 到 5 颗星", field="stars")
    w = worker_of(actor)
    if w is not None and w.pk == assignment.worker_id:
        direction = RatingDirection.WORKER_TO_EMPLOYER
        allowed = (S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED)
    elif can_manage_order(actor, assignment.order):
        direction = RatingDirection.EMPLOYER_TO_WORKER
        allowed = (S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED, S.NO_SHOW)
    else:
        raise PermissionDeniedError("只有参与这次派工的双方可以评价")
    if assignment.status not in allowed:
        raise Conflict("干完活后才能评价", code="invalid_transition")
    try:
        with transaction.atomic():
            return Rating.objects.create(assignment=assignment, order=assignment.order, direction=direction,
                                         from_user=actor, worker=assignment.worker,
                                         employer=assignment.order.employer, stars=stars,
                                         comment=(comment or "").strip()[:200])
    except IntegrityError:
        raise Conflict("您已经评价过了", code="already_rated") from None


# -------------------------------------------------------------------------------------------- matching

def notify_candidates(*, actor, order: GigOrder, limit: int = 20) -> int:
    """Tell the best-matching free workers about an open order (inbox + SMS outbox)."""
    require_manager(actor, order)
    if order.status != OrderStatus.OPEN:
        raise Conflict("该订单已不再招人", code="order_not_open")
    from .selectors import candidates

    found = candidates(order, limit=limit)
    with transaction.atomic():
        for c in found:
            notify(user=c.worker.user, phone=c.worker.phone, order=order,
                   text=f"【红娘零工】{order.date:%m月%d日} {order.start_time:%H:%M} 附近有{order.get_work_type_display()}的活，"
                        f"{order.pay_label}，{order.region.full_name}。打开红娘零工报名。")
    return len(found)
