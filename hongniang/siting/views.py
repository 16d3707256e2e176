"""因人设厂 pages at /siting/: thin views over siting.selectors / services. Anonymous users get the log-in page;
seekers and other users without a staff, bureau or enterprise role get 403 (from the selectors)."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, InvalidInput, PermissionDeniedError
from hongniang.core.forms import add_domain_errors
from hongniang.geo.loading import bundled_boundary_file
from hongniang.geo.models import Region

from . import exports, selectors, services
from .forms import OpenedSiteForm, RecommendForm, SupplyForm, WhatIfForm
from .models import SCENARIO

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp["Cache-Control"] = "no-store"
    return resp


def _supply_filters(request) -> tuple[SupplyForm, selectors.SupplyFilters]:
    form = SupplyForm(request.GET or None)
    f = selectors.SupplyFilters()
    if form.is_bound and form.is_valid():
        f = selectors.SupplyFilters(**{k: form.cleaned_data.get(k) or "" for k in
                                       ("occupation", "shift", "age", "availability", "relocate")})
    return form, f


@login_required
@require_GET
def supply(request):
    v = selectors.viewer(request.user)
    form, f = _supply_filters(request)
    sup = selectors.supply(request.user, f)
    return render(request, "siting/supply.html", {"form": form, "sup": sup, "v": v, "query": request.GET.urlencode()})


@login_required
@require_GET
def supply_export(request):
    _form, f = _supply_filters(request)
    sup = selectors.supply(request.user, f)
    audit(actor=request.user, action="siting.supply_export", filters=f.__dict__)
    return _download(exports.supply_xlsx(sup), f"劳动力分布-{timezone.localdate():%Y%m%d}.xlsx")


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_BOUNDARY: dict[str, tuple[bytes, bytes]] = {}  # county code → (GeoJSON, gzipped), made once per process


@login_required
@require_GET
def boundary(request):
    """The county boundary from the bundled reference data (WGS-84) as a GeoJSON FeatureCollection, for the maps
    (no external map tiles). Gzipped for browsers that accept it: 151 kB of coordinates, 45 kB gzipped, on the same
    slow networks as echarts (hongniang.core.staticfiles); compressed once per process, not on each request."""
    import gzip
    import json

    county = Region.objects.filter(kind="county").order_by("code").values_list("code", "name").first() or ("360781", "")
    cached = _BOUNDARY.get(county[0])
    if cached is None:
        path = bundled_boundary_file(county[0])
        if not path.exists():
            raise Http404
        geo = json.loads(path.read_text(encoding="utf-8"))
        if geo.get("type") in ("Polygon", "MultiPolygon"):
            geo = {"type": "Feature", "geometry": geo, "properties": {}}
        if geo.get("type") == "Feature":
            geo = {"type": "FeatureCollection", "features": [geo]}
        for f in geo.get("features", []):
            f.setdefault("properties", {}).setdefault("name", county[1] or county[0])
        body = json.dumps(geo, ensure_ascii=False, separators=(",", ":")).encode()
        cached = _BOUNDARY[county[0]] = (body, gzip.compress(body, mtime=0))
    if _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        resp = HttpResponse(cached[1], content_type="application/geo+json")
        resp["Content-Encoding"] = "gzip"
    else:
        resp = HttpResponse(cached[0], content_type="application/geo+json")
    patch_vary_headers(resp, ("Accept-Encoding",))
    resp["Cache-Control"] = "private, max-age=86400"
    return resp


def _recommend_form(request, data=None) -> RecommendForm:
    return RecommendForm(data if data is not None else (request.GET if "need" in request.GET else None))


@login_required
def recommend(request):
    v = selectors.viewer(request.user)
    if request.method == "POST":
        form = _recommend_form(request, request.POST)
        if form.is_valid():
            try:
                result = selectors.recommend(request.user, form.cleaned_data)
                s = services.scenario_save(actor=request.user, title=request.POST.get("title", ""),
                                           data=form.cleaned_data, result=result)
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, _("方案已保存"))
                return redirect("siting:scenario", pk=s.pk)
        return render(request, "siting/recommend.html", {"form": form, "v": v, "result": None}, status=422)
    form = _recommend_form(request)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = selectors.recommend(request.user, form.cleaned_data)
        except InvalidInput as e:
            add_domain_errors(form, e)
    return render(request, "siting/recommend.html", {"form": form, "v": v, "result": result,
                                                     "query": request.GET.urlencode()},
                  status=422 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def recommend_export(request):
    selectors.viewer(request.user)  # seekers: refused before anything else (not sent back to the form)
    form = _recommend_form(request)
    if not form.is_bound or not form.is_valid():
        return redirect("siting:recommend")
    result = selectors.recommend(request.user, form.cleaned_data)
    audit(actor=request.user, action="siting.recommend_export")
    return _download(exports.recommendation_xlsx(result), f"选址结果-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def scenario_list(request):
    v = selectors.viewer(request.user)
    items = list(selectors.scenarios(request.user)[:100])
    for s in items:
        s.status_label = selectors.status_label(s)
    return render(request, "siting/scenarios.html", {"items": items, "v": v})


@login_required
@require_GET
def scenario_detail(request, pk: int):
    v = selectors.viewer(request.user)
    s = selectors.scenario(request.user, pk)
    result = selectors.masked_result(request.user, s.result)
    return render(request, "siting/scenario.html", {"s": s, "result": result, "v": v,
                                                    "buttons": SCENARIO.buttons(s, request.user),
                                                    "status_label": selectors.status_label(s),
                                                    "conditions": selectors.scenario_conditions(s.params)})


@login_required
@require_GET
def scenario_export(request, pk: int):
    s = selectors.scenario(request.user, pk)
    audit(actor=request.user, action="siting.scenario_export", target=s)
    return _download(exports.recommendation_xlsx(selectors.masked_result(request.user, s.result)),
                     f"选址方案-{s.pk}.xlsx")


@login_required
@require_POST
def scenario_action(request, pk: int, action: str):
    s = selectors.scenario(request.user, pk)
    if action == "share":
        services.scenario_share(scenario=s, actor=request.user)
        messages.success(request, _("已分享给企业"))
    elif action == "unshare":
        services.scenario_unshare(scenario=s, actor=request.user)
        messages.success(request, _("已取消分享"))
    else:
        raise Http404
    return redirect("siting:scenario", pk=s.pk)


@login_required
@require_GET
def whatif(request):
    v = selectors.viewer(request.user)
    towns = selectors.townships()
    data = request.GET if "township" in request.GET else None
    form = WhatIfForm(data, townships=towns)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = selectors.whatif(request.user, form.cleaned_data)
        except InvalidInput as e:
            add_domain_errors(form, e)
    return render(request, "siting/whatif.html", {"form": form, "v": v, "result": result},
                  status=422 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def calibration(request):
    data = selectors.calibration(request.user)
    return render(request, "siting/calibration.html", {"data": data, "v": selectors.viewer(request.user)})


@login_required
def opened_new(request):
    v = selectors.viewer(request.user)
    if not v.full:
        raise PermissionDeniedError(_("只有工作人员和人社局可以登记已开设地点"))
    form = OpenedSiteForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.opened_site_create(actor=request.user, enterprise_id=d["enterprise"], name=d["name"],
                                        kind=d["kind"], lat=d["lat"], lon=d["lon"], opened_on=d["opened_on"],
                                        predicted_3m=d["predicted_3m"], predicted_6m=d["predicted_6m"],
                                        predicted_12m=d["predicted_12m"], region=d.get("region") or "",
                                        postings=d["postings"], scenario=d.get("scenario"))
        except InvalidInput as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, _("已登记"))
            return redirect(reverse("siting:calibration") if v.is_bureau else reverse("siting:supply"))
    return render(request, "siting/opened_new.html", {"form": form, "v": v},
                  status=422 if form.is_bound and form.errors else 200)
