"""Services' words in Polish and Arabic: translated with wagtail-localize like everything else,
shown on resident pages in the resident's language, searched in it, and never written back
over the English that the Open Referral UK API publishes."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Locale

from cms.translation import MISSING, SOURCE_CHANGED, UP_TO_DATE, translate, translation_status
from directory import api
from directory.models import Service, ServiceText
from directory.query import DirectoryQuery, matching
from directory.search_documents import service_text_to_document
from directory.translation import localise

POLISH = {
    "Northbrook Foodbank": "Bank żywności Northbrook",
    "Emergency food parcels.": "Paczki żywnościowe w nagłej sytuacji.",
}
ARABIC = {
    "Northbrook Foodbank": "بنك الطعام في نورثبروك",
    "Emergency food parcels.": "طرود غذائية طارئة.",
}


@pytest.fixture
def locales(db):
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en-gb", "pl", "ar")
    }


def english_text(service):
    return ServiceText.objects.get(service=service, locale=Locale.get_default())


def translate_service(service, code, strings, capture):
    with capture(execute=True):
        return translate(english_text(service), code, strings)


@pytest.mark.django_db
def test_saving_a_service_keeps_its_english_words_for_translators(locales, small_directory):
    foodbank = small_directory["foodbank"]
    text = english_text(foodbank)
    assert (text.name, text.description, text.translation_key) == (
        "Northbrook Foodbank",
        "Emergency food parcels.",
        foodbank.pk,
    )

    foodbank.description = "Emergency food parcels for three days."
    foodbank.save()
    assert english_text(foodbank).description == "Emergency food parcels for three days."
    assert ServiceText.objects.filter(service=foodbank).count() == 1


@pytest.mark.django_db
def test_a_save_that_changes_no_words_leaves_the_english_text_alone(locales, small_directory):
    foodbank = small_directory["foodbank"]
    before = english_text(foodbank)
    foodbank.email = "help@example.org"
    foodbank.save()
    assert ServiceText.sync_from_services([foodbank]) == 0
    assert english_text(foodbank).pk == before.pk


@pytest.mark.django_db
def test_translation_status_follows_the_english_words(
    locales, small_directory, django_capture_on_commit_callbacks
):
    foodbank = small_directory["foodbank"]
    assert translation_status(english_text(foodbank)) == {"ar": MISSING, "pl": MISSING}

    polish = translate_service(foodbank, "pl", POLISH, django_capture_on_commit_callbacks)
    assert (polish.name, polish.service_id, polish.locale.language_code) == (
        "Bank żywności Northbrook",
        foodbank.pk,
        "pl",
    )
    assert translation_status(english_text(foodbank)) == {"ar": MISSING, "pl": UP_TO_DATE}

    foodbank.description = "Emergency food parcels, and advice."
    foodbank.save()
    assert translation_status(english_text(foodbank)) == {"ar": MISSING, "pl": SOURCE_CHANGED}
    assert translation_status(polish) == {
        "ar": MISSING,
        "pl": SOURCE_CHANGED,
    }  # asked of either side


@pytest.mark.django_db
def test_service_page_is_shown_in_the_residents_language(
    locales, client, small_directory, django_capture_on_commit_callbacks
):
    foodbank, youth = small_directory["foodbank"], small_directory["youth"]
    translate_service(foodbank, "pl", POLISH, django_capture_on_commit_callbacks)
    translate_service(foodbank, "ar", ARABIC, django_capture_on_commit_callbacks)

    polish = client.get(f"/pl/directory/services/{foodbank.pk}/").content.decode()
    assert (
        "Bank żywności Northbrook" in polish and "Paczki żywnościowe w nagłej sytuacji." in polish
    )
    assert "Emergency food parcels." not in polish

    arabic = client.get(f"/ar/directory/services/{foodbank.pk}/").content.decode()
    assert "بنك الطعام في نورثبروك" in arabic and 'dir="rtl"' in arabic

    english = client.get(f"/directory/services/{foodbank.pk}/").content.decode()
    assert "Northbrook Foodbank" in english and "Bank żywności" not in english

    # Not translated yet: the English words, on the Polish page.
    untranslated = client.get(f"/pl/directory/services/{youth.pk}/").content.decode()
    assert "Friday youth club" in untranslated


@pytest.mark.django_db
def test_directory_search_matches_and_shows_translated_words(
    locales, client, small_directory, django_capture_on_commit_callbacks
):
    translate_service(small_directory["foodbank"], "pl", POLISH, django_capture_on_commit_callbacks)

    page = client.get("/pl/directory/", {"q": "żywności"}).content.decode()
    assert "Bank żywności Northbrook" in page
    # English words still find it on the Polish page (many residents search in English).
    assert (
        "Bank żywności Northbrook"
        in client.get("/pl/directory/", {"q": "foodbank"}).content.decode()
    )
    assert (
        "Bank żywności Northbrook"
        not in client.get("/directory/", {"q": "żywności"}).content.decode()
    )

    matches = matching(DirectoryQuery(text="paczki", language="pl"))
    assert [match.service.name for match in matches] == ["Bank żywności Northbrook"]
    assert matching(DirectoryQuery(text="paczki")) == []


@pytest.mark.django_db
def test_journey_listings_are_translated(
    locales, small_directory, django_capture_on_commit_callbacks
):
    translate_service(small_directory["foodbank"], "pl", POLISH, django_capture_on_commit_callbacks)
    request = RequestFactory().get("/pl/tenants/crisis-support/")
    with translation.override("pl"):
        html = api.render_listing(
            DirectoryQuery(taxonomy_terms=("foodbanks",)), request, heading="Banki żywności"
        )
    assert "Bank żywności Northbrook" in html


@pytest.mark.django_db
def test_the_oruk_api_publishes_english_only(
    locales, client, small_directory, django_capture_on_commit_callbacks
):
    foodbank = small_directory["foodbank"]
    translate_service(foodbank, "pl", POLISH, django_capture_on_commit_callbacks)
    data = client.get(f"/api/directory/services/{foodbank.pk}", HTTP_ACCEPT_LANGUAGE="pl").json()
    assert data["name"] == "Northbrook Foodbank"
    assert client.get("/api/directory/services", {"search": "żywności"}).json()["total_items"] == 0


@pytest.mark.django_db
def test_a_service_shown_translated_cannot_be_saved_over_the_english(
    locales, small_directory, django_capture_on_commit_callbacks
):
    foodbank = small_directory["foodbank"]
    translate_service(foodbank, "pl", POLISH, django_capture_on_commit_callbacks)
    shown = localise([Service.objects.get(pk=foodbank.pk)], "pl")[0]
    assert shown.name == "Bank żywności Northbrook"
    with pytest.raises(RuntimeError, match="translated text"):
        shown.save()
    assert Service.objects.get(pk=foodbank.pk).name == "Northbrook Foodbank"


@pytest.mark.django_db
def test_translated_words_are_their_own_search_documents(
    locales, small_directory, django_capture_on_commit_callbacks
):
    from search.models import OutboxEntry

    foodbank = small_directory["foodbank"]
    polish = translate_service(foodbank, "pl", POLISH, django_capture_on_commit_callbacks)
    document = service_text_to_document(
        ServiceText.objects.select_related("service").get(pk=polish.pk)
    )
    assert document.id == f"service:{foodbank.pk}:pl"
    assert (document.locale, document.title) == ("pl", "Bank żywności Northbrook")
    assert document.url == f"/pl/directory/services/{foodbank.pk}/"
    assert "foodbanks" in document.topics and document.location is not None
    assert service_text_to_document(english_text(foodbank)) is None  # the service's own document

    # A change to the service (here: closing it) reaches the Polish document too.
    OutboxEntry.objects.all().delete()
    foodbank.status = Service.Status.INACTIVE
    foodbank.save()
    assert OutboxEntry.objects.filter(document_id=f"service:{foodbank.pk}:pl").exists()
    assert service_text_to_document(ServiceText.objects.get(pk=polish.pk)) is None


@pytest.mark.django_db
def test_translators_use_the_wagtail_localize_workflow(locales, admin_client, small_directory):
    """The admin's own "Translate" action makes the Polish ServiceText, ready in the translation editor."""
    from wagtail_localize.models import Translation

    text = english_text(small_directory["foodbank"])
    url = f"/admin/localize/submit/snippet/directory/servicetext/{text.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [locales["pl"].pk]})
    assert response.status_code == 302
    polish = ServiceText.objects.get(translation_key=text.translation_key, locale=locales["pl"])
    assert polish.service_id == text.service_id
    assert Translation.objects.filter(
        source__object_id=text.translation_key, target_locale=locales["pl"]
    ).exists()
    edit = admin_client.get(f"/admin/snippets/directory/servicetext/edit/{polish.pk}/")
    assert edit.status_code == 200 and "Northbrook Foodbank" in edit.content.decode()


@pytest.mark.django_db
def test_opening_times_and_phone_numbers_read_right_in_every_language(
    locales, client, small_directory
):
    from bs4 import BeautifulSoup

    from directory.models import Phone

    foodbank = small_directory["foodbank"]  # Monday and Wednesday, 12:00 to 14:00
    Phone.objects.create(service=foodbank, number="020 7946 0035")
    polish = BeautifulSoup(
        client.get(f"/pl/directory/services/{foodbank.pk}/").content, "html.parser"
    )
    assert "Pon, Śr 12:00–14:00" in polish.get_text()
    english = BeautifulSoup(
        client.get(f"/directory/services/{foodbank.pk}/").content, "html.parser"
    )
    assert "Mon, Wed 12:00–14:00" in english.get_text()

    arabic = BeautifulSoup(
        client.get(f"/ar/directory/services/{foodbank.pk}/").content, "html.parser"
    )
    assert "إثنين, أربعاء 12:00–14:00" in arabic.get_text()
    # Digits grouped by spaces would be laid out right to left, scrambling the number.
    phone = arabic.select_one('a[href="tel:02079460035"]')
    assert phone.get_text() == "020 7946 0035" and phone["dir"] == "ltr"


@pytest.mark.django_db
def test_categories_are_named_in_the_residents_language(
    locales, client, small_directory, django_capture_on_commit_callbacks
):
    foodbank = small_directory["foodbank"]
    polish = client.get(f"/pl/directory/services/{foodbank.pk}/").content.decode()
    assert ">Banki żywności</a>" in polish
    assert "Banki żywności" in client.get("/pl/directory/").content.decode()  # the category filter
    assert ">Foodbanks</a>" in client.get(f"/directory/services/{foodbank.pk}/").content.decode()
    # The standard API keeps the taxonomy's own (English) names.
    data = client.get(f"/api/directory/services/{foodbank.pk}", HTTP_ACCEPT_LANGUAGE="pl").json()
    assert "Foodbanks" in str(data) and "Banki" not in str(data)

    text = translate_service(foodbank, "pl", POLISH, django_capture_on_commit_callbacks)
    document = service_text_to_document(ServiceText.objects.get(pk=text.pk))
    assert {"foodbanks", "Foodbanks", "Banki żywności"} <= set(document.topics)
