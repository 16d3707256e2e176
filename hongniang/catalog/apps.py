from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "hongniang.catalog"
    label = "catalog"
    verbose_name = "职业与行业分类"
