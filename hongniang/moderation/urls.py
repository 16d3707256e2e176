from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.index, name="index"),
    path("verifications/", views.verifications, name="verifications"),
    path("verifications/<int:pk>/decide/", views.verification_decide, name="verification_decide"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("postings/", views.postings, name="postings"),
    path("postings/<int:pk>/", views.posting_review, name="posting_review"),
    path("postings/<int:pk>/decide/", views.posting_decide, name="posting_decide"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("report/<int:posting_pk>/", views.report_new, name="report_new"),
]
