"""/api/v1/occupations and /api/v1/industries (public reference data)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from hongniang.core.paging import MAX_PAGE

from .models import Industry, Occupation
from .schemas import IndustryPage, OccupationPage

PREFIX = ""
router = Router(tags=["职业与行业"])


@router.get("/occupations", response=OccupationPage, summary="职业（工种）：common=true 只列县域常见工种")
def list_occupations(request: HttpRequest, common: bool | None = None, parent: str | None = None,
                     level: int | None = None, q: str | None = None,
                     page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(200, ge=1, le=500)):
    qs = Occupation.objects.order_by("code")
    if common is not None:
        qs = qs.filter(common=common)
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(common_label__icontains=q) | Q(code__startswith=q))
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@router.get("/industries", response=IndustryPage, summary="国民经济行业分类")
def list_industries(request: HttpRequest, parent: str | None = None, q: str | None = None,
                    page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(200, ge=1, le=500)):
    qs = Industry.objects.order_by("code")
    if parent:
        qs = qs.filter(parent_id=parent)
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__startswith=q.strip()))
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}
