from django.urls import path

from . import views

app_name = "seekers"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.set_password, name="set_password"),
    path("villages/", views.villages, name="villages"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/register/", views.staff_register, name="staff_register"),
    path("staff/id-preview/", views.staff_id_preview, name="staff_id_preview"),
    path("staff/id-conflicts/", views.staff_id_conflicts, name="staff_id_conflicts"),
    path("staff/id-conflicts/resolve/", views.staff_id_conflict_resolve, name="staff_id_conflict_resolve"),
]
