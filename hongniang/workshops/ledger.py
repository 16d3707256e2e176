"""Plain computations on this app's rows, shared by services and selectors (no permission, no writes): the
material balance of a share or order, the fair minimum piece rate, workers' actual earnings per hour."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce

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


def piece_rate_of(rate: Decimal | None = None):
    """The 元/件 a PieceRecord row earns, as a query expression: the rate its share's wages were computed at
    (frozen on delivery: a new trial's rate does not reach those pieces), else `rate` (default: the order's
    current piece rate, the one its not yet computed pieces will be paid at)."""
    other = F("share__order__piece_rate") if rate is None else Value(rate)
    return Coalesce(F("share__wage_rate"), other, output_field=DecimalField(max_digits=8, decimal_places=3))


def earn(rate: Decimal | None = None):
    """Pieces × the rate they earn (piece_rate_of), to Sum over PieceRecord rows."""
    return ExpressionWrapper(F("pieces") * piece_rate_of(rate), output_field=DecimalField(max_digits=16, decimal_places=3))


#: what a PieceRecord row earns at the rates that apply to it (already computed pieces at their own rate)
EARN = earn()


@dataclass
class WorkerPieces:
    """One worker's pieces on an order: what the pieces whose wages are computed earned (at their own rate),
    the pieces not yet computed (they earn the order's rate, whatever it becomes) and all the hours."""
    computed_earn: Decimal
    open_pieces: int
    hours: Decimal

    def hourly(self, rate: Decimal, *, exact: bool = False) -> Decimal:
        value = (self.computed_earn + self.open_pieces * rate) / self.hours
        return value if exact else money(value)


def worker_pieces(order) -> dict[int, WorkerPieces]:
    computed = Q(share__wage_rate__isnull=False)
    rows = (PieceRecord.objects.filter(share__order=order).values("worker_id")
            .annotate(e=Sum(F("pieces") * F("share__wage_rate"), filter=computed,
                            output_field=DecimalField(max_digits=16, decimal_places=3)),
                      p=Sum("pieces", filter=~computed), h=Sum("hours")).order_by())
    return {r["worker_id"]: WorkerPieces(Decimal(r["e"] or 0), r["p"] or 0, Decimal(r["h"])) for r in rows if r["h"]}


def worker_hourly(order, *, rate: Decimal | None = None) -> dict[int, Decimal]:
    """Each worker's actual 元/h on an order: what their pieces earn over the hours recorded. Pieces whose wages
    are computed keep the rate they were computed at; the others earn `rate` (another piece rate than the
    order's, e.g. the one a new trial proposes) or the order's."""
    rate = order.piece_rate if rate is None else rate
    return {wid: w.hourly(rate) for wid, w in worker_pieces(order).items()}


def median_hourly(order, *, rate: Decimal | None = None) -> Decimal | None:
    values = sorted(worker_hourly(order, rate=rate).values())
    return money(statistics.median(values)) if values else None


RATE_STEP = Decimal("0.001")
MAX_RATE = Decimal(10000)


def rate_for_median(order, minimum: Decimal, *, at_least: Decimal) -> Decimal | None:
    """The lowest piece rate (to a tenth of a fen, not below at_least) at which the workers' median actual 元/h on
    the order reaches `minimum` before rounding to the fen, pieces already computed kept at their own rate; None when no rate up to
    MAX_RATE does (the computed pieces alone hold the median below)."""
    workers = list(worker_pieces(order).values())
    if not workers:
        return at_least

    def ok(r: Decimal) -> bool:
        return statistics.median(sorted(w.hourly(r, exact=True) for w in workers)) >= minimum

    lo, hi = int(at_least / RATE_STEP), int(MAX_RATE / RATE_STEP)
    if ok(at_least):
        return at_least
    if not ok(hi * RATE_STEP):
        return None
    while hi - lo > 1:  # ok(hi), not ok(lo): the median only grows with the rate
        mid = (lo + hi) // 2
        if ok(mid * RATE_STEP):
            hi = mid
        else:
            lo = mid
    return hi * RATE_STEP
