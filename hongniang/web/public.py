"""Public pages that read several apps: a service point with the jobs near it (geo + jobs).

The home page and the job list and search still live in hongniang.jobs.views (they read the search index and the
enterprise and seeker counts): they move here when the search work in progress lands, see docs/architecture.md."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hongniang.geo.models import ServicePoint
from hongniang.jobs.selectors import newest_postings


@require_GET
def point_detail(request, pk: int):
    point = get_object_or_404(ServicePoint.objects.select_related("region", "region__parent"), pk=pk)
    township = point.region.township
    jobs = newest_postings(10, township_id=township.code) if township else newest_postings(10)
    return render(request, "geo/point_detail.html", {"point": point, "township": township, "jobs": jobs})
