from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


class PhoneLoginForm(AuthenticationForm):
    """Log in with a phone number (or user name) and password; errors in Chinese."""

    username = forms.CharField(label="手机号或用户名", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel"}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": "手机号或密码不正确，请重新输入。",
        "inactive": "该账号已停用，请联系就业之家工作人员。",
    }


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = PhoneLoginForm
    redirect_authenticated_user = True
