from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from hongniang.api import api
from hongniang.core.views import ThrottledAdminAuthenticationForm

admin.site.site_header = _("红娘 · 公共就业服务平台 管理后台")
admin.site.site_title = _("红娘管理后台")
admin.site.login_form = ThrottledAdminAuthenticationForm  # the same login throttle as /accounts/login/

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("hongniang.web.urls")),
]

handler400 = "hongniang.web.errors.bad_request"
handler403 = "hongniang.web.errors.permission_denied"
handler404 = "hongniang.web.errors.page_not_found"
handler500 = "hongniang.web.errors.server_error"
