"""Applying and the hiring pipeline where a flow is involved: one-tap apply (a visitor with an unknown phone
registers and applies at once: hongniang.flows.applying) and the enterprise's pipeline buttons (a hire schedules
its follow-ups: hongniang.flows.hiring). The other application pages are the applications app's own."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hongniang.applications import services as application_services
from hongniang.applications import views
from hongniang.applications.forms import QuickApplyForm
from hongniang.core import roles
from hongniang.core.access import LOGIN_BACKEND
from hongniang.core.errors import Conflict, DomainError
from hongniang.core.htmx import is_htmx
from hongniang.flows.applying import quick_apply
from hongniang.flows.hiring import pipeline_act
from hongniang.jobs.models import JobPosting
from hongniang.seekers.services import phone_is_registered
from hongniang.zh.validators import normalize_phone


@require_POST
def apply(request, posting_id: int):
    """One tap: a logged-in seeker applies; an anonymous visitor with an unknown phone gets a quick profile."""
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    next_url = views._safe_next(request, views._job_url(posting))
    user = request.user
    if user.is_authenticated:
        seeker = roles.seeker_of(user)
        if seeker is None:
            return views._answer(request, posting, ok=False, message="请先填写求职信息，再报名", next_url=next_url)
        try:
            application = application_services.application_apply(seeker=seeker, posting=posting, actor=user)
        except DomainError as exc:
            return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url)
        msg = "报名成功！企业会打电话联系您，请保持手机畅通。" if application.created else "您已报名该岗位"
        return views._answer(request, posting, ok=True, message=msg, next_url=next_url)

    form = QuickApplyForm(request.POST)
    login_url = f"{reverse('login')}?{urlencode({'next': next_url})}"
    if not form.is_valid():
        return views._answer(request, posting, ok=False, message="请填写手机号", next_url=next_url, quick_form=form)
    try:
        phone = normalize_phone(form.cleaned_data["phone"])
    except ValueError as exc:
        return views._answer(request, posting, ok=False, message=str(exc), next_url=next_url, quick_form=form)
    if phone_is_registered(phone):
        return views._answer(request, posting, ok=False, message="该手机号已注册，请先登录", next_url=next_url,
                       quick_form=form, login_needed=True, login_url=login_url)
    try:
        new_user, application = quick_apply(
            name=form.cleaned_data["name"], phone=phone, posting=posting, consent=form.cleaned_data["consent"])
    except Conflict as exc:
        return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form,
                       login_needed=True, login_url=login_url)
    except DomainError as exc:
        return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form)
    login(request, new_user, backend=LOGIN_BACKEND)
    return views._answer(request, posting, ok=True, next_url=next_url,
                   message="报名成功！企业会打电话联系您。下次登录需要密码，请到“我的”或就业之家设置密码。")


@login_required
@require_POST
def act(request, pk: int, action: str):
    application = views._visible_or_404(request, pk)
    if not application_services.may_run_pipeline(request.user, application):
        raise Http404("找不到该报名")
    next_url = views._safe_next(request, reverse("applications:detail", args=[pk]))
    try:
        application = pipeline_act(actor=request.user, application=application, action=action,
                                   **views.pipeline_fields(request.POST))
    except DomainError as exc:
        if is_htmx(request):
            return render(request, "applications/_pipeline_actions.html", {"a": application, "error": exc.message})
        messages.error(request, exc.message)
        return redirect(next_url)
    if is_htmx(request):
        return render(request, "applications/_pipeline_actions.html",
                      {"a": application, "done": f"已改为“{application.get_status_display()}”"})
    messages.success(request, f"已改为“{application.get_status_display()}”")
    return redirect(next_url)
