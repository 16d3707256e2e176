"""The shared pager: `{% include "core/_pager.html" %}` with `page` (a Paginator page) in the context."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, param: str = "page") -> str:
    """?<the current query, filters kept>&<param>=N."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={number}"
    query[param] = number
    return "?" + query.urlencode()
