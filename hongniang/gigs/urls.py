app_name = "gigs"
urlpatterns: list = []
