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
