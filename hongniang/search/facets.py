"""Facet counts for a filtered posting queryset: by township, shift and benefit (one query each)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from hongniang.jobs.models import BENEFITS, Shift


def facet_counts(qs: QuerySet) -> dict:
    base = qs.order_by()
    townships = list(
        base.values("township__code", "township__name").annotate(n=Count("pk")).order_by("-n", "township__code")
    )
    shifts = {row["shift"]: row["n"] for row in base.values("shift").annotate(n=Count("pk"))}
    benefits = base.aggregate(**{code: Count("pk", filter=Q(**{code: True})) for code in BENEFITS})
    return {
        "township": [{"code": r["township__code"], "name": r["township__name"], "count": r["n"]} for r in townships],
        "shift": [{"code": c, "name": str(label), "count": shifts.get(c, 0)} for c, label in Shift.choices],
        "benefits": [{"code": c, "name": label, "count": benefits[c] or 0} for c, label in BENEFITS.items()],
    }
