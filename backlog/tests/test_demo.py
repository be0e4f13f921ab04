import pytest

from backlog import demo
from backlog.models import DemandRecord, UserStory
from personas import demo as personas_demo

pytestmark = pytest.mark.django_db


def test_demo_backlog_covers_every_persona_and_unit_and_is_idempotent():
    personas_demo.load()
    demo.load()
    demo.load()
    stories = UserStory.objects.all()
    assert stories.count() >= 40
    assert stories.values("persona").distinct().count() == len(personas_demo.PERSONAS)
    assert stories.values("delivery_unit").distinct().count() == len(personas_demo.DELIVERY_UNITS)
    for named in (
        "How can I get help for my mother?",
        "How can I get help to protect my parent from falls?",
        "What\u2019s the best way to report a problem with my neighbour?",
    ):
        assert stories.filter(story=named).exists()
    assert stories.filter(story__icontains="in-year school admission").exists()
    assert stories.filter(story__icontains="Blue Badge").exists()
    assert stories.filter(story__icontains="business rates").exists()
    assert stories.filter(delivery_unit__slug="parking", demand__gte=20000).exists()
    assert DemandRecord.objects.count() == 24 * 14 * 5
