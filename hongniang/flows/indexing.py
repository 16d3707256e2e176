"""Keep the derived indexes current: the owners send hooks after every write, this flow connects the indexes.

    jobs.hooks.posting_written   → search.engine.index_posting (same transaction: the index is in the database)
                                 → recommend.state.posting_changed (after commit: this process's matching index)
    seekers.hooks.seeker_written → recommend.state.seeker_changed (after commit)
"""

from __future__ import annotations

from hongniang.jobs.hooks import posting_written
from hongniang.recommend.state import posting_changed, seeker_changed
from hongniang.search.engine import index_posting
from hongniang.seekers.hooks import seeker_written


def connect() -> None:
    posting_written.connect(index_posting, uid="search.index_posting")
    posting_written.connect(posting_changed, on_commit=True, uid="recommend.posting_changed")
    seeker_written.connect(seeker_changed, on_commit=True, uid="recommend.seeker_changed")
