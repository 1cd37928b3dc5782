"""Filters and aggregates on small hand-built stores where the right answer is obvious,
and on the gold labels against counts derived directly from them."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import aggregate as agg
from analysis import countries, store, vocabulary
from analysis.aggregate import Filter

LABELS = Path(__file__).resolve().parent / "data" / "labels.jsonl"
UTC = dt.UTC
KZ = dt.timezone(dt.timedelta(hours=5))


def _article(id_, date, partners=(), orgs=(), topics=(), event="other", level="other", **extra):
    return {
        "id": id_,
        "date": date,
        "partner_countries": list(partners),
        "partner_orgs": list(orgs),
        "topics": list(topics),
        "event_type": event,
        "kz_actor_level": level,
        **extra,
    }


TINY = [
    # three partners; the 31st of January and the 1st of February share a Monday week
    _article("a1", dt.date(2024, 1, 31), ["RUS", "CHN", "KGZ"], [], ["energy", "security"],
             "meeting", "president", title="Talks in Moscow", text="An energy corridor."),
    _article("a2", dt.date(2024, 2, 1), [], [], ["referendum"], "briefing", "ambassador",
             title="Briefing for the diaspora", text="No partner at all."),
    _article("a3", dt.date(2024, 2, 15), ["KGZ"], ["SCO"], ["security"], "conference",
             "foreign_minister", title="SCO ministers meet", text="=HYPERLINK()"),
    # no date: 20:00 UTC on New Year's Eve is already 1 January in Astana (UTC+5)
    _article("a4", None, ["DEU"], [], ["trade_investment"], "visit", "president",
             datetime=pd.Timestamp("2023-12-31T20:00", tz="UTC"), title="Visit to Berlin"),
    # a repeated partner, a code the country table does not know, an organisation
    _article("a5", dt.date(2023, 12, 31), ["DEU", " deu ", "ZZZ"], ["UN"], [], "message",
             "minister", title="Condolences", text="Telegram."),
]  # fmt: skip


@pytest.fixture(scope="module")
def data() -> agg.Data:
    return agg.from_articles(pd.DataFrame(TINY))


def rows(frame: pd.DataFrame, key: str, *columns: str) -> dict:
    """{key: (columns...)} for compact comparisons."""
    return {
        row[key]: tuple(row[c] for c in columns) if len(columns) > 1 else row[columns[0]]
        for row in frame.to_dict("records")
    }


# -- load -----------------------------------------------------------------------------------


def test_one_engagement_per_distinct_partner(data):
    assert data.articles["engagements"].tolist() == [3, 0, 2, 1, 3]
    eng = data.engagements
    assert len(eng) == 9
    assert eng["partner"].tolist() == ["RUS", "CHN", "KGZ", "KGZ", "SCO", "DEU", "DEU", "ZZZ", "UN"]
    assert eng["partner_kind"].value_counts().to_dict() == {"country": 7, "organisation": 2}
    assert eng.loc[eng["partner"] == "ZZZ", ["partner_name", "region"]].values.tolist() == [
        ["ZZZ", "Unknown"]
    ]
    assert eng.loc[eng["partner"] == "UN", "region"].isna().all()


def test_frames_have_efficient_dtypes(data):
    eng = data.engagements
    for column in ("partner", "iso3", "region", "subregion", "event_type", "kz_actor_level"):
        assert isinstance(eng[column].dtype, pd.CategoricalDtype), column
    assert eng["date"].dtype == "datetime64[us]"
    assert data.articles["date"].dtype == "datetime64[us]"
    assert list(data.articles["event_type"].cat.categories[:3]) == ["meeting", "visit", "briefing"]
    assert data.articles.loc[eng["article"].iloc[0], "id"] == "a1"


def test_date_falls_back_to_datetime_in_kazakhstan_time(data):
    assert data.articles.set_index("id").loc["a4", "date"] == pd.Timestamp("2024-01-01")


def test_load_of_a_missing_store_is_empty(tmp_path):
    empty = agg.load(tmp_path / "nothing")
    assert empty.span is None and empty.period is None
    assert agg.by_country(empty).empty
    assert agg.by_date(empty).empty
    assert agg.by_topic(empty)["articles"].sum() == 0
    assert agg.kpis(empty)["value"].tolist() == [0, 0, 0, 0, 0]


def test_load_reads_the_store(tmp_path):
    frame = store.empty_frame()
    frame = pd.DataFrame([_article("s1", dt.date(2025, 5, 5), ["UZB"], topics=["energy"])])
    for column in store.COLUMNS:
        if column not in frame:
            frame[column] = [[]] if column in agg.LIST_COLUMNS else None
    store.write_articles(tmp_path, frame, {})
    loaded = agg.load(tmp_path)
    assert rows(agg.by_country(loaded), "iso3", "engagements") == {"UZB": 1}


# -- aggregates on the whole tiny store ---------------------------------------------------------


def test_by_country(data):
    frame = agg.by_country(data)
    assert frame["iso3"].tolist() == ["DEU", "KGZ", "CHN", "RUS", "ZZZ"]
    assert (frame["engagements"] == frame["articles"]).all()
    kgz = frame.set_index("iso3").loc["KGZ"]
    assert (kgz["engagements"], kgz["name"], kgz["region"]) == (2, "Kyrgyzstan", "Asia")
    assert (kgz["first_date"], kgz["last_date"]) == (
        pd.Timestamp("2024-01-31"),
        pd.Timestamp("2024-02-15"),
    )
    labels = vocabulary.label("security"), vocabulary.label("energy")
    assert kgz["top_topics"] == "; ".join(labels)


def test_by_region_counts_distinct_articles(data):
    frame = agg.by_region(data)
    got = rows(frame, "region", "countries", "engagements", "articles")
    assert got["Asia"] == (2, 3, 2)  # CHN, KGZ in a1 and a3
    assert got["Europe"] == (2, 3, 3)  # RUS in a1, DEU in a4 and a5
    assert got["Unknown"] == (1, 1, 1)
    assert got["Africa"] == (0, 0, 0)
    assert frame["region"].tolist()[:3] == ["Europe", "Asia", "Unknown"]  # most events first
    by_engagements = agg.by_region(data, measure="engagements")
    assert by_engagements["region"].tolist()[:3] == ["Asia", "Europe", "Unknown"]  # tie: name


def test_by_subregion_names_its_region(data):
    frame = agg.by_region(data, "subregion").set_index("subregion")
    assert frame.loc["Central Asia", ["region", "engagements"]].tolist() == ["Asia", 2]
    with pytest.raises(ValueError, match="level"):
        agg.by_region(data, "continent")


def test_by_grouping_overlaps(data):
    got = rows(agg.by_grouping(data), "grouping", "countries", "engagements", "articles")
    assert got["sco"] == (3, 4, 2)
    assert got["cis"] == (2, 3, 2)
    assert got["eu"] == (1, 2, 2)
    assert got["g20"] == (3, 4, 3)
    assert got["gcc"] == (0, 0, 0)
    assert len(got) == len(countries.groupings())


def test_by_topic(data):
    got = rows(agg.by_topic(data), "topic", "engagements", "articles")
    assert got["security"] == (5, 2)
    assert got["energy"] == (3, 1)
    assert got["referendum"] == (0, 1)  # an article without partners still counts
    assert got["trade_investment"] == (1, 1)
    assert got["transport"] == (0, 0)


def test_by_event_type_lists_the_whole_vocabulary(data):
    frame = agg.by_event_type(data)
    got = rows(frame, "event_type", "engagements", "articles")
    assert got["meeting"] == (3, 1)
    assert got["briefing"] == (0, 1)
    assert got["message"] == (3, 1)
    assert set(vocabulary.EVENT_TYPES) == set(got)
    assert rows(frame, "event_type", "label")["phone_call"] == "Phone call"


def test_by_actor_level_is_ordered_by_seniority(data):
    frame = agg.by_actor_level(data)
    assert list(frame["kz_actor_level"]) == list(vocabulary.ACTOR_LEVELS)
    got = rows(frame, "kz_actor_level", "engagements", "articles")
    assert got["president"] == (4, 2)
    assert got["foreign_minister"] == (2, 1)
    assert got["ambassador"] == (0, 1)
    assert got["embassy"] == (0, 0)


def test_region_by_period_sums_country_engagements(data):
    frame = agg.region_by_period(data, "year")
    got = {(r.region, r.period_label): r.engagements for r in frame.itertuples()}
    assert got[("Asia", "2024")] == 3  # CHN and KGZ in January, KGZ in February
    assert got[("Europe", "2024")] == 2  # RUS, and DEU on 1 January in Astana
    assert got[("Europe", "2023")] == 1
    counted = {(r.region, r.period_label): (r.articles, r.events) for r in frame.itertuples()}
    assert counted[("Asia", "2024")] == (2, 2)  # a1 (CHN and KGZ) counts once, and a3
    assert counted[("Europe", "2024")] == (2, 2)
    whole = agg.country_by_period(data, "year")
    assert frame["engagements"].sum() == whole["engagements"].sum()


def test_by_organisation(data):
    assert rows(agg.by_organisation(data), "organisation", "engagements") == {"SCO": 1, "UN": 1}


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        ("month", {"2023-12": (3, 1), "2024-01": (4, 2), "2024-02": (2, 2)}),
        ("quarter", {"2023-Q4": (3, 1), "2024-Q1": (6, 4)}),
        ("year", {"2023": (3, 1), "2024": (6, 4)}),
    ],
)
def test_by_date_period_boundaries(data, freq, expected):
    assert rows(agg.by_date(data, freq), "period_label", "engagements", "articles") == expected


def test_by_date_weeks_start_on_monday_and_empty_weeks_are_zero(data):
    frame = agg.by_date(data, "week")
    assert frame["period"].iloc[0] == pd.Timestamp("2023-12-25")  # Monday before Sun 31 Dec
    assert frame["period"].dt.day_of_week.eq(0).all()
    assert len(frame) == 8 and frame["period"].diff().dropna().eq(pd.Timedelta(days=7)).all()
    got = rows(frame, "period_label", "engagements", "articles")
    assert got["2024-W05"] == (3, 2)  # Wed 31 Jan and Thu 1 Feb
    assert got["2024-W02"] == (0, 0)
    assert frame["engagements"].sum() == 9


def test_by_date_days(data):
    frame = agg.by_date(data, "day")
    assert len(frame) == 47  # 31 Dec .. 15 Feb
    assert rows(frame, "period_label", "articles")["2024-01-01"] == 1


def test_crosstab_topic_region(data):
    frame = agg.crosstab_topic_region(data)
    assert len(frame) == len(data.base.topics) * 6  # five M49 regions + Unknown
    got = {
        (r["topic"], r["region"]): (r["engagements"], r["articles"])
        for r in frame.to_dict("records")
    }
    assert got[("security", "Asia")] == (3, 2)
    assert got[("security", "Europe")] == (1, 1)
    assert got[("energy", "Asia")] == (2, 1)
    assert got[("trade_investment", "Europe")] == (1, 1)
    assert got[("referendum", "Asia")] == (0, 0)


def test_country_by_period(data):
    frame = agg.country_by_period(data, "year")
    assert len(frame) == 5 * 2
    got = {(r["iso3"], r["period_label"]): r["engagements"] for r in frame.to_dict("records")}
    assert got[("DEU", "2023")] == 1 and got[("DEU", "2024")] == 1
    assert got[("KGZ", "2023")] == 0 and got[("KGZ", "2024")] == 2
    assert frame["iso3"].iloc[0] == "DEU"


def test_topic_by_period(data):
    frame = agg.topic_by_period(data, "month")
    got = {
        (r["topic"], r["period_label"]): (r["engagements"], r["articles"])
        for r in frame.to_dict("records")
    }
    assert got[("security", "2024-01")] == (3, 1)
    assert got[("security", "2024-02")] == (2, 1)
    assert got[("referendum", "2024-02")] == (0, 1)


def test_aggregate_dispatch(data):
    assert agg.aggregate(data, "date", "year")["period_label"].tolist() == ["2023", "2024"]
    assert agg.aggregate(data, "subregion").columns[0] == "subregion"
    with pytest.raises(ValueError, match="by must be one of"):
        agg.aggregate(data, "planet")
    with pytest.raises(ValueError, match="freq"):
        agg.by_date(data, "fortnight")


# -- filters ------------------------------------------------------------------------------------


def kept(data: agg.Data, **fields) -> tuple[list[str], int]:
    view = Filter(**fields).apply(data)
    return sorted(view.articles["id"]), len(view.engagements)


def test_dates_are_inclusive_days(data):
    assert kept(data, start="2024-02-01", end="2024-02-01") == (["a2"], 0)
    assert kept(data, start=dt.date(2024, 1, 31), end="2024-02-15") == (["a1", "a2", "a3"], 5)
    assert kept(data, end="2023-12-31") == (["a5"], 3)


def test_aware_datetimes_are_taken_in_kazakhstan_time(data):
    just_after_midnight = dt.datetime(2023, 12, 31, 19, 30, tzinfo=UTC)  # 00:30 in Astana
    assert Filter(start=just_after_midnight).start == dt.date(2024, 1, 1)
    assert kept(data, start=just_after_midnight, end="2024-01-01") == (["a4"], 1)
    assert Filter(end=dt.datetime(2024, 1, 1, 23, 0, tzinfo=KZ)).end == dt.date(2024, 1, 1)


def test_country_filter_keeps_only_that_partner(data):
    view = Filter(countries=["KGZ"]).apply(data)
    assert sorted(view.articles["id"]) == ["a1", "a3"]
    assert view.engagements["partner"].tolist() == ["KGZ", "KGZ"]
    assert rows(agg.by_country(view), "iso3", "engagements") == {"KGZ": 2}
    assert rows(agg.by_topic(view), "topic", "engagements")["energy"] == 1


def test_regions_and_groupings_select_countries(data):
    assert kept(data, regions=["Central Asia"]) == kept(data, countries=["KGZ"])
    assert kept(data, regions=["eaeu"], countries=["RUS", "DEU"]) == (["a1"], 1)
    assert kept(data, regions=["Asia"], countries=["DEU"]) == ([], 0)
    assert kept(data, regions=["EU", "Central Asia"]) == (["a1", "a3", "a4", "a5"], 4)


def test_countries_or_organisations(data):
    assert kept(data, countries=["RUS"], organisations=["SCO"]) == (["a1", "a3"], 2)
    assert kept(data, organisations=["UN"]) == (["a5"], 1)


def test_topic_event_level_and_text_filters(data):
    assert kept(data, topics=["energy", "referendum"]) == (["a1", "a2"], 3)
    assert kept(data, topics=["no_such_topic"]) == ([], 0)
    assert kept(data, event_types=["visit", "message"]) == (["a4", "a5"], 4)
    assert kept(data, actor_levels=["president"]) == (["a1", "a4"], 4)
    assert kept(data, text="MOSCOW") == (["a1"], 3)
    assert kept(data, text="corridor") == (["a1"], 3)
    assert kept(data, text="Condolences", event_types=["meeting"]) == ([], 0)


def test_filters_chain(data):
    first = Filter(start="2024-02-01").apply(data)
    view = Filter(countries=["KGZ"]).apply(first)
    assert sorted(view.articles["id"]) == ["a3"]


def test_filter_normalises_and_hashes():
    a = Filter(start="2024-01-01", countries=["kgz", "Russian Federation"], topics="energy")
    b = Filter(start=dt.date(2024, 1, 1), countries=("KGZ", "RUS"), topics=("energy",))
    assert a == b and hash(a) == hash(b)
    assert a.countries == ("KGZ", "RUS")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "2024-02-01", "end": "2024-01-01"}, "starts"),
        ({"countries": ["Narnia"]}, "unknown country"),
        ({"regions": ["Atlantis"]}, "unknown region"),
    ],
)
def test_filter_rejects_nonsense(fields, message):
    with pytest.raises(ValueError, match=message):
        Filter(**fields)


def test_empty_result_gives_empty_or_zero_frames(data):
    view = Filter(countries=["BRA"]).apply(data)
    for name, function in agg.AGGREGATIONS.items():
        frame = function(view)
        assert "engagements" in frame.columns, name
        assert frame["engagements"].sum() == 0, name
        if name != "region_period":  # distinct articles cannot be summed over countries
            assert frame["articles"].sum() == 0, name
    assert agg.by_country(view).empty
    assert len(agg.by_date(view, "month")) == 3  # the store's range, all zero
    assert agg.kpis(data, Filter(countries=["BRA"]))["value"].tolist() == [0, 0, 0, 0, 0]


def test_a_range_without_data_is_all_zeros(data):
    view = Filter(start="2010-01-01", end="2010-03-31").apply(data)
    frame = agg.by_date(view, "month")
    assert frame["period_label"].tolist() == ["2010-01", "2010-02", "2010-03"]
    assert frame[["engagements", "articles"]].to_numpy().sum() == 0
    assert agg.by_topic(view)["articles"].sum() == 0
    assert agg.by_date(Filter(start="2030-01-01").apply(data)).empty  # no range at all


def test_the_grid_stops_where_no_date_can_be(data):
    """Years of zeros before 1991 or after tomorrow are never listed (a day grid from
    year 1 was 740,000 rows per country); the store's own dates still are."""
    assert agg.by_date(Filter(start="2030-01-01", end="2030-03-31").apply(data)).empty
    frame = agg.by_date(Filter(start="0001-01-01", end="1991-02-28").apply(data), "month")
    assert frame["period_label"].tolist() == ["1991-01", "1991-02"]


# -- KPI cards -----------------------------------------------------------------------------------


def test_kpis_compare_with_the_previous_range_of_equal_length(data):
    frame = agg.kpis(data, Filter(start="2024-02-01", end="2024-02-29")).set_index("metric")
    assert frame.loc["engagements", ["value", "previous", "change"]].tolist() == [2, 3, -1]
    assert frame.loc["engagements", "change_pct"] == pytest.approx(-100 / 3)
    assert frame.loc["countries", ["value", "previous"]].tolist() == [1, 3]
    assert np.isnan(frame.loc["organisations", "change_pct"])  # 1 against 0
    first = frame.iloc[0]
    assert (first["previous_start"], first["previous_end"]) == (
        pd.Timestamp("2024-01-03"),
        pd.Timestamp("2024-01-31"),
    )


def test_kpis_close_open_ends_with_the_store_range(data):
    frame = agg.kpis(data)
    assert frame["value"].tolist() == [9, 5, 5, 5, 2]
    assert frame["previous"].tolist() == [0, 0, 0, 0, 0]
    assert frame["start"].iloc[0] == pd.Timestamp("2023-12-31")
    assert frame["previous_end"].iloc[0] == pd.Timestamp("2023-12-30")


# -- the gold labels -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def gold_data(gold) -> agg.Data:
    return agg.from_articles(pd.DataFrame(gold))


def _partners(record: dict) -> int:
    return len(set(record["partner_countries"])) + len(set(record["partner_orgs"]))


def test_gold_totals(gold, gold_data):
    got = agg.totals(gold_data)
    assert got["articles"] == len(gold)
    assert got["engagements"] == sum(map(_partners, gold))
    assert got["countries"] == len({c for r in gold for c in r["partner_countries"]})
    assert got["organisations"] == len({o for r in gold for o in r["partner_orgs"]})


def test_gold_by_country(gold, gold_data):
    expected = Counter(c for r in gold for c in set(r["partner_countries"]))
    assert rows(agg.by_country(gold_data), "iso3", "engagements") == dict(expected)


def test_gold_by_topic(gold, gold_data):
    articles = Counter(t for r in gold for t in r["topics"])
    engagements = Counter()
    for record in gold:
        for topic in record["topics"]:
            engagements[topic] += _partners(record)
    got = agg.by_topic(gold_data).set_index("topic")
    assert got["articles"][got["articles"] > 0].to_dict() == dict(articles)
    assert got["engagements"][got["engagements"] > 0].to_dict() == +engagements


def test_gold_by_event_type_and_year(gold, gold_data):
    events = Counter(r["event_type"] for r in gold)
    got = agg.by_event_type(gold_data).set_index("event_type")["articles"]
    assert got[got > 0].to_dict() == dict(events)
    years = Counter(r["date"][:4] for r in gold)
    by_year = agg.by_date(gold_data, "year").set_index("period_label")["articles"]
    assert by_year[by_year > 0].to_dict() == dict(years)


def test_gold_regions_and_groupings(gold, gold_data):
    region_of = countries.country_table().set_index("iso3")["region"].to_dict()
    europe = [r for r in gold if any(region_of[c] == "Europe" for c in r["partner_countries"])]
    got = agg.by_region(gold_data).set_index("region")
    assert got.loc["Europe", "articles"] == len(europe)
    assert got["engagements"].sum() == sum(len(set(r["partner_countries"])) for r in gold)
    central = countries.groupings()["central_asia"].members
    with_ca = [r for r in gold if central & set(r["partner_countries"])]
    grouping = agg.by_grouping(gold_data).set_index("grouping").loc["central_asia"]
    assert grouping["articles"] == len(with_ca)
    assert grouping["engagements"] == sum(len(central & set(r["partner_countries"])) for r in gold)


def test_gold_filtered_view_matches_a_plain_python_count(gold, gold_data):
    selection = Filter(
        start="2020-01-01", end="2025-12-31", regions=["Europe"], topics=["security"]
    )
    europe = countries.members_of("Europe")
    expected = [
        r
        for r in gold
        if "2020-01-01" <= r["date"] <= "2025-12-31"
        and "security" in r["topics"]
        and europe & set(r["partner_countries"])
    ]
    got = agg.totals(selection.apply(gold_data))
    assert got["articles"] == len(expected)
    assert got["engagements"] == sum(len(europe & set(r["partner_countries"])) for r in expected)


@pytest.mark.parametrize("freq", agg.FREQS)
def test_every_dated_total_adds_up(gold_data, freq):
    view = Filter(start="2018-03-15", end="2025-11-02", topics=["trade_investment"]).apply(
        gold_data
    )
    total = agg.totals(view)
    frame = agg.by_date(view, freq)
    assert frame["engagements"].sum() == total["engagements"]
    assert frame["articles"].sum() == total["articles"]
    by_country = agg.country_by_period(view, freq).groupby("iso3")["engagements"].sum()
    assert by_country.to_dict() == rows(agg.by_country(view), "iso3", "engagements")


def test_views_pickle_for_caches(data):
    view = Filter(text="moscow").apply(data)
    again = pickle.loads(pickle.dumps(view))
    assert agg.totals(again) == agg.totals(view)
    assert kept(again, text="berlin") == ([], 0)  # the search still works after a round trip
