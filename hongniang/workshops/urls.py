from django.urls import path

from . import views

app_name = "workshops"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprise/", views.enterprise, name="enterprise"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/offer/", views.order_offer, name="order_offer"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/handovers/", views.handover_add, name="handover_add"),
    path("orders/<int:pk>/retrial/", views.order_retrial, name="order_retrial"),
    path("photos/<int:pk>/", views.handover_photo, name="handover_photo"),
    path("shares/<int:pk>/pieces/", views.pieces, name="pieces"),
    path("shares/<int:pk>/<str:action>/", views.share_act, name="share_act"),
    path("mine/", views.mine, name="mine"),
    path("mine/wages/", views.owner_wages, name="owner_wages"),
    path("wages/", views.my_wages, name="my_wages"),
    path("wages/<int:pk>/receipt/", views.wage_receipt, name="wage_receipt"),
    path("wages/<int:pk>/<str:action>/", views.wage_act, name="wage_act"),
    path("staff/", views.staff, name="staff"),
    path("bureau/", views.bureau, name="bureau"),
    path("bureau/export.xlsx", views.bureau_export, name="bureau_export"),
    path("bureau/disputes/", views.bureau_disputes, name="bureau_disputes"),
    path("bureau/disputes/shares/<int:pk>/", views.bureau_share_resolve, name="bureau_share_resolve"),
    path("bureau/disputes/wages/<int:pk>/", views.bureau_wage_resolve, name="bureau_wage_resolve"),
    path("bureau/disputes/arrears/<int:pk>/", views.bureau_arrears_resolve, name="bureau_arrears_resolve"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/wages/", views.workshop_wages, name="workshop_wages"),
    path("<int:pk>/photos/", views.workshop_photo_add, name="workshop_photo_add"),
    path("<int:pk>/photos/<int:photo_id>/", views.workshop_photo, name="workshop_photo"),
    path("<int:pk>/photos/<int:photo_id>/delete/", views.workshop_photo_delete, name="workshop_photo_delete"),
]
