"""/jobs/... (namespace `jobs`): one job's pages. hongniang.web.urls mounts them with the list and search
(hongniang.search.views), the home page (global name `home`) and the short address /j/<id> (`job_short`)."""

from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/qr.svg", views.job_qr, name="qr"),
    path("<int:pk>/print/", views.job_print, name="print"),
]
