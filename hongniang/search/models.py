from django.db import models


class PostingSearchEntry(models.Model):
    """The segmented tokens of one posting (space-joined). SQLite indexes them in the FTS5 table `search_fts`
    (kept in sync by triggers); PostgreSQL in the generated tsvector column `tsv` with a GIN index.
    Both are created by migration 0002 for the database in use."""

    posting = models.OneToOneField("jobs.JobPosting", on_delete=models.CASCADE, primary_key=True,
                                   related_name="search_entry")
    tokens = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
