from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _analyze(sender, using="default", **kwargs):
    """After migrate: re-index entries made before migration 0003 (their filter tokens are empty; every
    current entry has at least its status token), and refresh planner statistics (SQLite keeps none until
    ANALYZE runs)."""
    from django.db import connections

    from .engine import analyze, reindex_all  # lazy: apps.py loads before the models
    from .models import PostingSearchEntry  # lazy: apps.py loads before the models

    conn = connections[using]
    with conn.cursor() as cur:
        columns = {c.name for c in conn.introspection.get_table_description(cur, PostingSearchEntry._meta.db_table)}
    if "filters" not in columns:  # migrated backwards past 0003
        return
    if using == "default" and PostingSearchEntry.objects.using(using).filter(filters="").exists():
        reindex_all()
    else:
        analyze(using)


class SearchConfig(AppConfig):
    name = "hongniang.search"
    label = "search"
    verbose_name = _("全文检索")

    def ready(self):
        post_migrate.connect(_analyze, sender=self, dispatch_uid="search_analyze")
