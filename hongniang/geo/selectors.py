"""Reads for regions and service points."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from .models import Region, RegionKind


def township_choices(empty=gettext_lazy("全部乡镇")) -> list[tuple[str, str]]:
    """The county's townships as form choices, first an empty choice labelled `empty`."""
    rows = Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code").values_list("code", "name")
    return [("", empty), *rows]
