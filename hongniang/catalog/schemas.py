from __future__ import annotations

from ninja import Schema


class OccupationOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    common: bool
    common_label: str
    label: str

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_id


class OccupationPage(Schema):
    items: list[OccupationOut]
    count: int


class IndustryOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None

    @staticmethod
    def resolve_parent(obj):
        return obj.parent_id


class IndustryPage(Schema):
    items: list[IndustryOut]
    count: int
