"""Which routes return or change personal data: the registry read by the role-by-endpoint permission matrix
(tests/test_permission_matrix.py). Every page (URL configuration) and every API operation (OpenAPI document)
must match one rule here, first match wins; a new route that matches none fails the test until it is
classified. "public" routes show nothing about a person (or only what that person typed into the same
request); "personal" ones are refused to anonymous callers, and those with `allowed` are also requested as each
of the eight roles of the matrix, where exactly the listed roles must succeed.

Roles: anon, seeker, other_seeker, hr (HR of the posting's enterprise), other_hr, staff (of the seeker's point),
other_staff, bureau. Path parameters are filled from one world: the seeker's application to the enterprise's
posting (see the test)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    pattern: str  # "<METHOD or PAGE> <path>" regex; API paths as in the OpenAPI document
    kind: str  # "public" | "personal"
    allowed: frozenset[str] | None = None  # the roles that succeed (GET routes only), when the matrix runs it

    def matches(self, route: str) -> bool:
        return re.fullmatch(self.pattern, route) is not None


def _p(pattern: str) -> Rule:
    return Rule(pattern, "public")


def _x(pattern: str, allowed: str | None = None) -> Rule:
    return Rule(pattern, "personal", frozenset(allowed.split()) if allowed is not None else None)


RULES: list[Rule] = [
    # --- the matrix: personal data, with who may see it -------------------------------------------------------
    _x(r"GET /api/v1/me", "seeker other_seeker"),
    _x(r"GET /api/v1/me/export", "seeker other_seeker"),
    _x(r"PAGE /me/data/export/", "seeker other_seeker"),
    _x(r"GET /api/v1/staff/seekers/\{seeker_id\}", "staff bureau"),
    _x(r"PAGE /me/staff/seekers/<int:pk>/", "staff bureau"),
    _x(r"GET /api/v1/applications/\{application_id\}", "seeker hr staff bureau"),
    _x(r"PAGE /applications/<int:pk>/", "seeker hr staff bureau"),
    _x(r"GET /api/v1/applications/\{application_id\}/history", "seeker hr staff bureau"),
    _x(r"GET /api/v1/jobs/\{posting_id\}/applications", "hr"),
    _x(r"GET /api/v1/enterprise/jobs/\{posting_id\}/applicants", "hr"),
    _x(r"PAGE /enterprise/jobs/<int:pk>/applicants/", "hr"),
    _x(r"GET /api/v1/recommend/jobs/\{posting_id\}/candidates", "hr bureau"),
    _x(r"GET /api/v1/me/applications", "seeker other_seeker"),
    _x(r"GET /api/v1/staff/(seekers|id-conflicts)", "staff other_staff bureau"),
    _x(r"GET /api/v1/verifications", "bureau"),
    _x(r"GET /api/v1/reports", "bureau"),
    _x(r"PAGE /audit/", "bureau"),
    # pages and endpoints of one role (the roles that succeed are the whole answer: nobody else may)
    _x(r"PAGE /enterprise/jobs/<int:pk>/(edit/)?", "hr"),
    _x(r"PAGE /recommend/jobs/<int:pk>/candidates/", "hr bureau"),
    _x(r"GET /api/v1/enterprises/\{enterprise_id\}/verification|GET /api/v1/jobs/\{posting_id\}/history", "hr bureau"),
    _x(r"PAGE /(applications/pay-record|gigs/arrears|siting/calibration)/"
       r"|PAGE /moderation/(|verifications/|claims/|postings/|reports/)|PAGE /moderation/postings/<int:pk>/"
       r"|GET /api/v1/(jobs/review-queue|bureau/pay-record|gigs/arrears|siting/calibration)", "bureau"),
    _x(r"PAGE /me/staff/(register/|id-conflicts/)?|PAGE /applications/apply/<int:posting_id>/for/|PAGE /dashboard/(placement/)?"
       r"|PAGE /staff/(|imports/|exports/seekers/|exports/placements/|jobs/|followups/|figures/|posters/)"
       r"|PAGE /(events|live)/new/|PAGE /live/leads/|PAGE /siting/opened/new/"
       r"|GET /api/v1/(recommend/placement|outreach/figures|outreach/followups|outreach/retention|stats/overview)",
       "staff other_staff bureau"),
    # a call list is the point's own seekers for any posting: staff of every point, not the bureau
    _x(r"PAGE /recommend/jobs/<int:pk>/call-list/|PAGE /staff/jobs/<int:pk>/calls/"
       r"|GET /api/v1/(recommend|outreach)/jobs/\{posting_id\}/call-list", "staff other_staff"),
    # 因人设厂: staff and the bureau exactly, enterprises aggregates (minimum group size), seekers nothing
    _x(r"PAGE /siting/(|supply\.xlsx|recommend/|recommend/result\.xlsx|scenarios/|whatif/)"
       r"|GET /api/v1/siting/(supply|scenarios)", "hr other_hr staff other_staff bureau"),
    _x(r"GET /api/v1/recommend/me", "seeker other_seeker"),
    # licence files: the enterprise's HR (a claim's: its claimant, "other_hr" in the matrix's world) and the bureau
    _x(r"PAGE /enterprise/verification/<int:pk>/licence/", "hr bureau"),
    _x(r"PAGE /enterprise/claim/<int:pk>/licence/", "other_hr bureau"),
    # gig orders: the employer (HR), staff of the order's area and the bureau; a worker's record: the worker,
    # employers they signed up with and the bureau; an assignment: both sides, staff of the area and the bureau
    _x(r"PAGE /gigs/orders/<int:pk>/(qr\.svg|candidates/)"
       r"|GET /api/v1/gigs/orders/\{order_id\}/(assignments|candidates|checkin-url)", "hr staff bureau"),
    _x(r"PAGE /gigs/workers/<int:pk>/record/|GET /api/v1/gigs/workers/\{worker_id\}/record", "seeker hr bureau"),
    _x(r"GET /api/v1/gigs/assignments/\{assignment_id\}", "seeker hr staff bureau"),
    _x(r"GET /api/v1/gigs/me/(worker|assignments)", "seeker"),
    # village workshops: the ordering enterprise, staff of the workshop's township and the bureau (the owner's
    # and the worker's own views have their tests in hongniang/workshops/tests: neither is one of the 8 roles)
    _x(r"PAGE /workshops/orders/<int:pk>/"
       r"|GET /api/v1/outsourcing/orders/\{order_id\}(/handovers|/pieces|/wages)?", "hr staff bureau"),
    _x(r"GET /api/v1/outsourcing/orders/\{order_id\}/candidates", "hr bureau"),
    _x(r"PAGE /workshops/(<int:pk>|shares/<int:pk>/pieces)/|GET /api/v1/workshops/\{workshop_id\}/workers",
       "staff bureau"),
    _x(r"PAGE /workshops/(enterprise|orders/new)/", "hr other_hr"),
    _x(r"PAGE /workshops/staff/", "staff other_staff bureau"),
    _x(r"PAGE /workshops/bureau/(|export\.xlsx|disputes/)", "bureau"),
    # arrears alerts: the bureau all, staff those of their townships' workshops (an empty list elsewhere)
    _x(r"GET /api/v1/outsourcing/arrears", "staff other_staff bureau"),
    _x(r"PAGE /workshops/mine/(|wages/)", ""),  # the workshop owner's: none of the 8 roles
    # a point's own records: its staff and the bureau, never another point
    _x(r"PAGE /staff/(imports/<int:pk>/|imports/<int:pk>/report/|followups/<int:pk>/|posters/<str:code>\.pdf)"
       r"|GET /api/v1/outreach/imports/\{pk\}", "staff bureau"),
    _x(r"PAGE /staff/imports/template/<str:kind>/", "staff other_staff bureau"),
    # events of point A: the organiser's pages; the seeker's ticket; the enterprise's booth page
    _x(r"PAGE /events/<int:pk>/(manage|registrations|door|followups)/|PAGE /live/<int:pk>/manage/", "staff bureau"),
    _x(r"PAGE /events/<int:pk>/tickets/<int:reg_pk>/(|qr\.svg)", "seeker staff bureau"),
    _x(r"PAGE /events/<int:pk>/booth/", "hr other_hr"),
    # a staff member's saved siting scenario (private): staff and the bureau, not the enterprise until shared
    _x(r"PAGE /siting/scenarios/<int:pk>/(|result\.xlsx)|GET /api/v1/siting/scenarios/\{pk\}",
       "staff other_staff bureau"),
    # dashboard drill-downs and chart exports: staff (their points' people, masked) and the bureau
    _x(r"PAGE /dashboard/(drill/<slug:key>/|export/<str:key>\.xlsx)", "staff other_staff bureau"),
    _x(r"PAGE /dashboard/report/", "bureau"),
    # writes that are pages: a GET does nothing for anyone (405, or refused before that)
    _x(r"PAGE /enterprise/(claim/<int:pk>/withdraw|jobs/<int:pk>/(close|submit|refresh|fill))/"
       r"|PAGE /me/staff/(id-preview|id-conflicts/resolve)/"
       r"|PAGE /applications/<int:pk>/(withdraw|confirm-start|report-pay|act/<slug:action>)/"
       r"|PAGE /gigs/(orders|assignments)/<int:pk>/<str:action>/"
       r"|PAGE /workshops/(orders/<int:pk>/(offer|cancel|handovers|retrial)|shares/<int:pk>/<str:action>"
       r"|bureau/disputes/(shares|wages|arrears)/<int:pk>"
       r"|wages/<int:pk>/<str:action>)/"
       r"|PAGE /notifications/(<int:pk>/open|read-all)/|PAGE /staff/imports/<int:pk>/(commit|cancel)/"
       r"|PAGE /staff/jobs/<int:pk>/calls/<int:seeker_pk>/|PAGE /moderation/(verifications|claims|postings|reports)"
       r"/<int:pk>/decide/|PAGE /siting/scenarios/<int:pk>/<str:action>/"
       r"|PAGE /events/<int:pk>/(walk-in|booth/scan|register|register-for|invite|act/<str:action>|buses)/"
       r"|PAGE /events/<int:pk>/tickets/<int:reg_pk>/(cancel|intention)/|PAGE /events/intentions/<int:pk>/<str:action>/"
       r"|PAGE /events/booths/<int:booth_pk>/(bar|<str:action>)/|PAGE /live/(leads/<int:pk>|<int:pk>/act)/<str:action>/",
       ""),
    # one's own things: every logged-in role gets its own (empty for a role that has none), anonymous nothing
    _x(r"PAGE /me/(|profile/|password/|applications/|data/|delete/)|PAGE /enterprise/(|claim/|verification/|jobs/new/)"
       r"|PAGE /gigs/(post|employer|mine|mine/orders)/|PAGE /recommend/for-you/|PAGE /notifications/"
       r"|GET /api/v1/(gigs/me/(notices|orders|employers)|notifications|notifications/unread-count|enterprise/jobs)"
       r"|PAGE /events/<int:pk>/ticket/|PAGE /workshops/wages/|GET /api/v1/outsourcing/orders",
       "seeker other_seeker hr other_hr staff other_staff bureau"),

    # --- public: reference data, the job market, sign-up forms, public figures ----------------------------------
    _p(r"PAGE /accounts/(login|login/code|logout)/|PAGE /favicon\.ico|PAGE /about/|PAGE /|PAGE /figures/"),
    _p(r"PAGE /jobs/.*|PAGE /j/<int:pk>|PAGE /points/.*"),
    _p(r"PAGE /(enterprise|me)/register/|PAGE /me/villages/|PAGE /applications/apply/<int:posting_id>/"),
    _p(r"PAGE /gigs/|PAGE /gigs/(join|screen|figures)/|PAGE /gigs/orders/<int:pk>/|PAGE /gigs/checkin/<str:token>/"),
    _p(r"PAGE /moderation/report/<int:posting_pk>/|PAGE /recommend/open/<int:pk>/"),
    _p(r"PAGE /events/|PAGE /events/<int:pk>/|PAGE /events/<int:pk>/qr\.svg|PAGE /events/compare/"),
    _p(r"PAGE /events/<int:pk>/results/"),  # the funnel anyone can check: counts per enterprise, no person
    _p(r"PAGE /live/|PAGE /live/<int:pk>/(|counts\.json|signup/|confirm/|confirm/send/|present/|replay/)"),
    _p(r"PAGE /live/leads/<int:pk>/confirm/|PAGE /siting/boundary\.geojson"),
    _p(r"GET /api/v1/(service-points|regions|occupations|industries|enterprises)(/\{[a-z_]+\})?"),
    _p(r"POST /api/v1/(enterprises|seekers/register|phone-codes|gigs/phone-codes|reports|login/code(/send)?|logout)"),
    _p(r"GET /api/v1/jobs(/facets|/\{posting_id\})?|GET /api/v1/search/suggest"),
    _p(r"GET /api/v1/gigs/(orders|orders/\{order_id\}|figures)"),
    _p(r"GET /api/v1/(events|live-sessions)(/\{[a-z_]+\})?|POST /api/v1/live-sessions/\{session_id\}/signups"),
    _p(r"GET /api/v1/stats/public"),
    # operations: no person's data (process and database health; counts by route, queue and SMS status); /metrics
    # is still kept from the public (METRICS_TOKEN, or loopback only: hongniang.web.ops)
    _p(r"PAGE /(healthz|readyz|metrics)"),
    _p(r"GET /api/v1/workshops"),  # village workshops: name, township, map point, skills, capacity; no person

    # --- village workshops: orders, shares, handovers, pieces, wages, workers (permission tests per role in
    # hongniang/workshops/tests/test_api.py: a workshop sees its own shares and workers, an enterprise its own
    # orders, staff the workshops of their townships, a worker their own wages, the bureau everything)
    _x(r"(GET|POST) /api/v1/outsourcing/orders(/.*)?"),
    _x(r"(GET|POST) /api/v1/workshops(/.*)?"),
    _p(r"PAGE /workshops/"),  # the public list (no owner, phone or worker; no home workers)
    # the bureau's figures, their Excel and its disputes page (disputed checks and wages, arrears): the bureau only
    _x(r"PAGE /workshops/.+"),  # per-role page tests in hongniang/workshops/tests/test_pages.py

    # --- everything else that needs a log-in: personal (anonymous refused) ------------------------------------
    _x(r"PAGE /(me|staff|enterprise|applications|moderation|dashboard|notifications|siting|recommend|events|live|gigs)/.*"),
    _x(r"(GET|POST|PUT|PATCH|DELETE) /api/v1/.*"),
]


def classify(route: str) -> Rule | None:
    """The first rule matching "<METHOD> <path>" (pages: "PAGE /path/"), or None when unclassified."""
    return next((r for r in RULES if r.matches(route)), None)
