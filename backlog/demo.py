"""The product owners' demo backlog for Northbrook Borough Council (fictional)."""

from django.conf import settings

from .demand import import_file
from .demo_stories import load_stories
from .models import DemandRecord


def load(stdout=None):
    """Stories and 24 months of contact figures (idempotent).

    Run again after the journeys exist, so the stories link the pages that deliver them.
    """
    load_stories()
    if not DemandRecord.objects.exists():
        path = settings.BASE_DIR / "fixtures" / "demand" / "northbrook-contacts-24-months.csv"
        plan = import_file(path)
        if stdout:
            stdout.write(f"Imported {len(plan.with_action('create'))} demand figures.")
