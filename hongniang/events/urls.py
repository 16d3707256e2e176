from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/qr.svg", views.event_qr, name="qr"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/register-for/", views.staff_register, name="staff_register"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/ticket/", views.ticket, name="ticket"),
    path("<int:pk>/tickets/<int:reg_pk>/", views.registration_ticket, name="registration_ticket"),
    path("<int:pk>/tickets/<int:reg_pk>/qr.svg", views.ticket_qr, name="ticket_qr"),
    path("<int:pk>/tickets/<int:reg_pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/tickets/<int:reg_pk>/intention/", views.declare_intention, name="declare_intention"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/act/<str:action>/", views.event_action, name="act"),
    path("<int:pk>/buses/", views.bus_add, name="bus_add"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/door/", views.door, name="door"),
    path("<int:pk>/booth/", views.booth, name="booth"),
    path("<int:pk>/followups/", views.followups, name="followups"),
    path("booths/<int:booth_pk>/bar/", views.booth_bar, name="booth_bar"),
    path("booths/<int:booth_pk>/<str:action>/", views.booth_action, name="booth_act"),
]
