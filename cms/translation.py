"""One translation workflow for everything residents read: wagtail-localize.

Pages (home, persona pages, journeys, information pages), personas and forms are all
``TranslatableMixin`` models, so editors translate them the same way: "Translate" in the admin
makes a wagtail-localize ``TranslationSource`` (the English text, split into segments) and a
``Translation`` per language, and translators fill in the strings. This module adds the two
things Signpost needs on top:

- ``translation_status(obj)``: for each language, is the translation "up to date", has the
  English "source changed" since it was translated, or is it "missing"? Editors see it in the
  admin report (``cms/wagtail_hooks`` can list it) and the tests pin it down.
- ``translate(obj, locale, strings)``: the same machinery driven from code, for the demo content
  (``cms/demo_translations.py``) and for tests: strings come from a ``{English: translation}``
  dictionary, like a gettext catalogue.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, Locale, Page, RevisionMixin, TranslatableMixin
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

UP_TO_DATE = "up to date"
SOURCE_CHANGED = "source changed"
MISSING = "missing"

# The last part of a segment's path that holds a machine value, not words for residents:
# page slugs, form question names, option values and show-if conditions. They keep the
# English value in every language so URLs, answers and conditions work the same everywhere.
TECHNICAL_KEYS = {"slug", "name", "value", "field", "reference_prefix"}


def is_technical(path):
    return path.rsplit(".", 1)[-1] in TECHNICAL_KEYS


def _specific(obj):
    return obj.specific if isinstance(obj, Page) else obj


def _source_record(obj):
    """The wagtail-localize source for this object, if it has ever been translated that way."""
    return (
        TranslationSource.objects.filter(object_id=obj.translation_key)
        .select_related("locale")
        .order_by("created_at")
        .first()
    )


def source_text_changed(source):
    """True when the English text no longer matches what translators were given.

    Compares the strings wagtail-localize would extract from the object now with the strings
    stored when the source was last synced, so a save that changes no words (a new revision,
    a changed review date) does not mark every translation out of date.
    """
    instance = source.get_source_instance()
    try:
        current = {
            (segment.path, segment.string.data)
            for segment in extract_segments(instance)
            if isinstance(segment, StringSegmentValue)
        }
    except TypeError:
        # A block without an id (content rewritten in code): its strings cannot be matched.
        return True
    stored = set(
        StringSegment.objects.filter(source=source).values_list("context__path", "string__data")
    )
    return current != stored


def _untracked_status(original, translated):
    """A translation made outside wagtail-localize (copied and edited by hand): compare revisions."""
    if (
        isinstance(original, RevisionMixin)
        and original.latest_revision_id
        and translated.latest_revision_id
    ):
        if original.latest_revision.created_at > translated.latest_revision.created_at:
            return SOURCE_CHANGED
    return UP_TO_DATE


def _as_json(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def ensure_block_ids(obj):
    """Give every block in ``obj``'s StreamFields an id, saving (and publishing) once if any lacked one.

    wagtail-localize names each translated string by the ids of the blocks it sits in; content
    built in code (the demo forms) can have nested blocks without ids, which it cannot follow.
    """
    changed = False
    for field in obj._meta.get_fields():
        if isinstance(field, StreamField):
            value = getattr(obj, field.name)
            stored = _as_json(list(value.raw_data))
            # Reading every block makes get_prep_value() write each one out in full, with an id
            # for every block and list item; saving that makes the ids stick.
            list(value)
            prepared = _as_json(field.get_prep_value(value))
            if stored != prepared:
                setattr(obj, field.name, prepared)
                changed = True
    if changed:
        obj.save()
        if isinstance(obj, RevisionMixin):
            revision = obj.save_revision()
            if isinstance(obj, DraftStateMixin | Page) and obj.live:
                revision.publish()
    return changed


def translation_status(obj):
    """``{language code: "up to date" | "source changed" | "missing"}`` for every other language.

    ``obj`` may be the English original or any of its translations.
    """
    obj = _specific(obj)
    source = _source_record(obj)
    source_locale = source.locale if source else Locale.get_default()
    original = _specific(obj.get_translation_or_none(source_locale) or obj)
    translations = {t.locale_id: _specific(t) for t in original.get_translations(inclusive=False)}
    changed = source is not None and source_text_changed(source)

    status = {}
    for locale in Locale.objects.exclude(pk=source_locale.pk).order_by("language_code"):
        translated = translations.get(locale.pk)
        if translated is None:
            status[locale.language_code] = MISSING
        elif (
            source is None
            or not Translation.objects.filter(source=source, target_locale=locale).exists()
        ):
            status[locale.language_code] = _untracked_status(original, translated)
        else:
            last_saved = (
                TranslationLog.objects.filter(source=source, locale=locale)
                .order_by("-created_at")
                .first()
            )
            stale = changed or last_saved is None or last_saved.created_at < source.last_updated_at
            status[locale.language_code] = SOURCE_CHANGED if stale else UP_TO_DATE
    return status


def localise_relations(translated):
    """Point many-to-many links to translatable things (a journey's personas) at this language's
    versions. wagtail-localize copies many-to-many fields unchanged, which would leave a Polish
    journey listed under the English personas only."""
    changed = False
    for field in translated._meta.get_fields():
        if not isinstance(field, models.ManyToManyField):
            continue
        related = field.related_model
        if not issubclass(related, TranslatableMixin) or issubclass(related, Page):
            continue
        current = list(getattr(translated, field.name).all())
        wanted = []
        for item in current:
            local = (
                item.get_translation_or_none(translated.locale)
                if item.locale_id != translated.locale_id
                else item
            )
            wanted.append(local or item)
        if [i.pk for i in wanted] != [i.pk for i in current]:
            getattr(translated, field.name).set(wanted)
            changed = True
    if changed and isinstance(translated, Page):
        translated.save_revision().publish()
    elif changed:
        translated.save()
    return changed


def translate(obj, locale, strings, user=None, *, known_out_of_date=False):
    """Create or refresh ``obj``'s translation into ``locale`` with wagtail-localize.

    ``strings`` maps English text (each segment as wagtail-localize splits it: a field, a block
    value, a paragraph of rich text) to its translation. Technical values keep their English
    value; any other string missing from ``strings`` falls back to English, as in the admin.
    Returns the translated object. Does nothing if the translation is already up to date
    (``known_out_of_date``: the caller has just read ``translation_status`` and it is not).
    """
    obj = _specific(obj)
    if isinstance(locale, str):
        locale = Locale.objects.get(language_code=locale)
    if not known_out_of_date and translation_status(obj).get(locale.language_code) == UP_TO_DATE:
        return _specific(obj.get_translation(locale))

    with transaction.atomic():
        ensure_block_ids(obj)
        source, _created = TranslationSource.update_or_create_from_instance(obj)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            text = strings.get(segment.string.data)
            if text is None and is_technical(segment.context.path):
                text = segment.string.data
            if text is None:
                continue
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        translation.save_target(user=user, publish=True)
        translated = _specific(obj.get_translation(locale))
        # save_target publishes when the transaction commits; fix the links after that, or
        # publishing its revision would put the English personas back.
        transaction.on_commit(lambda: localise_relations(_specific(obj.get_translation(locale))))
    return translated
