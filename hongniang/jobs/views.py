"""Public job pages: home, job list (htmx filters), job detail (with JSON-LD)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from hongniang.core import roles
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
           "facets": facets, "read_as": parsed.read_as if parsed else None,
           "other_readings": parsed.reading.others if parsed and parsed.read_as else ()}
    if not page.paginator.count:
        ctx.update(_when_nothing_found(request, params, parsed))
    template = "jobs/_results.html" if _is_htmx_results(request) else "jobs/list.html"
    response = render(request, template, ctx)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _when_nothing_found(request, params: dict, parsed) -> dict:
    """A search that finds nothing still offers a way on: the word the query likely meant (你是不是要找), near
    words that do find jobs, the same search in the whole county, and jobs near the seeker's home (or the
    newest)."""
    from hongniang.search.query import related_queries

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
        out["near_home"] = list(selectors.order_by_distance(selectors.published_postings(), seeker.lat,
                                                            seeker.lon)[:5])
    else:
        out["newest_instead"] = selectors.newest_postings(5)
    return out


def _url_with(request, *, keep=None, **values) -> str:
    """The list URL with `values` set (and, with `keep`, only those parameters kept)."""
    from django.http import QueryDict

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
    return render(request, "jobs/detail.html", {"posting": posting, "jsonld": jsonld, "nearby": nearby,
                                                **_sharing(request, posting)})


def _sharing(request, posting) -> dict:
    """What a shared or printed job page needs: the Open Graph card (title, pay, township, enterprise), the
    short printable URL and the words 读给我听 reads aloud."""
    place = posting.township.name if posting.township_id else ""
    if posting.region_id and posting.region_id != posting.township_id:
        place += posting.region.name
    short = request.build_absolute_uri(reverse("job_short", args=[posting.pk]))
    speech = [posting.title, posting.pay_plain.replace("–", " 到 "), f"{posting.enterprise.name}，在{place}",
              posting.get_shift_display(), *posting.benefit_labels, f"招 {posting.headcount} 人"]
    return {
        "og": {"title": f"{posting.title} · {posting.pay_plain}",
               "description": f"{posting.enterprise.name} · {place} · {posting.get_shift_display()}"
                              + "".join(f" · {b}" for b in posting.benefit_labels),
               "url": request.build_absolute_uri(reverse("jobs:detail", args=[posting.pk])),
               "image": request.build_absolute_uri(static("hongniang/share.png"))},
        "short_url": short, "short_url_text": short.split("://", 1)[-1],
        "speech": "。".join(p for p in speech if p) + "。",
        "place": place,
    }


@require_GET
def short_link(request, pk: int):
    """/j/<id>: the short printable address of a job (on posters, notes, SMS) — to the job page."""
    from django.shortcuts import redirect

    return redirect("jobs:detail", pk=pk, permanent=True)


@require_GET
def job_qr(request, pk: int):
    """The QR code (SVG) of a job's short address, for printing and for phones to scan."""
    import io

    import segno
    from django.http import HttpResponse

    if selectors.visible_posting(request.user, pk) is None:
        raise Http404("找不到该岗位")
    buf = io.BytesIO()
    segno.make(request.build_absolute_uri(reverse("job_short", args=[pk])), error="m").save(
        buf, kind="svg", scale=6, border=2, title="岗位二维码")
    response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def job_print(request, pk: int):
    """A printable page of one job (A4, for the notice board of a village): the facts, the short address and
    its QR code."""
    posting = selectors.visible_posting(request.user, pk)
    if posting is None:
        raise Http404("找不到该岗位")
    return render(request, "jobs/print.html", {"posting": posting, **_sharing(request, posting)})
