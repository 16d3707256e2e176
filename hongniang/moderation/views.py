"""Bureau pages (verification queue, posting review queue, reports queue) and the public report form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from hongniang.core import throttle
from hongniang.core.access import bureau_required
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.core.forms import add_domain_errors
from hongniang.employers import services as employer_services
from hongniang.employers.models import CreditCodeClaim, VerificationRequest
from hongniang.jobs import selectors as job_selectors
from hongniang.jobs import services as job_services
from hongniang.jobs.machines import POSTING
from hongniang.jobs.models import JobPosting

from . import selectors, services
from .forms import DecisionForm, ReportForm
from .models import PostingReport


def client_ip(request) -> str:
    """The client's address behind TRUSTED_PROXIES (hongniang.core.throttle.client_ip)."""
    return throttle.client_ip(request) or ""


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
def index(request):
    return render(request, "moderation/index.html", {"counts": selectors.queue_counts()})


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
def verifications(request):
    rows = list(selectors.pending_verifications())
    return render(request, "moderation/verifications.html", {"rows": rows})


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
@require_POST
def verification_decide(request, pk: int):
    req = get_object_or_404(VerificationRequest, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    action, reason = form.cleaned_data.get("action"), form.cleaned_data.get("reason", "")
    try:
        if action == "approve":
            employer_services.verification_approve(reviewer=request.user, request=req, reason=reason)
            messages.success(request, _("已通过“%(enterprise)s”的认证。") % {"enterprise": req.enterprise.name})
        elif action == "reject":
            employer_services.verification_reject(reviewer=request.user, request=req, reason=reason)
            messages.success(request, _("已退回“%(enterprise)s”的认证申请。") % {"enterprise": req.enterprise.name})
        else:
            raise InvalidInput(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("moderation:verifications")


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
def postings(request):
    return render(request, "moderation/postings.html", {"rows": selectors.review_rows()})


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
def posting_review(request, pk: int):
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise", "township", "region", "occupation"),
                                pk=pk)
    duplicates = list(job_selectors.postings_by_id(posting.duplicate_ids or []).values())
    return render(request, "moderation/posting_review.html", {
        "posting": posting, "events": job_selectors.posting_history(posting), "duplicates": duplicates,
        "reports": selectors.reports_of(posting)})


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
@require_POST
def posting_decide(request, pk: int):
    posting = get_object_or_404(JobPosting, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    action, reason = form.cleaned_data.get("action"), form.cleaned_data.get("reason", "")
    try:
        if action == "approve":
            job_services.posting_approve(reviewer=request.user, posting=posting, reason=reason)
            messages.success(request, _("岗位“%(title)s”已审核通过并发布。") % {"title": posting.title})
        elif action == "reject":
            job_services.posting_reject(reviewer=request.user, posting=posting, reason=reason)
            messages.success(request, _("岗位“%(title)s”已退回企业修改。") % {"title": posting.title})
        elif action == "remove":
            job_services.posting_remove(reviewer=request.user, posting=posting, reason=reason)
            messages.success(request, _("岗位“%(title)s”已下架。") % {"title": posting.title})
        else:
            raise InvalidInput(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("moderation:posting_review", pk=pk)
    return redirect("moderation:postings")


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
def reports(request):
    return render(request, "moderation/reports.html", {"rows": list(selectors.reports(request.user))})


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
@require_POST
def report_decide(request, pk: int):
    report = get_object_or_404(PostingReport, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.report_resolve(reviewer=request.user, report=report, outcome=form.cleaned_data.get("action"),
                                note=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("举报已处理。"))
    return redirect("moderation:reports")


def report_new(request, posting_pk: int):
    """Anyone (also without an account) reports a published posting."""
    posting = JobPosting.objects.select_related("enterprise").filter(
        pk=posting_pk, status__in=POSTING.statuses_with("report")).first()
    if posting is None:
        raise Http404(_("找不到该岗位"))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(posting=posting, reason=form.cleaned_data["reason"],
                                   text=form.cleaned_data["text"], reporter=request.user, ip=client_ip(request))
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status if exc.status in (409, 429) else 422
            return render(request, "moderation/report_form.html", {"form": form, "posting": posting},
                          status=status)
        messages.success(request, _("举报已收到，人社局会尽快核实处理。谢谢您！"))
        return redirect("jobs:detail", pk=posting.pk)
    return render(request, "moderation/report_form.html", {"form": form, "posting": posting},
                  status=422 if form.errors else 200)


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
def claims(request):
    """Contested credit codes: the claimant's licence beside the one on file, and who manages the enterprise now."""
    return render(request, "moderation/claims.html", {"rows": selectors.pending_claims(request.user)})


@bureau_required(message=_lazy("只有人社局审核人员可以访问"))
@require_POST
def claim_decide(request, pk: int):
    claim = get_object_or_404(CreditCodeClaim.objects.select_related("enterprise"), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    action, reason = form.cleaned_data.get("action"), form.cleaned_data.get("reason", "")
    try:
        if action in ("grant", "grant_replace"):
            employer_services.claim_grant(actor=request.user, claim=claim, replace=action == "grant_replace",
                                          reason=reason)
            messages.success(request, _("已核实：申请人成为“%(enterprise)s”的招聘专员。") % {"enterprise": claim.enterprise.name})
        elif action == "reject":
            employer_services.claim_reject(actor=request.user, claim=claim, reason=reason)
            messages.success(request, _("已驳回对“%(enterprise)s”的核实申请。") % {"enterprise": claim.enterprise.name})
        else:
            raise InvalidInput(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("moderation:claims")
