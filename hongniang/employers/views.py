"""Enterprise pages: register, dashboard, verification upload and status, post / edit / submit / refresh / fill /
close a job, a job's page with its history, applicants of a job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.core.roles import is_bureau
from hongniang.jobs import services as job_services
from hongniang.jobs.forms import PostingForm
from hongniang.jobs.models import PostingStatus
from hongniang.jobs.selectors import enterprise_postings, posting_history, postings_by_id

from . import selectors, services
from .forms import CloseForm, EnterpriseAddForm, EnterpriseRegisterForm, VerificationForm
from .models import VerificationRequest


def register(request):
    logged_in = request.user.is_authenticated
    form_class = EnterpriseAddForm if logged_in else EnterpriseRegisterForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = dict(name=d["name"], credit_code=d["credit_code"], region_code=d["region_code"],
                      address=d["address"], contact_name=d["contact_name"], description=d["description"])
        try:
            if logged_in:
                services.enterprise_register(user=request.user, contact_phone=d["contact_phone"], **common)
            else:
                user, _ = services.account_and_enterprise_register(phone=d["phone"], password=d["password"], **common)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, "企业登记成功。人社局认证通过前，发布的岗位会先保存为草稿。")
            return redirect("employers:dashboard")
    return render(request, "employers/register.html", {"form": form, "logged_in": logged_in},
                  status=422 if form.errors else 200)


@login_required
def dashboard(request):
    enterprises = selectors.my_enterprises(request.user)
    if not enterprises:
        return render(request, "employers/no_enterprise.html")
    postings = list(enterprise_postings(request.user))
    return render(request, "employers/dashboard.html", {"enterprises": enterprises, "postings": postings})


def _own_or_404(request, pk):
    posting = selectors.own_posting(request.user, pk)
    if posting is None:
        raise Http404("找不到该岗位")
    return posting


@login_required
def posting_new(request):
    enterprises = selectors.my_enterprises(request.user)
    if not enterprises:
        messages.warning(request, "请先登记企业，再发布岗位。")
        return redirect("employers:register")
    chosen = enterprises[0]
    wanted = request.POST.get("enterprise") or request.GET.get("enterprise")
    if wanted:
        chosen = next((e for e in enterprises if str(e.pk) == wanted), None)
        if chosen is None:
            raise Http404("找不到该企业")
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
        messages.success(request, "岗位已发布，求职者现在可以看到并报名。")
    elif posting.status == PostingStatus.PENDING:
        messages.warning(request, "岗位已提交，内容检查有提示（见下方），等待人社局审核后发布。")
    elif as_draft:
        messages.success(request, "岗位已保存为草稿。")
    else:
        messages.warning(request, "岗位已保存为草稿，等待企业认证后发布。")


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
                messages.warning(request, "岗位已保存。修改后的内容有检查提示，需人社局重新审核后发布。")
            else:
                messages.success(request, "岗位已保存。")
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
    messages.success(request, f"岗位“{posting.title}”已关闭，不再对外展示。")
    return redirect("employers:dashboard")


@login_required
def posting_detail(request, pk: int):
    """The HR's page of one posting: status, check flags, duplicates, actions and its history."""
    posting = _own_or_404(request, pk)
    duplicates = list(postings_by_id(posting.duplicate_ids or []).values())
    return render(request, "employers/posting_detail.html", {
        "posting": posting, "events": posting_history(posting), "duplicates": duplicates})


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
                messages.success(request, done.format(title=posting.title))
        return redirect("employers:posting_detail", pk=pk)
    return view


posting_submit = _transition_view(job_services.posting_submit, "")
posting_refresh = _transition_view(job_services.posting_refresh, "岗位“{title}”的有效期已延长。")
posting_fill = _transition_view(job_services.posting_mark_filled, "岗位“{title}”已标记为招满，不再对外展示。")


@login_required
def verification(request):
    """Upload the business licence and see the verification status (one enterprise at a time)."""
    enterprises = selectors.my_enterprises(request.user)
    if not enterprises:
        return redirect("employers:register")
    chosen = enterprises[0]
    wanted = request.POST.get("enterprise") or request.GET.get("enterprise")
    if wanted:
        chosen = next((e for e in enterprises if str(e.pk) == wanted), None)
        if chosen is None:
            raise Http404("找不到该企业")
    form = VerificationForm(request.POST or None, request.FILES or None, initial={"credit_code": chosen.credit_code})
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_submit(actor=request.user, enterprise=chosen,
                                         credit_code=form.cleaned_data["credit_code"],
                                         licence=form.cleaned_data.get("licence"))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, "认证材料已提交，人社局审核后会通知您。")
            return redirect(f"{request.path}?enterprise={chosen.pk}")
    chosen.refresh_from_db()
    return render(request, "employers/verification.html", {
        "form": form, "enterprise": chosen, "enterprises": enterprises,
        "requests": selectors.verification_requests_of(chosen), "events": selectors.verification_events_of(chosen),
    }, status=422 if form.errors else 200)


@login_required
def licence(request, pk: int):
    """The uploaded licence file: the enterprise's HR and the bureau only (not a public media URL)."""
    row = VerificationRequest.objects.select_related("enterprise").filter(pk=pk).first()
    if row is None or not (is_bureau(request.user) or row.enterprise_id in selectors.my_enterprise_ids(request.user)):
        raise Http404("找不到该文件")
    audit(actor=request.user, action="view_licence", target=row.enterprise, request_id=row.pk)
    content_type = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}[row.licence_type]
    response = FileResponse(row.licence.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="licence-{row.enterprise_id}.{row.licence_type}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def applicants(request, pk: int):
    posting = _own_or_404(request, pk)
    rows = list(selectors.applicants_of(posting))
    audit(actor=request.user, action="view_applicants", target=posting, count=len(rows))
    return render(request, "employers/applicants.html", {"posting": posting, "applications": rows})
