"""Factories for the shared kernel: delivery units and staff users in the three roles.

Tests that need an owner or a signed-in editor build one here rather than loading the demo's
ten units and a hand-made user each time. Units are looked up by slug before one is made, so
fixtures in different apps that ask for "street-scene" share one row, as the demo would.
"""

import datetime
from typing import Any

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify
from factory.django import DjangoModelFactory, Password
from wagtail.models import Site

from core.models import DeliveryUnit
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
from core.roles import ensure_roles

TEST_PASSWORD = "pw"
# Far enough ahead that no content check calls a factory-made page overdue.
REVIEW_BY = datetime.date(2030, 1, 1)


class DeliveryUnitFactory(DjangoModelFactory):
    """A delivery unit; ``DeliveryUnitFactory(slug="parking")`` finds the unit if it exists."""

    class Meta:
        model = DeliveryUnit
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Delivery unit {n}")
    slug = factory.LazyAttribute(lambda unit: slugify(unit.name))


def role_group(role: str) -> Group:
    """The group of one of core.permissions' roles, with its permissions.

    The groups are made by ``ensure_roles`` after ``migrate``; a transactional test empties
    every table, so they are made again here when they are missing rather than half-made by
    ``Group.objects.create``.
    """
    group = Group.objects.filter(name=role).first()
    return group if group is not None else ensure_roles()[role]


class UserFactory(DjangoModelFactory):
    """A council staff member (not a Django ``is_staff`` user) with the password ``pw``.

    Pass ``role=`` (one of core.permissions' group names) or use a trait: ``web_team``,
    ``unit_editor`` or ``product_owner``. ``units=[...]`` makes them a member of those delivery
    units, which is what confines a delivery-unit editor (core.permissions).
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        web_team = factory.Trait(role=CENTRAL_WEB_TEAM)
        unit_editor = factory.Trait(role=DELIVERY_UNIT_EDITOR)
        product_owner = factory.Trait(role=PRODUCT_OWNER)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@northbrook.example")
    password = Password(TEST_PASSWORD)
    is_superuser = False
    # Not a field: the name of the user's group. A plain declaration rather than a
    # post-generation hook, because only plain declarations can be set by a trait.
    role = None

    @classmethod
    def _build(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("role")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        """Put the user in their role's group (after saving: groups are a many-to-many)."""
        role = kwargs.pop("role")
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(role_group(role))
        return user

    @factory.post_generation
    def units(user: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Make the user a member of each delivery unit given."""
        if create and extracted:
            for unit in extracted:
                unit.members.add(user)


def default_site_root() -> Any:
    """The default site's home page (the ``home_page`` fixture makes one), for objects that
    need some page (feedback, A/B tests) when the test does not care which."""
    return Site.objects.get(is_default_site=True).root_page


def publish_or_keep_draft(page: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
    """Give a new page its first revision, and publish it unless it was made as a draft.

    Editors' pages always have a revision, and journeys and content pages are read through
    Wagtail's live revision (the sidebar, previews, A/B tests), so a page saved without one
    would be unlike any real page. Declare it last in each factory: hooks run in declaration
    order, and the many-to-many fields must be set before the revision copies them.

    Wagtail publishes a copy of the page made from the revision, so the object a factory
    returns still has ``live_revision`` unset, as the pages the hand-written fixtures returned
    did: call ``refresh_from_db()`` before reading it.
    """
    if not create:
        return
    revision = page.save_revision()
    if page.live:
        revision.publish()


class OwnedPageFactory(wagtail_factories.PageFactory):
    """A page with an owner (core.models.OwnedMixin). Pass ``parent=`` (usually the
    ``home_page`` fixture); without one wagtail-factories makes the page a new tree root.

    ``publish=False`` makes a draft: not live, with one unpublished revision.
    """

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    class Params:
        publish = True

    live = factory.SelfAttribute("publish")
    delivery_unit = factory.SubFactory(DeliveryUnitFactory)
    review_by = REVIEW_BY
