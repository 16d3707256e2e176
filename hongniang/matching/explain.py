"""Short Chinese explanations of a match ("距家 3.2 公里 · 月薪 4500–6000，高于期望 · 长白班 · 包吃住")."""

from __future__ import annotations

import datetime as dt

from .config import MatchConfig
from .types import BENEFIT_ZH, NON_FULL_TIME, SHIFT_ZH, Job, Seeker

SEP = " · "
#: said of a job far from every occupation the person named (it fills the end of a list)
OTHER_WORK = "其他可以考虑的工作"


def wage_text(job: Job) -> str:
    lo, hi = job.wage_min, job.wage_max
    if lo is not None and hi is not None and lo != hi:
        return f"月薪 {lo}–{hi}"
    if lo is not None or hi is not None:
        return f"月薪 {lo if lo is not None else hi}"
    return ""


def wage_mid(job: Job) -> float | None:
    w = [x for x in (job.wage_min, job.wage_max) if x is not None]
    return sum(w) / len(w) if w else None


def benefit_texts(benefits) -> list[str]:
    out = []
    if "board" in benefits and "lodging" in benefits:
        out.append("包吃住")
    else:
        out += [BENEFIT_ZH[b] for b in ("board", "lodging") if b in benefits]
    out += [BENEFIT_ZH[b] for b in ("shuttle", "social_insurance") if b in benefits]
    return out


def occupation_text(closeness: float) -> str:
    if closeness >= 0.999:
        return "意向工种"
    if closeness >= 0.599:
        return "相近工种"
    if closeness >= 0.299:
        return "同类工种"
    return ""


def job_reasons(
    job: Job,
    *,
    distance_km: float | None,
    relocated: bool,
    expected_wage: int | float | None,
    occupation_closeness: float | None,
    today: dt.date,
    crowded: bool = False,
    config: MatchConfig | None = None,
) -> str:
    """Why this job for this seeker, in the seeker's words. ``occupation_closeness``: None when the person named no
    occupation; 0 for a job without an occupation."""
    cfg = config or MatchConfig()
    parts = []
    if distance_km is not None:
        parts.append(f"距家 {distance_km:.1f} 公里" + ("，可住宿舍" if relocated else ""))
    wt = wage_text(job)
    if wt:
        mid = wage_mid(job)
        if job.shift not in NON_FULL_TIME and mid is not None and mid < cfg.minimum_wage_monthly:
            wt += "，低于最低工资"
        elif expected_wage:
            r = mid / expected_wage
            wt += "，高于期望" if r >= 1.1 else ("，符合期望" if r >= 0.95 else "，低于期望")
        parts.append(wt)
    if job.shift:
        parts.append(SHIFT_ZH[job.shift])
    parts += benefit_texts(job.benefits)
    if occupation_closeness is not None:
        t = occupation_text(occupation_closeness)
        if t:
            parts.append(t)
    if job.posted_on is not None and 0 <= (today - job.posted_on).days <= 3:
        parts.append("新发布")
    if crowded:
        parts.append("报名人多")
    if occupation_closeness is not None and occupation_closeness < 0.599:
        parts.append(OTHER_WORK)
    return SEP.join(parts)


def seeker_reasons(
    seeker: Seeker,
    job: Job,
    *,
    distance_km: float | None,
    relocated: bool,
    occupation_rank: int | None,
    occupation_closeness: float,
    today: dt.date,
) -> str:
    """Why this person for this job, in the employer's words."""
    parts = []
    if distance_km is not None:
        parts.append(f"距岗位 {distance_km:.1f} 公里" + ("，愿住宿舍" if relocated else ""))
    if seeker.expected_wage is not None:
        t = f"期望月薪 {seeker.expected_wage}"
        if job.wage_max is not None:
            t += "，在薪资范围内" if seeker.expected_wage <= job.wage_max else "，高于岗位薪资"
        parts.append(t)
    occ = occupation_text(occupation_closeness)
    if occ:
        parts.append(f"第{occupation_rank + 1}{occ}" if occ == "意向工种" and occupation_rank is not None else occ)
    if job.certificates:
        parts.append("持所需证书")
    if seeker.birth_year is not None and (job.age_min is not None or job.age_max is not None):
        parts.append(f"{today.year - seeker.birth_year}岁，年龄符合")
    if seeker.shifts and job.shift in seeker.shifts:
        parts.append(f"接受{SHIFT_ZH[job.shift]}")
    return SEP.join(parts)
