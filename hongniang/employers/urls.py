from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verification/", views.verification, name="verification"),
    path("verification/<int:pk>/licence/", views.licence, name="licence"),
]
