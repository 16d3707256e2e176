"""Reading what people type: a query in Latin letters read as the Chinese it stands for, and likely typos.

``QueryReader(vocabulary)`` knows the words postings are found by (job terms, occupation names, titles…, each with
a weight). Then:

- ``read("zpg")`` -> ``Reading(text="装配工", sure=True, …)``: every Latin word of the query that is the full pinyin,
  the initials or a syllable prefix of a vocabulary word (zpg, baojie, zhuangpei, "zhuang pei gong") is replaced by
  the Chinese it spells; a word that only nearly spells one (a dropped or swapped letter, zh/z, -ng/-n) gives a
  reading with ``sure=False`` — a "你是不是要找" suggestion, not a search. Latin words that postings themselves use
  (CNC, QC) are left as they are.
- ``did_you_mean("保结")`` -> ``"保洁"``: a Chinese query that sounds like a vocabulary word but is written
  differently (same pinyin, or a near miss of it).

Pure Python (pypinyin through ``pinyin``); the Django side builds one reader per process from its vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ._text import CJK_RE, data_lines, has_cjk, normalize
from .pinyin import PinyinMatcher, normalize_latin, syllables

__all__ = ["QueryReader", "Reading", "static_vocabulary"]

_LATIN_WORD = re.compile(r"[a-z]+")
_QUERY_WORD = re.compile(r"[a-z]+|[^a-z\s]+")

#: matcher ranks (PinyinMatcher.lookup_ranked): 0 exact, 1 prefix, 2 syllable prefixes — sure; 3, 4 near misses
SURE_RANK = 2


@dataclass(frozen=True)
class Reading:
    """How a query was read. ``text``: the query with its Latin words replaced; ``words``: (typed, read as)
    pairs; ``sure``: every replacement spells a vocabulary word (search it) — otherwise a suggestion only;
    ``others``: other words a one-word query could stand for (shown as links)."""

    query: str
    text: str
    words: tuple[tuple[str, str], ...]
    sure: bool
    others: tuple[str, ...] = ()


def static_vocabulary() -> dict[str, float]:
    """The toolkit's own words with weights: the job-term dictionary and every synonym."""
    out: dict[str, float] = {}
    for line in data_lines("job_terms.txt"):
        parts = line.split()
        out[parts[0]] = max(out.get(parts[0], 0.0), float(parts[1]) if len(parts) > 1 else 1000.0)
    for line in data_lines("synonyms.txt"):
        for w in line.replace(">", " ").split():
            if has_cjk(w):
                out[w] = max(out.get(w, 0.0), 500.0)
    return out


def _cjk_prefix(term: str, q: str, full: bool) -> str | None:
    """The first k characters of a CJK `term` whose pinyin (full, or initials) is exactly `q`, or None."""
    if not all(CJK_RE.match(c) for c in term):
        return None
    syl = syllables(term)
    if len(syl) != len(term):
        return None
    acc = ""
    for k, s in enumerate(syl, 1):
        acc += s if full else s[:1]
        if acc == q:
            return term[:k]
        if len(acc) >= len(q):
            return None
    return None


class QueryReader:
    """Reads Latin queries and spots typos against a weighted vocabulary (term -> weight)."""

    def __init__(self, vocabulary: Mapping[str, float] | Iterable[str]):
        weights = dict(vocabulary) if isinstance(vocabulary, Mapping) else {t: 1.0 for t in vocabulary}
        cjk = {t: w for t, w in weights.items() if t and has_cjk(t)}
        self.weights = cjk
        self.matcher = PinyinMatcher(list(cjk), cjk)
        #: Latin words postings use as such (CNC, QC, C1): never read as pinyin
        self.latin_words = {w for t in weights for w in _LATIN_WORD.findall(normalize(t)) if len(w) >= 2}
        self._words: dict[tuple[str, int], tuple[list[str], bool]] = {}
        self._full: dict[str, list[str]] = {}
        for t in cjk:
            self._full.setdefault("".join(syllables(t)), []).append(t)

    def __len__(self) -> int:
        return len(self.weights)

    # ---- Latin queries
    def read_word(self, word: str, limit: int = 4) -> tuple[list[str], bool]:
        """(what a Latin word may stand for, best first; sure) — [] when nothing fits. Kept per reader (the
        same few words are typed again and again)."""
        key = (word, limit)
        if key not in self._words:
            if len(self._words) > 10_000:
                self._words.clear()
            self._words[key] = self._read_word(word, limit)
        words, sure = self._words[key]
        return list(words), sure

    def _read_word(self, word: str, limit: int) -> tuple[list[str], bool]:
        q = normalize_latin(word)
        if len(q) < 2 or not q.isascii() or not q.isalpha() or q in self.latin_words:
            return [], False
        ranked = self.matcher.lookup_ranked(q, limit=limit * 3, best_only=True)
        if not ranked:
            return [], False
        best_rank = ranked[0][1]
        out: list[str] = []
        for term, rank in ranked:
            if rank != best_rank:
                break
            word_read = term
            if rank >= 1:  # a prefix: the characters it spells (zhuangpei -> 装配 of 装配工), else the word
                word_read = _cjk_prefix(term, q, True) or _cjk_prefix(term, q, False) or term
            if word_read not in out:
                out.append(word_read)
        return out[:limit], best_rank <= SURE_RANK

    def read(self, query: str) -> Reading | None:
        """The reading of a query with Latin words in it, or None when none of them reads as Chinese."""
        norm = normalize(query).strip()
        if not norm or not _LATIN_WORD.search(norm):
            return None
        if not has_cjk(norm) and re.fullmatch(r"[a-z\s'’\-]+", norm) and " " in norm.strip():
            # "zhuang pei gong": the words together first
            words, sure = self.read_word(norm)
            if words and sure:
                return Reading(query, words[0], ((norm, words[0]),), True, tuple(words[1:]))
        pieces = _QUERY_WORD.findall(norm)
        out, pairs, sure, others = [], [], True, ()
        for piece in pieces:
            if _LATIN_WORD.fullmatch(piece):
                words, ok = self.read_word(piece)
                if words:
                    out.append(words[0])
                    pairs.append((piece, words[0]))
                    sure &= ok
                    others = tuple(words[1:])
                    continue
            out.append(piece)
        if not pairs:
            return None
        return Reading(query, " ".join(out), tuple(pairs), sure, others if len(pairs) == 1 else ())

    # ---- typos
    def did_you_mean(self, query: str) -> str | None:
        """A vocabulary word that a Chinese query likely meant (same sound, other characters; or one pinyin
        letter off), or None."""
        norm = normalize(query).strip()
        if not norm or not has_cjk(norm) or len(norm) > 12 or norm in self.weights:
            return None
        full = "".join(syllables(norm))
        same = [t for t in self._full.get(full, ()) if t != norm]
        if same:
            return max(same, key=lambda t: (self.weights[t], -len(t)))
        for term, rank in self.matcher.lookup_ranked(full, limit=5):
            if rank >= 3 and term != norm and len(term) == len(norm):
                return term
        return None

    # ---- when nothing is found
    def neighbours(self, word: str, limit: int = 6) -> list[str]:
        """Vocabulary words near a Chinese word, heaviest first: the words inside it (装配 of 装配线), then words
        sharing two characters in a row with it (焊工 for 电焊)."""
        norm = normalize(word).strip()
        if not has_cjk(norm):
            return []
        inside = [t for t in self.weights if t != norm and len(t) >= 2 and t in norm]
        grams = {norm[i : i + 2] for i in range(len(norm) - 1) if has_cjk(norm[i : i + 2])}
        sharing = [t for t in self.weights if t != norm and t not in inside and any(g in t for g in grams)]
        out = sorted(inside, key=lambda t: (-len(t), -self.weights[t]))
        out += sorted(sharing, key=lambda t: (-self.weights[t], len(t), t))
        return out[:limit]

