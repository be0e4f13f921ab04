"""How forms, and the page for tracking a request, become search documents (see search/registry.py)."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

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


def tracking_document_id(locale):
    return f"track:{locale.language_code}"


def tracking_document(locale):
    """The tracking page (/track/) in one language, so residents find it by searching.

    It is a view, not a page or a model of its own, so it is indexed once per site language
    (each ``Locale``): a rebuild writes one document for each, and adding a language adds one.
    Residents ask for it in many ways ("track", "progress", "check my report", "status of my
    request"); those are its questions, the field ranked like a title.
    """
    with translation.override(locale.language_code):
        return SearchDocument(
            id=tracking_document_id(locale),
            kind="page",
            locale=locale.language_code,
            title=_("Check the progress of a report or request"),
            url=reverse("eforms:track"),
            summary=_(
                "Track something you reported, applied for or asked us to do: see its status "
                "and what happens next, with the reference and email address you gave us."
            ),
            body=_(
                "Track your request. Check the status of a report, application or request. "
                "Find out what is happening and when you can expect an update."
            ),
            questions=[
                _("track my report"),
                _("check my report"),
                _("status of my request"),
                _("progress of my request"),
                _("track"),
                _("progress"),
                _("reference number"),
                # The page's address is /track/ in every language, and residents type it.
                *(["track"] if _("track") != "track" else []),
            ],
        )


def register_documents():

    register(FormDefinition, to_document, document_id=document_id, queryset=live_forms)
    register(
        Locale,
        tracking_document,
        document_id=tracking_document_id,
        queryset=lambda: Locale.objects.all(),
    )
