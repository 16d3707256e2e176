from django.urls import path

from . import views

urlpatterns = [path("", views.public_figures, name="public_figures")]
