"""A urlconf for tests when some page that base.html links to is not wired yet."""

from django.http import HttpResponse
from django.urls import include, path

from hongniang.urls import urlpatterns as real


def _stub(request, *args, **kwargs):
    return HttpResponse("stub")


def _ns(name, names):
    return path(f"__stub_{name}/", include(([path(f"{n}/", _stub, name=n) for n in names], name)))


urlpatterns = [
    *real,
    path("__stub_home/", _stub, name="home"),
    path("__stub_about/", _stub, name="about"),
    _ns("jobs", ["list", "detail"]),
    _ns("geo", ["points"]),
    _ns("employers", ["register", "dashboard"]),
]
