"""Live pages that work across apps through hongniang.flows: confirming a lead on the call back makes the person's
application (live + seekers + applications). They share the "live" URL namespace (hongniang.web.urls)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniang.core.errors import DomainError, NotFoundError
from hongniang.core.throttle import client_ip
from hongniang.flows import live_leads
from hongniang.live import selectors
from hongniang.live.models import Lead


@login_required
@require_POST
def lead_confirm(request, pk: int):
    lead = get_object_or_404(Lead, pk=pk)
    lead, application = live_leads.lead_confirm_by_call(actor=request.user, lead=lead)
    messages.success(request, _("%(masked_name)s 已确认报名，已进入企业的招聘流程") % {"masked_name": lead.masked_name})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("live:leads")
    return redirect(back)


def _session(pk: int):
    try:
        return selectors.session_for(pk)
    except NotFoundError:
        raise Http404 from None


@require_POST
def sms_send(request, pk: int):
    """After signing up: text a code to the number, to confirm now instead of waiting for the call."""
    session = _session(pk)
    phone = request.POST.get("phone", "")
    ctx = {"session": session, "phone": phone}
    try:
        live_leads.lead_send_code(session=session, phone=phone, ip=client_ip(request))
    except DomainError as exc:
        ctx["error"] = exc.message
        return render(request, "live/confirm.html", ctx, status=exc.status)
    ctx["sent"] = True
    return render(request, "live/confirm.html", ctx)


@require_POST
def sms_confirm(request, pk: int):
    session = _session(pk)
    phone = request.POST.get("phone", "")
    ctx = {"session": session, "phone": phone, "sent": True}
    try:
        ctx["confirmed"] = live_leads.lead_confirm_by_sms(session=session, phone=phone,
                                                          code=request.POST.get("code", ""))
    except DomainError as exc:
        ctx["error"] = exc.message
        return render(request, "live/confirm.html", ctx, status=exc.status)
    return render(request, "live/confirm.html", ctx)


urlpatterns = [
    path("leads/<int:pk>/confirm/", lead_confirm, name="lead_confirm"),
    path("<int:pk>/confirm/send/", sms_send, name="sms_send"),
    path("<int:pk>/confirm/", sms_confirm, name="sms_confirm"),
]
