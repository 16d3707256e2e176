"""The staff workspace at /staff/: thin views over outreach.services / selectors. Staff see only their
points; the bureau sees all; anyone else gets 403, other points' rows 404, anonymous users the login."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hongniang.core import roles
from hongniang.core.access import staff_required
from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.core.forms import add_domain_errors
from hongniang.employers.models import Enterprise
from hongniang.jobs.models import JobPosting
from hongniang.seekers.selectors import staff_seekers
from hongniang.seekers.services import reveal_seeker

from . import exports, imports, posters, selectors, services
from .forms import FollowUpForm, UploadForm
from .models import CallOutcome, FollowUp, ImportKind, ImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["Cache-Control"] = "no-store"
    return resp


def _current_point(request):
    """The point the user is working for (?point=…, else their first); None for the bureau without points."""
    wanted = request.GET.get("point") or request.POST.get("point")
    try:
        return services.acting_point(request.user, int(wanted) if wanted else None)
    except InvalidInput:
        return None
    except ValueError:
        raise Http404 from None


# --- the workspace ----------------------------------------------------------------------------------


@staff_required
def workspace(request):
    point = _current_point(request)
    q = request.POST.get("q", "").strip()  # posted, so phone numbers and ID tails stay out of URLs and logs
    found = list(staff_seekers(request.user, q)[:20]) if q else []
    figures = selectors.figures(request.user)
    mine = next((f for f in figures if point and f.point.pk == point.pk), None)
    jobs = selectors.open_jobs_near(point.lat, point.lon, limit=10,
                                    township_code=getattr(point.region.township, "code", None)) if point else []
    today = timezone.localdate()
    return render(request, "outreach/workspace.html", {
        "point": point, "points": list(selectors.points_of(request.user)[:50]), "q": q, "found": found,
        "mine": mine, "jobs": jobs, "today": today,
        "due": list(selectors.followups(request.user, state="due").filter(due_on__lte=today)[:20]),
        "overdue_count": selectors.followups(request.user, state="overdue").count(),
        "open_batches": list(selectors.open_batches(request.user)[:10]),
        "bureau": roles.is_bureau(request.user),
    })


# --- imports ----------------------------------------------------------------------------------------


def _enterprises():
    return Enterprise.objects.order_by("name")


@staff_required
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None, enterprises=_enterprises())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        enterprise = None
        if d["kind"] == ImportKind.POSTINGS and d.get("enterprise"):
            enterprise = _enterprises().filter(pk=d["enterprise"]).first()
        try:
            point = services.acting_point(request.user, d.get("service_point"))
            upload = d["file"]
            batch = services.import_upload(actor=request.user, kind=d["kind"], data=imports.read_upload(upload),
                                           filename=upload.name, service_point=point, enterprise=enterprise)
        except DomainError as exc:
            form.add_error("enterprise" if exc.field == "enterprise" else "file", exc.message)
        else:
            return redirect("outreach:import_preview", pk=batch.pk)
    page = Paginator(selectors.batches(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "outreach/imports.html", {"form": form, "page": page})


@staff_required
@require_GET
def import_template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    name = "求职者花名册模板.xlsx" if kind == ImportKind.SEEKERS else "企业岗位清单模板.xlsx"
    return _download(imports.template_xlsx(kind), name)


def _batch(request, pk):
    batch = selectors.batch_or_none(request.user, pk)
    if batch is None:
        raise Http404(_("找不到该导入批次"))
    return batch


@staff_required
def import_preview(request, pk: int):
    """Row-by-row preview: every invalid row with its reasons, and the first 200 rows, paginated."""
    batch = _batch(request, pk)
    show = request.GET.get("show", "errors" if batch.error_rows else "all")
    rows = batch.report
    if show == "errors":
        rows = [r for r in rows if r.get("errors")]
    else:
        rows = rows[:200]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/import_preview.html", {
        "batch": batch, "page": page, "show": show, "headers": imports.DISPLAY_HEADERS[batch.kind],
    })


@staff_required
@require_POST
def import_commit(request, pk: int):
    batch = _batch(request, pk)
    try:
        batch = services.import_commit(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已导入 %(created)s 行，%(errors)s 行未导入。可下载结果报告。") % {"created": batch.created_rows, "errors": batch.error_rows})
    return redirect("outreach:import_preview", pk=batch.pk)


@staff_required
@require_POST
def import_cancel(request, pk: int):
    batch = _batch(request, pk)
    try:
        services.import_cancel(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("已取消，未写入任何数据"))
    return redirect("outreach:imports")


@staff_required
@require_GET
def import_report(request, pk: int):
    batch = _batch(request, pk)
    report = batch.report
    if batch.status == ImportStatus.PREVIEWED:
        report = [dict(r, status_label="可导入" if r.get("valid") else "有误") for r in report]
    audit(actor=request.user, action="export.import_report", target=batch, rows=len(report))
    return _download(imports.report_xlsx(batch.kind, report), f"导入结果-{batch.pk}.xlsx")


# --- exports ----------------------------------------------------------------------------------------


def _export_args(request):
    point = request.GET.get("point")
    try:
        point_id = int(point) if point else None
    except ValueError:
        raise Http404 from None
    return point_id, request.GET.get("full") == "1"


@staff_required
@require_GET
def export_seekers(request):
    point_id, full = _export_args(request)
    data, _n = exports.export_seekers(actor=request.user, point_id=point_id, full=full)
    return _download(data, f"求职者花名册-{timezone.localdate():%Y%m%d}.xlsx")


@staff_required
@require_GET
def export_placements(request):
    point_id, full = _export_args(request)
    data, _n = exports.export_placements(actor=request.user, point_id=point_id, full=full)
    return _download(data, f"就业登记-{timezone.localdate():%Y%m%d}.xlsx")


# --- jobs and call lists ----------------------------------------------------------------------------


@staff_required
def jobs(request):
    point = _current_point(request)
    items = selectors.open_jobs_near(point.lat, point.lon, limit=50,
                                     township_code=getattr(point.region.township, "code", None)) if point else []
    return render(request, "outreach/jobs.html", {"point": point, "items": items})


def _open_posting(pk):
    return get_object_or_404(JobPosting.objects.select_related("enterprise", "township", "region"), pk=pk)


@staff_required
def call_list(request, pk: int):
    """外呼名单: the best matches of my points not yet called about this job; one tap logs the outcome."""
    if not roles.service_point_ids(request.user):
        raise Http404  # the bureau has no seekers of its own to call
    posting = _open_posting(pk)
    items = selectors.call_list(posting, request.user, top=30)
    audit(actor=request.user, action="view_call_list", target=posting, reason="站点外呼名单",
          seekers=[i.seeker.pk for i in items])
    return render(request, "outreach/call_list.html", {
        "posting": posting, "items": items, "logs": list(selectors.call_logs(posting, request.user)[:100]),
        "outcomes": CallOutcome.choices,
    })


# --- follow-ups -------------------------------------------------------------------------------------


FOLLOWUPS_PER_PAGE = 30
RETENTION_ON_FOLLOWUPS = 10
RETENTION_PER_PAGE = 30


@staff_required
def followup_list(request):
    state = request.GET.get("state", "due")
    if state not in ("due", "overdue", "done"):
        state = "due"
    page = Paginator(selectors.followups(request.user, state=state), FOLLOWUPS_PER_PAGE).get_page(
        request.GET.get("page"))
    retention = selectors.retention_by_enterprise(request.user)
    return render(request, "outreach/followups.html", {
        "page": page, "state": state, "today": timezone.localdate(),
        # the follow-ups are the work here: the retention table's biggest employers only, the rest on the figures page
        "retention_top": retention[:RETENTION_ON_FOLLOWUPS], "retention_count": len(retention)})


@staff_required
def followup_detail(request, pk: int):
    followup = selectors.followup_or_none(request.user, pk)
    if followup is None:
        raise Http404(_("找不到该回访"))
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["reached"] == "no":
                services.followup_unreachable(actor=request.user, followup=followup, note=d["problems"])
            else:
                services.followup_record(actor=request.user, followup=followup, still_working=d["still_working"],
                                         paid_as_promised=d["paid_as_promised"], problems=d["problems"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("回访已记录"))
            return redirect("outreach:followups")
    full = None
    if roles.may_see_seeker_in_full(request.user, followup.seeker):
        full = reveal_seeker(actor=request.user, seeker=followup.seeker, reason="回访")
    history = FollowUp.objects.filter(application=followup.application).order_by("day")
    return render(request, "outreach/followup_detail.html", {"f": followup, "form": form, "full": full,
                                                             "history": history})


# --- figures and posters ----------------------------------------------------------------------------


@staff_required
def figures(request):
    items = selectors.figures(request.user)
    retention = Paginator(selectors.retention_by_enterprise(request.user), RETENTION_PER_PAGE).get_page(
        request.GET.get("rpage"))
    return render(request, "outreach/figures.html", {"items": items, "totals": selectors.totals(items),
                                                     "townships": selectors.figures_by_township(items),
                                                     "bureau": roles.is_bureau(request.user),
                                                     "retention": retention.object_list, "retention_page": retention})


@staff_required
def poster_list(request):
    return render(request, "outreach/posters.html", {"townships": selectors.townships_for_posters(request.user)})


@staff_required
@require_GET
def poster(request, code: str):
    township = selectors.townships_for_posters(request.user).filter(code=code).first()
    if township is None:
        raise Http404(_("找不到该乡镇"))
    point = township.service_points.order_by("kind", "pk").first()
    data, _facts = posters.poster_pdf(township=township, base_url=request.build_absolute_uri("/"), point=point)
    resp = HttpResponse(data, content_type="application/pdf")
    from urllib.parse import quote

    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(township.name + '招聘海报.pdf')}"
    return resp
