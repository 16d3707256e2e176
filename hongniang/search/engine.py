"""Full-text search over postings, on SQLite (FTS5) and PostgreSQL (tsvector 'simple').

Both index the same tokens, made by the pure toolkit `hongniang.zh` (jieba search mode with the job-term
dictionary, plus CJK unigrams and bigrams so one- and two-character queries have the recall of a substring
scan). Queries are segmented the same way and expanded with synonyms and occupation groups; a query in Latin
letters is also read as the pinyin or initials of the Chinese it stands for (zpg → 装配工).

This module is the search's public face; the work lives in one module per concern:

- `tokens`    filter and sort-key tokens (the list filters and sort keys as index words)
- `indexing`  what a posting is found by; `index_posting` follows every write, `reindex_all`, `analyze`
- `query`     `parse_query` (segmenting, synonyms, occupation groups, pinyin reading), `filter_matching`
- `results`   `RankedResults`: the newest matches counted up to COUNT_CAP + 1, title matches first
- `windows`   `SortedResults`: sorted searches read window by window along the sort key

Settings that tests and benchmarks change (COUNT_CAP, NEAR_CELLS) live in the module that reads them
(`results.COUNT_CAP`, `windows.NEAR_CELLS`)."""

from __future__ import annotations

from .indexing import _entry_values, analyze, document_text, head_text, index_posting, reindex_all
from .query import ParsedQuery, _match_sql, filter_matching, occupation_expansions, parse_query
from .results import COUNT_CAP, FIRST_WINDOW, RankedResults, _pg_newest, next_window
from .tokens import (
    GEO_SHIFTS,
    ID_SHIFTS,
    PAY_STEPS,
    PUB_SHIFTS,
    _ft,
    _grid,
    _id_token,
    _pub_hour,
    id_tokens,
    key_tokens,
    posting_filter_tokens,
    query_filter_tokens,
)
from .windows import (
    NEAR_CELLS,
    SortedResults,
    _bucket_start,
    _disk_tokens,
    _hist,
    _range_tokens,
    key_histogram,
    key_units,
    key_window,
)

__all__ = [
    "COUNT_CAP", "FIRST_WINDOW", "GEO_SHIFTS", "ID_SHIFTS", "NEAR_CELLS", "PAY_STEPS", "PUB_SHIFTS",
    "ParsedQuery", "RankedResults", "SortedResults", "_bucket_start", "_disk_tokens", "_entry_values", "_ft",
    "_grid", "_hist", "_id_token", "_match_sql", "_pg_newest", "_pub_hour", "_range_tokens", "analyze",
    "document_text", "filter_matching", "head_text", "id_tokens", "index_posting", "key_histogram", "key_tokens",
    "key_units", "key_window", "next_window", "occupation_expansions", "parse_query", "posting_filter_tokens",
    "query_filter_tokens", "reindex_all",
]
