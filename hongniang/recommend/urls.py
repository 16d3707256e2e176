from django.urls import path

from . import views

app_name = "recommend"
urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("open/<int:pk>/", views.open_posting, name="open"),
    path("jobs/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("jobs/<int:pk>/call-list/", views.call_list, name="call_list"),
]
