"""The public job list and search (/jobs/, htmx filters) and the search box's autocomplete (/jobs/suggest/).

They sit in the `jobs` URL namespace (hongniang.web.urls adds them there) and render the jobs app's templates;
they live here because they read the search index, one layer above the postings."""

from __future__ import annotations

import hashlib

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from hongniang.core import roles
from hongniang.core.htmx import is_htmx
from hongniang.jobs import selectors as job_selectors
from hongniang.jobs.cards import CardPage, home_point
from hongniang.jobs.forms import JobFilterForm

from .shared import SharedResults
from .suggest import suggest as suggest_terms

PAGE_SIZE = 20


@require_GET
def job_list(request):
    """The job list and search. What it shows of the results is the same for everyone with the same words and
    filters, and kept so (`shared.SharedResults`); what is the visitor's own — the distance from their home on
    each card, the jobs near home when nothing is found, the header — is added on each request."""
    form = JobFilterForm(request.GET)
    params = form.params()
    results = SharedResults(params)
    head = results.head
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"form": form, "page": page, "postings": page.object_list, "query": query.urlencode(),
           "filtered": bool(params.keys() - {"sort"}), "terms": head["terms"], "facets": head["facets"],
           "read_as": head["read_as"], "other_readings": head["other_readings"]}
    if head["nothing_found"] is not None:
        ctx.update(_when_nothing_found(request, head["nothing_found"]))
    template = "jobs/_results.html" if is_htmx(request, target="results") else "jobs/list.html"
    if template == "jobs/list.html" and head["nothing_found"] is None and isinstance(page.object_list, CardPage):
        ctx["results_key"] = _results_key(request, results, page, ctx)
    response = render(request, template, ctx)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _results_key(request, results: SharedResults, page, ctx: dict) -> str:
    """The key of the results part of the page (count, facets, cards, pager), from all it shows: the search's
    head (its key, under the page cache's generation), the page's rows as just read (id and version of each
    posting), the visitor's home (the cards' distances), the language and the query string (the pager's links).
    Two visitors get the same part only when it is the same HTML."""
    raw = repr((results.key, get_language(), page.number, [(r.pk, r.updated_at) for r in page.object_list],
                home_point(request), ctx["query"], ctx["filtered"]))
    return "results:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def _when_nothing_found(request, nothing: dict) -> dict:
    """A search that finds nothing still offers a way on (`shared.nothing_found`: the word the query likely meant,
    near words that do find jobs, the same search in the whole county), and jobs near the seeker's home (or the
    newest)."""
    out: dict = {"did_you_mean": nothing["did_you_mean"],
                 "related": [{"q": q, "count": n, "url": _url_with(request, q=q)} for q, n in nothing["related"]],
                 "widen": ({"count": nothing["widen"], "url": _url_with(request, keep=("q",))}
                           if nothing["widen"] else None)}
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


@require_GET
def suggest(request):
    """Autocomplete options for the search box (an htmx-loaded <datalist>)."""
    return render(request, "jobs/_suggest.html", {"suggestions": suggest_terms(request.GET.get("q", ""))})
