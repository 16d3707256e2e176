from django.urls import path

from . import views

app_name = "seekers"
urlpatterns = [
    path("", views.me, name="me"),
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.set_password, name="set_password"),
    path("applications/", views.my_applications, name="applications"),
    path("villages/", views.villages, name="villages"),
    path("data/", views.my_data, name="my_data"),
    path("data/export/", views.my_data_export, name="my_data_export"),
    path("delete/", views.delete_account, name="delete_account"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/register/", views.staff_register, name="staff_register"),
    path("staff/id-preview/", views.staff_id_preview, name="staff_id_preview"),
    path("staff/seekers/<int:pk>/", views.staff_seeker_detail, name="staff_seeker"),
]
