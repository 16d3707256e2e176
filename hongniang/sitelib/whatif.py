"""What if an existing enterprise ran a shuttle bus from a township, or opened a village workshop there: how many
more people (passing the same rules) could it reach than from its existing sites?

- Shuttle: a route with stops; a person within walking distance of a stop can ride (their own commute limit no
  longer applies to the ride).
- Workshop: a small site at a point; people within reach of it by the usual rule (the smaller of the radius and
  their own maximum commute; a village workshop usually gets a small radius).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hongniang.matching.core import chord_of_km

from .model import Population, QueryError, Site, gettext_noop, unit_vectors

DEFAULT_WALK_KM = 1.0
MAX_WALK_KM = 5.0


def _chords(pop: Population, site: Site) -> np.ndarray:
    u = unit_vectors(pop.lat, pop.lon)
    s = unit_vectors([site.lat], [site.lon])[0]
    d = np.sqrt(((u - s) ** 2).sum(axis=1))
    return np.where(np.isnan(d), np.inf, d)


def reach_mask(pop: Population, site: Site, radius_km: float | None = None) -> np.ndarray:
    """People of the population within reach of one site (optionally with a smaller radius than the query's)."""
    reach = pop.reach_km if radius_km is None else np.where(np.isinf(pop.reach_km), np.inf,
                                                            np.minimum(pop.reach_km, radius_km))
    anywhere = np.isinf(reach)
    return anywhere | (_chords(pop, site) <= chord_of_km(np.where(anywhere, 0.0, reach)) * (1 + 1e-12))


def _base(pop: Population, existing: Sequence[Site]) -> np.ndarray:
    m = np.zeros(len(pop), dtype=bool)
    for s in existing:
        m |= reach_mask(pop, s)
    return m


def _figures(pop: Population, mask: np.ndarray) -> dict:
    return {"people": int(mask.sum()), "weight": float(pop.weight[mask].sum()),
            "said_yes": int(pop.said_yes[mask].sum())}


def shuttle_gain(pop: Population, existing: Sequence[Site], stops: Sequence[Site],
                 walk_km: float = DEFAULT_WALK_KM) -> dict:
    """People a shuttle route adds: within ``walk_km`` of a stop and not already in reach of an existing site."""
    if not stops:
        raise QueryError(gettext_noop("班车线路至少要有一个站点"))
    if not 0 < walk_km <= MAX_WALK_KM:
        raise QueryError(gettext_noop("步行距离必须在 0 到 %(km)s 公里之间"), km=f"{MAX_WALK_KM:g}")
    base = _base(pop, existing)
    walk = chord_of_km(walk_km) * (1 + 1e-12)
    near_any = np.zeros(len(pop), dtype=bool)
    by_stop = []
    for s in stops:
        near = _chords(pop, s) <= walk
        by_stop.append({"site_id": s.site_id, "name": s.name, **_figures(pop, near & ~base)})
        near_any |= near
    added = near_any & ~base
    return {"base": _figures(pop, base), "added": _figures(pop, added), "total": _figures(pop, base | added),
            "by_stop": by_stop, "walk_km": walk_km}


def workshop_gain(pop: Population, existing: Sequence[Site], workshop: Site, radius_km: float | None = None) -> dict:
    """People a workshop at ``workshop`` adds beyond the existing sites (``radius_km``: the workshop's own radius,
    default the query's)."""
    if radius_km is not None and not radius_km > 0:
        raise QueryError(gettext_noop("车间的通勤半径必须大于 0 公里"))
    base = _base(pop, existing)
    here = reach_mask(pop, workshop, radius_km)
    added = here & ~base
    return {"base": _figures(pop, base), "added": _figures(pop, added), "total": _figures(pop, base | added),
            "workshop": _figures(pop, here)}
