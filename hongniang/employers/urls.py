from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verification/", views.verification, name="verification"),
    path("verification/<int:pk>/licence/", views.licence, name="licence"),
    path("claim/", views.claim, name="claim"),
    path("claim/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claim/<int:pk>/licence/", views.claim_licence, name="claim_licence"),
]
