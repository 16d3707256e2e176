"""Event pages. Thin: check, call one service or selector, render. DomainErrors raised by POSTs become a Chinese
message (hongniang.core.middleware.DomainErrorMiddleware). Pages that need work across apps (a walk-in, a booth
scan, confirming an intention, the results) are in hongniang.web.events, above the flows."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hongniang.core import roles
from hongniang.core.errors import DomainError, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.employers.models import Enterprise
from hongniang.geo.models import ServicePoint
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.seekers.models import Seeker
from hongniang.zh.validators import normalize_phone

from . import selectors, services
from .forms import (
    BusForm,
    CodeForm,
    EventFilterForm,
    EventForm,
    FollowUpForm,
    OutcomeForm,
    ScanForm,
    StaffRegisterForm,
    WalkInForm,
)
from .machines import BOOTH, EVENT, INTENTION, REGISTRATION, is_organiser
from .models import (
    Booth,
    Bus,
    Event,
    EventStatus,
    FollowUpOutcome,
    Intention,
    Outcome30,
    Registration,
    RegistrationChannel,
)

INVITE_MAX = 200
FOLLOWUPS_PER_PAGE = 20


def _event(request, pk) -> Event:
    try:
        return selectors.event_for(pk, request.user)
    except NotFoundError:
        raise Http404 from None


def _organiser_event(request, pk) -> Event:
    event = _event(request, pk)
    if not is_organiser(request.user, event):
        raise PermissionDenied
    return event


def _svg_qr(text: str) -> HttpResponse:
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=8, border=2, title=_("二维码"))
    resp = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    resp["Cache-Control"] = "private, max-age=3600"
    return resp


# --- public ---------------------------------------------------------------------------------------------

@require_GET
def event_list(request):
    form = EventFilterForm(request.GET or None)
    p = form.cleaned_data if form.is_bound and form.is_valid() else {}
    args = dict(kind=p.get("kind") or "", date_from=p.get("date_from"), date_to=p.get("date_to"),
                township=p.get("township") or "")
    upcoming = list(selectors.public_events(**args, upcoming=True)[:50])
    past = list(selectors.public_events(**args, upcoming=False)[:20])
    may_create = roles.is_bureau(request.user) or roles.is_staff_member(request.user)
    return render(request, "events/list.html", {"form": form, "upcoming": upcoming, "past": past,
                                                "may_create": may_create})


@require_GET
def event_detail(request, pk: int):
    event = _event(request, pk)
    user = request.user
    booths = selectors.booths(event)
    ctx = {"event": event, "booths": booths, "grid": selectors.booth_grid(event, booths),
           "buses": selectors.buses(event), "counts": selectors.counts(event),
           "organiser": is_organiser(user, event),
           "share_url": request.build_absolute_uri(reverse("events:detail", args=[event.pk])),
           "open": event.status == EventStatus.PUBLISHED and not event.is_over}
    if roles.seeker_of(user) is not None:
        ctx["mine"] = selectors.registration_of(event, user)
    if roles.enterprise_ids(user):
        ctx["my_booth"] = selectors.my_booth(event, user)
        ctx["is_hr"] = True
    return render(request, "events/detail.html", ctx)


@require_GET
def event_qr(request, pk: int):
    event = _event(request, pk)
    return _svg_qr(request.build_absolute_uri(reverse("events:detail", args=[event.pk])))


# --- seekers --------------------------------------------------------------------------------------------

@login_required
@require_POST
def register(request, pk: int):
    event = _event(request, pk)
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        messages.info(request, _("请先填写求职登记，再报名参加活动"))
        return redirect("seekers:me")
    bus = None
    if request.POST.get("bus"):
        bus = Bus.objects.filter(pk=request.POST["bus"], event=event).first()
    reg = services.registration_create(actor=request.user, event=event, seeker=seeker, bus=bus,
                                       channel=RegistrationChannel.SELF)
    if reg.created:
        messages.success(request, _("报名成功！您的签到码是 %(code)s") % {"code": reg.code})
    return redirect("events:ticket", pk=event.pk)


@login_required
@require_GET
def ticket(request, pk: int):
    """The seeker's own ticket: code, QR code, bus, the booths that suit them, their intentions."""
    event = _event(request, pk)
    reg = selectors.registration_of(event, request.user)
    if reg is None:
        messages.info(request, _("您还没有报名这场活动"))
        return redirect("events:detail", pk=event.pk)
    return _ticket(request, event, reg, own=True)


@login_required
@require_GET
def registration_ticket(request, pk: int, reg_pk: int):
    """The same ticket opened by staff of the person's point or the organiser (to print for someone without a
    smartphone): audited."""
    event = _event(request, pk)
    try:
        reg = selectors.registration_for_viewer(reg_pk, request.user)
    except (NotFoundError, PermissionDeniedError):
        raise Http404 from None
    if reg.event_id != event.pk:
        raise Http404
    return _ticket(request, event, reg, own=reg.seeker.user_id == request.user.pk)


def _ticket(request, event, reg, *, own: bool):
    intentions = list(selectors.seeker_intentions(reg))
    for i in intentions:
        i.buttons = INTENTION.buttons(i, request.user)
    return render(request, "events/ticket.html", {
        "event": event, "reg": reg, "own": own, "picks": selectors.booths_for_seeker(reg),
        "intentions": intentions, "declared": {i.posting_id for i in intentions},
        "reg_buttons": REGISTRATION.buttons(reg, request.user)})


@login_required
@require_GET
def ticket_qr(request, pk: int, reg_pk: int):
    try:
        reg = selectors.registration_for_viewer(reg_pk, request.user)
    except (NotFoundError, PermissionDeniedError):
        raise Http404 from None
    if reg.event_id != pk:
        raise Http404
    return _svg_qr(reg.qr_payload)


@login_required
@require_POST
def registration_cancel(request, pk: int, reg_pk: int):
    reg = get_object_or_404(Registration, pk=reg_pk, event_id=pk)
    services.registration_cancel(actor=request.user, registration=reg)
    messages.success(request, _("已取消报名"))
    return redirect("events:detail", pk=pk)


@login_required
@require_POST
def declare_intention(request, pk: int, reg_pk: int):
    reg = get_object_or_404(Registration.objects.select_related("event"), pk=reg_pk, event_id=pk)
    posting = get_object_or_404(JobPosting, pk=request.POST.get("posting") or 0)
    services.intention_declare(actor=request.user, registration=reg, posting=posting)
    messages.success(request, _("已登记您的意向，等企业确认"))
    return redirect("events:ticket", pk=pk)


# --- the organiser --------------------------------------------------------------------------------------

@login_required
def event_new(request):
    if not (roles.is_bureau(request.user) or roles.is_staff_member(request.user)):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        points = roles.service_point_ids(request.user)
        organiser = (ServicePoint.objects.filter(pk__in=points).order_by("pk").first()
                     if points and not roles.is_bureau(request.user) else None)
        try:
            event = services.event_create(
                actor=request.user, kind=d["kind"], title=d["title"], starts_at=d["starts_at"],
                ends_at=d["ends_at"], capacity=d["capacity"], organiser_point=organiser,
                service_point=d.get("service_point"), venue=d.get("venue") or "", address=d.get("address") or "",
                township=d.get("township"), online_url=d.get("online_url") or "",
                booth_columns=d.get("booth_columns") or 0, description=d.get("description") or "",
                publish=d.get("publish"))
        except DomainError as exc:
            for field, msgs in (exc.errors or {"__all__": [exc.message]}).items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, _("活动已创建"))
            return redirect("events:manage", pk=event.pk)
    return render(request, "events/form.html", {"form": form})


@login_required
@require_GET
def manage(request, pk: int):
    event = _organiser_event(request, pk)
    user = request.user
    booths = selectors.booths(event, all_statuses=True)
    for b in booths:
        b.event = event
        b.buttons = BOOTH.buttons(b, user)
        b.barrable = b.status == "no_show" or b.cancelled_late
    later = (Event.objects.filter(organiser_point_id=event.organiser_point_id, starts_at__gt=event.starts_at,
                                  status__in=[EventStatus.DRAFT, EventStatus.PUBLISHED]).order_by("starts_at")[:10])
    buses = selectors.buses(event)
    return render(request, "events/manage.html", {
        "event": event, "buttons": EVENT.buttons(event, user), "booths": booths, "buses": buses,
        "counts": selectors.counts(event), "bus_form": BusForm(), "later_events": later,
        "register_form": StaffRegisterForm(buses=buses)})


@login_required
@require_POST
def event_action(request, pk: int, action: str):
    event = _organiser_event(request, pk)
    services.event_act(actor=request.user, event=event, action=action, reason=request.POST.get("reason", ""))
    messages.success(request, _("已更新活动状态"))
    return redirect("events:manage", pk=pk)


@login_required
@require_POST
def bus_add(request, pk: int):
    event = _organiser_event(request, pk)
    form = BusForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(next(iter(form.errors.values()))[0])
    services.bus_add(actor=request.user, event=event, **form.cleaned_data)
    messages.success(request, _("已添加班车"))
    return redirect("events:manage", pk=pk)


@login_required
@require_POST
def booth_action(request, booth_pk: int, action: str):
    booth = get_object_or_404(Booth.objects.select_related("event"), pk=booth_pk)
    number = request.POST.get("number") or None
    if number is not None:
        if not str(number).isdigit() or not 0 < int(number) < 1000:
            raise InvalidInput(_("展位号应为 1 到 999 的整数"), field="number")
        number = int(number)
    services.booth_act(actor=request.user, booth=booth, action=action, reason=request.POST.get("reason", ""),
                       number=number)
    messages.success(request, _("已更新展位"))
    back = "events:manage" if is_organiser(request.user, booth.event) else "events:booth"
    return redirect(back, pk=booth.event_id)


@login_required
@require_POST
def booth_bar(request, booth_pk: int):
    booth = get_object_or_404(Booth.objects.select_related("event", "enterprise"), pk=booth_pk)
    target = get_object_or_404(Event, pk=request.POST.get("event") or 0)
    services.booth_bar(actor=request.user, booth=booth, event=target, reason=request.POST.get("reason", ""))
    messages.success(request, _("已禁止 %(enterprise)s 参加“%(title)s”") % {"enterprise": booth.enterprise.name, "title": target.title})
    return redirect("events:manage", pk=booth.event_id)


@login_required
@require_POST
def staff_register(request, pk: int):
    event = _event(request, pk)
    buses = list(Bus.objects.filter(event=event))
    form = StaffRegisterForm(request.POST, buses=buses)
    if not form.is_valid():
        raise InvalidInput(_("请填写手机号"))
    try:
        phone = normalize_phone(form.cleaned_data["phone"])
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None
    seeker = roles.visible_seekers(request.user).filter(phone=phone).order_by("pk").first()
    if seeker is None:
        raise NotFoundError(_("本站点没有登记这个手机号的求职者"))
    bus = next((b for b in buses if str(b.pk) == form.cleaned_data.get("bus")), None)
    reg = services.registration_create(actor=request.user, event=event, seeker=seeker, bus=bus,
                                       channel=RegistrationChannel.STAFF)
    messages.success(request, _("已为 %(name)s 报名，签到码 %(code)s（已短信通知）") % {"name": seeker.masked_name, "code": reg.code})
    return redirect(request.POST.get("next") or reverse("events:detail", args=[pk]))


@login_required
@require_POST
def invite(request, pk: int):
    """Staff invite seekers of their point to the event by SMS: those whose wanted work matches a booth posting
    first, then the others, up to the number asked for."""
    event = _event(request, pk)
    points = roles.service_point_ids(request.user)
    if not points:
        raise PermissionDenied
    try:
        n = max(1, min(INVITE_MAX, int(request.POST.get("count") or 50)))
    except ValueError:
        n = 50
    occupations = set(JobPosting.objects.filter(booths__event=event, status=PostingStatus.PUBLISHED)
                      .values_list("occupation_id", flat=True))
    pool = list(Seeker.objects.filter(service_point_id__in=points, is_active=True)
                .exclude(event_registrations__event=event).order_by("pk")[:2000])
    pool.sort(key=lambda s: not (set(s.desired_occupations or ()) & occupations))
    count = services.event_invite(actor=request.user, event=event, seekers=pool[:n])
    messages.success(request, _("已短信邀请 %(count)s 人") % {"count": count})
    return redirect("events:detail", pk=pk)


@login_required
@require_GET
def registrations(request, pk: int):
    event = _organiser_event(request, pk)
    rows = list(selectors.organiser_registrations(event, request.user, status=request.GET.get("status", "")))
    return render(request, "events/registrations.html", {"event": event, "rows": rows})


@login_required
def door(request, pk: int):
    """Check-in at the door: scan the QR code with the camera (static JS) or type the 6-character code."""
    event = _organiser_event(request, pk)
    form = CodeForm(request.POST or None)
    reg = picks = None
    if request.method == "POST" and form.is_valid():
        try:
            reg = services.registration_check_in(actor=request.user, event=event, code=form.cleaned_data["code"])
            picks = selectors.booths_for_seeker(reg)
            form = CodeForm()
        except DomainError as exc:
            form.add_error("code", exc.message)
    resp = render(request, "events/door.html", {"event": event, "form": form, "reg": reg, "picks": picks,
                                                 "walk_in_form": WalkInForm(), "counts": selectors.counts(event)},
                  status=200 if not form.errors else 422)
    resp["Permissions-Policy"] = "geolocation=(), camera=(self), microphone=()"
    return resp


# --- enterprises ----------------------------------------------------------------------------------------

@login_required
def booth(request, pk: int):
    """The enterprise's booth: book it with open postings; on the day, scan seekers' codes."""
    event = _event(request, pk)
    ids = roles.enterprise_ids(request.user)
    if not ids:
        raise PermissionDenied
    mine = selectors.my_booth(event, request.user)
    enterprise = mine.enterprise if mine else Enterprise.objects.filter(pk__in=ids).order_by("pk").first()
    open_postings = list(JobPosting.objects.filter(enterprise=enterprise, status=PostingStatus.PUBLISHED)
                         .order_by("-published_at"))
    if request.method == "POST":
        chosen = [p for p in open_postings if str(p.pk) in request.POST.getlist("postings")]
        services.booth_request(actor=request.user, event=event, enterprise=enterprise, postings=chosen,
                               note=request.POST.get("note", ""))
        messages.success(request, _("已提交展位预订，等主办方审核"))
        return redirect("events:booth", pk=pk)
    ctx = {"event": event, "booth": mine, "enterprise": enterprise, "open_postings": open_postings}
    if mine is not None:
        mine.event = event
        ctx["buttons"] = BOOTH.buttons(mine, request.user)
        ctx["booth_postings"] = [bp.posting for bp in mine.booth_postings.select_related("posting")]
        ctx["scan_form"] = ScanForm(postings=ctx["booth_postings"])
        intentions = list(selectors.booth_intentions(mine, request.user))
        for i in intentions:
            i.buttons = INTENTION.buttons(i, request.user)
        ctx["intentions"] = intentions
        ctx["scanning"] = mine.status in ("approved", "present") and event.is_today and \
            event.status == EventStatus.PUBLISHED
    resp = render(request, "events/booth.html", ctx)
    resp["Permissions-Policy"] = "geolocation=(), camera=(self), microphone=()"
    return resp


# --- after ----------------------------------------------------------------------------------------------

@login_required
def followups(request, pk: int):
    event = _organiser_event(request, pk)
    if request.method == "POST":
        if request.POST.get("registration"):
            reg = get_object_or_404(Registration, pk=request.POST["registration"], event=event)
            form = FollowUpForm(request.POST)
            if not form.is_valid():
                raise InvalidInput(_("请选择回访结果"))
            services.registration_followup(actor=request.user, registration=reg, outcome=form.cleaned_data["outcome"])
        else:
            intention = get_object_or_404(Intention, pk=request.POST.get("intention") or 0, event=event)
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise InvalidInput(_("请选择结果"))
            services.intention_record_outcome(actor=request.user, intention=intention,
                                              outcome=form.cleaned_data["outcome"])
        messages.success(request, _("已记录回访结果"))
        back = reverse("events:followups", args=[pk])
        if (request.POST.get("page") or "").isdigit():
            back += f"?page={request.POST['page']}"
        return redirect(back)
    people, intentions = selectors.followup_list(event, request.user)
    # the people still to call first, a page at a time (a big fair leaves a hundred or more); those called in a
    # short list below
    todo = [r for r in people if not r.followup_outcome]
    done = sorted((r for r in people if r.followup_outcome), key=lambda r: r.followup_at, reverse=True)
    page = Paginator(todo, FOLLOWUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/followups.html", {
        "event": event, "page": page, "todo_count": len(todo), "done": done, "intentions": intentions,
        "followup_choices": FollowUpOutcome.choices, "outcome_choices": Outcome30.choices})
