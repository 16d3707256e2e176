"""Service points (就业之家): list with filters and a detail page with open jobs nearby."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hongniang.geo.selectors import township_choices

from .models import ServicePoint, ServicePointKind


def points_queryset(*, kind: str | None = None, township: str | None = None):
    qs = ServicePoint.objects.select_related("region", "region__parent").order_by("kind", "name")
    if kind in ServicePointKind.values:
        qs = qs.filter(kind=kind)
    if township:
        qs = qs.filter(Q(region_id=township) | Q(region__parent_id=township))
    return qs


@require_GET
def point_list(request):
    kind = request.GET.get("kind") or ""
    township = request.GET.get("township") or ""
    points = list(points_queryset(kind=kind, township=township))
    return render(request, "geo/point_list.html", {
        "points": points, "kind": kind, "township": township,
        "kinds": ServicePointKind.choices, "townships": township_choices()[1:],
    })

