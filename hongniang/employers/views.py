"""Enterprise pages: register, dashboard, verification upload and status, post / edit / submit / refresh / fill /
close a job, a job's page with its history, applicants of a job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from hongniang.core.audit import audit
from hongniang.core.errors import DomainError
from hongniang.core.roles import is_bureau
from hongniang.core.throttle import client_ip
from hongniang.notifications.phone_codes import console_hint, phone_code_send

from . import selectors, services
from .forms import EnterpriseAddForm, EnterpriseRegisterForm, VerificationForm
from .models import VerificationRequest


def register(request):
    logged_in = request.user.is_authenticated
    form_class = EnterpriseAddForm if logged_in else EnterpriseRegisterForm
    if request.method == "POST" and "send" in request.POST and not logged_in:
        # step 1 for a new account: a code to the phone, the same answer for every number
        form = form_class(initial=request.POST.dict())
        try:
            phone_code_send(phone=request.POST.get("phone", ""), purpose=services.ENTERPRISE_CODE_PURPOSE,
                            ip=client_ip(request))
        except DomainError as exc:
            form.add_domain_errors(exc)
            return render(request, "employers/register.html", {"form": form, "logged_in": logged_in},
                          status=exc.status)
        return render(request, "employers/register.html",
                      {"form": form, "logged_in": logged_in, "sent": True, "code_hint": console_hint()})
    form = form_class(request.POST or None)
    sent = bool(request.POST.get("code"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = dict(name=d["name"], credit_code=d["credit_code"], region_code=d["region_code"],
                      address=d["address"], contact_name=d["contact_name"], description=d["description"])
        try:
            if logged_in:
                services.enterprise_register(user=request.user, contact_phone=d["contact_phone"], **common)
            else:
                user, _ = services.account_and_enterprise_register(phone=d["phone"], password=d["password"],
                                                                   code=d["code"], **common)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, "企业登记成功。人社局认证通过前，发布的岗位会先保存为草稿。")
            return redirect("employers:dashboard")
    return render(request, "employers/register.html", {"form": form, "logged_in": logged_in, "sent": sent},
                  status=422 if form.errors else 200)


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

