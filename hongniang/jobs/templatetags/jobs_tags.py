from django import template

from hongniang.core import pagecache
from hongniang.core.roles import seeker_of
from hongniang.zh.highlight import highlight_html
from hongniang.zh.plain import distance_text

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

    return mark_safe(highlight_html(str(text or ""), terms or []))


@register.simple_tag(takes_context=True)
def from_home(context, posting):
    """离你家 3 公里: the straight-line distance from the logged-in seeker's home to the posting, written out
    plainly ("" when either has no place). The seeker is read once per request."""
    request = context.get("request")
    if request is None or posting.lat is None or posting.lon is None:
        return ""
    if not hasattr(request, "_home_point"):
        seeker = seeker_of(getattr(request, "user", None))
        request._home_point = (seeker.lat, seeker.lon) if seeker is not None and seeker.lat is not None else None
    if request._home_point is None:
        return ""
    return distance_text(*request._home_point, posting.lat, posting.lon)


@register.simple_tag(takes_context=True)
def job_card(context, posting, terms=None):
    """jobs/_card.html for one posting, as `{% include %}` renders it. Without search words the card is the same
    for everyone who is as far from it (the distance is part of the key), so it is kept in the fragments cache
    (hongniang.core.pagecache.shared) per posting version, language and cache generation (an enterprise's new
    name or verification bumps it)."""
    from django.template.loader import get_template
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    template = get_template("jobs/_card.html").template

    def render() -> str:
        with context.push(p=posting, terms=terms):
            return template.render(context)

    if terms:
        return mark_safe(render())
    dist = from_home(context, posting)
    stamp = posting.updated_at.timestamp() if posting.updated_at else ""
    key = f"card:{posting.pk}:{stamp}:{get_language()}:{dist}"
    return mark_safe(pagecache.shared(key, render, ttl=600))
