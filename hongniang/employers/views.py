"""Enterprise pages: register, dashboard, verification upload and status, post / edit / submit / refresh / fill /
close a job, a job's page with its history, applicants of a job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongniang.core.audit import audit
from hongniang.core.errors import DomainError
from hongniang.core.roles import is_bureau
from hongniang.core.throttle import client_ip
from hongniang.notifications.phone_codes import console_hint, phone_code_send

from . import selectors, services
from .forms import ClaimForm, EnterpriseAddForm, EnterpriseRegisterForm, VerificationForm
from .models import CreditCodeClaim, VerificationRequest


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
                user, enterprise = services.account_and_enterprise_register(
                    phone=d["phone"], password=d["password"], code=d["code"], claim_if_taken=True, **common)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                if enterprise is None:  # the code is registered: the account exists, the claim comes next
                    messages.info(request, _("账号已创建。%(taken)s。") % {"taken": services.TAKEN_MESSAGE})
                    return redirect(_claim_url(d, phone=d["phone"]))
        except DomainError as exc:
            form.add_domain_errors(exc)
            if exc.code == "credit_code_taken":
                return render(request, "employers/register.html", {
                    "form": form, "logged_in": logged_in, "sent": sent,
                    "claim_url": _claim_url(d, phone=d.get("contact_phone", ""))}, status=exc.status)
        else:
            messages.success(request, _("企业登记成功。人社局认证通过前，发布的岗位会先保存为草稿。"))
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
            raise Http404(_("找不到该企业"))
    form = VerificationForm(request.POST or None, request.FILES or None, initial={"credit_code": chosen.credit_code})
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_submit(actor=request.user, enterprise=chosen,
                                         credit_code=form.cleaned_data["credit_code"],
                                         licence=form.cleaned_data.get("licence"))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("认证材料已提交，人社局审核后会通知您。"))
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
        raise Http404(_("找不到该文件"))
    audit(actor=request.user, action="view_licence", target=row.enterprise, request_id=row.pk)
    content_type = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}[row.licence_type]
    response = FileResponse(row.licence.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="licence-{row.enterprise_id}.{row.licence_type}"'
    response["Cache-Control"] = "private, no-store"
    return response



def _claim_url(d: dict, *, phone: str) -> str:
    fields = {"credit_code": d.get("credit_code", ""), "name": d.get("name", ""),
              "contact_name": d.get("contact_name", ""), "contact_phone": phone or ""}
    return reverse("employers:claim") + "?" + urlencode({k: v for k, v in fields.items() if v})


@login_required
def claim(request):
    """File a claim that a registered credit code is one's company (with the licence); see one's claims."""
    initial = {k: request.GET.get(k, "") for k in ("credit_code", "name", "contact_name", "contact_phone")}
    initial["contact_phone"] = initial["contact_phone"] or getattr(request.user, "phone", "") or ""
    form = ClaimForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.credit_code_claim(actor=request.user, credit_code=d["credit_code"], name=d["name"],
                                       contact_name=d["contact_name"], contact_phone=d["contact_phone"],
                                       licence=d.get("licence"), note=d["note"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("核实申请已提交。人社局比对营业执照后会通知您（一般 3 个工作日内）。"))
            return redirect("employers:claim")
    return render(request, "employers/claim.html", {"form": form, "claims": selectors.my_claims(request.user)},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def claim_withdraw(request, pk: int):
    row = get_object_or_404(CreditCodeClaim, pk=pk, claimant=request.user)
    try:
        services.claim_withdraw(actor=request.user, claim=row)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("核实申请已撤回。"))
    return redirect("employers:claim")


@login_required
def claim_licence(request, pk: int):
    """A claim's licence file: its claimant and the bureau only."""
    row = selectors.claim_for_file(request.user, pk)
    if row is None:
        raise Http404(_("找不到该文件"))
    audit(actor=request.user, action="view_claim_licence", target=row.enterprise, claim=row.pk)
    content_type = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}[row.licence_type]
    response = FileResponse(row.licence.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="claim-{row.pk}.{row.licence_type}"'
    response["Cache-Control"] = "private, no-store"
    return response
