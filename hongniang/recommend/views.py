from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.htmx import is_htmx
from hongniang.jobs.models import JobPosting

from . import dashboard, services, state
from .models import Surface
from .selectors import call_list_for, candidates_for, recommendations_for


@login_required
def for_you(request):
    """为你推荐: the seeker's recommendations with reasons (a full page, or a fragment for htmx). What is shown is
    recorded (impressions, for the placement dashboard and for learning)."""
    seeker = roles.seeker_of(request.user)
    items = recommendations_for(seeker, top=10) if seeker else []
    if items:
        services.record_impressions(seeker=seeker, items=items, surface=Surface.FOR_YOU, engine=state.engine())
    template = "recommend/_for_you.html" if is_htmx(request) else "recommend/for_you.html"
    close = [i for i in items if not i.other]
    return render(request, template, {"items": close, "others": [i for i in items if i.other], "seeker": seeker})


@require_GET
def open_posting(request, pk):
    """A recommended posting opened from the list: the view is recorded, then the posting's page."""
    posting = get_object_or_404(JobPosting.objects.only("pk"), pk=pk)
    seeker = roles.seeker_of(request.user)
    if seeker is not None:
        services.record_view(seeker=seeker, posting_id=posting.pk)
    return redirect("jobs:detail", posting.pk)


@login_required
@require_GET
def placement(request):
    """推荐成效: recommendation -> view -> application -> hire rates by township and occupation (bureau: the
    county; staff: their points' townships)."""
    try:
        days = int(request.GET.get("days", 90))
    except ValueError:
        days = 90
    funnel = dashboard.placement_funnel(request.user, days=days)
    return render(request, "recommend/placement.html", {"f": funnel, "periods": dashboard.PERIODS})


def _posting_for_hr(request, pk):
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise", "township", "occupation"), pk=pk)
    if not (roles.is_bureau(request.user) or roles.is_enterprise_hr(request.user, posting.enterprise_id)):
        raise Http404
    return posting


@login_required
def candidates(request, pk):
    """Ranked candidates for one of the HR's postings; names and phones masked until the seeker applies."""
    posting = _posting_for_hr(request, pk)
    items = candidates_for(posting, request.user, top=30)
    if any(i.full for i in items):
        audit(actor=request.user, action="view_candidates", target=posting, reason="企业查看推荐人选",
              seekers=[i.seeker.pk for i in items if i.full])
    return render(request, "recommend/candidates.html", {"posting": posting, "items": items})


@login_required
def call_list(request, pk):
    """外呼名单: the best-matching seekers of the staff member's points for a posting."""
    points = roles.service_point_ids(request.user)
    if not points:
        raise Http404
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise", "township"), pk=pk)
    items = call_list_for(posting, request.user, points, top=30)
    audit(actor=request.user, action="view_call_list", target=posting, reason="站点外呼名单",
          seekers=[i.seeker.pk for i in items])
    return render(request, "recommend/call_list.html", {"posting": posting, "items": items})
