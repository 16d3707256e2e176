from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.jobs.models import JobPosting

from .selectors import call_list_for, candidates_for, recommendations_for


@login_required
def for_you(request):
    """为你推荐: the seeker's recommendations with reasons (a full page, or a fragment for htmx)."""
    seeker = roles.seeker_of(request.user)
    items = recommendations_for(seeker, top=10) if seeker else []
    template = "recommend/_for_you.html" if request.headers.get("HX-Request") else "recommend/for_you.html"
    return render(request, template, {"items": items, "seeker": seeker})


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
