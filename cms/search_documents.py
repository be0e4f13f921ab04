"""How cms pages become search documents (see search/registry.py)."""

from search.api import SearchDocument, register

from .models import ContentPage


def page_text(page, field_name):
    """The readable text of a StreamField, as Wagtail's own search would index it."""
    value = getattr(page, field_name)
    return " ".join(str(text) for text in value.stream_block.get_searchable_content(value) if text)


def content_page_document(page):
    """A live information page as a search document; None for drafts and unpublished pages."""
    if not page.live or page.get_view_restrictions().exists():
        return None
    return SearchDocument(
        id=f"page:{page.pk}",
        kind="page",
        locale=page.locale.language_code,
        title=page.title,
        url=page.get_url() or page.url_path,
        summary=page.summary,
        body=page_text(page, "body"),
        delivery_unit=page.delivery_unit.slug if page.delivery_unit_id else "",
        last_updated=page.last_published_at,
        live=page.live,
    )


def register_documents():
    """Register cms page types with the search registry."""

    register(
        ContentPage,
        content_page_document,
        document_id=lambda page: f"page:{page.pk}",
        queryset=lambda: ContentPage.objects.live().select_related("locale", "delivery_unit"),
    )
