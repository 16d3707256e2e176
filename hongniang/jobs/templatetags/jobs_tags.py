from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """?<current filters>&page=N"""
    query = context.get("query") or ""
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.filter
def highlight(text, terms):
    """Escape `text` and wrap the searched words in <mark>."""
    from django.utils.safestring import mark_safe

    from hongniang.zh.highlight import highlight_html

    return mark_safe(highlight_html(str(text or ""), terms or []))


@register.simple_tag(takes_context=True)
def from_home(context, posting):
    """离你家 3 公里: the straight-line distance from the logged-in seeker's home to the posting, written out
    plainly ("" when either has no place). The seeker is read once per request."""
    from hongniang.core.roles import seeker_of
    from hongniang.zh.plain import distance_text

    request = context.get("request")
    if request is None or posting.lat is None or posting.lon is None:
        return ""
    if not hasattr(request, "_home_point"):
        seeker = seeker_of(getattr(request, "user", None))
        request._home_point = (seeker.lat, seeker.lon) if seeker is not None and seeker.lat is not None else None
    if request._home_point is None:
        return ""
    return distance_text(*request._home_point, posting.lat, posting.lon)
