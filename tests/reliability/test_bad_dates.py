"""Dates nobody meant: a typo'd year (``0205``), the first and last days a date can have,
tomorrow's tomorrow. Each is kept and said at ingest, kept out of the charts' default
range, and no date arithmetic (KPI cards' previous range, period grids) can overflow."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import aggregate as agg
from analysis import dates, pipeline

BODY = "The Foreign Minister of Kazakhstan met the Ambassador of Japan in Astana on trade. " * 3
TODAY = dt.datetime.now(dates.KZ_TZ).date()


def ingest(store: Path, days: list[str]) -> pipeline.IngestReport:
    lines = [
        json.dumps({"title": f"Visit {i}", "published": d, "text": BODY})
        for i, d in enumerate(days)
    ]
    return pipeline.ingest_uploads([("dates.jsonl", "\n".join(lines).encode())], store)


def test_implausible_dates_are_kept_with_a_warning_naming_file_and_line(tmp_path):
    later = [(TODAY + dt.timedelta(days=n)).isoformat() for n in (0, 1, 2)]
    days = ["0205-02-03", "1990-12-31", "1991-01-01", *later]
    report = ingest(tmp_path, days)
    assert report.total == len(days)  # nothing dropped
    warned = {str(w).split(": ", 1)[0]: str(w) for w in report.warnings}
    assert set(warned) == {"dates.jsonl:1", "dates.jsonl:2", "dates.jsonl:6"}
    assert "0205-02-03" in warned["dates.jsonl:1"] and "default range" in warned["dates.jsonl:1"]


def test_the_default_range_leaves_implausible_dates_out(tmp_path):
    ingest(tmp_path, ["0205-02-03", "2024-05-01", "2025-03-01", "9999-12-31"])
    assert agg.load(tmp_path).span == (dt.date(2024, 5, 1), dt.date(2025, 3, 1))


@pytest.fixture(scope="module")
def extreme(tmp_path_factory: pytest.TempPathFactory) -> agg.Data:
    store = tmp_path_factory.mktemp("extreme")
    ingest(store, ["0001-01-01", "0205-02-03", "2025-03-01", "9999-12-31"])
    return agg.load(store)


@pytest.mark.parametrize(
    ("start", "end", "articles", "previous_start"),
    [
        (None, None, 4, "2025-02-28"),  # the default range: the plausible span, one day
        ("0001-01-01", "2025-12-31", 3, None),  # nothing can come before year 1
        ("0001-01-05", "0001-01-14", 0, "0001-01-01"),  # the previous range is cut
        ("0205-01-01", "0205-12-31", 1, "0204-01-02"),
        ("2025-01-01", "9999-12-31", 2, "0001-01-01"),
    ],
)
def test_kpis_never_overflow(extreme, start, end, articles, previous_start):
    frame = agg.kpis(extreme, agg.Filter(start=start, end=end)).set_index("metric")
    assert frame.loc["articles", "value"] == articles
    found = frame.loc["articles", "previous_start"]
    assert (None if found is pd.NaT else found.date().isoformat()) == previous_start


def test_the_range_before_the_first_day_is_empty_or_cut():
    assert agg.Filter(start="0001-01-01", end="0001-01-10").shifted_back() is None
    earlier = agg.Filter(start="0001-01-05", end="0001-01-14").shifted_back()
    assert (earlier.start, earlier.end) == (dt.date(1, 1, 1), dt.date(1, 1, 4))


@pytest.mark.parametrize("by", sorted(agg.AGGREGATIONS))
def test_every_table_survives_the_extreme_dates(extreme, by):
    view = agg.Filter(start="0001-01-01").apply(extreme)
    frame = agg.aggregate(view, by, "year" if by in agg.TIMED else None)
    assert "engagements" in frame.columns


def test_a_grid_over_the_limit_is_refused_saying_so(extreme):
    view = agg.Filter(start="0001-01-01", end="9999-12-31").apply(extreme)
    with pytest.raises(ValueError, match="over the limit"):
        agg.aggregate(view, "country_period", "day")
