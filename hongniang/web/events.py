"""Event pages that do work across apps, through hongniang.flows: a walk-in at the door (seekers + events), a booth
scan (events + applications), confirming an intention (events + applications), and the results (events +
applications + the follow-ups of outreach). They share the "events" URL namespace (hongniang.web.urls)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hongniang.catalog.models import Occupation
from hongniang.core.errors import InvalidInput, NotFoundError
from hongniang.events import selectors
from hongniang.events.forms import ScanForm, WalkInForm
from hongniang.events.models import Event, Intention
from hongniang.flows import event_booth_scan, event_results, event_walk_in
from hongniang.jobs.models import JobPosting

COMPARE_MAX = 8


def _event(request, pk) -> Event:
    try:
        return selectors.event_for(pk, request.user)
    except NotFoundError:
        raise Http404 from None


def _wanted_codes(text: str) -> list[str]:
    """想做的工作 typed at the door → occupation codes (the best label match; unknown words are dropped)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    qs = Occupation.objects.order_by("-common", "level", "code").values_list("code", flat=True)
    hit = qs.filter(Q(common_label=text) | Q(name=text)).first()
    if hit is None:
        hit = qs.filter(Q(common_label__contains=text) | Q(name__contains=text)).first()
    return [hit] if hit else []


@login_required
@require_POST
def walk_in(request, pk: int):
    event = _event(request, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise InvalidInput(first)
    d = form.cleaned_data
    reg, created = event_walk_in.walk_in_register(
        actor=request.user, event=event, name=d["name"], phone=d["phone"],
        desired_occupations=_wanted_codes(d.get("wanted", "")), consent_confirmed=d["consent_confirmed"])
    who = _("新登记") if created else _("已有登记")
    messages.success(request, _("%(masked_name)s（%(who)s）已签到，签到码 %(code)s。可打印他的“最适合的展位”单。") % {"masked_name": reg.seeker.masked_name, "who": who, "code": reg.code})
    return redirect(reverse("events:registration_ticket", args=[event.pk, reg.pk]))


@login_required
@require_POST
def booth_scan(request, pk: int):
    event = _event(request, pk)
    booth = selectors.my_booth(event, request.user)
    if booth is None:
        raise PermissionDenied
    postings = [bp.posting for bp in booth.booth_postings.select_related("posting")]
    form = ScanForm(request.POST, postings=postings)
    if not form.is_valid():
        raise InvalidInput(next(iter(form.errors.values()))[0])
    d = form.cleaned_data
    posting = get_object_or_404(JobPosting, pk=d["posting"])
    interview_at = None
    if d.get("interview"):
        interview_at = d.get("interview_at") or (timezone.now() + dt.timedelta(minutes=15))
    intention, application = event_booth_scan.booth_scan(
        actor=request.user, event=event, posting=posting, code=d.get("code") or "", phone=d.get("phone") or "",
        interview_at=interview_at)
    if application is not None:
        what = _("已约面试") if interview_at else _("已登记报名")
        messages.success(request, _("%(masked_name)s：意向双方已确认，%(what)s（%(title)s）") % {"masked_name": intention.registration.seeker.masked_name, "what": what, "title": posting.title})
    else:
        messages.success(request, _("已记录意向，等求职者在手机上确认（或下次出示签到码）"))
    return redirect("events:booth", pk=pk)


@login_required
@require_POST
def intention_confirm(request, pk: int, action: str):
    intention = get_object_or_404(Intention.objects.select_related("registration__event", "booth"), pk=pk)
    _intention, application = event_booth_scan.intention_confirm(actor=request.user, intention=intention, action=action)
    messages.success(request, _("意向双方已确认，已进入招聘流程") if application else _("已更新"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("events:detail", args=[intention.event_id])
    return redirect(back)


@require_GET
def results(request, pk: int):
    """The funnel anyone can check: per event and per enterprise, from the records."""
    event = _event(request, pk)
    funnel = event_results.event_funnel(event)
    return render(request, "events/results.html", {
        "event": event, "funnel": funnel, "steps": funnel.steps(),
        "by_enterprise": event_results.enterprise_funnels(event)})


@require_GET
def compare(request):
    ids = [int(x) for x in request.GET.getlist("e") if x.isdigit()][:COMPARE_MAX]
    if ids:
        events = [e for e in selectors.events_with_results(limit=200) if e.pk in ids]
    else:
        events = list(selectors.events_with_results(limit=COMPARE_MAX))
    rows = event_results.compare(events)
    return render(request, "events/compare.html", {"rows": rows, "totals": event_results.totals(rows),
                                                   "choices": selectors.events_with_results(limit=50),
                                                   "chosen": {e.pk for e, _ in rows}})


urlpatterns = [
    path("compare/", compare, name="compare"),
    path("<int:pk>/walk-in/", walk_in, name="walk_in"),
    path("<int:pk>/booth/scan/", booth_scan, name="booth_scan"),
    path("<int:pk>/results/", results, name="results"),
    path("intentions/<int:pk>/<str:action>/", intention_confirm, name="intention_confirm"),
]
