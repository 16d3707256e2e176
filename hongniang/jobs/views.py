"""Public job pages: home, job list (htmx filters), job detail (with JSON-LD)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from hongniang.employers.models import Enterprise
from hongniang.geo.models import ServicePoint
from hongniang.search.facets import facet_counts
from hongniang.seekers.models import Seeker

from . import selectors
from .forms import JobFilterForm
from .jsonld import jsonld_script, posting_jsonld
from .models import JobPosting

PAGE_SIZE = 20


def _is_htmx_results(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "results"


@require_GET
def home(request):
    figures = selectors.posting_figures()
    figures.update(
        enterprises=Enterprise.objects.count(),
        points=ServicePoint.objects.count(),
        seekers=Seeker.objects.filter(is_active=True).count(),
    )
    points = list(ServicePoint.objects.select_related("region").order_by("kind", "name")[:6])
    return render(request, "jobs/home.html", {
        "figures": figures,
        "newest": selectors.newest_postings(8),
        "points": points,
        "filter_form": JobFilterForm(),
    })


@require_GET
def job_list(request):
    form = JobFilterForm(request.GET)
    params = form.params()
    results, parsed = selectors.search_postings(params)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    facets = _facets(results, params)
    ctx = {"form": form, "page": page, "postings": page.object_list, "query": query.urlencode(),
           "filtered": bool(params.keys() - {"sort"}), "terms": parsed.terms if parsed else [],
           "facets": facets}
    template = "jobs/_results.html" if _is_htmx_results(request) else "jobs/list.html"
    response = render(request, template, ctx)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _facets(results, params) -> dict | None:
    """Counts by township, shift and benefit of the listed postings. A search counts its matches by id when
    there are at most 1000 (one cheap query); above that the page shows no counts (the API /jobs/facets still
    counts all) — a broad word would otherwise count tens of thousands of rows on every keystroke."""
    from hongniang.search.engine import RankedResults

    if isinstance(results, RankedResults):
        ids = results.matched_ids()
        return facet_counts(JobPosting.objects.filter(pk__in=ids)) if ids else None
    return facet_counts(selectors.filter_postings({**params, "sort": "newest"}))


@require_GET
def suggest(request):
    """Autocomplete options for the search box (an htmx-loaded <datalist>)."""
    from hongniang.search.suggest import suggest as suggest_terms

    return render(request, "jobs/_suggest.html", {"suggestions": suggest_terms(request.GET.get("q", ""))})


@require_GET
def job_detail(request, pk: int):
    posting = selectors.visible_posting(request.user, pk)
    if posting is None:
        raise Http404("找不到该岗位")
    jsonld = jsonld_script(posting_jsonld(posting, request.build_absolute_uri()))
    nearby = [p for p in selectors.newest_postings(6, township_id=posting.township_id) if p.pk != posting.pk][:5]
    return render(request, "jobs/detail.html", {"posting": posting, "jsonld": jsonld, "nearby": nearby})
