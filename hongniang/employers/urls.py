from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("jobs/new/", views.posting_new, name="posting_new"),
    path("jobs/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("jobs/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("jobs/<int:pk>/applicants/", views.applicants, name="applicants"),
]
