import datetime

from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "eforms"
    verbose_name = "E-forms"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from core import pagecache, privacy, scheduler
        from core.permissions import (
            CENTRAL_WEB_TEAM,
            DELIVERY_UNIT_EDITOR,
            PRODUCT_OWNER,
            TRANSLATOR,
            OwnedModelPermissionPolicy,
        )
        from core.roles import register_model_permissions

        # Registering the deploy check (the virus scanner) is importing the module.
        from . import checks  # noqa: F401
        from .models import FormDefinition
        from .privacy import SOURCE
        from .search_documents import register_documents
        from .tasks import purge_expired, scan_uploads, send_notifications

        register_documents()
        # A journey's start box shows the form: publishing it purges those pages.
        pagecache.register(FormDefinition)
        privacy.register(SOURCE)
        # Delivery-unit editors change only their own unit's forms (core.permissions).
        register_permission_policy(FormDefinition, OwnedModelPermissionPolicy(FormDefinition))
        # New messages are sent as they commit; this sweep retries those waiting out a back-off.
        scheduler.register(
            "notifications-retry", every=datetime.timedelta(minutes=1), task=send_notifications
        )
        # Files are scanned as they are stored; this sweep retries those the scanner missed.
        scheduler.register("upload-scan", every=datetime.timedelta(minutes=2), task=scan_uploads)
        scheduler.register(
            "retention-purge",
            every=datetime.timedelta(days=1),
            at=datetime.time(3, 0),
            task=purge_expired,
        )
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "eforms.add_formdefinition",
            "eforms.change_formdefinition",
            "eforms.delete_formdefinition",
            "eforms.publish_formdefinition",
            "eforms.lock_formdefinition",
            "eforms.unlock_formdefinition",
            "eforms.add_lookuplist",
            "eforms.change_lookuplist",
            "eforms.delete_lookuplist",
            "eforms.view_submission",
            "eforms.change_submission",
            "eforms.delete_submission",
            "eforms.export_submission",
            "eforms.view_submission_statistics",
        )
        # Editors see and work their own unit's submissions only (see SubmissionQuerySet.for_user).
        register_model_permissions(
            DELIVERY_UNIT_EDITOR,
            "eforms.add_formdefinition",
            "eforms.change_formdefinition",
            "eforms.view_submission",
            "eforms.change_submission",
            "eforms.export_submission",
        )
        # Translators change forms' translations only (core.permissions.is_translator_only).
        register_model_permissions(
            TRANSLATOR, "eforms.add_formdefinition", "eforms.change_formdefinition"
        )
        # Product owners see how forms perform, never what residents told us.
        register_model_permissions(PRODUCT_OWNER, "eforms.view_submission_statistics")
