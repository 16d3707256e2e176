"""Seeker pages: self-registration, my profile and applications; the service-point staff desk.
Thin views: form shape → one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hongniang.core import roles
from hongniang.core.access import LOGIN_BACKEND, staff_required
from hongniang.core.errors import Conflict, DomainError, InvalidInput
from hongniang.core.forms import add_domain_errors
from hongniang.core.throttle import client_ip
from hongniang.notifications.phone_codes import console_hint, phone_code_send
from hongniang.zh.validators import id_number_facts

from . import phone_proof, selectors, services
from .forms import FIELD_MAP, AccountRegisterForm, PasswordForm, ProfileForm, StaffRegisterForm

# --- the seeker -------------------------------------------------------------------------------------


def register(request):
    """Step 1: phone + SMS code + password + consent → an account, logged in; then step 2 (the profile). The code
    is sent first ("获取短信验证码"), with the same answer for every number."""
    if request.user.is_authenticated:
        return redirect("seekers:profile" if roles.seeker_of(request.user) is None else "seekers:me")
    if request.method == "POST" and "send" in request.POST:
        phone = request.POST.get("phone", "")
        form = AccountRegisterForm(initial={"phone": phone, "consent": bool(request.POST.get("consent"))})
        try:
            phone_code_send(phone=phone, purpose=services.REGISTER_CODE_PURPOSE, ip=client_ip(request))
        except DomainError as exc:
            form = AccountRegisterForm(request.POST)
            form.is_valid()
            form.errors.clear()
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
            return render(request, "seekers/register.html", {"form": form}, status=exc.status)
        return render(request, "seekers/register.html", {"form": form, "sent": True, "code_hint": console_hint()})
    form = AccountRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_register(phone=form.cleaned_data["phone"], password=form.cleaned_data["password"],
                                              consent=form.cleaned_data["consent"], code=form.cleaned_data["code"])
        except (InvalidInput, Conflict) as exc:
            add_domain_errors(form, exc, field_map=FIELD_MAP)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("注册成功！请填写求职信息，方便为您推荐工作。"))
            return redirect("seekers:profile")
    return render(request, "seekers/register.html", {"form": form, "sent": bool(request.POST.get("code"))},
                  status=422 if form.errors else 200)


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
                exc.errors = {"id_number": [_("该身份证号已登记，请联系就业之家工作人员核实")]}
            add_domain_errors(form, exc, field_map=FIELD_MAP)
        else:
            messages.success(request, _("求职信息已保存"))
            return redirect("seekers:me")
    return render(request, "seekers/profile.html", {"form": form, "seeker": seeker})


@login_required
def set_password(request):
    """Set or change the password: with the old one, or with an SMS code to the account's phone (quick-apply
    accounts have no password yet; people forget theirs), or with neither for a while after this session logged
    in with an SMS code or applied with one (phone_proof). Sessions elsewhere and API tokens end."""
    user = request.user
    proven = phone_proof.recent_proof(request)
    form = PasswordForm(request.POST or None)
    sent, error = False, ""
    if request.method == "POST" and "send" in request.POST:
        form = PasswordForm()
        try:
            if not user.phone:
                raise InvalidInput(_("该账号没有登记手机号，请用原密码修改"), field="code")
            phone_code_send(phone=user.phone, purpose=services.PASSWORD_CODE_PURPOSE, ip=client_ip(request),
                            actor=user)
            sent = True
        except DomainError as exc:
            error = exc.message
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        code = d["code"]  # read first: an error put on the field takes it out of cleaned_data
        try:
            services.account_set_password(user=user, new_password=d["new_password"],
                                          old_password=d["old_password"], code=code, recent_proof=proven)
        except DomainError as exc:
            if exc.code == "proof_required" and proven:  # the window closed while the page was open
                minutes = {"minutes": services.CODE_LOGIN_PROOF_WINDOW.total_seconds() // 60}
                error = (_("用验证码报名已超过 %(minutes)d 分钟，请获取短信验证码确认是本人。") % minutes
                         if proven == phone_proof.QUICK_APPLY else
                         _("用验证码登录已超过 %(minutes)d 分钟，请获取短信验证码确认是本人。") % minutes)
                phone_proof.forget(request)
                proven = ""
            else:
                add_domain_errors(form, exc, field_map=FIELD_MAP)
            sent = bool(code)
        else:
            phone_proof.forget(request)
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已设置，下次用手机号和密码登录"))
            return redirect("seekers:me")
    return render(request, "seekers/set_password.html",
                  {"form": form, "sent": sent, "error": error, "code_hint": console_hint() if sent else "",
                   "proven": proven},
                  status=422 if form.errors or error else 200)


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
    return render(request, "seekers/staff_home.html", {
        "page": page, "q": q, "id_conflicts": len(selectors.id_number_conflict_pairs(request.user))})


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
                form.add_error("id_number", format_html(_('该身份证号已登记：<a href="{}">查看 {}</a>'), url,
                                                        existing.masked_name))
            else:
                form.add_error("id_number", _("该身份证号已在其他站点登记，请联系该站点"))
        except (InvalidInput, Conflict) as exc:
            add_domain_errors(form, exc, field_map=FIELD_MAP)
        else:
            messages.success(request, _("已为 %(name)s 完成登记") % {"name": seeker.name})
            return redirect("seekers:staff_seeker", pk=seeker.pk)
    return render(request, "seekers/staff_register.html", {"form": form})


@staff_required
@require_POST
def staff_id_preview(request):
    """htmx: birth date and gender read from the ID number as staff type it (POSTed: no ID number in a URL)."""
    raw = request.POST.get("id_number", "").strip()[:40]
    if len(raw) < 18:
        return HttpResponse("")
    try:
        birth, gender = id_number_facts(raw)
    except ValueError as exc:
        return HttpResponse(format_html('<span class="errorlist">{}</span>', str(exc)))
    return HttpResponse(format_html(_('<span class="tag ok">出生日期 {}年{}月{}日 · {}</span>'),
                                    birth.year, birth.month, birth.day, _("男") if gender == "M" else _("女")))


@staff_required
@require_GET
def staff_id_conflicts(request):
    """Profiles with the same ID number, for staff of either profile's point (the bureau: all): masked numbers,
    masked phones and names, whether names and phones agree; one form per pair (POST, CSRF)."""
    pairs = selectors.id_number_conflict_pairs(request.user)
    points = set(roles.service_point_ids(request.user))
    bureau = roles.is_bureau(request.user)
    return render(request, "seekers/staff_id_conflicts.html", {
        "pairs": pairs, "linkable": {s.pk for p in pairs for s in (p.keep, p.drop)
                                     if bureau or s.service_point_id in points}})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required
@require_POST
def staff_id_conflict_resolve(request):
    """One decision on one pair ("<id>-<id>"): "same_person" or "not_same_person"; `keep` is the profile that
    keeps the number (for two self-entered numbers staff say which one, after checking the ID card)."""
    ids = [_int(v) for v in request.POST.get("pair", "").split("-")]
    keep_id = _int(request.POST.get("keep"))
    pair = None
    if len(ids) == 2 and all(ids) and keep_id in ids:
        pair = selectors.id_number_conflict_pair(request.user, keep_id=ids[0], drop_id=ids[1])
    if pair is None:
        messages.error(request, _("找不到这条身份证号冲突，可能已有人处理"))
        return redirect("seekers:staff_id_conflicts")
    keep, drop = (pair.keep, pair.drop) if pair.keep.pk == keep_id else (pair.drop, pair.keep)
    decision = request.POST.get("decision", "")
    try:
        services.id_conflict_resolve(actor=request.user, keep=keep, drop=drop, decision=decision)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已处理：确认是同一人，保留已核实的档案") if decision == "same_person"
                         else _("已处理：不是同一人，已清除另一份档案的身份证号并通知本人核对"))
    return redirect("seekers:staff_id_conflicts")
