"""schema.org JobPosting JSON-LD for a posting's page (safe to embed in a <script> element)."""

from __future__ import annotations

import datetime as dt
import json

from django.utils.html import mark_safe

from .models import PayType, Shift

UNIT_TEXT = {PayType.MONTHLY: "MONTH", PayType.DAILY: "DAY", PayType.HOURLY: "HOUR", PayType.PIECE: "PIECE"}
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _number(d):
    return int(d) if d == int(d) else float(d)


def posting_jsonld(posting, url: str = "") -> dict:
    township = posting.township.name if posting.township_id else ""
    street = "".join(x for x in (township if posting.region_id != posting.township_id else "",
                                   posting.region.name if posting.region_id else "", posting.address) if x)
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description or posting.title,
        "identifier": {"@type": "PropertyValue", "name": posting.enterprise.name, "value": str(posting.pk)},
        "datePosted": (posting.published_at or posting.created_at).date().isoformat(),
        "employmentType": "PART_TIME" if posting.shift in (Shift.PART_TIME,) else "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": posting.enterprise.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "CN",
                "addressRegion": "江西省",
                "addressLocality": "瑞金市",
                "streetAddress": street or township,
            },
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": _number(posting.pay_min),
                "maxValue": _number(posting.pay_max),
                "unitText": UNIT_TEXT[posting.pay_type],
            },
        },
        "directApply": True,
        "totalJobOpenings": posting.headcount,
        "workHours": posting.get_shift_display(),
    }
    if posting.valid_until:
        data["validThrough"] = dt.datetime.combine(posting.valid_until, dt.time(23, 59, 59)).isoformat() + "+08:00"
    if posting.lat is not None and posting.lon is not None:
        data["jobLocation"]["geo"] = {"@type": "GeoCoordinates", "latitude": posting.lat, "longitude": posting.lon}
    if posting.benefit_labels:
        data["jobBenefits"] = "、".join(posting.benefit_labels)
    if posting.occupation_id:
        data["occupationalCategory"] = f"{posting.occupation_id} {posting.occupation.name}"
    if url:
        data["url"] = url
    return data


def jsonld_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
