"""Translation everywhere: one wagtail-localize workflow for journeys, persona pages, personas
and forms; Polish and Arabic served with the right lang and dir; the "source changed" state."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, TranslationLog

from cms.models import HomePage
from cms.translation import MISSING, SOURCE_CHANGED, UP_TO_DATE, translate, translation_status
from core.models import DeliveryUnit
from eforms import builders as b
from eforms.models import FormDefinition
from journeys.models import JourneyPage, PersonaPage
from personas.models import Persona

JOURNEY_URL = "/{lang}/report-and-transact/missed-bin/"

STRINGS = {
    "pl": {
        "Home": "Strona główna",
        "Report &amp; transact": "Zgłoś i zapłać",
        "Cusp of care": "Pomoc i opieka",
        "I want to report something or pay for something": "Chcę coś zgłosić lub za coś zapłacić",
        "Report a missed bin collection": "Zgłoś nieodebrane śmieci",
        "Tell us if your bin wasn't emptied.": "Daj nam znać, jeśli pojemnik nie został opróżniony.",
        "Bins and rubbish": "Śmieci i odpady",
        "Report the missed bin": "Zgłoś nieodebrany pojemnik",
        "Tell us within 2 working days.": "Zgłoś to w ciągu 2 dni roboczych.",
        "We'll empty the bin within 2 working days.": "Opróżnimy pojemnik w ciągu 2 dni roboczych.",
        "We'll collect within 2 working days": "Odbierzemy w ciągu 2 dni roboczych",
        "Report a missed bin": "Zgłoś nieodebrany pojemnik",
        "Tell us if your bin was not emptied on your collection day.": "Daj nam znać, jeśli pojemnik nie został opróżniony w dniu odbioru.",
        "Which bin was missed?": "Który pojemnik nie został opróżniony?",
        "Select which bin was missed": "Wybierz, który pojemnik nie został opróżniony",
        "General rubbish (black bin)": "Odpady zmieszane (czarny pojemnik)",
        "Recycling (blue bin)": "Recykling (niebieski pojemnik)",
    },
    "ar": {
        "Home": "الصفحة الرئيسية",
        "Report &amp; transact": "الإبلاغ والدفع",
        "Cusp of care": "الرعاية والدعم",
        "I want to report something or pay for something": "أريد الإبلاغ عن شيء أو دفع ثمن شيء",
        "Report a missed bin collection": "الإبلاغ عن صندوق نفايات لم يُجمع",
        "Tell us if your bin wasn't emptied.": "أخبرنا إذا لم يُفرغ صندوقك.",
        "Bins and rubbish": "الصناديق والنفايات",
        "Report the missed bin": "أبلغ عن الصندوق الذي لم يُجمع",
        "Tell us within 2 working days.": "أبلغنا خلال يومي عمل.",
        "We'll empty the bin within 2 working days.": "سنفرغ الصندوق خلال يومي عمل.",
        "We'll collect within 2 working days": "سنجمعه خلال يومي عمل",
        "Report a missed bin": "الإبلاغ عن صندوق لم يُجمع",
        "Tell us if your bin was not emptied on your collection day.": "أخبرنا إذا لم يُفرغ صندوقك في يوم الجمع.",
        "Which bin was missed?": "أي صندوق لم يُجمع؟",
        "Select which bin was missed": "اختر الصندوق الذي لم يُجمع",
        "General rubbish (black bin)": "النفايات العامة (الصندوق الأسود)",
        "Recycling (blue bin)": "إعادة التدوير (الصندوق الأزرق)",
    },
}


@pytest.fixture
def site(db):
    """English home, one persona page, one journey that starts one form: the least a translated
    journey needs. Built directly rather than with load_demo, which takes ~40 s."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en-gb", "pl", "ar")
    }
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home"))
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    unit = DeliveryUnit.objects.create(name="Street scene", slug="street-scene")
    english = locales["en-gb"]
    persona = Persona.objects.create(
        name="Report & transact",
        slug="report-and-transact",
        locale=english,
        intent="I want to report something or pay for something",
    )
    other = Persona.objects.create(
        name="Cusp of care", slug="cusp-of-care", locale=english, intent="I need care"
    )
    form = FormDefinition(
        title="Report a missed bin",
        slug="missed-bin-report",
        locale=english,
        delivery_unit=unit,
        purpose="Tell us if your bin was not emptied on your collection day.",
        reference_prefix="BIN",
        review_by=datetime.date(2030, 1, 1),
        pages=[
            b.page(
                "bin",
                b.q(
                    "radios",
                    "bin",
                    "Which bin was missed?",
                    error="Select which bin was missed",
                    options=b.options(
                        ("general", "General rubbish (black bin)"),
                        ("recycling", "Recycling (blue bin)"),
                    ),
                ),
            ),
        ],
    )
    form.save()
    form.save_revision().publish()
    persona_page = home.add_child(
        instance=PersonaPage(
            title="Report & transact",
            slug="report-and-transact",
            persona=persona,
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    persona_page.also_need.set([other])
    persona_page.save_revision().publish()
    journey = persona_page.add_child(
        instance=JourneyPage(
            title="Report a missed bin collection",
            slug="missed-bin",
            summary="Tell us if your bin wasn't emptied.",
            need="Bins and rubbish",
            what_happens_next="We'll empty the bin within 2 working days.",
            service_level="We'll collect within 2 working days",
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
            last_reviewed=datetime.date(2026, 11, 1),
            steps=[
                (
                    "step",
                    {
                        "title": "Report the missed bin",
                        "body": "<p>Tell us within 2 working days.</p>",
                        "logic": "and",
                        "optional": False,
                        "substeps": [],
                        "actions": [("eform", {"form": "missed-bin-report"})],
                    },
                )
            ],
        )
    )
    journey.personas.set([persona])
    journey.save_revision().publish()
    return {
        "home": home,
        "persona": persona,
        "other": other,
        "form": form,
        "persona_page": persona_page,
        "journey": journey,
        "locales": locales,
    }


def translate_site(site, capture, languages=("pl", "ar")):
    """Translate everything, in the order the demo does, publishing as the admin would on commit."""
    for code in languages:
        for key in ("home", "persona", "other", "form", "persona_page", "journey"):
            # One commit per object, as in load_demo: publishing a stale revision later would
            # undo the tree changes made since.
            with capture(execute=True):
                translate(site[key], code, STRINGS[code])


def html_tag(html):
    return re.search(r"<html[^>]*>", html).group(0)


@pytest.mark.django_db
def test_translated_journey_is_served_in_polish_and_arabic(
    site, client, django_capture_on_commit_callbacks
):
    translate_site(site, django_capture_on_commit_callbacks)

    polish = client.get(JOURNEY_URL.format(lang="pl"), HTTP_HOST="localhost")
    assert polish.status_code == 200
    html = polish.content.decode()
    assert 'lang="pl"' in html_tag(html) and 'dir="ltr"' in html_tag(html)
    assert "Zgłoś nieodebrane śmieci" in html
    assert "Zgłoś to w ciągu 2 dni roboczych." in html
    assert "1 listopada 2026" in html  # dates in the resident's language, with Polish grammar
    assert "Zgłoś nieodebrany pojemnik" in html  # the journey starts the Polish form…
    assert "/pl/forms/missed-bin-report/" in html  # …at its Polish address

    arabic = client.get(JOURNEY_URL.format(lang="ar"), HTTP_HOST="localhost")
    assert arabic.status_code == 200
    html = arabic.content.decode()
    assert 'lang="ar"' in html_tag(html) and 'dir="rtl"' in html_tag(html)
    assert "الإبلاغ عن صندوق نفايات لم يُجمع" in html
    assert "1 نوفمبر 2026" in html
    assert "/ar/forms/missed-bin-report/" in html

    # The persona page they sit under is translated and lists the journey in its language.
    persona_page = client.get("/pl/report-and-transact/", HTTP_HOST="localhost").content.decode()
    assert "Chcę coś zgłosić lub za coś zapłacić" in persona_page
    assert JOURNEY_URL.format(lang="pl") in persona_page

    # English is unchanged.
    english = client.get("/report-and-transact/missed-bin/", HTTP_HOST="localhost").content.decode()
    assert 'lang="en-gb"' in html_tag(english) and "Report a missed bin collection" in english


@pytest.mark.django_db
def test_translated_form_start_page_and_first_question(
    site, client, django_capture_on_commit_callbacks
):
    translate_site(site, django_capture_on_commit_callbacks)

    for lang, direction, title, label, option, error in [
        (
            "pl",
            "ltr",
            "Zgłoś nieodebrany pojemnik",
            "Który pojemnik nie został opróżniony?",
            "Recykling (niebieski pojemnik)",
            "Wybierz, który pojemnik nie został opróżniony",
        ),
        (
            "ar",
            "rtl",
            "الإبلاغ عن صندوق لم يُجمع",
            "أي صندوق لم يُجمع؟",
            "إعادة التدوير (الصندوق الأزرق)",
            "اختر الصندوق الذي لم يُجمع",
        ),
    ]:
        start = client.get(f"/{lang}/forms/missed-bin-report/", HTTP_HOST="localhost")
        assert start.status_code == 200
        html = start.content.decode()
        assert f'dir="{direction}"' in html_tag(html)
        assert title in html
        assert f'action="/{lang}/forms/missed-bin-report/start/"' in html

        question = client.post(
            f"/{lang}/forms/missed-bin-report/start/", HTTP_HOST="localhost", follow=True
        )
        html = question.content.decode()
        assert question.status_code == 200
        assert f'lang="{lang}"' in html_tag(html) and f'dir="{direction}"' in html_tag(html)
        assert label in html and option in html
        # Answers keep the same machine values in every language.
        assert 'value="recycling"' in html

        page_url = question.redirect_chain[-1][0]
        invalid = client.post(page_url, {}, HTTP_HOST="localhost")
        assert error in invalid.content.decode()

    polish = FormDefinition.objects.get(slug="missed-bin-report", locale__language_code="pl")
    assert polish.reference_prefix == "BIN" and polish.delivery_unit == site["form"].delivery_unit
    # Translators see the words (labels, hints, error messages), never question names or option values.
    paths = StringSegment.objects.filter(
        source__object_id=site["form"].translation_key
    ).values_list("context__path", flat=True)
    assert {path.rsplit(".", 1)[-1] for path in paths} == {
        "title",
        "purpose",
        "label",
        "error_message",
    }


@pytest.mark.django_db
def test_status_shows_when_the_english_source_changed(site, django_capture_on_commit_callbacks):
    journey = site["journey"]
    assert translation_status(journey) == {"ar": MISSING, "pl": MISSING}

    translate_site(site, django_capture_on_commit_callbacks, languages=("pl",))
    assert translation_status(journey) == {"ar": MISSING, "pl": UP_TO_DATE}
    translate_site(site, django_capture_on_commit_callbacks, languages=("ar",))
    assert translation_status(journey) == {"ar": UP_TO_DATE, "pl": UP_TO_DATE}
    polish = journey.get_translation(site["locales"]["pl"])
    assert translation_status(polish) == translation_status(journey)  # asked of either side

    # A save that changes no words leaves translations up to date…
    journey.review_by = datetime.date(2031, 1, 1)
    journey.save_revision().publish()
    assert translation_status(journey) == {"ar": UP_TO_DATE, "pl": UP_TO_DATE}

    # …changing the English words marks every language "source changed".
    journey.summary = "Tell us if your bin or your recycling wasn't emptied."
    journey.save_revision().publish()
    assert translation_status(journey) == {"ar": SOURCE_CHANGED, "pl": SOURCE_CHANGED}

    # Snippets too: the form's questions.
    form = site["form"]
    assert translation_status(form) == {"ar": UP_TO_DATE, "pl": UP_TO_DATE}
    form.purpose = "Tell us about a missed bin."
    form.save_revision().publish()
    assert translation_status(form)["pl"] == SOURCE_CHANGED

    # Translating again brings that language up to date; the other still shows the change.
    with django_capture_on_commit_callbacks(execute=True):
        translate(
            journey,
            "pl",
            {
                **STRINGS["pl"],
                "Tell us if your bin or your recycling wasn't emptied.": "Daj nam znać, jeśli pojemnik lub recykling nie zostały opróżnione.",
            },
        )
    assert translation_status(journey) == {"ar": SOURCE_CHANGED, "pl": UP_TO_DATE}
    assert "recykling" in JourneyPage.objects.get(pk=polish.pk).summary


@pytest.mark.django_db
def test_translating_again_changes_nothing(site, django_capture_on_commit_callbacks):
    translate_site(site, django_capture_on_commit_callbacks)
    revisions = {
        key: site[key].get_translation(site["locales"]["pl"]).latest_revision_id
        for key in ("persona_page", "journey", "form")
    }
    logs = TranslationLog.objects.count()

    translate_site(site, django_capture_on_commit_callbacks)

    assert TranslationLog.objects.count() == logs
    assert revisions == {
        key: site[key].get_translation(site["locales"]["pl"]).latest_revision_id
        for key in ("persona_page", "journey", "form")
    }


def test_demo_catalogues_match():
    """Every demo string has a Polish and an Arabic translation keeping the same inline markup."""
    folder = Path(settings.BASE_DIR) / "fixtures" / "translations"
    polish = json.loads((folder / "pl.json").read_text(encoding="utf-8"))
    arabic = json.loads((folder / "ar.json").read_text(encoding="utf-8"))
    assert polish.keys() == arabic.keys() and len(polish) > 200
    for english in polish:
        for translated in (polish[english], arabic[english]):
            assert translated.strip()
            for tag in ("<br/>", "<strong>", "<a "):
                assert english.count(tag) == translated.count(tag), (english, translated)


UI_CATALOGUES = Path(settings.BASE_DIR) / "locale"


@pytest.mark.django_db
def test_page_furniture_and_plurals_in_the_residents_language(
    site, client, django_capture_on_commit_callbacks, settings
):
    """The words around the content (buttons, step labels) come from the gettext catalogues,
    with each language's own plural rules: Polish has three forms, Arabic six."""
    from django.utils import translation

    assert UI_CATALOGUES in settings.LOCALE_PATHS
    translate_site(site, django_capture_on_commit_callbacks)

    polish = client.get(JOURNEY_URL.format(lang="pl"), HTTP_HOST="localhost").content.decode()
    assert "Krok 1" in polish and "Rozpocznij" in polish and "Ostatnio sprawdzono" in polish
    arabic = client.get(JOURNEY_URL.format(lang="ar"), HTTP_HOST="localhost").content.decode()
    assert "الخطوة 1" in arabic and "ابدأ الآن" in arabic

    def found(n):
        return translation.ngettext(
            "%(counter)s address found", "%(counter)s addresses found", n
        ) % {"counter": n}

    with translation.override("pl"):
        assert [found(n) for n in (1, 3, 5, 22)] == [
            "Znaleziono 1 adres",
            "Znaleziono 3 adresy",
            "Znaleziono 5 adresów",
            "Znaleziono 22 adresy",
        ]
    with translation.override("ar"):
        assert found(2) == "عُثر على عنوانين" and found(5) == "عُثر على 5 عناوين"


@pytest.mark.django_db
def test_translations_report_shows_what_changed_in_english(
    site, client, django_capture_on_commit_callbacks
):
    """The web team's Reports › Translations lists each item with its state per language."""
    from django.contrib.auth.models import Group, User

    from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR
    from core.roles import ensure_roles

    ensure_roles()
    translate_site(site, django_capture_on_commit_callbacks)
    journey = site["journey"]
    journey.summary = "Tell us if your bin or your recycling wasn't emptied."
    journey.save_revision().publish()

    web_team = User.objects.create_user("web", "web@northbrook.example", "pw")
    web_team.groups.add(Group.objects.get(name=CENTRAL_WEB_TEAM))
    client.force_login(web_team)
    response = client.get("/admin/webteam/translations/", {"status": "source-changed"})
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    rows = BeautifulSoup(response.content, "html.parser").select("table.listing tbody tr")
    found = {
        row.th.get_text(strip=True): {
            td["data-language"]: td.get_text(strip=True) for td in row.select("td[data-language]")
        }
        for row in rows
    }
    assert found == {
        "Report a missed bin collection": {"ar": "Source changed", "pl": "Source changed"}
    }
    everything = client.get("/admin/webteam/translations/").content.decode()
    assert "Report a missed bin" in everything and "Up to date" in everything

    editor = User.objects.create_user("editor", "editor@northbrook.example", "pw")
    editor.groups.add(Group.objects.get(name=DELIVERY_UNIT_EDITOR))
    client.force_login(editor)
    assert client.get("/admin/webteam/translations/").status_code in (302, 403)
    client.logout()
    assert client.get("/admin/webteam/translations/").status_code == 302


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_every_interface_string_is_translated(language):
    """The gettext catalogues are complete, none fuzzy, and the compiled .mo matches the .po."""
    import polib

    folder = UI_CATALOGUES / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 500
    nplurals = {"pl": "3", "ar": "6"}[language]
    assert f"nplurals={nplurals};" in po.metadata["Plural-Forms"].replace(" ", "")
    mo = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(folder / "django.mo"))}
    for entry in po.translated_entries():
        compiled = mo.get((entry.msgctxt, entry.msgid))
        assert compiled is not None, f"{entry.msgid!r} is not in django.mo: run compilemessages"
        assert (compiled.msgstr or compiled.msgstr_plural) == (
            entry.msgstr or entry.msgstr_plural
        ), entry.msgid


@pytest.mark.django_db
def test_footer_is_translated_like_a_page(site, client, django_capture_on_commit_callbacks):
    """The footer is a translatable snippet: Polish pages get the Polish footer; a language
    without a translation yet gets the English one rather than none."""
    from cms.models import Footer, SiteSettings

    council = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    council.phone = "020 7946 0000"
    council.save()
    english = Footer.objects.create(
        locale=site["locales"]["en-gb"],
        opening_hours="Monday to Friday, 9am to 5pm",
        columns=[
            (
                "column",
                {
                    "heading": "About this website",
                    "links": [{"label": "Cookies", "page": None, "url": "/cookies/"}],
                },
            )
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        translate(
            english,
            "pl",
            {
                "About this website": "O tej stronie",
                "Cookies": "Pliki cookie",
                "Monday to Friday, 9am to 5pm": "Od poniedziałku do piątku, 9:00–17:00",
            },
        )
    assert translation_status(english) == {"ar": MISSING, "pl": UP_TO_DATE}

    def footer(url):
        from bs4 import BeautifulSoup

        html = client.get(url, HTTP_HOST="localhost").content
        return BeautifulSoup(html, "html.parser").select_one("footer").get_text(" ", strip=True)

    translate_site(site, django_capture_on_commit_callbacks, languages=("pl", "ar"))
    polish = footer(JOURNEY_URL.format(lang="pl"))
    assert (
        "O tej stronie" in polish
        and "Pliki cookie" in polish
        and "Od poniedziałku do piątku" in polish
    )
    assert "About this website" in footer(JOURNEY_URL.format(lang="ar"))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("pl", "ltr"), ("ar", "rtl")])
def test_a_page_missing_in_the_residents_language_is_shown_in_english_and_says_so(
    site, client, django_capture_on_commit_callbacks, language, direction
):
    """Issue 16: the journey has no translation yet. The resident is not sent to a 404 or
    silently switched to the English site: the page is served at their language's address, in
    English, saying so in their language, with the English site one link away; the persona
    page lists it, marked as English."""
    from django.utils import translation

    for key in ("home", "persona", "other", "persona_page"):
        with django_capture_on_commit_callbacks(execute=True):
            translate(site[key], language, STRINGS[language])
    with translation.override(language):
        notice = translation.gettext(
            "This page is not available in your language yet. Here it is in English."
        )
        in_english = translation.gettext("(in English)")
    assert "English" not in notice and "English" not in in_english  # translated

    response = client.get(JOURNEY_URL.format(lang=language), HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html_tag(html) and f'dir="{direction}"' in html_tag(html)
    assert notice in html
    assert 'href="/report-and-transact/missed-bin/" hreflang="en-gb"' in html
    content = html[html.index('<div lang="en-gb" dir="ltr">') :]
    assert "Report a missed bin collection" in content  # the English page, marked as English

    persona_page = client.get(f"/{language}/report-and-transact/", HTTP_HOST="localhost")
    listing = persona_page.content.decode()
    assert f'href="{JOURNEY_URL.format(lang=language)}" lang="en-gb"' in listing
    assert in_english in listing

    # A translated page has no notice, and a page that exists in no language is still a 404.
    with django_capture_on_commit_callbacks(execute=True):
        translate(site["form"], language, STRINGS[language])
    with django_capture_on_commit_callbacks(execute=True):
        translate(site["journey"], language, STRINGS[language])
    translated = client.get(JOURNEY_URL.format(lang=language), HTTP_HOST="localhost")
    assert notice not in translated.content.decode()
    assert client.get(f"/{language}/no-such-page/", HTTP_HOST="localhost").status_code == 404
