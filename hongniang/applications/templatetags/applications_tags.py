from django import template

from hongniang.applications.selectors import current_application

register = template.Library()


@register.simple_tag
def application_for(seeker, posting):
    """The seeker's application to the posting (one query), or None."""
    return current_application(seeker, posting)
