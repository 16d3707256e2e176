from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendConfig(AppConfig):
    name = "hongniang.recommend"
    label = "recommend"
    verbose_name = _("人岗匹配")

    def ready(self):
        from hongniang.core import nav  # lazy: ready() runs after the models load

        from . import outcomes  # lazy: ready() runs after the models load

        outcomes.register("recommend", outcomes.impressions)
        nav.register("placement", _("推荐成效"), "placement:dashboard", roles=("bureau", "staff"), order=215)
