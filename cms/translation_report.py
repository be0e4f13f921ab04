"""The "Translations" report: every English page, persona, form and service's words, with the state
of each language ("up to date", "source changed", "missing"), so the web team sees what a
translator must look at after an English edit.

Statuses come from ``cms.translation.translation_status``; objects that have never been sent
for translation are "missing" everywhere without asking wagtail-localize, which keeps the report
quick with hundreds of services.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import TranslationSource

from core.permissions import may_read_reports

from .translation import MISSING, SOURCE_CHANGED, UP_TO_DATE, translation_status

ORDER = {SOURCE_CHANGED: 0, MISSING: 1, UP_TO_DATE: 2}
STATUS_FILTERS = {"source-changed": SOURCE_CHANGED, "missing": MISSING, "up-to-date": UP_TO_DATE}


def translatable_snippet_models():
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def _originals(default):
    """(kind, queryset of English objects, model whose rows hold translations) for each kind."""
    pages = Page.objects.filter(locale=default, depth__gt=1).order_by("path").specific()
    yield _("Page"), pages, Page
    for model in translatable_snippet_models():
        yield model._meta.verbose_name.capitalize(), model.objects.filter(locale=default), model


def translation_overview():
    """One row per English object: its kind, itself, and its status in every other language."""
    default = Locale.get_default()
    codes = list(
        Locale.objects.exclude(pk=default.pk)
        .order_by("language_code")
        .values_list("language_code", flat=True)
    )
    sourced = set(TranslationSource.objects.values_list("object_id", flat=True))
    rows = []
    for kind, originals, translations_model in _originals(default):
        translated_keys = set(
            translations_model.objects.exclude(locale=default).values_list(
                "translation_key", flat=True
            )
        )
        for obj in originals:
            if obj.translation_key in translated_keys or obj.translation_key in sourced:
                status = translation_status(obj)
            else:
                status = dict.fromkeys(codes, MISSING)
            rows.append(
                {
                    "kind": kind,
                    "object": obj,
                    "status": [(code, status.get(code, MISSING)) for code in codes],
                }
            )
    rows.sort(
        key=lambda row: (
            min((ORDER[s] for _code, s in row["status"]), default=2),
            row["kind"],
            str(row["object"]),
        )
    )
    return codes, rows


def translations_report(request):
    if not may_read_reports(request.user):
        raise PermissionDenied
    codes, rows = translation_overview()
    counts = {
        name.replace("-", "_"): sum(
            1 for row in rows if any(s == status for _c, s in row["status"])
        )
        for name, status in STATUS_FILTERS.items()
    }
    wanted = STATUS_FILTERS.get(request.GET.get("status", ""))
    if wanted:
        rows = [row for row in rows if any(s == wanted for _c, s in row["status"])]
    finder = AdminURLFinder(request.user)
    for row in rows:
        row["edit_url"] = finder.get_edit_url(row["object"])
    return render(
        request,
        "cms/admin/translations.html",
        {
            "codes": codes,
            "rows": rows,
            "counts": counts,
            "status": request.GET.get("status", ""),
            "filters": STATUS_FILTERS,
            "report_url": reverse("webteam_translations"),
        },
    )
