"""A URL configuration for the error-page tests: the site plus two views that crash."""

from django.urls import path

from hongniang.urls import handler400, handler403, handler404, handler500  # noqa: F401
from hongniang.urls import urlpatterns as site


def boom(request):
    return 1 / 0


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *site]
