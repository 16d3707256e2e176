from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """?<current filters>&page=N"""
    query = context.get("query") or ""
    return f"?{query}&page={number}" if query else f"?page={number}"
