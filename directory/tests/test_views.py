"""Resident pages, journeys' embed, partner-only notes, the problem queue and the admin."""

import datetime

import pytest
from django.test import RequestFactory

from directory import api
from directory.models import ListingProblem, Service
from directory.query import DirectoryQuery
from directory.tests.factories import DirectoryViewFactory, ServiceFactory, TaxonomyTermFactory
from personas.tests.factories import PersonaFactory


@pytest.mark.django_db
def test_search_page_with_facets_and_bad_input(client, small_directory):
    response = client.get("/directory/", {"q": "food"})
    assert response.status_code == 200
    assert "Northbrook Foodbank" in response.content.decode()

    response = client.get("/directory/", {"postcode": "NB1 1AA", "distance": "2"})
    page = response.content.decode()
    assert "Northbrook Foodbank" in page and "Far away lunch club" not in page and "km away" in page

    response = client.get("/directory/", {"postcode": "banana", "age": "old"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a real postcode, like NB1 1AA" in page and "Age must be a number, like 72" in page

    response = client.get("/directory/", {"postcode": "NB8 8ZZ"})
    assert response.status_code == 200
    assert "We can\u2019t find the postcode NB8 8ZZ" in response.content.decode()


@pytest.mark.django_db
def test_service_page_hides_partner_notes_from_the_public(client, admin_user, small_directory):
    service = small_directory["foodbank"]
    service.partner_notes = "Referral mailbox is checked twice a day"
    service.referral_email = "referrals@foodbank.example"
    service.save()
    page = client.get(service.get_url()).content.decode()
    assert "What it is" in page and "Emergency food parcels." in page
    assert "Referral mailbox" not in page and "referrals@foodbank.example" not in page
    assert "openstreetmap.org" in page

    client.force_login(admin_user)
    page = client.get(service.get_url()).content.decode()
    assert (
        "Referral mailbox is checked twice a day" in page and "referrals@foodbank.example" in page
    )


@pytest.mark.django_db
def test_report_a_problem_lands_in_the_queue(client, small_directory):
    service = small_directory["youth"]
    url = service.get_url() + "report/"
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Select what is wrong with this listing" in response.content.decode()
    assert ListingProblem.objects.count() == 0

    response = client.post(url, {"kind": "times", "details": "It now starts at 6pm"})
    assert response.status_code == 302
    problem = ListingProblem.objects.get()
    assert problem.service == service and problem.status == "new"


@pytest.mark.django_db
def test_directory_views_are_saved_filters(client):
    # Two of the demo's views, as directory.demo defines them, and a service in each (plus one
    # outside both): each view lists its own categories' services, searched within the view.
    parents = PersonaFactory(slug="parents", name="Parents")
    DirectoryViewFactory(
        title="Local Offer",
        slug="local-offer",
        taxonomy_terms=[TaxonomyTermFactory(code="send-and-local-offer")],
    )
    DirectoryViewFactory(
        title="Early Help directory",
        slug="early-help",
        taxonomy_terms=[
            TaxonomyTermFactory(code=code)
            for code in ("childrens-centres-and-early-help", "childcare", "youth")
        ],
        personas=[parents],
    )
    ServiceFactory(
        name="SEND information, advice and support service",
        taxonomy_terms=[TaxonomyTermFactory(code="send-parent-support")],
        personas=[parents],
    )
    ServiceFactory(
        name="Stay and play at Eastfield Children\u2019s Centre",
        description="Drop-in play sessions for babies and children under 5 with their parents "
        "or carers.",
        taxonomy_terms=[TaxonomyTermFactory(code="stay-and-play")],
        personas=[parents],
    )
    ServiceFactory(
        name="Lunch club at St Mark\u2019s Hall",
        taxonomy_terms=[TaxonomyTermFactory(code="lunch-clubs")],
    )

    page = client.get("/directory/local-offer/").content.decode()
    assert "Local Offer" in page and "SEND information, advice and support service" in page
    assert "Lunch club at St Mark" not in page
    page = client.get("/directory/early-help/", {"q": "stay and play"}).content.decode()
    assert "Stay and play at Eastfield Children\u2019s Centre" in page
    assert client.get("/directory/no-such-view/").status_code == 404


@pytest.mark.django_db
def test_render_listing_for_journeys(small_directory):
    request = RequestFactory().get("/cusp-of-care/falls/", {"postcode": "nb1 1aa"})
    html = api.render_listing(
        DirectoryQuery(taxonomy_terms=("falls-and-mobility",)),
        request,
        heading="Falls prevention classes near you",
    )
    assert "Falls prevention classes near you" in html
    assert "Strength and balance class" in html and "km away" in html
    assert 'value="NB1 1AA"' in html and 'name="postcode"' in html

    bad = RequestFactory().get("/cusp-of-care/falls/", {"postcode": "zzz"})
    html = api.render_listing(DirectoryQuery(taxonomy_terms=("falls-and-mobility",)), bad)
    assert "Enter a real postcode" in html and "Strength and balance class" in html


@pytest.mark.django_db
def test_term_choices_are_hierarchical():
    choices = dict(api.term_choices())
    assert (
        choices["falls-prevention-classes"] == "Falls and mobility \u203a Falls prevention classes"
    )
    assert choices["falls-and-mobility"] == "Falls and mobility"
    assert {
        "foodbanks",
        "meals-on-wheels",
        "befriending",
        "lunch-clubs",
        "carers-centres",
        "dementia-cafes",
        "handyperson",
        "debt-advice",
        "credit-unions",
        "stay-and-play",
        "homework-clubs",
        "youth-clubs",
        "community-transport",
        "digital-skills",
    } <= set(choices)


@pytest.mark.django_db
def test_admin_opening_hours_round_trip_and_needs_verifying_report(
    client, admin_user, small_directory
):
    client.force_login(admin_user)
    service = small_directory["falls"]
    edit_url = f"/admin/snippets/directory/service/edit/{service.pk}/"
    page = client.get(edit_url).content.decode()
    assert "Tue, Thu 10:00\u201311:00" in page

    from directory.forms import ServiceAdminForm
    from directory.wagtail_hooks import ServiceViewSet

    form_class = ServiceViewSet.edit_handler.bind_to_model(Service).get_form_class()
    assert issubclass(form_class, ServiceAdminForm)
    form = form_class(instance=service, for_user=admin_user)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value
    for name, formset in form.formsets.items():
        data[f"{name}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{name}-INITIAL_FORMS"] = len(formset.forms)
        data[f"{name}-MIN_NUM_FORMS"] = 0
        data[f"{name}-MAX_NUM_FORMS"] = 1000
        for index, sub in enumerate(formset.forms):
            data[f"{name}-{index}-id"] = sub.instance.pk
            for field_name in sub.fields:
                value = sub.initial.get(field_name)
                if value is not None:
                    data[f"{name}-{index}-{field_name}"] = value
    data["taxonomy_terms"] = [str(pk) for pk in service.taxonomy_terms.values_list("pk", flat=True)]
    data["personas"] = []
    data["opening_hours"] = "Mon\u2013Wed 9:00\u201312:30"
    form = form_class(data, instance=service, for_user=admin_user)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert [(s.byday, s.opens_at, s.closes_at) for s in saved.schedules.all()] == [
        ("MO,TU,WE", datetime.time(9), datetime.time(12, 30))
    ]

    data["opening_hours"] = "Someday 9-5"
    form = form_class(data, instance=service, for_user=admin_user)
    assert not form.is_valid() and "is not a day" in str(form.errors["opening_hours"])

    Service.objects.filter(pk=service.pk).update(last_verified=datetime.date(2020, 1, 1))
    Service.objects.exclude(pk=service.pk).update(last_verified=datetime.date.today())
    page = client.get("/admin/reports/directory-needs-verifying/").content.decode()
    assert service.name in page and "Northbrook Foodbank" not in page
