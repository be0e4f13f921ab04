import datetime

from django.apps import AppConfig


class WebteamConfig(AppConfig):
    name = "webteam"
    verbose_name = "Web team tools"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from core import scheduler
        from core.permissions import CENTRAL_WEB_TEAM
        from core.roles import register_model_permissions

        from .abtesting.receivers import connect as connect_ab_test_goals
        from .tasks import run_content_checks, send_review_reminders

        connect_ab_test_goals()
        scheduler.register(
            "content-checks",
            every=datetime.timedelta(days=1),
            at=datetime.time(2, 0),
            task=run_content_checks,
        )
        # Weekly, counted from the first time a worker runs (a time of day needs a daily job).
        scheduler.register(
            "review-reminders", every=datetime.timedelta(days=7), task=send_review_reminders
        )
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "webteam.add_abtest",
            "webteam.change_abtest",
            "webteam.delete_abtest",
            "webteam.add_jargonterm",
            "webteam.change_jargonterm",
            "webteam.delete_jargonterm",
        )
