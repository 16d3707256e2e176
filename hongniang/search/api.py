from ninja import Router, Schema

from .suggest import suggest

PREFIX = "/search"
router = Router(tags=["search"])


class SuggestOut(Schema):
    q: str
    suggestions: list[str]


@router.get("/suggest", response=SuggestOut, summary="搜索框自动补全（中文前缀、全拼、首字母）")
def suggest_endpoint(request, q: str = "", limit: int = 10):
    return {"q": q, "suggestions": suggest(q, limit=max(1, min(limit, 20)))}
