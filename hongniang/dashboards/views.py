"""Pages: the dashboard (bureau and service-point staff), drill-downs, each chart's data as Excel, the monthly
report button, and the public figures page."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hongniang.core import roles
from hongniang.core.errors import InvalidInput
from hongniang.core.paging import page_number

from . import drill as drills
from . import figures, panels, public, xlsx
from . import report as reports
from .aggregate import month_start
from .figures import Scope, parse_day

PAGE_SIZE = 50


def _scope(request, *, strict: bool = True) -> tuple[Scope, str]:
    """The scope asked for; a bad filter gives the default scope and a message (pages) or raises (strict)."""
    if not figures.may_see_dashboard(request.user):
        raise PermissionDenied
    try:
        scope = figures.scope_for(request.user, start=parse_day(request.GET.get("from"), "from"),
                                  end=parse_day(request.GET.get("to"), "to"),
                                  township=(request.GET.get("township") or "").strip())
        return scope, ""
    except InvalidInput as exc:
        if strict:
            raise
        return figures.scope_for(request.user), exc.message


def _placement_url() -> str:
    """The placement funnel (/dashboard/placement/, the recommend app's page) once it exists."""
    try:
        match = resolve("/dashboard/placement/")
    except Resolver404:
        return ""
    return "" if match.func.__module__.startswith("hongniang.dashboards") else "/dashboard/placement/"


def _towns_for(request, scope: Scope):
    """The township filter's options, as HTML: from the townships' names the scope was checked with (read once
    for the page), not 180 model objects through the template's loop."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    names = figures.township_names()
    codes = sorted(names)
    if scope.staff:
        allowed = set(figures.scope_for(request.user).townships or ())
        codes = [c for c in codes if c in allowed]
    return mark_safe("".join(f'<option value="{escape(c)}"{" selected" if c == scope.township else ""}>'
                             f"{escape(names[c])}</option>" for c in codes))  # every value escaped


@login_required
@require_GET
def dashboard(request):
    with figures.computing():  # the run's stamp, last day and stock day read once for the page
        return _dashboard(request)


def _dashboard(request):
    scope, error = _scope(request, strict=False)
    today = timezone.localdate()
    built = panels.build_cached(scope)
    charts_json = {c.key: c.echarts() for _p, cs in built for c in cs if c.kind != "table"}
    months = []
    m = month_start(today - dt.timedelta(days=1))
    for _i in range(12):
        m = month_start(m - dt.timedelta(days=1))
        months.append(m)
    return render(request, "dashboards/dashboard.html", {
        "scope": scope, "error": error, "figures": figures.cached("headline", scope, lambda: figures.headline(scope),
                                                                    decode=figures.figures_from_json),
        "built": built,
        "charts_json": charts_json, "township_options": _towns_for(request, scope), "presets": figures.presets(today),
        "query": scope.query(), "as_of": figures.as_of(scope), "stocks_on": figures.stock_day(scope.end),
        "last_day": figures.last_day(), "placement_url": _placement_url(),
        "report_months": [month_start(today - dt.timedelta(days=1))] + months[:-1] if roles.is_bureau(request.user)
        else [], "bureau": roles.is_bureau(request.user),
    })


@login_required
@require_GET
def drill(request, key: str):
    scope, _error = _scope(request)
    meta = drills.DRILLS.get(key)
    if meta is None:
        raise Http404
    page = page_number(request.GET.get("page"))
    qs = drills.queryset(key, scope, request.user)
    after, before = _position(request.GET.get("after")), _position(request.GET.get("before"))
    first = last = None
    if key in drills.KEYSET:
        items, has_next, has_prev = drills.page(key, qs, PAGE_SIZE, after=after, before=before)
        if not has_prev:
            page = 1
        if items:
            first, last = items[0].pk, items[-1].pk
    else:
        items = list(qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE + 1])
        has_next, has_prev = len(items) > PAGE_SIZE, page > 1
        items = items[:PAGE_SIZE]
    drills.record_view(request.user, key, scope, page)
    return render(request, "dashboards/drill.html", {
        "meta": meta, "scope": scope, "rows": drills.rows(key, scope, request.user, items), "page": page,
        "has_next": has_next, "has_prev": has_prev, "query": scope.query(),
        "next_q": f"after={last}&page={page + 1}" if first else f"page={page + 1}",
        "prev_q": f"before={first}&page={max(1, page - 1)}" if first else f"page={page - 1}",
        "restricted": not roles.is_bureau(request.user) and key in ("seekers", "seekers_new", "applications",
                                                                     "interviews", "hires"),
    })


def _position(value) -> int | None:
    """A record id from the query string ("after" / "before"), or None."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


@login_required
@require_GET
def export(request, key: str):
    scope, _error = _scope(request)
    with figures.computing():
        chart = panels.find_chart(scope, key)
    if chart is None:
        raise Http404
    period = f"{scope.start:%Y-%m-%d} 至 {scope.end:%Y-%m-%d}"
    data = xlsx.chart_workbook(chart, scope_label=scope.label, period=period)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{key}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"'
    return response


@login_required
@require_GET
def report(request):
    """The monthly report button: the month's Excel or PDF, written now from the stored facts (bureau)."""
    if not roles.is_bureau(request.user):
        raise PermissionDenied
    try:
        month = reports.parse_month(request.GET.get("month") or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="month") from None
    if month > month_start(timezone.localdate()):
        raise InvalidInput(_("还没有到这个月"), field="month")
    fmt = "pdf" if request.GET.get("format") != "xlsx" else "xlsx"
    tmp = tempfile.mkdtemp(prefix="hn-report-")
    try:
        out = reports.write_report(month, tmp)
        with open(out[fmt], "rb") as fh:
            data = fh.read()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    types = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(data, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="report-{month:%Y-%m}.{fmt}"'
    return response


@require_GET
def public_figures(request):
    data = public.public_figures()
    response = render(request, "dashboards/public.html", {"data": data, "labels": public.FIELDS})
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, max-age=60"
    else:
        response["Cache-Control"] = f"public, max-age={public.LIVE_SECONDS}"
    return response
