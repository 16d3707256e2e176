"""Apply / withdraw pages. The apply box (applications/_apply_box.html) is included in the job page;
its forms post here. With htmx the answer is the updated box; without JS, a redirect back to the
job page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from hongniang.core import roles
from hongniang.core.errors import Conflict, DomainError
from hongniang.jobs.models import JobPosting
from hongniang.seekers import selectors as seeker_selectors
from hongniang.seekers.services import phone_is_registered
from hongniang.seekers.views import LOGIN_BACKEND, staff_required
from hongniang.zh.validators import normalize_phone

from . import services
from .forms import QuickApplyForm, StaffApplyForm
from .models import Application

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


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer(request, posting, *, ok: bool, message: str, next_url: str, **extra):
    if _is_htmx(request):
        ctx = {"posting": posting, "next_url": next_url, "box_message": message, "box_ok": ok,
               "role_seeker": roles.seeker_of(request.user), **extra}
        return render(request, BOX, ctx)
    (messages.success if ok else messages.error)(request, message)
    return redirect(next_url)


@require_POST
def apply(request, posting_id: int):
    """One tap: a logged-in seeker applies; an anonymous visitor with an unknown phone gets a quick profile."""
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    next_url = _safe_next(request, _job_url(posting))
    user = request.user
    if user.is_authenticated:
        seeker = roles.seeker_of(user)
        if seeker is None:
            return _answer(request, posting, ok=False, message="请先填写求职信息，再报名", next_url=next_url)
        try:
            application = services.application_apply(seeker=seeker, posting=posting, actor=user)
        except DomainError as exc:
            return _answer(request, posting, ok=False, message=exc.message, next_url=next_url)
        msg = "报名成功！企业会打电话联系您，请保持手机畅通。" if application.created else "您已报名该岗位"
        return _answer(request, posting, ok=True, message=msg, next_url=next_url)

    form = QuickApplyForm(request.POST)
    login_url = f"{reverse('login')}?{urlencode({'next': next_url})}"
    if not form.is_valid():
        return _answer(request, posting, ok=False, message="请填写手机号", next_url=next_url, quick_form=form)
    try:
        phone = normalize_phone(form.cleaned_data["phone"])
    except ValueError as exc:
        return _answer(request, posting, ok=False, message=str(exc), next_url=next_url, quick_form=form)
    if phone_is_registered(phone):
        return _answer(request, posting, ok=False, message="该手机号已注册，请先登录", next_url=next_url,
                       quick_form=form, login_needed=True, login_url=login_url)
    try:
        new_user, application = services.application_quick_apply(
            name=form.cleaned_data["name"], phone=phone, posting=posting, consent=form.cleaned_data["consent"])
    except Conflict as exc:
        return _answer(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form,
                       login_needed=True, login_url=login_url)
    except DomainError as exc:
        return _answer(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form)
    login(request, new_user, backend=LOGIN_BACKEND)
    return _answer(request, posting, ok=True, next_url=next_url,
                   message="报名成功！企业会打电话联系您。下次登录需要密码，请到“我的”或就业之家设置密码。")


@staff_required
def apply_for(request, posting_id: int):
    """Staff apply on behalf of one of their point's seekers, with the seeker's consent."""
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    q = request.GET.get("q", "").strip()
    error = ""
    if request.method == "POST":
        form = StaffApplyForm(request.POST)
        if form.is_valid():
            seeker = seeker_selectors.staff_seeker_or_none(request.user, form.cleaned_data["seeker"])
            if seeker is None:
                raise Http404("找不到该求职者")
            try:
                application = services.application_apply(
                    seeker=seeker, posting=posting, actor=request.user, channel="staff",
                    consent_confirmed=form.cleaned_data["consent_confirmed"])
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, f"已为 {seeker.name} 报名「{posting.title}」" if application.created
                                 else f"{seeker.name} 已报名过该岗位")
                return redirect(_safe_next(request, request.path))
        else:
            error = "请选择求职者"
    seekers = list(seeker_selectors.staff_seekers(request.user, q)[:30])
    return render(request, "applications/apply_for.html",
                  {"posting": posting, "seekers": seekers, "q": q, "error": error})


@login_required
@require_POST
def withdraw(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("seeker", "posting__enterprise",
                                                                      "posting__region"), pk=pk)
    seeker = application.seeker
    own = bool(seeker.user_id and seeker.user_id == request.user.pk)
    staff = bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(request.user))
    if not (own or staff):
        raise Http404("找不到该报名")
    next_url = _safe_next(request, reverse("seekers:applications"))
    try:
        application = services.application_withdraw(actor=request.user, application=application,
                                                    reason=request.POST.get("reason", ""))
    except DomainError as exc:
        if _is_htmx(request):
            return render(request, "seekers/_application_item.html", {"a": application, "error": exc.message})
        messages.error(request, exc.message)
        return redirect(next_url)
    if _is_htmx(request):
        return render(request, "seekers/_application_item.html", {"a": application, "done": "已撤回"})
    messages.success(request, "已撤回报名")
    return redirect(next_url)
