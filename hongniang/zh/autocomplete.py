"""Autocomplete for the search box: Chinese prefix, full pinyin prefix, initials prefix.

``Autocompleter({"装配工": 120, "长白班普工": 40, ...}).suggest("zp")`` -> ["装配工", ...]

Built once from a vocabulary with weights (e.g. how many open postings use the title); every keystroke is one
``bisect`` into a sorted key array plus a numpy top-k over the matching range, so a suggestion costs well under
a millisecond at 100k entries (figures in docs/search.md, ``bench/zh_autocomplete.py``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping

import numpy as np

from ._text import has_cjk, normalize
from .pinyin import normalize_latin, pinyin_keys
from .segment import get_tokenizer

__all__ = ["Autocompleter"]

_MAX_CHAR = "\U0010ffff"


class _SortedKeys:
    def __init__(self, pairs: list[tuple[str, int]], weights: np.ndarray):
        pairs.sort()
        self.keys = [k for k, _ in pairs]
        self.idx = np.fromiter((i for _, i in pairs), dtype=np.int64, count=len(pairs))
        self.w = weights[self.idx] if len(pairs) else np.zeros(0)

    def range(self, prefix: str) -> tuple[int, int]:
        return bisect_left(self.keys, prefix), bisect_right(self.keys, prefix + _MAX_CHAR)

    def top(self, prefix: str, k: int) -> list[int]:
        lo, hi = self.range(prefix)
        n = hi - lo
        if n <= 0:
            return []
        if n <= k:
            sel = np.arange(lo, hi)
        else:
            part = np.argpartition(-self.w[lo:hi], k - 1)[:k]
            sel = part + lo
        return self.idx[sel].tolist()


class Autocompleter:
    """Suggest vocabulary terms for what has been typed so far.

    - Chinese (or mixed) input: terms starting with it (after NFKC/lower-casing).
    - Latin input: terms whose full pinyin or initials start with it ("zhuangp", "zpg", "cbb").
    Results: highest weight first, then shorter, then alphabetical; each term once.
    """

    def __init__(
        self,
        vocabulary: Mapping[str, float] | Iterable[tuple[str, float]] | Iterable[str],
        *,
        keys: Mapping[str, tuple[str, str]] | None = None,
        infix: bool = False,
    ):
        """``keys``: precomputed ``pinyin_keys(term)`` per term (e.g. stored in database columns when a
        posting is saved), to skip the pinyin conversion when the vocabulary is large; missing terms are computed.

        ``infix=True``: input also matches at word boundaries inside a term, in Chinese or by the pinyin or
        initials of the inner word (typing 普工 or pg suggests 电子厂普工 after the terms that start with it). Words come from the jieba tokenizer of
        ``hongniang.zh.segment``; costs about one jieba cut per term at build time."""
        if isinstance(vocabulary, Mapping):
            items = list(vocabulary.items())
        else:
            items = [(v, 1.0) if isinstance(v, str) else (v[0], float(v[1])) for v in vocabulary]
        merged: dict[str, float] = {}
        for term, w in items:
            if term and term.strip():
                merged[term] = max(merged.get(term, float("-inf")), float(w))
        self.terms = list(merged)
        self.weights = np.array([merged[t] for t in self.terms], dtype=np.float64)
        zh_pairs = [(normalize(t), i) for i, t in enumerate(self.terms)]
        py_pairs = []
        for i, t in enumerate(self.terms):
            full, init = keys[t] if keys is not None and t in keys else pinyin_keys(t)
            if full:
                py_pairs.append((full, i))
            if init and init != full:
                py_pairs.append((init, i))
        self._zh = _SortedKeys(zh_pairs, self.weights)
        self._infix = self._py_infix = None
        if infix:
            tk = get_tokenizer()
            inner, inner_py = [], []
            for key, i in zh_pairs:
                for _, start, _ in tk.tokenize(key, HMM=False):
                    if start > 0:
                        rest = key[start:]
                        inner.append((rest, i))
                        if has_cjk(rest[:1]):  # the pinyin of an inner word too: zpg -> 电子装配工
                            full, init = pinyin_keys(rest)
                            if full:
                                inner_py.append((full, i))
                            if init and init != full:
                                inner_py.append((init, i))
            self._infix = _SortedKeys(inner, self.weights)
            self._py_infix = _SortedKeys(inner_py, self.weights)
        self._py = _SortedKeys(py_pairs, self.weights)

    def __len__(self) -> int:
        return len(self.terms)

    def _rank(self, indices: Iterable[int], limit: int) -> list[str]:
        uniq = set(indices)
        order = sorted(uniq, key=lambda i: (-self.weights[i], len(self.terms[i]), self.terms[i]))
        return [self.terms[i] for i in order[:limit]]

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        if limit <= 0:
            return []
        text = normalize(prefix).strip()
        if not text:
            return []
        # ask for more than `limit` so ties and duplicates (full + initials of one term) still fill the list
        k = limit * 3
        if has_cjk(text) or not normalize_latin(text).isascii():
            found = self._rank(self._zh.top(text, k), limit)
            if self._infix is not None and len(found) < limit:
                seen = set(found)
                more = [
                    t
                    for t in self._rank(self._infix.top(text, k + len(found)), limit + len(found))
                    if t not in seen
                ]
                found += more[: limit - len(found)]
            return found
        latin = normalize_latin(text)
        cands = self._py.top(latin, k) + self._zh.top(text, k)
        found = self._rank(cands, limit)
        if self._py_infix is not None and len(found) < limit:
            seen = set(found)
            more = [t for t in self._rank(self._py_infix.top(latin, k + len(found)), limit + len(found))
                    if t not in seen]
            found += more[: limit - len(found)]
        return found
