from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("", views.point_list, name="points"),
    path("<int:pk>/", views.point_detail, name="point_detail"),
]
