"""What other apps may ask of journeys. Keep this small: it is journeys' public surface."""


def persona_page_urls(personas, request=None):
    """Map persona id -> URL of its live persona page (empty until persona pages exist)."""
    from .models import PersonaPage

    pages = PersonaPage.objects.live().filter(persona__in=personas).specific()
    return {page.persona_id: page.get_url(request) for page in pages}
