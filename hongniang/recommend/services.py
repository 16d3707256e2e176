"""Writes of the recommend app: impressions (what was shown to whom) and views (what the seeker opened)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Impression, Surface


def record_impressions(*, seeker, items, surface: str = Surface.FOR_YOU, engine: str) -> int:
    """Note that ``items`` (``PostingMatch`` records, best first) were shown to ``seeker``: one row per pair,
    created the first time (with its rank and score then), counted again afterwards (three statements however long
    the list). Returns the number of new pairs."""
    if seeker is None or not items:
        return 0
    now = timezone.now()
    ranks = {i.posting.pk: (k, i.score) for k, i in enumerate(items, 1)}
    with transaction.atomic():
        seen = set(Impression.objects.filter(seeker=seeker, posting_id__in=ranks).values_list("posting_id", flat=True))
        if seen:
            Impression.objects.filter(seeker=seeker, posting_id__in=seen).update(
                last_shown_at=now, times_shown=F("times_shown") + 1)
        new = [Impression(seeker=seeker, posting_id=pid, surface=surface, engine=engine[:40], rank=r, score=round(s, 3),
                          first_shown_at=now, last_shown_at=now) for pid, (r, s) in ranks.items() if pid not in seen]
        try:
            with transaction.atomic():
                Impression.objects.bulk_create(new)
        except IntegrityError:  # shown in a parallel request just now
            Impression.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def record_view(*, seeker, posting_id: int) -> bool:
    """The seeker opened a recommended posting (the first time counts). False if it was never shown to them."""
    if seeker is None:
        return False
    n = Impression.objects.filter(seeker=seeker, posting_id=posting_id, viewed_at__isnull=True).update(viewed_at=timezone.now())
    return bool(n) or Impression.objects.filter(seeker=seeker, posting_id=posting_id).exists()
