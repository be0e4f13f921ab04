import datetime

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Signpost core"

    def ready(self) -> None:
        # These modules import models (and tasks their backend): not before ready().
        from django_tasks.signals import task_finished, task_started

        from . import scheduler
        from .roles import ensure_roles_after_migrate
        from .tasks import prune_task_results

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="signpost-ensure-roles")
        task_started.connect(scheduler.record_started, dispatch_uid="signpost-job-started")
        task_finished.connect(scheduler.record_finished, dispatch_uid="signpost-job-finished")
        scheduler.register(
            "task-results-prune",
            every=datetime.timedelta(days=1),
            at=datetime.time(4, 30),
            task=prune_task_results,
        )
