"""Factories for the backlog: user stories, page feedback and demand figures."""

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from backlog.models import DemandRecord, PageFeedback, UserStory
from backlog.stories import create_story
from core.tests.factories import DeliveryUnitFactory, default_site_root
from personas.tests.factories import PersonaFactory


class UserStoryFactory(DjangoModelFactory):
    """A story made the way the backlog makes one (``backlog.stories.create_story``), so it has
    its "Created" change like every story in the app; ``created_by=`` names who made it."""

    class Meta:
        model = UserStory

    delivery_unit = factory.SubFactory(DeliveryUnitFactory)
    persona = factory.SubFactory(PersonaFactory)
    story = factory.Sequence(lambda n: f"As a resident I want help number {n}")
    created_by = None

    @classmethod
    def _build(cls, model_class: type[UserStory], *args: Any, **kwargs: Any) -> UserStory:
        kwargs.pop("created_by")
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class: type[UserStory], *args: Any, **kwargs: Any) -> UserStory:
        user = kwargs.pop("created_by")
        return create_story(user, **kwargs)


class PageFeedbackFactory(DjangoModelFactory):
    """A resident's "Is this page useful?" answer, on the home page unless ``page=`` is given."""

    class Meta:
        model = PageFeedback

    page = factory.LazyFunction(default_site_root)
    useful = True
    comment = ""


class DemandRecordFactory(DjangoModelFactory):
    """A month's phone contacts about one service (service, channel and month are unique)."""

    class Meta:
        model = DemandRecord

    service = factory.Sequence(lambda n: f"Service {n}")
    delivery_unit = factory.SubFactory(DeliveryUnitFactory)
    channel = DemandRecord.Channel.PHONE
    month = datetime.date(2025, 1, 1)
    count = 100
