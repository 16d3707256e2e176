from django.contrib import admin
from django.urls import include, path

from hongniang.api import api

admin.site.site_header = "红娘 · 公共就业服务平台 管理后台"
admin.site.site_title = "红娘管理后台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("hongniang.web.urls")),
]
