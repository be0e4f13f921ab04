from django.apps import AppConfig


class WebteamConfig(AppConfig):
    name = "webteam"
    verbose_name = "Web team tools"

    def ready(self) -> None:
        # Inside ready(): these modules import models, which need the app registry.
        from core.permissions import CENTRAL_WEB_TEAM
        from core.roles import register_model_permissions

        from .abtesting.receivers import connect as connect_ab_test_goals

        connect_ab_test_goals()
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "webteam.add_abtest",
            "webteam.change_abtest",
            "webteam.delete_abtest",
            "webteam.add_jargonterm",
            "webteam.change_jargonterm",
            "webteam.delete_jargonterm",
        )
