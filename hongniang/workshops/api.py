"""/api/v1/workshops (the public list of village workshops; registering one and its workers),
/api/v1/outsourcing/orders (the enterprise's orders, offers, handovers, pieces and wages) and
/api/v1/outsourcing/arrears (arrears alerts: the bureau, and staff for their townships). Same services and
selectors as the pages; errors are {code, message, errors}."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hongniang.core import roles
from hongniang.core.apiauth import AUTH
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region

from . import ledger, selectors, services
from .models import Share, WageArrearsAlert, WageLine, Workshop
from .permissions import can_manage_order, can_see_workshop, owned_workshop_ids
from .present import arrears_dict, handover_dict, order_dict, piece_dict, share_dict, wage_dict, worker_dict
from .schemas import (
    AcceptIn,
    DeclineIn,
    OfferIn,
    OutsourcingOrderIn,
    PiecesIn,
    RetrialIn,
    ShareActIn,
    WageActIn,
    WageReceiptCodeIn,
    WageReceiptInPersonIn,
    WorkshopArrearsOut,
    WorkshopArrearsPage,
    WorkshopArrearsResolveIn,
    WorkshopIn,
    WorkshopPage,
    WorkshopWorkerIn,
)

PREFIX = ""
router = Router(tags=["社区工厂"])
MAX_LIMIT = 200


def _limit(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("limit 应在 1 到 %(max)s 之间") % {"max": MAX_LIMIT}, field="limit")
    return limit, max(0, offset)


# ------------------------------------------------------------------------------------------------ workshops

@router.get("/workshops", response=WorkshopPage, summary="社区工厂列表（公开：名称、乡镇、位置、会做的活、空闲产能；无个人信息）")
def workshop_list(request, township: str = "", skill: str = "", q: str = "", limit: int = 50, offset: int = 0):
    limit, offset = _limit(limit, offset)
    rows = selectors.public_workshops(township=township, skill=skill, q=q)
    page = rows[offset:offset + limit]
    return {"items": selectors.public_dicts(page), "count": len(rows)}


@router.post("/workshops", auth=AUTH, response={201: dict}, summary="登记社区工厂（乡镇就业之家工作人员；企业登记本企业车间）")
def workshop_register(request, data: WorkshopIn):
    ent = None
    if data.enterprise_id is not None:
        ent = Enterprise.objects.filter(pk=data.enterprise_id).first()
        if ent is None:
            raise InvalidInput(_("找不到该企业"), field="enterprise_id")
    ws = services.workshop_register(
        actor=request.user, name=data.name, region=data.region, kind=data.kind, owner_name=data.owner_name,
        owner_phone=data.owner_phone, owner_enterprise=ent, stations=data.stations, usual_hours=data.usual_hours,
        hours_per_day=data.hours_per_day, skills=data.skills, skills_text=data.skills_text,
        equipment=data.equipment, address=data.address)
    return Status(201, selectors.public_dicts([ws])[0] | {"kind": ws.kind, "status": ws.status})


@router.get("/workshops/{workshop_id}/workers", auth=AUTH, summary="车间的工人（车间负责人、所在乡镇工作人员、人社局）")
def workshop_workers(request, workshop_id: int):
    ws = selectors.workshop_for(request.user, workshop_id)
    rows = selectors.workers_of(request.user, ws)
    return {"items": [worker_dict(w) for w in rows], "count": len(rows)}


@router.post("/workshops/{workshop_id}/workers", auth=AUTH, response={201: dict}, summary="添加工人（含居家工人挂靠车间）")
def workshop_worker_add(request, workshop_id: int, data: WorkshopWorkerIn):
    ws = selectors.workshop_for(request.user, workshop_id)
    region = Region.objects.filter(pk=data.home_region).first() if data.home_region else None
    w = services.worker_add(actor=request.user, workshop=ws, name=data.name, phone=data.phone, home_region=region)
    return Status(201, worker_dict(w))


# --------------------------------------------------------------------------------------------------- orders

def _order(request, order_id: int):
    return selectors.order_for(request.user, order_id)


def _order_detail(request, order) -> dict:
    user = request.user
    shares = list(selectors.shares_of(user, order))
    bal = ledger.balances_by_share(s.pk for s in shares)
    total = ledger.Balance()
    for b in bal.values():
        total.out, total.back, total.reject = total.out + b.out, total.back + b.back, total.reject + b.reject
    return order_dict(order, user) | {
        "shares": [share_dict(s, user, bal.get(s.pk, ledger.Balance())) for s in shares],
        "balance": total.as_dict(), "median_hourly": ledger.median_hourly(order)}


@router.post("/outsourcing/orders", auth=AUTH, response={201: dict},
             summary="发布外发订单（试做至少 5 人；单价不得低于公平最低单价 = 每小时最低工资 ÷（试做平均件数/小时 ÷ 1.2））")
def order_create(request, data: OutsourcingOrderIn):
    ents = roles.enterprise_ids(request.user)
    ent_id = data.enterprise_id or (ents[0] if len(ents) == 1 else None)
    if ent_id is None:
        raise InvalidInput(_("请指定企业（enterprise_id）"), field="enterprise_id")
    ent = Enterprise.objects.filter(pk=ent_id).first()
    if ent is None:
        raise NotFoundError(_("找不到该企业"))
    order = services.order_create(
        actor=request.user, enterprise=ent, product=data.product, process=data.process, occupation=data.occupation,
        quantity=data.quantity, piece_rate=data.piece_rate, quality_standard=data.quality_standard,
        allowed_reject_rate=data.allowed_reject_rate, deadline=data.deadline, materials=data.materials,
        splittable=data.splittable, trial_workers=data.trial_workers,
        trial_pieces_per_hour=data.trial_pieces_per_hour, wage_days=data.wage_days)
    return Status(201, _order_detail(request, order))


@router.get("/outsourcing/orders", auth=AUTH, summary="我能看到的外发订单（企业：本企业的；车间：派给本车间的；工作人员：本乡镇车间参与的；人社局：全部）")
def order_list(request, status: str = "", limit: int = 50, offset: int = 0):
    limit, offset = _limit(limit, offset)
    qs = selectors.orders_for(request.user, status=status)
    rows = list(qs[offset:offset + limit])
    return {"items": [order_dict(o, request.user) for o in rows], "count": qs.count()}


@router.get("/outsourcing/orders/{order_id}", auth=AUTH, summary="外发订单详情：各车间分单、料账、实际时薪中位数")
def order_detail(request, order_id: int):
    return _order_detail(request, _order(request, order_id))


@router.get("/outsourcing/orders/{order_id}/candidates", auth=AUTH,
            summary="适合的车间（按距离、技能、空闲产能、履约记录排序；发单企业与人社局）")
def order_candidates(request, order_id: int, township: str = "", limit: int = 20):
    order = _order(request, order_id)
    if not can_manage_order(request.user, order):
        raise PermissionDeniedError(_("只有发单企业可以查看推荐车间"))
    rows = selectors.rank_workshops(order, limit=min(max(1, limit), 100), township=township)
    return {"items": [{"workshop_id": r["workshop"].pk, "name": r["workshop"].name,
                       "township_name": r["workshop"].township.name if r["workshop"].township_id else "",
                       "distance_km": r["distance_km"], "skill": r["skill"],
                       "skill_label": selectors.skill_label(r["skill"]), "capacity": r["capacity"],
                       "record": r["record"], "on_time_rate": r["on_time_rate"], "reject_rate": r["reject_rate"],
                       "free_pieces": r["free_pieces"], "score": r["score"]} for r in rows], "count": len(rows)}


@router.post("/outsourcing/orders/{order_id}/offer", auth=AUTH, summary="把订单（的一部分）派给车间")
def order_offer(request, order_id: int, data: OfferIn):
    order = _order(request, order_id)
    ids = [o.workshop_id for o in data.offers]
    found = {w.pk: w for w in Workshop.objects.filter(pk__in=ids)}
    if set(ids) - set(found):
        raise InvalidInput(_("找不到车间：%(ids)s") % {"ids": "、".join(str(i) for i in sorted(set(ids) - set(found)))},
                           field="offers")
    shares = services.order_offer(actor=request.user, order=order,
                                  offers=[(found[o.workshop_id], o.quantity) for o in data.offers])
    return {"items": [share_dict(s, request.user) for s in shares], "count": len(shares)}


def _my_share(request, order, workshop_id: int | None) -> Share:
    shares = list(order.shares.select_related("workshop", "order").filter(
        workshop_id__in=owned_workshop_ids(request.user) if not workshop_id else [workshop_id]))
    shares = [s for s in shares if can_see_workshop(request.user, s.workshop)]
    if not shares:
        raise NotFoundError(_("该订单没有派给您的车间"))
    if len(shares) > 1:
        raise InvalidInput(_("您有多个车间接到此订单，请指定 workshop_id"), field="workshop_id")
    return shares[0]


@router.post("/outsourcing/orders/{order_id}/accept", auth=AUTH, summary="车间接单（可只接一部分，订单不可拆分时须全接）")
def order_accept(request, order_id: int, data: AcceptIn):
    order = _order(request, order_id)
    share = services.share_accept(actor=request.user, share=_my_share(request, order, data.workshop_id),
                                  quantity=data.quantity)
    return share_dict(share, request.user)


@router.post("/outsourcing/orders/{order_id}/decline", auth=AUTH, summary="车间谢绝派单")
def order_decline(request, order_id: int, data: DeclineIn):
    order = _order(request, order_id)
    share = services.share_decline(actor=request.user, share=_my_share(request, order, data.workshop_id),
                                   reason=data.reason)
    return share_dict(share, request.user)


SHARE_ACTIONS = {
    "start": lambda u, s, d: services.share_start(actor=u, share=s),
    "deliver": lambda u, s, d: services.share_deliver(actor=u, share=s, balance_reason=d.balance_reason or d.reason),
    "check": lambda u, s, d: services.share_check(actor=u, share=s),
    "pay": lambda u, s, d: services.share_pay(actor=u, share=s, amount=d.amount),
    "dispute": lambda u, s, d: services.share_dispute(actor=u, share=s, reason=d.reason),
    "resolve": lambda u, s, d: services.share_resolve(actor=u, share=s, resolution=d.reason),
    "cancel": lambda u, s, d: services.share_cancel(actor=u, share=s, reason=d.reason),
}


@router.post("/outsourcing/orders/{order_id}/shares/{share_id}/{action}", auth=AUTH,
             summary="分单操作：start 开工 / deliver 交货 / check 验收 / pay 结算 / dispute 争议 / resolve 处理争议 / cancel 取消")
def share_act(request, order_id: int, share_id: int, action: str, data: ShareActIn):
    order = _order(request, order_id)
    share = selectors.share_for(request.user, share_id)
    if share.order_id != order.pk:
        raise NotFoundError(_("找不到该分单"))
    if action not in SHARE_ACTIONS:
        raise NotFoundError(_("未知的操作"))
    share = SHARE_ACTIONS[action](request.user, share, data)
    return share_dict(share, request.user, ledger.share_balance(share))


@router.post("/outsourcing/orders/{order_id}/retrial", auth=AUTH,
             summary="登记重新试做（订单被标记后，发单企业）：至少 5 人计时试做的平均每小时件数和新单价；新单价不得低于"
                     "公平最低单价、不得低于原单价，并须让已记录件数的工人实际时薪中位数达到最低工资")
def order_retrial(request, order_id: int, data: RetrialIn):
    order = _order(request, order_id)
    order = services.order_retrial(actor=request.user, order=order, trial_workers=data.trial_workers,
                                   trial_pieces_per_hour=data.trial_pieces_per_hour, piece_rate=data.piece_rate,
                                   note=data.note)
    return _order_detail(request, order)


@router.post("/outsourcing/orders/{order_id}/cancel", auth=AUTH, summary="取消订单（须写原因）")
def order_cancel(request, order_id: int, data: ShareActIn):
    order = services.order_cancel(actor=request.user, order=_order(request, order_id), reason=data.reason)
    return order_dict(order, request.user)


# ------------------------------------------------------------------------------------------------ handovers

@router.get("/outsourcing/orders/{order_id}/handovers", auth=AUTH, summary="交接记录与料账（每个车间的发料、交回、次品、差额）")
def handover_list(request, order_id: int):
    order = _order(request, order_id)
    rows = selectors.handovers_of(request.user, order)
    bal = selectors.balances(request.user, order)
    return {"items": [handover_dict(h) for h in rows], "count": len(rows),
            "balances": [{"share_id": r["share"].pk, "workshop_name": r["share"].workshop.name,
                          **{k: v for k, v in r.items() if k != "share"}} for r in bal["shares"]],
            "total": bal["total"]}


def _body(request) -> tuple[dict, list]:
    """JSON, or a form (multipart with photos for rejects)."""
    ctype = request.content_type or ""
    if ctype.startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise InvalidInput(_("请求内容不是有效的 JSON")) from None
        if not isinstance(data, dict):
            raise InvalidInput(_("请求内容应为 JSON 对象"))
        return data, []
    return request.POST.dict(), request.FILES.getlist("photos")


@router.post("/outsourcing/orders/{order_id}/handovers", auth=AUTH, response={201: dict},
             summary="登记交接：kind=out 发料 / back 交回成品 / reject 次品退回（须原因和照片，multipart 的 photos）；"
                     "字段 share_id, kind, quantity, date, handed_by, reason",
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": {"type": "object", "properties": {
                     "share_id": {"type": "integer"}, "kind": {"type": "string", "enum": ["out", "back", "reject"]},
                     "quantity": {"type": "integer"}, "date": {"type": "string", "format": "date"},
                     "handed_by": {"type": "string"}, "reason": {"type": "string"}}}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "share_id": {"type": "integer"}, "kind": {"type": "string"}, "quantity": {"type": "integer"},
                     "date": {"type": "string"}, "handed_by": {"type": "string"}, "reason": {"type": "string"},
                     "photos": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
def handover_create(request: HttpRequest, order_id: int):
    order = _order(request, order_id)
    data, photos = _body(request)
    try:
        share_id = int(data.get("share_id"))
    except (TypeError, ValueError):
        raise InvalidInput(_("请指定分单（share_id）"), field="share_id") from None
    share = selectors.share_for(request.user, share_id)
    if share.order_id != order.pk:
        raise NotFoundError(_("找不到该分单"))
    h = services.handover_record(actor=request.user, share=share, kind=str(data.get("kind", "")),
                                 quantity=data.get("quantity"), date=data.get("date"),
                                 handed_by=str(data.get("handed_by", "") or ""), reason=str(data.get("reason", "") or ""),
                                 photos=photos)
    return Status(201, handover_dict(h) | {"balance": ledger.share_balance(share).as_dict()})


# --------------------------------------------------------------------------------------------------- pieces

@router.get("/outsourcing/orders/{order_id}/pieces", auth=AUTH, summary="计件记录（每人每天件数与工时）")
def piece_list(request, order_id: int, day: dt.date | None = Query(None)):
    order = _order(request, order_id)
    rows = selectors.pieces_of(request.user, order, day=day)
    return {"items": [piece_dict(p) for p in rows], "count": len(rows)}


@router.post("/outsourcing/orders/{order_id}/pieces", auth=AUTH, summary="登记某天所有工人的件数（全部成功或全部不写）")
def piece_record(request, order_id: int, data: PiecesIn):
    order = _order(request, order_id)
    share = selectors.share_for(request.user, data.share_id)
    if share.order_id != order.pk:
        raise NotFoundError(_("找不到该分单"))
    saved = services.pieces_record(actor=request.user, share=share, day=data.day,
                                   entries=[{"worker": e.worker_id, "pieces": e.pieces, "hours": e.hours}
                                            for e in data.entries])
    return {"items": [piece_dict(p) for p in saved], "count": len(saved)}


# ---------------------------------------------------------------------------------------------------- wages

@router.get("/outsourcing/orders/{order_id}/wages", auth=AUTH, summary="计件工钱（件数 × 单价；应发、已发、确认、异议）")
def wage_list(request, order_id: int):
    order = selectors.order_for_worker_or_viewer(request.user, order_id)
    rows = selectors.wages_of(request.user, order)
    return {"items": [wage_dict(w, request.user) for w in rows], "count": len(rows)}


def _wage(request, order_id: int, wage_id: int) -> WageLine:
    wage = (WageLine.objects.select_related("share", "share__workshop", "share__order", "worker")
            .filter(pk=wage_id, share__order_id=order_id).first())
    if wage is None or not (selectors.may_see_wage(request.user, wage)):
        raise NotFoundError(_("找不到这笔工钱"))
    return wage


@router.post("/outsourcing/orders/{order_id}/wages/{wage_id}/receipt/code", auth=AUTH, response={202: dict},
             summary="工人确认收到（没有账号的工人）：发验证码到工人本人手机（车间负责人、所在乡镇工作人员、人社局）；"
                     "验证码不在回答里，由工人念出")
def wage_receipt_code(request, order_id: int, wage_id: int):
    wage = _wage(request, order_id, wage_id)
    services.wage_receipt_code_send(actor=request.user, wage=wage)
    return Status(202, {"message": _("验证码已发到工人手机（%(phone)s），请让工人念出") % {
        "phone": wage.worker.masked_phone}})


@router.post("/outsourcing/orders/{order_id}/wages/{wage_id}/receipt/confirm", auth=AUTH,
             summary="工人确认收到：填工人念出的验证码（proof sms_code）；错误或过期 422 phone_code_invalid")
def wage_receipt_confirm(request, order_id: int, wage_id: int, data: WageReceiptCodeIn):
    wage = _wage(request, order_id, wage_id)
    wage = services.wage_confirm_by_code(actor=request.user, wage=wage, code=data.code)
    return wage_dict(wage, request.user)


@router.post("/outsourcing/orders/{order_id}/wages/{wage_id}/receipt/in-person", auth=AUTH,
             summary="工人当面确认（已核对身份证）：所在乡镇工作人员或人社局，note 必填（proof in_person_staff）；"
                     "车间负责人 403")
def wage_receipt_in_person(request, order_id: int, wage_id: int, data: WageReceiptInPersonIn):
    wage = _wage(request, order_id, wage_id)
    wage = services.wage_confirm_in_person(actor=request.user, wage=wage, note=data.note)
    return wage_dict(wage, request.user)


@router.post("/outsourcing/orders/{order_id}/wages/{wage_id}/{action}", auth=AUTH,
             summary="工钱操作：pay 车间登记已发 / confirm 工人确认收到 / dispute 工人提出异议 / "
                     "resolve 人社局处理异议（reason 必填；amount 核定应发，可不填）")
def wage_act(request, order_id: int, wage_id: int, action: str, data: WageActIn):
    wage = _wage(request, order_id, wage_id)
    if action == "pay":
        wage = services.wage_pay(actor=request.user, wage=wage, amount=data.amount)
    elif action == "confirm":
        wage = services.wage_confirm(actor=request.user, wage=wage)
    elif action == "dispute":
        wage = services.wage_dispute(actor=request.user, wage=wage, reason=data.reason)
    elif action == "resolve":
        wage = services.wage_resolve(actor=request.user, wage=wage, resolution=data.reason, amount=data.amount)
    else:
        raise NotFoundError(_("未知的操作"))
    return wage_dict(wage, request.user)



# -------------------------------------------------------------------------------------------------- arrears

def _arrears_out(user, alert) -> dict:
    return arrears_dict(alert, full_phone=roles.is_bureau(user))


@router.get("/outsourcing/arrears", auth=AUTH, response=WorkshopArrearsPage,
            summary="计件欠薪预警（人社局：全部；乡镇工作人员：本乡镇车间的）：status=open 未处理（默认，最早的在前）/ "
                    "resolved 已处理 / all 全部")
def arrears_list(request, status: str = "open", limit: int = 50, offset: int = 0):
    limit, offset = _limit(limit, offset)
    qs = selectors.arrears_for(request.user, status=status)
    rows = list(qs[offset:offset + limit])
    return {"items": [_arrears_out(request.user, a) for a in rows], "count": qs.count()}


@router.post("/outsourcing/arrears/{alert_id}/resolve", auth=AUTH, response=WorkshopArrearsOut,
             summary="处理欠薪预警（人社局；resolution 必填）")
def arrears_resolve(request, alert_id: int, data: WorkshopArrearsResolveIn):
    roles.require_bureau(request.user, _("只有人社局工作人员可以处理欠薪预警"))
    alert = WageArrearsAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFoundError(_("找不到该预警"))
    alert = services.arrears_resolve(actor=request.user, alert=alert, resolution=data.resolution)
    alert = WageArrearsAlert.objects.select_related("workshop__township", "order__enterprise", "wage__worker").get(
        pk=alert.pk)
    return _arrears_out(request.user, alert)
