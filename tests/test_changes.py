"""Period comparison, partial periods and the one ranking rule (analysis layer), on a
small hand-made store whose answers can be counted by eye."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis import changes, exports, ordering, periods
from analysis.aggregate import Filter, by_country, by_topic, from_articles

# (date, partner countries, topics): 2023 is the previous range of 2024.
ROWS = [
    ("2023-02-01", ["JPN"], ["energy"]),
    ("2023-03-01", ["CHN"], ["energy"]),
    ("2023-04-01", ["CHN"], ["transport"]),
    ("2023-05-01", ["DEU"], ["energy"]),
    ("2024-01-10", ["JPN"], ["environment_water"]),
    ("2024-02-10", ["JPN"], ["transport"]),
    ("2024-03-10", ["JPN", "FRA"], ["transport"]),
    ("2024-04-10", ["DEU"], ["energy"]),
    ("2024-11-20", ["FRA"], ["transport"]),
]
YEAR_2024 = Filter(start="2024-01-01", end="2024-12-31")


@pytest.fixture(scope="module")
def data():
    frame = pd.DataFrame(
        {
            "date": [r[0] for r in ROWS],
            "partner_countries": [r[1] for r in ROWS],
            "topics": [r[2] for r in ROWS],
            "title": [f"item {i}" for i in range(len(ROWS))],
        }
    )
    return from_articles(frame)


def test_previous_range_is_the_year_before_and_covered(data) -> None:
    compared = periods.comparison(data, YEAR_2024)
    assert compared.current == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert compared.previous == (dt.date(2022, 12, 31), dt.date(2023, 12, 31))  # 366 days
    assert compared.covered


def test_a_range_before_the_store_is_not_covered(data) -> None:
    """The whole store's range is compared with years the store does not reach."""
    compared = periods.comparison(data, Filter())
    assert compared.previous[1] == dt.date(2023, 1, 31)
    assert not compared.covered


def test_what_changed_partners(data) -> None:
    found = changes.what_changed(data, YEAR_2024)
    table = found.partners.set_index("key")
    assert table.loc["JPN", ["before", "now", "change", "status"]].tolist() == [1, 3, 2, "rising"]
    assert table.loc["FRA", "status"] == changes.NEW and table.loc["FRA", "now"] == 2
    assert table.loc["CHN", "status"] == changes.QUIET and table.loc["CHN", "before"] == 2
    assert table.loc["DEU", "status"] == changes.SAME
    assert list(found.cut("partners", "gains")["key"]) == ["FRA", "JPN"]  # tie: by name
    assert list(found.cut("partners", "losses")["key"]) == ["CHN"]
    assert list(found.cut("partners", "new")["key"]) == ["FRA"]
    assert list(found.cut("partners", "quiet")["key"]) == ["CHN"]
    assert found.count("partners", "gains") == 2
    assert np.isnan(table.loc["FRA", "change_pct"]) and table.loc["JPN", "change_pct"] == 200.0


def test_what_changed_topics_keep_other_filters(data) -> None:
    japan = Filter(start="2024-01-01", end="2024-12-31", countries=["JPN"])
    found = changes.what_changed(data, japan)
    topics = found.topics.set_index("key")
    assert topics.loc["transport", ["before", "now", "status"]].tolist() == [0, 2, changes.NEW]
    assert topics.loc["energy", ["before", "now", "status"]].tolist() == [1, 0, changes.QUIET]
    assert "security" not in topics.index  # no engagement in either range


def test_partial_periods_at_both_ends(data) -> None:
    """The store runs 2023-02-01 to 2024-11-20: the first and the last quarter of the
    whole range are only partly covered, the ones between are full."""
    table = periods.coverage(data.period, data.span, "quarter")
    assert list(table["partial"]) == [True, False, False, False, False, False, False, True]
    assert table["covered"].iloc[0] == 59 and table["days"].iloc[0] == 90
    assert periods.partial_periods(data, "quarter") == [
        pd.Timestamp("2023-01-01"),
        pd.Timestamp("2024-10-01"),
    ]
    # a range that ends mid-month marks that month, even where the store goes on
    view = Filter(start="2023-03-01", end="2023-06-15").apply(data)
    assert periods.partial_periods(view, "month") == [pd.Timestamp("2023-06-01")]


def test_weeks_start_on_monday_like_the_aggregate() -> None:
    table = periods.coverage((dt.date(2024, 3, 6), dt.date(2024, 3, 20)), None, "week")
    mondays = ("2024-03-04", "2024-03-11", "2024-03-18")
    assert list(table["period"]) == [pd.Timestamp(d) for d in mondays]
    assert list(table["partial"]) == [True, False, True]


def test_one_tie_break_rule_for_every_top(data) -> None:
    """Early 2024, Japan has one environment and one transport engagement: the label
    decides (Environment before Transport, though the taxonomy lists transport first),
    for the topic ranking and the country's top topics alike."""
    view = Filter(start="2024-01-01", end="2024-02-28", countries=["JPN"]).apply(data)
    assert ordering.leader(by_topic(view), "label")["label"] == "Environment & water"
    assert by_country(view).iloc[0]["top_topics"].split("; ")[0] == "Environment & water"
    matrix = np.array([[1, 1, 0], [0, 2, 2]])
    assert ordering.top_columns(matrix, ["b", "a", "c"], 2).tolist() == [[1, 0], [1, 2]]


def test_top_and_other_groups_the_smallest() -> None:
    frame = pd.DataFrame(
        {
            "label": list("abcdefgh") * 2,
            "period": [pd.Timestamp("2024-01-01")] * 8 + [pd.Timestamp("2024-02-01")] * 8,
            "engagements": [9, 8, 7, 6, 5, 4, 1, 0, 9, 8, 7, 6, 5, 4, 2, 0],
        }
    )
    grouped = ordering.top_and_other(frame, "label", "engagements", keep=5)
    assert list(grouped["label"].cat.categories) == ["a", "b", "c", "d", "e", ordering.OTHER]
    other = grouped[grouped["label"] == ordering.OTHER]
    assert other["engagements"].tolist() == [5, 6]  # f + g; h (all zero) is dropped
    assert grouped["engagements"].sum() == frame["engagements"].sum()


def test_file_name_names_every_filter() -> None:
    selection = Filter(countries=["JPN"], topics=["energy"], text="Middle Corridor")
    tag = exports.filter_tag(selection)
    assert tag == "country-jpn_topic-energy_search-middle-corridor"
    assert exports.download_name("map", "2024-01-01", "2024-12-31", "csv", tag) == (
        "map_2024-01-01_2024-12-31_country-jpn_topic-energy_search-middle-corridor.csv"
    )
    many = Filter(countries=["JPN", "CHN", "FRA", "DEU"])
    assert exports.filter_tag(many) == "country-4-values"
    assert exports.filter_tag(Filter(start="2024-01-01")) == ""
