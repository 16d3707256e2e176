from django.urls import path

app_name = "seekers"
urlpatterns: list = []
