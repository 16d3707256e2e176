"""/api/v1/stats: the headline figures (bureau and service-point staff, scoped as on the dashboard) and the
public counts (anonymous, cacheable)."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from hongniang.core.apiauth import AUTH

from . import figures, public

PREFIX = "/stats"
router = Router(tags=["数据统计"])
ERRORS = {401: dict, 403: dict, 422: dict}


class OverviewQuery(Schema):
    from_: str | None = Field(None, alias="from", description="开始日期 YYYY-MM-DD（默认本月 1 日）")
    to: str | None = Field(None, description="结束日期 YYYY-MM-DD（默认今天）")
    township: str = Field("", description="乡镇代码（12 位），空为全市")


@router.get("/overview", response={200: dict, **ERRORS}, auth=AUTH)
def overview(request, q: Query[OverviewQuery]):
    """The headline figures for a period and area, each with its provenance (verified vs self-reported), plus
    follow-up retention and promised vs actual pay. Bureau: the county or a township; staff: their points."""
    if not figures.may_see_dashboard(request.user):
        raise HttpError(403, "forbidden")
    scope = figures.scope_for(request.user, start=figures.parse_day(q.from_, "from"),
                              end=figures.parse_day(q.to, "to"), township=q.township.strip())
    with figures.computing():
        return figures.cached("overview", scope, lambda: figures.overview(scope))


@router.get("/public", response={200: dict})
def public_stats(request, response: HttpResponse):
    """Counts for everyone: open postings and positions, enterprises, hires and gig orders this month, by
    township. Small counts are suppressed (null) and the rest rounded; no personal data. The gig orders are current
    (`gig_as_of`, this month `gig_month`); the rest as of the last nightly run (`as_of`)."""
    response["Cache-Control"] = f"public, max-age={public.LIVE_SECONDS}"
    return public.public_figures()
