"""Live pages that work across apps through hongniang.flows: confirming a lead on the call back makes the person's
application (live + seekers + applications). They share the "live" URL namespace (hongniang.web.urls)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hongniang.flows import live_leads
from hongniang.live.models import Lead


@login_required
@require_POST
def lead_confirm(request, pk: int):
    lead = get_object_or_404(Lead, pk=pk)
    lead, application = live_leads.lead_confirm_by_call(actor=request.user, lead=lead)
    messages.success(request, f"{lead.masked_name} 已确认报名，已进入企业的招聘流程")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("live:leads")
    return redirect(back)


urlpatterns = [
    path("leads/<int:pk>/confirm/", lead_confirm, name="lead_confirm"),
]
