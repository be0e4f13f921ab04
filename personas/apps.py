from django.apps import AppConfig


class PersonasConfig(AppConfig):
    name = "personas"
    verbose_name = "Personas and delivery units"

    def ready(self):
        from cms.roles import register_model_permissions

        from .permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER

        # Product owners change stories (only their own unit's: see personas.backlog.can_edit_story)
        # and read the evidence; editors and the web team read stories. Residents get nothing.
        register_model_permissions(
            PRODUCT_OWNER,
            "personas.view_userstory",
            "personas.add_userstory",
            "personas.change_userstory",
            "personas.view_pagefeedback",
            "personas.view_demandrecord",
        )
        register_model_permissions(DELIVERY_UNIT_EDITOR, "personas.view_userstory")
        register_model_permissions(
            CENTRAL_WEB_TEAM,
            "personas.view_userstory",
            "personas.view_pagefeedback",
            "personas.view_demandrecord",
        )
