"""Engagements, articles and events by country, region, grouping, topic, event type and date.

The layer every chart, download and ``diplodash aggregate`` draws from, so a number in
a chart, its download and the CLI always agree. Usage::

    data = load("data/processed")                      # once: the whole store
    view = Filter(start="2024-01-01", regions=["Central Asia"]).apply(data)
    by_country(view); by_date(view, "month"); kpis(data, filter)

Counting rules (spec §2): an article yields one *engagement* per partner country and
per partner organisation; every aggregate gives both ``engagements`` and distinct
``articles``. An article without partners counts as an article with no engagements.
Country-based aggregates (country, region, grouping) count country engagements only;
topic, event type and date aggregates count organisation engagements too.

This module is the public face; the work is split by job: ``analysis.data`` (the store
as arrays), ``analysis.filtering`` (:class:`Filter`), ``analysis.rankings``,
``analysis.timeseries`` and ``analysis.headline`` (KPI cards). Every name stays
importable from here.

Speed: a filter is a pair of boolean masks and every aggregate is a few
``numpy.bincount`` calls over them, so one filter change plus every chart of the
dashboard fits the 300 ms budget on a million engagements
(``python bench/bench_aggregate.py``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import pandas as pd

from analysis.data import (
    FREQS,
    LIST_COLUMNS,
    REGION_LEVELS,
    UNKNOWN,
    Data,
    from_articles,
    load,
)
from analysis.filtering import DateLike, Filter, to_day
from analysis.headline import kpis, totals
from analysis.measures import DEFAULT_MEASURE, MEASURES, check_measure
from analysis.rankings import (
    by_actor_level,
    by_country,
    by_event_type,
    by_format,
    by_grouping,
    by_organisation,
    by_region,
    by_topic,
    crosstab_topic_region,
    languages,
)
from analysis.timeseries import (
    by_date,
    country_by_period,
    period_numbers,
    region_by_period,
    topic_by_period,
    undated_note,
)
from analysis.vocabulary import ACTOR_LEVELS, EVENT_TYPES, topic_labels

__all__ = [
    "ACTOR_LEVELS",
    "AGGREGATIONS",
    "DEFAULT_MEASURE",
    "EVENT_TYPES",
    "FREQS",
    "LIST_COLUMNS",
    "MEASURES",
    "REGION_LEVELS",
    "TIMED",
    "UNKNOWN",
    "Data",
    "DateLike",
    "Filter",
    "aggregate",
    "by_actor_level",
    "by_country",
    "by_date",
    "by_event_type",
    "by_format",
    "by_grouping",
    "by_organisation",
    "by_region",
    "by_topic",
    "country_by_period",
    "crosstab_topic_region",
    "from_articles",
    "kpis",
    "languages",
    "load",
    "period_numbers",
    "region_by_period",
    "to_day",
    "topic_by_period",
    "topic_labels",
    "totals",
    "undated_note",
]

AGGREGATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "country": by_country,
    "region": by_region,
    "subregion": functools.partial(by_region, level="subregion"),
    "grouping": by_grouping,
    "topic": by_topic,
    "event_type": by_event_type,
    "format": by_format,
    "actor_level": by_actor_level,
    "organisation": by_organisation,
    "date": by_date,
    "country_period": country_by_period,
    "region_period": region_by_period,
    "topic_period": topic_by_period,
    "topic_region": crosstab_topic_region,
}
TIMED = frozenset({"date", "country_period", "region_period", "topic_period"})


def aggregate(
    data: Data, by: str, freq: str | None = None, measure: str = DEFAULT_MEASURE
) -> pd.DataFrame:
    """The frame named ``by`` (a key of AGGREGATIONS); ``freq`` for the dated ones;
    rankings list most ``measure`` first (every frame has all three measures).

    The CLI and the dashboard's downloads both go through here, so they agree.
    """
    try:
        function = AGGREGATIONS[by]
    except KeyError:
        raise ValueError(f"by must be one of {', '.join(AGGREGATIONS)}, not {by!r}") from None
    options: dict[str, str] = {"freq": freq} if by in TIMED and freq else {}
    if "measure" in inspect.signature(function).parameters:
        options["measure"] = check_measure(measure)
    return function(data, **options)
