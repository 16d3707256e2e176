from django.urls import path

from . import views

app_name = "gigs"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/qr.svg", views.order_qr, name="order_qr"),
    path("orders/<int:pk>/candidates/", views.order_candidates, name="candidates"),
    path("orders/<int:pk>/<str:action>/", views.order_action, name="order_action"),
    path("post/", views.order_post, name="post"),
    path("join/", views.worker_join, name="join"),
    path("employer/", views.employer_join, name="employer_join"),
    path("mine/", views.my_gigs, name="my_gigs"),
    path("mine/orders/", views.my_orders, name="my_orders"),
    path("assignments/<int:pk>/<str:action>/", views.assignment_action, name="act"),
    path("workers/<int:pk>/record/", views.worker_record, name="record"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("screen/", views.screen, name="screen"),
    path("figures/", views.figures, name="figures"),
    path("arrears/", views.arrears, name="arrears"),
]
