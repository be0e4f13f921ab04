import datetime

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    # The module holds another config (the users app's), so Django is told which is core's own.
    default = True
    name = "core"
    verbose_name = "Signpost core"

    def ready(self) -> None:
        # These modules import models (and tasks their backend): not before ready().
        from django_tasks.signals import task_finished, task_started

        from . import mfa, pagecache, scheduler, workflow_mail
        from .models import DeliveryUnit
        from .roles import ensure_roles_after_migrate
        from .tasks import nightly_backup, prune_audit_log, prune_task_results

        checks.register(mfa.check_required_roles)
        pagecache.connect()
        pagecache.register(DeliveryUnit)
        # Replaces Wagtail's sending receivers, whichever app is ready first.
        workflow_mail.connect()
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="signpost-ensure-roles")
        task_started.connect(scheduler.record_started, dispatch_uid="signpost-job-started")
        task_finished.connect(scheduler.record_finished, dispatch_uid="signpost-job-finished")
        scheduler.register(
            "task-results-prune",
            every=datetime.timedelta(days=1),
            at=datetime.time(4, 30),
            task=prune_task_results,
        )
        scheduler.register(
            "audit-prune",
            every=datetime.timedelta(days=1),
            at=datetime.time(4, 45),
            task=prune_audit_log,
        )
        # Off unless the site says where backups go: a backup folder is a decision about
        # where personal data is kept, which no default should make.
        if getattr(settings, "SIGNPOST_BACKUP_DIR", ""):
            scheduler.register(
                "backup",
                every=datetime.timedelta(days=1),
                at=datetime.time(1, 30),
                task=nightly_backup,
            )


class SignpostUsersAppConfig(WagtailUsersAppConfig):  # type: ignore[misc]
    """Wagtail's users app with the user form that sets unit membership (core/users.py)."""

    default = False
    user_viewset = "core.users.SignpostUserViewSet"
