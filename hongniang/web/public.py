"""Public pages that read several apps: the home page (jobs, enterprises, seekers, service points) and a service
point with the jobs near it (geo + jobs). The job list and search are in hongniang.search.views."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hongniang.employers.models import Enterprise
from hongniang.geo.models import ServicePoint
from hongniang.jobs import selectors as job_selectors
from hongniang.jobs.forms import JobFilterForm
from hongniang.jobs.selectors import newest_postings
from hongniang.seekers.models import Seeker


@require_GET
def home(request):
    figures = job_selectors.posting_figures()
    figures.update(
        enterprises=Enterprise.objects.count(),
        points=ServicePoint.objects.count(),
        seekers=Seeker.objects.filter(is_active=True).count(),
    )
    points = list(ServicePoint.objects.select_related("region").order_by("kind", "name")[:6])
    return render(request, "jobs/home.html", {
        "figures": figures,
        "newest": newest_postings(8),
        "points": points,
        "filter_form": JobFilterForm(),
    })


@require_GET
def point_detail(request, pk: int):
    point = get_object_or_404(ServicePoint.objects.select_related("region", "region__parent"), pk=pk)
    township = point.region.township
    jobs = newest_postings(10, township_id=township.code) if township else newest_postings(10)
    return render(request, "geo/point_detail.html", {"point": point, "township": township, "jobs": jobs})
