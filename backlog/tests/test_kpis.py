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


def test_charts_have_labelled_axes_on_a_scale_from_zero(client, people, figures):
    client.force_login(people["owner"])
    response = client.get(reverse("backlog_admin:kpis") + "?unit=street-scene")
    chart = BeautifulSoup(response.content, "html.parser").select_one("figure.kpi-chart")
    y_axis, x_axis = chart.select_one(".kpi-chart__y-axis"), chart.select_one(".kpi-chart__x-axis")
    assert [t.get_text() for t in y_axis.select(".kpi-chart__tick")] == [
        "0%",
        "20%",
        "40%",
        "60%",
        "80%",
        "100%",
    ]
    assert y_axis.select_one(".kpi-chart__axis-title").get_text() == "Contacts done online (%)"
    assert [t.get_text() for t in x_axis.select(".kpi-chart__tick")] == [
        "Jan 2025",
        "Feb 2025",
        "Mar 2025",
    ]
    assert x_axis.select_one(".kpi-chart__axis-title").get_text() == "Month"
    assert "on a scale of 0% to 100%" in chart.select_one("svg title").get_text()

    # Each point sits at its value on that scale: 50% halfway between the 0% and 100% lines.
    ticks = {t.get_text(): float(t["y"]) for t in y_axis.select(".kpi-chart__tick")}
    points = {c["data-value"]: float(c["cy"]) for c in chart.select("circle.kpi-chart__point")}
    assert points["50.0"] == pytest.approx((ticks["0%"] + ticks["100%"]) / 2, abs=0.1)
    assert points["30.0"] == pytest.approx(
        ticks["0%"] + 0.3 * (ticks["100%"] - ticks["0%"]), abs=0.1
    )


def test_chart_scales_for_counts_are_round_numbers():
    from backlog.charts import Chart

    chart = Chart("Calls", "", [("2025-01", 730), ("2025-02", 1180)])
    assert [tick["label"] for tick in chart.y_ticks()] == ["0", "250", "500", "750", "1000", "1250"]
    months = Chart("Calls", "", [(f"2024-{m:02d}", m) for m in range(1, 13)] * 2)
    assert len(months.x_ticks()) <= 9  # 24 months: every third labelled, and the last


def test_status_pills_say_their_status_in_words(client, people, figures):
    client.force_login(people["owner"])
    soup = BeautifulSoup(
        client.get(reverse("backlog_admin:kpis") + "?unit=street-scene").content, "html.parser"
    )
    pills = {pill["class"][-1]: pill.get_text(strip=True) for pill in soup.select(".kpi-status")}
    assert pills["kpi-status--green"] == "Green: on target"
    assert pills["kpi-status--amber"] == "Amber: close to target"
    assert pills["kpi-status--grey"] == "No target or data"
