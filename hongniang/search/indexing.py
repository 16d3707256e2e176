"""The index side: what a posting is found by, and keeping its entry in step with every write.

`index_posting` is called by the posting services on create, edit and status change (a closed posting stays
indexed; the list shows published postings only); `reindex_all` rebuilds every entry after a dictionary change."""

from __future__ import annotations

from django.db import connection

from hongniang.jobs.models import JobPosting
from hongniang.zh import segment

from .models import PostingSearchEntry
from .tokens import posting_filter_tokens


def head_text(posting) -> str:
    """The words a posting is mostly about: its title and occupation (the first relevance tier)."""
    occ = posting.occupation
    return "\n".join(p for p in (posting.title, occ.name if occ else "", occ.common_label if occ else "") if p)


def document_text(posting) -> str:
    """What a posting is found by: title, occupation, enterprise, benefits, place, description."""
    parts = [
        head_text(posting),
        posting.enterprise.name,
        " ".join(posting.benefit_labels),
        posting.get_shift_display(),
        posting.other_benefits,
        posting.township.name if posting.township_id else "",
        posting.region.name if posting.region_id else "",
        posting.description,
    ]
    return "\n".join(p for p in parts if p)


def index_posting(posting) -> None:
    """Create or refresh the posting's index entry (triggers/generated columns update the full-text index)."""
    PostingSearchEntry.objects.update_or_create(posting_id=posting.pk, defaults=_entry_values(posting))


def _entry_values(posting) -> dict:
    return {"tokens": segment.index_text(document_text(posting)),
            "head": segment.normalize(head_text(posting)),
            "filters": " ".join(posting_filter_tokens(posting))}


def reindex_all(batch_size: int = 2000) -> int:
    """Rebuild every entry (after a dictionary change). Returns the number of postings indexed."""
    qs = JobPosting.objects.select_related("occupation", "enterprise", "township", "region").order_by("pk")
    PostingSearchEntry.objects.all().delete()
    done = 0
    batch: list[PostingSearchEntry] = []
    for posting in qs.iterator(chunk_size=batch_size):
        batch.append(PostingSearchEntry(posting_id=posting.pk, **_entry_values(posting)))
        if len(batch) >= batch_size:
            PostingSearchEntry.objects.bulk_create(batch)
            done += len(batch)
            batch = []
    if batch:
        PostingSearchEntry.objects.bulk_create(batch)
        done += len(batch)
    if connection.vendor == "sqlite":
        # one b-tree segment per token instead of the dozens the bulk insert left: every query reads fewer
        # index pages (1.8 s at 100k postings)
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    analyze()
    return done


def analyze(using: str = "default") -> None:
    """Refresh planner statistics (SQLite keeps none until ANALYZE runs — `PRAGMA optimize` of SQLite < 3.46
    skips tables this connection has not queried; PostgreSQL: ANALYZE of the two tables)."""
    from django.db import connections

    conn = connections[using]
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            # full, not sampled (analysis_limit): sampled stats still pick posting_status_pay; 0.3 s at 100k
            cur.execute("ANALYZE jobs_jobposting")
            cur.execute("ANALYZE search_postingsearchentry")
        elif conn.vendor == "postgresql" and not conn.in_atomic_block:
            cur.execute("ANALYZE search_postingsearchentry")
            cur.execute("ANALYZE jobs_jobposting")
