"""Reads for seekers: lists that respect roles, choices for forms."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hongniang.catalog.models import Occupation
from hongniang.core import roles
from hongniang.geo.models import Region, RegionKind

from .models import Seeker


def visible_seekers(user, qs: QuerySet | None = None) -> QuerySet[Seeker]:
    """Seekers whose records this user may list: own profile; staff: their points' seekers; bureau: all."""
    qs = Seeker.objects.all() if qs is None else qs
    if roles.is_bureau(user):
        return qs
    points = roles.service_point_ids(user)
    own = roles.seeker_of(user)
    cond = Q(pk__in=[])
    if points:
        cond |= Q(service_point_id__in=points)
    if own is not None:
        cond |= Q(pk=own.pk)
    return qs.filter(cond)


def staff_seekers(user, q: str = "") -> QuerySet[Seeker]:
    """Seekers of the user's service points (the bureau: all), searched by name, phone, the last
    characters of the ID number or the village name. Never another point's seekers."""
    if roles.is_bureau(user):
        qs = Seeker.objects.all()
    else:
        qs = Seeker.objects.filter(service_point_id__in=roles.service_point_ids(user))
    q = (q or "").strip()
    if q:
        cond = Q(name__icontains=q) | Q(home_region__name__icontains=q) | Q(home_region__short_name__icontains=q)
        digits = q.upper().replace(" ", "")
        if digits.isdigit() and len(digits) >= 3:
            cond |= Q(phone__contains=digits)
        if 3 <= len(digits) <= 6 and (digits.isdigit() or (digits[:-1].isdigit() and digits[-1] == "X")):
            cond |= Q(id_number_masked__endswith=digits)
        qs = qs.filter(cond)
    return qs.select_related("home_region__parent", "service_point").order_by("-created_at", "-id")


def staff_seeker_or_none(user, pk: int) -> Seeker | None:
    """One seeker of the user's points (None for any other seeker: pages answer 404)."""
    return staff_seekers(user).filter(pk=pk).first()


def townships():
    return Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code")


def villages(township_code: str | None = None):
    qs = Region.objects.filter(kind=RegionKind.VILLAGE).select_related("parent").order_by("code")
    if township_code:
        qs = qs.filter(parent_id=township_code)
    return qs


def village_choices(township_code: str | None = None) -> list:
    """Grouped choices (township → villages) for a select; a township itself is a valid answer too."""
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for v in villages(township_code):
        groups.setdefault(v.parent_id, []).append((v.code, v.short_name or v.name))
        names[v.parent_id] = v.parent.name if v.parent else ""
    return [(names[t], items) for t, items in groups.items()]


def occupation_choices() -> list[tuple[str, str]]:
    return [(o.code, str(o)) for o in Occupation.objects.filter(common=True).order_by("common_label", "code")]


def occupation_labels(codes) -> dict[str, str]:
    return {o.code: str(o) for o in Occupation.objects.filter(code__in=list(codes or []))}


def occupation_names(codes) -> list[str]:
    """The names of occupation codes, in order (unknown codes as they are)."""
    labels = occupation_labels(codes)
    return [labels.get(c, c) for c in codes or []]


def id_number_conflicts(user):
    """The self-entered profiles of the user's open ID-number conflicts (id_number_conflict_pairs)."""
    return Seeker.objects.filter(pk__in=[p.drop.pk for p in id_number_conflict_pairs(user)])


@dataclass(frozen=True)
class IdConflict:
    """Two profiles with the same ID number: `keep` holds it (registered by staff, or the older self-entered
    one), `drop` typed it themselves (a claim). `keep_registered` says whether staff saw the ID card for `keep`."""

    keep: Seeker
    drop: Seeker

    @property
    def keep_registered(self) -> bool:
        return bool(self.keep.id_number_hash)

    @property
    def same_name(self) -> bool:
        return self.keep.name.strip() == self.drop.name.strip()

    @property
    def same_phone(self) -> bool:
        return self.keep.phone == self.drop.phone


def id_number_conflict_pairs(user) -> list[IdConflict]:
    """The open ID-number conflicts this user may resolve: pairs where either profile is a seeker of the user's
    points (every pair for the bureau; nothing for anyone else). A registered number always stays with its
    holder; of two self-entered ones the older is shown as the holder. Newest conflicts first."""
    from django.db.models import Count

    if not roles.is_staff_or_bureau(user):
        return []
    claims = Seeker.objects.exclude(id_number_claim_hash="")
    registered_and_claimed = Seeker.objects.filter(
        id_number_hash__in=claims.values("id_number_claim_hash")).values_list("id_number_hash", flat=True)
    claimed_twice = (claims.order_by().values("id_number_claim_hash").annotate(n=Count("id")).filter(n__gt=1)
                     .values_list("id_number_claim_hash", flat=True))
    hashes = set(registered_and_claimed) | set(claimed_twice)
    if not hashes:
        return []
    rows = (Seeker.objects.filter(Q(id_number_hash__in=hashes) | Q(id_number_claim_hash__in=hashes))
            .select_related("service_point").order_by("created_at", "pk"))
    groups: dict[str, list[Seeker]] = {}
    for s in rows:
        groups.setdefault(s.id_number_hash or s.id_number_claim_hash, []).append(s)
    points = None if roles.is_bureau(user) else set(roles.service_point_ids(user))
    pairs = []
    for members in groups.values():
        keep = next((s for s in members if s.id_number_hash), members[0])
        for drop in members:
            if drop.pk == keep.pk or drop.id_number_hash:
                continue
            if points is None or {keep.service_point_id, drop.service_point_id} & points:
                pairs.append(IdConflict(keep=keep, drop=drop))
    pairs.sort(key=lambda p: (p.drop.created_at, p.drop.pk), reverse=True)
    return pairs


def id_number_conflict_pair(user, *, keep_id: int, drop_id: int) -> IdConflict | None:
    """One open conflict of the user's (None when it is not theirs, or no longer open)."""
    for pair in id_number_conflict_pairs(user):
        if {pair.keep.pk, pair.drop.pk} == {keep_id, drop_id}:
            return pair
    return None
