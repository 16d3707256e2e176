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
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniang.applications import services as application_services
from hongniang.applications import views
from hongniang.applications.forms import QuickApplyForm
from hongniang.core import roles
from hongniang.core.access import LOGIN_BACKEND
from hongniang.core.errors import Conflict, DomainError, InvalidInput, RateLimited
from hongniang.core.htmx import is_htmx
from hongniang.core.throttle import client_ip
from hongniang.flows.applying import quick_apply, quick_apply_send_code
from hongniang.flows.hiring import pipeline_act
from hongniang.jobs.models import JobPosting
from hongniang.notifications.phone_codes import console_hint
from hongniang.seekers import phone_proof
from hongniang.zh.validators import mask_phone, normalize_phone


@require_POST
def apply(request, posting_id: int):
    """One tap: a logged-in seeker applies. A visitor gives a phone number, gets an SMS code (step 1) and types it
    (step 2): then applies as the person holding that number (a quick profile when the number is new) and is
    logged in; for a while that session may set a password without a second code (seekers.phone_proof)."""
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    next_url = views._safe_next(request, views._job_url(posting))
    user = request.user
    if user.is_authenticated:
        seeker = roles.seeker_of(user)
        if seeker is None:
            return views._answer(request, posting, ok=False, message=_("请先填写求职信息，再报名"), next_url=next_url)
        try:
            application = application_services.application_apply(seeker=seeker, posting=posting, actor=user)
        except DomainError as exc:
            return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url)
        msg = _("报名成功！企业会打电话联系您，请保持手机畅通。") if application.created else _("您已报名该岗位")
        return views._answer(request, posting, ok=True, message=msg, next_url=next_url)

    form = QuickApplyForm(request.POST)
    login_url = f"{reverse('login')}?{urlencode({'next': next_url})}"
    if not form.is_valid():
        return views._answer(request, posting, ok=False, message=_("请填写手机号"), next_url=next_url, quick_form=form)
    d = form.cleaned_data
    if "send" in request.POST or not d.get("code"):
        # step 1: the same answer for every number, registered or not
        try:
            if not d["consent"]:
                raise InvalidInput(_("请勾选同意把姓名和手机号提供给该企业"), field="consent")
            quick_apply_send_code(phone=d["phone"], posting=posting, ip=client_ip(request))
        except RateLimited as exc:  # too soon after a code (a second tap, the back button): it may be in hand
            return _code_step(request, posting, ok=False, next_url=next_url, quick_form=form,
                              message=f'{exc.message}。{_("如果已经收到验证码，直接填在下面即可。")}')
        except DomainError as exc:
            return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url,
                                 quick_form=form)
        return _code_step(request, posting, ok=True, next_url=next_url, quick_form=form,
                          message=_("验证码已发送到 %(phone)s，请填写后点“确认报名”") % {"phone": mask_phone_or_blank(d['phone'])})
    try:
        new_user, application = quick_apply(name=d["name"], phone=d["phone"], posting=posting,
                                            consent=d["consent"], code=d["code"])
    except Conflict as exc:
        return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form,
                             login_needed=True, login_url=login_url)
    except DomainError as exc:
        if exc.field == "code":
            return _code_step(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form)
        return views._answer(request, posting, ok=False, message=exc.message, next_url=next_url, quick_form=form)
    login(request, new_user, backend=LOGIN_BACKEND)
    phone_proof.remember_quick_apply(request, new_user)  # /me/password/ needs no second code for a while
    message = (_("报名成功！企业会打电话联系您。") if application.created else _("您已报名该岗位。"))
    if not new_user.has_usable_password():
        message = format_html('{} <a class="btn secondary block" href="{}">{}</a>', message,
                              reverse("seekers:set_password"), _("设置密码，下次直接登录"))
    return views._answer(request, posting, ok=True, next_url=next_url, message=message)


def _code_step(request, posting, *, ok: bool, message: str, next_url: str, **extra):
    """The box with the code field: in place (htmx), or on its own page without JavaScript (a redirect back to
    the job page would lose the typed number)."""
    if is_htmx(request):
        return views._answer(request, posting, ok=ok, message=message, next_url=next_url, code_sent=True,
                             code_hint=console_hint(), **extra)
    ctx = {"posting": posting, "next_url": next_url, "box_message": message, "box_ok": ok, "code_sent": True,
           "code_hint": console_hint(), **extra}
    return render(request, "applications/apply_step.html", ctx, status=200 if ok else 422)


def mask_phone_or_blank(phone: str) -> str:
    try:
        return mask_phone(normalize_phone(phone))
    except ValueError:
        return ""


@login_required
@require_POST
def act(request, pk: int, action: str):
    application = views._visible_or_404(request, pk)
    if not application_services.may_run_pipeline(request.user, application):
        raise Http404(_("找不到该报名"))
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
                      {"a": application, "done": _("已改为“%(status)s”") % {"status": application.get_status_display()}})
    messages.success(request, _("已改为“%(status)s”") % {"status": application.get_status_display()})
    return redirect(next_url)
