"""Live-session pages. The public session page is the same for every anonymous viewer: it is rendered once per
PAGE_TTL seconds per process and served from the cache (a crowd from a stream costs one render), and its counter
is one cached read. Confirming a lead (live + seekers + applications) is in hongniang.web.live, above the flows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hongniang.core import roles
from hongniang.core.errors import DomainError, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.core.throttle import client_ip
from hongniang.jobs.models import JobPosting

from . import middleware, selectors, services
from .forms import SessionForm
from .machines import LEAD, SESSION, is_caller, is_manager
from .models import Lead, LeadStatus, SessionStatus

PAGE_TTL = middleware.PAGE_TTL  # seconds; the counter (polled) carries what changes faster
POLL_MS = 4000


def _session(pk):
    try:
        return selectors.session_for(pk)
    except NotFoundError:
        raise Http404 from None


@require_GET
def session_list(request):
    rows = list(selectors.public_sessions()[:60])
    return render(request, "live/list.html", {
        "on_air": [s for s in rows if s.status == SessionStatus.LIVE],
        "coming": [s for s in rows if s.status == SessionStatus.SCHEDULED],
        "past": [s for s in rows if s.status == SessionStatus.ENDED],
        "may_create": roles.is_bureau(request.user) or roles.is_staff_member(request.user)})


def page_key(pk: int) -> str:
    return middleware.page_key(pk, get_language())


def _page_context(request, session, **extra) -> dict:
    return {"session": session, "postings": selectors.postings(session), "poll_ms": POLL_MS,
            "manager": is_manager(request.user, session), "open": session.status in services.SIGNUP_OPEN,
            **extra}


@require_GET
def session_page(request, pk: int):
    """The page viewers open from the stream. Anonymous visitors (no log-in cookie) share one cached copy, rendered
    without a CSRF token (the sign-up form needs none: a lead is not tied to a log-in)."""
    if not request.user.is_authenticated:  # no session cookie: no database read here
        key = page_key(pk)
        body = cache.get(key)
        if body is None:
            session = _session(pk)
            if session.status == SessionStatus.CANCELLED:
                raise Http404
            body = render_to_string("live/session.html", _page_context(request, session, csrf_token=""),
                                    request=request).encode()
            cache.set(key, body, PAGE_TTL)
        resp = HttpResponse(body)
        resp["Cache-Control"] = f"public, max-age={PAGE_TTL}"
        return resp
    session = _session(pk)
    if session.status == SessionStatus.CANCELLED and not is_manager(request.user, session):
        raise Http404
    return render(request, "live/session.html", _page_context(request, session))


@require_GET
def counter(request, pk: int):
    try:
        body = selectors.counter_json(pk)
    except NotFoundError:
        raise Http404 from None
    resp = HttpResponse(body, content_type="application/json")
    resp["Cache-Control"] = f"public, max-age={selectors.COUNTER_TTL}"
    return resp


@csrf_exempt  # the cached public page carries no token; a lead is name + phone, not an action of a log-in
@require_POST
def signup(request, pk: int):
    session = _session(pk)
    ctx = {"session": session}
    try:
        lead = services.lead_signup(session=session, posting_id=request.POST.get("posting_id"),
                                    name=request.POST.get("name", ""), phone=request.POST.get("phone", ""),
                                    ip=client_ip(request))
    except DomainError as exc:
        ctx["error"] = exc.message
        return render(request, "live/signed_up.html", ctx, status=exc.status)
    ctx.update(lead=lead, posting=JobPosting.objects.select_related("enterprise").get(pk=lead.posting_id))
    return render(request, "live/signed_up.html", ctx, status=201 if lead.created else 200)


# --- hosts and staff -------------------------------------------------------------------------------------

@login_required
def session_new(request):
    if not (roles.is_bureau(request.user) or roles.is_staff_member(request.user)):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        found = JobPosting.objects.in_bulk(d["posting_ids"])
        missing = [str(i) for i in d["posting_ids"] if i not in found]
        if missing:
            form.add_error("posting_ids", _("找不到这些岗位：%(ids)s") % {"ids": "、".join(missing)})
        else:
            try:
                session = services.session_create(
                    actor=request.user, title=d["title"], host_name=d["host_name"], platform=d["platform"],
                    stream_url=d.get("stream_url") or "", starts_at=d["starts_at"],
                    postings=[found[i] for i in d["posting_ids"]], description=d.get("description") or "")
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("直播已创建"))
                return redirect("live:manage", pk=session.pk)
    return render(request, "live/form.html", {"form": form})


def _managed(request, pk):
    session = _session(pk)
    if not is_manager(request.user, session):
        raise PermissionDenied
    return session


@login_required
@require_GET
def manage(request, pk: int):
    session = _managed(request, pk)
    return render(request, "live/manage.html", {
        "session": session, "buttons": SESSION.buttons(session, request.user),
        "postings": selectors.postings(session), "outcomes": selectors.outcomes(session),
        "caller": is_caller(request.user, session)})


@login_required
@require_POST
def session_action(request, pk: int, action: str):
    session = _managed(request, pk)
    services.session_act(actor=request.user, session=session, action=action, reason=request.POST.get("reason", ""))
    cache.delete(page_key(pk))
    cache.delete(selectors.counter_key(pk))
    messages.success(request, _("已更新直播状态"))
    return redirect("live:manage", pk=pk)


@login_required
@require_POST
def present(request, pk: int):
    session = _managed(request, pk)
    posting = get_object_or_404(JobPosting, pk=request.POST.get("posting") or 0)
    services.session_present(actor=request.user, session=session, posting=posting)
    cache.delete(selectors.counter_key(pk))
    return redirect("live:manage", pk=pk)


@login_required
@require_POST
def replay(request, pk: int):
    session = _managed(request, pk)
    services.session_set_replay(actor=request.user, session=session, replay_url=request.POST.get("replay_url", ""))
    cache.delete(page_key(pk))
    messages.success(request, _("已保存回放链接"))
    return redirect("live:manage", pk=pk)


@login_required
@require_GET
def leads(request):
    """The call-back list: leads to phone, open ones first."""
    session_id = request.GET.get("session")
    session_id = int(session_id) if session_id and session_id.isdigit() else None
    status = request.GET.get("status", "open")
    if status not in ("open", "", *LeadStatus.values):
        status = "open"
    try:
        rows = list(selectors.leads_to_call(request.user, session_id=session_id, status=status)[:200])
    except PermissionDeniedError:
        raise PermissionDenied from None
    for lead in rows:
        lead.buttons = LEAD.buttons(lead, request.user)
    return render(request, "live/leads.html", {"rows": rows, "status": status, "session_id": session_id,
                                               "statuses": LeadStatus.choices})


@login_required
@require_POST
def lead_action(request, pk: int, action: str):
    lead = get_object_or_404(Lead, pk=pk)
    if action not in ("no_answer", "decline"):
        raise InvalidInput(_("未知操作"))
    services.lead_call(actor=request.user, lead=lead, action=action, note=request.POST.get("note", ""))
    messages.success(request, _("已记录回访结果"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("live:leads")
    return redirect(back)
