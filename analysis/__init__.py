"""diplodash analysis layer: feeds → engagement records → tidy frames for charts and exports.

Notebook use::

    from analysis import load, Filter, by_country, by_date
    data = load("data/processed")
    recent = Filter(start="2024-01-01", topics=["referendum"]).apply(data)
    by_country(recent).head()
    by_date(recent, freq="quarter")
"""

from analysis.aggregate import (
    AGGREGATIONS,
    FREQS,
    Data,
    Filter,
    by_actor_level,
    by_country,
    by_date,
    by_event_type,
    by_grouping,
    by_organisation,
    by_region,
    by_topic,
    country_by_period,
    crosstab_topic_region,
    from_articles,
    kpis,
    load,
    region_by_period,
    topic_by_period,
    totals,
)
from analysis.countries import country_table, groupings, members_of, to_iso3
from analysis.exports import download_name, frame_bytes, write_records

__all__ = [
    "AGGREGATIONS",
    "FREQS",
    "Data",
    "Filter",
    "by_actor_level",
    "by_country",
    "by_date",
    "by_event_type",
    "by_grouping",
    "by_organisation",
    "by_region",
    "by_topic",
    "country_by_period",
    "country_table",
    "crosstab_topic_region",
    "download_name",
    "frame_bytes",
    "from_articles",
    "groupings",
    "kpis",
    "load",
    "members_of",
    "region_by_period",
    "to_iso3",
    "topic_by_period",
    "totals",
    "write_records",
]
