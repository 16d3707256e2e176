"""Gig-market pages. Thin: check, call one service, render. DomainErrors from POSTs become a message
(hongniang.core.middleware.DomainErrorMiddleware)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, PermissionDeniedError
from hongniang.core.forms import add_domain_errors
from hongniang.core.htmx import is_htmx
from hongniang.core.paging import page_number
from hongniang.core.throttle import client_ip
from hongniang.geo.models import Region, ServicePoint
from hongniang.notifications.phone_codes import console_hint, phone_code_send
from hongniang.seekers import phone_proof

from . import selectors, services
from .forms import (
    IndividualEmployerForm,
    OrderFilterForm,
    OrderForm,
    PayForm,
    QuickWorkerForm,
    WorkerProfileForm,
    employer_choice,
)
from .models import ArrearsAlert, GigAssignment, GigEmployer, GigNotice, GigOrder, GigWorker
from .permissions import may_see_worker_record
from .present import CONTACT_VISIBLE, worker_status

PAGE = 30


def _region(code):
    return Region.objects.filter(pk=code).first() if code else None


@require_GET
def order_list(request):
    form = OrderFilterForm(request.GET or None)
    p = form.cleaned_data if form.is_bound and form.is_valid() else {}
    orders = selectors.open_orders(work_type=p.get("work_type") or "", date=p.get("date"),
                                   township=_region(p.get("township")), lat=p.get("lat"), lon=p.get("lon"))
    page = page_number(request.GET.get("page"))
    start = (page - 1) * PAGE
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "gigs/list.html", {
        "form": form, "orders": orders[start:start + PAGE], "count": len(orders), "page": page,
        "has_next": start + PAGE < len(orders), "query": query.urlencode(),
        "worker": services.worker_of(request.user)})


def _order(pk):
    return get_object_or_404(GigOrder.objects.select_related("employer", "region", "township"), pk=pk)


@require_GET
def order_detail(request, pk: int):
    order = _order(pk)
    user = request.user
    manager = services.can_manage_order(user, order)
    worker = services.worker_of(user)
    mine = GigAssignment.objects.filter(order=order, worker=worker).first() if worker else None
    if mine is not None:
        mine.order = order
        mine.mine = worker_status(mine)
    ctx = {"order": order, "manager": manager, "worker": worker, "mine": mine,
           "show_contact": manager or (mine is not None and mine.status in CONTACT_VISIBLE),
           "employer_stars": selectors.employer_stars(order.employer_id)}
    if manager:
        rows = list(selectors.order_assignments(order))
        for a in rows:
            a.full = a.status in CONTACT_VISIBLE
        if any(a.full for a in rows):
            audit(actor=user, action="gigs.view_workers", target=order)
        ctx.update(assignments=rows, checkin_url=request.build_absolute_uri(
            reverse("gigs:checkin", args=[services.checkin_token(order)])), pay_form=PayForm())
    return render(request, "gigs/detail.html", ctx)


@login_required
@require_GET
def order_qr(request, pk: int):
    import segno

    order = _order(pk)
    if not services.can_manage_order(request.user, order):
        raise Http404
    url = request.build_absolute_uri(reverse("gigs:checkin", args=[services.checkin_token(order)]))
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=8, border=2)
    return HttpResponse(buf.getvalue(), content_type="image/svg+xml")


@login_required
@require_POST
def order_action(request, pk: int, action: str):
    order = _order(pk)
    user = request.user
    if action == "signup":
        services.signup(actor=user, order=order)
        messages.success(request, _("报名成功，雇主确认后会通知您"))
    elif action == "cancel":
        services.order_cancel(actor=user, order=order, reason=request.POST.get("reason", ""))
        messages.success(request, _("订单已取消，已通知报名的工人"))
    elif action == "start":
        services.order_start(actor=user, order=order)
    elif action == "complete":
        services.order_complete(actor=user, order=order)
        messages.success(request, _("订单已完工。记得登记付款"))
    elif action == "notify":
        n = services.notify_candidates(actor=user, order=order)
        messages.success(request, _("已通知 %(n)s 位合适的工人") % {"n": n})
    elif action == "rehire":
        w = get_object_or_404(GigWorker, pk=request.POST.get("worker"))
        services.rehire(actor=user, order=order, worker=w)
        messages.success(request, _("已邀请 %(masked_name)s") % {"masked_name": w.masked_name})
    else:
        raise Http404
    return redirect("gigs:order", pk=order.pk)


@login_required
@require_GET
def order_candidates(request, pk: int):
    order = _order(pk)
    if not services.can_manage_order(request.user, order):
        raise Http404
    return render(request, "gigs/candidates.html", {"order": order, "candidates": selectors.candidates(order)})


ACTIONS = {
    "confirm": lambda u, a, p: services.confirm(actor=u, assignment=a),
    "reject": lambda u, a, p: services.reject(actor=u, assignment=a, reason=p.get("reason", "")),
    "accept": lambda u, a, p: services.accept_invite(actor=u, assignment=a),
    "withdraw": lambda u, a, p: services.cancel_by_worker(actor=u, assignment=a, reason=p.get("reason", "")),
    # the reason goes into the worker's Chinese SMS and the record: the page sends none, the server words it
    "cancel": lambda u, a, p: services.cancel_by_employer(actor=u, assignment=a,
                                                          reason=p.get("reason", "").strip() or "雇主取消"),
    "check-in": lambda u, a, p: services.check_in(actor=u, assignment=a),
    "check-out": lambda u, a, p: services.check_out(actor=u, assignment=a, hours=p.get("hours") or None),
    "no-show": lambda u, a, p: services.mark_no_show(actor=u, assignment=a),
    "pay": lambda u, a, p: services.pay_record(actor=u, assignment=a, amount=p.get("amount"),
                                               method=p.get("method", "")),
    "pay-confirm": lambda u, a, p: services.pay_confirm(actor=u, assignment=a),
    "pay-dispute": lambda u, a, p: services.pay_dispute(actor=u, assignment=a, reason=p.get("reason", "")),
    "rate": lambda u, a, p: services.rate(actor=u, assignment=a, stars=p.get("stars"), comment=p.get("comment", "")),
}
DONE = {"confirm": _lazy("已录用，已通知工人"), "reject": _lazy("已标记不录用"), "accept": _lazy("已接受，到时请准时到场"),
        "withdraw": _lazy("已取消报名"), "cancel": _lazy("已取消该工人"), "check-in": _lazy("已签到"), "check-out": _lazy("已签退"),
        "no-show": _lazy("已标记未到岗"), "pay": _lazy("已登记付款，等工人确认"), "pay-confirm": _lazy("已确认收款，谢谢"),
        "pay-dispute": _lazy("已提交异议，雇主和工作人员会处理"), "rate": _lazy("谢谢评价")}


@login_required
@require_POST
def assignment_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    a = get_object_or_404(GigAssignment.objects.select_related("order", "order__employer", "worker"), pk=pk)
    w = services.worker_of(request.user)
    if not ((w is not None and w.pk == a.worker_id) or services.can_manage_order(request.user, a.order)):
        raise Http404
    ACTIONS[action](request.user, a, request.POST)
    messages.success(request, DONE[action])
    back = request.POST.get("next", "")
    if back.startswith("/gigs/"):
        return redirect(back)
    return redirect("gigs:order", pk=a.order_id)


@login_required
def order_post(request):
    employers = selectors.employers_to_post_for(request.user)
    if not employers:
        messages.warning(request, _("请先验证手机号成为个人雇主，或由已认证的单位发布"))
        return redirect("gigs:employer_join")
    form = OrderForm(request.POST or None, employers=employers,
                     initial={"employer": employer_choice(employers[0])} if len(employers) == 1 else None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        emp = next(e for e in employers if employer_choice(e) == d.pop("employer"))
        d["region"] = _region(d.pop("region"))
        try:
            with transaction.atomic():  # an enterprise's gig employer is created with its first order, or not at all
                if emp.pk is None:
                    emp = services.employer_for_enterprise(enterprise=emp.enterprise, actor=request.user)
                order = services.order_create(actor=request.user, employer=emp, **d)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("订单已发布。现场请打印签到二维码"))
            return redirect("gigs:order", pk=order.pk)
    return render(request, "gigs/post.html", {"form": form}, status=422 if form.errors else 200)


def _after_join(request) -> str:
    """Where a new worker goes: back to the order they came from (a local path only), else 我的零工."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return reverse("gigs:my_gigs")


def worker_join(request):
    """Quick sign-up: phone, name and the SMS code texted to the phone ("获取验证码" first). Staff sign up walk-ins
    the same way, without a code (they vouch for the number). A logged-in seeker joins with one tap: the name and
    home are filled in from their profile and their log-in number is used, with no code."""
    user = request.user
    staff = roles.is_staff_member(user)
    if services.worker_of(user) is not None and not staff:
        return redirect(_after_join(request))
    own = not staff and services.may_join_with_account_phone(user)
    initial = {}
    if own:
        seeker = roles.seeker_of(user)
        initial = {"name": (seeker.name if seeker else "") or user.display_name or "",
                   "home_region": seeker.home_region_id if seeker and seeker.home_region_id else ""}
    form = QuickWorkerForm(request.POST or None, initial=initial, account_phone=own)
    ctx = {"form": form, "staff": staff, "own": own, "own_phone": user.phone if own else "",
           "next": request.POST.get("next") or request.GET.get("next") or ""}
    sent = False
    if request.method == "POST" and "send" in request.POST and not staff and not own:
        try:
            phone_code_send(phone=request.POST.get("phone", ""), purpose=services.WORKER_CODE_PURPOSE,
                            ip=client_ip(request), actor=user)
            sent = True
        except DomainError as exc:
            form.is_valid()
            form.errors.clear()
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
        return render(request, "gigs/join.html", {**ctx, "sent": sent, "code_hint": console_hint()},
                      status=200 if sent else 422)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        point = None
        if staff:
            point = ServicePoint.objects.filter(pk__in=roles.service_point_ids(user)).first()
        try:
            w = services.worker_quick_signup(actor=user, name=d["name"], phone=d.get("phone") or "",
                                             work_types=d["work_types"], home_region=_region(d["home_region"]),
                                             service_point=point, code=d.get("code", ""), account_phone=own)
        except DomainError as exc:
            add_domain_errors(form, exc)
            sent = bool(d.get("code"))
        else:
            if staff:
                messages.success(request, _("已为 %(name)s 登记") % {"name": w.name})
                return redirect("gigs:join")
            if not user.is_authenticated:
                login(request, w.user, backend="django.contrib.auth.backends.ModelBackend")
                phone_proof.remember(request, w.user, phone_proof.GIG_SIGNUP)  # /me/password/ without a 2nd code
            done = _after_join(request)
            back = done != reverse("gigs:my_gigs")
            text = _("登记成功！现在可以报名这个活了") if back else _("登记成功！选好有空的日期，就能收到附近的活")
            if not w.user.has_usable_password():
                messages.success(request, format_html(
                    '{} <a class="btn secondary block" href="{}">{}</a>', text,
                    reverse("seekers:set_password"), _("设置密码，下次直接登录")))
            else:
                messages.success(request, text)
            return redirect(done)
    return render(request, "gigs/join.html", {**ctx, "sent": sent, "code_hint": console_hint() if sent else ""},
                  status=422 if form.errors else 200)


@login_required
def employer_join(request):
    form = IndividualEmployerForm(request.POST or None,
                                  initial={"phone": request.user.phone or "", "name": request.user.display_name})
    sent = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if "send" in request.POST:
                phone_code_send(phone=d["phone"], purpose=services.EMPLOYER_CODE_PURPOSE,
                                ip=client_ip(request), actor=request.user)
                sent = True
                messages.success(request, _("验证码已发送"))
            else:
                services.individual_employer_register(actor=request.user, name=d["name"], phone=d["phone"],
                                                      code=d["code"])
                messages.success(request, _("验证成功，现在可以发布零工订单了"))
                return redirect("gigs:post")
        except DomainError as exc:
            add_domain_errors(form, exc)
    return render(request, "gigs/employer_join.html", {"form": form, "sent": sent, "code_hint": console_hint()})


@login_required
def my_gigs(request):
    worker = services.worker_of(request.user)
    if worker is None:
        return redirect("gigs:join")
    today = timezone.localdate()
    days = [today + dt.timedelta(days=i) for i in range(14)]
    if request.method == "POST":
        if "availability" in request.POST:
            picked = set(request.POST.getlist("dates"))
            services.availability_set(actor=request.user, worker=worker,
                                      dates=[d for d in days if d.isoformat() in picked])
            messages.success(request, _("有空的日期已保存"))
        else:
            pf = WorkerProfileForm(request.POST)
            if pf.is_valid():
                services.worker_update(actor=request.user, worker=worker, work_types=pf.cleaned_data["work_types"],
                                       max_distance_km=pf.cleaned_data["max_distance_km"])
                messages.success(request, _("资料已保存"))
            else:
                messages.error(request, _("请检查填写的内容"))
        return redirect("gigs:my_gigs")
    free = set(worker.availability.filter(date__gte=today).values_list("date", flat=True))
    GigNotice.objects.filter(user=request.user, channel="inbox", read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "gigs/my_gigs.html", {
        "worker": worker, "assignments": _with_worker_status(selectors.worker_assignments(worker)[:100]),
        "days": [(d, d in free) for d in days], "record": selectors.worker_record(worker),
        "profile_form": WorkerProfileForm(initial={"work_types": worker.work_types,
                                                   "max_distance_km": worker.max_distance_km}),
        "notices": GigNotice.objects.filter(user=request.user, channel="inbox")[:10]})


def _with_worker_status(rows) -> list[GigAssignment]:
    """Each of the worker's gigs with `.mine`: where it stands in their words (present.worker_status)."""
    rows = list(rows)
    for a in rows:
        a.mine = worker_status(a)
    return rows


@login_required
@require_GET
def my_orders(request):
    user = request.user
    emp_ids = services.employer_ids_for(user)
    orders = list(selectors.employer_orders(emp_ids)[:100])
    points = roles.service_point_ids(user)
    if points:
        seen = {o.pk for o in orders}
        orders += [o for o in selectors.staff_orders(points)[:100] if o.pk not in seen]
    employers = list(GigEmployer.objects.filter(pk__in=emp_ids))
    previous = []
    for e in employers:
        previous += selectors.previous_workers(e.pk, limit=20)
    open_orders = [o for o in orders if o.signup_open]  # rehire invites only to orders still taking people
    return render(request, "gigs/my_orders.html", {"orders": orders, "employers": employers,
                                                   "previous": previous, "open_orders": open_orders})


@login_required
@require_GET
def worker_record(request, pk: int):
    w = get_object_or_404(GigWorker, pk=pk)
    if not may_see_worker_record(request.user, w):
        raise Http404(_("找不到该工人"))
    return render(request, "gigs/record.html", {"record": selectors.worker_record(w)})


def checkin(request, token: str):
    """The page the site QR code opens: check in on the first scan, check out on the second."""
    order = services.order_from_token(token)
    worker = services.worker_of(request.user)
    mine = GigAssignment.objects.filter(order=order, worker=worker).first() if worker else None
    if mine is not None:
        mine.order = order
        mine.mine = worker_status(mine)
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDeniedError(_("请先登录"), code="unauthorized")
        a = services.scan(actor=request.user, token=token)
        if getattr(a, "just_checked_in", False):
            messages.info(request, _("您已签到，不用再扫。下班时再扫一次签退。"))
        else:
            messages.success(request, _("签到成功！") if a.status == "checked_in" else _("签退成功，工时 %(hours_worked)s 小时") % {"hours_worked": a.hours_worked})
        return redirect("gigs:checkin", token=token)
    return render(request, "gigs/checkin.html", {"order": order, "mine": mine, "token": token})


@require_GET
def screen(request):
    township = _region(request.GET.get("township"))
    ctx = {"rows": selectors.orders_for_screen(township=township), "now": timezone.localtime(),
           "township": township, "query": request.GET.urlencode()}
    if is_htmx(request):
        return render(request, "gigs/_screen_rows.html", ctx)
    return render(request, "gigs/screen.html", ctx)


def _require_figures(user):
    return roles.is_staff_or_bureau(user)


@login_required
@require_GET
def figures(request):
    if not _require_figures(request.user):
        raise PermissionDeniedError(_("只有人社局和站点工作人员可以查看"))
    today = timezone.localdate()
    try:
        date_to = dt.date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
        date_from = dt.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else date_to - dt.timedelta(days=29)
    except ValueError:
        date_to, date_from = today, today - dt.timedelta(days=29)
    if date_from > date_to or (date_to - date_from).days > 366:
        date_from = date_to - dt.timedelta(days=29)
    return render(request, "gigs/figures.html", {"f": selectors.figures(date_from=date_from, date_to=date_to)})


@login_required
def arrears(request):
    roles.require_bureau(request.user, _("只有人社局工作人员可以查看欠薪预警"))
    if request.method == "POST":
        alert = get_object_or_404(ArrearsAlert, pk=request.POST.get("alert"))
        services.arrears_resolve(actor=request.user, alert=alert, resolution=request.POST.get("resolution", ""))
        messages.success(request, _("已处理"))
        return redirect("gigs:arrears")
    return render(request, "gigs/arrears.html", {"alerts": list(selectors.open_arrears()[:300])})
