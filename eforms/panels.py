"""The form editor's "Routes and conditions" panel: the saved form's logic in sentences."""

from typing import Any

from wagtail.admin.panels import Panel

from . import logic


class FormLogicPanel(Panel):
    """Every route and show-if condition of the form as last saved, one sentence each.

    Read from the saved form (the editor's lists above show unsaved changes as they are made),
    so an editor sees, without opening each page, what a resident's answer leads to.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "eforms/admin/form_logic_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict:
            context = super().get_context_data(parent_context)
            instance = self.instance
            pages = logic.read(instance.pages) if instance is not None and instance.pk else []
            steps = [
                step
                for step in logic.flow(pages)
                if step.routes or any(note for _question, note in step.questions)
            ]
            context.update(saved=bool(pages), steps=steps, problems=logic.problems(pages))
            return context
