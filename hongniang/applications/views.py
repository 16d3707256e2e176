"""Apply / withdraw pages. The apply box (applications/_apply_box.html) is included in the job page;
its forms post here. With htmx the answer is the updated box; without JS, a redirect back to the
job page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniang.core import roles
from hongniang.core.access import staff_required
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.core.htmx import is_htmx
from hongniang.jobs.models import JobPosting
from hongniang.seekers import selectors as seeker_selectors

from . import selectors, services
from .forms import StaffApplyForm
from .machines import pipeline_actions
from .models import Application, ApplicationStatus

BOX = "applications/_apply_box.html"


def _job_url(posting) -> str:
    try:
        return reverse("jobs:detail", args=[posting.pk])
    except Exception:  # the job pages belong to another app and may not be wired yet
        return "/"


def _safe_next(request, fallback: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return fallback


def _answer(request, posting, *, ok: bool, message: str, next_url: str, **extra):
    if is_htmx(request):
        ctx = {"posting": posting, "next_url": next_url, "box_message": message, "box_ok": ok,
               "role_seeker": roles.seeker_of(request.user), **extra}
        return render(request, BOX, ctx)
    (messages.success if ok else messages.error)(request, message)
    return redirect(next_url)


@staff_required
def apply_for(request, posting_id: int):
    """Staff apply on behalf of one of their point's seekers, with the seeker's consent."""
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    # the search box posts (a phone number or ID tail must not end up in the URL / access logs)
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    error = ""
    if request.method == "POST" and "search" not in request.POST:
        form = StaffApplyForm(request.POST)
        if form.is_valid():
            seeker = seeker_selectors.staff_seeker_or_none(request.user, form.cleaned_data["seeker"])
            if seeker is None:
                raise Http404(_("找不到该求职者"))
            try:
                application = services.application_apply(
                    seeker=seeker, posting=posting, actor=request.user, channel="staff",
                    consent_confirmed=form.cleaned_data["consent_confirmed"],
                    consent_channel=form.cleaned_data.get("consent_channel") or "verbal")
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("已为 %(name)s 报名「%(title)s」") % {"name": seeker.name, "title": posting.title} if application.created
                                 else _("%(name)s 已报名过该岗位") % {"name": seeker.name})
                return redirect(_safe_next(request, request.path))
        else:
            error = _("请选择求职者")
    seekers = list(seeker_selectors.staff_seekers(request.user, q)[:30])
    return render(request, "applications/apply_for.html",
                  {"posting": posting, "seekers": seekers, "q": q, "error": error})


@login_required
@require_POST
def withdraw(request, pk: int):
    application = selectors.withdrawable_application(request.user, pk)
    if application is None:
        raise Http404(_("找不到该报名"))
    next_url = _safe_next(request, reverse("seekers:applications"))
    try:
        application = services.application_withdraw(actor=request.user, application=application,
                                                    reason=request.POST.get("reason", ""))
    except DomainError as exc:
        if is_htmx(request):
            return render(request, "seekers/_application_item.html", {"a": application, "error": exc.message})
        messages.error(request, exc.message)
        return redirect(next_url)
    if is_htmx(request):
        return render(request, "seekers/_application_item.html", {"a": application, "done": _("已撤回")})
    messages.success(request, _("已撤回报名"))
    return redirect(next_url)


# --- the pipeline (enterprise HR), history, start and pay confirmations (seeker / point staff) --------


def _parse_date(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat((value or "").strip()) if (value or "").strip() else None
    except ValueError:
        raise InvalidInput(_("日期格式不正确")) from None


def _parse_datetime(value: str):
    import datetime as dt

    from django.utils import timezone

    value = (value or "").strip()
    if not value:
        return None
    try:
        return timezone.make_aware(dt.datetime.fromisoformat(value))
    except ValueError:
        raise InvalidInput(_("时间格式不正确"), field="interview_at") from None


def pipeline_fields(data) -> dict:
    """A pipeline form's fields, parsed for the pipeline action (hongniang.flows.hiring.pipeline_act)."""
    return dict(note=data.get("note", ""), reason=data.get("reason", ""),
                interview_at=_parse_datetime(data.get("interview_at", "")),
                interview_place=data.get("interview_place", ""), start_date=_parse_date(data.get("start_date", "")))


def _visible_or_404(request, pk: int) -> Application:
    application = selectors.visible_application(request.user, pk)
    if application is None:
        raise Http404(_("找不到该报名"))
    return application


@login_required
def detail(request, pk: int):
    """One application with its history. HR opening a new application marks it viewed. Contact details
    are shown in full only to those allowed (the view is audited); otherwise masked."""
    application = _visible_or_404(request, pk)
    is_hr = services.may_run_pipeline(request.user, application)
    if is_hr and application.status == ApplicationStatus.APPLIED:
        application = services.application_mark_viewed(actor=request.user, application=application)
    seeker = application.seeker
    own = bool(seeker.user_id and seeker.user_id == request.user.pk)
    full = selectors.application_contact(request.user, application, channel="page")
    return render(request, "applications/detail.html", {
        "a": application, "events": list(selectors.history(application)), "is_hr": is_hr, "own": own,
        "full": full, "actions": pipeline_actions(application, request.user),
    })


@login_required
@require_POST
def confirm_start(request, pk: int):
    application = _visible_or_404(request, pk)
    next_url = _safe_next(request, reverse("seekers:applications"))
    try:
        services.application_confirm_start(actor=request.user, application=application,
                                           actual_start_date=_parse_date(request.POST.get("actual_start_date")))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认上岗日期，祝工作顺利！"))
    return redirect(next_url)


@login_required
@require_POST
def report_pay(request, pk: int):
    application = _visible_or_404(request, pk)
    next_url = _safe_next(request, reverse("seekers:applications"))
    try:
        a = services.application_report_pay(actor=request.user, application=application,
                                            amount=request.POST.get("amount"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已填报，谢谢！") + (_("实发工资低于岗位承诺，就业之家会跟进。") if a.pay_below_promise else ""))
    return redirect(next_url)


PAY_RECORD_PER_PAGE = 30


@login_required
def pay_record(request):
    """Bureau: each enterprise's record of hires, confirmed starts and pay compared with the promise."""
    if not roles.is_bureau(request.user):
        raise PermissionDenied
    page = Paginator(selectors.enterprise_pay_record(), PAY_RECORD_PER_PAGE).get_page(request.GET.get("page"))
    rows = [selectors.pay_record_row(e) for e in page.object_list]
    return render(request, "applications/pay_record.html", {"rows": rows, "page": page})
