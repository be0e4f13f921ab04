import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from backlog.kpi import dashboard, rag
from backlog.tests.factories import DemandRecordFactory, PageFeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(units, make_journey):
    for month, web, phone in ((1, 300, 700), (2, 500, 500), (3, 850, 150)):
        for channel, count in (("web", web), ("phone", phone)):
            DemandRecordFactory(
                service="Missed bins",
                delivery_unit=units["street-scene"],
                channel=channel,
                month=datetime.date(2025, month, 1),
                count=count,
            )
    DemandRecordFactory(
        service="Parking permits",
        delivery_unit=units["parking"],
        channel="phone",
        month=datetime.date(2025, 3, 1),
        count=1000,
    )
    page = make_journey("report-a-missed-bin")
    for useful in (True, True, True, False):
        PageFeedbackFactory(page=page, useful=useful)


def test_rag_status_against_target():
    assert rag(0.85, 0.8) == "green"
    assert rag(0.75, 0.8) == "amber"
    assert rag(0.5, 0.8) == "red"
    assert rag(None, 0.8) == "grey"


def test_unit_dashboard_figures(figures, units):
    result = dashboard(units["street-scene"])
    by_key = {row["key"]: row for row in result["indicators"]}
    assert by_key["online_share"]["value"] == 85.0 and by_key["online_share"]["status"] == "green"
    assert by_key["avoidable_calls"]["value"] == 150
    assert by_key["satisfaction"]["value"] == 75.0 and by_key["satisfaction"]["status"] == "amber"
    assert result["charts"][0].points == [("2025-01", 30.0), ("2025-02", 50.0), ("2025-03", 85.0)]


def test_site_wide_online_share_counts_every_unit(figures):
    by_key = {row["key"]: row for row in dashboard()["indicators"]}
    assert by_key["online_share"]["value"] == 42.5  # 850 of 2000
    assert by_key["online_share"]["status"] == "red"


def test_every_chart_has_a_data_table_with_the_same_numbers(client, people, figures):
    client.force_login(people["owner"])
    for query in ("", "?unit=street-scene"):
        response = client.get(reverse("backlog_admin:kpis") + query)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        charts = soup.select("figure.kpi-chart")
        assert len(charts) == 2
        for chart in charts:
            plotted = [
                (c["data-label"], c["data-value"])
                for c in chart.select("svg circle.kpi-chart__point")
            ]
            tabled = [
                (row.th.get_text(strip=True), row.td.get_text(strip=True))
                for row in chart.select("table.kpi-chart__table tbody tr")
            ]
            assert plotted and plotted == tabled
            assert chart.select_one("svg title").get_text()


def test_dashboard_csv(client, people, figures):
    client.force_login(people["editor"])
    text = client.get(
        reverse("backlog_admin:kpis") + "?unit=street-scene&format=csv"
    ).content.decode()
    assert "Contacts done online (latest month),85.0,80.0,green" in text
    assert '"Contacts done online, by month",2025-01,30.0' in text
