"""Personas as residents read them: their own phrase ("intent"), never the team's short name.

A persona's ``name`` ("Cusp of care", "Report & transact") is how the council's teams talk
about it; residents never see it. Search shows persona filters through ``resident_labels``
(registered with ``search.api.register_persona_labeller`` in PersonasConfig.ready).
"""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.models import Locale

from .models import Persona


def resident_labels(slugs: Iterable[str], locale: str) -> dict[str, str]:
    """{slug: intent} in the resident's language, else the default language's."""
    wanted = set(slugs)
    if not wanted:
        return {}
    labels: dict[str, str] = {}
    default = Locale.get_default().language_code.lower()
    personas = Persona.objects.filter(slug__in=wanted).select_related("locale")
    # The default language first, so a translation overwrites it.
    for persona in sorted(personas, key=lambda p: p.locale.language_code.lower() != default):
        code = persona.locale.language_code.lower()
        if code == locale.lower() or code == default:
            labels[persona.slug] = persona.intent
    return labels
