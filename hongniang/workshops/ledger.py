"""Plain computations on this app's rows, shared by services and selectors (no permission, no writes): the
material balance of a share or order, the fair minimum piece rate, workers' actual earnings per hour."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.db.models import Count, Q, Sum

from hongniang.core import wages

from .models import Handover, HandoverKind, PieceRecord, Share

#: the UK "fair piece rate" rule: the rate is set so that a worker at 1/1.2 of the trial's average speed still
#: earns the hourly minimum
FAIR_RATE_FACTOR = Decimal("1.2")
MIN_TRIAL_WORKERS = 5
CENT = Decimal("0.01")


def fair_minimum_rate(trial_pieces_per_hour) -> Decimal:
    """元/件: the hourly minimum ÷ (average pieces per hour ÷ 1.2), rounded up to a tenth of a fen."""
    pph = Decimal(str(trial_pieces_per_hour))
    return (wages.minimum_hourly() * FAIR_RATE_FACTOR / pph).quantize(Decimal("0.001"), rounding=ROUND_UP)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Balance:
    out: int = 0
    back: int = 0
    reject: int = 0

    @property
    def returned(self) -> int:
        return self.back + self.reject

    @property
    def outstanding(self) -> int:
        """Material handed out and not (yet) back as goods or rejects."""
        return self.out - self.returned

    @property
    def reject_rate(self) -> Decimal | None:
        return (Decimal(self.reject) * 100 / self.returned).quantize(CENT) if self.returned else None

    def as_dict(self) -> dict:
        return {"out": self.out, "back": self.back, "reject": self.reject, "outstanding": self.outstanding,
                "reject_rate": self.reject_rate}


def _sums(qs) -> Balance:
    row = qs.aggregate(out=Sum("quantity", filter=Q(kind=HandoverKind.OUT)),
                       back=Sum("quantity", filter=Q(kind=HandoverKind.BACK)),
                       reject=Sum("quantity", filter=Q(kind=HandoverKind.REJECT)))
    return Balance(out=row["out"] or 0, back=row["back"] or 0, reject=row["reject"] or 0)


def share_balance(share: Share) -> Balance:
    return _sums(share.handovers.all())


def order_balance(order) -> Balance:
    return _sums(order.handovers.all())


def balances_by_share(share_ids) -> dict[int, Balance]:
    out: dict[int, Balance] = {}
    rows = (Handover.objects.filter(share_id__in=list(share_ids)).values("share_id", "kind")
            .annotate(q=Sum("quantity")))
    for r in rows:
        b = out.setdefault(r["share_id"], Balance())
        setattr(b, r["kind"], r["q"] or 0)
    return out


def pieces_total(share: Share, exclude_pk=None) -> int:
    qs = share.pieces.all()
    if exclude_pk:
        qs = qs.exclude(pk__in=exclude_pk)
    return qs.aggregate(n=Sum("pieces"))["n"] or 0


def worker_hourly(order, *, rate: Decimal | None = None) -> dict[int, Decimal]:
    """Each worker's actual 元/h on an order: pieces × piece rate over the hours recorded (rate: another piece
    rate than the order's, e.g. the one a new trial proposes)."""
    rate = order.piece_rate if rate is None else rate
    rows = (PieceRecord.objects.filter(share__order=order).values("worker_id")
            .annotate(p=Sum("pieces"), h=Sum("hours"), n=Count("pk")))
    return {r["worker_id"]: money(Decimal(r["p"] or 0) * rate / r["h"]) for r in rows if r["h"]}


def median_hourly(order, *, rate: Decimal | None = None) -> Decimal | None:
    values = sorted(worker_hourly(order, rate=rate).values())
    return money(statistics.median(values)) if values else None
