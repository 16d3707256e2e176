"""Bounds for every list endpoint's paging parameters: a page or offset past these is refused with a Chinese 422
(`page 不能大于 10000`) instead of reaching the database (SQLite cannot take an OFFSET past 2**63)."""

MAX_PAGE = 10_000
MAX_OFFSET = 1_000_000


def page_number(value, default: int = 1) -> int:
    """A page number from a query string, clamped to 1..MAX_PAGE (anything unreadable is `default`)."""
    try:
        page = int(str(value).strip()) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default
    return max(1, min(page, MAX_PAGE))
