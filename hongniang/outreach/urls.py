"""Mounted at "staff/" by hongniang.web.urls (namespace `outreach`)."""

from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("imports/", views.import_list, name="imports"),
    path("imports/template/<str:kind>/", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("exports/seekers/", views.export_seekers, name="export_seekers"),
    path("exports/placements/", views.export_placements, name="export_placements"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/calls/", views.call_list, name="call_list"),
    path("followups/", views.followup_list, name="followups"),
    path("followups/<int:pk>/", views.followup_detail, name="followup"),
    path("figures/", views.figures, name="figures"),
    path("posters/", views.poster_list, name="posters"),
    path("posters/<str:code>.pdf", views.poster, name="poster"),
]
