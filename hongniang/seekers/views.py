"""Seeker pages: self-registration, my profile and applications; the service-point staff desk.
Thin views: form shape → one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from hongniang.core import roles
from hongniang.core.access import LOGIN_BACKEND, staff_required
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput
from hongniang.core.forms import add_domain_errors
from hongniang.zh.validators import id_number_facts

from . import selectors, services
from .forms import FIELD_MAP, AccountRegisterForm, ProfileForm, StaffRegisterForm

# --- the seeker -------------------------------------------------------------------------------------


def register(request):
    """Step 1: phone + password + consent → an account, logged in; then step 2 (the profile)."""
    if request.user.is_authenticated:
        return redirect("seekers:profile" if roles.seeker_of(request.user) is None else "seekers:me")
    form = AccountRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_register(phone=form.cleaned_data["phone"], password=form.cleaned_data["password"],
                                              consent=form.cleaned_data["consent"])
        except (InvalidInput, Conflict) as exc:
            add_domain_errors(form, exc, field_map=FIELD_MAP)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, "注册成功！请填写求职信息，方便为您推荐工作。")
            return redirect("seekers:profile")
    return render(request, "seekers/register.html", {"form": form})


def _profile_initial(seeker, user) -> dict:
    if seeker is None:
        return {"phone": user.phone or "", "name": user.display_name}
    occs = list(seeker.desired_occupations or [])
    region = seeker.home_region
    initial = {
        "name": seeker.name, "phone": seeker.phone,
        "township": (region.parent_id if region and region.kind == "village" else getattr(region, "code", "")),
        "home_region": getattr(region, "code", ""),
        "certificates": ", ".join(seeker.certificates or []), "expected_pay": seeker.expected_pay,
        "acceptable_shifts": seeker.acceptable_shifts, "max_commute_km": seeker.max_commute_km,
        "relocate": seeker.relocate, "unavailable_months": seeker.unavailable_months,
    }
    for i in (1, 2, 3):
        initial[f"occupation_{i}"] = occs[i - 1] if len(occs) >= i else ""
    return initial


@login_required
def profile(request):
    """Step 2 and later edits: my job-seeking information."""
    seeker = roles.seeker_of(request.user)
    form = ProfileForm(request.POST or None, initial=_profile_initial(seeker, request.user))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if seeker is None:
                services.seeker_register(actor=request.user, user=request.user, consent_channel="online", **fields)
            else:
                if not fields["id_number"]:
                    fields.pop("id_number")
                services.seeker_update(actor=request.user, seeker=seeker, **fields)
        except (InvalidInput, Conflict) as exc:
            if isinstance(exc, services.DuplicatePerson):
                exc.errors = {"id_number": ["该身份证号已登记，请联系就业之家工作人员核实"]}
            add_domain_errors(form, exc, field_map=FIELD_MAP)
        else:
            messages.success(request, "求职信息已保存")
            return redirect("seekers:me")
    return render(request, "seekers/profile.html", {"form": form, "seeker": seeker})


@login_required
def set_password(request):
    """Set a password (quick-apply accounts have none yet) or change it (needs the old one)."""
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

    form_class = PasswordChangeForm if request.user.has_usable_password() else SetPasswordForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit(actor=user, action="account.set_password", target=user)
        messages.success(request, "密码已设置，下次用手机号和密码登录")
        return redirect("seekers:me")
    return render(request, "seekers/set_password.html", {"form": form})


@require_GET
def villages(request):
    """<option>s of one township's villages (htmx)."""
    town = request.GET.get("township", "")
    rows = list(selectors.villages(town)) if town else []
    return render(request, "seekers/_village_options.html", {"villages": rows, "township": town})


def _labels(codes) -> list[str]:
    return selectors.occupation_names(codes)


# --- the service-point staff desk -------------------------------------------------------------------


@staff_required
def staff_home(request):
    """The desk: search posts the query (a phone number or ID tail never goes into the URL / access logs)."""
    data = request.POST if request.method == "POST" else request.GET
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    page = Paginator(selectors.staff_seekers(request.user, q), 20).get_page(data.get("page"))
    return render(request, "seekers/staff_home.html", {"page": page, "q": q})


@staff_required
def staff_register(request):
    form = StaffRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seeker = services.seeker_register(actor=request.user, **form.service_fields())
        except services.DuplicatePerson as exc:
            existing = exc.existing
            if selectors.staff_seeker_or_none(request.user, existing.pk) is not None:
                from django.urls import reverse

                url = reverse("seekers:staff_seeker", args=[existing.pk])
                form.add_error("id_number", format_html('该身份证号已登记：<a href="{}">查看 {}</a>', url,
                                                        existing.masked_name))
            else:
                form.add_error("id_number", "该身份证号已在其他站点登记，请联系该站点")
        except (InvalidInput, Conflict) as exc:
            add_domain_errors(form, exc, field_map=FIELD_MAP)
        else:
            messages.success(request, f"已为 {seeker.name} 完成登记")
            return redirect("seekers:staff_seeker", pk=seeker.pk)
    return render(request, "seekers/staff_register.html", {"form": form})


@staff_required
@require_GET
def staff_id_preview(request):
    """htmx: birth date and gender read from the ID number as staff type it."""
    raw = request.GET.get("id_number", "").strip()
    if len(raw) < 18:
        return HttpResponse("")
    try:
        birth, gender = id_number_facts(raw)
    except ValueError as exc:
        return HttpResponse(format_html('<span class="errorlist">{}</span>', str(exc)))
    return HttpResponse(format_html('<span class="tag ok">出生日期 {}年{}月{}日 · {}</span>',
                                    birth.year, birth.month, birth.day, "男" if gender == "M" else "女"))
