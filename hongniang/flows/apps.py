from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "hongniang.flows"
    label = "flows"
    verbose_name = "跨应用流程"

    def ready(self):
        from . import indexing, pagecache, viewer  # lazy: ready() runs after the models load

        indexing.connect()
        pagecache.connect()
        viewer.connect()
