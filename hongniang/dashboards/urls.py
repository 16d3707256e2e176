from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("drill/<slug:key>/", views.drill, name="drill"),
    path("export/<str:key>.xlsx", views.export, name="export"),
    path("report/", views.report, name="report"),
]
