from django.urls import path

from . import views

app_name = "live"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("leads/", views.leads, name="leads"),
    path("leads/<int:pk>/<str:action>/", views.lead_action, name="lead_act"),
    path("<int:pk>/", views.session_page, name="detail"),
    path("<int:pk>/counts.json", views.counter, name="counter"),
    path("<int:pk>/signup/", views.signup, name="signup"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/act/<str:action>/", views.session_action, name="act"),
    path("<int:pk>/present/", views.present, name="present"),
    path("<int:pk>/replay/", views.replay, name="replay"),
]
