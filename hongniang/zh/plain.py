"""Plain words for people who read with difficulty: distances written out as they are said.

``distance_text(25.89, 116.02, 25.92, 116.05)`` -> "离你家 5 公里". Straight-line distance (haversine), rounded
the way people say it: metres in hundreds under 1 km, whole kilometres above."""

from __future__ import annotations

import math

__all__ = ["distance_km", "distance_text", "distance_words"]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def distance_words(km: float) -> str:
    """"300 米", "3 公里": hundreds of metres under 1 km (at least 100), whole kilometres above."""
    if km < 0.95:
        return f"{max(100, int(round(km * 10)) * 100)} 米"
    return f"{max(1, round(km))} 公里"


def distance_text(lat1: float, lon1: float, lat2: float, lon2: float, *, where: str = "你家") -> str:
    """"离你家 3 公里"."""
    return f"离{where} {distance_words(distance_km(lat1, lon1, lat2, lon2))}"
