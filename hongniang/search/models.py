from django.db import models


class PostingSearchEntry(models.Model):
    """The segmented tokens of one posting (space-joined) in `tokens`, the tokens of its filterable values in
    `filters` (engine.posting_filter_tokens), and its normalised title and occupation in `head` (relevance).
    SQLite indexes tokens and filters in the FTS5 table `search_fts` (kept in sync by triggers); PostgreSQL in
    the generated tsvector column `tsv` with a GIN index. Both are created by migrations 0002/0003 for the
    database in use."""

    posting = models.OneToOneField("jobs.JobPosting", on_delete=models.CASCADE, primary_key=True,
                                   related_name="search_entry")
    tokens = models.TextField()
    head = models.TextField(default="")
    filters = models.TextField(default="")
    updated_at = models.DateTimeField(auto_now=True)
