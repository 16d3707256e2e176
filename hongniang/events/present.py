"""Plain dicts of events for the API (and the pages' JSON-free parts): one place that decides what is public."""

from __future__ import annotations

from django.urls import reverse

from .models import Event, Registration


def event_dict(event: Event, *, registered: int | None = None, booth_count: int | None = None) -> dict:
    registered = getattr(event, "registered", registered) or 0
    return {
        "id": event.pk, "kind": event.kind, "kind_label": event.get_kind_display(), "title": event.title,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "status": event.status,
        "status_label": event.get_status_display(), "place": event.place_text, "venue": event.venue,
        "address": event.address, "lat": event.lat, "lon": event.lon, "township": event.township_id,
        "township_name": event.township.name if event.township_id else None, "organiser": event.organiser_name,
        "online_url": event.online_url, "capacity": event.capacity, "registered": registered,
        "places_left": max(0, event.capacity - registered),
        "booth_count": getattr(event, "booth_count", booth_count) or 0,
        "url": reverse("events:detail", args=[event.pk]),
    }


def registration_dict(reg: Registration, *, created: bool = False) -> dict:
    return {"id": reg.pk, "event_id": reg.event_id, "code": reg.code, "status": reg.status, "bus_id": reg.bus_id,
            "bus_departs_at": reg.bus.departs_at if reg.bus_id else None,
            "qr_url": reverse("events:ticket_qr", args=[reg.event_id, reg.pk]), "created": created}
