"""用短信验证码登录: a person with no password (quick apply, registered by staff, a workshop owner) or who forgot
it logs in with a code texted to their phone. Step 1 sends the code (the same answer for every number); step 2
checks it (seekers.services.account_login_by_code), then logs in the account of that number. Staff, bureau and
HR accounts use their password. Plain forms: works without JavaScript."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniang.core.access import LOGIN_BACKEND
from hongniang.core.errors import DomainError, RateLimited
from hongniang.core.throttle import client_ip
from hongniang.notifications.phone_codes import console_hint
from hongniang.seekers import phone_proof
from hongniang.seekers.services import account_login_by_code, account_login_send_code
from hongniang.zh.validators import mask_phone, normalize_phone


class LoginCodeForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=gettext_lazy("短信验证码"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]*"}))


TEMPLATE = "registration/login_code.html"


def _safe_next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return ""


def login_code(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = LoginCodeForm(request.POST or None)
    ctx = {"form": form, "next": next_url, "sent": False, "code_hint": "", "masked": "", "no_account": False,
           "password_login": False, "waiting": ""}
    if request.method != "POST":
        return render(request, TEMPLATE, ctx)
    if not form.is_valid():
        return render(request, TEMPLATE, ctx, status=422)
    phone = form.cleaned_data["phone"]
    if "send" in request.POST or "code" not in request.POST:
        try:  # step 1: the same answer for every number, registered or not
            account_login_send_code(phone=phone, ip=client_ip(request))
        except RateLimited as exc:
            # too soon after a code (a second tap, the back button, "重新获取" within the minute): show the code
            # field anyway, the person may hold a good code already
            ctx.update(sent=True, masked=_masked(phone), waiting=exc.message)
            return render(request, TEMPLATE, ctx, status=exc.status)
        except DomainError as exc:
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
            again = "code" in request.POST and exc.field != "phone"  # "重新获取" on step 2: stay there
            ctx.update(sent=again, masked=_masked(phone) if again else "")
            return render(request, TEMPLATE, ctx, status=exc.status)
        ctx.update(sent=True, code_hint=console_hint(), masked=_masked(phone))
        return render(request, TEMPLATE, ctx)
    try:  # step 2: the code proves the number; only then is the account looked up
        user = account_login_by_code(phone=phone, code=form.cleaned_data["code"])
    except DomainError as exc:
        if exc.field == "code":
            form.add_error("code", exc.message)
            ctx.update(sent=True, masked=_masked(phone))
        else:
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
            ctx["password_login"] = exc.code == "password_login"
        return render(request, TEMPLATE, ctx, status=exc.status)
    if user is None:
        ctx.update(no_account=True, masked=_masked(phone))
        return render(request, TEMPLATE, ctx)
    login(request, user, backend=LOGIN_BACKEND)
    phone_proof.remember_code_login(request, user)  # /me/password/ needs no second code for a while
    if user.has_usable_password():
        messages.success(request, _("已登录。"))
    else:
        messages.success(request, format_html(
            '{} <a href="{}">{}</a>', _("已登录。您还没有密码：可以设置一个，也可以每次用验证码登录。"),
            reverse("seekers:set_password"), _("设置密码")))
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _masked(phone: str) -> str:
    try:
        return mask_phone(normalize_phone(phone))
    except ValueError:
        return ""
