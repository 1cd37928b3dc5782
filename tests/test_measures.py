"""The three measures and the format (spec §3) in every aggregate, on a small store whose
events are obvious: one meeting reported three times, a summit reported twice, a call."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import aggregate as agg
from analysis.aggregate import Filter


def _report(id_, day, partners, orgs=(), topics=(), event="meeting", level="president"):
    return {
        "id": id_,
        "date": dt.date(2024, 7, day) if day else None,
        "partner_countries": list(partners),
        "partner_orgs": list(orgs),
        "topics": list(topics),
        "event_type": event,
        "kz_actor_level": level,
        "title": id_,
    }


COPIES = [
    # one meeting with Russia: the release, its Russian version, an agency story next day
    _report("m-en", 1, ["RUS"], topics=["energy"]),
    _report("m-ru", 1, ["RUS"], topics=["energy", "transport"]),
    _report("m-agency", 2, ["RUS"]),
    # one summit: two reports naming different participants; SCO in one of them
    _report("s-en", 4, ["CHN", "RUS"], ["SCO"], ["multilateral"], "conference"),
    _report("s-ru", 5, ["CHN", "KGZ"], [], ["security"], "conference"),
    # a call with China, and an undated report of a visit to China
    _report("c", 4, ["CHN"], event="phone_call"),
    _report("u", None, ["CHN"], event="visit"),
]


@pytest.fixture(scope="module")
def data() -> agg.Data:
    return agg.from_articles(pd.DataFrame(COPIES))


def counts(frame: pd.DataFrame, key: str) -> dict[str, tuple[int, int, int]]:
    return {
        r[key]: (r["articles"], r["engagements"], r["events"]) for r in frame.to_dict("records")
    }


def test_reports_of_one_occurrence_count_once_as_events(data):
    assert agg.totals(data) == {
        "engagements": 10,
        "articles": 7,
        "events": 4,
        "countries": 3,
        "organisations": 1,
    }
    assert data.articles["event_id"].tolist() == ["m-en"] * 3 + ["s-en"] * 2 + ["c", "u"]


def test_by_country_counts_each_event_once_per_partner(data):
    got = counts(agg.by_country(data), "iso3")
    assert got == {"RUS": (4, 4, 2), "CHN": (4, 4, 3), "KGZ": (1, 1, 1)}


def test_rankings_follow_the_measure(data):
    assert agg.by_country(data, measure="events")["iso3"].tolist() == ["CHN", "RUS", "KGZ"]
    assert agg.by_country(data, measure="articles")["iso3"].tolist() == ["CHN", "RUS", "KGZ"]
    with pytest.raises(ValueError, match="measure must be one of"):
        agg.by_country(data, measure="meetings")


def test_an_event_counts_in_every_topic_of_its_reports(data):
    got = counts(agg.by_topic(data), "topic")
    assert got["energy"] == (2, 2, 1)
    assert got["transport"] == (1, 1, 1)
    assert got["security"] == (1, 2, 1)
    assert got["multilateral"] == (1, 3, 1)


def test_event_type_actor_level_organisation_and_regions(data):
    assert counts(agg.by_event_type(data), "event_type")["meeting"] == (3, 3, 1)
    assert counts(agg.by_event_type(data), "event_type")["conference"] == (2, 5, 1)
    assert counts(agg.by_actor_level(data), "kz_actor_level")["president"] == (7, 10, 4)
    assert counts(agg.by_organisation(data), "organisation") == {"SCO": (1, 1, 1)}
    regions = counts(agg.by_region(data), "region")
    assert regions["Asia"] == (4, 5, 3)  # CHN x4 reports, KGZ once; events summit, call, visit
    assert regions["Europe"] == (4, 4, 2)
    heat = agg.crosstab_topic_region(data)
    row = heat[(heat["topic"] == "security") & (heat["region"] == "Asia")].iloc[0]
    assert (row["articles"], row["engagements"], row["events"]) == (1, 2, 1)


def test_the_format_is_the_events_and_filters_and_breaks_down(data):
    formats = dict(zip(data.articles["id"], data.articles["format"], strict=True))
    assert formats == {
        "m-en": "bilateral",
        "m-ru": "bilateral",
        "m-agency": "bilateral",
        "s-en": "multilateral",
        "s-ru": "multilateral",
        "c": "bilateral",
        "u": "bilateral",
    }
    got = counts(agg.by_format(data), "format")
    assert got == {"bilateral": (5, 5, 3), "multilateral": (2, 5, 1)}
    bilateral = Filter(formats=["bilateral"]).apply(data)
    assert counts(agg.by_country(bilateral), "iso3") == {"RUS": (3, 3, 1), "CHN": (2, 2, 2)}
    with pytest.raises(ValueError, match="format must be one of"):
        Filter(formats=["trilateral"])


def test_a_conference_with_one_state_is_multilateral():
    data = agg.from_articles(pd.DataFrame([_report("x", 1, ["TUR"], event="conference")]))
    assert data.articles["format"].tolist() == ["multilateral"]
    lone = agg.from_articles(pd.DataFrame([_report("y", 1, [], event="other")]))
    assert lone.articles["format"].isna().all()
    assert agg.by_format(lone)["articles"].sum() == 0


def test_an_event_is_dated_by_its_earliest_kept_report(data):
    days = agg.by_date(data, "day").set_index("period_label")
    assert days.loc["2024-07-01", ["articles", "events"]].tolist() == [2, 1]
    assert days.loc["2024-07-02", ["articles", "events"]].tolist() == [1, 0]
    assert days.loc["2024-07-04", ["articles", "events"]].tolist() == [2, 2]
    assert days["events"].sum() == 3  # the undated visit is left out of time charts
    later = Filter(start="2024-07-02").apply(data)
    assert agg.by_date(later, "day").set_index("period_label").loc["2024-07-02", "events"] == 1


def test_time_series_of_countries_regions_and_topics_count_events(data):
    countries = agg.country_by_period(data, "month")
    assert countries.set_index("iso3").loc["RUS", "events"] == 2
    regions = agg.region_by_period(data, "month").set_index("region")
    assert regions.loc["Asia", ["articles", "events"]].tolist() == [3, 2]  # undated left out
    topics = agg.topic_by_period(data, "month").set_index("topic")
    assert topics.loc["energy", ["articles", "events"]].tolist() == [2, 1]


def test_filters_count_events_with_any_kept_report(data):
    view = Filter(topics=["transport"]).apply(data)
    assert agg.totals(view)["events"] == 1
    assert counts(agg.by_country(view), "iso3") == {"RUS": (1, 1, 1)}
    kpis = agg.kpis(data, Filter(start="2024-07-01", end="2024-07-05")).set_index("metric")
    assert kpis.loc["events", "value"] == 3


def test_a_window_chosen_at_load_reclusters(data):
    wide = agg.from_articles(pd.DataFrame(COPIES), window=0)
    assert agg.totals(wide)["events"] == 6  # the next-day reports are events of their own


def test_aggregate_entry_point_takes_the_measure(data):
    frame = agg.aggregate(data, "country", measure="articles")
    assert list(frame.columns[5:8]) == ["engagements", "articles", "events"]
    assert agg.aggregate(data, "format")["events"].tolist() == [3, 1]
    with pytest.raises(ValueError, match="measure"):
        agg.aggregate(data, "topic", measure="reports")


def test_an_events_card_has_the_union_of_its_reports(data):
    from analysis.event_reports import event_of, language

    summit = event_of(data, "s-ru")
    assert summit.event_id == "s-en" and summit.date == pd.Timestamp("2024-07-04")
    assert summit.partner_countries == ("CHN", "KGZ", "RUS") and summit.partner_orgs == ("SCO",)
    assert summit.topics == ("multilateral", "security") and summit.format == "multilateral"
    assert summit.reports["id"].tolist() == ["s-en", "s-ru"]
    assert event_of(data, "no-such-id") is None
    assert [language("Talks", ""), language("Переговоры", ""), language("Келіссөздер", "")] == [
        "en",
        "ru",
        "kk",
    ]
