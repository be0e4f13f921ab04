"""Issue 19: the search log and search feedback are kept for SEARCH_LOG_RETENTION_DAYS, then the
worker's daily job forgets them (clicks go with their search)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import scheduler
from search.models import QueryLog, SearchClick, SearchFeedback
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def searched(query: str, days_ago: int) -> QueryLog:
    log = QueryLog.objects.create(query=query, locale="en-gb", result_count=1, engine="embedded")
    QueryLog.objects.filter(pk=log.pk).update(
        searched_on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
    SearchClick.objects.create(log=log, url="/bins/", position=1)
    return log


def told_us(text: str, days_ago: int) -> SearchFeedback:
    feedback = SearchFeedback.objects.create(text=text, locale="en-gb")
    SearchFeedback.objects.filter(pk=feedback.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return feedback


@pytest.fixture
def history(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    searched("old bins", 31)
    searched("old parking", 45)
    searched("new bins", 29)
    told_us("old message", 31)
    told_us("new message", 2)


def test_the_daily_job_is_registered_with_the_worker():
    job = {job.name: job for job in scheduler.registered()}["search-log-purge"]
    assert job.task.module_path == "search.tasks.purge_search_logs"
    assert job.at == datetime.time(3, 15) and job.every == datetime.timedelta(days=1)


def test_the_worker_forgets_what_is_past_the_retention_period(history):
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    scheduler.enqueue_due(noon)  # first sight: every daily job is set for its next time of day
    assert "search-log-purge" in scheduler.enqueue_due(noon + datetime.timedelta(days=1))
    ran = run_queued_tasks()
    assert {"searches": 2, "feedback": 1} in [row.return_value for row in ran]
    assert list(QueryLog.objects.values_list("query", flat=True)) == ["new bins"]
    assert SearchClick.objects.count() == 1
    assert list(SearchFeedback.objects.values_list("text", flat=True)) == ["new message"]


def test_the_command_says_what_would_go_and_deletes_it(history):
    out = StringIO()
    call_command("search_purge_logs", "--dry-run", stdout=out)
    assert "Would delete 2 searches and 1 feedback messages older than 30 days." in out.getvalue()
    assert QueryLog.objects.count() == 3
    call_command("search_purge_logs", stdout=out)
    assert "Deleted 2 searches and 1 feedback messages" in out.getvalue()
    assert QueryLog.objects.count() == 1 and SearchFeedback.objects.count() == 1


def test_zero_keeps_everything(history, settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 0
    out = StringIO()
    call_command("search_purge_logs", stdout=out)
    assert "kept for ever" in out.getvalue()
    assert QueryLog.objects.count() == 3 and SearchFeedback.objects.count() == 2
