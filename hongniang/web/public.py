"""Public pages that read several apps: the home page (jobs, enterprises, seekers, service points) and a service
point with the jobs near it (geo + jobs). The job list and search are in hongniang.search.views."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hongniang.core import pagecache
from hongniang.employers.models import Enterprise
from hongniang.geo.models import ServicePoint
from hongniang.jobs import selectors as job_selectors
from hongniang.jobs.cards import CardPage
from hongniang.jobs.forms import JobFilterForm
from hongniang.jobs.selectors import newest_postings
from hongniang.seekers.models import Seeker


def _figures() -> dict:
    figures = job_selectors.posting_figures()
    figures.update(
        enterprises=Enterprise.objects.count(),
        points=ServicePoint.objects.count(),
        seekers=Seeker.objects.filter(is_active=True).count(),
    )
    return figures


@require_GET
def home(request):
    """The figures and the first service points are the same for everyone: kept under the page cache's generation
    (the seekers' count, which does not bump it, at most PAGE_CACHE_SECONDS old, as on a cached page); the newest
    jobs' cards come from the fragments cache (`CardPage`: only the missing ones load their postings)."""
    if settings.PAGE_CACHE_SECONDS > 0:
        figures = pagecache.shared("home:figures", _figures, ttl=settings.PAGE_CACHE_SECONDS)
        newest = CardPage(job_selectors.published_postings().order_by("-published_at", "-id"), 0, 8)
    else:
        figures, newest = _figures(), newest_postings(8)
    points = pagecache.shared(
        "home:points", lambda: list(ServicePoint.objects.select_related("region").order_by("kind", "name")[:6]),
        ttl=600)
    return render(request, "jobs/home.html", {
        "figures": figures,
        "newest": newest,
        "points": points,
        "filter_form": JobFilterForm(),
    })


@require_GET
def point_detail(request, pk: int):
    point = get_object_or_404(ServicePoint.objects.select_related("region", "region__parent"), pk=pk)
    township = point.region.township
    jobs = newest_postings(10, township_id=township.code) if township else newest_postings(10)
    return render(request, "geo/point_detail.html", {"point": point, "township": township, "jobs": jobs})
