from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from hongniang.core.views import LoginView
from hongniang.events import urls as events_urls
from hongniang.live import urls as live_urls

from . import events as web_events
from . import live as web_live


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (a 404 in the console otherwise)."""
    return redirect(static("hongniang/favicon.svg"), permanent=True)


urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon),
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
    path("", include("hongniang.jobs.urls")),  # home page and /jobs/...
    path("points/", include("hongniang.geo.urls")),
    path("enterprise/", include("hongniang.employers.urls")),
    path("me/", include("hongniang.seekers.urls")),
    path("applications/", include("hongniang.applications.urls")),
    path("gigs/", include("hongniang.gigs.urls")),
    # the placement dashboard: before any "dashboard/" include, so the main dashboard's routes cannot shadow it
    path("dashboard/placement/", include("hongniang.recommend.dashboard_urls")),
    path("recommend/", include("hongniang.recommend.urls")),
    path("notifications/", include("hongniang.notifications.urls")),
    path("audit/", include("hongniang.core.urls")),
    path("staff/", include("hongniang.outreach.urls")),
    path("moderation/", include("hongniang.moderation.urls")),
    path("siting/", include("hongniang.siting.urls")),
    # one namespace per app: the app's own pages, plus its pages that work through hongniang.flows
    path("events/", include((web_events.urlpatterns + events_urls.urlpatterns, "events"))),
    path("live/", include((web_live.urlpatterns + live_urls.urlpatterns, "live"))),
    # /dashboard/placement/ (the recommend app's funnel) is routed above this include when it lands
    path("dashboard/", include("hongniang.dashboards.urls")),
    path("figures/", include("hongniang.dashboards.public_urls")),
]
