from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "hongniang.catalog"
    label = "catalog"
    verbose_name = _("职业与行业分类")
