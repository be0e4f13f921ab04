"""Connect other apps' events to A/B test goals, so those apps need not know about tests."""

from eforms.api import form_completed, form_started

from .api import goal_reached


def on_form_started(sender, request, form, **kwargs):
    goal_reached(request, "start-form", form.slug)


def on_form_completed(sender, request, form, submission=None, **kwargs):
    goal_reached(request, "complete-form", form.slug)


def connect():
    form_started.connect(on_form_started, dispatch_uid="abtesting-form-started")
    form_completed.connect(on_form_completed, dispatch_uid="abtesting-form-completed")
