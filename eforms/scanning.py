"""Every resident's file is checked for viruses before staff can open it.

A file is stored "waiting for a check" (``UploadedFile.WAITING``); storing it enqueues
``eforms.tasks.scan_uploads`` once the transaction commits, and the worker streams each waiting
file to ClamAV's daemon (core/clamav.py):

* no virus: ``CLEAN``, and staff may open it;
* a virus: ``INFECTED``. The file is moved out of the uploads folder into quarantine
  (``EFORMS_QUARANTINE_ROOT``), never offered again; the request's page says "This file was
  removed because it contained a virus", with when, in its history;
* clamd cannot be reached, or gives no answer: the file stays waiting (staff see "being
  checked") and the scheduler's ``upload-scan`` sweep tries again every few minutes.

No scanner set up (``CLAMAV_URL`` empty): with DEBUG on (a developer's machine, ``make demo``)
files are marked ``NOT_CHECKED`` and staff are offered them with that warning; with DEBUG off
nothing is ever offered unscanned, and ``manage.py check --deploy`` fails (eforms/checks.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import clamav
from core.background import enqueue_on_commit

from .models import UploadedFile, quarantine_storage

logger = logging.getLogger(__name__)
BATCH = 200


@dataclass(frozen=True)
class ScanRun:
    """What one run found."""

    clean: int = 0
    infected: int = 0
    waiting: int = 0
    not_checked: int = 0


def scan_waiting(limit: int = BATCH) -> ScanRun:
    """Scan files waiting for a check, oldest first, until clamd stops answering."""
    waiting = UploadedFile.objects.filter(scan_status=UploadedFile.WAITING).order_by("pk")
    if not clamav.configured():
        if settings.DEBUG:
            count = waiting.update(scan_status=UploadedFile.NOT_CHECKED, scanned_at=timezone.now())
            return ScanRun(not_checked=count)
        count = waiting.count()
        if count:
            logger.error(
                "%s uploaded files are waiting for a virus check, but no scanner is set up "
                "(CLAMAV_URL): staff cannot open them",
                count,
            )
        return ScanRun(waiting=count)
    clean = infected = 0
    for upload in waiting[:limit]:
        try:
            with upload.file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            logger.error("Uploaded file %s is missing from the uploads folder", upload.pk)
            continue
        try:
            result = clamav.scan_bytes(content)
        except clamav.ScannerUnavailable as error:
            UploadedFile.objects.filter(pk=upload.pk).update(scan_attempts=F("scan_attempts") + 1)
            left = waiting.count()
            logger.warning(
                "Virus scanner unavailable (%s): %s files wait for a check; retrying later",
                error,
                left,
            )
            return ScanRun(clean=clean, infected=infected, waiting=left)
        if result.infected:
            quarantine(upload, result.signature)
            infected += 1
        else:
            UploadedFile.objects.filter(pk=upload.pk, scan_status=UploadedFile.WAITING).update(
                scan_status=UploadedFile.CLEAN,
                scanned_at=timezone.now(),
                scan_attempts=F("scan_attempts") + 1,
            )
            clean += 1
    return ScanRun(clean=clean, infected=infected, waiting=waiting.count())


def quarantine(upload: UploadedFile, signature: str) -> None:
    """Move the file into quarantine and mark it: it is never offered again.

    The copy in quarantine is written before the row says so, and the original removed only
    after: whatever fails, the file is never both offered and infected.
    """
    storage = upload.file.storage
    name = upload.file.name
    with storage.open(name, "rb") as handle:
        content = handle.read()
    quarantined = quarantine_storage()
    if quarantined.exists(name):
        quarantined.delete(name)
    saved_as = quarantined.save(name, ContentFile(content))
    with transaction.atomic():
        UploadedFile.objects.filter(pk=upload.pk).update(
            scan_status=UploadedFile.INFECTED,
            threat=signature[:200],
            scanned_at=timezone.now(),
            scan_attempts=F("scan_attempts") + 1,
            file=saved_as,
        )
    if storage.exists(name):
        storage.delete(name)
    logger.warning("Uploaded file %s contained a virus (%s): quarantined", upload.pk, signature)


def queue_scan() -> None:
    """Ask the worker to scan newly stored files once this transaction commits."""
    enqueue_on_commit("eforms.tasks.scan_uploads")
