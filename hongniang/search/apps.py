from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _analyze(sender, using="default", **kwargs):
    """Planner statistics after migrate (SQLite keeps none until ANALYZE runs)."""
    from .engine import analyze

    analyze(using)


class SearchConfig(AppConfig):
    name = "hongniang.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self):
        post_migrate.connect(_analyze, sender=self, dispatch_uid="search_analyze")
