"""The one write path of the workshops app: keyword-only functions, each in one transaction, each with an audit
row. Bad input raises InvalidInput with a Chinese message before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.catalog.models import Occupation
from hongniang.core import roles, throttle, wages
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, FieldErrors, InvalidInput, PermissionDeniedError
from hongniang.geo.models import Region, RegionKind
from hongniang.notifications.phone_codes import phone_code_check, phone_code_send
from hongniang.notifications.phone_codes import ttl as code_ttl
from hongniang.notifications.services import SMS_SIGNATURE, notify
from hongniang.zh.validators import normalize_phone

from . import ledger
from .machines import ORDER, SHARE, WAGE
from .models import (
    ACTIVE_SHARE,
    UNSETTLED_WAGE,
    Handover,
    HandoverKind,
    HandoverPhoto,
    OrderStatus,
    OutsourcingOrder,
    PieceRecord,
    ReceiptProof,
    Share,
    ShareStatus,
    WageArrearsAlert,
    WageLine,
    WageStatus,
    Workshop,
    WorkshopKind,
    WorkshopPhoto,
    WorkshopStatus,
    WorkshopWorker,
)
from .permissions import (
    can_act_for_workshop,
    is_area_staff,
    is_wage_worker,
    owns,
    require_login,
    require_manager,
    require_workshop,
    staff_township_codes,
)

S = ShareStatus
MAX_QUANTITY = 10_000_000
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024

# --------------------------------------------------------------------------------------------- input checks

#: money demanded from workshops or home workers: the commonest home-work scam
FEE_WORDS = ("押金", "材料费", "保证金", "加盟费", "培训费", "报名费", "入会费", "风险金", "质保金", "押料费",
             "样品费", "工本费", "服务费", "中介费", "管理费")
#: "不收押金" and the like say the opposite: allowed
_NEGATION = re.compile(r"(不收|不交|不需|无需|不用|不要|免收|免交|免|无|没有|禁止|严禁|拒收|不得|绝不)\s*$")


def refuse_fees(value: str, field: str, errors: FieldErrors | None = None) -> str:
    """The text, stripped; InvalidInput when it asks a workshop or worker for money (押金, 材料费, 保证金 …)."""
    text = (value or "").strip()
    for word in FEE_WORDS:
        for m in re.finditer(re.escape(word), text):
            if _NEGATION.search(text[max(0, m.start() - 4):m.start()]):
                continue
            msg = (_("不能向车间或工人收取“%(word)s”等任何费用（押金、材料费、保证金、加盟费…）。平台禁止此类收费，请删去后再提交") % {"word": word})
            if errors is not None:
                errors.add(field, msg)
                return text
            raise InvalidInput(msg, field=field, code="fee_demand")
    return text


def _int(value, field: str, label: str, errors: FieldErrors, *, minimum: int = 1, maximum: int = MAX_QUANTITY):
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s请填写整数") % {"label": label})
        return None
    if n < 0:
        errors.add(field, _("%(label)s不能是负数") % {"label": label})
        return None
    if n < minimum:
        errors.add(field, _("%(label)s至少为 %(minimum)s") % {"label": label, "minimum": minimum})
        return None
    if n > maximum:
        errors.add(field, _("%(label)s不能超过 %(maximum)s") % {"label": label, "maximum": maximum})
        return None
    return n


def _decimal(value, field: str, label: str, errors: FieldErrors, *, places: str = "0.01", minimum=None,
             maximum=None, positive: bool = True):
    try:
        d = Decimal(str(value).strip()).quantize(Decimal(places))
    except (InvalidOperation, ValueError, TypeError):
        errors.add(field, _("%(label)s请填写数字") % {"label": label})
        return None
    if not d.is_finite():
        errors.add(field, _("%(label)s请填写数字") % {"label": label})
        return None
    if d < 0:
        errors.add(field, _("%(label)s不能是负数") % {"label": label})
        return None
    if positive and d == 0:
        errors.add(field, _("%(label)s必须大于 0") % {"label": label})
        return None
    if minimum is not None and d < minimum:
        errors.add(field, _("%(label)s不能小于 %(minimum)s") % {"label": label, "minimum": minimum})
        return None
    if maximum is not None and d > maximum:
        errors.add(field, _("%(label)s不能超过 %(maximum)s") % {"label": label, "maximum": maximum})
        return None
    return d


def _date(value, field: str, label: str, errors: FieldErrors):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s请填写日期，例如 2026-12-03") % {"label": label})
        return None


def _today() -> dt.date:
    return timezone.localdate()


def _now():
    return timezone.now()


def validate_photo(f) -> None:
    """A JPEG, PNG or WEBP image of at most 5 MB (checked by its first bytes, not its name)."""
    size = getattr(f, "size", None) or 0
    if size > MAX_PHOTO_BYTES:
        raise InvalidInput(_("每张照片不能超过 5 MB"), field="photos")
    if size == 0:
        raise InvalidInput(_("照片是空的，请重新拍照上传"), field="photos")
    head = f.read(12)
    f.seek(0)
    ok = head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    if not ok:
        raise InvalidInput(_("照片只能是 JPG、PNG 或 WEBP 图片"), field="photos")


def _notify(*, user=None, phone: str = "", text: str, sms: bool = False, url: str = "") -> None:
    notify(recipient=user, phone=phone or None, template="text", context={"title": "社区工厂消息", "text": text},
           sms=bool(sms and (phone or user)), url=url)


# ------------------------------------------------------------------------------------------------ workshops

def _township_of(region: Region) -> Region | None:
    if region.kind == RegionKind.TOWNSHIP:
        return region
    if region.kind == RegionKind.VILLAGE:
        return region.parent
    return None


def _owner_user(phone: str, name: str):
    User = get_user_model()
    user = User.objects.filter(phone=phone).first() or User.objects.filter(username=phone).first()
    if user is None:
        user = User(username=phone, phone=phone, display_name=name)
        user.set_unusable_password()
        user.save()
    return user


def workshop_register(*, actor, name: str, region: Region | str, kind: str = WorkshopKind.WORKSHOP,
                      owner_name: str = "", owner_phone: str = "", owner_enterprise=None, stations=1,
                      usual_hours: str = "", hours_per_day="6", skills=(), skills_text: str = "",
                      equipment: str = "", address: str = "", lat=None, lon=None, service_point=None,
                      is_demo: bool = False) -> Workshop:
    """Staff of a service point register a workshop in their area (the bureau anywhere); HR register one their
    enterprise runs. A person-owned workshop needs the owner's phone: the owner logs in with it. A home worker
    (kind "home") is a workshop of one: its owner is also its one worker."""
    require_login(actor)
    errors = FieldErrors()
    if isinstance(region, str):
        region = Region.objects.filter(pk=region).first()
    if region is None or region.kind not in (RegionKind.TOWNSHIP, RegionKind.VILLAGE):
        errors.add("region", _("请选择所在的村（社区）或乡镇"))
        township = None
    else:
        township = _township_of(region)
    is_bureau = roles.is_bureau(actor)
    if owner_enterprise is not None:
        if not (is_bureau or owner_enterprise.pk in roles.enterprise_ids(actor)):
            raise PermissionDeniedError(_("只能为本企业登记车间"))
    elif not is_bureau:
        towns = staff_township_codes(actor)
        if not towns:
            raise PermissionDeniedError(_("只有就业之家工作人员可以登记社区工厂"))
        if township is not None and township.pk not in towns:
            raise PermissionDeniedError(_("只能登记本站点所在乡镇的社区工厂"))
    name = refuse_fees(name, "name", errors)
    if not name:
        errors.add("name", _("请填写车间名称"))
    if kind not in WorkshopKind.values:
        errors.add("kind", _("请选择类型"))
    owner_name = (owner_name or "").strip()
    phone = ""
    if owner_enterprise is None:
        if not owner_name:
            errors.add("owner_name", _("请填写负责人姓名"))
        try:
            phone = normalize_phone(owner_phone or "")
        except ValueError as exc:
            errors.add("owner_phone", str(exc) or _("请填写负责人的手机号码"))
    n_stations = _int(stations, "stations", _("工位数"), errors, maximum=2000)
    hpd = _decimal(hours_per_day, "hours_per_day", _("每天工作小时"), errors, places="0.1", maximum=Decimal(16))
    codes = [c.strip() for c in (skills or []) if c and c.strip()]
    known = set(Occupation.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        errors.add("skills", _("未知的职业代码：%(codes)s") % {"codes": "、".join(sorted(set(codes) - known))})
    skills_text = refuse_fees(skills_text, "skills_text", errors)
    equipment = refuse_fees(equipment, "equipment", errors)
    usual_hours = refuse_fees(usual_hours, "usual_hours", errors)
    address = refuse_fees(address, "address", errors)
    errors.raise_if_any()
    with transaction.atomic():
        owner = _owner_user(phone, owner_name) if owner_enterprise is None else None
        points = roles.service_point_ids(actor)
        ws = Workshop.objects.create(
            name=name[:100], kind=kind, owner_user=owner, owner_enterprise=owner_enterprise,
            owner_name=owner_name or (owner_enterprise.name if owner_enterprise else ""), owner_phone=phone,
            phone_verified_at=_now() if owner is not None else None, region=region, township=township,
            address=address[:200], lat=lat if lat is not None else region.lat,
            lon=lon if lon is not None else region.lon, stations=n_stations, usual_hours=usual_hours[:100],
            hours_per_day=hpd, skills=codes, skills_text=skills_text[:200], equipment=equipment[:200],
            service_point_id=service_point.pk if service_point is not None else (points[0] if points else None),
            registered_by=actor, is_demo=is_demo)
        if kind == WorkshopKind.HOME and owner is not None:
            WorkshopWorker.objects.create(workshop=ws, user=owner, name=owner_name, phone=phone, home_region=region,
                                          joined_at=_today())
        audit(actor=actor, action="workshops.register", target=ws)
    return ws


def worker_add(*, actor, workshop: Workshop, name: str, phone: str, home_region: Region | None = None
               ) -> WorkshopWorker:
    """The owner (or area staff) adds a worker; a home worker attaches to a workshop this way too."""
    require_workshop(actor, workshop)
    errors = FieldErrors()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("请填写工人姓名"))
    try:
        phone = normalize_phone(phone or "")
    except ValueError as exc:
        errors.add("phone", str(exc) or _("请填写手机号码"))
    errors.raise_if_any()
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User.objects.filter(phone=phone).first()
            w = WorkshopWorker.objects.create(workshop=workshop, user=user, name=name[:50], phone=phone,
                                              home_region=home_region, joined_at=_today())
            audit(actor=actor, action="workshops.worker_add", target=w)
    except IntegrityError:
        raise Conflict(_("该手机号已是本车间的工人"), field="phone") from None
    return w


MAX_WORKSHOP_PHOTOS = 6


def workshop_photo_add(*, actor, workshop: Workshop, photo, caption: str = "") -> WorkshopPhoto:
    """The owner (or its township's staff, the bureau) adds a photo of the workshop: JPEG, PNG or WEBP by its
    first bytes, at most 5 MB, at most six per workshop. Bad input: nothing written."""
    require_workshop(actor, workshop)
    errors = FieldErrors()
    caption = refuse_fees(caption, "caption", errors)[:100]
    if photo is None:
        errors.add("photo", _("请选择一张照片"))
    else:
        errors.check("photo", validate_photo, photo)
    errors.raise_if_any()
    with transaction.atomic():
        Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
        if WorkshopPhoto.objects.filter(workshop=workshop).count() >= MAX_WORKSHOP_PHOTOS:
            raise Conflict(_("每个车间最多 %(n)s 张照片，请先删掉一张") % {"n": MAX_WORKSHOP_PHOTOS}, field="photo")
        p = WorkshopPhoto(workshop=workshop, caption=caption, uploaded_by=actor)
        p.image.save(getattr(photo, "name", "photo.jpg"), photo, save=True)
        audit(actor=actor, action="workshops.photo_add", target=workshop, photo=p.pk)
    return p


def workshop_photo_delete(*, actor, photo: WorkshopPhoto) -> None:
    require_workshop(actor, photo.workshop)
    with transaction.atomic():
        name = photo.image.name
        audit(actor=actor, action="workshops.photo_delete", target=photo.workshop, photo=photo.pk)
        photo.delete()
        transaction.on_commit(lambda: photo.image.storage.delete(name))


# --------------------------------------------------------------------------------------------------- orders

def order_create(*, actor, enterprise, product: str, process: str, quantity, piece_rate, deadline,
                 trial_workers, trial_pieces_per_hour, quality_standard: str = "", allowed_reject_rate="2",
                 materials: str = "", splittable: bool = True, occupation: str | None = None, wage_days=10,
                 region: Region | None = None, is_demo: bool = False) -> OutsourcingOrder:
    """Publish an order. The trial (at least 5 typical workers, their average pieces per hour) fixes the fair
    minimum piece rate; a lower rate cannot be published."""
    require_login(actor)
    if not (roles.is_bureau(actor) or enterprise.pk in roles.enterprise_ids(actor)):
        raise PermissionDeniedError(_("只能为本企业发布外发订单"))
    if enterprise.verification_status != "verified" and not roles.is_bureau(actor):
        raise PermissionDeniedError(_("企业通过认证后才能发布外发订单"), code="not_verified")
    errors = FieldErrors()
    product = refuse_fees(product, "product", errors)
    process = refuse_fees(process, "process", errors)
    quality_standard = refuse_fees(quality_standard, "quality_standard", errors)
    materials = refuse_fees(materials, "materials", errors)
    if not product:
        errors.add("product", _("请填写产品"))
    if not process:
        errors.add("process", _("请填写工序"))
    qty = _int(quantity, "quantity", _("数量"), errors)
    rate = _decimal(piece_rate, "piece_rate", _("计件单价"), errors, places="0.001", maximum=Decimal(10000))
    workers = _int(trial_workers, "trial_workers", _("试做人数"), errors, minimum=1, maximum=1000)
    if workers is not None and workers < ledger.MIN_TRIAL_WORKERS:
        errors.add("trial_workers", _("试做至少要 %(n)s 名有代表性的工人，才能算出公平单价") % {"n": ledger.MIN_TRIAL_WORKERS})
    pph = _decimal(trial_pieces_per_hour, "trial_pieces_per_hour", _("试做平均每小时件数"), errors,
                   maximum=Decimal(100000))
    reject = _decimal(allowed_reject_rate, "allowed_reject_rate", _("允许次品率"), errors, positive=False,
                      maximum=Decimal(100))
    days = _int(wage_days, "wage_days", _("发工钱天数"), errors, minimum=1, maximum=60)
    day = _date(deadline, "deadline", _("交货期限"), errors)
    if day is not None and day < _today():
        errors.add("deadline", _("交货期限不能早于今天"))
    occ = None
    if occupation:
        occ = Occupation.objects.filter(pk=occupation).first()
        if occ is None:
            errors.add("occupation", _("未知的职业代码"))
    fair = None
    if rate is not None and pph is not None and "trial_workers" not in errors:
        fair = ledger.fair_minimum_rate(pph)
        if rate < fair:
            errors.add("piece_rate", (
                _("计件单价 %(rate)s 元/件低于公平最低单价 %(fair)s 元/件（每小时最低工资 %(minimum_hourly)s 元 ÷ （试做平均 %(pph)s 件/小时 ÷ 1.2）），不能发布") % {"rate": rate, "fair": fair, "minimum_hourly": wages.minimum_hourly(), "pph": pph}))
    errors.raise_if_any()
    region = region or enterprise.region
    with transaction.atomic():
        order = OutsourcingOrder.objects.create(
            enterprise=enterprise, product=product[:100], process=process[:200], occupation=occ, quantity=qty,
            piece_rate=rate, quality_standard=quality_standard, allowed_reject_rate=reject, deadline=day,
            materials=materials, splittable=bool(splittable), trial_workers=workers, trial_pieces_per_hour=pph,
            fair_minimum_rate=fair, wage_days=days, region=region,
            lat=enterprise.lat if enterprise.lat is not None else getattr(region, "lat", None),
            lon=enterprise.lon if enterprise.lon is not None else getattr(region, "lon", None),
            created_by=actor, is_demo=is_demo)
        ORDER.record(order, "publish", actor=actor, details={"fair_minimum_rate": str(fair)})
        audit(actor=actor, action="workshops.order_create", target=order)
    return order


def order_retrial(*, actor, order: OutsourcingOrder, trial_workers, trial_pieces_per_hour, piece_rate,
                  note: str = "") -> OutsourcingOrder:
    """A new timed trial after the order was flagged (its workers' median actual 元/h fell below the hourly
    minimum): at least 5 typical workers and their average pieces per hour give a new fair minimum; the new piece
    rate must be at or above it, never below the rate the workshops accepted, and high enough that the workers'
    pieces already recorded earn a median of at least the hourly minimum — pieces whose wages are already computed
    (delivered shares) counted at the rate they were computed at, never the new one. The rate applies to every
    piece of the order whose wages are not yet computed; the flag is cleared. Bad input: nothing is written."""
    require_manager(actor, order)
    errors = FieldErrors()
    workers = _int(trial_workers, "trial_workers", _("试做人数"), errors, minimum=1, maximum=1000)
    if workers is not None and workers < ledger.MIN_TRIAL_WORKERS:
        errors.add("trial_workers", _("试做至少要 %(n)s 名有代表性的工人，才能算出公平单价") % {"n": ledger.MIN_TRIAL_WORKERS})
    pph = _decimal(trial_pieces_per_hour, "trial_pieces_per_hour", _("试做平均每小时件数"), errors,
                   maximum=Decimal(100000))
    rate = _decimal(piece_rate, "piece_rate", _("计件单价"), errors, places="0.001", maximum=Decimal(10000))
    note = refuse_fees(note, "note", errors)
    errors.raise_if_any()
    minimum = wages.minimum_hourly()
    with transaction.atomic():
        order = OutsourcingOrder.objects.select_for_update().get(pk=order.pk)
        ORDER.check(order, "retrial")
        if not order.needs_trial:
            raise Conflict(_("该订单没有被标记为需要重新试做"), code="not_flagged")
        fair = ledger.fair_minimum_rate(pph)
        if rate < fair:
            errors.add("piece_rate", (
                _("计件单价 %(rate)s 元/件低于公平最低单价 %(fair)s 元/件（每小时最低工资 %(minimum)s 元 ÷ （试做平均 %(pph)s 件/小时 ÷ 1.2））") % {"rate": rate, "fair": fair, "minimum": minimum, "pph": pph}))
        elif rate < order.piece_rate:
            errors.add("piece_rate", _("新单价 %(rate)s 元/件不能低于原单价 %(piece_rate)s 元/件：车间是按原单价接的活") % {"rate": rate, "piece_rate": order.piece_rate})
        else:
            # pieces whose wages are already computed keep the rate they were computed at: only the others move
            median = ledger.median_hourly(order, rate=rate)
            if median is not None and median < minimum:
                needed = ledger.rate_for_median(order, minimum, at_least=rate)
                if needed is None:
                    errors.add("piece_rate", (
                        _("按 %(rate)s 元/件，已记录件数的工人实际时薪中位数只有 %(median)s 元，仍低于每小时最低工资 %(minimum)s 元。已核算工钱的件数仍按原单价计，新单价再高也不能让中位数达到最低工资，请与车间核对已核算的工钱") % {"rate": rate, "median": median, "minimum": minimum}))
                else:
                    errors.add("piece_rate", (
                        _("按 %(rate)s 元/件，已记录件数的工人实际时薪中位数只有 %(median)s 元，仍低于每小时最低工资 %(minimum)s 元。单价至少要 %(needed)s 元/件") % {"rate": rate, "median": median, "minimum": minimum, "needed": needed}))
        errors.raise_if_any()
        old = {"piece_rate": str(order.piece_rate), "fair_minimum_rate": str(order.fair_minimum_rate),
               "trial_workers": order.trial_workers, "trial_pieces_per_hour": str(order.trial_pieces_per_hour)}
        ORDER.transition(order, "retrial", actor=actor, lock=False, reason=(note or "重新试做")[:200],
                         fields={"trial_workers": workers, "trial_pieces_per_hour": pph, "fair_minimum_rate": fair,
                                 "piece_rate": rate, "needs_trial": False, "needs_trial_reason": ""},
                         details={"before": old, "piece_rate": str(rate), "fair_minimum_rate": str(fair),
                                  "trial_workers": workers, "trial_pieces_per_hour": str(pph)})
        audit(actor=actor, action="workshops.order_retrial", target=order, piece_rate=str(rate),
              before=old["piece_rate"])
        for share in order.shares.filter(status__in=ACTIVE_SHARE).select_related("workshop"):
            ws = share.workshop
            _notify(user=ws.owner_user, phone=ws.owner_phone, sms=True,
                    text=f"【红娘社区工厂】{order.product}（{order.process}）重新试做后，计件单价从 {old['piece_rate']} "
                         f"元/件调到 {rate} 元/件，还没核算的件数都按新单价算。")
    return order


def order_offer(*, actor, order: OutsourcingOrder, offers) -> list[Share]:
    """Offer parts of the order to workshops: offers is [(workshop, quantity), ...]. The quantities offered and
    still open never exceed the order's; an order that cannot be split goes whole to one workshop."""
    require_manager(actor, order)
    ORDER.check(order, "offer")
    errors = FieldErrors()
    rows = []
    for i, (workshop, quantity) in enumerate(offers):
        q = _int(quantity, f"quantity_{i}", _("%(name)s的数量") % {"name": workshop.name}, errors)
        if workshop.status != WorkshopStatus.ACTIVE:
            errors.add(f"workshop_{i}", _("%(name)s暂停接单") % {"name": workshop.name})
        rows.append((workshop, q))
    if not rows:
        errors.add("workshops", _("请至少选择一个车间"))
    errors.raise_if_any()
    with transaction.atomic():
        order = OutsourcingOrder.objects.select_for_update().get(pk=order.pk)
        live = order.shares.exclude(status__in=(S.DECLINED, S.CANCELLED))
        taken = sum(s.quantity if s.status != S.OFFERED else s.offered_quantity for s in live)
        asked = sum(q for _w, q in rows)
        if taken + asked > order.quantity:
            raise InvalidInput(_("派出的数量合计 %(total)s 件，超过订单数量 %(quantity)s 件（已派 %(taken)s 件）") % {"total": taken + asked, "quantity": order.quantity, "taken": taken}, field="quantity")
        if not order.splittable and (len(rows) > 1 or live.exists() or asked != order.quantity):
            raise InvalidInput(_("该订单不能拆分，只能整单派给一个车间"), field="workshops")
        existing = set(order.shares.values_list("workshop_id", flat=True))
        shares = []
        for workshop, q in rows:
            if workshop.pk in existing:
                raise Conflict(_("已经派给过%(name)s") % {"name": workshop.name}, field="workshops")
            share = Share.objects.create(order=order, workshop=workshop, offered_quantity=q)
            SHARE.record(share, "offer", actor=actor, details={"quantity": q})
            shares.append(share)
            _notify(user=workshop.owner_user, phone=workshop.owner_phone, sms=True,
                    text=f"【红娘社区工厂】{order.enterprise.name}派给您 {q} 件{order.product}（{order.process}），"
                         f"单价 {order.piece_rate} 元/件，预计每小时 {order.expected_hourly} 元。请在“社区工厂”接单或谢绝。")
        ORDER.transition(order, "offer", actor=actor, lock=False, details={"shares": [s.pk for s in shares]})
        audit(actor=actor, action="workshops.order_offer", target=order, shares=[s.pk for s in shares])
    return shares


def order_cancel(*, actor, order: OutsourcingOrder, reason: str) -> OutsourcingOrder:
    require_manager(actor, order)
    with transaction.atomic():
        order, _ev = ORDER.transition(order, "cancel", actor=actor, reason=reason)
        for share in order.shares.select_for_update().filter(status__in=SHARE.statuses_with("order_cancelled")):
            SHARE.transition(share, "order_cancelled", actor=actor, lock=False, reason=reason)
        audit(actor=actor, action="workshops.order_cancel", target=order, reason=reason)
    return order


def check_fair_rate(order: OutsourcingOrder, *, actor=None) -> Decimal | None:
    """Flag the order for a new trial when the median worker's actual 元/h falls below the hourly minimum."""
    median = ledger.median_hourly(order)
    if median is None or median >= wages.minimum_hourly() or order.needs_trial:
        return median
    if order.status not in ORDER.statuses_with("flag_trial"):
        return median
    reason = f"工人实际时薪中位数 {median} 元，低于最低工资 {wages.minimum_hourly()} 元/小时，需要重新试做"
    ORDER.transition(order, "flag_trial", actor=actor, reason=reason,
                     fields={"needs_trial": True, "needs_trial_reason": reason[:200]})
    return median


# --------------------------------------------------------------------------------------------------- shares

def _lock_share(share: Share) -> Share:
    return Share.objects.select_for_update().select_related("order", "workshop", "order__enterprise").get(pk=share.pk)


def share_accept(*, actor, share: Share, quantity=None) -> Share:
    """The workshop accepts a quantity (at most what was offered; all of it when the order cannot be split)."""
    require_workshop(actor, share.workshop)
    errors = FieldErrors()
    q = share.offered_quantity if quantity in (None, "") else _int(quantity, "quantity", _("接单数量"), errors)
    errors.raise_if_any()
    if q > share.offered_quantity:
        raise InvalidInput(_("最多可接 %(offered_quantity)s 件") % {"offered_quantity": share.offered_quantity}, field="quantity")
    if not share.order.splittable and q != share.offered_quantity:
        raise InvalidInput(_("该订单不能拆分，只能全部接下"), field="quantity")
    with transaction.atomic():
        share = _lock_share(share)
        SHARE.transition(share, "accept", actor=actor, lock=False, reason=f"接 {q} 件",
                         fields={"quantity": q, "accepted_at": _now()})
        order = OutsourcingOrder.objects.select_for_update().get(pk=share.order_id)
        if order.status == OrderStatus.OPEN:
            ORDER.transition(order, "start", actor=actor, lock=False)
        audit(actor=actor, action="workshops.share_accept", target=share, quantity=q)
    return share


def share_decline(*, actor, share: Share, reason: str = "") -> Share:
    require_workshop(actor, share.workshop)
    with transaction.atomic():
        share, _ev = SHARE.transition(share, "decline", actor=actor, reason=reason)
        audit(actor=actor, action="workshops.share_decline", target=share)
    return share


def share_start(*, actor, share: Share) -> Share:
    require_workshop(actor, share.workshop)
    with transaction.atomic():
        share, _ev = SHARE.transition(share, "start", actor=actor)
        audit(actor=actor, action="workshops.share_start", target=share)
    return share


def handover_record(*, actor, share: Share, kind: str, quantity, date=None, handed_by: str = "", reason: str = "",
                    photos=()) -> Handover:
    """Record a handover: material out to the workshop, goods back, or rejects back (a reason and photos
    against the agreed sample). Never more back than went out. The first material out marks the share
    "material collected"."""
    require_login(actor)
    order = share.order
    manager = roles.is_bureau(actor) or order.enterprise_id in roles.enterprise_ids(actor)
    if not (manager or can_act_for_workshop(actor, share.workshop)):
        raise PermissionDeniedError(_("只有发单企业或该车间可以登记交接"))
    errors = FieldErrors()
    if kind not in HandoverKind.values:
        errors.add("kind", _("请选择交接类型（发料 / 交回成品 / 次品退回）"))
    q = _int(quantity, "quantity", _("数量"), errors)
    day = _today() if date in (None, "") else _date(date, "date", _("日期"), errors)
    if day is not None and day > _today():
        errors.add("date", _("交接日期不能晚于今天"))
    handed_by = (handed_by or "").strip() or str(actor)
    reason = (reason or "").strip()
    photos = list(photos or [])
    if kind == HandoverKind.REJECT:
        if not manager:
            errors.add("kind", _("次品只能由发单企业验货时登记"))
        if not reason:
            errors.add("reason", _("次品要写明原因（对照样品哪里不合格）"))
        if not photos:
            errors.add("photos", _("次品要上传照片（与约定样品对照）"))
        elif len(photos) > MAX_PHOTOS:
            errors.add("photos", _("最多上传 %(n)s 张照片") % {"n": MAX_PHOTOS})
        else:
            for p in photos:
                errors.check("photos", validate_photo, p)
    errors.raise_if_any()
    with transaction.atomic():
        share = _lock_share(share)
        allowed = {HandoverKind.OUT: (S.ACCEPTED, S.MATERIAL_COLLECTED, S.IN_PRODUCTION),
                   HandoverKind.BACK: (S.MATERIAL_COLLECTED, S.IN_PRODUCTION, S.DELIVERED),
                   HandoverKind.REJECT: (S.MATERIAL_COLLECTED, S.IN_PRODUCTION, S.DELIVERED)}[kind]
        if share.status not in allowed:
            raise Conflict(_("分单当前为“%(status)s”，不能登记%(kind)s") % {"status": share.get_status_display(), "kind": HandoverKind(kind).label})
        bal = ledger.share_balance(share)
        if kind == HandoverKind.OUT and bal.out + q > share.quantity:
            raise InvalidInput(_("发料合计 %(total)s 件，超过该车间接单的 %(quantity)s 件") % {"total": bal.out + q, "quantity": share.quantity}, field="quantity")
        if kind != HandoverKind.OUT and bal.returned + q > bal.out:
            raise InvalidInput(_("交回数量多于发出的：已发 %(out)s 件，已交回（含次品）%(returned)s 件，本次最多还能交回 %(outstanding)s 件") % {"out": bal.out, "returned": bal.returned, "outstanding": bal.outstanding}, field="quantity")
        h = Handover.objects.create(share=share, order_id=share.order_id, kind=kind, quantity=q, reason=reason[:200],
                                    date=day, handed_by=handed_by[:50], recorded_by=actor)
        for p in photos:
            photo = HandoverPhoto(handover=h)
            photo.image.save(getattr(p, "name", "photo.jpg"), p, save=True)
        if kind == HandoverKind.OUT and share.status == S.ACCEPTED:
            SHARE.transition(share, "collect", actor=actor, lock=False, reason=f"发料 {q} 件")
        audit(actor=actor, action="workshops.handover", target=h, kind=kind, quantity=q)
    return h


def wage_due_date(order: OutsourcingOrder, delivered_on: dt.date) -> dt.date:
    """The day the workers' wages of a share delivered on `delivered_on` fall due (the order's wage_days)."""
    return delivered_on + dt.timedelta(days=order.wage_days)


def share_deliver(*, actor, share: Share, balance_reason: str = "") -> Share:
    """The workshop delivers: refused while material is outstanding unless a reason is recorded. Each worker's
    wages are computed now (pieces × piece rate), due within the order's agreed days."""
    require_workshop(actor, share.workshop)
    balance_reason = (balance_reason or "").strip()
    with transaction.atomic():
        share = _lock_share(share)
        SHARE.check(share, "deliver")
        bal = ledger.share_balance(share)
        if bal.returned == 0:
            raise InvalidInput(_("还没有交回任何成品，请先登记“交回成品”"), field="balance_reason")
        if bal.outstanding and not balance_reason:
            raise InvalidInput(_("料账不平：发料 %(out)s 件，交回成品 %(back)s 件、次品 %(reject)s 件，还差 %(outstanding)s 件。请先补登交接，或写明差异原因") % {"out": bal.out, "back": bal.back, "reject": bal.reject, "outstanding": bal.outstanding}, field="balance_reason",
                               code="balance_off")
        order = share.order
        now = _now()
        due = wage_due_date(order, timezone.localdate(now))
        from django.db.models import Sum

        rows = share.pieces.values("worker_id").annotate(p=Sum("pieces"), h=Sum("hours")).order_by("worker_id")
        for r in rows:
            if not r["p"]:
                continue
            wage = WageLine.objects.create(share=share, worker_id=r["worker_id"], pieces=r["p"], hours=r["h"],
                                           amount=ledger.money(Decimal(r["p"]) * order.piece_rate), due_date=due)
            WAGE.record(wage, "compute", actor=actor, details={"pieces": r["p"], "rate": str(order.piece_rate)})
        SHARE.transition(share, "deliver", actor=actor, lock=False, reason=balance_reason,
                         fields={"delivered_at": now, "balance_reason": balance_reason[:200],
                                 "wage_rate": order.piece_rate},
                         details=bal.as_dict() | {"reject_rate": str(bal.reject_rate)})
        audit(actor=actor, action="workshops.share_deliver", target=share, outstanding=bal.outstanding)
        _notify(user=order.created_by, text=f"【红娘社区工厂】{share.workshop.name}已交货：{order.product} "
                                            f"{bal.back} 件（次品 {bal.reject} 件）。请验收。")
    return share


def share_check(*, actor, share: Share) -> Share:
    require_manager(actor, share.order)
    with transaction.atomic():
        share = _lock_share(share)
        bal = ledger.share_balance(share)
        SHARE.transition(share, "check", actor=actor, lock=False, fields={"checked_at": _now()},
                         details={"back": bal.back, "reject": bal.reject})
        audit(actor=actor, action="workshops.share_check", target=share)
    return share


def share_pay(*, actor, share: Share, amount=None) -> Share:
    """The enterprise pays the workshop for the good pieces (never less than good pieces × the piece rate the
    share's wages were computed at)."""
    require_manager(actor, share.order)
    with transaction.atomic():
        share = _lock_share(share)
        bal = ledger.share_balance(share)
        # the rate the share's wages were computed at on delivery (a later new trial does not reach them)
        rate = share.wage_rate if share.wage_rate is not None else share.order.piece_rate
        owed = ledger.money(Decimal(bal.back) * rate)
        if amount in (None, ""):
            paid = owed
        else:
            errors = FieldErrors()
            paid = _decimal(amount, "amount", _("结算金额"), errors)
            errors.raise_if_any()
            if paid < owed:
                raise InvalidInput(_("结算金额 %(paid)s 元低于合格品 %(back)s 件 × %(piece_rate)s 元 = %(owed)s 元") % {"paid": paid, "back": bal.back, "piece_rate": rate, "owed": owed},
                                   field="amount")
        SHARE.transition(share, "pay", actor=actor, lock=False, reason=f"{paid} 元",
                         fields={"paid_at": _now(), "paid_amount": paid})
        order = OutsourcingOrder.objects.select_for_update().get(pk=share.order_id)
        open_shares = order.shares.exclude(status__in=(S.PAID, S.DECLINED, S.CANCELLED)).exists()
        if not open_shares and order.status == OrderStatus.IN_PROGRESS:
            ORDER.transition(order, "complete", actor=actor, lock=False)
        audit(actor=actor, action="workshops.share_pay", target=share, amount=str(paid))
    return share


def share_dispute(*, actor, share: Share, reason: str) -> Share:
    """The workshop disputes a check (rejects, counts): the bureau settles it."""
    require_workshop(actor, share.workshop)
    with transaction.atomic():
        share, _ev = SHARE.transition(share, "dispute", actor=actor, reason=reason,
                                      fields={"dispute_reason": (reason or "").strip()[:200]})
        audit(actor=actor, action="workshops.share_dispute", target=share, reason=reason)
    return share


def share_resolve(*, actor, share: Share, resolution: str) -> Share:
    """The bureau settles a workshop's dispute of a check (rejects, counts): the share is checked again, with
    the resolution on its history; the enterprise and the workshop are told."""
    roles.require_bureau(actor, _("外发争议由人社局处理"))
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput(_("请填写处理结果，例如：复检后次品 30 件改判合格"), field="reason")
    with transaction.atomic():
        share, _ev = SHARE.transition(share, "resolve", actor=actor, reason=resolution[:200],
                                      related=("order", "workshop"))
        text = f"【红娘社区工厂】人社局已处理{share.workshop.name}对“{share.order.product}”验收的争议：{resolution[:60]}"
        _notify(user=share.workshop.owner_user, phone=share.workshop.owner_phone, sms=True, text=text)
        _notify(user=share.order.created_by, text=text)
        audit(actor=actor, action="workshops.share_resolve", target=share, reason=resolution)
    return share


def share_cancel(*, actor, share: Share, reason: str) -> Share:
    require_manager(actor, share.order)
    with transaction.atomic():
        share, _ev = SHARE.transition(share, "cancel", actor=actor, reason=reason)
        audit(actor=actor, action="workshops.share_cancel", target=share, reason=reason)
    return share


# --------------------------------------------------------------------------------------------------- pieces

def pieces_record(*, actor, share: Share, day, entries) -> list[PieceRecord]:
    """Today's (or a past day's) pieces for several workers on one share, all or nothing. entries: dicts with
    worker (a WorkshopWorker or its id), pieces and hours; 0 pieces and no hours removes a worker's day.
    Refused: a day after delivery or in the future, negative numbers, a worker of another workshop, more pieces
    in total than material handed out."""
    require_workshop(actor, share.workshop)
    errors = FieldErrors()
    the_day = _date(day, "day", _("日期"), errors)
    errors.raise_if_any()
    if share.delivered_at and the_day > timezone.localdate(share.delivered_at):
        raise InvalidInput(_("该分单已于 %(delivered)s 交货，不能登记交货之后（%(day)s）的件数") % {"delivered": timezone.localdate(share.delivered_at).isoformat(), "day": the_day.isoformat()}, field="day", code="after_delivery")
    if the_day > _today():
        raise InvalidInput(_("不能登记今天之后的件数"), field="day")
    workers = {w.pk: w for w in WorkshopWorker.objects.filter(workshop_id=share.workshop_id)}
    clean = []
    for i, e in enumerate(entries):
        wid = getattr(e.get("worker"), "pk", e.get("worker"))
        try:
            wid = int(wid)
        except (TypeError, ValueError):
            wid = None
        worker = workers.get(wid)
        if worker is None:
            errors.add(f"worker_{i}", _("该工人不属于本车间"))
            continue
        label = worker.name
        n = _int(e.get("pieces", 0) or 0, f"pieces_{worker.pk}", _("%(label)s的件数") % {"label": label}, errors, minimum=0,
                 maximum=100000)
        raw_hours = e.get("hours")
        hours = None
        if n:
            if raw_hours in (None, ""):
                errors.add(f"hours_{worker.pk}", _("请填写%(label)s的工时") % {"label": label})
            else:
                hours = _decimal(raw_hours, f"hours_{worker.pk}", _("%(label)s的工时") % {"label": label}, errors, places="0.1",
                                 maximum=Decimal(16))
        clean.append((worker, n, hours))
    errors.raise_if_any()
    with transaction.atomic():
        share = _lock_share(share)
        if share.status not in (S.MATERIAL_COLLECTED, S.IN_PRODUCTION):
            if share.status in (S.ACCEPTED, S.OFFERED):
                raise Conflict(_("还没有领料，不能登记件数"))
            raise Conflict(_("分单当前为“%(status)s”，工钱已核算，不能再改件数") % {"status": share.get_status_display()})
        existing = {r.worker_id: r for r in share.pieces.filter(day=the_day)}
        total = ledger.pieces_total(share, exclude_pk=[r.pk for r in existing.values()])
        new_total = total + sum(n for _w, n, _h in clean) + sum(
            r.pieces for wid, r in existing.items() if wid not in {w.pk for w, _n, _h in clean})
        out = ledger.share_balance(share).out
        if new_total > out:
            raise InvalidInput(_("累计件数 %(new_total)s 件，超过已领的料 %(out)s 件，请核对") % {"new_total": new_total, "out": out}, field="pieces")
        saved = []
        for worker, n, hours in clean:
            if not n:
                if worker.pk in existing:
                    existing[worker.pk].delete()
                continue
            rec, _created = PieceRecord.objects.update_or_create(
                share=share, worker=worker, day=the_day,
                defaults={"pieces": n, "hours": hours, "recorded_by": actor})
            saved.append(rec)
        if saved and share.status == S.MATERIAL_COLLECTED:
            SHARE.transition(share, "start", actor=actor, lock=False, reason="开始登记件数")
        audit(actor=actor, action="workshops.pieces", target=share, day=the_day.isoformat(),
              workers=len(saved), pieces=sum(r.pieces for r in saved))
        check_fair_rate(share.order, actor=actor)
    return saved


# ---------------------------------------------------------------------------------------------------- wages

def _lock_wage(wage: WageLine) -> WageLine:
    return (WageLine.objects.select_for_update()
            .select_related("share", "share__workshop", "share__order", "worker").get(pk=wage.pk))


def wage_pay(*, actor, wage: WageLine, amount=None, paid_at=None) -> WageLine:
    """The workshop records what it paid the worker (never less than computed)."""
    require_workshop(actor, wage.share.workshop)
    errors = FieldErrors()
    paid = wage.amount if amount in (None, "") else _decimal(amount, "amount", _("实发金额"), errors)
    errors.raise_if_any()
    if paid < wage.amount:
        raise InvalidInput(_("实发 %(paid)s 元少于应发 %(amount)s 元（%(pieces)s 件 × 单价）") % {"paid": paid, "amount": wage.amount, "pieces": wage.pieces}, field="amount")
    with transaction.atomic():
        wage = _lock_wage(wage)
        WAGE.transition(wage, "pay", actor=actor, lock=False, reason=f"{paid} 元",
                        fields={"paid_amount": paid, "paid_at": paid_at or _now(), "confirmed_at": None})
        _notify(user=wage.worker.user, phone=wage.worker.phone, sms=True,
                text=f"【红娘社区工厂】{wage.share.workshop.name}登记已发您计件工钱 {paid} 元。请确认收到，或提出异议。")
        audit(actor=actor, action="workshops.wage_pay", target=wage, amount=str(paid))
    return wage


def wage_confirm(*, actor, wage: WageLine) -> WageLine:
    if not is_wage_worker(actor, wage):
        raise PermissionDeniedError(_("只有工人本人可以确认收到工钱"))
    with transaction.atomic():
        wage = _lock_wage(wage)
        WAGE.transition(wage, "confirm", actor=actor, lock=False, details={"proof": ReceiptProof.WORKER},
                        fields={"confirmed_at": _now(), "confirmed_via": ReceiptProof.WORKER,
                                "confirm_entered_by": None, "confirm_note": ""})
        WageArrearsAlert.objects.filter(wage=wage, resolved_at__isnull=True).update(
            resolved_at=_now(), resolved_by=actor, resolution="工人已确认收到")
        audit(actor=actor, action="workshops.wage_confirm", target=wage, proof=ReceiptProof.WORKER)
    return wage


# A worker without a log-in account cannot tap “收到了”. At the desk (the owner's phone page, or the service
# point), the owner or staff send a code to the worker's own phone, and type the code the worker reads out:
# only the worker's phone proves it is the worker. Township staff (officials, not the payer) may instead record
# that the worker confirmed in front of them after checking the ID card. Both count as the worker's “收到了”
# (status confirmed, the arrears alert resolved), with the proof kept on the wage, its event and the audit row.

RECEIPT_SENDS_PER_HOUR = 60  # per workshop and per person at the desk (a payday queue of workers)


def receipt_purpose(wage: WageLine) -> str:
    """The phone-code purpose for one wage at one paid amount: a code read out for one wage cannot confirm
    another, nor the same wage after the workshop changed what it says it paid."""
    paid = wage.paid_amount if wage.paid_amount is not None else wage.amount
    return f"wage_paid_{wage.pk}_{int(paid * 100)}"


def receipt_sms_text(wage: WageLine) -> str:
    """The text with the code: what reading it out agrees to (the workshop, the month, the amount), and not to
    give it when the money did not come. "{code}" is filled in by phone_code_send."""
    ws = wage.share.workshop
    delivered = wage.share.delivered_at
    month = timezone.localdate(delivered).month if delivered else wage.due_date.month
    paid = wage.paid_amount if wage.paid_amount is not None else wage.amount
    minutes = int(code_ttl().total_seconds() // 60)
    name = ws.name.replace("{", "（").replace("}", "）")  # "{code}" is the only placeholder
    return (f"{SMS_SIGNATURE}验证码是 {{code}}。{name}说已发给您{month}月的计件工钱 {paid} 元。"
            "真的收到了，才把验证码念给车间或就业之家工作人员，就算您确认收到；没收到或金额不对，"
            f"请不要给，到就业之家反映。{minutes} 分钟内有效。")


def _receipt_checks(actor, wage: WageLine) -> None:
    """Who may start a desk confirmation, and whether the wage can be confirmed now (before any text)."""
    require_workshop(actor, wage.share.workshop)
    WAGE.check(wage, "confirm")


def _worker_phone(wage: WageLine) -> str:
    ws, phone = wage.share.workshop, (wage.worker.phone or "").strip()
    if not phone:
        raise InvalidInput(_("这位工人没有登记手机号，不能发验证码。请到就业之家当面确认"), field="code")
    payer_phones = {ws.owner_phone, getattr(ws.owner_user, "phone", "")} - {"", None}
    if phone in payer_phones:
        raise InvalidInput(_("这位工人登记的手机号是车间负责人的号码，验证码不能证明是工人本人。"
                             "请改成工人自己的手机号，或到就业之家当面确认"), field="code", code="payer_phone")
    return phone


def wage_receipt_code_send(*, actor, wage: WageLine) -> None:
    """Text a one-time code to the worker's own phone for this wage (phone_codes, purpose receipt_purpose). The
    code is never returned to the desk: the worker reads it out. Limits: the phone codes' per-number limits, and
    RECEIPT_SENDS_PER_HOUR per workshop and per person at the desk."""
    _receipt_checks(actor, wage)
    phone = _worker_phone(wage)
    msg = _("发验证码太频繁，请稍后再试")
    throttle.guard([
        (throttle.Rule(scope="wage_receipt:workshop", limit=RECEIPT_SENDS_PER_HOUR, window=throttle.minutes(60),
                       message=msg), str(wage.share.workshop_id)),
        (throttle.Rule(scope="wage_receipt:actor", limit=RECEIPT_SENDS_PER_HOUR, window=throttle.minutes(60),
                       message=msg), str(actor.pk)),
    ])
    phone_code_send(phone=phone, purpose=receipt_purpose(wage), text=receipt_sms_text(wage))
    audit(actor=actor, action="workshops.wage_receipt_code", target=wage, worker=wage.worker_id)


def _confirm_for_worker(*, actor, wage: WageLine, proof: str, note: str = "") -> WageLine:
    with transaction.atomic():
        wage = _lock_wage(wage)
        label = {ReceiptProof.SMS_CODE: "短信验证码", ReceiptProof.IN_PERSON_STAFF: "工作人员当面核对身份证"}[proof]
        WAGE.transition(wage, "confirm", actor=actor, lock=False, reason=(f"{label}：{note}" if note else label),
                        details={"proof": proof, "entered_by": actor.pk},
                        fields={"confirmed_at": _now(), "confirmed_via": proof, "confirm_entered_by": actor,
                                "confirm_note": note[:200]})
        WageArrearsAlert.objects.filter(wage=wage, resolved_at__isnull=True).update(
            resolved_at=_now(), resolved_by=actor, resolution=f"工人已确认收到（{label}）")
        audit(actor=actor, action="workshops.wage_confirm", target=wage, reason=note, proof=proof,
              worker=wage.worker_id, entered_by=actor.pk)
    return wage


def wage_confirm_by_code(*, actor, wage: WageLine, code: str) -> WageLine:
    """The owner or staff type the code the worker read out: the worker's “收到了”, proof sms_code. A wrong or
    expired code: InvalidInput (field "code"), nothing saved (the wrong try is counted in the code's row)."""
    _receipt_checks(actor, wage)
    phone = _worker_phone(wage)
    if not "".join(str(code or "").split()):
        raise InvalidInput(_("请填写工人念出的 6 位验证码"), field="code")
    phone_code_check(phone=phone, purpose=receipt_purpose(wage), code=code)  # outside: it counts wrong tries
    return _confirm_for_worker(actor=actor, wage=wage, proof=ReceiptProof.SMS_CODE)


def wage_confirm_in_person(*, actor, wage: WageLine, note: str) -> WageLine:
    """Staff of the workshop's township (or the bureau) record that the worker, in front of them with the ID
    card checked, said the money came: proof in_person_staff. Never the owner (the payer), nor HR of an
    enterprise that runs the workshop."""
    require_login(actor)
    ws = wage.share.workshop
    if owns(actor, ws):
        raise PermissionDeniedError(_("车间负责人不能代工人确认。请发验证码到工人手机，让工人念给您"),
                                    code="owner_not_allowed")
    if not (is_area_staff(actor, ws) or roles.is_bureau(actor)):
        raise PermissionDeniedError(_("只有所在乡镇的工作人员或人社局可以登记当面确认"))
    WAGE.check(wage, "confirm")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("请写明当面确认的情况，例如：本人持身份证到就业之家，说已收到现金 520 元"), field="note")
    return _confirm_for_worker(actor=actor, wage=wage, proof=ReceiptProof.IN_PERSON_STAFF, note=note)


def wage_dispute(*, actor, wage: WageLine, reason: str) -> WageLine:
    if not is_wage_worker(actor, wage):
        raise PermissionDeniedError(_("只有工人本人可以对工钱提出异议"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请说明哪里不对，例如：少算了 200 件"), field="reason")
    with transaction.atomic():
        wage = _lock_wage(wage)
        WAGE.transition(wage, "dispute", actor=actor, lock=False, reason=reason,
                        fields={"dispute_reason": reason[:200]})
        ws = wage.share.workshop
        _notify(user=ws.owner_user, text=f"【红娘社区工厂】{wage.worker.masked_name}对工钱有异议：{reason[:60]}")
        audit(actor=actor, action="workshops.wage_dispute", target=wage, reason=reason)
    return wage


def wage_resolve(*, actor, wage: WageLine, resolution: str, amount=None) -> WageLine:
    """The bureau settles a worker's dispute about piece wages, with a resolution the worker and the workshop
    both see. amount: what the worker is owed after checking (never less than pieces × rate as computed); when
    it is more than the workshop has paid, the wage is due again at that amount (the workshop pays, the worker
    confirms); otherwise what was paid stands and the worker is asked to confirm it."""
    roles.require_bureau(actor, _("工钱争议由人社局处理"))
    errors = FieldErrors()
    resolution = (resolution or "").strip()
    if not resolution:
        errors.add("reason", _("请填写处理结果，例如：核对件数后少算 200 件，车间补发"))
    owed = None
    if amount not in (None, ""):
        owed = _decimal(amount, "amount", _("核定工钱"), errors, positive=False, maximum=Decimal(10_000_000))
        if owed is not None and owed < wage.amount:
            errors.add("amount", _("核定工钱 %(owed)s 元不能低于按件核算的 %(amount)s 元（%(pieces)s 件 × 单价）") % {"owed": owed, "amount": wage.amount, "pieces": wage.pieces})
    errors.raise_if_any()
    with transaction.atomic():
        wage = _lock_wage(wage)
        WAGE.check(wage, "resolve")
        owed = wage.amount if owed is None else owed
        paid = wage.paid_amount
        more_owed = paid is None or owed > paid
        fields = {"amount": owed} if owed != wage.amount else {}
        if more_owed:
            fields |= {"confirmed_at": None}
        WAGE.transition(wage, "resolve", actor=actor, lock=False, reason=resolution[:200],
                        to=WageStatus.DUE if more_owed else WageStatus.PAID, fields=fields,
                        details={"amount": str(owed), "paid_amount": str(paid) if paid is not None else None})
        ws = wage.share.workshop
        text = (f"【红娘社区工厂】人社局已处理{wage.worker.masked_name}的工钱异议：{resolution[:60]}。"
                + (f"应发 {owed} 元，请车间发放后登记。" if more_owed else "已发金额维持不变。"))
        _notify(user=ws.owner_user, phone=ws.owner_phone, sms=True, text=text)
        _notify(user=wage.worker.user, phone=wage.worker.phone, sms=True,
                text=f"【红娘社区工厂】人社局已处理您的工钱异议：{resolution[:60]}。"
                     + (f"车间应发您 {owed} 元。" if more_owed else "请确认是否收到。"))
        audit(actor=actor, action="workshops.wage_resolve", target=wage, reason=resolution, amount=str(owed))
    return wage


# -------------------------------------------------------------------------------------------------- arrears

def overdue_wages(today: dt.date | None = None):
    """Wages past their agreed date and not confirmed by the worker, that never had an alert (an alert is raised
    once; the bureau follows it up until it is resolved)."""
    today = today or _today()
    return (WageLine.objects.filter(status__in=UNSETTLED_WAGE, due_date__lt=today)
            .exclude(pk__in=WageArrearsAlert.objects.values("wage_id"))
            .select_related("share", "share__order", "share__workshop", "worker").order_by("due_date", "pk"))


def arrears_raise(*, wage: WageLine, now=None) -> WageArrearsAlert | None:
    """One alert for an overdue wage (None if one is already open), and its notices: arrears_raise_many with
    this wage alone."""
    alerts = arrears_raise_many(wages=[wage], now=now)
    return alerts[0] if alerts else None


def arrears_raise_many(*, wages, now=None) -> list[WageArrearsAlert]:
    """An alert for each overdue wage that has none open (check_workshop_arrears passes overdue_wages()), and the
    notices: the owner (inbox + SMS) and a worker with a log-in account (inbox, linked to their wages) per wage;
    a worker without one (added by phone and name only) gets **one SMS per run** through the outbox, listing
    the wages of this run whose alert is their first (arrears_worker_sms_context: workshop, month, amount) —
    several months or several workshops, one text, grouped by the phone number. A wage alerted before (a
    nightly re-run, an alert raised again after a resolved one) is never texted again. The wages of one such
    worker, their alerts, the SMS and its audit row ("workshops.arrears_sms") are one transaction: if the SMS
    cannot be queued, none of those alerts is left and the next run tries again. Returns the alerts raised."""
    now = now or _now()
    groups: dict[tuple[str, str], list[WageLine]] = {}
    for wage in wages:
        worker = wage.worker
        texted = bool(worker.phone) and not worker_has_account(worker)
        groups.setdefault(("phone", worker.phone) if texted else ("wage", str(wage.pk)), []).append(wage)
    raised: list[WageArrearsAlert] = []
    for (kind, phone), group in groups.items():
        with transaction.atomic():
            first_alerts = []
            for wage in group:
                alert, first = _arrears_raise_one(wage=wage, now=now)
                if alert is not None:
                    raised.append(alert)
                    if first:
                        first_alerts.append(wage)
            if kind == "phone" and first_alerts:
                notify(recipient=None, phone=phone, template=ARREARS_SMS_TEMPLATE,
                       context=arrears_worker_sms_context(*first_alerts), sms=True)
                audit(actor=None, action="workshops.arrears_sms", target=first_alerts[0].worker,
                      wages=[w.pk for w in first_alerts])
    return raised


def _arrears_raise_one(*, wage: WageLine, now) -> tuple[WageArrearsAlert | None, bool]:
    """The alert (None if one is already open) and whether it is the wage's first; the owner's notices and, for
    a worker with an account, the inbox notice. Inside the caller's transaction."""
    reason = {WageStatus.DUE: "超过约定日期未发计件工钱", WageStatus.PAID: "已登记发放但工人超时未确认收到",
              WageStatus.DISPUTED: "计件工钱有争议，超时未解决"}.get(wage.status, "计件工钱未结清")
    first = not WageArrearsAlert.objects.filter(wage=wage).exists()
    try:
        with transaction.atomic():
            alert = WageArrearsAlert.objects.create(wage=wage, workshop=wage.share.workshop,
                                                    order=wage.share.order, raised_at=now, reason=reason)
    except IntegrityError:
        return None, False
    ws, worker = wage.share.workshop, wage.worker
    _notify(user=ws.owner_user, phone=ws.owner_phone, sms=True,
            text=f"【红娘社区工厂】欠薪预警：{worker.masked_name}的计件工钱 {wage.amount} 元{reason}，已报人社局跟进。")
    if worker_has_account(worker):
        _notify(user=worker.user, text=arrears_worker_text(wage), url=reverse("workshops:my_wages"))
    return alert, first


ARREARS_SMS_TEMPLATE = "workshop_wage_arrears"  # notifications/sms/workshop_wage_arrears.txt
ARREARS_SMS_LISTED = 3  # wages named in one SMS to a worker; more are counted ("另有 N 笔"), to keep it short


def worker_has_account(worker: WorkshopWorker) -> bool:
    """Whether the worker can log in and read an inbox (workers added by phone and name only cannot)."""
    return bool(worker.user_id and worker.user.is_active)


def _wage_month(wage: WageLine) -> int:
    delivered = wage.share.delivered_at
    return timezone.localdate(delivered).month if delivered else wage.due_date.month


def arrears_worker_sms_context(*wages: WageLine) -> dict:
    """The SMS to a worker without an account whose wages are overdue: their own case only, no other person's
    data, no link they could not open; where to go: the nearest 就业之家 (they cannot tap “收到了” / “有异议”).
    One wage: the workshop, the month, the amount (and what the workshop says it paid), the agreed date. Several
    (one run, several months or workshops): how many, and for the first ARREARS_SMS_LISTED the workshop, month
    and amount with a word for paid-unconfirmed or disputed ones."""
    wage = wages[0]
    case = {WageStatus.PAID: "paid", WageStatus.DISPUTED: "disputed"}.get(wage.status, "due")
    paid = wage.paid_amount if wage.paid_amount is not None else wage.amount
    listed = [{"workshop": w.share.workshop.name, "month": _wage_month(w), "amount": f"{w.amount}",
               "case": {WageStatus.PAID: "paid", WageStatus.DISPUTED: "disputed"}.get(w.status, "due")}
              for w in wages]
    return {"case": case, "workshop": wage.share.workshop.name, "month": _wage_month(wage),
            "amount": f"{wage.amount}", "paid": f"{paid}", "due": f"{wage.due_date.month}月{wage.due_date.day}日",
            "count": len(wages), "wages": listed[:ARREARS_SMS_LISTED], "more": max(0, len(wages) - ARREARS_SMS_LISTED),
            "any_paid": any(w["case"] == "paid" for w in listed)}


def arrears_worker_text(wage: WageLine) -> str:
    """What the worker is told when an arrears alert is raised on their wage: the truth of the case (not paid;
    paid by the workshop's word but not confirmed; disputed), with the amount and the batch. Stored and sent
    plain (the worker's inbox): see the i18n note in DEVELOPERS.md."""
    ws, order = wage.share.workshop, wage.share.order
    delivered = wage.share.delivered_at
    month = timezone.localdate(delivered).month if delivered else wage.due_date.month
    batch = f"{ws.name}“{order.product}”{month}月那批"
    due = f"{wage.due_date.month}月{wage.due_date.day}日"
    if wage.status == WageStatus.PAID:
        paid = wage.paid_amount if wage.paid_amount is not None else wage.amount
        return (f"【红娘社区工厂】{batch}的计件工钱：车间说已发给您 {paid} 元（应得 {wage.amount} 元），"
                "您还没确认收到。收到了请在“我的计件工钱”点“收到了”；没收到或金额不对请点“有异议”，"
                "人社局会跟进。")
    if wage.status == WageStatus.DISPUTED:
        return (f"【红娘社区工厂】您对{batch}计件工钱 {wage.amount} 元提的异议过了应发日期（{due}）还没解决，"
                "已报人社局跟进。")
    return (f"【红娘社区工厂】{batch}的计件工钱 {wage.amount} 元，约定{due}前发，车间还没发。"
            "已报人社局跟进；收到后请在“我的计件工钱”点“收到了”。")


def arrears_resolve(*, actor, alert: WageArrearsAlert, resolution: str) -> WageArrearsAlert:
    roles.require_bureau(actor, _("只有人社局工作人员可以处理欠薪预警"))
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput(_("请填写处理结果"), field="resolution")
    with transaction.atomic():
        alert = WageArrearsAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.resolved_at:
            raise Conflict(_("该预警已处理"))
        alert.resolved_at, alert.resolved_by, alert.resolution = _now(), actor, resolution[:200]
        alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit(actor=actor, action="workshops.arrears_resolve", target=alert, reason=resolution)
    return alert

