"""Reads of published postings through the search index, shared by the job list page and GET /api/v1/jobs.

The structured filters (township, occupation, pay, shift, benefits, sort) live with the postings
(`hongniang.jobs.selectors.filter_postings`); this layer adds the full-text words (`q`) and the relevance sort."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from hongniang.jobs import selectors as job_selectors

from .query import filter_matching, parse_query
from .results import RankedResults
from .tokens import query_filter_tokens
from .windows import SortedResults


def _text(params: Mapping, key: str) -> str:
    value = params.get(key)
    return value.strip() if isinstance(value, str) else (value or "")


def filter_postings(params: Mapping | None) -> QuerySet:
    """`jobs.selectors.filter_postings` plus `q`: full-text words (title, occupation, enterprise, benefits,
    description; synonyms, groups) narrow the queryset; the order is the filters' sort (newest by default)."""
    qs = job_selectors.filter_postings(params)
    q = _text(params or {}, "q")
    return filter_matching(qs, parse_query(q)) if q else qs


def search_postings(params: Mapping | None):
    """Like `filter_postings`, but with a query and sort=relevance (the default when `q` is given) the result
    is a `RankedResults` — best matches first, sliceable and countable like a queryset, for a Paginator.
    Returns (results, parsed query or None) — the parsed query gives the words to highlight."""
    params = dict(params or {})
    q = _text(params, "q")
    parsed = parse_query(q) if q else None
    sort = _text(params, "sort") or ("relevance" if q else "newest")
    if parsed is not None:
        params.pop("q", None)
        tokens, exact = query_filter_tokens(**job_selectors.list_filters(params))
        base = job_selectors.filter_postings(params)
        if sort == "relevance":
            return RankedResults(base, parsed, tokens, exact, load=job_selectors.load_page), parsed
        # newest / pay / distance: counted like a relevance search, each page sorted exactly
        point = job_selectors.sort_point(params) if sort == "distance" else None
        return SortedResults(base, parsed, tokens, exact, load=job_selectors.load_page, sort=sort,
                             point=point, rows=job_selectors.page_rows), parsed
    if sort == "relevance":
        params["sort"] = "newest"
    return job_selectors.filter_postings(params), parsed
