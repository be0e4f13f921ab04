"""How cms pages become search documents (see search/registry.py)."""

from django.db.models import prefetch_related_objects

from core.public_pages import PublicPages
from search.api import SearchDocument, register

from .models import ContentPage

# What ``content_page_document`` reads of a page (and ``PublicPages``: path and url_path).
DOCUMENT_FIELDS = (
    "id",
    "path",
    "url_path",
    "title",
    "live",
    "locale_id",
    "summary",
    "body",
    "delivery_unit_id",
    "last_published_at",
)


def page_text(page, field_name):
    """The readable text of a StreamField, as Wagtail's own search would index it."""
    value = getattr(page, field_name)
    return " ".join(str(text) for text in value.stream_block.get_searchable_content(value) if text)


def content_page_document(page, public_pages=None):
    """A live information page as a search document; None for drafts, unpublished pages and
    pages behind a view restriction."""
    if not page.live:
        return None
    public_pages = public_pages or PublicPages()
    if public_pages.is_restricted(page):
        return None
    return SearchDocument(
        id=f"page:{page.pk}",
        kind="page",
        locale=page.locale.language_code,
        title=page.title,
        url=public_pages.url(page) or page.url_path,
        summary=page.summary,
        body=page_text(page, "body"),
        delivery_unit=page.delivery_unit.slug if page.delivery_unit_id else "",
        last_updated=page.last_published_at,
        live=page.live,
    )


def content_page_documents(pages):
    """``content_page_document`` for a batch, with restrictions and site roots read once (and
    locales and units, where the caller did not select them: the outbox's changed pages)."""
    prefetch_related_objects(pages, "locale", "delivery_unit")
    public_pages = PublicPages()
    return [content_page_document(page, public_pages) for page in pages]


def register_documents():
    """Register cms page types with the search registry."""

    register(
        ContentPage,
        content_page_document,
        document_id=lambda page: f"page:{page.pk}",
        # Only the fields a document is made of; locales and units are read once a batch by
        # ``content_page_documents`` (joined here, each row made three model instances: at
        # 100,000 pages, a third of the time spent reading them).
        queryset=lambda: ContentPage.objects.live().only(*DOCUMENT_FIELDS),
        to_documents=content_page_documents,
    )
