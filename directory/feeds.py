"""Reading a partner's Open Referral UK API, and pulling registered partner feeds.

``fetch_services`` walks ``/services`` page by page (``modified_after`` when given) and then
fetches each service in full, one at a time, so a large feed never sits in memory. A service
that can't be fetched is a rejected record in the report; a feed whose list can't be read at
all is ``FeedUnreadable``.

``pull`` runs one partner feed through the importer and keeps the run and its report; the
worker calls ``pull_due`` every few minutes (directory/tasks.py), so nothing here runs inside
a web request. A failed pull, or one that refused records, emails the feed's alert address.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator

import requests
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .importer import Importer
from .models import FeedRun, PartnerFeed
from .problems import queue_email

logger = logging.getLogger(__name__)

TIMEOUT = 30
MAX_PAGES = 10_000
PER_PAGE = 100


class FeedUnreadable(Exception):
    """The feed's list of services could not be read; the message says why, plainly."""


def _get_json(session: requests.Session, url: str, params: dict | None = None) -> object:
    try:
        response = session.get(url, params=params, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
    except requests.HTTPError as error:
        raise FeedUnreadable(f"{url} answered {error.response.status_code}") from None
    except requests.RequestException as error:
        raise FeedUnreadable(f"{url} could not be reached ({type(error).__name__})") from None
    except ValueError:
        raise FeedUnreadable(f"{url} did not answer with JSON") from None


def service_ids(
    base: str,
    *,
    modified_after: datetime.datetime | None = None,
    session: requests.Session | None = None,
) -> list[str]:
    """Every service id the feed lists, following its pages."""
    session = session or _session()
    base = base.rstrip("/")
    ids: list[str] = []
    params: dict[str, object] = {"per_page": PER_PAGE}
    if modified_after is not None:
        params["modified_after"] = modified_after.astimezone(datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
    for page in range(1, MAX_PAGES + 1):
        data = _get_json(session, f"{base}/services", {"page": page, **params})
        contents = data.get("contents") if isinstance(data, dict) else None
        if not isinstance(contents, list):
            raise FeedUnreadable(f"{base}/services page {page} has no list of contents")
        ids.extend(str(item["id"]) for item in contents if isinstance(item, dict) and "id" in item)
        if data.get("last_page", True) or not contents:
            break
    return ids


def fetch_services(
    base: str, ids: list[str], *, session: requests.Session | None = None
) -> Iterator[dict]:
    """Each listed service in full; one that can't be fetched comes back as a record the
    importer rejects with the reason."""
    session = session or _session()
    base = base.rstrip("/")
    for service_id in ids:
        try:
            response = session.get(f"{base}/services/{service_id}", timeout=TIMEOUT)
            response.raise_for_status()
            yield response.json()
        except (requests.RequestException, ValueError) as error:
            yield {"id": service_id, "_fetch_error": str(error)}


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    session.headers["User-Agent"] = "Signpost ORUK importer"
    return session


def due_feeds(now: datetime.datetime | None = None) -> list[PartnerFeed]:
    """Active feeds whose last pull started at least their interval ago (or never ran)."""
    now = now or timezone.now()
    feeds = PartnerFeed.objects.filter(active=True).annotate(last_started=Max("runs__started_at"))
    return [
        feed
        for feed in feeds
        if feed.last_started is None
        or now - feed.last_started >= datetime.timedelta(hours=feed.every_hours)
    ]


def pull_due(now: datetime.datetime | None = None) -> int:
    """Pull every feed that is due; how many were pulled."""
    feeds = due_feeds(now)
    for feed in feeds:
        pull(feed)
    return len(feeds)


def pull(feed: PartnerFeed) -> FeedRun:
    """Import what changed in ``feed`` since its last good pull, and keep the report."""
    run = FeedRun.objects.create(feed=feed, modified_after=feed.last_success_at)
    importer = Importer(feed=feed.label)
    try:
        ids = service_ids(feed.url, modified_after=feed.last_success_at)
        importer.import_all(fetch_services(feed.url, ids))
    except FeedUnreadable as error:
        run.status = FeedRun.Status.FAILED
        run.error = str(error)
    except Exception as error:  # the run must end as failed, and someone be told
        logger.exception("Pulling partner feed %s failed", feed.pk)
        run.status = FeedRun.Status.FAILED
        run.error = f"Signpost could not finish the pull ({type(error).__name__})"
    else:
        report = importer.report
        run.status = FeedRun.Status.SOME_REFUSED if report.rejected else FeedRun.Status.SUCCEEDED
        run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
        run.rejected = len(report.rejected)
        run.report = "\n".join(report.lines())
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        if run.status != FeedRun.Status.FAILED:
            PartnerFeed.objects.filter(pk=feed.pk).update(last_success_at=run.started_at)
            feed.last_success_at = run.started_at
        if run.status != FeedRun.Status.SUCCEEDED:
            _alert(feed, run)
    return run


def _alert(feed: PartnerFeed, run: FeedRun) -> None:
    if run.status == FeedRun.Status.FAILED:
        subject = f"The partner feed {feed.name} could not be read"
        body = (
            f"Signpost tried to pull {feed.name} ({feed.url}) at "
            f"{timezone.localtime(run.started_at):%H:%M on %d %B %Y} and could not: {run.error}.\n\n"
            "Nothing was changed. It will try again at the next scheduled pull. The run history "
            "is in the admin under Directory, Partner feeds."
        )
    else:
        subject = f"The partner feed {feed.name} had {run.rejected} records refused"
        body = (
            f"Signpost pulled {feed.name} ({feed.url}): {run.created} new, {run.updated} "
            f"changed, {run.unchanged} unchanged, {run.rejected} refused. The partner needs to "
            "correct the refused records; the reasons are below.\n\n"
            + "\n".join(line for line in run.report.splitlines() if "Rejected" in line)
        )
    queue_email(feed.alert_email, subject, body)
