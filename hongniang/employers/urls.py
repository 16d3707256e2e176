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
    path("jobs/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("jobs/<int:pk>/submit/", views.posting_submit, name="posting_submit"),
    path("jobs/<int:pk>/refresh/", views.posting_refresh, name="posting_refresh"),
    path("jobs/<int:pk>/fill/", views.posting_fill, name="posting_fill"),
    path("verification/", views.verification, name="verification"),
    path("verification/<int:pk>/licence/", views.licence, name="licence"),
]
