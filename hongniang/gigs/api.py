"""/api/v1/gigs: the gig market. Same services as the pages. Anything with personal data needs
authentication (401 otherwise); the open-order list and order detail are public without contacts."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hongniang.core import roles
from hongniang.core.apiauth import AUTH, optional_user
from hongniang.core.audit import audit
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.core.paging import MAX_PAGE
from hongniang.core.throttle import client_ip
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region, ServicePoint
from hongniang.notifications.phone_codes import phone_code_send

from . import selectors, services
from .models import ArrearsAlert, GigAssignment, GigEmployer, GigNotice, GigOrder, GigWorker, WorkType
from .permissions import may_see_worker_record
from .present import assignment_dict, order_dict
from .schemas import (
    ArrearsOut,
    ArrearsResolveIn,
    AssignmentOut,
    AvailabilityIn,
    CheckOutIn,
    EmployerOut,
    GigCandidateOut,
    GigPhoneCodeIn,
    GigReasonIn,
    GigSignupIn,
    IndividualEmployerIn,
    NoticeOut,
    OrderIn,
    OrderOut,
    OrderPage,
    PayIn,
    RateIn,
    RecordOut,
    RehireIn,
    ScanIn,
    WorkerIn,
    WorkerOut,
    WorkerPatch,
)

PREFIX = "/gigs"
router = Router(tags=["零工超市"])


def _optional_user(request: HttpRequest):
    """Public endpoints still recognise a session or bearer token (to show the caller's own assignment)."""
    user = optional_user(request)
    return user if getattr(user, "is_authenticated", False) else None


def _order(order_id: int) -> GigOrder:
    o = GigOrder.objects.select_related("employer", "region__parent", "township").filter(pk=order_id).first()
    if o is None:
        raise NotFoundError(_("找不到该订单"))
    return o


def _assignment(assignment_id: int) -> GigAssignment:
    a = (GigAssignment.objects.select_related("order", "order__employer", "order__region", "order__township",
                                              "worker").filter(pk=assignment_id).first())
    if a is None:
        raise NotFoundError(_("找不到该派工"))
    return a


def _visible_assignment(user, assignment_id: int) -> GigAssignment:
    """404 for people who have nothing to do with it (do not reveal it exists)."""
    a = _assignment(assignment_id)
    w = services.worker_of(user)
    if (w is not None and w.pk == a.worker_id) or services.can_manage_order(user, a.order):
        return a
    raise NotFoundError(_("找不到该派工"))


def _out(user, a: GigAssignment, order: GigOrder | None = None) -> dict:
    """The assignment as its API answer. With `order` (the assignment's order, loaded with its place and employer
    before a write that returned `a`) the place is taken from it instead of reading everything again."""
    if order is not None and a.order_id == order.pk and a.order.region_id == order.region_id:
        a.order.region, a.order.township = order.region, order.township
    else:
        a = _assignment(a.pk)
    w = services.worker_of(user)
    return assignment_dict(a, as_manager=services.can_manage_order(user, a.order),
                           as_worker=w is not None and w.pk == a.worker_id, with_order=True, user=user)


def _region(code: str | None, field: str) -> Region | None:
    if not code:
        return None
    r = Region.objects.filter(pk=code).first()
    if r is None:
        raise InvalidInput(_("找不到该乡镇或村"), field=field)
    return r


def _my_worker(user) -> GigWorker:
    w = services.worker_of(user)
    if w is None:
        raise NotFoundError(_("您还没有登记为零工"), code="not_a_worker")
    return w


# ----------------------------------------------------------------------------------------------- orders

@router.get("/orders", response=OrderPage, summary="招人中的零工订单（有位置时由近到远，再按时间先后）")
def list_orders(request: HttpRequest, work_type: str | None = None, date: dt.date | None = None,
                township: str | None = None, lat: float | None = Query(None, ge=-90, le=90),
                lon: float | None = Query(None, ge=-180, le=180), page: int = Query(1, ge=1, le=MAX_PAGE),
                page_size: int = Query(20, ge=1, le=100)):
    if work_type and work_type not in WorkType.values:
        raise InvalidInput(_("工种不在列表中"), field="work_type")
    town = _region(township, "township")
    orders = selectors.open_orders(work_type=work_type or "", date=date, township=town, lat=lat, lon=lon)
    start = (page - 1) * page_size
    return {"items": [order_dict(o, manager=False) for o in orders[start:start + page_size]], "count": len(orders)}


@router.get("/orders/{int:order_id}", response=OrderOut, summary="订单详情（联系电话仅对已录用工人和雇主显示）")
def get_order(request: HttpRequest, order_id: int):
    user = _optional_user(request)
    o = _order(order_id)
    w = services.worker_of(user)
    mine = GigAssignment.objects.filter(order=o, worker=w).first() if w else None
    manager = services.can_manage_order(user, o) if user else False
    if o.status not in ("open", "filled", "in_progress") and not manager and mine is None:
        # finished orders stay visible (references, figures) but without contacts
        pass
    return order_dict(o, user=user, manager=manager, mine=mine)


def _resolve_employer(user, body: OrderIn) -> GigEmployer:
    if body.employer_id:
        emp = GigEmployer.objects.select_related("enterprise").filter(pk=body.employer_id).first()
        if emp is None:
            raise InvalidInput(_("找不到该雇主"), field="employer_id")
        return emp
    if body.enterprise_id:
        ent = Enterprise.objects.filter(pk=body.enterprise_id).first()
        if ent is None:
            raise InvalidInput(_("找不到该单位"), field="enterprise_id")
        if not (roles.is_enterprise_hr(user, ent.pk) or roles.is_staff_member(user) or roles.is_bureau(user)):
            raise PermissionDeniedError(_("只能为自己的单位发布订单"))
        return services.employer_for_enterprise(enterprise=ent)
    mine = services.employer_ids_for(user)
    ents = roles.enterprise_ids(user)
    if len(mine) == 1 and len(ents) <= 1:
        return GigEmployer.objects.select_related("enterprise").get(pk=mine[0])
    if not mine and len(ents) == 1:
        return services.employer_for_enterprise(enterprise=Enterprise.objects.get(pk=ents[0]))
    raise InvalidInput(_("请指定雇主（employer_id 或 enterprise_id）"), field="employer_id")


@router.post("/orders", response={201: OrderOut}, auth=AUTH, summary="发布零工订单（雇主，或工作人员代发）")
def create_order(request: HttpRequest, body: OrderIn):
    user = request.auth
    employer = _resolve_employer(user, body)
    data = body.model_dump(exclude={"employer_id", "enterprise_id", "region_code"})
    region = _region(body.region_code, "region_code")
    if region is None:
        raise InvalidInput(_("请选择乡镇或村"), field="region_code")
    o = services.order_create(actor=user, employer=employer, region=region, **data)
    return Status(201, order_dict(_order(o.pk), user=user, manager=True))


@router.post("/orders/{int:order_id}/cancel", response=OrderOut, auth=AUTH, summary="取消订单")
def cancel_order(request: HttpRequest, order_id: int, body: GigReasonIn):
    o = services.order_cancel(actor=request.auth, order=_order(order_id), reason=body.reason)
    return order_dict(_order(o.pk), user=request.auth)


@router.post("/orders/{int:order_id}/start", response=OrderOut, auth=AUTH, summary="开工")
def start_order(request: HttpRequest, order_id: int):
    o = services.order_start(actor=request.auth, order=_order(order_id))
    return order_dict(_order(o.pk), user=request.auth)


@router.post("/orders/{int:order_id}/complete", response=OrderOut, auth=AUTH, summary="完工")
def complete_order(request: HttpRequest, order_id: int):
    o = services.order_complete(actor=request.auth, order=_order(order_id))
    return order_dict(_order(o.pk), user=request.auth)


@router.get("/orders/{int:order_id}/assignments", response=list[AssignmentOut], auth=AUTH,
            summary="订单的报名和派工（雇主/工作人员）；录用前手机号打码")
def order_assignments(request: HttpRequest, order_id: int):
    o = _order(order_id)
    services.require_manager(request.auth, o)
    rows = list(selectors.order_assignments(o))
    if any(r.status != "signed_up" for r in rows):
        audit(actor=request.auth, action="gigs.view_workers", target=o)
    return [assignment_dict(a, as_manager=True) for a in rows]


@router.post("/orders/{int:order_id}/signup", response={201: AssignmentOut}, auth=AUTH,
             summary="报名（工人本人；工作人员可代报名 worker_id）")
def signup(request: HttpRequest, order_id: int, body: GigSignupIn):
    worker = None
    if body.worker_id:
        worker = GigWorker.objects.filter(pk=body.worker_id).first()
        if worker is None:
            raise InvalidInput(_("找不到该工人"), field="worker_id")
    order = _order(order_id)
    a = services.signup(actor=request.auth, order=order, worker=worker)
    return Status(201, _out(request.auth, a, order))


@router.get("/orders/{int:order_id}/candidates", response=list[GigCandidateOut], auth=AUTH,
            summary="为订单匹配的工人（当天有空、离得近、会这活、记录好）")
def order_candidates(request: HttpRequest, order_id: int, limit: int = Query(30, ge=1, le=100)):
    o = _order(order_id)
    services.require_manager(request.auth, o)
    return [{"worker_id": c.worker.pk, "name": c.worker.masked_name, "distance_km": c.distance_km,
             "score": c.score, "reasons": c.reasons, "completed": c.worker.completed_count,
             "no_shows": c.worker.no_show_count, "stars": c.stars} for c in selectors.candidates(o, limit=limit)]


@router.post("/orders/{int:order_id}/notify-candidates", auth=AUTH, summary="通知匹配的工人（站内信 + 短信）")
def notify_candidates(request: HttpRequest, order_id: int):
    n = services.notify_candidates(actor=request.auth, order=_order(order_id))
    return {"notified": n}


@router.get("/orders/{int:order_id}/checkin-url", auth=AUTH, summary="签到二维码的链接（雇主/工作人员）")
def checkin_url(request: HttpRequest, order_id: int):
    o = _order(order_id)
    services.require_manager(request.auth, o)
    from django.urls import reverse

    token = services.checkin_token(o)
    return {"url": request.build_absolute_uri(reverse("gigs:checkin", args=[token])), "token": token,
            "svg": request.build_absolute_uri(reverse("gigs:order_qr", args=[o.pk]))}


@router.post("/checkin", response=AssignmentOut, auth=AUTH, summary="扫码签到/签退（第一次签到，第二次签退）")
def scan(request: HttpRequest, body: ScanIn):
    return _out(request.auth, services.scan(actor=request.auth, token=body.token))


# ------------------------------------------------------------------------------------------ assignments

@router.get("/assignments/{int:assignment_id}", response=AssignmentOut, auth=AUTH, summary="派工详情")
def get_assignment(request: HttpRequest, assignment_id: int):
    return _out(request.auth, _visible_assignment(request.auth, assignment_id))


def _act(name: str, summary: str, fn):
    @router.post(f"/assignments/{{int:assignment_id}}/{name}", response=AssignmentOut, auth=AUTH, summary=summary,
                 operation_id=f"gigs_assignment_{name.replace('-', '_')}")
    def _view(request: HttpRequest, assignment_id: int):
        a = _visible_assignment(request.auth, assignment_id)
        return _out(request.auth, fn(actor=request.auth, assignment=a))

    return _view


_act("confirm", "录用（雇主/工作人员）", services.confirm)
_act("accept", "接受雇主的再次邀请（工人）", services.accept_invite)
_act("check-in", "现场签到（雇主/服务台工作人员确认）", services.check_in)
_act("no-show", "标记未到岗", services.mark_no_show)
_act("pay/confirm", "确认收到工钱（工人）", services.pay_confirm)


@router.post("/assignments/{int:assignment_id}/reject", response=AssignmentOut, auth=AUTH, summary="不录用")
def reject(request: HttpRequest, assignment_id: int, body: GigReasonIn):
    a = _visible_assignment(request.auth, assignment_id)
    return _out(request.auth, services.reject(actor=request.auth, assignment=a, reason=body.reason))


@router.post("/assignments/{int:assignment_id}/cancel", response=AssignmentOut, auth=AUTH,
             summary="取消（工人本人退出，或雇主取消该工人）")
def cancel(request: HttpRequest, assignment_id: int, body: GigReasonIn):
    user = request.auth
    a = _visible_assignment(user, assignment_id)
    w = services.worker_of(user)
    if w is not None and w.pk == a.worker_id:
        a = services.cancel_by_worker(actor=user, assignment=a, reason=body.reason)
    else:
        a = services.cancel_by_employer(actor=user, assignment=a, reason=body.reason)
    return _out(user, a)


@router.post("/assignments/{int:assignment_id}/check-out", response=AssignmentOut, auth=AUTH,
             summary="现场签退，可填工时")
def check_out(request: HttpRequest, assignment_id: int, body: CheckOutIn):
    a = _visible_assignment(request.auth, assignment_id)
    return _out(request.auth, services.check_out(actor=request.auth, assignment=a, hours=body.hours))


@router.post("/assignments/{int:assignment_id}/pay", response=AssignmentOut, auth=AUTH,
             summary="登记付款（现金/转账、金额、时间）")
def pay(request: HttpRequest, assignment_id: int, body: PayIn):
    a = _visible_assignment(request.auth, assignment_id)
    return _out(request.auth, services.pay_record(actor=request.auth, assignment=a, amount=body.amount,
                                                  method=body.method, paid_at=body.paid_at))


@router.post("/assignments/{int:assignment_id}/pay/dispute", response=AssignmentOut, auth=AUTH,
             summary="对工钱提出异议（工人）")
def pay_dispute(request: HttpRequest, assignment_id: int, body: GigReasonIn):
    a = _visible_assignment(request.auth, assignment_id)
    return _out(request.auth, services.pay_dispute(actor=request.auth, assignment=a, reason=body.reason))


@router.post("/assignments/{int:assignment_id}/rate", response={201: dict}, auth=AUTH, summary="评价对方（1–5 星）")
def rate(request: HttpRequest, assignment_id: int, body: RateIn):
    a = _visible_assignment(request.auth, assignment_id)
    r = services.rate(actor=request.auth, assignment=a, stars=body.stars, comment=body.comment)
    return Status(201, {"id": r.pk, "direction": r.direction, "stars": r.stars})


# ---------------------------------------------------------------------------------------------- workers

def _worker_out(w: GigWorker) -> dict:
    today = timezone.localdate()
    return {"id": w.pk, "name": w.name, "phone": w.phone, "work_types": w.work_types,
            "home_region_code": w.home_region_id, "max_distance_km": w.max_distance_km,
            "completed": w.completed_count, "no_shows": w.no_show_count, "late_cancels": w.late_cancel_count,
            "available_dates": list(w.availability.filter(date__gte=today).values_list("date", flat=True))}


@router.post("/workers", response={201: WorkerOut}, auth=AUTH,
             summary="登记零工（本人：手机号+姓名；工作人员可代登记）")
def create_worker(request: HttpRequest, body: WorkerIn):
    user = request.auth
    points = roles.service_point_ids(user)
    point = None
    if points:
        point = ServicePoint.objects.get(pk=points[0])
    w = services.worker_quick_signup(actor=user, name=body.name, phone=body.phone, work_types=body.work_types,
                                     home_region=_region(body.home_region_code, "home_region_code"),
                                     service_point=point, code=body.code,
                                     account_phone=body.use_account_phone)
    return Status(201, _worker_out(w))


@router.get("/me/worker", response=WorkerOut, auth=AUTH, summary="我的零工资料")
def my_worker(request: HttpRequest):
    return _worker_out(_my_worker(request.auth))


@router.patch("/me/worker", response=WorkerOut, auth=AUTH, summary="修改会做的活、住址、最远距离")
def update_my_worker(request: HttpRequest, body: WorkerPatch):
    w = _my_worker(request.auth)
    services.worker_update(actor=request.auth, worker=w, work_types=body.work_types,
                           home_region=_region(body.home_region_code, "home_region_code"),
                           max_distance_km=body.max_distance_km)
    return _worker_out(w)


@router.put("/me/availability", response=WorkerOut, auth=AUTH, summary="设置有空的日期（替换今天以后的）")
def set_availability(request: HttpRequest, body: AvailabilityIn):
    w = _my_worker(request.auth)
    services.availability_set(actor=request.auth, worker=w, dates=body.dates)
    return _worker_out(w)


@router.get("/me/assignments", response=list[AssignmentOut], auth=AUTH, summary="我的零工（报名、录用、工钱）")
def my_assignments(request: HttpRequest):
    w = _my_worker(request.auth)
    rows = selectors.worker_assignments(w).select_related("order__township", "worker")
    return [assignment_dict(a, as_manager=False, as_worker=True, with_order=True) for a in rows[:200]]


@router.get("/me/notices", response=list[NoticeOut], auth=AUTH, summary="我的零工消息")
def my_notices(request: HttpRequest):
    return list(GigNotice.objects.filter(user=request.auth, channel="inbox")[:100])


@router.get("/me/orders", response=list[OrderOut], auth=AUTH, summary="我发布的订单（雇主）/ 本站点代发的订单")
def my_orders(request: HttpRequest):
    user = request.auth
    qs = selectors.employer_orders(services.employer_ids_for(user)).select_related("township")
    rows = list(qs[:200])
    if roles.service_point_ids(user):
        seen = {o.pk for o in rows}
        rows += [o for o in selectors.staff_orders(roles.service_point_ids(user)).select_related("township")[:200]
                 if o.pk not in seen]
    return [order_dict(o, manager=True) for o in rows]


@router.get("/workers/{int:worker_id}/record", response=RecordOut, auth=AUTH,
            summary="工人的零工记录（可作推荐参考；姓名打码）")
def worker_record(request: HttpRequest, worker_id: int):
    w = GigWorker.objects.filter(pk=worker_id).first()
    if w is None or not may_see_worker_record(request.auth, w):
        raise NotFoundError(_("找不到该工人"))
    r = selectors.worker_record(w)
    return r.__dict__


@router.post("/workers/{int:worker_id}/rehire", response={201: AssignmentOut}, auth=AUTH,
             summary="一键再次雇用（邀请到一张招人中的订单）")
def rehire(request: HttpRequest, worker_id: int, body: RehireIn):
    w = GigWorker.objects.filter(pk=worker_id).first()
    if w is None:
        raise NotFoundError(_("找不到该工人"))
    a = services.rehire(actor=request.auth, order=_order(body.order_id), worker=w)
    return Status(201, _out(request.auth, a))


# -------------------------------------------------------------------------------------------- employers

@router.post("/phone-codes", auth=AUTH, summary="发送手机验证码（个人雇主验证）")
def phone_code(request: HttpRequest, body: GigPhoneCodeIn):
    phone_code_send(phone=body.phone, purpose=services.EMPLOYER_CODE_PURPOSE, ip=client_ip(request),
                    actor=request.auth)
    return {"sent": True}


@router.post("/employers/individual", response={201: EmployerOut}, auth=AUTH,
             summary="登记个人雇主（本人凭验证码；工作人员可核验代登记）")
def register_individual(request: HttpRequest, body: IndividualEmployerIn):
    e = services.individual_employer_register(actor=request.auth, name=body.name, phone=body.phone, code=body.code,
                                              region=_region(body.region_code, "region_code"))
    return Status(201, {"id": e.pk, "name": e.name, "individual": True, "blocked": e.is_blocked,
                 "late_cancels": e.late_cancel_count})


@router.get("/me/employers", response=list[EmployerOut], auth=AUTH, summary="我可以代表的零工雇主")
def my_employers(request: HttpRequest):
    return [{"id": e.pk, "name": e.name, "individual": e.is_individual, "blocked": e.is_blocked,
             "late_cancels": e.late_cancel_count}
            for e in selectors.my_employers(request.auth)]


# ------------------------------------------------------------------------------------ bureau: arrears

def _require_bureau(user):
    roles.require_bureau(user, _("只有人社局工作人员可以查看"))


def _arrears_out(al: ArrearsAlert) -> dict:
    return {"id": al.pk, "order_id": al.order_id, "assignment_id": al.assignment_id, "employer_id": al.employer_id,
            "employer": al.employer.name, "worker_name": al.assignment.worker.masked_name, "raised_at": al.raised_at,
            "reason": al.reason, "resolved_at": al.resolved_at, "resolution": al.resolution}


@router.get("/arrears", response=list[ArrearsOut], auth=AUTH, summary="欠薪预警（人社局）")
def arrears(request: HttpRequest, open_only: bool = True):
    _require_bureau(request.auth)
    qs = selectors.open_arrears() if open_only else ArrearsAlert.objects.select_related(
        "employer", "assignment__worker").order_by("-raised_at")
    return [_arrears_out(a) for a in qs[:500]]


@router.post("/arrears/{int:alert_id}/resolve", response=ArrearsOut, auth=AUTH, summary="处理欠薪预警（人社局）")
def resolve_arrears(request: HttpRequest, alert_id: int, body: ArrearsResolveIn):
    _require_bureau(request.auth)
    al = ArrearsAlert.objects.filter(pk=alert_id).first()
    if al is None:
        raise NotFoundError(_("找不到该预警"))
    al = services.arrears_resolve(actor=request.auth, alert=al, resolution=body.resolution)
    return _arrears_out(ArrearsAlert.objects.select_related("employer", "assignment__worker").get(pk=al.pk))


@router.get("/figures", auth=AUTH, summary="零工数据：订单、工人、工时、已结工钱、未处理欠薪（按天、按乡镇）")
def figures(request: HttpRequest, date_from: dt.date | None = None, date_to: dt.date | None = None):
    user = request.auth
    if not (roles.is_bureau(user) or roles.is_staff_member(user)):
        raise PermissionDeniedError(_("只有人社局和站点工作人员可以查看"))
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date_to - dt.timedelta(days=29)
    if date_from > date_to:
        raise InvalidInput(_("开始日期不能晚于结束日期"), field="date_from")
    if (date_to - date_from).days > 366:
        raise InvalidInput(_("最多查询一年"), field="date_from")
    data = selectors.figures(date_from=date_from, date_to=date_to)
    return _jsonable(data)


def _jsonable(value):
    from decimal import Decimal

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
