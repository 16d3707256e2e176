"""The staff workspace's steps that run a flow: recording a call's outcome ("interested" applies on the seeker's
behalf: hongniang.flows.calls). The rest of the workspace is the outreach app's own."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniang.core.access import staff_required
from hongniang.core.errors import DomainError
from hongniang.core.htmx import is_htmx
from hongniang.flows.calls import record_call
from hongniang.outreach import views
from hongniang.outreach.forms import CallOutcomeForm
from hongniang.outreach.models import CallOutcome
from hongniang.seekers.selectors import staff_seeker_or_none


@staff_required
@require_POST
def call_record(request, pk: int, seeker_pk: int):
    posting = views._open_posting(pk)
    seeker = staff_seeker_or_none(request.user, seeker_pk)
    if seeker is None:
        raise Http404
    form = CallOutcomeForm(request.POST)
    error, log = "", None
    if form.is_valid():
        try:
            log = record_call(actor=request.user, posting=posting, seeker=seeker,
                                           outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
                                           verbal_consent=form.cleaned_data["verbal_consent"])
        except DomainError as exc:
            error = exc.message
    else:
        error = _("请选择通话结果")
    if is_htmx(request):
        return render(request, "outreach/_call_row.html", {"seeker": seeker, "log": log, "error": error,
                                                          "posting": posting, "outcomes": CallOutcome.choices})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已记录：%(name)s · %(outcome)s") % {"name": seeker.name, "outcome": log.get_outcome_display()})
    return redirect("outreach:call_list", pk=posting.pk)
