"""Factories for the web team's tools: the jargon list and A/B tests."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from cms.tests.factories import ContentPageFactory
from core.tests.factories import default_site_root
from webteam.abtesting.services import create_test
from webteam.models import AbTest, JargonTerm


class JargonTermFactory(DjangoModelFactory):
    """A word to avoid; the migrations seed a list, so a seeded term is found, not repeated."""

    class Meta:
        model = JargonTerm
        django_get_or_create = ("term",)

    term = factory.Sequence(lambda n: f"jargon{n}")
    alternative = "plain words"


class AbTestFactory(DjangoModelFactory):
    """A draft A/B test made as the web team makes one (``create_test``): variant A is the live
    page, B a draft revision of it (a copy of the page as it stands unless
    ``variant_revisions=[...]`` is given). The goal is reaching another page. Run it with
    ``webteam.abtesting.services.start_test``."""

    class Meta:
        model = AbTest

    name = factory.Sequence(lambda n: f"A/B test {n}")
    page = factory.SubFactory(ContentPageFactory, parent=factory.LazyFunction(default_site_root))
    goal_type = AbTest.REACH_PAGE
    goal_page = factory.SubFactory(
        ContentPageFactory, parent=factory.LazyFunction(default_site_root)
    )
    variant_revisions = None

    @classmethod
    def _build(cls, model_class: type[AbTest], *args: Any, **kwargs: Any) -> AbTest:
        kwargs.pop("variant_revisions")
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class: type[AbTest], *args: Any, **kwargs: Any) -> AbTest:
        page = kwargs.pop("page")
        revisions = kwargs.pop("variant_revisions") or [page.save_revision()]
        return create_test(page, kwargs.pop("name"), kwargs.pop("goal_type"), revisions, **kwargs)
