from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("apply/<int:posting_id>/for/", views.apply_for, name="apply_for"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm-start/", views.confirm_start, name="confirm_start"),
    path("<int:pk>/report-pay/", views.report_pay, name="report_pay"),
    path("pay-record/", views.pay_record, name="pay_record"),
]
