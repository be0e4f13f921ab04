"""Connect other apps' events to A/B test goals, so those apps need not know about tests."""

from django.db.models.signals import post_save

from core import pagecache
from eforms.api import form_completed, form_started
from webteam.models import AbTest

from . import assignment
from .api import goal_reached


def on_form_started(sender, request, form, **kwargs):
    goal_reached(request, "start-form", form.slug)


def on_form_completed(sender, request, form, submission=None, **kwargs):
    goal_reached(request, "complete-form", form.slug)


def on_test_saved(sender, instance, **kwargs):
    """A test started, stopped or changed: the page under test is rendered afresh."""
    pagecache.purge(f"page:{instance.page_id}")


def connect():
    # Which pages have a test running is kept in the shared cache (serving.pages_under_test).
    pagecache.register(AbTest, each=False)
    post_save.connect(on_test_saved, sender=AbTest, dispatch_uid="abtesting-purge-page")
    # A visitor taking part in a test is counted as they reach pages, so never served a copy.
    pagecache.bypass_cookie(assignment.VISITOR_COOKIE)
    form_started.connect(on_form_started, dispatch_uid="abtesting-form-started")
    form_completed.connect(on_form_completed, dispatch_uid="abtesting-form-completed")
