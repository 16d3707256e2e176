"""Chinese tokenisation for search: the same tokens on the index side and on the query side.

Index side (``tokenize_for_index``): jieba ``lcut_for_search`` words (with the job-term dictionary in
``data/job_terms.txt``) plus every CJK character and every CJK bigram. The n-grams make recall exact: any document
that contains a query word as a substring contains that word's characters/bigrams as tokens, whatever jieba did
with the surrounding text (measured in ``tests/test_segment.py`` and ``docs/search.md``).

Query side (``tokenize_query``): jieba precise-mode words. Each word is turned into the index tokens that must all
be present (``index_terms``): words of one or two characters are looked up as such; longer CJK words as their
overlapping bigrams (AND). ``fts5_match`` and ``tsquery`` turn OR-groups from ``synonyms.expand_query`` into a
SQLite FTS5 MATCH expression or a PostgreSQL ``to_tsquery('simple', ...)`` string.

The jieba tokenizer is a private ``jieba.Tokenizer()`` (the global one is not touched), initialised lazily on
first use; its prefix-dictionary cache goes to ``$HONGNIANG_CACHE_DIR`` or ``$XDG_CACHE_HOME/hongniang`` or
``~/.cache/hongniang``, falling back to the system temp dir. Everything works offline.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence

from ._text import CJK_RUN_RE, data_lines, has_cjk, is_wordish, normalize

__all__ = [
    "tokenize_for_index",
    "tokenize_query",
    "index_terms",
    "index_text",
    "fts5_match",
    "matches",
    "tsquery",
    "cut",
    "get_tokenizer",
    "job_terms",
]

_lock = threading.Lock()
_tokenizer = None


def _cache_dir() -> str:
    for candidate in (
        os.environ.get("HONGNIANG_CACHE_DIR"),
        os.path.join(os.environ["XDG_CACHE_HOME"], "hongniang") if os.environ.get("XDG_CACHE_HOME") else None,
        os.path.join(os.path.expanduser("~"), ".cache", "hongniang"),
    ):
        if not candidate:
            continue
        try:
            os.makedirs(candidate, exist_ok=True)
            if os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    return tempfile.gettempdir()


def job_terms() -> list[tuple[str, int, str | None]]:
    """The job-term user dictionary: (word, frequency, part of speech)."""
    out = []
    for line in data_lines("job_terms.txt"):
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 else 1000
        tag = parts[2] if len(parts) > 2 else None
        out.append((word, freq, tag))
    return out


def get_tokenizer():
    """The private, lazily initialised jieba tokenizer with the job-term dictionary loaded."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)  # silence "Building prefix dict" chatter
            tk = jieba.Tokenizer()
            tk.tmp_dir = _cache_dir()
            tk.cache_file = "hongniang-jieba.cache"
            tk.initialize()
            for word, freq, tag in job_terms():
                tk.add_word(word, freq, tag)
            _tokenizer = tk
    return _tokenizer


def cut(text: str) -> list[str]:
    """jieba precise-mode words of the normalised text (punctuation and spaces dropped)."""
    tk = get_tokenizer()
    return [w for w in tk.lcut(normalize(text), HMM=True) if is_wordish(w)]


def _ngrams(text: str) -> list[str]:
    out: list[str] = []
    for m in CJK_RUN_RE.finditer(text):
        run = m.group()
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.extend(run[i : i + 3] for i in range(len(run) - 2))
    return out


def tokenize_for_index(text: str, *, ngrams: bool = True) -> list[str]:
    """Tokens to store in the search index for ``text`` (jieba search-mode words, then CJK 1-, 2- and 3-grams).

    Store them space-joined (``index_text``) in an FTS5 column (tokenizer ``unicode61`` or ``ascii`` splits on
    spaces) or feed ``to_tsvector('simple', ...)``. Tokens are normalised (NFKC, lower case).
    """
    norm = normalize(text)
    tk = get_tokenizer()
    words = [w for w in tk.lcut_for_search(norm, HMM=True) if is_wordish(w)]
    if not ngrams:
        return words
    seen = set(words)
    return words + [g for g in _ngrams(norm) if g not in seen]


def index_text(text: str) -> str:
    """``tokenize_for_index`` joined by spaces: the value to put into the FTS column / tsvector."""
    return " ".join(tokenize_for_index(text))


def tokenize_query(text: str) -> list[str]:
    """Query words: jieba precise mode, normalised, punctuation dropped, duplicates removed, order kept.

    A one-character word inside a longer CJK run is joined with its neighbour into a bigram (every bigram of a
    CJK run is an index token), so "班包" searches for the bigram, not for 班 AND 包 anywhere in the text.
    """
    norm = normalize(text)
    tk = get_tokenizer()
    seen: set[str] = set()
    out = []
    for w, s, e in tk.tokenize(norm, HMM=True):
        if not is_wordish(w):
            continue
        if len(w) == 1 and has_cjk(w):
            if e < len(norm) and has_cjk(norm[e]):
                w = norm[s : e + 1]
            elif s > 0 and has_cjk(norm[s - 1]):
                w = norm[s - 1 : e]
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def index_terms(term: str) -> tuple[str, ...]:
    """Index tokens that must ALL be present for a document containing ``term`` (a query word) as a substring.

    CJK words of up to three characters and non-CJK words are index tokens themselves (exact: every CJK
    substring of up to three characters of a document is one of its tokens); longer CJK words are their
    overlapping trigrams (a superset of the substring matches — the trigrams could sit apart — so a backend
    that wants exact precision can re-check candidates with ``term in normalize(text)``). Trigrams rather than
    bigrams: one short index list for 装配工 instead of two long ones, and exact 3-character words.
    """
    term = normalize(term).strip()
    if not term:
        return ()
    if not has_cjk(term) or len(term) <= 3 and len(_split_mixed(term)) == 1:
        return (term,)
    parts: list[str] = []
    for piece in _split_mixed(term):
        if has_cjk(piece) and len(piece) > 3:
            parts.extend(piece[i : i + 3] for i in range(len(piece) - 2))
        else:
            parts.append(piece)
    return tuple(dict.fromkeys(parts))


def _split_mixed(term: str) -> list[str]:
    """Split a term into CJK runs and other word-ish runs (e.g. 'c1驾照' -> ['c1', '驾照'])."""
    out, last = [], 0
    for m in CJK_RUN_RE.finditer(term):
        if m.start() > last and term[last : m.start()].strip():
            out.extend(p for p in term[last : m.start()].split() if is_wordish(p))
        out.append(m.group())
        last = m.end()
    if term[last:].strip():
        out.extend(p for p in term[last:].split() if is_wordish(p))
    return out


def alternatives(groups: Sequence[Iterable[str]]) -> list[list[tuple[str, ...]]]:
    """Each group's alternatives as index-token tuples, dropping an alternative whose tokens include all of
    another's: a document holding ("两班", "班倒") also holds ("两班",), so it adds no match, only index reads."""
    out = []
    for group in groups:
        alts = sorted({t for t in (index_terms(a) for a in group) if t})
        sets = [frozenset(t) for t in alts]
        alts = [a for a, s in zip(alts, sets, strict=True) if not any(o < s for o in sets)]
        if alts:
            out.append(alts)
    return out


def fts5_match(groups: Sequence[Iterable[str]]) -> str:
    """SQLite FTS5 MATCH expression: AND over groups, OR over alternatives, AND over each alternative's tokens.

    ``groups`` is what ``synonyms.expand_query`` returns (or ``[[t] for t in tokenize_query(q)]``). Every token
    is double-quoted, so user input cannot inject FTS5 syntax. Returns "" for an empty query.
    """

    def q(tok: str) -> str:
        return '"' + tok.replace('"', '""') + '"'

    clauses = []
    for alts in alternatives(groups):
        ors = [
            ("(" + " AND ".join(q(t) for t in toks) + ")") if len(toks) > 1 else q(toks[0]) for toks in alts
        ]
        clauses.append(ors[0] if len(ors) == 1 else "(" + " OR ".join(ors) + ")")
    return " AND ".join(clauses)


def tsquery(groups: Sequence[Iterable[str]]) -> str:
    """PostgreSQL ``to_tsquery('simple', ...)`` text with the same logic as ``fts5_match``.

    Tokens are single-quoted lexemes (quotes and backslashes escaped). Returns "" for an empty query.
    """
    return " & ".join(tsquery_clauses(groups))


def tsquery_clauses(groups: Sequence[Iterable[str]]) -> list[str]:
    """The ``tsquery`` text of each group on its own (their AND is ``tsquery``): a backend can give each to
    the index as a separate condition."""

    def q(tok: str) -> str:
        return "'" + tok.replace("\\", "\\\\").replace("'", "''") + "'"

    clauses = []
    for alts in alternatives(groups):
        ors = [("(" + " & ".join(q(t) for t in toks) + ")") if len(toks) > 1 else q(toks[0]) for toks in alts]
        clauses.append(ors[0] if len(ors) == 1 else "(" + " | ".join(ors) + ")")
    return clauses


def matches(doc_tokens: set[str] | frozenset[str], groups: Sequence[Iterable[str]]) -> bool:
    """Reference semantics of ``fts5_match`` / ``tsquery`` in Python: does a document with these index tokens
    match? (AND over groups, OR over alternatives, AND over ``index_terms`` of an alternative.)"""
    return all(any(all(t in doc_tokens for t in index_terms(alt)) for alt in group) for group in groups)
