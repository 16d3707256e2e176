"""Mounted at "" by hongniang.web.urls: the home page (global name `home`) and /jobs/... (namespace `jobs`)."""

from django.urls import include, path

from . import views

job_patterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/qr.svg", views.job_qr, name="qr"),
    path("<int:pk>/print/", views.job_print, name="print"),
    path("suggest/", views.suggest, name="suggest"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", include((job_patterns, "jobs"))),
    path("j/<int:pk>", views.short_link, name="job_short"),  # the short printable address of a job
]
