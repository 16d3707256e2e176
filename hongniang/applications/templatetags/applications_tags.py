from django import template

from hongniang.applications.machines import pipeline_actions as machine_pipeline_actions
from hongniang.applications.selectors import current_application

register = template.Library()


@register.simple_tag
def application_for(seeker, posting):
    """The seeker's application to the posting (one query), or None."""
    return current_application(seeker, posting)


@register.filter
def pipeline_actions(application, user) -> list[str]:
    """The pipeline buttons this user may press now, from the state machine (`a|pipeline_actions:request.user`)."""
    return machine_pipeline_actions(application, user)
