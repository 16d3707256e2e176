from django.apps import AppConfig


class GigsConfig(AppConfig):
    name = "hongniang.gigs"
    label = "gigs"
    verbose_name = "零工超市"
