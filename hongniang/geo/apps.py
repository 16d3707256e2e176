from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "hongniang.geo"
    label = "geo"
    verbose_name = "区划与服务站点"
