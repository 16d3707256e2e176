"""Parse a job ad pasted as plain text (WeChat group post, paper notice) into the fields of the job form.

``parse_posting(text)`` returns a ``ParsedPosting``; ``.to_dict()`` gives exactly the keys of the form
(title, occupation_code, headcount, pay_type, pay_min, pay_max, monthly_min, monthly_max, shift, benefits, age_min,
age_max, township, phone, flags, confidence). What the text does not say stays None / empty: nothing is guessed.
``split_ads(text)`` cuts a text that advertises several jobs into one text per job (shared header/footer lines —
company, address, phone — are copied into every part).

Monthly estimates (documented in docs/parse-posting.md): an explicit monthly figure in the ad wins ("时薪18元，月入
4500"); otherwise daily pay x 26 days, hourly pay x hours per day (stated in the ad, else 8) x 26 days. Piece rates
give no estimate unless the ad states monthly earnings.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources

from .numerals import NUMBER_TOKEN, parse_amount

__all__ = ["ParsedPosting", "parse_posting", "parse_postings", "split_ads", "DAYS_PER_MONTH", "HOURS_PER_DAY",
           "MINIMUM_WAGE_MONTHLY", "MINIMUM_WAGE_HOURLY"]

#: a working month for estimates: 26 days of 8 hours (the platform reads these through hongniang.core.wages)
DAYS_PER_MONTH = 26
HOURS_PER_DAY = 8
#: the default minimum wage, Ruijin's (Jiangxi class 3, from 2021-04-01), CNY; the platform passes the settings'
#: (MINIMUM_WAGE_MONTHLY / _HOURLY). core/tests/test_wage_facts.py checks that these agree with them.
MINIMUM_WAGE_MONTHLY = 1610
MINIMUM_WAGE_HOURLY = 16.1
KEYS = (
    "title",
    "occupation_code",
    "headcount",
    "pay_type",
    "pay_min",
    "pay_max",
    "monthly_min",
    "monthly_max",
    "shift",
    "benefits",
    "age_min",
    "age_max",
    "township",
    "phone",
    "flags",
)


@dataclass
class ParsedPosting:
    title: str | None = None
    occupation_code: str | None = None
    headcount: int | None = None
    pay_type: str | None = None  # monthly | daily | hourly | piece
    pay_min: float | None = None
    pay_max: float | None = None
    monthly_min: int | None = None
    monthly_max: int | None = None
    shift: str | None = None  # day | two_shift | three_shift | flexible | part_time | home_piecework
    benefits: list[str] = field(default_factory=list)  # board | lodging | shuttle | social_insurance
    age_min: int | None = None
    age_max: int | None = None
    township: str | None = None
    phone: str | None = None
    flags: list[str] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    # extras, not part of the form keys
    occupation_name: str | None = None
    village: str | None = None
    hours_per_day: float | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = asdict(self)
        out = {k: d[k] for k in KEYS}
        for k in ("pay_min", "pay_max"):
            v = out[k]
            if isinstance(v, float) and v.is_integer():
                out[k] = int(v)
        out["confidence"] = {k: round(self.confidence.get(k, 0.0), 2) for k in KEYS}
        return out


# ---------------------------------------------------------------- data tables


@lru_cache(maxsize=1)
def _occupation_keywords() -> list[tuple[str, str | None, str | None, float]]:
    raw = (
        resources.files("hongniang.zh")
        .joinpath("data", "occupation_keywords.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(line for line in raw.splitlines() if line and not line.startswith("#"))
    out = [(r["keyword"], r["code"] or None, r["name"] or None, float(r["confidence"])) for r in rows]
    out.sort(key=lambda r: -len(r[0]))
    return out


@lru_cache(maxsize=1)
def _default_places() -> tuple[tuple[str, str, str, float], ...]:
    """(pattern text, township, village or '', confidence), longest first."""
    raw = resources.files("hongniang.zh").joinpath("data", "ruijin_places.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in raw.splitlines() if line and not line.startswith("#"))
    pats: dict[str, tuple[str, str, float]] = {}
    for r in rows:
        if r["kind"] == "township":
            pats[r["name"]] = (r["township"], "", 0.95)
            pats.setdefault(r["short_name"], (r["township"], "", 0.75))
        else:
            short = r["short_name"]
            pats.setdefault(r["name"], (r["township"], r["name"], 0.85))
            village_word = short if short.endswith("村") else short + "村"
            pats.setdefault(village_word, (r["township"], r["name"], 0.8))
            if short.endswith(("街", "大道", "路")) and len(short) >= 3:
                pats.setdefault(short, (r["township"], r["name"], 0.6))
    pats.update(
        {
            "瑞金经开区": ("江西瑞金经济开发区", "", 0.9),
            "瑞金经济开发区": ("江西瑞金经济开发区", "", 0.95),
            "经开区": ("江西瑞金经济开发区", "", 0.8),
            "瑞金开发区": ("江西瑞金经济开发区", "", 0.85),
            "岗面乡": ("冈面乡", "", 0.9),
            "叶坪乡": ("叶坪镇", "", 0.9),
        }
    )
    return tuple(sorted(((p, *v) for p, v in pats.items()), key=lambda r: -len(r[0])))


class _Literals:
    """Leftmost-longest, non-overlapping search for many literal words (lower-cased), indexed by their first two
    characters: one dict look-up per text position instead of a 500-way regex alternation."""

    def __init__(self, words: Iterable[str]):
        self.by_head: dict[str, list[str]] = {}
        self.singles: set[str] = set()
        for w in sorted({w.lower() for w in words if w}, key=len, reverse=True):
            if len(w) == 1:
                self.singles.add(w)
            else:
                self.by_head.setdefault(w[:2], []).append(w)

    def finditer(self, text: str):
        text = text.lower()
        i, n = 0, len(text)
        by_head = self.by_head
        while i < n:
            hit = None
            for w in by_head.get(text[i : i + 2], ()):
                if text.startswith(w, i):
                    hit = w
                    break
            if hit is None and text[i] in self.singles:
                hit = text[i]
            if hit:
                yield i, i + len(hit), hit
                i += len(hit)
            else:
                i += 1


@lru_cache(maxsize=64)
def _place_regex(places: tuple[tuple[str, str, str, float], ...]):
    """A literal matcher over all place patterns and a pattern -> (township, village, conf) map."""
    return (_Literals(p for p, *_ in places) if places else None), {
        p.lower(): (town, village, conf) for p, town, village, conf in places
    }


@lru_cache(maxsize=1)
def _occupation_regex():
    kws = _occupation_keywords()
    return _Literals(k for k, *_ in kws), {k.lower(): (k, c, n, f) for k, c, n, f in kws}


def _places_from(names: Iterable[str]) -> tuple[tuple[str, str, str, float], ...]:
    pats: dict[str, tuple[str, str, float]] = {}
    for n in names:
        n = n.strip()
        if not n:
            continue
        pats[n] = (n, "", 0.95)
        if len(n) >= 3 and n[-1] in "镇乡":
            pats.setdefault(n[:-1], (n, "", 0.75))
    return tuple(sorted(((p, *v) for p, v in pats.items()), key=lambda r: -len(r[0])))


# ---------------------------------------------------------------- regexes

NUM = NUMBER_TOKEN
RANGE_SEP = r"\s*(?:-|~|～|至|到|—|–|－)\s*"
AMOUNT = rf"(?P<a>{NUM})(?:\s*元)?(?:{RANGE_SEP}(?P<b>{NUM}))?(?:\s*(?:元|块钱|块))?"

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)\(?(0797)\)?[\s-]?(\d{7,8})(?!\d)")

_UNIT_SUFFIX = [
    ("hourly", r"\s*(?:/|每|一个?)\s*(?:小时|时|h|H)|\s*(?:元|块)?\s*一?个?钟"),
    ("daily", r"\s*(?:/|每|一)\s*(?:天|日|班)"),
    ("monthly", r"\s*(?:/|每|一个?)\s*月"),
    ("piece", r"\s*(?:/|每|一)\s*(?:件|个|打|条|双|套|只|片|箱)"),
]
_UNIT_PREFIX = [
    ("hourly", r"(?:时薪|小时工资|每小时|一小时|1小时|钟点|计时)\s*:?\s*(?:工资)?\s*"),
    ("daily", r"(?:日薪|日工资|每天|一天|日结|工价|天)\s*:?\s*(?:工资)?\s*"),
    (
        "monthly_total",
        r"(?:综合工资|综合薪资|综合月薪|月综合|月收入|月入|到手|每月到手|月均|平均工资|月工资|月薪|工资待遇|薪资待遇|待遇|工资|薪资|薪水|收入)\s*(?:为|在|:)?\s*(?:约|大约|可达|可拿|能拿)?\s*",
    ),
    ("monthly_floor", r"(?:保底工资|保底|最低工资|每月保底)\s*:?\s*"),
    ("monthly_base", r"(?:底薪|基本工资)\s*:?\s*"),
    ("piece", r"(?:每件|一件|计件单价|单价)\s*:?\s*"),
]
_EXCLUDE_BEFORE = re.compile(
    r"(?:押金|报名费|体检费|服装费|培训费|中介费|介绍费|保证金|工衣费|补贴|补助|津贴|餐补|饭补|房补|车补|话补|全勤奖?|满勤奖?|奖金|奖励|"
    r"提成|加班费|高温费|夜班费|年终奖|红包|返费|返现|住宿费|水电费|伙食费|扣)[^,，。;；\n]{0,4}$"
)
_HOURS = re.compile(
    rf"(?:每天|一天|日|工作|上班)\s*(?P<h>{NUM})\s*(?:个)?\s*(?:小时|h)|(?P<h2>{NUM})\s*(?:个)?小时\s*/\s*天"
)


@dataclass
class _Amount:
    kind: str  # hourly | daily | monthly_total | monthly_base | monthly | piece
    lo: float
    hi: float | None
    open_hi: bool  # "以上" / "起": no upper bound
    open_lo: bool  # "以下" / "最高"
    start: int
    text: str


def _find_amounts(t: str) -> list[_Amount]:
    out: list[_Amount] = []
    taken: list[tuple[int, int]] = []
    amount_rx = re.compile(AMOUNT)
    for m in amount_rx.finditer(t):
        s, e = m.span()
        if any(s < te and e > ts for ts, te in taken):
            continue
        a = parse_amount(m.group("a"))
        b = parse_amount(m.group("b")) if m.group("b") else None
        if a is None:
            continue
        before = t[max(0, s - 14) : s]
        after = t[e : e + 8]
        # numbers that are not money
        if re.match(
            r"\s*(?:岁|周岁|名|人|位|个人|个工|号|栋|楼|路|年|月份|月底|点|小时|h\b|天班|天休|天假|公里|km|分钟|%|k?m²|平|斤|米|厘米|级|期|届)",
            after,
        ):
            if not re.match(r"\s*(?:小时|h)\s*(?:/|每)", after) or True:
                continue
        if _EXCLUDE_BEFORE.search(before):
            continue
        kind = None
        tail_len = 0
        for k, rx in _UNIT_SUFFIX:
            mm = re.match(rx, after)
            if mm:
                kind, tail_len = k, mm.end()
                break
        if kind is None:
            for k, rx in _UNIT_PREFIX:
                if re.search(rx + r"$", before):
                    kind = k
                    break
        if kind == "monthly":
            kind = (
                "monthly_floor"
                if re.search(r"保底\S{0,2}$", before)
                else "monthly_base"
                if re.search(r"(?:底薪|基本工资)\s*:?\s*$", before)
                else "monthly_total"
            )
        has_yuan = bool(re.search(r"元|块", t[s:e] + after[:2]))
        # a "k" / "w" suffixed number or 万 words without unit: monthly
        if kind is None and re.search(r"[kKwW万]", m.group("a") + (m.group("b") or "")):
            kind = "monthly_total"
        if kind is None and has_yuan and (a >= 1000 or (b or 0) >= 1000):
            kind = "monthly_total"
        if (
            kind is None
            and b is not None
            and 1000 <= a < b <= 60000
            and not (1900 <= a <= 2100 and 1900 <= b <= 2100)
        ):
            kind = "monthly_total"  # "熟手6000-8000": a range of four-digit sums in a job ad is monthly pay
        if kind is None:
            continue
        rest = t[e + tail_len : e + tail_len + 6]
        open_hi = (
            bool(re.match(r"\s*(?:元|块)?\s*(?:以上|起|\+|多|上下浮动)?\s*(?:以上|起|\+)", rest))
            or (kind in ("monthly_base", "monthly_floor"))
            and b is None
        )
        if re.match(r"\s*(?:元|块)?\s*左右", rest):
            open_hi = False
        open_lo = bool(re.search(r"(?:最高|最多|高达|可达)\s*:?\s*$", before)) and b is None
        if kind == "monthly_base" and re.search(r"底薪", before) and b is None:
            open_hi = True
        if b is not None and b < a and b < 100 <= a:  # "4500-6" style typo guard: ignore upper bound
            b = None
        elif b is not None and b < a:  # "8000-5000": written the other way round
            a, b = b, a
        out.append(_Amount(kind, a, b, open_hi, open_lo, s, t[s : e + tail_len]))
        taken.append((s, e + tail_len))
    # 月入过万 / 月薪过万 / 轻松过万
    for m in re.finditer(rf"(?:月入|月薪|工资|收入|轻松|稳定)\s*(?:过|破|上)\s*(?P<a>{NUM}|万)", t):
        val = parse_amount(m.group("a")) if m.group("a") != "万" else 10000.0
        if val:
            out.append(_Amount("monthly_total", val, None, True, False, m.start(), m.group()))
    return out


# ---------------------------------------------------------------- field extractors


def _normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    t = t.replace("～", "~").replace("〜", "~").replace("—", "-").replace("–", "-").replace("－", "-")
    return t


def _phone(t: str) -> tuple[str | None, str]:
    m = _MOBILE.search(t)
    phone = None
    if m:
        phone = "".join(m.groups())
    else:
        m2 = _LANDLINE.search(t)
        if m2:
            phone = f"{m2.group(1)}-{m2.group(2)}"
    blanked = _LANDLINE.sub(lambda x: " " * len(x.group()), _MOBILE.sub(lambda x: " " * len(x.group()), t))
    return phone, blanked


def _hours_per_day(t: str) -> float | None:
    for m in _HOURS.finditer(t):
        h = parse_amount(m.group("h") or m.group("h2"))
        if h and 2 <= h <= 14:
            return h
    return None


def _pay(t: str, p: ParsedPosting) -> None:
    amounts = _find_amounts(t)
    hours = _hours_per_day(t) or HOURS_PER_DAY
    p.hours_per_day = _hours_per_day(t)
    piece_word = bool(re.search(r"计件|按件|件数|多劳多得.*件|件计", t))
    by_kind: dict[str, list[_Amount]] = {}
    for a in amounts:
        by_kind.setdefault(a.kind, []).append(a)
    totals = by_kind.get("monthly_total", [])
    floors = by_kind.get("monthly_floor", [])
    bases = by_kind.get("monthly_base", []) + floors

    def span(items: list[_Amount]) -> tuple[float, float | None]:
        lo = min(a.lo for a in items)
        his = [a.hi if a.hi is not None else (None if a.open_hi else a.lo) for a in items]
        if any(a.open_lo for a in items):
            lo_items = [a for a in items if not a.open_lo]
            hi = max(a.lo for a in items)
            lo = min(a.lo for a in lo_items) if lo_items else None
            return lo, hi
        hi = None if any(h is None for h in his) else max(his)
        if len(items) > 1 and any(h is None for h in his):
            hi = (
                max([h for h in his if h is not None] + [a.lo for a in items])
                if any(a.hi for a in items)
                else None
            )
        return lo, hi

    unit_kind = None
    for k in ("hourly", "daily", "piece"):
        if by_kind.get(k):
            unit_kind = k
            break
    conf = 0.9
    if unit_kind:
        p.pay_type = unit_kind
        p.pay_min, p.pay_max = span(by_kind[unit_kind])
        if unit_kind != "piece" and piece_word and not by_kind.get("piece"):
            conf = 0.7
    elif totals or bases:
        if piece_word:
            p.pay_type = "piece"
            conf = 0.75
        else:
            p.pay_type = "monthly"
            src = totals or bases
            p.pay_min, p.pay_max = span(src)
            if floors:
                p.pay_min = min(a.lo for a in floors)
            if bases and not totals:
                conf = 0.8
    elif piece_word:
        p.pay_type = "piece"
        conf = 0.7
    if p.pay_type:
        p.confidence["pay_type"] = conf
        if p.pay_min is not None or p.pay_max is not None:
            p.confidence["pay_min"] = conf if p.pay_min is not None else 0.0
            p.confidence["pay_max"] = conf if p.pay_max is not None else 0.0
    # monthly estimate
    if totals or (bases and p.pay_type in ("monthly", "piece")):
        lo, hi = span(totals or bases)
        if floors:  # 保底 is the guaranteed floor of the monthly pay
            lo = min(a.lo for a in floors)
        p.monthly_min = int(round(lo)) if lo is not None else None
        p.monthly_max = int(round(hi)) if hi is not None else None
        c = 0.9 if totals else 0.7
    elif p.pay_type in ("daily", "hourly") and (p.pay_min is not None or p.pay_max is not None):
        factor = DAYS_PER_MONTH if p.pay_type == "daily" else hours * DAYS_PER_MONTH
        p.monthly_min = int(round(p.pay_min * factor)) if p.pay_min is not None else None
        p.monthly_max = int(round(p.pay_max * factor)) if p.pay_max is not None else None
        c = 0.6
    else:
        c = 0.0
    if p.monthly_min is not None:
        p.confidence["monthly_min"] = c
    if p.monthly_max is not None:
        p.confidence["monthly_max"] = c
    if p.pay_min is not None and p.pay_max is not None and p.pay_max < p.pay_min:
        p.pay_min, p.pay_max = p.pay_max, p.pay_min
    if p.monthly_min is not None and p.monthly_max is not None and p.monthly_max < p.monthly_min:
        p.monthly_min, p.monthly_max = p.monthly_max, p.monthly_min
    if p.pay_type == "monthly" and p.pay_min is None and p.monthly_min is not None:
        p.pay_min = p.monthly_min
    if p.pay_type == "monthly" and p.pay_max is None and p.monthly_max is not None and p.pay_min is not None:
        p.pay_max = p.monthly_max


_SHIFT_RULES = [
    (
        "home_piecework",
        r"居家|在家(?:做|干|就能|也能|可)|带回家|拿回家|手工活外发|外发手工|家门口.{0,4}计件|宝妈.{0,6}在家",
        0.85,
    ),
    ("three_shift", r"三班倒|三班制|三班两倒|四班三倒|三班轮", 0.95),
    ("two_shift", r"两班倒|两班制|二班倒|白夜班|白夜倒|倒班|白班夜班|夜班白班|两班轮", 0.9),
    ("part_time", r"兼职|小时工|钟点工|临时|寒假工|暑假工|零工|周末班|短期工", 0.85),
    ("day", r"长白班|常白班|长白|纯白班|只上白班|不上夜班|无夜班|没有夜班", 0.9),
    ("two_shift", r"早晚班|白班.{0,6}夜班|夜班", 0.7),
    ("day", r"白班|正常班|朝九晚五|8:00-17:|早八晚五", 0.8),
    ("flexible", r"弹性|时间自由|时间灵活|自由安排|灵活安排|上班时间自由|做一天算一天|随到随做", 0.8),
]


def _shift(t: str, p: ParsedPosting) -> None:
    for code, rx, conf in _SHIFT_RULES:
        if re.search(rx, t):
            p.shift = code
            p.confidence["shift"] = conf
            return


def _benefits(t: str, p: ParsedPosting) -> None:
    got: dict[str, float] = {}
    no_both = re.search(r"不包吃住|不包食宿|吃住自理|食宿自理|不提供食宿", t)
    no_board = no_both or re.search(r"不包吃|不管吃|伙食自理|吃饭自理|餐费自理|不包餐|无食堂|吃自理", t)
    no_lodging = no_both or re.search(r"不包住|不管住|住宿自理|不提供住宿|无宿舍|住自理", t)
    if re.search(
        r"包吃住|包食宿|吃住全包|食宿全包|吃住免费|免费食宿|提供食宿|管吃住|吃住全免|包吃包住|管吃管住", t
    ):
        got["board"] = got["lodging"] = 0.95
    if re.search(
        r"包吃|包三餐|包两餐|包中餐|包午餐|包餐|管饭|管吃|免费工作餐|提供工作餐|免费三餐|免费用餐|供餐|工作餐免费|伙食免费|免费吃|(?:包|管|供|提供)(?:一|两|三)?(?:中餐|午餐|晚餐|早餐|三餐|两餐|一餐|顿饭|伙食|饭)",
        t,
    ):
        got.setdefault("board", 0.9)
    if re.search(
        r"包住|管住|免费住宿|提供住宿|住宿免费|免费宿舍|提供宿舍|有宿舍|宿舍免费|员工宿舍|住宿:?免费", t
    ):
        got.setdefault("lodging", 0.85)
    if no_board:
        got.pop("board", None)
    if no_lodging:
        got.pop("lodging", None)
    if re.search(r"班车|接送|通勤车|厂车|交通车", t) and not re.search(r"无班车|没有班车|不接送", t):
        got["shuttle"] = 0.85
    m = re.search(r"五险一金|五险|六险|社保|缴纳保险|买保险|购买保险|交保险|社会保险|工伤保险", t)
    if m and not re.search(
        r"(?:不买|不交|无|没有|不缴纳?|不购买|自愿)(?:缴纳|购买)?(?:五险一金|五险|社保|保险)|社保自愿|不买保险",
        t,
    ):
        got["social_insurance"] = (
            0.9 if m.group() in ("五险一金", "五险", "六险", "社保", "社会保险") else 0.7
        )
    order = ["board", "lodging", "shuttle", "social_insurance"]
    p.benefits = [b for b in order if b in got]
    if p.benefits:
        p.confidence["benefits"] = min(got[b] for b in p.benefits)


_AGE_RANGE = re.compile(rf"(?P<a>{NUM})\s*(?:岁|周岁)?{RANGE_SEP}(?P<b>{NUM})\s*(?:岁|周岁)")
_AGE_RANGE2 = re.compile(
    rf"年龄\s*:?\s*(?:要求)?\s*:?\s*(?P<a>{NUM}){RANGE_SEP}(?P<b>{NUM})(?!\s*(?:元|块|名|人))"
)
_AGE_MAX = re.compile(
    rf"(?P<b>{NUM})\s*(?:岁|周岁)\s*(?:以下|以内|之内|内)|(?:不超过|不大于|小于|低于|未满|不超)\s*(?P<b2>{NUM})\s*(?:岁|周岁)|年龄\s*:?\s*(?P<b3>{NUM})\s*(?:岁|周岁)?\s*(?:以下|以内)"
)
_AGE_MIN = re.compile(rf"(?:年满|满)\s*(?P<a>{NUM})\s*(?:岁|周岁)|(?P<a2>{NUM})\s*(?:岁|周岁)\s*(?:以上|起)")


def _age(t: str, p: ParsedPosting) -> None:
    mins, maxs = [], []
    for rx in (_AGE_RANGE, _AGE_RANGE2):
        for m in rx.finditer(t):
            a, b = parse_amount(m.group("a")), parse_amount(m.group("b"))
            if a and b and 14 <= a < b <= 75:
                mins.append(int(a))
                maxs.append(int(b))
    for m in _AGE_MAX.finditer(t):
        b = parse_amount(m.group("b") or m.group("b2") or m.group("b3"))
        if b and 16 <= b <= 75:
            maxs.append(int(b))
    for m in _AGE_MIN.finditer(t):
        a = parse_amount(m.group("a") or m.group("a2"))
        if a and 14 <= a <= 70:
            mins.append(int(a))
    if mins:
        p.age_min = min(mins)
        p.confidence["age_min"] = 0.9
    if maxs:
        p.age_max = max(maxs)
        p.confidence["age_max"] = 0.9 if len(set(maxs)) == 1 else 0.7


_HEADCOUNT = re.compile(rf"(?P<n>{NUM})\s*(?:名|人|位)(?!民|员工|以下|以内|次|工资|份|力|事|岁)")
_HEADCOUNT_PREFIX = re.compile(
    rf"(?:招聘?|急招|诚聘|需要|需|缺|名额|人数|招工人数)\s*:?\s*(?:人数)?\s*:?\s*(?P<n>{NUM})\s*(?:名|人|位|个)?"
)


def _headcount(t: str, p: ParsedPosting) -> None:
    found = []
    for m in _HEADCOUNT.finditer(t):
        before = t[max(0, m.start() - 6) : m.start()]
        if re.search(r"(?:满|超过|每|共|工作|上班|年龄)\s*$", before) or re.search(
            r"岁", t[m.end() : m.end() + 1]
        ):
            continue
        n = parse_amount(m.group("n"))
        if n and 1 <= n <= 5000 and float(n).is_integer():
            found.append((m.start(), int(n)))
    if not found:
        for m in _HEADCOUNT_PREFIX.finditer(t):
            n = parse_amount(m.group("n"))
            after = t[m.end() : m.end() + 2]
            if (
                n
                and 1 <= n <= 5000
                and float(n).is_integer()
                and not re.match(r"\s*(?:岁|元|块|k|天|小时|月)", after)
            ):
                found.append((m.start(), int(n)))
    if found:
        if len(found) == 1:
            p.headcount, c = found[0][1], 0.9
        else:
            p.headcount, c = sum(n for _, n in found), 0.6
        p.confidence["headcount"] = c


_GENERIC_JOB = re.compile(
    r"(?:招|需要|要|缺)?\s*([\u4e00-\u9fff]{1,5}?(?:工人|师傅|司机|骑手|阿姨|工|员|师))\s*"
    r"(?:\d+|[一二两三四五六七八九十]+)\s*[名人位个]"
)


def _title_and_occupation(t: str, p: ParsedPosting) -> None:
    keywords = _occupation_keywords()
    rx, table = _occupation_regex()
    hits = [(s, e, *table[w]) for s, e, w in rx.finditer(t)]
    title = None
    tconf = 0.0
    m = re.search(
        r"(?:急招|急聘|诚聘|高薪招聘|高薪诚聘|招聘|聘请|招)\s*[:：]?\s*(?:岗位\s*[:：]?)?\s*([\u4e00-\u9fffA-Za-z]{2,12}?)(?=\s*\d|\s*[一二两三四五六七八九十]+\s*[名人位]|若干|数名|[,，。;；!！\s(（]|$)",
        t,
    )
    hm = re.search(r"(?:岗位|职位|工种)\s*(?:名称)?\s*[:：]\s*([\u4e00-\u9fffA-Za-z]{2,12})", t)
    if hm:
        title, tconf = hm.group(1), 0.9
    elif m and (
        re.search(r"[工员师机姨保嫂徒手管]$", m.group(1)) or any(m.group(1).endswith(h[2]) for h in hits)
    ):
        title, tconf = m.group(1), 0.85
    elif hits:
        s, e, kw, *_ = hits[0]
        pre = re.search(
            r"(电子厂|服装厂|制衣厂|鞋厂|食品厂|玩具厂|家具厂|工厂|工地|仓库|餐厅|饭店|酒店|食堂|超市|物流|快递|SMT|smt|车间|门店)$",
            t[max(0, s - 4) : s],
        )
        title, tconf = ((pre.group(1) if pre else "") + kw), 0.75
    else:
        g = _GENERIC_JOB.search(t)
        if g:
            title, tconf = g.group(1), 0.6
    if title:
        title = re.sub(r"^(?:若干|大量|长期|常年|一批|多名|熟练|熟手|有经验的?)", "", title)
        title = re.sub(r"(?:若干|数名|多名|一批)$", "", title)
    if title:
        p.title = title
        p.confidence["title"] = tconf
    # occupation: the keyword inside the title first, else the first keyword hit
    cand = None
    if title:
        for kw, code, name, conf in keywords:
            if kw.lower() in title.lower():
                cand = (kw, code, name, conf)
                break
    if cand is None and hits:
        s, e, kw, code, name, conf = hits[0]
        cand = (kw, code, name, conf)
    if cand:
        kw, code, name, conf = cand
        if (
            code is None
            and kw in ("普工", "操作工", "流水线工人", "装配工")
            and re.search(r"电子厂|电子公司|电子有限|SMT|smt|插件|线路板|电子元件", t)
        ):
            code, name, conf = "6-25-04-07", "电子设备装接工", 0.6
        if kw == "车工" and re.search(r"服装|服饰|制衣|缝纫|车位|鞋|箱包|针织|成衣", t):
            code, name, conf = "6-05-01-03", "缝纫工", 0.75  # 车工 in a garment shop is a sewing operator
        if code:
            p.occupation_code = code
            p.occupation_name = name
            p.confidence["occupation_code"] = conf


def _township(t: str, p: ParsedPosting, places: tuple[tuple[str, str, str, float], ...]) -> None:
    best = None
    villages: dict[str, str] = {}
    rx, table = _place_regex(places)
    if rx is None:
        return
    for i, _, pat in rx.finditer(t):
        town, village, conf = table[pat]
        if village:
            villages.setdefault(town, village)
        # prefer higher confidence, then earlier mention of a work place ("工作地点")
        near_work = bool(re.search(r"(?:地点|地址|位于|在|厂址)\s*[:：]?\s*\S{0,8}$", t[max(0, i - 12) : i]))
        score = conf + (0.05 if near_work else 0.0)
        if best is None or score > best[0]:
            best = (score, town, village, conf)
    if best:
        p.township = best[1]
        p.village = best[2] or villages.get(best[1])
        p.confidence["township"] = min(1.0, best[3])


_FLAG_RULES: list[tuple[str, str, float]] = [
    (
        "gender_restriction",
        r"限男|限女|只招男|只招女|只要男|只要女|仅限男|仅限女|仅招男|仅招女|男性优先|女性优先|男士优先|女士优先|男生优先|女生优先|男工优先|女工优先|"
        r"性别\s*[:：]?\s*(?:要求)?\s*[:：]?\s*[男女](?!女|男)|要求(?:男|女)性|(?:招|需要?|急招|限招)\s*(?:男工|女工)|(?:男工|女工)\s*\d+\s*[名人]|(?:男|女)(?:性)?\s*(?:\d+|[一二两三四五六七八九十]+)\s*名|"
        r"[,，、;；\s](?:限|要求)?(?:女性|男性)(?:员工)?[,，。;；\s]|不招女|不招男|不要女|不要男|女性勿扰|男性勿扰|已婚已育|未婚",
        0.85,
    ),
    (
        "ethnicity_restriction",
        r"限汉族|只招汉族|仅限汉族|汉族优先|不招(?:少数民族|新疆|藏族|回族|维族|彝族)|少数民族勿|(?:新疆|藏族|回族|维族|彝族)人?(?:勿扰|不要|免谈)|非汉族",
        0.9,
    ),
    (
        "region_restriction",
        r"不要\S{1,4}?(?:人|籍)(?![员工])|不招\S{1,4}?(?:人|籍)(?![员工])|\S{2,4}(?:人|籍)勿扰|(?:限|只招|只要|仅限)(?:本地|本县|本市|瑞金|当地)(?:人|户籍)?|"
        r"本地人优先|本地户籍优先|外地人勿|外省人勿|(?:河南|四川|贵州|湖南|广西|云南|安徽|湖北)人?(?:勿扰|免谈|不要)",
        0.85,
    ),
    (
        "fee_required",
        r"押金|报名费|体检费?(?:自理|自费|自付|员工承担|个人承担)|体检自费|服装费|工衣费|工服费|培训费|中介费|介绍费|保证金|资料费|办卡费|"
        r"先交\S{0,4}(?:费|元|钱)|交\d+元|入职费|手续费",
        0.9,
    ),
]
_FEE_NEGATION = re.compile(
    r"(?:无|不收|免|不交|没有|零|不需|无需|不用|拒绝|不要|严禁|不收取任何|不收任何)\s*(?:任何)?\s*(?:费用\S{0,2})?$"
)


def _flags(t: str, p: ParsedPosting, min_monthly: float, min_hourly: float) -> None:
    flags: dict[str, float] = {}
    for code, rx, conf in _FLAG_RULES:
        for m in re.finditer(rx, t):
            if code == "fee_required":
                before = t[max(0, m.start() - 8) : m.start()]
                after = t[m.end() : m.end() + 4]
                if _FEE_NEGATION.search(before) or re.match(
                    r"\s*(?:全免|免费|由公司|公司承担|报销|退还|全额报销|返还)", after
                ):
                    continue
                if re.search(r"押金", m.group()) and re.search(r"(?:无|免|不收|没有|零)\s*$", before):
                    continue
            if code == "region_restriction" and re.search(r"本地人优先", m.group()):
                conf = 0.6
            flags[code] = conf
            break
    # below minimum wage
    below = False
    if p.pay_type == "hourly" and p.pay_min is not None and p.pay_min < min_hourly:
        below = True
    elif p.pay_type == "daily" and p.pay_min is not None:
        hours = p.hours_per_day or HOURS_PER_DAY
        below = p.pay_min / hours < min_hourly
    if (
        p.monthly_min is not None
        and p.monthly_min < min_monthly
        and p.pay_type != "daily"
        and p.shift not in ("part_time",)
    ):
        below = True
    if (
        p.pay_type == "monthly"
        and p.pay_min is not None
        and p.pay_min < min_monthly
        and p.shift != "part_time"
    ):
        below = True
    if below:
        flags["below_minimum_wage"] = 0.8
    order = [
        "gender_restriction",
        "ethnicity_restriction",
        "region_restriction",
        "fee_required",
        "below_minimum_wage",
    ]
    p.flags = [f for f in order if f in flags]
    if p.flags:
        p.confidence["flags"] = min(flags[f] for f in p.flags)


def parse_posting(
    text: str,
    *,
    places: Iterable[str] | None = None,
    minimum_wage_monthly: float = MINIMUM_WAGE_MONTHLY,
    minimum_wage_hourly: float = MINIMUM_WAGE_HOURLY,
) -> ParsedPosting:
    """Parse one job ad. ``places``: township names to recognise (default: Ruijin's townships and villages).

    The default minimum wage is Ruijin's (MINIMUM_WAGE_MONTHLY CNY/month, MINIMUM_WAGE_HOURLY CNY/hour).
    """
    p = ParsedPosting()
    t = _normalize(text)
    p.phone, body = _phone(t)
    if p.phone:
        p.confidence["phone"] = 0.95 if len(p.phone) == 11 else 0.9
    place_table = _places_from(places) if places is not None else _default_places()
    _title_and_occupation(body, p)
    _pay(body, p)
    _shift(body, p)
    _benefits(body, p)
    _age(body, p)
    _headcount(body, p)
    _township(body, p, place_table)
    _flags(body, p, minimum_wage_monthly, minimum_wage_hourly)
    return p


# ---------------------------------------------------------------- several jobs in one text

_MARKER = re.compile(
    r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,2}\s*[、.．)）]|[①②③④⑤⑥⑦⑧⑨⑩]|岗位\s*[一二三四五六七八九十\d]{1,2}\s*[:：、]?|【[^】]{2,12}】\s*(?=\S))"
)
_JOBWORD = re.compile(r"[\u4e00-\u9fff]{0,6}(?:工|员|师|司机|保姆|月嫂|阿姨|学徒)")
_FOOTER = re.compile(
    r"^\s*(?:联系|电话|手机|微信|地址|工作地点|地点|面试|报名|咨询|公司地址|厂址|有意者|欢迎)"
)


def _has_job_and_terms(section: str) -> bool:
    """A section is a job of its own if it names a job (a known job word, or "<words>工/员/师" next to a count
    or after 招) and states a count or pay — a numbered list of requirements or benefits is not."""
    # drop the item number (not a 【job】 header, which names the job)
    body = re.sub(
        r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,2}\s*[、.．)）]|[①②③④⑤⑥⑦⑧⑨⑩]|岗位\s*[一二三四五六七八九十\d]{1,2}\s*[:：、]?)",
        "",
        section,
        count=1,
    )
    rx, _ = _occupation_regex()
    named = next(iter(rx.finditer(body)), None) is not None or bool(
        _GENERIC_JOB.search(body) or re.search(r"(?:招|聘)[\u4e00-\u9fff]{0,5}(?:工|员|师|司机)", body)
    )
    terms = bool(
        re.search(
            r"(?:\d+|[一二两三四五六七八九十]+)\s*[名人位]|\d{2,}\s*(?:元|块|k|/)|(?:薪|工资|月入|日结|时薪|计件)\D{0,4}\d|"
            r"[一二两三四五六七八九]+[千万百]|计件|若干",
            body,
        )
    )
    return named and terms


def split_ads(text: str) -> list[str]:
    """Cut ``text`` into one text per job. Lines holding only ``---`` always separate ads. Inside an ad, numbered
    items (1、 / 一、 / ① / 岗位一：/ 【普工】) or sentences each starting with 招/急招 that name different jobs
    become separate ads; lines before the first item (company, benefits for all) and contact/address lines after
    the items are copied into each part. A text with one job comes back unchanged (stripped)."""
    out: list[str] = []
    for chunk in re.split(r"(?m)^\s*---\s*$", text or ""):
        chunk = chunk.strip()
        if chunk:
            out.extend(_split_one(chunk))
    return out


def _split_one(chunk: str) -> list[str]:
    lines = chunk.splitlines()
    starts = [i for i, line in enumerate(lines) if _MARKER.match(line)]
    if len(starts) >= 2:
        header = lines[: starts[0]]
        sections = []
        for j, s in enumerate(starts):
            e = starts[j + 1] if j + 1 < len(starts) else len(lines)
            sections.append(lines[s:e])
        # footer: trailing lines of the last section that are contact / address / shared info
        last = sections[-1]
        k = len(last)
        while k > 1 and (
            _FOOTER.match(last[k - 1]) or _MOBILE.search(_normalize(last[k - 1])) or not last[k - 1].strip()
        ):
            k -= 1
        footer = last[k:]
        sections[-1] = last[:k]
        if all(_has_job_and_terms("\n".join(s)) for s in sections):
            return ["\n".join(header + s + footer).strip() for s in sections]
    # one line/paragraph with several "招X..." sentences
    parts = re.split(r"(?<=[;；。])\s*(?=(?:急招|招聘|诚聘|招)[\u4e00-\u9fff]{1,8}?(?:工|员|师|司机))", chunk)
    parts = [x for x in parts if x.strip()]
    if len(parts) >= 2:
        jobs = [_JOBWORD.search(x) for x in parts]
        if (
            all(jobs)
            and len({j.group() for j in jobs}) == len(jobs)
            and all(_has_job_and_terms(x) for x in parts)
        ):
            # sentences after the last job's own sentence (benefits, address, phone) are shared by all jobs
            last_sentences = re.split(r"(?<=[。\n])", parts[-1])
            own, shared = last_sentences[0], "".join(last_sentences[1:]).strip()
            parts[-1] = own
            return [(x.strip() + ("\n" + shared if shared else "")).strip() for x in parts]
    return [chunk]


def parse_postings(text: str, **kwargs) -> list[ParsedPosting]:
    """``split_ads`` then ``parse_posting`` on each part."""
    return [parse_posting(part, **kwargs) for part in split_ads(text)]
