from __future__ import annotations

from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    lat: float | None
    lon: float | None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_id


class RegionPage(Schema):
    items: list[RegionOut]
    count: int


class ServicePointOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region: str
    region_name: str
    township: str | None
    address: str
    lat: float | None
    lon: float | None
    opening_hours: str
    phone: str
    contact_name: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_region(obj):
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.full_name

    @staticmethod
    def resolve_township(obj):
        t = obj.region.township
        return t.code if t else None


class ServicePointPage(Schema):
    items: list[ServicePointOut]
    count: int
