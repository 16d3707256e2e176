from django.urls import path

from . import views

app_name = "siting"
urlpatterns = [
    path("", views.supply, name="supply"),
    path("supply.xlsx", views.supply_export, name="supply_export"),
    path("boundary.geojson", views.boundary, name="boundary"),
    path("recommend/", views.recommend, name="recommend"),
    path("recommend/result.xlsx", views.recommend_export, name="recommend_export"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/result.xlsx", views.scenario_export, name="scenario_export"),
    path("scenarios/<int:pk>/<str:action>/", views.scenario_action, name="scenario_action"),
    path("whatif/", views.whatif, name="whatif"),
    path("calibration/", views.calibration, name="calibration"),
    path("opened/new/", views.opened_new, name="opened_new"),
]
