"""Keep the public page cache (hongniang.core.pagecache) honest: a write to anything those pages show bumps its
generation, in the writer's transaction.

    jobs.hooks.posting_written             every posting write (create, edit, each transition)
    post_save / post_delete of             Enterprise (name, verified), GigOrder, Event, Booth, Bus,
                                           ServicePoint, LiveSession, SessionPosting

Sign-ups (gig assignments, event registrations, live leads) do not: their counts may be PAGE_CACHE_SECONDS old."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from hongniang.core import pagecache
from hongniang.employers.models import Enterprise
from hongniang.events.models import Booth, Bus, Event
from hongniang.geo.models import ServicePoint
from hongniang.gigs.models import GigOrder
from hongniang.jobs.hooks import posting_written
from hongniang.live.models import LiveSession, SessionPosting

MODELS = (Enterprise, GigOrder, Event, Booth, Bus, ServicePoint, LiveSession, SessionPosting)


def _changed(sender, **kwargs) -> None:
    pagecache.bump()


def connect() -> None:
    posting_written.connect(pagecache.bump, uid="pagecache.bump")
    for model in MODELS:
        uid = f"pagecache.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete")
