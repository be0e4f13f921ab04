"""Template tags for the web team's parts of the admin."""

from django import template
from wagtail.models import Page

from webteam.quality.editor import EditorChecks, latest_revision_checks

register = template.Library()


@register.simple_tag
def content_checks_for(page: Page | None) -> EditorChecks:
    """The checks of ``page``'s latest saved revision, for the editor's Checks panel."""
    return latest_revision_checks(page)
