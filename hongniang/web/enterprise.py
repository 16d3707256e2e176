"""The enterprise HR's workspace: postings with applicant counts, a posting's page with the buttons its state
machine allows, post / edit / submit / refresh / fill / close, and the applicants of a posting (employers + jobs +
applications). Registration and verification are the employers app's own pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hongniang.applications.selectors import enterprise_postings, places_taken, posting_applicants
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.employers.forms import CloseForm
from hongniang.employers.selectors import my_enterprises
from hongniang.jobs import services as job_services
from hongniang.jobs.forms import PostingForm
from hongniang.jobs.models import PostingStatus
from hongniang.jobs.selectors import hr_posting, posting_history, postings_by_id


@login_required
def dashboard(request):
    enterprises = my_enterprises(request.user)
    if not enterprises:
        return render(request, "employers/no_enterprise.html")
    postings = list(enterprise_postings(request.user))
    return render(request, "employers/dashboard.html", {"enterprises": enterprises, "postings": postings})


def _own_or_404(request, pk):
    posting = hr_posting(request.user, pk)
    if posting is None:
        raise Http404(_("找不到该岗位"))
    return posting


@login_required
def posting_new(request):
    enterprises = my_enterprises(request.user)
    if not enterprises:
        messages.warning(request, _("请先登记企业，再发布岗位。"))
        return redirect("employers:register")
    chosen = enterprises[0]
    wanted = request.POST.get("enterprise") or request.GET.get("enterprise")
    if wanted:
        chosen = next((e for e in enterprises if str(e.pk) == wanted), None)
        if chosen is None:
            raise Http404(_("找不到该企业"))
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        as_draft = request.POST.get("save") == "draft"
        try:
            posting = job_services.posting_create(actor=request.user, enterprise=chosen, data=form.cleaned_data,
                                                  submit=not as_draft)
        except InvalidInput as exc:
            form.add_domain_errors(exc)
        else:
            _status_message(request, posting, as_draft=as_draft)
            return redirect("employers:posting_detail", pk=posting.pk)
    return render(request, "employers/posting_form.html",
                  {"form": form, "enterprise": chosen, "enterprises": enterprises, "posting": None},
                  status=422 if form.errors else 200)


def _status_message(request, posting, *, as_draft=False):
    if posting.status == PostingStatus.PUBLISHED:
        messages.success(request, _("岗位已发布，求职者现在可以看到并报名。"))
    elif posting.status == PostingStatus.PENDING:
        messages.warning(request, _("岗位已提交，内容检查有提示（见下方），等待人社局审核后发布。"))
    elif as_draft:
        messages.success(request, _("岗位已保存为草稿。"))
    else:
        messages.warning(request, _("岗位已保存为草稿，等待企业认证后发布。"))


@login_required
def posting_edit(request, pk: int):
    posting = _own_or_404(request, pk)
    initial = job_services.posting_for_form(posting)
    form = PostingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job_services.posting_update(actor=request.user, posting=posting, data=form.cleaned_data)
        except InvalidInput as exc:
            form.add_domain_errors(exc)
        else:
            posting.refresh_from_db()
            if posting.status == PostingStatus.PENDING:
                messages.warning(request, _("岗位已保存。修改后的内容有检查提示，需人社局重新审核后发布。"))
            else:
                messages.success(request, _("岗位已保存。"))
            return redirect("employers:posting_detail", pk=posting.pk)
    return render(request, "employers/posting_form.html",
                  {"form": form, "enterprise": posting.enterprise, "posting": posting},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def posting_close(request, pk: int):
    posting = _own_or_404(request, pk)
    form = CloseForm(request.POST)
    form.is_valid()
    job_services.posting_close(actor=request.user, posting=posting, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("岗位“%(title)s”已关闭，不再对外展示。") % {"title": posting.title})
    return redirect("employers:dashboard")


@login_required
def posting_detail(request, pk: int):
    """The HR's page of one posting: status, check flags, duplicates, actions and its history."""
    posting = _own_or_404(request, pk)
    duplicates = list(postings_by_id(posting.duplicate_ids or []).values())
    return render(request, "employers/posting_detail.html", {
        "posting": posting, "events": posting_history(posting), "duplicates": duplicates,
        "taken": places_taken(posting)})


def _transition_view(service, done: str):
    @login_required
    @require_POST
    def view(request, pk: int):
        posting = _own_or_404(request, pk)
        try:
            posting = service(actor=request.user, posting=posting)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if service is job_services.posting_submit:
                _status_message(request, posting)
            else:
                messages.success(request, done % {"title": posting.title})
        return redirect("employers:posting_detail", pk=pk)
    return view


posting_submit = _transition_view(job_services.posting_submit, "")


posting_refresh = _transition_view(job_services.posting_refresh, gettext_lazy("岗位“%(title)s”的有效期已延长。"))


posting_fill = _transition_view(job_services.posting_mark_filled, gettext_lazy("岗位“%(title)s”已标记为招满，不再对外展示。"))


@login_required
def applicants(request, pk: int):
    found = posting_applicants(user=request.user, posting_id=pk, channel="page")
    if found is None:
        raise Http404(_("找不到该岗位"))
    posting, rows = found
    return render(request, "employers/applicants.html", {"posting": posting, "applications": rows})
