"""The public job list and search (/jobs/, htmx filters) and the search box's autocomplete (/jobs/suggest/).

They sit in the `jobs` URL namespace (hongniang.web.urls adds them there) and render the jobs app's templates;
they live here because they read the search index, one layer above the postings."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from hongniang.core import pagecache, roles
from hongniang.core.htmx import is_htmx
from hongniang.jobs import selectors as job_selectors
from hongniang.jobs.cards import CardPage
from hongniang.jobs.forms import JobFilterForm
from hongniang.jobs.models import JobPosting

from . import selectors
from .facets import facet_counts
from .query import related_queries
from .results import RankedResults
from .suggest import suggest as suggest_terms

PAGE_SIZE = 20


@require_GET
def job_list(request):
    form = JobFilterForm(request.GET)
    params = form.params()
    results, parsed = selectors.search_postings(params)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    facets = _facets(results, params)
    postings = page.object_list
    if isinstance(results, QuerySet) and settings.PAGE_CACHE_SECONDS > 0:
        # no search words: each card is likely in the fragments cache; load only the postings of those not
        start = (page.number - 1) * PAGE_SIZE
        postings = CardPage(results, start, min(start + PAGE_SIZE, page.paginator.count))
    ctx = {"form": form, "page": page, "postings": postings, "query": query.urlencode(),
           "filtered": bool(params.keys() - {"sort"}), "terms": parsed.terms if parsed else [],
           "facets": facets, "read_as": parsed.read_as if parsed else None,
           "other_readings": parsed.reading.others if parsed and parsed.read_as else ()}
    if not page.paginator.count:
        ctx.update(_when_nothing_found(request, params, parsed))
    template = "jobs/_results.html" if is_htmx(request, target="results") else "jobs/list.html"
    response = render(request, template, ctx)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _when_nothing_found(request, params: dict, parsed) -> dict:
    """A search that finds nothing still offers a way on: the word the query likely meant (你是不是要找), near
    words that do find jobs, the same search in the whole county, and jobs near the seeker's home (or the
    newest)."""
    out: dict = {"did_you_mean": None, "related": [], "widen": None}
    if parsed is not None:
        out["did_you_mean"] = parsed.did_you_mean
        for q in related_queries(parsed):
            n = selectors.search_postings({**params, "q": q})[0].count()
            if n:
                out["related"].append({"q": q, "count": n, "url": _url_with(request, q=q)})
            if len(out["related"]) >= 5:
                break
    narrowed = {k: v for k, v in params.items() if k not in ("q", "sort", "lat", "lon")}
    if narrowed:
        wide = {"q": params["q"]} if params.get("q") else {}
        n = selectors.search_postings(wide)[0].count() if wide else selectors.filter_postings({}).count()
        if n:
            out["widen"] = {"count": n, "url": _url_with(request, keep=("q",))}
    seeker = roles.seeker_of(request.user)
    if seeker is not None and seeker.lat is not None:
        out["near_home"] = list(job_selectors.order_by_distance(job_selectors.published_postings(), seeker.lat,
                                                                seeker.lon)[:5])
    else:
        out["newest_instead"] = job_selectors.newest_postings(5)
    return out


def _url_with(request, *, keep=None, **values) -> str:
    """The list URL with `values` set (and, with `keep`, only those parameters kept)."""
    query = request.GET.copy() if keep is None else QueryDict(mutable=True)
    if keep is not None:
        for k in keep:
            if request.GET.get(k):
                query[k] = request.GET[k]
    query.pop("page", None)
    for k, v in values.items():
        query[k] = v
    return f"{reverse('jobs:list')}?{query.urlencode()}"


def _facets(results, params) -> dict | None:
    """Counts by township, shift and benefit of the listed postings. A search counts its matches by id when
    there are at most 1000 (one cheap query); above that the page shows no counts (the API /jobs/facets still
    counts all) — a broad word would otherwise count tens of thousands of rows on every keystroke. The counts of a
    filter (no search words) are the same for everyone: kept per filter under the page cache's generation."""
    if isinstance(results, RankedResults):
        ids = results.matched_ids()
        return facet_counts(JobPosting.objects.filter(pk__in=ids)) if ids else None
    key = repr(sorted((k, v) for k, v in params.items() if k not in ("sort", "page")))
    return pagecache.shared(f"facets:{get_language()}:{key}",
                            lambda: facet_counts(selectors.filter_postings({**params, "sort": "newest"})),
                            ttl=max(settings.PAGE_CACHE_SECONDS, 30))


@require_GET
def suggest(request):
    """Autocomplete options for the search box (an htmx-loaded <datalist>)."""
    return render(request, "jobs/_suggest.html", {"suggestions": suggest_terms(request.GET.get("q", ""))})
