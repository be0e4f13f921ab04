"""The "Check your bin day" page as a search document (see search/registry.py).

The page is a view, so the words search finds it by are one ``FinderText`` row, saved by the
migration that made the table and editable in the admin; saving it re-indexes it.
"""

from django.urls import reverse
from django.utils.translation import override

from search.api import SearchDocument, register

from .models import FinderText


def finder_document(text: FinderText) -> SearchDocument:
    with override("en-gb"):  # the English address: the document says it is English
        url = reverse("bins:check")
    return SearchDocument(
        id=f"bins:{text.pk}",
        kind="page",
        locale="en-gb",
        title=text.title,
        url=url,
        summary=text.summary,
        body=text.summary,
        questions=[line.strip() for line in text.questions.splitlines() if line.strip()],
        topics=["bins", "bin day", "bin collection", "recycling", "rubbish", "waste collection"],
        delivery_unit="street-scene",
    )


def register_documents() -> None:
    register(
        FinderText,
        finder_document,
        document_id=lambda text: f"bins:{text.pk}",
        queryset=lambda: FinderText.objects.all(),
    )
