import math

import pytest

from backlog.scoring import priority_score
from backlog.stories import backlog, rank_stories, set_manual_rank, update_story


def test_default_formula_is_weighted_benefit_times_log_demand_over_effort():
    score = priority_score(residents=5, borough=4, council=3, demand=9999, effort=2)
    assert score == pytest.approx((5 + 4 + 3) * math.log10(10000) / 2)  # 24.0


def test_weights_come_from_the_setting(settings):
    settings.SIGNPOST_PRIORITY_WEIGHTS = {"residents": 2}
    assert priority_score(residents=5, borough=1, council=1, demand=9, effort=1) == pytest.approx(
        12.0
    )


def test_no_demand_scores_zero_and_effort_never_divides_by_zero():
    assert priority_score(residents=5, borough=5, council=5, demand=0, effort=1) == 0
    assert priority_score(residents=1, borough=1, council=1, demand=9, effort=0) == pytest.approx(
        3.0
    )


@pytest.mark.django_db
def test_saving_a_story_stores_its_score(make_story):
    story = make_story(
        benefit_residents=5, benefit_borough=4, benefit_council=3, demand=9999, effort=2
    )
    story.refresh_from_db()
    assert story.priority_score == pytest.approx(24.0)


@pytest.mark.django_db
def test_backlog_is_ranked_by_score_highest_first(make_story):
    low = make_story("Low", demand=9)
    high = make_story("High", demand=99999)
    middle = make_story("Middle", demand=999)
    assert [s.story for s in backlog()] == ["High", "Middle", "Low"]
    assert [s.pk for s in rank_stories([low, middle, high])] == [high.pk, middle.pk, low.pk]


@pytest.mark.django_db
def test_backlog_filters_by_unit_and_persona(make_story):
    make_story("Bins", unit="street-scene")
    make_story("Permits", unit="parking")
    make_story("Mum", unit="adults-and-communities", persona="cusp-of-care")
    assert [s.story for s in backlog(unit="parking")] == ["Permits"]
    assert [s.story for s in backlog(persona="cusp-of-care")] == ["Mum"]


@pytest.mark.django_db
def test_manual_rank_overrides_the_score_and_records_who_and_why(make_story, people):
    make_story("High", demand=99999)
    make_story("Middle", demand=999)
    low = make_story("Low", demand=9)
    change = set_manual_rank(
        low, people["owner"], 1, "Councillors' priority after the falls review"
    )
    assert [s.story for s in backlog()] == ["Low", "High", "Middle"]
    low.refresh_from_db()
    assert low.manual_rank_by == people["owner"]
    assert change.user == people["owner"]
    assert change.reason == "Councillors' priority after the falls review"
    assert change.changes["manual_rank"] == [None, 1]

    set_manual_rank(low, people["owner"], None, "Back to score order")
    assert [s.story for s in backlog()] == ["High", "Middle", "Low"]


@pytest.mark.django_db
def test_manual_rank_needs_a_reason(make_story, people):
    story = make_story()
    with pytest.raises(ValueError):
        set_manual_rank(story, people["owner"], 1, "  ")


@pytest.mark.django_db
def test_every_change_is_recorded_with_before_and_after(make_story, people):
    story = make_story(demand=100)
    update_story(
        story, people["owner"], "New call centre figures", demand=5000, status="in_progress"
    )
    latest = story.changes.first()
    assert latest.changes == {"demand": [100, 5000], "status": ["backlog", "in_progress"]}
    assert latest.user == people["owner"]
    assert update_story(story, people["owner"], "Nothing", demand=5000) is None
    assert story.changes.count() == 2  # created + one change
