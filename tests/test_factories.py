"""Every app's test factories make objects the app itself would accept.

Tests across the apps build their data with ``<app>/tests/factories.py`` instead of loading the
demo, so a factory whose default object the admin would refuse (a step missing a field, a form
page without a name) would make those tests test data no council could have. Each default here
passes the model's own validation, StreamField blocks included, and the roles and drafts the
factories promise are what the apps see.
"""

import pytest
import wagtail_factories

from backlog.models import StoryChange
from backlog.tests.factories import DemandRecordFactory, PageFeedbackFactory, UserStoryFactory
from cms.tests.factories import ContentPageFactory
from core.permissions import (
    CENTRAL_WEB_TEAM,
    DELIVERY_UNIT_EDITOR,
    PRODUCT_OWNER,
    may_read_reports,
    restricted_unit_ids,
)
from core.tests.factories import DeliveryUnitFactory, UserFactory
from directory.tests.factories import (
    CostOptionFactory,
    DirectoryViewFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from eforms.tests.factories import (
    AddressPointFactory,
    FormDefinitionFactory,
    LookupListFactory,
    SubmissionFactory,
)
from journeys.tests.factories import JourneyPageFactory, PersonaPageFactory
from personas.tests.factories import PersonaFactory
from webteam.tests.factories import AbTestFactory, JargonTermFactory

FACTORIES = [
    DeliveryUnitFactory,
    UserFactory,
    PersonaFactory,
    ContentPageFactory,
    PersonaPageFactory,
    JourneyPageFactory,
    FormDefinitionFactory,
    SubmissionFactory,
    AddressPointFactory,
    LookupListFactory,
    OrganizationFactory,
    LocationFactory,
    ServiceFactory,
    ServiceAtLocationFactory,
    ScheduleFactory,
    CostOptionFactory,
    PhoneFactory,
    PostcodeFactory,
    TaxonomyTermFactory,
    DirectoryViewFactory,
    UserStoryFactory,
    PageFeedbackFactory,
    DemandRecordFactory,
    JargonTermFactory,
    AbTestFactory,
]


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_each_default_object_passes_the_models_validation(factory_class, home_page):
    if issubclass(factory_class, wagtail_factories.PageFactory):
        made = factory_class(parent=home_page)
    else:
        made = factory_class()
    made.full_clean()


@pytest.mark.django_db
def test_two_default_objects_do_not_collide(home_page):
    """Names, slugs and references that must be unique come from sequences."""
    for factory_class in FACTORIES:
        kwargs = (
            {"parent": home_page}
            if issubclass(factory_class, wagtail_factories.PageFactory)
            else {}
        )
        first, second = factory_class(**kwargs), factory_class(**kwargs)
        if factory_class is not PostcodeFactory:  # one postcode is one row
            assert first.pk != second.pk, factory_class.__name__


@pytest.mark.django_db
def test_each_role_trait_puts_the_user_in_that_role():
    unit = DeliveryUnitFactory()
    web, editor, owner = (
        UserFactory(web_team=True),
        UserFactory(unit_editor=True, units=[unit]),
        UserFactory(product_owner=True),
    )
    assert [list(u.groups.values_list("name", flat=True)) for u in (web, editor, owner)] == [
        [CENTRAL_WEB_TEAM],
        [DELIVERY_UNIT_EDITOR],
        [PRODUCT_OWNER],
    ]
    assert restricted_unit_ids(editor) == {unit.pk} and restricted_unit_ids(web) is None
    assert may_read_reports(owner) and not may_read_reports(editor)
    assert editor.check_password("pw")
    assert not UserFactory().groups.exists()


@pytest.mark.django_db
def test_pages_are_published_through_a_revision_and_drafts_are_not_live(home_page):
    persona_page = PersonaPageFactory(parent=home_page)
    personas = [persona_page.persona]
    published = JourneyPageFactory(parent=persona_page, personas=personas)
    draft = JourneyPageFactory(parent=persona_page, personas=personas, publish=False)

    # Publishing works on a copy made from the revision, so the object made is read again.
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.live and published.live_revision_id == published.latest_revision_id
    assert not draft.live and draft.live_revision_id is None
    assert draft.latest_revision_id is not None and draft.has_unpublished_changes
    assert list(persona_page.journeys_by_need()) == [(published.need, [published])]


@pytest.mark.django_db
def test_a_story_has_its_created_change_like_one_made_in_the_app():
    user = UserFactory(product_owner=True)
    story = UserStoryFactory(created_by=user)
    change = StoryChange.objects.get(story=story)
    assert change.user == user and change.reason == "Created"
