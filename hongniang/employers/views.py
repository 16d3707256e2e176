"""Enterprise pages: register, dashboard, post / edit / close a job, applicants of a job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.jobs import services as job_services
from hongniang.jobs.forms import PostingForm
from hongniang.jobs.models import PostingStatus
from hongniang.jobs.selectors import enterprise_postings

from . import selectors, services
from .forms import CloseForm, EnterpriseAddForm, EnterpriseRegisterForm


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
        try:
            posting = job_services.posting_create(actor=request.user, enterprise=chosen, data=form.cleaned_data)
        except InvalidInput as exc:
            form.add_domain_errors(exc)
        else:
            if posting.status == PostingStatus.PUBLISHED:
                messages.success(request, "岗位已发布，求职者现在可以看到并报名。")
            else:
                messages.warning(request, "岗位已保存为草稿，等待企业认证后发布。")
            return redirect("employers:dashboard")
    return render(request, "employers/posting_form.html",
                  {"form": form, "enterprise": chosen, "enterprises": enterprises, "posting": None},
                  status=422 if form.errors else 200)


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
            messages.success(request, "岗位已保存。")
            return redirect("employers:dashboard")
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
def applicants(request, pk: int):
    posting = _own_or_404(request, pk)
    rows = list(selectors.applicants_of(posting))
    audit(actor=request.user, action="view_applicants", target=posting, count=len(rows))
    return render(request, "employers/applicants.html", {"posting": posting, "applications": rows})
