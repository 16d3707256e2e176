"""Mounted at "" by hongniang.web.urls: the home page (global name `home`) and /jobs/... (namespace `jobs`)."""

from django.urls import include, path

from . import views

job_patterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("suggest/", views.suggest, name="suggest"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", include((job_patterns, "jobs"))),
]
