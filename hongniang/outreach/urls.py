"""Mounted at "staff/" by hongniang.web.urls (namespace `outreach`)."""

from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.workspace, name="workspace"),
]
