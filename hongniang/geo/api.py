"""/api/v1/service-points and /api/v1/regions (public reference data)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from hongniang.core.errors import NotFoundError
from hongniang.core.paging import MAX_PAGE

from .models import Region, RegionKind, ServicePoint
from .schemas import RegionPage, ServicePointOut, ServicePointPage
from .views import points_queryset

PREFIX = ""
router = Router(tags=["就业之家与行政区划"])


@router.get("/service-points", response=ServicePointPage, summary="就业之家列表")
def list_points(request: HttpRequest, kind: str | None = None, township: str | None = None,
                page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=200)):
    qs = points_queryset(kind=kind, township=township)
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@router.get("/service-points/{int:point_id}", response=ServicePointOut, summary="就业之家详情")
def get_point(request: HttpRequest, point_id: int):
    row = ServicePoint.objects.select_related("region", "region__parent").filter(pk=point_id).first()
    if row is None:
        raise NotFoundError(_("找不到该就业之家"))
    return row


@router.get("/regions", response=RegionPage, summary="行政区划（县、乡镇、村）")
def list_regions(request: HttpRequest, parent: str | None = None,
                 kind: RegionKind | None = None, q: str | None = None,
                 page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(500, ge=1, le=1000)):
    qs = Region.objects.order_by("code")
    if parent:
        qs = qs.filter(parent_id=parent)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}
