"""What the dashboard's frames and figures tell a reader, without a browser: KPI deltas
that say n/a instead of inventing a rise, partial periods marked, at most six colours
in a stack, whole-number map legends, heat maps without empty rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import ordering
from analysis.aggregate import Filter, by_country, by_date, crosstab_topic_region, from_articles
from dashboard import charts, frames
from dashboard.views import articles

ROWS = [  # (date, partners, topics)
    ("2023-02-01", ["JPN"], ["energy"]),
    ("2023-03-01", ["CHN"], ["energy"]),
    ("2024-01-10", ["JPN"], ["energy"]),
    ("2024-02-10", ["JPN"], ["transport"]),
    ("2024-11-20", ["FRA", "CHN"], ["transport"]),
]


@pytest.fixture(scope="module")
def data():
    frame = pd.DataFrame(
        {
            "date": [r[0] for r in ROWS],
            "partner_countries": [r[1] for r in ROWS],
            "topics": [r[2] for r in ROWS],
        }
    )
    return from_articles(frame)


def test_kpi_deltas_are_na_without_earlier_data(data) -> None:
    row = frames.kpi_cards(data, Filter())
    assert [card.delta for card in row.cards] == [frames.NOT_AVAILABLE] * 6
    assert all(card.change == 0 for card in row.cards)  # grey, no arrow
    assert row.previous.startswith("vs 2021-") and "no articles" in row.previous


def test_kpi_deltas_compare_with_the_previous_year(data) -> None:
    row = frames.kpi_cards(data, Filter(start="2024-01-01", end="2024-12-31"))
    cards = {card.label: card for card in row.cards}
    assert cards["Engagements"].value == "4" and cards["Engagements"].delta == "+2"
    assert cards["Partner countries"].delta == "+1"
    assert cards["Top partner"].value == "Japan" and cards["Top partner"].delta == "+1 events"
    assert row.previous == "vs 2022-12-31 – 2023-12-31"


def test_no_change_is_neutral(data) -> None:
    """CHN: one engagement in each half of the store."""
    row = frames.kpi_cards(data, Filter(start="2024-01-01", end="2024-12-31", countries=["CHN"]))
    engagements = row.cards[0]
    assert (engagements.delta, engagements.change) == ("+0", 0)


def test_partial_periods_are_hatched_and_labelled(data) -> None:
    frame = by_date(data, "quarter")
    partial = (pd.Timestamp("2023-01-01"), pd.Timestamp("2024-10-01"))
    fig = charts.trend(frame, "engagements", "Engagements per quarter", partial=partial)
    shapes = list(fig.data[0].marker.pattern.shape)
    assert shapes[0] == "/" and shapes[-1] == "/" and set(shapes[1:-1]) == {""}
    assert [a.text for a in fig.layout.annotations] == [charts.PARTIAL_NOTE] * 2


def test_stack_keeps_six_colours_and_other_in_legend_order() -> None:
    labels = [f"topic {chr(97 + i)}" for i in range(9)]
    frame = pd.DataFrame(
        {
            "label": labels,
            "period": pd.Timestamp("2024-01-01"),
            "period_label": "2024-01",
            "engagements": [1, 9, 8, 7, 6, 5, 4, 2, 3],
        }
    )
    grouped = ordering.top_and_other(frame, "label", "engagements", keep=6)
    fig = charts.trend(grouped, "engagements", "t", stack="label")
    names = [trace.name for trace in fig.data]
    assert names == ["topic b", "topic c", "topic d", "topic e", "topic f", "topic g", "Other"]
    assert [trace.legendrank for trace in fig.data] == list(range(7))  # legend = stack order
    assert fig.data[-1].marker.color == charts.OTHER_GREY


def test_period_shares_hide_small_periods_and_keep_counts() -> None:
    frame = pd.DataFrame(
        {
            "label": ["a", "b", "a", "b"],
            "period": [pd.Timestamp("2024-01-01")] * 2 + [pd.Timestamp("2024-02-01")] * 2,
            "engagements": [3, 1, 6, 4],
        }
    )
    shares, hidden = frames.period_shares(frame)
    assert hidden == 1  # January has 4 engagements, fewer than 5
    assert shares[["engagements", "total", frames.SHARE]].values.tolist() == [
        [6, 10, 60.0],
        [4, 10, 40.0],
    ]


def test_map_legend_steps_by_whole_numbers_and_globe_is_not_cut(data) -> None:
    frame = frames.with_share(by_country(data))
    fig = charts.world_map(frame, "map")
    bar = fig.layout.coloraxis.colorbar
    assert (bar.tick0, bar.dtick, bar.tickformat) == (0, 1, ",d")
    assert fig.layout.geo.lataxis.range is None
    assert fig.layout.hoverlabel.bgcolor == "white"
    big = frame.assign(engagements=frame["engagements"] * 40)
    assert charts.world_map(big, "map").layout.coloraxis.colorbar.dtick == 20


def test_heat_map_leaves_out_empty_rows_and_columns(data) -> None:
    frame = crosstab_topic_region(data)
    shown = frames.trimmed_grid(frame, "label", "region")
    assert set(shown["label"]) == {"Energy", "Transport & logistics"}
    assert set(shown["region"]) == {"Asia", "Europe"}
    assert shown["engagements"].sum() == frame["engagements"].sum()
    shares = frames.with_share(shown, within="label")
    assert shares.groupby("label")[frames.SHARE].sum().round().eq(100).all()


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.kz/news/1", "https://example.kz/news/1"),
        ("HTTP://example.kz/a?b=1", "HTTP://example.kz/a?b=1"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>x</script>", None),
        ("//example.kz/no-scheme", None),
        ("https:///no-host", None),
        (None, None),
    ],
)
def test_only_http_links_are_clickable(url, safe) -> None:
    assert articles.safe_url(url) == safe


def test_timeline_escapes_titles(data) -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-02", "2024-03-04"]),
            "event_type": ["Meeting", "Visit"],
            "title": ['<a href="javascript:x">Talks</a>', "Plain & simple"],
        }
    )
    fig = charts.timeline(frame, "t")
    hover = [row[0] for row in fig.data[0].customdata]
    assert hover == ["&lt;a href=&quot;javascript:x&quot;&gt;Talks&lt;/a&gt;", "Plain &amp; simple"]


def test_rank_and_share_follow_the_rule(data) -> None:
    table = by_country(data)  # JPN 3, CHN 2, FRA 1
    assert ordering.standing(table, "iso3", "JPN", "name") == (1, 3, 50.0)
    assert ordering.standing(table, "iso3", "FRA", "name") == (3, 3, 16.7)
    assert ordering.standing(table, "iso3", "USA", "name") == (0, 3, 0.0)
