from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "hongniang.geo"
    label = "geo"
    verbose_name = _("区划与服务站点")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from hongniang.core import nav  # lazy: ready() runs after the models load

        nav.register("points", _("就业之家"), "geo:points", roles=("anonymous", "user"), order=50, public=True,
                     hint=_("不会上网？工作人员帮您"))
