from django import template

from hongniang.applications.selectors import current_application

register = template.Library()


@register.simple_tag
def application_for(seeker, posting):
    """The seeker's application to the posting (one query), or None."""
    return current_application(seeker, posting)


@register.filter
def pipeline_actions(application) -> list[str]:
    """The pipeline actions the enterprise can take next from this application's status (no query)."""
    from hongniang.applications.services import next_actions

    return next_actions(application.status)
