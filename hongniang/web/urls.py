"""The pages' urlconf. Each app's urls.py lists its own pages; a namespace whose pages also come from this layer
(screens that read several apps or run a flow: hongniang.web.*) is assembled here, so every URL and every name
stays where it was."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from hongniang.applications import urls as applications_urls
from hongniang.core.views import LoginView
from hongniang.employers import urls as employers_urls
from hongniang.events import urls as events_urls
from hongniang.geo import urls as geo_urls
from hongniang.jobs import urls as jobs_urls
from hongniang.jobs import views as jobs_views
from hongniang.live import urls as live_urls
from hongniang.outreach import urls as outreach_urls
from hongniang.search import views as search_views
from hongniang.seekers import urls as seekers_urls

from . import applying, enterprise, login_code, ops, public, seeker, staff
from . import events as web_events
from . import live as web_live


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (a 404 in the console otherwise)."""
    return redirect(static("hongniang/favicon.svg"), permanent=True)


def namespace(app_urls, *extra):
    """An app's own patterns plus this layer's pages for the same namespace (app_name of the app's urls.py)."""
    return include(([*app_urls.urlpatterns, *extra], app_urls.app_name))


jobs = namespace(jobs_urls,
                 path("", search_views.job_list, name="list"),
                 path("suggest/", search_views.suggest, name="suggest"))
geo = namespace(geo_urls,
                path("<int:pk>/", public.point_detail, name="point_detail"))
employers = namespace(employers_urls,
                      path("", enterprise.dashboard, name="dashboard"),
                      path("jobs/new/", enterprise.posting_new, name="posting_new"),
                      path("jobs/<int:pk>/edit/", enterprise.posting_edit, name="posting_edit"),
                      path("jobs/<int:pk>/close/", enterprise.posting_close, name="posting_close"),
                      path("jobs/<int:pk>/applicants/", enterprise.applicants, name="applicants"),
                      path("jobs/<int:pk>/", enterprise.posting_detail, name="posting_detail"),
                      path("jobs/<int:pk>/submit/", enterprise.posting_submit, name="posting_submit"),
                      path("jobs/<int:pk>/refresh/", enterprise.posting_refresh, name="posting_refresh"),
                      path("jobs/<int:pk>/fill/", enterprise.posting_fill, name="posting_fill"))
seekers = namespace(seekers_urls,
                    path("", seeker.me, name="me"),
                    path("applications/", seeker.my_applications, name="applications"),
                    path("data/", seeker.my_data, name="my_data"),
                    path("data/export/", seeker.my_data_export, name="my_data_export"),
                    path("delete/", seeker.delete_account, name="delete_account"),
                    path("staff/seekers/<int:pk>/", seeker.staff_seeker_detail, name="staff_seeker"))
applications = namespace(applications_urls,
                         path("apply/<int:posting_id>/", applying.apply, name="apply"),
                         path("<int:pk>/act/<slug:action>/", applying.act, name="act"))
outreach = namespace(outreach_urls,
                     path("jobs/<int:pk>/calls/<int:seeker_pk>/", staff.call_record, name="call_record"))

urlpatterns = [
    # operations (hongniang.web.ops, docs/deployment.md): liveness, readiness, Prometheus
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/login/code/", login_code.login_code, name="login_code"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon),
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
    path("", public.home, name="home"),
    path("jobs/", jobs),
    path("j/<int:pk>", jobs_views.short_link, name="job_short"),  # the short printable address of a job
    path("points/", geo),
    path("enterprise/", employers),
    path("me/", seekers),
    path("applications/", applications),
    path("gigs/", include("hongniang.gigs.urls")),
    path("workshops/", include("hongniang.workshops.urls")),
    # the placement dashboard: before any "dashboard/" include, so the main dashboard's routes cannot shadow it
    path("dashboard/placement/", include("hongniang.recommend.dashboard_urls")),
    path("recommend/", include("hongniang.recommend.urls")),
    path("notifications/", include("hongniang.notifications.urls")),
    path("audit/", include("hongniang.core.urls")),
    path("staff/", outreach),
    path("moderation/", include("hongniang.moderation.urls")),
    path("siting/", include("hongniang.siting.urls")),
    # one namespace per app: the app's own pages, plus its pages that work through hongniang.flows
    path("events/", include((web_events.urlpatterns + events_urls.urlpatterns, "events"))),
    path("live/", include((web_live.urlpatterns + live_urls.urlpatterns, "live"))),
    # /dashboard/placement/ (the recommend app's funnel) is routed above this include when it lands
    path("dashboard/", include("hongniang.dashboards.urls")),
    path("figures/", include("hongniang.dashboards.public_urls")),
]
