from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("apply/<int:posting_id>/", views.apply, name="apply"),
    path("apply/<int:posting_id>/for/", views.apply_for, name="apply_for"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
