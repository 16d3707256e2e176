"""/dashboard/placement/ (included in hongniang/web/urls.py before the main dashboard's routes)."""

from django.urls import path

from . import views

app_name = "placement"
urlpatterns = [
    path("", views.placement, name="dashboard"),
]
