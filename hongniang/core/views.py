import datetime as dt

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import audit_labels, selectors, throttle
from .access import bureau_required

THROTTLED_MESSAGE = _("登录失败次数过多，请 15 分钟后再试。忘记密码可以点“用短信验证码登录”，或到就业之家找工作人员重置。")


class PhoneLoginForm(AuthenticationForm):
    """Log in with a phone number (or user name) and password; errors in Chinese."""

    username = forms.CharField(label=_("手机号或用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel"}))
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": _("手机号或密码不正确，请重新输入。"),
        "inactive": _("该账号已停用，请联系就业之家工作人员。"),
        "throttled": THROTTLED_MESSAGE,
    }

    def clean(self):
        return throttled_clean(self, super().clean)


def throttled_clean(form, clean):
    """Run an authentication form's clean() behind the login throttle (hongniang.core.throttle)."""
    username = form.cleaned_data.get("username") or ""
    ip = throttle.client_ip(form.request) if form.request is not None else None
    if throttle.login_blocked(username=username, ip=ip):
        raise forms.ValidationError(THROTTLED_MESSAGE, code="throttled")
    try:
        cleaned = clean()
    except forms.ValidationError:
        throttle.login_failed(username=username, ip=ip)
        raise
    throttle.login_succeeded(username=username, ip=ip)
    return cleaned


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """/admin/login/ behind the same throttle as the site's login."""

    def clean(self):
        return throttled_clean(self, super().clean)


class LoginView(auth_views.LoginView):
    """Login with throttling: 5 failures per phone and per IP within 15 minutes → refused for the window."""

    template_name = "registration/login.html"
    authentication_form = PhoneLoginForm
    redirect_authenticated_user = True


AUDIT_FILTERS = ("actor", "action_code", "action", "target", "date_from", "date_to")


def _date(value: str):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValueError(gettext("日期格式应为 年-月-日")) from None


@bureau_required(message="")
def audit_log(request):
    """The bureau's audit-log search. Filters are posted (not in the URL): they may hold names or numbers."""
    data = request.POST if request.method == "POST" else {}
    f = {k: (data.get(k) or "").strip() for k in AUDIT_FILTERS}
    error = ""
    try:
        qs = selectors.audit_search(actor=f["actor"], action=f["action"], action_code=f["action_code"],
                                    target=f["target"], date_from=_date(f["date_from"]), date_to=_date(f["date_to"]))
    except ValueError as exc:
        error = str(exc)
        qs = selectors.audit_search()
    page = Paginator(qs, 50).get_page(data.get("page"))
    rows = list(page.object_list)
    names = audit_labels.target_names(rows)
    for e in rows:
        e.action_label = audit_labels.action_label(e.action)
        e.target_name = names.get((e.target_type, e.target_id), "")
        e.detail_items = audit_labels.detail_items(e.detail, e.action)
    return render(request, "core/audit.html", {"page": page, "rows": rows, "f": f, "error": error,
                                               "action_choices": audit_labels.action_choices()})
