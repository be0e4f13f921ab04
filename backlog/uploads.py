"""Contact figures uploaded in the admin: check a CSV, preview what it would do, then import it.

A product owner changes only their own units' figures (superusers any). Importing a file of up
to ``IN_REQUEST_ROWS`` rows happens in the request: checking and bulk-writing 5,000 rows takes
about 0.6 s of processor time on SQLite (``backlog/tests/test_demand_upload.py`` measures it),
a year of figures for 80 services on five channels is 4,800 rows, and the product owner sees
the result at once. A larger file is handed to the background worker
(``backlog.tasks.import_demand_uploads``), and the page shows the result when it is done.
"""

import logging

from django.db import transaction
from django.utils import timezone

from core.background import enqueue_on_commit
from core.models import DeliveryUnit

from .demand import ImportPlan, apply_plan, decode, plan_import
from .models import DemandUpload

IN_REQUEST_ROWS = 5000
# The preview checks every row in the request (about 0.1 s of processor time per 1,000 rows):
# 1 MB is some 20,000 rows, four years of a large council's figures. Bigger files go through
# manage.py import_demand.
MAX_UPLOAD_BYTES = 1024 * 1024
TASK = "backlog.tasks.import_demand_uploads"

logger = logging.getLogger(__name__)


def can_upload(user):
    """Product owners with a delivery unit (and superusers) may import contact figures."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return (
        user.has_perm("backlog.add_demandrecord")
        and user.has_perm("backlog.change_demandrecord")
        and user.delivery_units.exists()
    )


def allowed_unit_ids(user):
    """The units whose figures ``user`` may change; None for any (superusers)."""
    if user is None:
        return set()
    if user.is_superuser:
        return None
    return set(user.delivery_units.values_list("pk", flat=True))


def units_for(user):
    ids = allowed_unit_ids(user)
    units = DeliveryUnit.objects.order_by("name")
    return units if ids is None else units.filter(pk__in=ids)


def store_upload(user, uploaded_file, default_unit=None):
    """Read an uploaded file into a DemandUpload to preview; UnreadableFile if it cannot be read."""
    text, encoding = decode(uploaded_file.read())
    upload = DemandUpload(
        file_name=uploaded_file.name[:255],
        encoding=encoding,
        content=text,
        default_unit=default_unit,
        uploaded_by=user,
    )
    plan = preview(upload)  # raises UnreadableFile for a file without the needed columns
    upload.rows = len(plan.rows)
    upload.save()
    return upload, plan


def preview(upload) -> ImportPlan:
    """What importing the upload would do now (writes nothing)."""
    return plan_import(
        upload.content,
        encoding=upload.encoding,
        allowed_unit_ids=allowed_unit_ids(upload.uploaded_by),
        default_unit=upload.default_unit,
    )


def request_import(upload):
    """Import now (small files) or hand to the worker (large ones). True when it was queued."""
    if upload.rows > IN_REQUEST_ROWS:
        claimed = DemandUpload.objects.filter(
            pk=upload.pk, status=DemandUpload.Status.PREVIEWED
        ).update(status=DemandUpload.Status.QUEUED)
        if claimed:
            enqueue_on_commit(TASK)
        return True
    run_import(upload.pk, claim_from=DemandUpload.Status.PREVIEWED)
    return False


def run_import(upload_id, claim_from):
    """Check the stored file again and write it, recording the outcome on the upload.

    The upload is claimed with one conditional UPDATE, so pressing "Import" twice (or two
    workers) imports it once.
    """
    claimed = DemandUpload.objects.filter(pk=upload_id, status=claim_from).update(
        status=DemandUpload.Status.IMPORTING
    )
    if not claimed:
        return None
    upload = DemandUpload.objects.select_related("uploaded_by", "default_unit").get(pk=upload_id)
    try:
        with transaction.atomic():
            plan = apply_plan(preview(upload))
            upload.status = DemandUpload.Status.IMPORTED
            upload.imported_at = timezone.now()
            upload.report = {
                "summary": plan.summary(),
                "rejected": [[row.number, row.reason] for row in plan.rejected],
            }
            upload.save(update_fields=["status", "imported_at", "report"])
    except Exception:  # nothing was written (one transaction); the product owner is told
        logger.exception("Importing demand upload %s failed", upload_id)
        upload.status = DemandUpload.Status.FAILED
        upload.report = {
            "error": "The figures could not be saved, perhaps because someone imported the "
            "same figures at the same moment. Nothing was changed: upload the file again."
        }
        upload.save(update_fields=["status", "report"])
    return upload


def import_waiting():
    """Import every upload waiting for the worker, oldest first; how many were imported."""
    done = 0
    waiting = DemandUpload.objects.filter(status=DemandUpload.Status.QUEUED).order_by("pk")
    for upload_id in list(waiting.values_list("pk", flat=True)):
        upload = run_import(upload_id, claim_from=DemandUpload.Status.QUEUED)
        if upload is not None and upload.status == DemandUpload.Status.IMPORTED:
            done += 1
    return done
