from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlowsConfig(AppConfig):
    name = "hongniang.flows"
    label = "flows"
    verbose_name = _("跨应用流程")

    def ready(self):
        from . import indexing, pagecache, viewer  # lazy: ready() runs after the models load

        indexing.connect()
        pagecache.connect()
        viewer.connect()
