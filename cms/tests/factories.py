"""Factories for the site's own pages."""

import factory

from cms.models import ContentPage
from core.tests.factories import OwnedPageFactory, publish_or_keep_draft


class ContentPageFactory(OwnedPageFactory):
    """A published information page with one paragraph, owned by a new delivery unit."""

    class Meta:
        model = ContentPage

    title = factory.Sequence(lambda n: f"Content page {n}")
    summary = "A page for tests."
    body = factory.LazyFunction(lambda: [{"type": "text", "value": "<p>Some words.</p>"}])

    revision = factory.PostGeneration(publish_or_keep_draft)
