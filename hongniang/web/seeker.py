"""The seeker's pages that read several apps or run a flow: my page and my applications (seekers +
applications), my data (the export and account deletion: hongniang.flows.accounts), and the staff desk's page of
one seeker with their applications."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hongniang.applications.models import Application
from hongniang.applications.selectors import seeker_applications
from hongniang.catalog.models import Occupation
from hongniang.core import roles
from hongniang.core.access import staff_required
from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.flows.accounts import delete_account as delete_account_flow
from hongniang.flows.accounts import export_my_data
from hongniang.geo.models import Region
from hongniang.jobs.selectors import reference_rows
from hongniang.seekers.selectors import occupation_names, staff_seeker_or_none
from hongniang.seekers.services import reveal_seeker


@login_required
def me(request):
    """My page. The home village (with its township) and the wanted occupations' names come from the reference
    rows kept per process (`jobs.selectors.reference_rows`: regions and occupations change only with the bundled
    data), and each application is given its seeker: the page reads the seeker, their applications and the
    header's rows, not one row more per application or place."""
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        messages.info(request, _("请先填写求职信息"))
        return redirect("seekers:profile")
    applications = list(seeker_applications(seeker)[:50])
    for a in applications:
        a.seeker = seeker  # the buttons ask whose application it is (machines.own_or_point_staff)
    return render(request, "seekers/me.html", {
        "seeker": seeker,
        "home_region": _home_region(seeker),
        "occupations": _occupation_names(seeker.desired_occupations),
        "applications": applications,
    })


def _home_region(seeker):
    """The seeker's home region with its parent in place, from the reference rows (None when not given)."""
    code = seeker.home_region_id
    if not code:
        return None
    region = reference_rows(Region, [code]).get(code)
    if region is None:
        return seeker.home_region
    if region.parent_id:
        parent = reference_rows(Region, [region.parent_id]).get(region.parent_id)
        if parent is not None:
            region.parent = parent
    return region


def _occupation_names(codes) -> list[str]:
    """As `seekers.selectors.occupation_names`, from the reference rows."""
    rows = reference_rows(Occupation, [c for c in codes or [] if c])
    return [str(rows[c]) if c in rows else c for c in codes or []]


@login_required
def my_applications(request):
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        return redirect("seekers:profile")
    return render(request, "seekers/applications.html", {"seeker": seeker,
                                                         "applications": list(seeker_applications(seeker))})


@login_required
def my_data(request):
    """My data and privacy: consents on record, download everything, delete the account."""
    seeker = roles.seeker_of(request.user)
    consents = []
    if seeker is not None:
        consents = list(Application.objects.filter(seeker=seeker, consent_at__isnull=False)
                        .select_related("posting__enterprise", "consent_witness").order_by("-consent_at"))
    return render(request, "seekers/my_data.html", {"seeker": seeker, "application_consents": consents})


@login_required
def my_data_export(request):
    """Download my data as JSON (audited)."""
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        raise Http404(_("您还没有求职信息"))
    data = export_my_data(actor=request.user, seeker=seeker)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="hongniang-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    """Delete my account, confirmed by my password."""
    error = ""
    if request.method == "POST":
        try:
            delete_account_flow(user=request.user, password=request.POST.get("password", ""))
        except (InvalidInput, PermissionDeniedError) as exc:
            error = getattr(exc, "message", _("无法注销"))
        else:
            logout(request)
            messages.success(request, _("账号已注销，您的个人信息已删除。"))
            return redirect("/")
    return render(request, "seekers/delete_account.html", {"error": error})


@staff_required
def staff_seeker_detail(request, pk: int):
    seeker = staff_seeker_or_none(request.user, pk)
    if seeker is None:
        raise Http404(_("找不到该求职者"))
    full = reveal_seeker(actor=request.user, seeker=seeker, reason="站点工作台查看详情")
    return render(request, "seekers/staff_seeker_detail.html", {
        "seeker": seeker, "full": full, "occupations": occupation_names(seeker.desired_occupations),
        "applications": list(seeker_applications(seeker)[:50]),
    })
