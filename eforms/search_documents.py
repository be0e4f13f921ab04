"""How forms become search documents (see search/registry.py)."""

from search.api import SearchDocument, register

from .api import start_url
from .fields import HARD_MAX_LENGTH
from .models import FormDefinition


def document_id(form):
    return f"form:{form.translation_key}:{form.locale.language_code}"


def to_document(form):

    if not form.live:
        return None
    body = []
    for spec in form.schema.questions.values():
        body.append(spec.label)
        if spec.hint:
            body.append(spec.hint)
        for child in spec.children:
            body.append(child.label)
    return SearchDocument(
        id=document_id(form),
        kind="form",
        locale=form.locale.language_code,
        title=form.title,
        url=start_url(form),
        summary=form.purpose,
        body="\n".join(body)[: HARD_MAX_LENGTH * 4],
        delivery_unit=form.delivery_unit.slug if form.delivery_unit else "",
        last_updated=form.latest_revision_created_at
        if hasattr(form, "latest_revision_created_at")
        else None,
        live=form.live,
    )


def live_forms():

    return FormDefinition.objects.filter(live=True).select_related("locale", "delivery_unit")


def register_documents():

    register(FormDefinition, to_document, document_id=document_id, queryset=live_forms)
