"""Pinyin keys and pinyin look-up for Chinese terms.

``pinyin_keys("装配工") == ("zhuangpeigong", "zpg")``; phrase overrides in ``data/pinyin_overrides.txt`` fix
heteronyms (长白班 -> changbaiban / cbb, 银行 -> yinhang, 重庆 -> chongqing). Initials are the first letter of each
syllable (zh/ch/sh -> z/c/s), which is what people type (zpg, cbb).

``PinyinMatcher(vocabulary)`` maps a latin query (full pinyin, initials, a prefix of either, a mix such as
"zhuangpg", or a near miss: edit distance 1 on full pinyin, or a southern-dialect confusion zh/z, ch/c, sh/s,
-ng/-n, l/n) to candidate terms of the vocabulary.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from ._text import CJK_RE, data_lines, normalize

__all__ = ["pinyin_keys", "syllables", "normalize_latin", "fuzzy_key", "PinyinMatcher", "edit_distance_le1"]


@lru_cache(maxsize=1)
def _overrides() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Phrase -> syllables, and first character -> longest override phrase starting with it."""
    table: dict[str, tuple[str, ...]] = {}
    head: dict[str, int] = {}
    for line in data_lines("pinyin_overrides.txt"):
        phrase, *syl = line.split()
        table[phrase] = tuple(syl)
        head[phrase[0]] = max(head.get(phrase[0], 0), len(phrase))
    return table, head


@lru_cache(maxsize=100_000)
def _lazy(text: str) -> tuple[str, ...]:
    """pypinyin for a short piece (one phrase or one character), cached; latin/digits split into own items."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for item in lazy_pinyin(text, style=Style.NORMAL, errors="default", v_to_u=False):
        item = item.strip().lower()
        if item:
            out.extend(p for p in re.split(r"[^0-9a-z]+", item) if p)
    return tuple(out)


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[dict, dict[str, int]]:
    """pypinyin's phrase dictionary and first character -> longest phrase (capped at 5) starting with it."""
    from pypinyin.constants import PHRASES_DICT

    head: dict[str, int] = {}
    for phrase in PHRASES_DICT:
        if len(phrase) > 1:
            head[phrase[0]] = min(5, max(head.get(phrase[0], 1), len(phrase)))
    return PHRASES_DICT, head


@lru_cache(maxsize=200_000)
def syllables(term: str) -> tuple[str, ...]:
    """Pinyin syllables of ``term`` (tone-less, ü as v).

    One left-to-right scan: at each CJK position the longest phrase override (data/pinyin_overrides.txt) wins,
    else the longest phrase of pypinyin's phrase dictionary, else the character; each phrase/character is
    converted by pypinyin once and cached. Gives the same readings as ``lazy_pinyin`` (checked in the tests) at a
    fraction of the cost, which matters when building an autocompleter over 100k terms.
    """
    term = normalize(term)
    ov, ov_head = _overrides()
    ph, ph_head = _phrase_table()
    out: list[str] = []
    i, n = 0, len(term)
    while i < n:
        c = term[i]
        if CJK_RE.match(c):
            hit = False
            for k in range(min(ov_head.get(c, 0), n - i), 1, -1):
                w = term[i : i + k]
                if w in ov:
                    out.extend(ov[w])
                    i += k
                    hit = True
                    break
            if hit:
                continue
            step = 1
            for k in range(min(ph_head.get(c, 1), n - i), 1, -1):
                if term[i : i + k] in ph:
                    step = k
                    break
            out.extend(_lazy(term[i : i + step]))
            i += step
        else:
            j = i + 1
            while j < n and not CJK_RE.match(term[j]):
                j += 1
            out.extend(_lazy(term[i:j]))
            i = j
    return tuple(out)


def pinyin_keys(term: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials) — ``("changbaiban", "cbb")`` for 长白班."""
    syl = syllables(term)
    return "".join(syl), "".join(s[0] for s in syl if s)


_LATIN_DROP = re.compile(r"[\s'’\-_.·]+")


def normalize_latin(query: str) -> str:
    """Lower case, full-width to ASCII, ü/u: to v, spaces and apostrophes removed ("Zhuang Pei'gong" -> "zhuangpeigong")."""
    q = normalize(query).replace("ü", "v").replace("u:", "v")
    return _LATIN_DROP.sub("", q)


_FUZZY_RULES = [
    (re.compile(r"zh"), "z"),
    (re.compile(r"ch"), "c"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"ng"), "n"),
    (re.compile(r"n"), "l"),
    (re.compile(r"h(?=u)"), "f"),  # hu/fu (fei/hui) confusion common in Gan and Hakka areas
]


def fuzzy_key(latin: str) -> str:
    """Collapse sounds people in the south mix up: zh/z, ch/c, sh/s, -ng/-n, n/l, hu/fu."""
    for rx, rep in _FUZZY_RULES:
        latin = rx.sub(rep, latin)
    return latin


def edit_distance_le1(a: str, b: str) -> bool:
    """True if a and b differ by at most one edit: insertion, deletion, substitution or adjacent swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        # adjacent transposition counts as one edit (Damerau): "piegong" for "peigong"
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]


def _mixed_match(query: str, syl: tuple[str, ...]) -> bool:
    """Each syllable contributes a non-empty prefix of itself, in order, consuming the whole query
    ("zhuangpg", "zhpeig" match zhuang-pei-gong). Later syllables may be left out (prefix typing)."""
    states = {0}
    end = len(query)
    for s in syl:
        new = set()
        for qi in states:
            n = 0
            while n < len(s) and qi + n < end and query[qi + n] == s[n]:
                n += 1
                new.add(qi + n)
        if end in new:
            return True
        if not new:
            return False
        states = new
    return False


class PinyinMatcher:
    """Map a latin query to terms of a vocabulary (titles, occupation names, enterprise names).

    ``lookup(query, limit=20)`` returns terms, best first:
      1. exact full pinyin or exact initials,
      2. prefix of full pinyin or of initials (bisect on sorted keys),
      3. mixed syllable prefixes ("zhuangpg"),
      4. near misses: same dialect-fuzzy key (prefix), then full pinyin within edit distance 1.
    Within a rank, higher ``weights[term]`` first, then shorter terms.
    """

    def __init__(self, vocabulary: Iterable[str], weights: dict[str, float] | None = None):
        terms = list(dict.fromkeys(t for t in vocabulary if t and t.strip()))
        self.terms = terms
        self.weights = weights or {}
        self._syl = [syllables(t) for t in terms]
        full = ["".join(s) for s in self._syl]
        init = ["".join(x[0] for x in s if x) for s in self._syl]
        self._full = full
        self._init = init
        pairs = sorted([(k, i) for i, k in enumerate(full) if k] + [(k, i) for i, k in enumerate(init) if k])
        self._keys = [k for k, _ in pairs]
        self._idx = [i for _, i in pairs]
        fz = sorted((fuzzy_key(k), i) for i, k in enumerate(full) if k)
        self._fkeys = [k for k, _ in fz]
        self._fidx = [i for _, i in fz]
        # buckets for edit distance 1: by (first letter, length) and (last letter, length)
        self._first: dict[tuple[str, int], list[int]] = {}
        self._last: dict[tuple[str, int], list[int]] = {}
        for i, k in enumerate(full):
            if k:
                self._first.setdefault((k[0], len(k)), []).append(i)
                self._last.setdefault((k[-1], len(k)), []).append(i)

    def _prefix(self, keys: list[str], idx: list[int], q: str, cap: int) -> list[int]:
        out = []
        lo = bisect_left(keys, q)
        while lo < len(keys) and keys[lo].startswith(q) and len(out) < cap:
            out.append(idx[lo])
            lo += 1
        return out

    def lookup(self, query: str, limit: int = 20) -> list[str]:
        return [term for term, _rank in self.lookup_ranked(query, limit)]

    def lookup_ranked(self, query: str, limit: int = 20, *, best_only: bool = False) -> list[tuple[str, int]]:
        """Like ``lookup``, with each term's rank (0 exact … 4 within one edit; see the class docstring).
        ``best_only``: stop at the first kind of match that finds anything (the later ones only add worse
        ranks) — what a reader of whole queries wants, at a fraction of the cost."""
        q = normalize_latin(query)
        if not q or not q.isascii():
            return []
        ranked: dict[int, int] = {}

        def add(indices: Iterable[int], rank: int) -> None:
            for i in indices:
                if i not in ranked or ranked[i] > rank:
                    ranked[i] = rank

        cap = max(limit * 50, 1000)
        prefix = self._prefix(self._keys, self._idx, q, cap)
        add((i for i in prefix if self._full[i] == q or self._init[i] == q), 0)
        add(prefix, 1)
        if len(ranked) < limit and len(q) >= 2 and not (best_only and ranked):
            found = 0
            for i in self._prefix(self._keys, self._idx, q[:2], 5_000):
                if i not in ranked and _mixed_match(q, self._syl[i]):
                    ranked[i] = 2
                    found += 1
                    if found >= limit:
                        break
        if len(ranked) < limit and len(q) >= 3 and not (best_only and ranked):
            add(self._prefix(self._fkeys, self._fidx, fuzzy_key(q), cap), 3)
            cands: set[int] = set()
            for n in (len(q) - 1, len(q), len(q) + 1):
                cands.update(self._first.get((q[0], n), ()))
                cands.update(self._last.get((q[-1], n), ()))
            add((i for i in cands if edit_distance_le1(q, self._full[i])), 4)
        order = sorted(
            ranked,
            key=lambda i: (ranked[i], -self.weights.get(self.terms[i], 0), len(self.terms[i]), self.terms[i]),
        )
        return [(self.terms[i], ranked[i]) for i in order[:limit]]
