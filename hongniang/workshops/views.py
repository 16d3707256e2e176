"""Workshop pages under /workshops/. Thin: check, call one service or selector, render. Phone first: the workshop
owner's pages (offers, shares, today's pieces for every worker on one screen, wages) are cards and big buttons.
DomainErrors of a POST become a Chinese message (core.middleware.DomainErrorMiddleware) unless a form shows them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from hongniang.core import roles, wages
from hongniang.core.access import bureau_required, staff_required
from hongniang.core.errors import DomainError, NotFoundError
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region

from . import exports, ledger, selectors, services
from .forms import FiguresFilter, HandoverForm, OrderForm, RetrialForm, WorkerForm, WorkshopForm
from .machines import ORDER, SHARE, WAGE
from .models import Share, ShareStatus, WageArrearsAlert, WageLine, WageStatus, Workshop, WorkshopStatus
from .permissions import (
    can_manage_order,
    can_see_workshop,
    is_area_staff,
    is_workshop_owner,
    is_workshop_worker,
    owned_workshop_ids,
    owns,
    staff_township_codes,
)

S = ShareStatus


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFoundError:
        raise Http404 from None


def _today() -> dt.date:
    return timezone.localdate()


def _render(request, template: str, context: dict, *, status: int = 200):
    """render(), with the workshop roles the pages' own navigation needs."""
    user = request.user
    context.setdefault("ws_owner", is_workshop_owner(user))
    context.setdefault("ws_worker", is_workshop_worker(user))
    return render(request, template, context, status=status)


# --------------------------------------------------------------------------------------------------- public

def index(request):
    """Public: the workshops taking orders, by township; for a logged-in user, the way to their own pages."""
    township = request.GET.get("township", "")
    shops = selectors.public_workshops(township=township)
    rows = selectors.public_dicts(shops)
    user = request.user
    # the name links to the workshop's page only for those it opens to (its owner, its township's staff, the
    # bureau); everyone else sees the public card without a link
    openable = {w.pk for w in shops if can_see_workshop(user, w)}
    towns = Region.objects.filter(kind="township", pk__in=Workshop.objects.filter(
        status=WorkshopStatus.ACTIVE).values("township_id")).order_by("code")
    user = request.user
    return _render(request, "workshops/index.html", {
        "rows": rows, "towns": towns, "township": township, "openable": openable,
        "is_enterprise": bool(roles.enterprise_ids(user)), "is_owner": is_workshop_owner(user),
        "is_staff": bool(roles.service_point_ids(user)), "is_bureau": roles.is_bureau(user),
    })


# ----------------------------------------------------------------------------------------------- enterprise

@login_required
def enterprise(request):
    if not roles.enterprise_ids(request.user):
        raise PermissionDenied(_("只有企业可以查看外发订单"))
    view = selectors.enterprise_overview(request.user)
    return _render(request, "workshops/enterprise.html", {"v": view, "today": _today()})


@login_required
def order_new(request):
    ents = list(Enterprise.objects.filter(pk__in=roles.enterprise_ids(request.user)).order_by("name"))
    if not ents:
        raise PermissionDenied(_("只有企业可以发布外发订单"))
    form = OrderForm(request.POST or None, initial={"deadline": _today() + dt.timedelta(days=14)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ent = next((e for e in ents if str(e.pk) == request.POST.get("enterprise")), ents[0])
        try:
            order = services.order_create(
                actor=request.user, enterprise=ent, product=d["product"], process=d["process"],
                occupation=d["occupation"].strip() or None, quantity=d["quantity"], piece_rate=d["piece_rate"],
                deadline=d["deadline"], trial_workers=d["trial_workers"],
                trial_pieces_per_hour=d["trial_pieces_per_hour"], allowed_reject_rate=d["allowed_reject_rate"],
                quality_standard=d["quality_standard"], materials=d["materials"], splittable=d["splittable"],
                wage_days=d["wage_days"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("已发布。公平最低单价 %(fair_minimum_rate)s 元/件，工人预计每小时 %(expected_hourly)s 元。下一步：派给车间。") % {"fair_minimum_rate": order.fair_minimum_rate, "expected_hourly": order.expected_hourly})
            return redirect("workshops:order", order.pk)
    return _render(request, "workshops/order_new.html", {"form": form, "ents": ents,
                                                        "minimum_hourly": wages.minimum_hourly()})


def _trial_history(order) -> list:
    """The flags and new trials of an order that had a new trial (a flag still open is the notice on top)."""
    events = list(order.events.filter(action__in=("flag_trial", "retrial")).order_by("at", "pk"))
    return events if any(e.action == "retrial" for e in events) else []


def _order_page(request, order, *, retrial_form=None, status=200):
    user = request.user
    manager = can_manage_order(user, order)
    bal = selectors.balances(user, order)
    shares = [r["share"] for r in bal["shares"]]
    for r in bal["shares"]:
        r["buttons"] = SHARE.buttons(r["share"], user)
        # the enterprise sees its shares but not the workshops' own pages (their workers and photos)
        r["ws_link"] = can_see_workshop(user, r["share"].workshop)
    handovers = selectors.handovers_of(user, order)
    candidates = selectors.rank_workshops(order, limit=10) if manager and order.status in ("open", "in_progress") \
        else []
    for c in candidates:
        c["skill_label"] = selectors.skill_label(c["skill"])
    handover_shares = [s for s in shares if s.status in (S.ACCEPTED, S.MATERIAL_COLLECTED, S.IN_PRODUCTION,
                                                         S.DELIVERED)]
    can_retrial = ORDER.can(order, "retrial", user)
    if can_retrial and retrial_form is None:
        retrial_form = RetrialForm(initial={"piece_rate": order.piece_rate})
    return _render(request, "workshops/order_detail.html", {
        "order": order, "manager": manager, "bal": bal, "handovers": handovers, "candidates": candidates,
        "handover_form": HandoverForm(shares=handover_shares) if handover_shares else None,
        "retrial_form": retrial_form if can_retrial else None,
        "trial_history": _trial_history(order) if manager else [],
        "median_hourly": ledger.median_hourly(order), "minimum_hourly": wages.minimum_hourly()}, status=status)


@login_required
def order_detail(request, pk):
    return _order_page(request, _or_404(selectors.order_for, request.user, pk))


@login_required
@require_POST
def order_retrial(request, pk):
    """The enterprise records a new timed trial of a flagged order and a new piece rate (on the order's page)."""
    order = _or_404(selectors.order_for, request.user, pk)
    if not can_manage_order(request.user, order):
        raise PermissionDenied(_("只有发单企业可以登记重新试做"))
    form = RetrialForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            order = services.order_retrial(actor=request.user, order=order, trial_workers=d["trial_workers"],
                                           trial_pieces_per_hour=d["trial_pieces_per_hour"],
                                           piece_rate=d["piece_rate"], note=d["note"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("已登记重新试做：计件单价 %(piece_rate)s 元/件（公平最低 %(fair_minimum_rate)s），工人预计每小时 %(expected_hourly)s 元。") % {"piece_rate": order.piece_rate, "fair_minimum_rate": order.fair_minimum_rate, "expected_hourly": order.expected_hourly})
            return redirect("workshops:order", order.pk)
    order.refresh_from_db()
    return _order_page(request, order, retrial_form=form, status=422)


@login_required
@require_POST
def order_offer(request, pk):
    order = _or_404(selectors.order_for, request.user, pk)
    offers = []
    for key, value in request.POST.items():
        if key.startswith("qty_") and value.strip():
            ws = Workshop.objects.filter(pk=key[4:]).first() if key[4:].isdigit() else None
            if ws is not None:
                offers.append((ws, value))
    services.order_offer(actor=request.user, order=order, offers=offers)
    messages.success(request, _("已派给 %(n)s 个车间，等车间接单。") % {"n": len(offers)})
    return redirect("workshops:order", order.pk)


@login_required
@require_POST
def order_cancel(request, pk):
    order = _or_404(selectors.order_for, request.user, pk)
    services.order_cancel(actor=request.user, order=order, reason=request.POST.get("reason", ""))
    messages.success(request, _("订单已取消。"))
    return redirect("workshops:order", order.pk)


@login_required
@require_POST
def handover_add(request, pk):
    order = _or_404(selectors.order_for, request.user, pk)
    share = _or_404(selectors.share_for, request.user, request.POST.get("share") or 0)
    if share.order_id != order.pk:
        raise Http404
    services.handover_record(actor=request.user, share=share, kind=request.POST.get("kind", ""),
                             quantity=request.POST.get("quantity", ""), date=request.POST.get("date") or None,
                             handed_by=request.POST.get("handed_by", ""), reason=request.POST.get("reason", ""),
                             photos=request.FILES.getlist("photos"))
    messages.success(request, _("交接已登记。"))
    return redirect(request.POST.get("next") or reverse("workshops:order", args=[order.pk]))


PHOTO_TYPES = {"png": "image/png", "webp": "image/webp"}


def _photo_response(image):
    ext = image.name.rsplit(".", 1)[-1].lower()
    try:
        fh = image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    resp = FileResponse(fh, content_type=PHOTO_TYPES.get(ext, "image/jpeg"))
    resp["Cache-Control"] = "private, max-age=3600"
    return resp


@login_required
def handover_photo(request, pk):
    """A reject photo (stored outside the public static files): only for those who see its share."""
    return _photo_response(_or_404(selectors.handover_photo_for, request.user, pk).image)


@login_required
def workshop_photo(request, pk, photo_id):
    photo = _or_404(selectors.workshop_photo_for, request.user, photo_id)
    if photo.workshop_id != pk:
        raise Http404
    return _photo_response(photo.image)


@login_required
@require_POST
def workshop_photo_add(request, pk):
    ws = _or_404(selectors.workshop_for, request.user, pk)
    services.workshop_photo_add(actor=request.user, workshop=ws, photo=request.FILES.get("photo"),
                                caption=request.POST.get("caption", ""))
    messages.success(request, _("照片已上传。"))
    return redirect("workshops:detail", ws.pk)


@login_required
@require_POST
def workshop_photo_delete(request, pk, photo_id):
    photo = _or_404(selectors.workshop_photo_for, request.user, photo_id)
    if photo.workshop_id != pk:
        raise Http404
    services.workshop_photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("照片已删除。"))
    return redirect("workshops:detail", pk)


SHARE_ACTIONS = {
    "accept": lambda u, s, p: services.share_accept(actor=u, share=s, quantity=p.get("quantity") or None),
    "decline": lambda u, s, p: services.share_decline(actor=u, share=s, reason=p.get("reason", "")),
    "start": lambda u, s, p: services.share_start(actor=u, share=s),
    "deliver": lambda u, s, p: services.share_deliver(actor=u, share=s, balance_reason=p.get("reason", "")),
    "check": lambda u, s, p: services.share_check(actor=u, share=s),
    "pay": lambda u, s, p: services.share_pay(actor=u, share=s, amount=p.get("amount") or None),
    "dispute": lambda u, s, p: services.share_dispute(actor=u, share=s, reason=p.get("reason", "")),
    "resolve": lambda u, s, p: services.share_resolve(actor=u, share=s, resolution=p.get("reason", "")),
    "cancel": lambda u, s, p: services.share_cancel(actor=u, share=s, reason=p.get("reason", "")),
}
DONE_TEXT = {"accept": _lazy("已接单"), "decline": _lazy("已谢绝"), "start": _lazy("已开工"), "deliver": _lazy("已交货，工钱已按件核算"),
             "check": _lazy("已验收"), "pay": _lazy("已结算"), "dispute": _lazy("已提出争议，人社局会跟进"), "resolve": _lazy("争议已处理"),
             "cancel": _lazy("分单已取消")}


@login_required
@require_POST
def share_act(request, pk, action):
    share = _or_404(selectors.share_for, request.user, pk)
    if action not in SHARE_ACTIONS:
        raise Http404
    SHARE_ACTIONS[action](request.user, share, request.POST)
    messages.success(request, DONE_TEXT[action])
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/workshops/") else reverse("workshops:order", args=[share.order_id]))


# -------------------------------------------------------------------------------------- the workshop owner

@login_required
def mine(request):
    """The owner's phone page: new offers, shares in hand, workers."""
    user = request.user
    shops = list(selectors.workshops_for(user).filter(pk__in=owned_workshop_ids(user)))
    if not shops:
        raise PermissionDenied(_("您还没有登记的社区工厂。请到附近的就业之家登记。"))
    shares = list(selectors.my_shares(user).exclude(status__in=(S.DECLINED, S.CANCELLED, S.PAID)))
    bal = ledger.balances_by_share(s.pk for s in shares)
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shop = next((w for w in shops if str(w.pk) == request.POST.get("workshop")), shops[0])
        try:
            services.worker_add(actor=user, workshop=shop, name=form.cleaned_data["name"],
                                phone=form.cleaned_data["phone"], home_region=shop.region)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("工人已添加。"))
            return redirect("workshops:mine")
    return _render(request, "workshops/mine.html", {
        "shops": [{"ws": w, "workers": selectors.workers_of(user, w)} for w in shops], "form": form,
        "offers": [{"share": s, "buttons": SHARE.buttons(s, user)} for s in shares if s.status == S.OFFERED],
        "working": [{"share": s, "bal": bal.get(s.pk, ledger.Balance()), "buttons": SHARE.buttons(s, user)}
                    for s in shares if s.status != S.OFFERED]})


def _pieces_viewer(user, workshop) -> str:
    """Who opens the pieces page, for its hints: "owner" (the workshop's 负责人, who adds workers under 我的车间),
    "staff" (a service point of its township, recording for the owner at the desk) or "bureau"."""
    if owns(user, workshop):
        return "owner"
    if is_area_staff(user, workshop):
        return "staff"
    return "bureau"


@login_required
def pieces(request, pk):
    """Today's pieces for every worker of the workshop on ONE screen (a past day with ?day=)."""
    user = request.user
    share = _or_404(selectors.share_for, user, pk)
    if not can_see_workshop(user, share.workshop):
        raise PermissionDenied(_("只有该车间可以登记件数"))
    try:
        day = dt.date.fromisoformat(request.POST.get("day") or request.GET.get("day") or "")
    except ValueError:
        day = _today()
    workers = [w for w in selectors.workers_of(user, share.workshop) if w.active]
    existing = {r.worker_id: r for r in share.pieces.filter(day=day)}
    errors = {}
    if request.method == "POST":
        entries = [{"worker": w.pk, "pieces": request.POST.get(f"pieces_{w.pk}", "").strip() or 0,
                    "hours": request.POST.get(f"hours_{w.pk}", "").strip()} for w in workers]
        try:
            services.pieces_record(actor=user, share=share, day=day, entries=entries)
        except DomainError as exc:
            errors = exc.errors or {"__all__": [exc.message]}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(month)s月%(day)s日的件数已保存。") % {"month": f"{day:%m}", "day": f"{day:%d}"})
            return redirect(f"{reverse('workshops:pieces', args=[share.pk])}?day={day.isoformat()}")
    rows = []
    for w in workers:
        rec = existing.get(w.pk)
        rows.append({"worker": w, "pieces": request.POST.get(f"pieces_{w.pk}") if errors else (rec.pieces if rec else ""),
                     "hours": request.POST.get(f"hours_{w.pk}") if errors else (rec.hours if rec else ""),
                     "error": (errors.get(f"pieces_{w.pk}") or errors.get(f"hours_{w.pk}") or [""])[0]})
    total = ledger.pieces_total(share)
    return _render(request, "workshops/pieces.html", {
        "share": share, "order": share.order, "day": day, "rows": rows, "today": _today(),
        "owns_workshop": owns(user, share.workshop), "viewer": _pieces_viewer(user, share.workshop),
        "prev": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1) if day < _today() else None,
        "total": total, "balance": ledger.share_balance(share),
        "general_error": (errors.get("__all__") or errors.get("pieces") or errors.get("day") or [""])[0]})


@login_required
def owner_wages(request):
    user = request.user
    shops = [w for w in selectors.workshops_for(user) if w.pk in owned_workshop_ids(user)]
    if not shops:
        raise PermissionDenied(_("只有社区工厂负责人可以查看"))
    lines = [w for shop in shops for w in selectors.workshop_wages(user, shop)]
    return _render(request, "workshops/owner_wages.html", {
        "lines": [{"w": w, "buttons": WAGE.buttons(w, user)} for w in lines], "today": _today(),
        "due_total": sum((w.amount for w in lines if w.status in (WageStatus.DUE, WageStatus.DISPUTED)), start=0)})


@login_required
def my_wages(request):
    """A worker's own piece wages: confirm or dispute."""
    lines = selectors.my_wages(request.user)
    return _render(request, "workshops/my_wages.html", {
        "lines": [{"w": w, "buttons": WAGE.buttons(w, request.user)} for w in lines]})


@login_required
@require_POST
def wage_act(request, pk, action):
    wage = WageLine.objects.select_related("share", "share__workshop", "share__order", "worker").filter(pk=pk).first()
    if wage is None or not selectors.may_see_wage(request.user, wage):
        raise Http404
    if action == "pay":
        services.wage_pay(actor=request.user, wage=wage, amount=request.POST.get("amount") or None)
        messages.success(request, _("已登记发放，等工人确认。"))
    elif action == "confirm":
        services.wage_confirm(actor=request.user, wage=wage)
        messages.success(request, _("已确认收到。"))
    elif action == "dispute":
        services.wage_dispute(actor=request.user, wage=wage, reason=request.POST.get("reason", ""))
        messages.success(request, _("异议已提交，车间和人社局会看到。"))
    else:
        raise Http404
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/workshops/") else reverse("workshops:my_wages"))


@login_required
def wage_receipt(request, pk):
    """工人确认收到 at the desk, for a worker who cannot tap “收到了” themselves: a code to the worker's own phone,
    which the worker reads out and the owner or staff type in; or, for township staff and the bureau, the
    worker's confirmation in front of them with the ID card checked (a required note)."""
    user = request.user
    wage = (WageLine.objects.select_related("share", "share__workshop", "share__order", "worker")
            .filter(pk=pk).first())
    if wage is None or not selectors.may_see_wage(user, wage):
        raise Http404
    ws = wage.share.workshop
    if not can_see_workshop(user, ws):
        raise PermissionDenied(_("只有该车间负责人或所在乡镇的工作人员可以办理"))
    in_person = not owns(user, ws) and (is_area_staff(user, ws) or roles.is_bureau(user))
    errors: dict[str, str] = {}
    sent = False
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "send":
                services.wage_receipt_code_send(actor=user, wage=wage)
                sent = True
                messages.success(request, _("验证码已发到工人手机（%(phone)s）。请工人念出验证码，填在下面。") % {
                    "phone": wage.worker.masked_phone})
            elif step == "code":
                services.wage_confirm_by_code(actor=user, wage=wage, code=request.POST.get("code", ""))
                messages.success(request, _("已记下：%(name)s确认收到工钱（短信验证码）。") % {"name": wage.worker.name})
                return redirect(request.path)
            elif step == "in_person" and in_person:
                services.wage_confirm_in_person(actor=user, wage=wage, note=request.POST.get("note", ""))
                messages.success(request, _("已记下：%(name)s当面确认收到工钱。") % {"name": wage.worker.name})
                return redirect(request.path)
            else:
                raise Http404
        except DomainError as exc:
            field = exc.field if exc.field in ("code", "note") else "general"
            errors[field] = exc.message
            sent = step == "code"
        wage.refresh_from_db()
    back = reverse("workshops:owner_wages") if owns(user, ws) else reverse("workshops:workshop_wages", args=[ws.pk])
    return _render(request, "workshops/wage_receipt.html", {
        "w": wage, "ws": ws, "can_confirm": WAGE.can(wage, "confirm"), "in_person": in_person, "sent": sent,
        "errors": errors, "back": back, "code_value": request.POST.get("code", "") if errors.get("code") else "",
        "note_value": request.POST.get("note", "") if errors.get("note") else "",
        "entered_by": wage.confirm_entered_by.display_name or wage.confirm_entered_by.username
        if wage.confirm_entered_by_id else ""}, status=422 if errors else 200)


@login_required
def workshop_wages(request, pk):
    """A workshop's wage lines for those who act for it (owner, its township's staff, the bureau): record
    payment, and 工人确认收到 for a worker without a log-in."""
    user = request.user
    ws = _or_404(selectors.workshop_for, user, pk)
    lines = selectors.workshop_wages(user, ws)
    return _render(request, "workshops/owner_wages.html", {
        "lines": [{"w": w, "buttons": WAGE.buttons(w, user)} for w in lines], "today": _today(), "ws": ws,
        "due_total": sum((w.amount for w in lines if w.status in (WageStatus.DUE, WageStatus.DISPUTED)), start=0)})


@login_required
def workshop_detail(request, pk):
    user = request.user
    ws = _or_404(selectors.workshop_for, user, pk)
    rec = selectors.records([ws.pk])[ws.pk]
    shares = list(ws.shares.select_related("order", "order__enterprise").order_by("-created_at")[:50])
    return _render(request, "workshops/workshop_detail.html", {
        "ws": ws, "rec": rec, "photos": list(ws.photos.all()), "max_photos": services.MAX_WORKSHOP_PHOTOS, "cap": selectors.capacity([ws])[ws.pk], "workers": selectors.workers_of(user, ws),
        "shares": shares, "skills": selectors.occupation_names(ws.skills)})


# ------------------------------------------------------------------------------------------------- staff

@staff_required
def staff(request):
    """Staff register workshops in their area and see them."""
    user = request.user
    towns = None if roles.is_bureau(user) else sorted(staff_township_codes(user))
    form = WorkshopForm(request.POST or None, townships=towns)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ws = services.workshop_register(
                actor=user, name=d["name"], kind=d["kind"], region=d["region"], owner_name=d["owner_name"],
                owner_phone=d["owner_phone"], stations=d["stations"], hours_per_day=d["hours_per_day"],
                usual_hours=d["usual_hours"], skills=d["skills"].replace("，", " ").replace(",", " ").split(),
                skills_text=d["skills_text"], equipment=d["equipment"], address=d["address"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("已登记“%(name)s”。负责人用手机号 %(owner_phone)s 收验证码登录。") % {"name": ws.name, "owner_phone": ws.owner_phone})
            return redirect("workshops:staff")
    shops = list(selectors.workshops_for(user).order_by("township_id", "name")[:500])
    recs = selectors.records(w.pk for w in shops)
    return _render(request, "workshops/staff.html", {"form": form, "rows": [(w, recs[w.pk]) for w in shops]})


# ------------------------------------------------------------------------------------------------ bureau

@bureau_required
def bureau(request):
    f = FiguresFilter(request.GET or None)
    since, until, township = f.period()
    fig = selectors.bureau_figures(since=since, until=until, township=township)
    alerts = list(selectors.open_arrears()[:50])
    return _render(request, "workshops/bureau.html", {
        "f": f, "fig": fig, "alerts": alerts, "query": request.GET.urlencode(),
        "disputed_shares": Share.objects.filter(status=S.DISPUTED).count(),
        "disputed_wages": WageLine.objects.filter(status=WageStatus.DISPUTED).count(),
        "open_alerts": selectors.open_arrears().count()})


@bureau_required
def bureau_export(request):
    f = FiguresFilter(request.GET or None)
    since, until, township = f.period()
    data = exports.bureau_xlsx(selectors.bureau_figures(since=since, until=until, township=township))
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="workshops-{_today():%Y%m%d}.xlsx"'
    return resp


@bureau_required
def bureau_disputes(request):
    """What goes to the bureau: disputed checks of finished goods, disputed piece wages and open arrears alerts,
    each with a resolution form (the services check the text and write the history and the audit)."""
    d = selectors.bureau_disputes(request.user)
    return _render(request, "workshops/bureau_disputes.html", {"d": d, "today": _today()})


def _back_to_disputes(request, text: str):
    messages.success(request, text)
    return redirect("workshops:bureau_disputes")


@bureau_required
@require_POST
def bureau_share_resolve(request, pk):
    share = Share.objects.select_related("order", "workshop").filter(pk=pk).first()
    if share is None:
        raise Http404
    services.share_resolve(actor=request.user, share=share, resolution=request.POST.get("reason", ""))
    return _back_to_disputes(request, _("已处理%(name)s的验收争议，分单回到“已验收”。") % {"name": share.workshop.name})


@bureau_required
@require_POST
def bureau_wage_resolve(request, pk):
    wage = WageLine.objects.select_related("share", "share__workshop", "share__order", "worker").filter(pk=pk).first()
    if wage is None:
        raise Http404
    wage = services.wage_resolve(actor=request.user, wage=wage, resolution=request.POST.get("reason", ""),
                                 amount=request.POST.get("amount") or None)
    if wage.status == WageStatus.DUE:
        return _back_to_disputes(request, _("已处理工钱异议：车间应发 %(amount)s 元，等车间发放、工人确认。") % {"amount": wage.amount})
    return _back_to_disputes(request, _("已处理工钱异议：已发金额维持，等工人确认。"))


@bureau_required
@require_POST
def bureau_arrears_resolve(request, pk):
    alert = WageArrearsAlert.objects.filter(pk=pk).first()
    if alert is None:
        raise Http404
    services.arrears_resolve(actor=request.user, alert=alert, resolution=request.POST.get("reason", ""))
    return _back_to_disputes(request, _("欠薪预警已处理。"))
